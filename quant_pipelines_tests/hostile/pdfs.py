"""Bytes served where a House PTR PDF should be, made from a real PTR or from nothing."""

from __future__ import annotations

from collections.abc import Callable

from quant_pipelines.house.documents.pdf_text import MAX_PAGES
from quant_pipelines_tests.replica.pdf_writer import Page, render


def page_with(text: str) -> Page:
    """A page carrying one line of text at the filer block's position."""
    page = Page()
    page.text(22.0, 594.0, ("F1", 8, text))
    return page


# (id, document made from a real PTR's bytes, what the parse failure says)
CASES: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("empty", lambda pdf: b"", "not a PDF"),
    ("html", lambda pdf: b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", "not a PDF"),
    ("zip", lambda pdf: b"PK\x03\x04" + pdf[4:], "not a PDF"),
    ("truncated", lambda pdf: pdf[: len(pdf) // 2], "truncated PDF"),
    ("mangled", lambda pdf: pdf[:1500] + b"\n%%EOF\n", "not a readable PDF|no transactions table"),
    ("encrypted", lambda pdf: render([Page()], password_protected=True), "encrypted PDF"),
    ("not-a-ptr", lambda pdf: render([page_with("Name: Hon. Nobody")]), "no transactions table"),
    ("too-many-pages", lambda pdf: render([Page() for _ in range(MAX_PAGES + 1)]),
     f"{MAX_PAGES + 1} pages, more than the {MAX_PAGES} a PTR may have"),
]
