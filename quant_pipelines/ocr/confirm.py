"""A second opinion on a doubtful cell: read it again at other sizes and keep only what the reads settle.

The recogniser's per-character confidence is a weak signal on small or noisy print: a correct
name often has one character at 0.5, and a misread can score as high. What a misread rarely
does is survive a change of scale: the crop enlarged 1.5x, 2.5x and 3x (instead of 2x) goes
through differently sized inputs, and a doubtful character read the same way at every size is
taken as read. Where an asset name's reads differ, the one spelled in words settles it when two
reads gave it (``ocr/words.py``); else where its three other sizes agree with one another but not
with the first read, and differ from it in letters alone, theirs is taken: the doubtful character
was the misread (9115676: 'CA J' at 2x, 'CA JJ' at the three others); otherwise the cell keeps
its low confidence and goes to review.
A name read surely elsewhere on the page is a read too, of other print: 'Raytheon Technologies
Corp Com' read once as such and three times as 'Technologles' is settled by the same name read
surely two rows up (8219417). It only adds to a spelling the cell itself gave at some size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from difflib import SequenceMatcher

from quant_pipelines.ocr import engine, words
from quant_pipelines.ocr.cells import Cell, text_lines
from quant_pipelines.ocr.rows import MIN_CONFIDENCE, MIN_WEAKEST, Reading

SCALES = (1.5, 2.5, 3.0)
# Below this the weakest character is not vouched for by agreement (a letter read as another
# the same way at every size, e.g. 'I' dropped from 'IHS', scores below it on the gold set).
FLOOR = 0.4
_TWIN_EDITS = 2  # names this many characters apart on one page are one name, one of them misread
_TWIN_LENGTH = 8  # shorter names can differ by a letter and still be two names
CONFIRMED = 0.9  # the weakest-character confidence given to a reading every size agrees on


def confirm(readings: list[tuple[Reading, Cell]], line_height: float | None, *, names: bool = False) -> list[Reading]:
    """Each reading, with its weakest confidence raised to :data:`CONFIRMED` when re-reads at every other scale agree
    (with it, or for a name with one another: then their text replaces it, :func:`_settled`).

    Only readings with a mean at least :data:`MIN_CONFIDENCE` and a weakest character in
    [``FLOOR``, ``MIN_WEAKEST``) are re-read (in one batch per scale); the rest come back
    unchanged. ``names`` (asset names): reads that differ are settled by their words
    (:func:`words.settle`, with :func:`_page_reads`; the settled spelling replaces the text),
    and a name a letter or two away from another in the list takes the other's spelling or
    carries a doubt (:func:`_read_two_ways`): the same name misread the same way at every size,
    or misread at high confidence, is the one misread neither check catches.
    """
    doubtful = [i for i, (reading, _) in enumerate(readings)
                if reading.text and reading.confidence >= MIN_CONFIDENCE and FLOOR <= reading.weakest < MIN_WEAKEST]
    reads = {i: [readings[i][0].text] for i in doubtful}
    for scale in SCALES:
        crops: list = []
        spans: list[tuple[int, int, int]] = []
        for i in doubtful:
            lines = text_lines(readings[i][1], line_height, scale=scale)
            spans.append((i, len(crops), len(crops) + len(lines)))
            crops += lines
        results = engine.recognize(crops)
        for i, start, end in spans:
            reads[i].append(" ".join(results[k][0].strip() for k in range(start, end) if results[k][0].strip()))
        if not names:  # a date whose reads differ stays doubtful: read no further
            doubtful = [i for i in doubtful if _agree(reads[i])]
    confirmed = []
    for i, (reading, _) in enumerate(readings):
        if i in reads:
            settled = _settled(reads[i], _page_reads(reads[i], readings, i) if names else None)
            if settled is not None:
                reading = Reading(settled, reading.confidence, CONFIRMED)
        confirmed.append(reading)
    return _read_two_ways(confirmed) if names else confirmed


def _settled(reads: list[str], page_reads: list[str] | None) -> str | None:
    """What a cell's reads (the first one, then one per other scale) say, or None when they settle nothing.

    Every read alike: that text. A date's reads (``page_reads`` None) settle nothing else. An
    asset name's: the read spelled in words (:func:`words.settle`); else the other scales' reads,
    when they agree with one another and may stand for the first read (:func:`words.respells`:
    a name read 'Technologies' once and 'Technologles' at every other size is not theirs to settle).
    """
    if _agree(reads):
        return reads[0]
    if page_reads is None:
        return None
    if (spelled := words.settle(reads + page_reads)) is not None:
        return spelled
    others = reads[1:]
    if others[0] and _agree(others) and words.respells(others[0], reads[0]):
        return others[0]
    return None


def _page_reads(reads: list[str], readings: list[tuple[Reading, Cell]], cell: int) -> list[str]:
    """The sure readings of the other cells of the page (mean and weakest character at the bar) that
    spell one of ``reads``: the same name in other print, one more read of that spelling each."""
    spellings = {words.norm(read) for read in reads}
    return [
        reading.text for i, (reading, _) in enumerate(readings)
        if i != cell and reading.sure and words.norm(reading.text) in spellings
    ]


def _agree(reads: list[str]) -> bool:
    """True when every read of a cell (the first one included) says the same, case and punctuation aside."""
    return len({words.norm(read) for read in reads}) == 1


def _read_two_ways(readings: list[Reading]) -> list[Reading]:
    """A name a letter or two apart from another on the page takes its spelling or carries a doubt, unless it is the better one.

    'Unian Pac Conp Com' beside 'Union Pac Corp Com' is one name read two ways. The one whose
    differing words are far more common is the right one (:func:`words.preferred`), and where it
    was read surely on the page the misread takes its spelling, as settled (8219417: 'Unian' read
    at full confidence two rows below two sure reads of 'Union'). Failing that, where one spelling
    was read more often than the other (independent reads of the same print), the rarer one is the
    misread; where they are as frequent, which is right is not the reader's to guess, however sure
    the engine was of each, and both go to review.
    """
    names = [words.norm(reading.text) for reading in readings]
    counts = Counter(name for name in names if name)
    printed = {name: reading.text for name, reading in zip(names, readings)}
    sure = {name for name, reading in zip(names, readings) if reading.sure}

    def misread(name: str, other: str) -> bool:
        if not _letters_apart(name, other):
            return False
        if words.preferred(other, name):
            return True
        return counts[other] >= counts[name] and not words.preferred(name, other)

    out = []
    for name, reading in zip(names, readings):
        twin = next((other for other in counts if misread(name, other)), None)
        if twin is not None and twin in sure and words.preferred(twin, name):
            reading = Reading(printed[twin], reading.confidence, max(reading.weakest, CONFIRMED))
        elif twin is not None:
            reading = replace(reading, doubt=f"asset name read two ways on the page: {reading.text!r} / {printed[twin]!r}")
        out.append(reading)
    return out


def _letters_apart(a: str, b: str) -> bool:
    """True when two names of some length differ in one or two characters (changed, missing or extra)."""
    if a == b or min(len(a), len(b)) < _TWIN_LENGTH:
        return False
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes() if tag != "equal")
    return edits <= _TWIN_EDITS
