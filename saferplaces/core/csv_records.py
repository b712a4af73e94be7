"""Reading the CSV files people give us: one set of rules for every importer.

Actions, indicator values, peer data, harm weights, geography lookups, population and
deprivation files are all read here (the police.uk crime ingest reads with pyarrow for speed).
The rules:

- Text is UTF-8, with or without a byte order mark. Anything else is refused, naming the line
  of the first byte that is not UTF-8 wherever it is in the file. A NUL character is refused
  with its line.
- The first row is the header. Lines are physical lines, the header being line 1, so a quoted
  cell holding a line break moves the numbers on as a text editor would.
- A cell written with ``core.csv_output``'s formula escape (a ``'`` before text starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return, or before such an escaped text) is read as
  exactly the text after that ``'``: export then import is exact. Every other cell is read
  without the white space around it.
- Blank rows are skipped. A row with fewer cells than the header, or with non-empty cells past
  it, is an error on its line; empty cells past the header (a trailing comma) are ignored.
- Numbers are digits with an optional sign, decimals and exponent; commas may separate
  thousands ("1,234.5") but must do it properly ("1,2,3" is refused). Whether an empty cell is
  allowed is the caller's choice.

Whole-file problems raise ``CsvFileError``; row problems are ``LineError`` values the caller
collects. Pure functions: no database access here.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from saferplaces.core.csv_output import ESCAPE, needs_escape

#: The largest whole number a database integer column holds (PositiveIntegerField).
MAX_WHOLE = 2_147_483_647

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class LineError:
    """One reason to refuse a file: where (file, line, column) and why.

    ``line`` is 0 for a problem with the whole file (or, for GeoJSON, a feature named in the
    message); ``column`` is the column's name when one cell is at fault, else "".
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.line:
            parts.append(f"line {self.line}")
        parts.append(self.message)
        return ": ".join(parts)


class CsvFileError(ValueError):
    """The file as a whole cannot be read: encoding, NUL, no header, a bad header."""

    def __init__(self, error: LineError):
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class CsvRow:
    """A non-blank row: its physical line and exactly as many cells as the header, each read
    by ``cell_text``."""

    line: int
    cells: list[str]


@dataclass
class CsvTable:
    """A CSV file's header (as written) and rows; ``errors`` holds rows refused for their
    shape, which are left out of ``rows``."""

    file: str
    header: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


@dataclass(frozen=True)
class Record:
    """A row of a file with known columns: {lower-case column name: cell (``cell_text``)}."""

    line: int
    cells: dict[str, str]


@dataclass
class RecordFile:
    """A file with known columns: its header (lower case, in file order) and records."""

    file: str
    header: list[str]
    records: list[Record] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _line_of(prefix: str | bytes) -> int:
    """The 1-based line on which the text after ``prefix`` starts."""
    pattern = _LINE_BREAK_BYTES if isinstance(prefix, bytes) else _LINE_BREAK
    return len(pattern.findall(prefix)) + 1


def decode(data: bytes, file: str = "") -> str:
    """The text of a file in UTF-8 (a byte order mark is dropped).

    Raises CsvFileError naming the line of the first byte that is not UTF-8, or of the first
    NUL character.
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(body[:exc.start])
        raise CsvFileError(LineError(
            file, line, "", f"byte 0x{body[exc.start]:02X} is not UTF-8 text; save the file "
                            "as UTF-8 (in a spreadsheet: 'CSV UTF-8')")) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise CsvFileError(LineError(file, _line_of(text[:nul]), "",
                                     "contains a NUL character, which text files never hold"))
    return text


def cell_text(raw: str) -> str:
    """A cell as the importers see it: the text after the formula escape ``'`` when the cell
    has one (the inverse of ``csv_output.safe_cell``), else the cell without surrounding
    white space."""
    if raw.startswith(ESCAPE) and needs_escape(raw[1:]):
        return raw[1:]
    return raw.strip()


def _shape_error(file: str, line: int, cells: list[str], width: int) -> LineError | None:
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        return LineError(file, line, "", f"has {len(cells)} cells but the header has {width}")
    return None


def read_table(data: bytes, file: str = "") -> CsvTable:
    """Read a CSV file with a header row by the rules above.

    Raises CsvFileError for an unreadable file, an empty one or a blank header row.
    """
    reader = csv.reader(io.StringIO(decode(data, file), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError(LineError(file, 1, "", "the file is empty; a CSV file with a "
                                                  "header row is needed")) from None
    except csv.Error as exc:
        raise CsvFileError(LineError(file, 1, "", f"not readable as CSV: {exc}")) from None
    if not any(cell.strip() for cell in header):
        raise CsvFileError(LineError(file, 1, "", "the header row is blank"))
    table = CsvTable(file, header)
    width = len(header)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.errors.append(LineError(file, line, "", f"not readable as CSV: {exc}"))
            break
        if any(cell.strip() for cell in cells):
            error = _shape_error(file, line, cells, width)
            if error is not None:
                table.errors.append(error)
            else:
                table.rows.append(CsvRow(line, [cell_text(cell) for cell in cells[:width]]))
        line = reader.line_num + 1
    return table


def read_records(data: bytes, columns: Sequence[str], required: Sequence[str],
                 file: str = "") -> RecordFile:
    """Read a file whose header names known columns (any case, any order).

    Raises CsvFileError at line 1 when the header has an unknown, missing required or
    repeated column, listing the columns a file may have.
    """
    table = read_table(data, file)
    header = [name.strip().lower() for name in table.header]
    while header and not header[-1]:  # a trailing comma after the last name
        header.pop()
    problems = []
    unknown = [name or "(blank)" for name in header if name not in columns]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)}")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.append(f"repeated column(s) {', '.join(repeated)}")
    if problems:
        raise CsvFileError(LineError(file, 1, "", "; ".join(problems)
                                     + f". Columns: {', '.join(columns)}"))
    result = RecordFile(file, header, errors=list(table.errors))
    for row in table.rows:
        error = _shape_error(file, row.line, row.cells, len(header))
        if error is not None:
            result.errors.append(error)
        else:
            result.records.append(Record(row.line, dict(zip(header, row.cells, strict=False))))
    return result


def parse_number(text: str, column: str) -> float:
    """A finite number: "1234.5", "-3", "1,234.5", "2e3". Raises ValueError naming the column.

    Commas must separate groups of three digits, so "1,2,3" and "1234,5" are refused rather
    than read as 123 or 12345. An empty cell is refused too: callers that allow one check first.
    """
    raw = text.strip()
    if not raw:
        raise ValueError(f"{column} is empty")
    if not _NUMBER.fullmatch(raw):
        raise ValueError(f"{column} '{raw}' is not a number")
    number = float(raw.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(f"{column} '{raw}' is not a finite number")
    return number


def parse_whole(text: str, column: str, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    """A whole number from ``minimum`` to ``maximum``: "1,563" and "12.0" are fine."""
    raw = text.strip()
    number = parse_number(raw, column)
    if not number.is_integer():
        raise ValueError(f"{column} '{raw}' is not a whole number")
    if number < minimum:
        raise ValueError(f"{column} '{raw}' must be {minimum} or more")
    if number > maximum:
        raise ValueError(f"{column} '{raw}' must be {maximum:,} or less")
    return int(number)
