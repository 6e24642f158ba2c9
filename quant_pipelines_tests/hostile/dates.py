"""Date ranges no entry point may accept: malformed, impossible, reversed, too early, not over yet."""

from __future__ import annotations

from datetime import date, timedelta


def bad_ranges(today: date) -> list[tuple[str, str, str | None, str]]:
    """(id, start, end, what the refusal says), relative to ``today`` (UTC)."""
    newest = today - timedelta(days=1)
    tomorrow = (today + timedelta(days=1)).isoformat()
    return [
        ("slashes", "2026/06/01", None, "start date '2026/06/01' is not a date in YYYY-MM-DD form"),
        ("empty", "", None, "start date '' is not a date in YYYY-MM-DD form"),
        ("not-a-day", "2026-02-30", None, "start date '2026-02-30' is not a calendar date"),
        ("bad-end", "2026-06-01", "2026-13-01", "end date '2026-13-01' is not a calendar date"),
        ("reversed", "2026-06-05", "2026-06-01", "start date 2026-06-05 is after end date 2026-06-01"),
        ("before-2012", "2011-12-31", "2012-01-02",
         "start date 2011-12-31 is before the first partition 2012-01-01 (electronic PTRs begin in 2012)"),
        ("today", newest.isoformat(), today.isoformat(),
         f"end date {today} is in the future or not over yet: the newest partition is {newest}"),
        ("future", tomorrow, None,
         f"end date {tomorrow} is in the future or not over yet: the newest partition is {newest}"),
    ]
