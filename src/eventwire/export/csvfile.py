"""Plain CSV: one row per event, the flat columns of :data:`eventwire.export.fields.FLAT_COLUMNS`."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from .fields import FLAT_COLUMNS, flat, safe_row


def write(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=FLAT_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    n = 0
    for ev in events:
        w.writerow(safe_row(flat(ev)))  # spreadsheet formulas made inert, as the API does
        n += 1
    return n
