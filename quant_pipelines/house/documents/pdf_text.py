"""A PDF's text layer as positioned lines in reading order, read with pypdfium2.

pdfium returns text in drawing order, which for the Clerk's PTRs puts a row's second
asset line before its transaction type and the repeated table header at the bottom of
the page. Sorting each page's text runs by baseline (top to bottom, then left to right)
restores the order a reader sees, which is all the row parser needs. Pages are read one at a
time and closed before the next, and a document with more pages than any PTR is refused unread.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from quant_pipelines.vocabulary.records import NeedsOcr, ParseError

# pdfium reports a glyph whose ToUnicode entry is 0 (the 2025/2026 template's small
# caps) as U+FFFE; pdfplumber and pypdf emit NUL. Both become NUL here.
_UNMAPPED = str.maketrans({"\ufffe": "\x00"})
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
# Text runs whose baselines differ by less than this (PDF points) share a visual line:
# the cap-gains checkbox glyphs sit about 1.5 pt off the row's text baseline.
_SAME_LINE = 3.0
# The end of a PDF may be followed by a little padding, never by more than a few bytes.
_TRAILER_WINDOW = 1024
# The longest PTRs run to a few dozen pages; pdfium costs about 4 KiB and 0.1 ms per empty page,
# so a hostile file of hundreds of thousands of them is refused before any page is opened.
MAX_PAGES = 1000


class Run(NamedTuple):
    """A run of text on one baseline, as pdfium delimits it."""

    page: int
    baseline: float
    left: float
    text: str
    first_char: int


class PdfText:
    """The text layer of one PDF: ``pages()`` yields each page's lines in reading order,
    ``x_at`` gives a column position on the page being read."""

    def __init__(self, content: bytes) -> None:
        _check_envelope(content)
        try:
            self._doc = pdfium.PdfDocument(content)
        except pdfium.PdfiumError as exc:
            raise ParseError(_load_failure(exc)) from None
        self.page_count = len(self._doc)
        if self.page_count > MAX_PAGES:
            self._doc.close()
            raise ParseError(f"{self.page_count} pages, more than the {MAX_PAGES} a PTR may have (refused unread)")
        self._open: tuple[int, pdfium.PdfPage, pdfium.PdfTextPage] | None = None

    def __enter__(self) -> PdfText:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def pages(self) -> Iterator[list[list[Run]]]:
        """Each page's lines; the page is closed when the next is read. NeedsOcr after the last
        page if none had any text."""
        any_text = False
        for number in range(1, self.page_count + 1):
            try:
                lines = self._page_lines(number)
            except pdfium.PdfiumError as exc:
                raise ParseError(f"unreadable page: {exc}") from None
            any_text = any_text or bool(lines)
            yield lines
            self._close_page()
        if not any_text:
            raise NeedsOcr(f"no text layer on any of {self.page_count} page(s): a scanned or paper filing")

    def close(self) -> None:
        """Release pdfium's page, text and document handles."""
        self._close_page()
        self._doc.close()

    def x_at(self, run: Run, offset: int) -> float:
        """The x position of the character ``offset`` places into ``run`` (its column); ``run``
        must be on the page being read."""
        if self._open is None or self._open[0] != run.page:
            raise ValueError(f"page {run.page} is not the page being read")
        origin = _origin(self._open[2], run.first_char + offset)
        return run.left if origin is None else origin[0]

    def _close_page(self) -> None:
        if self._open is not None:
            _, page, textpage = self._open
            textpage.close()
            page.close()
            self._open = None

    def _page_lines(self, number: int) -> list[list[Run]]:
        self._close_page()
        page = self._doc[number - 1]
        textpage = page.get_textpage()
        self._open = (number, page, textpage)
        text = textpage.get_text_range().translate(_UNMAPPED)
        wide = _NON_BMP.search(text) is not None
        runs = []
        position = 0
        for chunk in text.split("\r\n"):
            stripped = chunk.lstrip()
            if stripped.strip():
                index = position + len(chunk) - len(stripped)
                if wide:  # pdfium counts UTF-16 code units, Python code points
                    index += len(_NON_BMP.findall(text, 0, index))
                runs.append(_run(textpage, number, stripped.rstrip(), index))
            position += len(chunk) + 2
        return _reading_order(runs)


def _run(textpage: pdfium.PdfTextPage, page: int, text: str, text_index: int) -> Run:
    char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)
    x, y = _origin(textpage, char) or (0.0, 0.0)
    return Run(page, y, x, text, char)


# pdfium is single-threaded (pypdfium2 forbids concurrent use): one pair of out-parameters serves all.
_X, _Y = ctypes.c_double(), ctypes.c_double()


def _origin(textpage: pdfium.PdfTextPage, char: int) -> tuple[float, float] | None:
    """The baseline origin of a character, or None when pdfium has no position for it."""
    if not pdfium_c.FPDFText_GetCharOrigin(textpage, char, _X, _Y):
        return None
    return _X.value, _Y.value


def _reading_order(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.baseline):
        if lines and lines[-1][0].baseline - run.baseline < _SAME_LINE:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.left) for line in lines]


def _check_envelope(content: bytes) -> None:
    head = content[:1024]
    if b"%PDF-" not in head:
        shown = content[:24].decode("latin-1").strip() or "(empty)"
        raise ParseError(f"not a PDF: the document starts with {shown!r}")
    if b"%%EOF" not in content[-_TRAILER_WINDOW:]:
        raise ParseError(f"truncated PDF: no %%EOF marker at the end of its {len(content)} bytes")


def _load_failure(exc: pdfium.PdfiumError) -> str:
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
        return "encrypted PDF: it needs a password to open"
    return f"not a readable PDF: {exc}"
