"""Senate eFD report-data answers (JSON) that are not what the endpoint promises."""

from __future__ import annotations

_ROW_LINK = (
    '"<a href=\\"/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/\\">'
    'Periodic Transaction Report for 06/16/2026</a>"'
)

# A link cell of 120,000 characters of unclosed "<a " (a backtracking regex takes minutes on it).
REPEATED_ANCHORS = b'{"recordsTotal": 1, "data": [["A", "B", "C", "' + b"<a " * 40_000 + b'", "06/01/2026"]]}'

# (id, body, what the parser says about it)
CASES: list[tuple[str, bytes, str]] = [
    ("html-error-page", b"<html><body>Service temporarily unavailable</body></html>", "not JSON"),
    ("empty", b"", "not JSON"),
    ("truncated", b'{"draw": 1, "recordsTotal": 13, "data": [["Gary C", "Pe', "not JSON"),
    ("deeply-nested", b"[" * 100_000, "not JSON"),
    ("deeply-nested-object", b'{"data":' * 100_000, "not JSON"),
    ("a-list", b"[]", "no 'data' list"),
    ("data-an-object", b'{"draw": 1, "data": {}}', "no 'data' list"),
    ("data-null", b'{"draw": 1, "recordsTotal": 0, "data": null}', "no 'data' list"),
    ("count-a-string", b'{"recordsTotal": "13", "data": []}', "no record count"),
    ("count-missing", b'{"data": []}', "no record count"),
    ("result-error", b'{"recordsTotal": 0, "data": [], "result": "error"}', "result 'error'"),
    ("row-of-three", b'{"recordsTotal": 1, "data": [["only", "three", "cells"]]}', "not five strings"),
    ("row-of-numbers", b'{"recordsTotal": 1, "data": [[1, 2, 3, 4, 5]]}', "not five strings"),
    ("row-null", b'{"recordsTotal": 1, "data": [null]}', "not five strings"),
    ("row-an-object", b'{"recordsTotal": 1, "data": [{"first": "A"}]}', "not five strings"),
    ("no-link", b'{"recordsTotal": 1, "data": [["A", "B", "C", "<b>no link</b>", "06/01/2026"]]}',
     "no report link"),
    ("repeated-anchors", REPEATED_ANCHORS, "link cell of 120000 characters, more than the 4096 allowed"),
    ("iso-date", b'{"recordsTotal": 1, "data": [["A", "B", "C", ' + _ROW_LINK.encode() + b', "2026-06-16"]]}',
     "not MM/DD/YYYY"),
    ("impossible-date",
     b'{"recordsTotal": 1, "data": [["A", "B", "C", ' + _ROW_LINK.encode() + b', "02/30/2026"]]}',
     "not MM/DD/YYYY"),
]
