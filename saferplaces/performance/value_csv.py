"""Reading indicator values from CSV. Pure functions: no database access here.

The file has one value per row, with these columns (the header row is required):

    indicator    required; the indicator's code within the partnership, e.g. PV1
    period       required; as periods.parse_period reads it: 2020-09 (a month), 2020-Q3 or
                 2020/21 Q3 (a financial quarter: 2020-Q3 is October-December 2020), 2020/21
                 (a financial year). It must match the indicator's frequency.
    value        required; a number
    numerator    optional number: the count behind a rate or percentage
    denominator  optional number: the population or total behind it
    commentary   optional text

Optional columns may be left out of the file: an existing value then keeps what it has.
Indicators are looked up through a ``Lookups`` object built by the caller (see
``performance.importing.lookups_for``), so this module never touches the database.

Peer data (``parse_peers``) has one peer area's figure per row, every column required:

    indicator    the indicator's code within the partnership
    period       as for values, matching the indicator's frequency
    area_code    the peer area's GSS code, e.g. E22000340
    area_name    the peer area's name, e.g. Walsall
    count        a whole number, 0 or more
    population   a whole number, more than 0 ("1,234" is allowed)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from saferplaces.areas.gss import GSS_HINT, is_gss_code
from saferplaces.core import periods
from saferplaces.core.csv_records import (
    CsvFileError,
    LineError,
    Record,
    parse_number,
    parse_whole,
    read_records,
)

COLUMNS = ("indicator", "period", "value", "numerator", "denominator", "commentary")
REQUIRED_COLUMNS = ("indicator", "period", "value")
OPTIONAL_NUMBERS = ("numerator", "denominator")
PEER_COLUMNS = ("indicator", "period", "area_code", "area_name", "count", "population")

MAX_NAME_LENGTH = 200  # PeerGroupMember.name

_MAX_CODES_LISTED = 20

__all__ = [
    "COLUMNS",
    "PEER_COLUMNS",
    "REQUIRED_COLUMNS",
    "IndicatorInfo",
    "Lookups",
    "PeerRow",
    "ValueRow",
    "parse_peers",
    "parse_values",
]


@dataclass(frozen=True)
class IndicatorInfo:
    """What the parser needs to know about one indicator."""

    pk: int
    code: str
    frequency: str
    source: str
    peer_group: str | None = None  # the name of the peer group it compares with, if any


@dataclass(frozen=True)
class Lookups:
    """The partnership's indicators, keyed by lower-case code."""

    indicators: Mapping[str, IndicatorInfo]


@dataclass
class ValueRow:
    """A validated row. ``values`` holds the optional columns present in the file
    (numerator, denominator: float or None; commentary: str)."""

    line: int
    indicator: IndicatorInfo
    period: periods.Period
    value: float
    values: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str]:
        return self.indicator.pk, self.period.code

    @property
    def label(self) -> str:
        return f"{self.indicator.code} {self.period.code}"


@dataclass
class PeerRow:
    """A validated row of peer data."""

    line: int
    indicator: IndicatorInfo
    period: periods.Period
    area_code: str
    area_name: str
    count: int
    population: int

    @property
    def key(self) -> tuple[int, str, str]:
        return self.indicator.pk, self.area_code, self.period.code

    @property
    def label(self) -> str:
        return f"{self.indicator.code} {self.area_code} {self.period.code}"


def _unknown_indicator(code: str, lookups: Lookups) -> str:
    codes = sorted(info.code for info in lookups.indicators.values())
    if not codes:
        return f"unknown indicator '{code}': this partnership has no indicators"
    if len(codes) > _MAX_CODES_LISTED:
        return f"unknown indicator '{code}' in this partnership"
    return f"unknown indicator '{code}' (this partnership's codes: {', '.join(codes)})"


def _period(text: str, info: IndicatorInfo | None, problems: list[str]) -> periods.Period | None:
    """The row's period, which must suit the indicator's frequency (None, with the problem
    added to ``problems``, when it is missing, unreadable or of the wrong kind)."""
    period_text = text.strip()
    if not period_text:
        problems.append("period is required")
        return None
    try:
        period = periods.parse_period(period_text)
    except ValueError as exc:
        problems.append(str(exc))
        return None
    if info is not None:
        wanted = periods.FREQUENCY_KINDS.get(info.frequency)
        if wanted is not None and period.kind != wanted:
            problems.append(f"period '{period_text}' is {periods.KIND_NAMES[period.kind]} but "
                            f"{info.code} is {info.frequency}: "
                            f"use {periods.KIND_EXAMPLES[wanted]}")
            return None
    return period


def _validate_record(header: list[str], record: Record, lookups: Lookups) -> ValueRow:
    """Turn one record into a ValueRow; raise ValueError listing every problem."""
    cells = record.cells
    problems: list[str] = []
    info: IndicatorInfo | None = None
    period: periods.Period | None = None
    value: float | None = None
    values: dict = {}

    code = cells["indicator"].strip()
    if not code:
        problems.append("indicator is required")
    elif code.lower() not in lookups.indicators:
        problems.append(_unknown_indicator(code, lookups))
    else:
        info = lookups.indicators[code.lower()]
        if info.source == "computed":
            problems.append(f"indicator {info.code} is computed from the evidence base and "
                            "cannot take imported values (use 'saferplaces indicators "
                            "recompute')")

    period = _period(cells["period"], info, problems)

    raw_value = cells["value"].strip()
    if not raw_value:
        problems.append("value is required")
    else:
        try:
            value = parse_number(raw_value, "value")
        except ValueError as exc:
            problems.append(str(exc))

    for column in OPTIONAL_NUMBERS:
        if column in header:
            raw = cells[column].strip()
            try:
                values[column] = parse_number(raw, column) if raw else None
            except ValueError as exc:
                problems.append(str(exc))
    if "commentary" in header:
        values["commentary"] = cells["commentary"].strip()

    if problems:
        raise ValueError("; ".join(problems))
    return ValueRow(line=record.line, indicator=info, period=period, value=value, values=values)


def parse_values(data: bytes, lookups: Lookups, file: str = ""
                 ) -> tuple[list[ValueRow], list[LineError]]:
    """Validate a whole indicator-values CSV file. Returns the good rows and every error, by
    line. A file with any error should be refused as a whole."""
    try:
        parsed = read_records(data, COLUMNS, REQUIRED_COLUMNS, file)
    except CsvFileError as exc:
        return [], [exc.error]
    rows: list[ValueRow] = []
    errors = list(parsed.errors)
    first_line_of: dict[tuple[int, str], int] = {}
    for record in parsed.records:
        line = record.line
        try:
            row = _validate_record(parsed.header, record, lookups)
        except ValueError as exc:
            errors.append(LineError(file, line, "", str(exc)))
            continue
        if row.key in first_line_of:
            errors.append(LineError(
                file, line, "", f"duplicate value for {row.indicator.code} {row.period.code} "
                                f"(first on line {first_line_of[row.key]})"))
            continue
        first_line_of[row.key] = line
        rows.append(row)
    if not parsed.records and not errors:
        errors.append(LineError(file, 2, "", "the file has a header but no values"))
    errors.sort(key=lambda error: error.line)
    return rows, errors


def _validate_peer_record(record: Record, lookups: Lookups, group: str) -> PeerRow:
    """Turn one peer record into a PeerRow; raise ValueError listing every problem."""
    cells = record.cells
    problems: list[str] = []
    info: IndicatorInfo | None = None
    numbers: dict[str, int] = {}

    code = cells["indicator"].strip()
    if not code:
        problems.append("indicator is required")
    elif code.lower() not in lookups.indicators:
        problems.append(_unknown_indicator(code, lookups))
    else:
        info = lookups.indicators[code.lower()]
        if info.peer_group is not None and info.peer_group != group:
            problems.append(f"indicator {info.code} already compares with group "
                            f"'{info.peer_group}'")

    period = _period(cells["period"], info, problems)

    area_code = cells["area_code"].strip().upper()
    if not area_code:
        problems.append("area_code is required")
    elif not is_gss_code(area_code):
        problems.append(f"area_code '{cells['area_code'].strip()}' is not a GSS code "
                        f"({GSS_HINT})")
    area_name = " ".join(cells["area_name"].split())
    if not area_name:
        problems.append("area_name is required")
    elif len(area_name) > MAX_NAME_LENGTH:
        problems.append(f"area_name is longer than {MAX_NAME_LENGTH} characters")

    for column, minimum in (("count", 0), ("population", 1)):
        raw = cells[column].strip()
        if not raw:
            problems.append(f"{column} is required")
            continue
        try:
            numbers[column] = parse_whole(raw, column, minimum)
        except ValueError as exc:
            problems.append(str(exc))

    if problems:
        raise ValueError("; ".join(problems))
    return PeerRow(line=record.line, indicator=info, period=period, area_code=area_code,
                   area_name=area_name, count=numbers["count"],
                   population=numbers["population"])


def parse_peers(data: bytes, lookups: Lookups, group: str, file: str = ""
                ) -> tuple[list[PeerRow], list[LineError]]:
    """Validate a whole peer-data CSV file for the peer group named ``group``. Returns the good
    rows and every error, by line. A file with any error should be refused as a whole.

    Besides each row's own checks, an indicator that already compares with another group, a
    repeated (indicator, area_code, period) and an area given two different names are errors.
    """
    try:
        parsed = read_records(data, PEER_COLUMNS, PEER_COLUMNS, file)
    except CsvFileError as exc:
        return [], [exc.error]
    rows: list[PeerRow] = []
    errors = list(parsed.errors)
    first_line_of: dict[tuple[int, str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}
    for record in parsed.records:
        line = record.line
        try:
            row = _validate_peer_record(record, lookups, group)
        except ValueError as exc:
            errors.append(LineError(file, line, "", str(exc)))
            continue
        if row.key in first_line_of:
            errors.append(LineError(
                file, line, "", f"duplicate peer value for {row.label} (first on line "
                                f"{first_line_of[row.key]})"))
            continue
        named, named_on = names.setdefault(row.area_code, (row.area_name, line))
        if named != row.area_name:
            errors.append(LineError(
                file, line, "area_name", f"area {row.area_code} is called '{row.area_name}' "
                                         f"here but '{named}' on line {named_on}"))
            continue
        first_line_of[row.key] = line
        rows.append(row)
    if not parsed.records and not errors:
        errors.append(LineError(file, 2, "", "the file has a header but no peer values"))
    errors.sort(key=lambda error: error.line)
    return rows, errors
