"""The DuckDB warehouse: schema, data checks, atomic publishing and read queries."""
