"""The one CSV writer: every CSV the platform writes (downloads and command output) goes
through ``csv_text``, so a rule for all of them (such as escaping cells a spreadsheet would read
as formulas) has one place to live."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with ``header`` first, one line per row, "\\n" line ends; None becomes an
    empty cell and every other value its ``str``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()
