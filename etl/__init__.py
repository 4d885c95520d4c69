"""ETL: one folder per data source, each with client.py, load.py, settings.py and a README."""
