"""Progress of one source's documents, as INFO lines every ~10 s in the step's log (which
`quant-pipelines materialize` echoes to stdout, prefixed with the step):

    [house_filings] 40/120 documents, fetched 30, already archived 8, failed 2; 2.9 fetched/s, ETA 28 s
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

REPORT_EVERY_SECONDS = 10.0


class Progress:
    """Counts listed, fetched, already archived and failed documents; reports at most every 10 s."""

    def __init__(
        self, log: logging.Logger | logging.LoggerAdapter,
        every: float = REPORT_EVERY_SECONDS, clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log, self.every, self.clock = log, every, clock
        self.listed = self.fetched = self.archived = self.failed = 0
        self.started = self.reported = clock()

    def listing(self, listed: int, window: str) -> None:
        """The window's listing is read: say how many documents it names."""
        self.listed, self.started = listed, self.clock()
        self.log.info("%d document%s listed for %s", listed, "" if listed == 1 else "s", window)

    def count(self, outcome: str) -> None:
        """One document done: ``fetched``, ``archived`` (already had it) or ``failed``."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        if self.clock() - self.reported >= self.every:
            self.report()

    def report(self) -> None:
        """Log the progress line now."""
        self.reported = self.clock()
        self.log.info("%s", self.line())

    def line(self) -> str:
        """Done of listed, by outcome, with fetch rate and the time left at that rate."""
        done = self.fetched + self.archived + self.failed
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.fetched / elapsed
        left = self.listed - done
        eta = f"ETA {left / rate:.0f} s" if rate > 0 and left > 0 else ("done" if left <= 0 else "ETA unknown")
        return (
            f"{done}/{self.listed} documents, fetched {self.fetched}, already archived "
            f"{self.archived}, failed {self.failed}; {rate:.1f} fetched/s, {eta}"
        )
