"""Reading and writing action plans as CSV. Pure functions: no database access here.

Files are read by ``core.csv_records`` (UTF-8, line numbers, numbers). Here each cell is
parsed and names are resolved; the rules an action must keep are the web form's, applied by
``services.import_actions``. The file has one action per row, with these columns (the header
row is required):

    reference              required; unique within the file and the plan
    title                  required
    description            optional
    aims                   aim codes such as "1.2; 1.3" (priority number . aim number);
                           a new action needs at least one
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

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from saferplaces.core.csv_output import csv_text
from saferplaces.core.csv_records import (
    CsvFileError,
    LineError,
    Record,
    parse_whole,
    read_records,
)

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
#: The most actions one file may hold: the import stays well inside a web request's 30 s
#: (bench/action_import.py); a larger plan is imported in several files.
MAX_ACTIONS = 50_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def parse_date(text: str) -> datetime.date:
    """Parse YYYY-MM-DD or DD/MM/YYYY; raise ValueError with a plain message otherwise."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):  # the usual form, read without strptime's cost
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


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


def _cell_value(column: str, raw: str, lookups: Lookups) -> object:
    """The field value of one cell; raise ValueError with a plain message."""
    if column in REQUIRED_COLUMNS and not raw:
        raise ValueError(f"{column} is required")
    if column in ("reference", "title", "description"):
        return raw
    if column == "aims":
        return sorted(_resolve_names(split_list(raw), lookups.aims, "aim"))
    if column == "lead_organisation":
        return _resolve_names([raw], lookups.organisations, "organisation")[0]
    if column == "partner_organisations":
        return sorted(_resolve_names(split_list(raw), lookups.organisations, "organisation"))
    if column == "lead_officer":
        return _resolve_names([raw], lookups.officers, "officer")[0] if raw else None
    if column in ("start_date", "due_date"):
        return parse_date(raw) if raw else None
    if column == "status":
        if raw.lower() not in lookups.statuses:
            raise ValueError(f"unknown status '{raw}' (use one of "
                             f"{', '.join(sorted(set(lookups.statuses.values())))})")
        return lookups.statuses[raw.lower()]
    # progress: a percentage such as 40 or 40%; its range is the model's rule
    return parse_whole(raw.removesuffix("%"), "progress") if raw else 0


def _record_values(file: str, record: Record, lookups: Lookups,
                   errors: list[LineError]) -> dict | None:
    """One record's field values, or None with each bad cell added to ``errors``."""
    values: dict = {}
    ok = True
    for column, cell in record.cells.items():
        try:
            values[column] = _cell_value(column, cell, lookups)
        except ValueError as exc:
            errors.append(LineError(file, record.line, column, str(exc)))
            ok = False
    return values if ok else None


def parse_actions(data: bytes, lookups: Lookups, file: str = ""
                  ) -> tuple[list[ActionRow], list[LineError]]:
    """Read a whole action CSV file: cells parsed and names resolved. Returns the good rows
    and every error, by line.

    The rules an action must keep (lengths, lead not also a partner, dates in order, progress
    up to 100) are the web form's, applied by ``services.import_actions`` to these rows.
    """
    try:
        parsed = read_records(data, COLUMNS, REQUIRED_COLUMNS, file)
    except CsvFileError as exc:
        return [], [exc.error]
    if len(parsed.records) > MAX_ACTIONS:
        return [], [LineError(file, 0, "", f"the file has {len(parsed.records):,} actions; at "
                                           f"most {MAX_ACTIONS:,} are imported at once, so "
                                           "split it into smaller files")]
    rows: list[ActionRow] = []
    errors = list(parsed.errors)
    first_line_of: dict[str, int] = {}
    for record in parsed.records:
        values = _record_values(file, record, lookups, errors)
        if values is None:
            continue
        reference = values.pop("reference")
        key = reference.lower()
        if key in first_line_of:
            errors.append(LineError(
                file, record.line, "reference",
                f"duplicate reference '{reference}' (first on line {first_line_of[key]})"))
            continue
        first_line_of[key] = record.line
        rows.append(ActionRow(line=record.line, reference=reference, values=values))
    if not parsed.records and not errors:
        errors.append(LineError(file, 2, "", "the file has a header but no actions"))
    errors.sort(key=lambda error: error.line)
    return rows, errors


def write_actions(records: Iterable[Mapping[str, object]]) -> str:
    """CSV text for actions given as mappings of column name to value (lists become 'a; b')."""
    return csv_text(COLUMNS, ([_cell(record.get(column)) for column in COLUMNS]
                              for record in records))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
