"""The bundled offline snapshot of real data, from which a first start builds the warehouse."""
