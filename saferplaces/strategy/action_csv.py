"""Reading and writing action plans as CSV. Pure functions: no database access here.

The file has one action per row, with these columns (the header row is required):

    reference              required; unique within the file and the plan
    title                  required
    description            optional
    aims                   aim codes such as "1.2; 1.3" (priority number . aim number)
    lead_organisation      required; an organisation's short name or full name
    partner_organisations  short or full names separated by ";"
    lead_officer           a person's name or email address
    start_date             YYYY-MM-DD or DD/MM/YYYY
    due_date               required; YYYY-MM-DD or DD/MM/YYYY
    status                 not_started, on_track, at_risk, off_track, complete, cancelled
                           (or their labels, e.g. "On track")
    progress               whole number 0-100

Optional columns may be left out of the file: an existing action then keeps its value.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

COLUMNS = (
    "reference",
    "title",
    "description",
    "aims",
    "lead_organisation",
    "partner_organisations",
    "lead_officer",
    "start_date",
    "due_date",
    "status",
    "progress",
)
REQUIRED_COLUMNS = ("reference", "title", "lead_organisation", "due_date", "status")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Lookups:
    """What names in the file may refer to, keyed by lower-case text."""

    organisations: Mapping[str, int]
    aims: Mapping[str, int]
    officers: Mapping[str, int]
    statuses: Mapping[str, str]


@dataclass
class ActionRow:
    """A validated row: ids resolved, dates parsed. Only the columns present are set."""

    line: int
    reference: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CsvFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def parse_date(text: str) -> datetime.date:
    """Parse YYYY-MM-DD or DD/MM/YYYY; raise ValueError with a plain message otherwise."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def read_csv_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            [RowError(1, "the file is not UTF-8 text; save it from your spreadsheet as "
                         "'CSV UTF-8'")]
        ) from exc


def _records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    return read_records(text, COLUMNS, REQUIRED_COLUMNS)


def read_records(text: str, columns: Sequence[str], required: Sequence[str],
                 ) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and (line, {column: cell}) for each non-blank row of CSV text.

    Raises CsvFileError naming line 1 for an unusable header (unknown, missing or repeated
    columns). A row with the wrong number of cells comes back as {"__width__": n}, so the
    caller can report it with the row's other problems.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError([RowError(1, "the file is empty")]) from None
    except csv.Error as exc:
        raise CsvFileError([RowError(1, f"cannot read the header: {exc}")]) from None
    header = [h.strip().lower() for h in header]
    problems = []
    unknown = [h for h in header if h not in columns]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)}")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(f"repeated column(s) {', '.join(duplicated)}")
    if problems:
        raise CsvFileError([RowError(1, "; ".join(problems) + f". Columns: {', '.join(columns)}")])

    records = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvFileError([RowError(line, f"cannot read the row: {exc}")]) from None
        if any(cell.strip() for cell in cells):
            if len(cells) != len(header):
                records.append((line, {"__width__": str(len(cells))}))
            else:
                records.append((line, dict(zip(header, cells, strict=True))))
        line = reader.line_num + 1
    return header, records


def _resolve_names(names: Iterable[str], table: Mapping[str, int], what: str) -> list[int]:
    ids, unknown = [], []
    for name in names:
        key = name.lower()
        if key in table:
            ids.append(table[key])
        else:
            unknown.append(name)
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(repr(u) for u in unknown)}")
    return ids


def _validate_record(header: list[str], record: dict[str, str], lookups: Lookups) -> dict:
    """Turn one record into field values; raise ValueError listing every problem in it."""
    values: dict = {}
    problems: list[str] = []
    for column in header:
        raw = record[column].strip()
        try:
            if column in REQUIRED_COLUMNS and not raw:
                raise ValueError(f"{column} is required")
            if column in ("reference", "title", "description"):
                values[column] = raw
            elif column == "aims":
                values["aims"] = sorted(_resolve_names(split_list(raw), lookups.aims, "aim"))
            elif column == "lead_organisation":
                values["lead_organisation"] = _resolve_names(
                    [raw], lookups.organisations, "organisation")[0]
            elif column == "partner_organisations":
                values["partner_organisations"] = sorted(
                    _resolve_names(split_list(raw), lookups.organisations, "organisation"))
            elif column == "lead_officer":
                values["lead_officer"] = (
                    _resolve_names([raw], lookups.officers, "officer")[0] if raw else None
                )
            elif column in ("start_date", "due_date"):
                values[column] = parse_date(raw) if raw else None
            elif column == "status":
                if raw.lower() not in lookups.statuses:
                    raise ValueError(
                        f"unknown status '{raw}' (use one of "
                        f"{', '.join(sorted(set(lookups.statuses.values())))})")
                values["status"] = lookups.statuses[raw.lower()]
            elif column == "progress":
                values["progress"] = _parse_progress(raw)
        except ValueError as exc:
            problems.append(str(exc))
    start, due = values.get("start_date"), values.get("due_date")
    if start and due and due < start:
        problems.append("due_date is before start_date")
    if problems:
        raise ValueError("; ".join(problems))
    return values


def _parse_progress(raw: str) -> int:
    if not raw:
        return 0
    try:
        value = int(raw.rstrip("%"))
    except ValueError:
        raise ValueError(f"progress '{raw}' is not a whole number") from None
    if not 0 <= value <= 100:
        raise ValueError(f"progress {value} is not between 0 and 100")
    return value


def parse_actions(data: bytes, lookups: Lookups) -> tuple[list[ActionRow], list[RowError]]:
    """Validate a whole action CSV file. Returns the good rows and every error, by line."""
    try:
        header, records = _records(read_csv_text(data))
    except CsvFileError as exc:
        return [], exc.errors
    rows: list[ActionRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    for line, record in records:
        if "__width__" in record:
            errors.append(RowError(
                line, f"has {record['__width__']} cells but the header has {len(header)}"))
            continue
        try:
            values = _validate_record(header, record, lookups)
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        reference = values.pop("reference")
        key = reference.lower()
        if key in first_line_of:
            errors.append(RowError(
                line, f"duplicate reference '{reference}' (first on line {first_line_of[key]})"))
            continue
        first_line_of[key] = line
        rows.append(ActionRow(line=line, reference=reference, values=values))
    if not records and not errors:
        errors.append(RowError(2, "the file has a header but no actions"))
    return rows, errors


def write_actions(records: Iterable[Mapping[str, object]]) -> str:
    """CSV text for actions given as mappings of column name to value (lists become 'a; b')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        row = []
        for column in COLUMNS:
            value = record.get(column)
            if value is None:
                row.append("")
            elif isinstance(value, (list, tuple)):
                row.append(f"{LIST_SEPARATOR} ".join(str(v) for v in value))
            elif isinstance(value, datetime.date):
                row.append(value.isoformat())
            else:
                row.append(str(value))
        writer.writerow(row)
    return out.getvalue()
