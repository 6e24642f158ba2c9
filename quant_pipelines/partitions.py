"""The one daily partitions definition and the validation of user-supplied date ranges.

A partition is the day a report was filed (disclosure date), in UTC. A day becomes a
partition once it is over, so the newest partition is always yesterday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import dagster as dg

PARTITIONS_START = date(2012, 1, 1)

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=PARTITIONS_START.isoformat(), timezone="UTC", fmt="%Y-%m-%d"
)

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateRangeError(ValueError):
    """A date or date range that cannot be materialized; the message is one line."""


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of partition days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def partition_keys(self) -> list[str]:
        return [(self.start + timedelta(days=i)).isoformat() for i in range(self.days)]

    @property
    def dagster_range(self) -> str:
        """The ``START...END`` form Dagster's ``--partition-range`` takes."""
        return f"{self.start.isoformat()}...{self.end.isoformat()}"

    def __str__(self) -> str:
        """The one notation people read: inclusive ``START..END``."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def window_label(start: date, end_exclusive: date) -> str:
    """An end-exclusive window as people read it: inclusive ``START..END``."""
    return str(DateRange(start, end_exclusive - timedelta(days=1)))


def last_complete_day(now: datetime | None = None) -> date:
    """The newest day that is a partition: yesterday in UTC."""
    return (now or datetime.now(UTC)).astimezone(UTC).date() - timedelta(days=1)


def parse_day(value: str, label: str = "date") -> date:
    """Parse a strict YYYY-MM-DD string."""
    text = (value or "").strip()
    if not _ISO_DAY.match(text):
        raise DateRangeError(f"{label} {value!r} is not a date in YYYY-MM-DD form")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateRangeError(f"{label} {value!r} is not a calendar date") from None


def parse_date_range(
    start: str,
    end: str | None = None,
    *,
    now: datetime | None = None,
    max_days: int | None = None,
) -> DateRange:
    """Validate a user-supplied range: ISO dates, start <= end, within the partitions, not too long.

    ``end`` defaults to ``start`` (a single day).
    """
    first = parse_day(start, "start date")
    last = parse_day(end, "end date") if end is not None else first
    newest = last_complete_day(now)
    if first > last:
        raise DateRangeError(f"start date {first} is after end date {last}")
    if first < PARTITIONS_START:
        raise DateRangeError(
            f"start date {first} is before the first partition {PARTITIONS_START} "
            "(electronic PTRs begin in 2012)"
        )
    if last > newest:
        raise DateRangeError(
            f"end date {last} is in the future or not over yet: the newest partition is {newest}"
        )
    window = DateRange(first, last)
    if max_days is not None and window.days > max_days:
        raise DateRangeError(
            f"range {window} covers {window.days} days, more than the allowed {max_days}"
        )
    return window
