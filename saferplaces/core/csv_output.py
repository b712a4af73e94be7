"""The one CSV writer: every CSV the platform writes (downloads and command output) goes
through ``csv_text``, so a rule for all of them has one place to live.

Formula injection (the OWASP rule): a spreadsheet runs a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, so such a text cell is written with a
leading ``'``, which spreadsheets show as text. The rule is by value type: numbers (int, float,
Decimal) are written as they are, so -3 or -0.5 in a numeric column stay numbers; every other
value is written as its text, escaped when it starts like a formula. Text that already starts
with ``'`` followed by such a character (``'=x``) gets one more ``'``, so that
``csv_records`` (which takes exactly one ``'`` off such cells) reads back what was written.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = "=+-@\t\r"
#: Text that needs the escape: any run of quotes, then a formula character.
_NEEDS_ESCAPE = re.compile(r"'*[" + re.escape(FORMULA_STARTS) + "]")
ESCAPE = "'"


def needs_escape(text: str) -> bool:
    """True for text a spreadsheet would read as a formula, or that starts like an escaped
    cell ("'=x"), so reading it back would take a quote off."""
    return _NEEDS_ESCAPE.match(text) is not None


def safe_cell(value: object) -> object:
    """The cell to write for ``value``: "" for None, numbers unchanged, other values as text
    with a leading ``'`` when ``needs_escape``."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    return ESCAPE + text if needs_escape(text) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with ``header`` first, one line per row, "\\n" line ends; None becomes an
    empty cell, numbers their ``str``, and text is escaped as the module says."""
    out = io.StringIO()
    # Python's writer quotes a cell holding a line break only if the break is in its line
    # terminator, so it writes "\r\n" (quoting cells with a lone "\r" too), then each row's
    # "\r\n" is turned into "\n".
    writer = csv.writer(out, lineterminator="\r\n")
    for row in itertools.chain([header], rows):
        writer.writerow([safe_cell(value) for value in row])
        out.seek(out.tell() - 2)
        out.write("\n")
        out.truncate()
    return out.getvalue()


def xlsx_text_stays_text(cells: Iterable[object]) -> None:
    """For openpyxl cells just written: text starting with "=" is stored as text, not a
    formula (openpyxl would otherwise write it as one). XLSX text cells are never evaluated,
    so they need no ``'``."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"
