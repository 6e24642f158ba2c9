"""House Clerk parsers: the yearly FD index and the PTR PDFs (pure: bytes in, records out)."""

from quant_pipelines.house.documents.index import IndexUnreadable, YearIndex, ptr_filings, read_index
from quant_pipelines.house.documents.ptr import PARSER_VERSION, parse_ptr

__all__ = ["PARSER_VERSION", "IndexUnreadable", "YearIndex", "parse_ptr", "ptr_filings", "read_index"]
