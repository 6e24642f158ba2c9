"""Name normalisation for matching filers to members: accents, case, punctuation, suffixes,
middle initials and the nicknames members file under (Tom for Thomas, Cindy for Cynthia)."""

from __future__ import annotations

import re
import unicodedata

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "md", "phd", "dds", "esq", "facs"})
TITLES = frozenset({"hon", "honorable", "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "representative"})

# Given name -> the short forms people file under (both ways are looked up).
_NICKNAMES = {
    "abraham": "abe", "albert": "al", "alexander": "al alex", "alfred": "al", "andrew": "andy drew",
    "anthony": "tony", "barbara": "barb", "benjamin": "ben", "bernard": "bernie", "bradley": "brad",
    "catherine": "cathy kate", "charles": "chuck charlie chip", "christopher": "chris",
    "cynthia": "cindy", "daniel": "dan danny", "david": "dave", "deborah": "debbie deb",
    "donald": "don", "douglas": "doug", "edward": "ed eddie ted", "elizabeth": "liz beth betty",
    "eugene": "gene", "frederick": "fred", "gerald": "gerry jerry", "gregory": "greg",
    "harold": "hal", "henry": "hank", "herbert": "herb", "james": "jim jimmy", "jeffrey": "jeff",
    "jennifer": "jenn jenny", "john": "jack", "jonathan": "jon", "joseph": "joe", "judith": "judy",
    "katherine": "kathy kate", "kathleen": "kathy", "kenneth": "ken kenny", "lawrence": "larry",
    "leonard": "len", "margaret": "maggie peggy", "matthew": "matt", "michael": "mike",
    "mitchell": "mitch", "nicholas": "nick", "patricia": "pat", "patrick": "pat",
    "peter": "pete", "philip": "phil", "randall": "randy", "raymond": "ray", "richard": "rick dick",
    "robert": "bob bobby rob", "ronald": "ron", "russell": "russ", "samuel": "sam",
    "stephen": "steve", "steven": "steve", "susan": "sue", "suzanne": "suzy", "theodore": "ted",
    "thomas": "tom tommy", "timothy": "tim", "vernon": "vern", "virginia": "ginny",
    "walter": "walt", "william": "bill billy will", "zachary": "zach",
}
NICKNAMES: dict[str, frozenset[str]] = {}
for _formal, _shorts in _NICKNAMES.items():
    for _short in _shorts.split():
        NICKNAMES[_short] = NICKNAMES.get(_short, frozenset()) | {_formal}
        NICKNAMES[_formal] = NICKNAMES.get(_formal, frozenset()) | {_short}


def fold(text: str | None) -> str:
    """Lower case, accents removed, every run of non-letters one space (O'Rourke -> o rourke)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z]+", " ", plain).split())


def last_name_tokens(text: str | None) -> tuple[str, ...]:
    """A surname's tokens without suffixes and titles (``Beyer Jr.`` -> ``beyer``)."""
    tokens = [token for token in fold(text).split() if token not in SUFFIXES and token not in TITLES]
    return tuple(tokens)


def given_name_tokens(text: str | None) -> tuple[str, ...]:
    """A given name's tokens without titles, suffixes and initials (``A. Mitchell`` -> ``mitchell``).

    When only initials are given they are kept, so ``J.`` still says something."""
    tokens = [token for token in fold(text).split() if token not in SUFFIXES and token not in TITLES]
    words = [token for token in tokens if len(token) > 1]
    return tuple(words or tokens)


def given_names_agree(filed: tuple[str, ...], known: frozenset[str]) -> bool:
    """Whether a filed given name is one of a member's names, an initial of one, a nickname of
    one or a short form (``Chris`` of ``Christopher``, three letters at least)."""
    for token in filed:
        for name in known:
            if token == name or name in NICKNAMES.get(token, ()) or token in NICKNAMES.get(name, ()):
                return True
            if len(token) == 1 and name.startswith(token):
                return True
            if min(len(token), len(name)) >= 3 and (token.startswith(name) or name.startswith(token)):
                return True
    return False


def surnames_agree(filed: tuple[str, ...], known: tuple[str, ...]) -> str | None:
    """``exact`` when the surnames are the same (spaces and hyphens aside), ``partial`` when one's
    words are all in the other (González-Colón filed as Gonzalez), else None."""
    if not filed or not known:
        return None
    if "".join(filed) == "".join(known):
        return "exact"
    shorter, longer = sorted((set(filed), set(known)), key=len)
    return "partial" if shorter <= longer and all(len(token) > 2 for token in shorter) else None
