"""Senate eFD parsers: the report-data listing, PTR pages and paper views (pure: bytes in, records out)."""

from quant_pipelines.senate.documents.listing import parse_report_data
from quant_pipelines.senate.documents.page import PARSER_VERSION, paper_image_urls, parse_ptr_page, report_for

__all__ = ["PARSER_VERSION", "paper_image_urls", "parse_ptr_page", "parse_report_data", "report_for"]
