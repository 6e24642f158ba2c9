"""Company names reduced to what identifies the issuer: accents, case, punctuation, legal forms
(Inc., Corporation, plc), share descriptions (Common Stock, Class A, ADR) and the SEC's state
tags (``/DE/``) removed, ``&`` read as ``and``."""

from __future__ import annotations

import html
import re
import unicodedata

# Legal forms, each with its canonical spelling (Corporation and Corp. are one form).
_FORMS = {
    "inc": "inc", "incorporated": "inc", "corp": "corp", "corporation": "corp", "co": "co", "company": "co",
    "cos": "co", "companies": "co", "ltd": "ltd", "limited": "ltd", "plc": "plc", "llc": "llc", "lp": "lp",
    "llp": "lp", "sa": "sa", "nv": "nv", "ag": "ag", "se": "se", "spa": "spa", "ab": "ab", "asa": "asa",
    "oyj": "oyj",
}
LEGAL_FORMS = frozenset({*_FORMS, "the"})
# Dropped only by the loose key: "Target Group Inc." is not "Target Corp".
LOOSE_WORDS = frozenset("holdings holding group".split())
SHARE_WORDS = frozenset(
    "common stock stocks shares share ordinary ord adr ads american depositary depository receipt receipts "
    "sponsored unsponsored new cl class series registered voting non each representing rep units unit "
    "partner interests interest cmn reit".split()
)
_STATE_TAG = re.compile(r"[/\\][A-Za-z]{2,3}(?:[/\\]|$)")
_PHRASES = re.compile(
    r"\b(?:capital stock|limited partner(?:ship)? interests?|ltd partner interests?)\b", re.IGNORECASE
)
_CLASS = re.compile(r"\b(?:class|cl|series)\s+([a-c])\b", re.IGNORECASE)
_TICKER_IN_NAME = (
    re.compile(r"\(([A-Z][A-Z0-9.\-]{0,5})\)"),  # "Apple Inc. (AAPL)"
    re.compile(r"^([A-Z][A-Z0-9.\-]{0,5})\s+-\s+"),  # "SPYM - State Street SPDR ..."
)


def fold(text: str) -> str:
    """Lower-case ASCII words, ``&`` as ``and``, every other non-alphanumeric run one space."""
    text = _PHRASES.sub(" ", _STATE_TAG.sub(" ", html.unescape(text)))
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", plain)  # "S.A." -> "SA" style initials
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.replace("'", "")).split())


def issuer_key(name: str, *, loose: bool = False) -> str:
    """The words of a company name that identify it (``The Boeing Company`` -> ``boeing``);
    ``loose`` also drops Group and Holdings."""
    dropped = LEGAL_FORMS | SHARE_WORDS | (LOOSE_WORDS if loose else frozenset())
    words = [word for word in fold(name).split() if word not in dropped]
    while words and len(words[-1]) == 1 and len(words) > 1:  # a trailing class letter ("... Class A")
        words.pop()
    return " ".join(words)


def legal_forms(name: str) -> frozenset[str]:
    """The legal forms a name states, canonical (``Carnival Corporation`` -> ``{corp}``)."""
    return frozenset(_FORMS[word] for word in fold(name).split() if word in _FORMS)


def share_class(name: str) -> str | None:
    """The share class a name states (``Class B`` -> ``B``), else None."""
    found = _CLASS.search(name)
    return found.group(1).upper() if found else None


def tickers_in_name(name: str) -> list[str]:
    """Symbols the name itself carries, in parentheses or before a `` - ``."""
    return [found.group(1) for pattern in _TICKER_IN_NAME for found in pattern.finditer(name)]
