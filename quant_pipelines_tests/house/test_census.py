"""The independent count of a PTR's transaction anchors, on lines as the text layer gives them."""

from __future__ import annotations

from collections import Counter

from quant_pipelines.house.documents.census import census, disagreement
from quant_pipelines.house.documents.pdf_text import Run


def _line(*texts: str) -> list[Run]:
    return [Run(1, 500.0, 20.0 + 100 * index, text, 0) for index, text in enumerate(texts)]


def test_anchors_in_every_layout_and_nothing_else() -> None:
    lines = [
        _line("ID Owner Asset Transaction", "Date Notification", "Amount"),
        _line("SP Cheniere Energy, Inc. (LNg) S 03/3/2017 03/3/2017 $500,001 - $1,000,000"),  # 2017, one run
        _line("SP ohio St. Cap Facs Lease appropriations", "S 06/2/2017 06/29/2017 $1,001 - $15,000"),
        _line("JT Apple Inc. (AAPL) [ST] S (partial) 02/15/2023 02/22/2023 $15,001 -"),
        _line("Glued Corp. [ST] S(partial) 02/15/2023 02/22/2023 $1,001 - $15,000"),
        _line("D: Purchased 50 call options with an expiration date of 1/17/25."),
        _line("Digitally Signed: Hon. Michael R. Turner , 03/8/2017"),
        _line("P 01/02/202601/05/2026 $1,001 - $15,000 P 01/03/2026 01/05/2026"),  # two on one line, glued dates
    ]
    assert census(lines) == Counter({1: 1, 2: 1, 3: 1, 4: 1, 7: 2})


def test_disagreement_says_how_the_counts_differ() -> None:
    anchors = Counter({1: 1, 2: 1, 5: 1})
    assert disagreement(anchors, Counter({1: 1, 2: 1, 5: 1})) is None
    assert disagreement(anchors, Counter({1: 1, 6: 1})) == (
        "the text holds 3 transaction anchor(s), the parser made 2 row(s); "
        "2 anchor(s) without a row; 1 row(s) without an anchor"
    )
