"""Filers matched to members (pure): chamber, surname, given name, state and district where the
filing gives them, and a term covering the filed date. One candidate or none: never a guess.

A filer is matched when exactly one member passes, checked in order of evidence: the same
surname and an agreeing given name (nickname, initial, short form) in a term covering the
date, in the filing's state and district; the same in the state when the filing names a
district the member's term does not (filers keep their old district after redistricting);
then a surname whose words are all in the other's; then the seat itself (the filing's state
and, for the House, district) held by one member of that surname. A filing made after the
term ended (a departing member's last, often late, reports) is matched within ``AFTER_TERM``.
A House "state" that is an office code (staff and officers file too) is no member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from quant_pipelines.members.documents.legislators import Member, Term
from quant_pipelines.members.names import given_name_tokens, given_names_agree, last_name_tokens, surnames_agree

AFTER_TERM = timedelta(days=366)
STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split()
)
MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"


@dataclass(frozen=True)
class Filer:
    """A politician as the filings name them, and the filed date to match as of."""

    politician_id: str
    chamber: str
    first_name: str
    last_name: str
    filed_date: date
    suffix: str | None = None
    state: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class Match:
    """What became of one filer: the member and their term as of the filed date, or why not."""

    politician_id: str
    status: str
    reason: str
    as_of: date
    bioguide_id: str | None = None
    party: str | None = None
    state: str | None = None
    district: int | None = None


@dataclass(frozen=True)
class _Candidate:
    member: Member
    term: Term
    surname: str | None
    given: bool


class MemberIndex:
    """Members and terms by chamber, ready to match many filers."""

    def __init__(self, members: Iterable[Member], terms: Iterable[Term]) -> None:
        self.members = {member.bioguide_id: member for member in members}
        self._terms: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            if term.bioguide_id in self.members:
                self._terms[term.chamber].append(term)
        self._given = {key: _given_forms(member) for key, member in self.members.items()}
        self._surname = {key: last_name_tokens(member.last_name) for key, member in self.members.items()}
        self._by_surname: dict[str, set[str]] = defaultdict(set)
        for key, tokens in self._surname.items():
            self._by_surname["".join(tokens)].add(key)
        self._by_seat: dict[tuple[str, str], list[Term]] = defaultdict(list)
        for chamber, held in self._terms.items():
            for term in held:
                self._by_seat[(chamber, term.state)].append(term)

    def match(self, filer: Filer) -> Match:
        """The one member this filer is, or the reason there is not exactly one."""
        surname = last_name_tokens(filer.last_name)
        given = given_name_tokens(filer.first_name)
        if not surname:
            return self._verdict(filer, UNMATCHED, "the filing gives no surname")
        if filer.state and filer.state.upper() not in STATES:
            return self._verdict(filer, UNMATCHED, f"{filer.state} is an office code, not a state: not a member")
        seated = self._seated(filer)
        district = _district(filer.district) if filer.chamber == "house" else None
        periods = ((seated[0], "in a term covering the filed date"), (seated[1], "within a year after a term"))
        for terms, when in periods:
            candidates = [self._candidate(term, surname, given) for term in terms]
            in_seat = [c for c in candidates if district is None or c.term.district == district]
            for rule, pool, keep in (
                ("surname and given name", in_seat, lambda c: c.surname == "exact" and c.given),
                ("surname and given name (filed district differs)", candidates,
                 lambda c: c.surname == "exact" and c.given),
                ("surname (partial) and given name", in_seat, lambda c: c.surname == "partial" and c.given),
                ("surname and seat", in_seat, lambda c: c.surname == "exact" and self._gives_seat(filer)),
            ):
                chosen = _one_per_member([c for c in pool if keep(c)])
                if len(chosen) == 1:
                    return self._matched(filer, chosen[0], f"{rule}, {when}")
                if len(chosen) > 1:
                    names = ", ".join(
                        f"{c.member.bioguide_id} {c.member.official_full or c.member.last_name}" for c in chosen
                    )
                    return self._verdict(filer, AMBIGUOUS, f"{len(chosen)} members fit ({rule}, {when}): {names}")
        return self._verdict(filer, UNMATCHED, self._why_not(filer, surname))

    def _seated(self, filer: Filer) -> tuple[list[Term], list[Term]]:
        """Terms in the filer's chamber (and state) covering the date, and those ended within AFTER_TERM."""
        covering, ended = [], []
        if filer.state:
            terms = self._by_seat.get((filer.chamber, filer.state.upper()), [])
        else:
            terms = self._terms.get(filer.chamber, [])
        for term in terms:
            if term.term_start <= filer.filed_date <= term.term_end:
                covering.append(term)
            elif term.term_end < filer.filed_date <= term.term_end + AFTER_TERM:
                ended.append(term)
        return covering, ended

    def _candidate(self, term: Term, surname: tuple[str, ...], given: tuple[str, ...]) -> _Candidate:
        member = self.members[term.bioguide_id]
        return _Candidate(
            member, term, surnames_agree(surname, self._surname[member.bioguide_id]),
            given_names_agree(given, self._given[member.bioguide_id]),
        )

    @staticmethod
    def _gives_seat(filer: Filer) -> bool:
        return bool(filer.state) and (filer.chamber == "senate" or _district(filer.district) is not None)

    def _why_not(self, filer: Filer, surname: tuple[str, ...]) -> str:
        seat = f" for {filer.state}{filer.district or ''}" if filer.state else ""
        elsewhere = sorted(self._by_surname.get("".join(surname), ()))
        hint = (
            f"; members of that surname at other times or seats: {', '.join(elsewhere[:5])}" if elsewhere
            else "; no member of that surname in the legislators files"
        )
        who = f"{filer.first_name} {filer.last_name}{seat}"
        return f"no {filer.chamber} member {who} in a term covering {filer.filed_date}{hint}"

    def _matched(self, filer: Filer, candidate: _Candidate, reason: str) -> Match:
        term = candidate.term
        return Match(
            filer.politician_id, MATCHED, reason, filer.filed_date,
            bioguide_id=term.bioguide_id, party=term.party, state=term.state, district=term.district,
        )

    @staticmethod
    def _verdict(filer: Filer, status: str, reason: str) -> Match:
        return Match(filer.politician_id, status, reason, filer.filed_date)


def _given_forms(member: Member) -> frozenset[str]:
    forms = {*given_name_tokens(member.first_name), *given_name_tokens(member.nickname),
             *given_name_tokens(member.middle_name)}
    surname = set(last_name_tokens(member.last_name))
    forms |= {token for token in given_name_tokens(member.official_full) if token not in surname}
    return frozenset(forms)


def _one_per_member(candidates: list[_Candidate]) -> list[_Candidate]:
    """One candidate per member (the latest-starting term when several fit)."""
    best: dict[str, _Candidate] = {}
    for candidate in candidates:
        held = best.get(candidate.member.bioguide_id)
        if held is None or candidate.term.term_start > held.term.term_start:
            best[candidate.member.bioguide_id] = candidate
    return sorted(best.values(), key=lambda c: c.member.bioguide_id)


def _district(value: str | int | None) -> int | None:
    text = str(value).strip().upper() if value is not None else ""
    if text in ("AL", "AT LARGE"):
        return 0
    return int(text) if text.isdigit() else None
