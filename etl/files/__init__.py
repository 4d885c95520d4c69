"""Files analysts upload: BUP waiting-time exports, school survey tables, the local template.

Plain parsers (no Streamlit, no warehouse writes): `parse(path)` returns
observation rows and indicator definitions, or raises `FileRejected` naming
the file, row and column. See README.md for the layouts and their quirks.
"""

from etl.files.errors import FileRejected
from etl.files.parse import Parsed, detect_kind, parse, parse_table
from etl.files.reader import Table, parse_number, read_table

__all__ = ["FileRejected", "Parsed", "Table", "detect_kind", "parse", "parse_number", "parse_table", "read_table"]
