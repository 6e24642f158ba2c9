"""Reader of the congress-legislators YAML files (``legislators-current.yaml``, ``-historical.yaml``).

Each entry has ``id`` (``bioguide`` and other ids), ``name`` (first, middle, last, suffix,
nickname, official_full), ``bio`` (birthday, gender) and ``terms`` (type ``sen``/``rep``,
start, end, state, district or class, party). The YAML is read with the safe loader (no
Python objects); dates may be quoted strings or YAML dates. An entry without a bioguide id
or with an unreadable term makes the whole file unreadable: a partial members table would
quietly unmatch filers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

CHAMBERS = {"sen": "senate", "rep": "house"}
_BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LegislatorsUnreadable(ValueError):
    """A legislators file that cannot be read; the message is one line."""


@dataclass(frozen=True)
class Member:
    """One member of Congress as the file names them."""

    bioguide_id: str
    first_name: str
    last_name: str
    middle_name: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    official_full: str | None = None
    birthday: date | None = None
    gender: str | None = None


@dataclass(frozen=True)
class Term:
    """One term in one chamber: state, district (House; 0 = at large), party, start and end."""

    bioguide_id: str
    chamber: str
    term_start: date
    term_end: date
    state: str
    party: str | None
    district: int | None = None
    senate_class: int | None = None


@dataclass(frozen=True)
class Legislators:
    """Everything one file holds."""

    members: tuple[Member, ...]
    terms: tuple[Term, ...]


def read_legislators(content: bytes) -> Legislators:
    """Parse one congress-legislators YAML file; LegislatorsUnreadable with the reason when it is not one."""
    try:
        entries = yaml.load(content, Loader=_YAML_LOADER)  # the safe loader: no Python objects
    except (yaml.YAMLError, RecursionError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LegislatorsUnreadable(f"not YAML: {reason}") from None
    if not isinstance(entries, list) or not entries:
        raise LegislatorsUnreadable("not a list of legislators")
    members, terms = [], []
    for index, entry in enumerate(entries):
        member = _member(entry, index)
        members.append(member)
        raw_terms = entry.get("terms")
        if not isinstance(raw_terms, list) or not raw_terms:
            raise LegislatorsUnreadable(f"{member.bioguide_id} has no terms")
        terms.extend(_term(member.bioguide_id, term, number) for number, term in enumerate(raw_terms))
    return Legislators(tuple(members), tuple(terms))


def _member(entry: object, index: int) -> Member:
    if not isinstance(entry, dict):
        raise LegislatorsUnreadable(f"entry {index} is not a mapping")
    ids, name, bio = (entry.get(key) or {} for key in ("id", "name", "bio"))
    if not all(isinstance(part, dict) for part in (ids, name, bio)):
        raise LegislatorsUnreadable(f"entry {index}: id, name and bio must be mappings")
    bioguide = str(ids.get("bioguide") or "")
    if not _BIOGUIDE.match(bioguide):
        raise LegislatorsUnreadable(f"entry {index} has no valid bioguide id (got {bioguide!r:.40})")
    first, last = _text(name.get("first")), _text(name.get("last"))
    if not first or not last:
        raise LegislatorsUnreadable(f"{bioguide} lacks a first or last name")
    return Member(
        bioguide_id=bioguide,
        first_name=first,
        last_name=last,
        middle_name=_text(name.get("middle")),
        suffix=_text(name.get("suffix")),
        nickname=_text(name.get("nickname")),
        official_full=_text(name.get("official_full")),
        birthday=_date(bio.get("birthday"), f"{bioguide} birthday", optional=True),
        gender=_text(bio.get("gender")),
    )


def _term(bioguide: str, term: object, number: int) -> Term:
    where = f"{bioguide} term {number + 1}"
    if not isinstance(term, dict):
        raise LegislatorsUnreadable(f"{where} is not a mapping")
    chamber = CHAMBERS.get(str(term.get("type")))
    if chamber is None:
        raise LegislatorsUnreadable(f"{where} has type {term.get('type')!r}, not sen or rep")
    state = _text(term.get("state"))
    if not state or not re.fullmatch(r"[A-Z]{2}", state):
        raise LegislatorsUnreadable(f"{where} has no two-letter state (got {state!r})")
    start = _date(term.get("start"), f"{where} start")
    end = _date(term.get("end"), f"{where} end")
    if end < start:
        raise LegislatorsUnreadable(f"{where} ends ({end}) before it starts ({start})")
    return Term(
        bioguide_id=bioguide,
        chamber=chamber,
        term_start=start,
        term_end=end,
        state=state,
        party=_text(term.get("party")),
        district=_integer(term.get("district"), f"{where} district") if chamber == "house" else None,
        senate_class=_integer(term.get("class"), f"{where} class") if chamber == "senate" else None,
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _date(value: object, what: str, *, optional: bool = False) -> date | None:
    if value is None and optional:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LegislatorsUnreadable(f"{what} is not a YYYY-MM-DD date (got {value!r:.40})") from None


def _integer(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).lstrip("-").isdigit():
        raise LegislatorsUnreadable(f"{what} is not a whole number (got {value!r:.40})")
    return int(value)
