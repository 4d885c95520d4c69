"""Kolada v3: municipal and regional key figures (KPIs) from SKR's open database."""
