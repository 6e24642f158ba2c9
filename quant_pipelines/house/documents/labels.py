"""The labels and headings of both PTR templates, whichever way their text layer spells them.

The 2020-2021 template prints words with letter case scrambled ("SubHOLdINg OF:",
"aSSet claSS DetailS"); the 2025/2026 template's small caps extract as their initials
padded with NUL characters (FILING STATUS becomes "F", five NULs, " S", five NULs).
Both map to one field or section name.
"""

from __future__ import annotations

import re

from quant_pipelines.vocabulary.normalize import collapse

_LABEL = re.compile(r"^(?P<label>[A-Za-z\x00][A-Za-z\x00 ]{0,30}?)\s*:\s*(?P<value>.*)$")
_LABEL_WORDS = {
    "filing status": "filing_status",
    "subholding of": "subholding_of",
    "description": "description",
    "comments": "comment",
    "comment": "comment",
    "location": "location",
}
# The 2025/2026 template's small caps extract as initials padded with NUL.
_LABEL_INITIALS = {
    "FS": "filing_status",
    "SO": "subholding_of",
    "D": "description",
    "C": "comment",
    "L": "location",
}
_HEADINGS = {
    "investment vehicle details": "vehicles",
    "asset class details": "vehicles",
    "initial public offerings": "ipo",
    "comments": "comments",
    "certification and signature": "certification",
}
_HEADING_INITIALS = {
    "IVD": "vehicles",
    "ACD": "vehicles",
    "IPO": "ipo",
    "C": "comments",
    "CS": "certification",
}
_INITIALS_ONLY = re.compile(r"^[A-Z][A-Z\x00 ]*$")


def label(text: str) -> tuple[str, str] | None:
    """(field, value) for a sub-line label such as "FILING STATUS: New" or its small-caps form."""
    match = _LABEL.match(text)
    if match is None:
        return None
    raw = match["label"]
    if "\x00" in raw:
        key = _LABEL_INITIALS.get("".join(ch for ch in raw if ch.isupper()))
    else:
        key = _LABEL_WORDS.get(" ".join(raw.lower().split()))
    return (key, collapse(match["value"])) if key else None


def heading(text: str) -> str | None:
    """The trailer section a heading line opens (vehicles, ipo, comments, certification), if any."""
    if "\x00" in text and _INITIALS_ONLY.match(text):
        return _HEADING_INITIALS.get("".join(ch for ch in text if ch.isupper()))
    return _HEADINGS.get(collapse(text).lower())
