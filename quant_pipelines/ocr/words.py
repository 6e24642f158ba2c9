"""Which of a cell's differing reads is spelled in words: the tie-breaker when re-reads disagree.

A misread letter in a name nearly always makes a string that is no word ('Technologles',
'NVIDLA', 'SIONEY'), while the printed name is made of words, brand names included
('NVIDIA', 'Sysco', 'Guidewire'). How common each word is comes from ``wordfreq``'s large
English list (web, news, books and subtitles; offline, in the wheel), in the Zipf scale:
log10 of occurrences per billion words, 0 for a string it has never seen.

Only the words the reads do not share are weighed, so 'Union Pac Corp Com' against 'Unian
Pac Corp Com' is 'union' (5.1) against 'unian' (1.4). The reads must differ in such words
alone: their digits and short codes the same ('PayPa!' against 'PayPal' is a word misread;
'MsC mc' against 'MSCI Inc' is no contest of words). A read is chosen only when at least two
reads gave it (two sizes, or a size and the same name read surely elsewhere on the page) and
each of its differing words is a common one and far more common than those of every other
read; anything less (a single read, digits or two-letter codes in dispute, two plausible
spellings, a rare word) settles nothing and the cell stays for review. Where the other sizes
agree with one another against the first read, their reading may stand for it only with the same
digits and no rare word of its own (:func:`respells`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib.metadata import version

from wordfreq import zipf_frequency

# A word the engine can misread into another: three letters or more ('JD', 'GO' and 'CA' codes
# in bond names are not judged; a read that differs only in them settles nothing).
_WORD = re.compile(r"[A-Za-z]{3,}")
MIN_READS = 2
# The chosen spelling's rarest differing word is seen at least ~300 times per billion words
# ('Raytheon' 2.7, 'NVIDIA' 3.3): 'Marke', a misread of 'Markit' (2.1), is itself a word (2.3).
MIN_ZIPF = 2.5
# Zipf units: each differing word of the chosen read is at least 10^1.5 (about 30) times as
# common as the rarest differing word of any other read.
MARGIN = 1.5
_PUNCTUATION = re.compile(r"[\s.,]+")
_OUTSIDE_WORDS = re.compile(r"[^A-Z0-9#]")  # punctuation and spaces: 'PayPa!' is 'PayPal' misread
_NOT_DIGITS = re.compile(r"\D")
WORDS_VERSION = f"wordfreq-{version('wordfreq')}"


def norm(text: str) -> str:
    """A read with case, spacing and dots or commas between words ignored."""
    return _PUNCTUATION.sub(" ", text).strip().upper()


def settle(reads: list[str]) -> str | None:
    """The read (as first spelled) that settles the reads: see the module's rules; None when none does."""
    counts = Counter(norm(read) for read in reads)
    if len(counts) < 2 or not _words_differ_alone(counts):
        return None
    spelled = {norm(read): read for read in reversed(reads)}
    words = {key: _words(key) for key in counts}
    shared = set.intersection(*words.values())
    if any(not (words[key] - shared) for key in counts):
        return None  # a read whose differing words all appear in another read (a word repeated or dropped)
    scores = {key: _rarest(words[key] - shared) for key in counts}
    best = max(scores, key=scores.__getitem__)
    if counts[best] < MIN_READS or scores[best] < MIN_ZIPF:
        return None
    if any(scores[best] - score < MARGIN for key, score in scores.items() if key != best):
        return None
    return spelled[best]


def preferred(a: str, b: str) -> bool:
    """True when ``a``'s differing words are common and far more common than ``b``'s (one name read two ways)."""
    if not _words_differ_alone([norm(a), norm(b)]):
        return False
    words_a, words_b = _words(norm(a)), _words(norm(b))
    only_a, only_b = words_a - words_b, words_b - words_a
    if not only_a or not only_b:
        return False
    best = _rarest(only_a)
    return best >= MIN_ZIPF and best - _rarest(only_b) >= MARGIN


def respells(read: str, first: str) -> bool:
    """True when ``read`` may stand for ``first``: the same digits, and each word of ``read`` (three
    letters or more) that ``first`` lacks a common one. Other reads that agree on 'AUGN' or
    'IOHNSON' where the first said 'ALGN' or 'JOHNSON' agree on a misspelling, not on the print;
    and a digit is not for a majority of reads to settle (8220570: a blurred 07/28/24 read
    07/29/24 at the three other sizes)."""
    if _NOT_DIGITS.sub("", read) != _NOT_DIGITS.sub("", first):
        return False
    return all(_zipf(word) >= MIN_ZIPF for word in _words(norm(read)) - _words(norm(first)))


def _words_differ_alone(keys) -> bool:  # noqa: ANN001 - any collection of normalised reads
    """True when the reads' letters and digits are the same once each word of three letters or more is blanked out."""
    return len({_OUTSIDE_WORDS.sub("", _WORD.sub("#", key)) for key in keys}) == 1


def _words(key: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(key)}


def _rarest(words: set[str]) -> float:
    return min(map(_zipf, words))


@cache
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en", wordlist="large")
