"""Hostile input, generated (no binary blobs): one module per format, each case with what a
correct reader must say about it. The tests of every entry point draw from here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest


def cases(table: Iterable[Sequence[object]]) -> list:
    """A table of (id, *values) rows as pytest parameters named by their id."""
    return [pytest.param(*values, id=str(case_id)) for case_id, *values in table]
