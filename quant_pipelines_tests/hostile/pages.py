"""Bytes served where a Senate report page should be: nothing a parser may read rows from."""

from __future__ import annotations

# (id, page)
CASES: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("whitespace", b"   \n"),
    ("binary", b"\x00\xff\xfe garbage \x00"),
    ("unrelated-page", b"<html><body><p>hello</body></html>"),
    ("nul-flood", b"\x00" * 1_000_000),
    ("deep-nesting", b"<html><body>" + b"<div>" * 200_000 + b"x" + b"</div>" * 200_000 + b"</body></html>"),
    ("unclosed-tables", b"<html><body><table>" + b"<tr><td><table>" * 50_000 + b"</body></html>"),
    ("giant-attribute", b'<html><body><div class="' + b"a" * (8 * 2**20) + b'"></div></body></html>'),
    ("utf-16", "<html><body><h1>Periodic Transaction Report</h1></body></html>".encode("utf-16")),
    ("heading-only", b'<html><body><h1 class="mb-2">Periodic Transaction Report for 06/16/2026</h1></body></html>'),
]
