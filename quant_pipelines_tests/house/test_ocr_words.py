"""Settling a cell whose re-reads differ: by the read spelled in words (ocr/words.py), or by the other sizes agreeing (ocr/confirm.py).

The reads are what the engine gave at the four sizes for gold rows (bench/ocr.py's gold set) and
rows of the filings read whole: the spelling in words is the printed one in each case that settles.
"""

from __future__ import annotations

import pytest

from quant_pipelines.ocr.confirm import _settled
from quant_pipelines.ocr.words import preferred, settle


@pytest.mark.parametrize(
    ("reads", "settled"),
    [
        # 8217557: one size misread I as L; three gave the name.
        (["NVIDIA CORPORATION", "NVIDIA CORPORATION", "NVIDLA CORPORATION", "NVIDIA CORPORATION"], "NVIDIA CORPORATION"),
        # 9115676: two sizes each; 'SIONEY' is no word.
        (["SIDNEY OHIO CITY SCH DIST GO", "SIDNEY OHIO CITY SCH DIST GO", "SIONEY OHIO CITY SCH DIST GO",
          "SIONEY OHIO CITY SCH DIST GO"], "SIDNEY OHIO CITY SCH DIST GO"),
        # 8220192: the first read is the misread one; the settled text is the word's spelling.
        (["United States Treasury Bili", "United States Treasury Bill", "United States Treasury Bill",
          "United States Treasury Bill"], "United States Treasury Bill"),
        # 8219417: 'Unian' is a rare word, 'Union' a very common one.
        (["Union Pac Corp Com", "Unian Pac Corp Com", "Union Pac Corp Com", "Unian Pac Corp Com"], "Union Pac Corp Com"),
        # 8218109: two sizes gave the name, two misread it two ways.
        (["Matorobs Solutions Inc", "Motorola Solutions Inc", "Motorola Solutions Inc", "Motorols Solutions Inc"],
         "Motorola Solutions Inc"),
        # 8218518: a letter read as punctuation misspells the word; two sizes read it right.
        (["PayPa! Holdings Inc.", "PayPa! Holdings Inc.", "PayPal Holdings Inc.", "PayPal Holdings Inc."],
         "PayPal Holdings Inc."),
        # Case, spacing and punctuation are not a difference.
        (["Booking Holdlngs Inc. Com", "BOOKING HOLDINGS, INC. COM", "Booking Holdings Inc Com"], "BOOKING HOLDINGS, INC. COM"),
    ],
)
def test_the_read_spelled_in_words_settles_it(reads: list[str], settled: str) -> None:
    assert settle(reads) == settled


@pytest.mark.parametrize(
    "reads",
    [
        # 8219417: the words are right in one read only; three sizes misread the same letter.
        ["Raytheon Technologies Corp Com", "Raytheon Technologles Corp Com", "Raytheon Technologles Corp Com",
         "Raytheon Technologles Corp Com"],
        # 9115676: the reads differ in digits and two-letter codes, which words cannot judge.
        ["BUTLER CNTY OHIO REV 4%12/01/25JD", "BUTLER CNTY OHIO REV 496 12/01/2", "BUTLER CNTY OHIO REV 49 12/01/25"],
        # Two common words: which one is printed is not the reader's to guess.
        ["Snap Inc", "Soap Inc", "Snap Inc", "Soap Inc"],
        # 8218109: 'Marke' is a word, but a rare one (so is the printed 'Markit').
        ["IHS Markk Ltd", "IHS Marke Ltd", "IHS Markk Ltd", "IHS Marke Ltd"],
        # The reads differ in a short code too ('mc' / 'Inc', as 8218261's MSCI Inc. was read):
        # weighing 'snap' against 'snop' alone would pass the misread 'mc' as settled.
        ["Snap mc.", "Snop Inc.", "Snap mc.", "Snop Inc."],
        # All reads agree: nothing to settle (agreement is confirm's own rule).
        ["Facebook Inc", "Facebook Inc"],
    ],
)
def test_nothing_is_settled_without_a_clear_word_spelling_read_twice(reads: list[str]) -> None:
    assert settle(reads) is None


def test_preferred_weighs_only_the_words_that_differ() -> None:
    assert preferred("Union Pac Corp Com", "Unian Pac Corp Com")
    assert not preferred("Unian Pac Corp Com", "Union Pac Corp Com")
    assert not preferred("Snap Inc", "Soap Inc") and not preferred("Soap Inc", "Snap Inc")
    assert not preferred("Colfax Corp", "Colfax Corp.")  # the same words
    assert not preferred("Snap mc.", "Snop Inc.")  # a short code differs too


@pytest.mark.parametrize(
    ("reads", "settled"),
    [
        # 9115676: the usual size misread 'JJ' (a doubtful letter); the three other sizes agree.
        (["CORPUS CHRISTI TEX UTIL SYS REV 5% 07/15/40-CA J"] + ["CORPUS CHRISTI TEX UTIL SYS REV 5% 07/15/40-CA JJ"] * 3,
         "CORPUS CHRISTI TEX UTIL SYS REV 5% 07/15/40-CA JJ"),
        # 8219417: the first read is the spelling in words; three sizes agreeing on a misspelling
        # settle nothing (on its page, the same name read surely two rows up settles it).
        (["Raytheon Technologies Corp Com"] + ["Raytheon Technologles Corp Com"] * 3, None),
        # 9115676 page 9 and 11: the other sizes agree on a misspelling of the first read's word, or
        # of a misread that is no word either: neither is the print.
        (["JOHNSON & JOHNSON CMN"] + ["JOHNSON & IOHNSON CMN"] * 3, None),
        (["ALGN TECHNOLOGY, INC CMN"] + ["AUGN TECHNOLOGY, INC CMN"] * 3, None),
        # 9115676: three of four alike, the last the spelling in words, read once: nothing settles it.
        (["CROWDSTRIKE HOLOINGS, INC. CMN"] * 3 + ["CROWDSTRIKE HOLDINGS, INC. CMN"], None),
        # 9115676: two other sizes agree and one does not (a digit in dispute): nothing settles it.
        (["BUTLER CNTY OHIO TRANSN IMPT REV 4%12/01/25JD..", "BUTLER CNTY OHIO TRANSN IMPT REV 4%12/01/25JD",
          "BUTLER CNTY OHIO TRANSN IMPT REV 496 12/01/25JD..", "BUTLER CNTY OHIO TRANSN IMPT REV 49 12/01/25JD"], None),
        # Made up: the other sizes agree on another digit of a bond's maturity; not theirs to settle.
        (["ELYRIA OHIO DB 4% 12/01/25 JD"] + ["ELYRIA OHIO DB 4% 12/07/25 JD"] * 3, None),
    ],
)
def test_the_other_sizes_agreeing_settle_a_name_in_letters_unless_the_first_read_is_the_spelling_in_words(
        reads: list[str], settled: str | None) -> None:
    assert _settled(reads, []) == settled


def test_a_date_is_settled_only_by_every_read() -> None:
    assert _settled(["07/02/24"] * 4, None) == "07/02/24"
    # 8220570: a blurred 07/28/24 (by eye, most likely) read 07/29/24 at the three other sizes.
    assert _settled(["07/28/24", "07/29/24", "07/29/24", "07/29/24"], None) is None
