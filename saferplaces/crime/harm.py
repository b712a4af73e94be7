"""Harm weights per police.uk crime type: the CCHI 2020 roll-up, weight files, harm totals.

Pure functions: no database access here (``harm_store`` does the writes). See
``docs/harm-weights.md`` for the rule, the citation and the decisions taken.

The Cambridge Crime Harm Index (CCHI) scores each *offence* (a Home Office classification,
one row per ATHENA offence) in days of imprisonment. police.uk publishes 14 broad street-level
*categories*. The saferplaces rule turns one into the other:

1. Join each CCHI row to a Home Office (HO) offence code: the workbook's
   ``CLASSIFICATION_CODE`` with ``/`` read as ``.`` (``4/3`` is HO code ``4.3``).
2. Each HO offence code of the crime-sim-toolkit mapping (``Offence_Code``; the compound
   homicide code ``1/4.1/4.10/4.2`` pools the CCHI rows of its parts) gets the **lower
   median** CCHI score of its CCHI rows: the middle score, or for an even number of rows the
   lower of the two middle ones. So every code's score is one a real CCHI offence has, and a
   code split between common minor and rare grave forms is not scored at a midpoint no
   offence has (code 59: two 2-day "threats to damage" rows and two 1,460-day explosives rows
   would otherwise score 731).
3. Each police.uk category gets the **mean of its codes' medians weighted by the number of
   offences of each code recorded by the police in England and Wales in 2017/18** (Home Office
   PRC PFA table), so the weight reflects the typical offence mix of the category. Rounded to
   2 decimal places.
4. Codes with no CCHI row (or no recorded offences) are left out and listed as warnings, as
   are CCHI codes the mapping does not know (``NN``, ``ASB``, ``NFIB``, ...).
5. Anti-social behaviour has no CCHI score: it gets weight 0, so it adds nothing to harm
   totals while still being a known, deliberate entry (never a "missing" weight).
"""

from __future__ import annotations

import functools
import gzip
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from saferplaces.core.csv_output import csv_text
from saferplaces.core.csv_records import (
    MAX_WHOLE,
    CsvFileError,
    LineError,
    Record,
    parse_number,
    parse_whole,
    read_records,
    read_table,
)
from saferplaces.crime import categories

DATA_DIR = Path(__file__).resolve().parent / "data"
CCHI_WORKBOOK = DATA_DIR / "cchi2020dataxls.xlsx"
OFFENCE_MAPPING_CSV = DATA_DIR / "ho_offence_code_to_policeuk_category_CrimeCatMappings.csv"
PRC_COUNTS_CSV = DATA_DIR / "prc-pfa-201718_new.csv.gz"
CCHI_WEIGHTS_CSV = DATA_DIR / "harm_weights_cchi2020.csv"

CCHI_SHEET = "CCHI 2020 values sheet"
CCHI_SCORE_COLUMN = "CCHI Score"
CCHI_CODE_COLUMN = "CLASSIFICATION_CODE"
CCHI_COLUMNS = ("ATHENA URN", "SHORT_TITLE", CCHI_SCORE_COLUMN, CCHI_CODE_COLUMN,
                "HOME_OFFICE_CLASSIFICATION")
MAPPING_COLUMNS = ("Offence_Code", "Offence_Description", "Offence_Subgroup", "Police.uk_Cat")
PRC_COLUMNS = ("Offence_Code", "Number_of_Offences")

# The 14 crime types exactly as police.uk street-level CSVs spell them today.
ANTI_SOCIAL_BEHAVIOUR = categories.ASB
POLICE_UK_CRIME_TYPES: tuple[str, ...] = categories.CURRENT_TYPES
# Mostly found by police activity (stop and search, patrols) rather than reported by victims.
# The CCHI excludes proactively detected offences; we keep their weights but say so.
PROACTIVE_CRIME_TYPES: tuple[str, ...] = ("Drugs", "Possession of weapons")

CCHI_2020_TABLE_NAME = "CCHI 2020 (saferplaces rule)"
CCHI_2020_UNIT = "days of imprisonment"
CCHI_2020_DESCRIPTION = (
    "Cambridge Crime Harm Index 2020 rolled up to the 14 police.uk street-level crime types: "
    "per Home Office offence code the lower median CCHI score of its CCHI rows; per police.uk "
    "category the mean of its codes' medians weighted by offences recorded in England and "
    "Wales in 2017/18. Anti-social behaviour has no CCHI score and weighs 0. Drugs and "
    "possession of weapons are mostly found by proactive policing, which the CCHI excludes. "
    "See docs/harm-weights.md."
)
CCHI_2020_CITATION = (
    "Cambridge Crime Harm Index 2020 update (cchi2020dataxls.xlsx), Copyright Cambridge Centre "
    "for Evidence-Based Policing 2020; free to use for research with attribution. "
    "Sherman, L., Neyroud, P. W. and Neyroud, E. (2016) 'The Cambridge Crime Harm Index: "
    "measuring total harm from crime based on sentencing guidelines', Policing 10(3):171-183, "
    "doi:10.1093/police/paw003. Offence mapping: crime-sim-toolkit 1.5.0 CrimeCatMappings.csv "
    "(MIT). Counts: Home Office police recorded crime, PFA open data table 2017/18 (Open "
    "Government Licence v3.0)."
)
ASB_NOTE = (
    "No CCHI score: police.uk anti-social behaviour incidents are not notifiable crimes and "
    "carry no sentence. Weight 0 keeps them out of harm totals on purpose; report ASB volume "
    "separately."
)
WEIGHT_DECIMALS = 2
WEIGHTS_CSV_COLUMNS = ("crime_type", "weight", "note")
NOTE_MAX_LENGTH = 300  # HarmWeight.note


class HarmDataError(ValueError):
    """A source file (workbook, mapping, counts) is not in the shape the derivation needs."""


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


_CRIME_TYPES_BY_KEY = {_key(name): name for name in POLICE_UK_CRIME_TYPES}


def canonical_crime_type(name: str) -> str | None:
    """The police.uk spelling of a crime type, matched ignoring case and spacing; else None.

    >>> canonical_crime_type("Violence and Sexual Offences")
    'Violence and sexual offences'
    """
    return _CRIME_TYPES_BY_KEY.get(_key(name))


def normalise_offence_code(value: object) -> str:
    """A Home Office offence code in the mapping's spelling: ``4/3`` -> ``4.3``, 66 -> ``66``.

    Do not pass compound mapping codes (``1/4.1/4.10/4.2``): split them on "/" first.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().upper().replace("/", ".")


# ---------------------------------------------------------------------------------------------
# Reading the sources


@dataclass(frozen=True)
class CchiOffence:
    """One row of the CCHI 2020 values sheet."""

    row: int  # spreadsheet row number
    urn: str
    title: str
    score: float
    code: str  # normalised HO code, e.g. "4.3"
    raw_code: str  # as in the sheet, e.g. "4/3"
    ho_classification: str


@dataclass(frozen=True)
class OffenceCode:
    """One row of the HO offence code -> police.uk category mapping."""

    code: str  # as published (and as in the PRC tables), e.g. "1/4.1/4.10/4.2"
    parts: tuple[str, ...]  # the CCHI codes it covers, e.g. ("1", "4.1", "4.10", "4.2")
    description: str
    subgroup: str
    crime_type: str  # police.uk spelling


def read_cchi_workbook(path: Path | str = CCHI_WORKBOOK) -> list[CchiOffence]:
    """The offence rows of the CCHI 2020 workbook (sheet "CCHI 2020 values sheet")."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if CCHI_SHEET not in workbook.sheetnames:
            raise HarmDataError(f"{path}: no sheet called {CCHI_SHEET!r}")
        rows = workbook[CCHI_SHEET].iter_rows(values_only=True)
        header = next(rows, None) or ()
        return cchi_offences_from_rows(header, rows, source=str(path))
    finally:
        workbook.close()


def cchi_offences_from_rows(header: Iterable[object], rows: Iterable[Iterable[object]],
                            source: str = "CCHI sheet") -> list[CchiOffence]:
    """CCHI rows from a header and value rows (as openpyxl gives them); blank rows skipped."""
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [c for c in CCHI_COLUMNS if c not in names]
    if missing:
        raise HarmDataError(f"{source}: missing column(s) {', '.join(missing)}")
    index = {c: names.index(c) for c in CCHI_COLUMNS}
    offences = []
    for number, values in enumerate(rows, start=2):
        values = list(values)
        if not any(v not in (None, "") for v in values):
            continue

        def cell(column: str, values: list = values) -> object:
            i = index[column]
            return values[i] if i < len(values) else None

        score = cell(CCHI_SCORE_COLUMN)
        if isinstance(score, str):
            try:
                score = float(score)
            except ValueError:
                score = None
        if isinstance(score, bool) or not isinstance(score, int | float) or score < 0:
            raise HarmDataError(f"{source}: row {number}: {CCHI_SCORE_COLUMN} "
                                f"{cell(CCHI_SCORE_COLUMN)!r} is not a non-negative number")
        raw_code = cell(CCHI_CODE_COLUMN)
        code = normalise_offence_code(raw_code)
        if not code:
            raise HarmDataError(f"{source}: row {number}: no {CCHI_CODE_COLUMN}")
        offences.append(CchiOffence(
            row=number, urn=str(cell("ATHENA URN") or ""), title=str(cell("SHORT_TITLE") or ""),
            score=float(score), code=code, raw_code=str(raw_code).strip(),
            ho_classification=str(cell("HOME_OFFICE_CLASSIFICATION") or ""),
        ))
    return offences


def _csv_rows(data: bytes, required: Iterable[str], source: str):
    """(line, {column: cell}) for each row of a bundled source file, read by core.csv_records."""
    try:
        table = read_table(data, source)
    except CsvFileError as exc:
        raise HarmDataError(str(exc)) from None
    if table.errors:
        raise HarmDataError(str(table.errors[0]))
    names = [name.strip() for name in table.header]
    missing = [c for c in required if c not in names]
    if missing:
        raise HarmDataError(f"{source}: missing column(s) {', '.join(missing)}")
    for row in table.rows:
        yield row.line, dict(zip(names, row.cells, strict=True))


def _read_bytes(path: Path | str) -> bytes:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return handle.read()


def read_offence_mapping(path: Path | str = OFFENCE_MAPPING_CSV) -> list[OffenceCode]:
    """The HO offence code -> police.uk category mapping (crime-sim-toolkit)."""
    return offence_mapping_from_csv(_read_bytes(path), source=str(path))


def offence_mapping_from_csv(data: bytes, source: str = "mapping") -> list[OffenceCode]:
    mapping: list[OffenceCode] = []
    seen: dict[str, int] = {}
    for line, row in _csv_rows(data, MAPPING_COLUMNS, source):
        code = (row["Offence_Code"] or "").strip()
        category = canonical_crime_type(row["Police.uk_Cat"] or "")
        if not code:
            raise HarmDataError(f"{source}: line {line}: no Offence_Code")
        if category is None:
            raise HarmDataError(f"{source}: line {line}: {row['Police.uk_Cat']!r} is not a "
                                "police.uk crime type")
        parts = tuple(normalise_offence_code(p) for p in code.split("/") if p.strip())
        for part in parts:
            if part in seen:
                raise HarmDataError(f"{source}: line {line}: code {part} already on line "
                                    f"{seen[part]}")
            seen[part] = line
        mapping.append(OffenceCode(code=code, parts=parts,
                                   description=(row["Offence_Description"] or "").strip(),
                                   subgroup=(row["Offence_Subgroup"] or "").strip(),
                                   crime_type=category))
    return mapping


def read_prc_counts(path: Path | str = PRC_COUNTS_CSV) -> dict[str, int]:
    """Recorded offences per HO offence code, summed over every force and quarter in the file.

    Keys are the codes as published (``1/4.1/4.10/4.2``, ``37.1``), upper case. Single rows
    may be negative (the Home Office records reclassified crimes as negative counts in a later
    quarter); only a negative total is an error.
    """
    return prc_counts_from_csv(_read_bytes(path), source=str(path))


def prc_counts_from_csv(data: bytes, source: str = "counts") -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for line, row in _csv_rows(data, PRC_COLUMNS, source):
        try:  # a single row may be negative (see read_prc_counts)
            number = parse_whole(row["Number_of_Offences"], "Number_of_Offences",
                                 minimum=-MAX_WHOLE)
        except ValueError as exc:
            raise HarmDataError(f"{source}: line {line}: {exc}") from None
        counts[(row["Offence_Code"] or "").strip().upper()] += number
    negative = sorted(code for code, total in counts.items() if total < 0)
    if negative:
        raise HarmDataError(f"{source}: negative total for code(s) {', '.join(negative)}")
    return dict(counts)


# ---------------------------------------------------------------------------------------------
# The derivation


@dataclass(frozen=True)
class WeightRow:
    crime_type: str
    weight: float
    note: str = ""


@dataclass(frozen=True)
class CodeWeight:
    """How one HO offence code entered the derivation."""

    code: str
    description: str
    crime_type: str
    cchi_rows: int
    median: float | None  # lower median of its CCHI scores; None when it has no CCHI row
    count: int | None  # offences recorded in 2017/18; None when the counts file lacks the code

    @property
    def used(self) -> bool:
        return self.median is not None and bool(self.count)


@dataclass(frozen=True)
class Derivation:
    rows: tuple[WeightRow, ...]
    warnings: tuple[str, ...]
    codes: tuple[CodeWeight, ...] = ()

    def weights(self) -> dict[str, float]:
        return {row.crime_type: row.weight for row in self.rows}


def derive_category_weights(offences: Iterable[CchiOffence], mapping: Iterable[OffenceCode],
                            counts: Mapping[str, int],
                            decimals: int = WEIGHT_DECIMALS) -> Derivation:
    """One weight per police.uk crime type, by the rule in this module's docstring."""
    mapping = list(mapping)
    by_code: dict[str, list[CchiOffence]] = defaultdict(list)
    for offence in offences:
        by_code[offence.code].append(offence)
    counts = {code.strip().upper(): n for code, n in counts.items()}

    warnings: list[str] = []
    mapped_parts = {part for m in mapping for part in m.parts}
    for code in sorted(set(by_code) - mapped_parts, key=_code_sort_key):
        rows = by_code[code]
        scores = sorted({o.score for o in rows})
        warnings.append(
            f"CCHI code {rows[0].raw_code} ({len(rows)} row{'s' if len(rows) != 1 else ''}, "
            f"e.g. {rows[0].title!r}, scores {_fmt(scores[0])}-{_fmt(scores[-1])}) is not in "
            "the HO code -> police.uk mapping: left out")

    codes: list[CodeWeight] = []
    for m in mapping:
        rows = [o for part in m.parts for o in by_code.get(part, ())]
        median = statistics.median_low(o.score for o in rows) if rows else None
        count = counts.get(m.code.upper())
        codes.append(CodeWeight(code=m.code, description=m.description, crime_type=m.crime_type,
                                cchi_rows=len(rows), median=median, count=count))
        if m.crime_type == ANTI_SOCIAL_BEHAVIOUR:
            continue
        if median is None:
            warnings.append(f"HO code {m.code} ({m.description}; {m.crime_type}; "
                            f"{_count_text(count)} in 2017/18) has no CCHI 2020 row: left out")
        elif count is None:
            warnings.append(f"HO code {m.code} ({m.description}; {m.crime_type}) has no 2017/18 "
                            "recorded count: left out")
        elif count == 0:
            warnings.append(f"HO code {m.code} ({m.description}; {m.crime_type}) had no "
                            "offences recorded in 2017/18: adds nothing")

    result: list[WeightRow] = []
    for crime_type in POLICE_UK_CRIME_TYPES:
        if crime_type == ANTI_SOCIAL_BEHAVIOUR:
            result.append(WeightRow(crime_type, 0.0, ASB_NOTE))
            continue
        mine = [c for c in codes if c.crime_type == crime_type]
        used = [c for c in mine if c.used]
        if not used:
            warnings.append(f"{crime_type}: no HO offence code with both a CCHI score and a "
                            "2017/18 count, so no weight")
            continue
        total = sum(c.count for c in used)
        weight = round(sum(c.median * c.count for c in used) / total, decimals)
        all_offences = sum(c.count or 0 for c in mine)
        rows_used = sum(c.cchi_rows for c in used)
        if len(used) == 1:
            note = (f"Lower-median CCHI score of HO offence code {used[0].code} ({rows_used} CCHI "
                    f"rows); {total:,} offences recorded in England and Wales in 2017/18")
        else:
            note = (f"Mean of the lower-median CCHI scores of {len(used)} HO offence codes "
                    f"({rows_used} CCHI rows), weighted by their {total:,} offences recorded in "
                    f"England and Wales in 2017/18")
        if total != all_offences:
            note += f" ({_share(total, all_offences)} of the category's {all_offences:,})"
        left_out = len(mine) - len(used)
        if left_out:
            note += (f"; {left_out} code{'s' if left_out != 1 else ''} without a CCHI score or "
                     "a count left out")
        result.append(WeightRow(crime_type, weight, note + "."))
    return Derivation(rows=tuple(result), warnings=tuple(warnings), codes=tuple(codes))


def derive_cchi2020(workbook: Path | str = CCHI_WORKBOOK,
                    mapping: Path | str = OFFENCE_MAPPING_CSV,
                    counts: Path | str = PRC_COUNTS_CSV) -> Derivation:
    """Derive the CCHI 2020 category weights from the workbook, mapping and counts files."""
    return derive_category_weights(read_cchi_workbook(workbook), read_offence_mapping(mapping),
                                   read_prc_counts(counts))


@functools.cache
def bundled_cchi2020() -> Derivation:
    """The derivation from the files bundled in ``saferplaces/crime/data`` (cached)."""
    return derive_cchi2020()


def _code_sort_key(code: str) -> tuple:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (not code[:1].isdigit(), int(digits) if digits else 0, code)


def _fmt(number: float) -> str:
    return f"{number:g}"


def _count_text(count: int | None) -> str:
    if count is None:
        return "no count"
    return f"{count:,} offence{'' if count == 1 else 's'}"


def _share(part: int, whole: int) -> str:
    if not whole:
        return "n/a"
    share = 100 * part / whole
    return ">99.9%" if 99.9 < share < 100 else f"{share:.1f}%"


# ---------------------------------------------------------------------------------------------
# Weight files: crime_type,weight[,note]


def format_weight(weight: float) -> str:
    text = f"{weight:.{WEIGHT_DECIMALS}f}"
    return text if float(text) == weight else repr(weight)


def format_weights_csv(rows: Iterable[WeightRow]) -> str:
    """Weights as CSV text with the header ``crime_type,weight,note`` ("\\n" line ends)."""
    return csv_text(WEIGHTS_CSV_COLUMNS,
                    ([row.crime_type, format_weight(row.weight), row.note] for row in rows))


@dataclass
class WeightsFile:
    """A parsed weights file. ``rows`` is empty whenever ``errors`` is not."""

    rows: list[WeightRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _weight_row(record: Record, file: str, first_line: dict[str, int]
                ) -> tuple[WeightRow | None, list[LineError]]:
    """One record as a WeightRow, or None and what is wrong with it."""
    cells = record.cells
    raw_type = cells["crime_type"].strip()
    note = cells.get("note", "").strip()
    errors = []

    def refuse(column: str, message: str) -> None:
        errors.append(LineError(file, record.line, column, message))

    crime_type = canonical_crime_type(raw_type)
    if not raw_type:
        refuse("crime_type", "no crime_type")
    elif crime_type is None:
        refuse("crime_type", f"unknown crime type {raw_type!r} (expected one of: "
                             f"{', '.join(POLICE_UK_CRIME_TYPES)})")
    elif crime_type in first_line:
        refuse("crime_type", f"{crime_type!r} already given on line {first_line[crime_type]}")
    weight = None
    try:
        weight = parse_number(cells["weight"], "weight")
        if weight < 0:
            refuse("weight", f"weight '{cells['weight'].strip()}' must be 0 or more")
    except ValueError as exc:
        refuse("weight", str(exc))
    if len(note) > NOTE_MAX_LENGTH:
        refuse("note", f"note longer than {NOTE_MAX_LENGTH} characters")
    if errors:
        return None, errors
    return WeightRow(crime_type, weight, note), []


def parse_weights_csv(data: bytes, file: str = "") -> WeightsFile:
    """Validate a whole weights file; nothing is returned in ``rows`` if any line is wrong.

    Columns (header required, any order, any case): ``crime_type`` (a police.uk crime type,
    any case), ``weight`` (a number, 0 or more) and optionally ``note``. Each crime type at
    most once. The file is read by ``core.csv_records``. Crime types the file leaves out are
    listed in ``warnings`` (they will have no weight).
    """
    result = WeightsFile()
    try:
        parsed = read_records(data, WEIGHTS_CSV_COLUMNS, ("crime_type", "weight"), file)
    except CsvFileError as exc:
        result.errors.append(exc.error)
        return result
    result.errors.extend(parsed.errors)
    rows: list[WeightRow] = []
    first_line: dict[str, int] = {}
    for record in parsed.records:
        row, errors = _weight_row(record, file, first_line)
        result.errors.extend(errors)
        if row is not None:
            first_line[row.crime_type] = record.line
            rows.append(row)
    if not parsed.records and not result.errors:
        result.errors.append(LineError(file, 2, "", "no weights in the file"))
    if result.errors:
        result.errors.sort(key=lambda error: error.line)
        return result
    result.rows = rows
    absent = [t for t in POLICE_UK_CRIME_TYPES if t not in first_line]
    if absent:
        result.warnings.append("no weight for: " + ", ".join(absent))
    return result


# ---------------------------------------------------------------------------------------------
# Harm totals


@dataclass(frozen=True)
class HarmTotal:
    """Σ count × weight, with what could not be weighted reported rather than counted as 0."""

    total: float
    by_type: dict[str, float]  # harm per crime type that has a weight
    missing: dict[str, int]  # crime types with a count but no weight -> their count
    excluded: dict[str, int]  # crime types left out on request -> their count

    @property
    def complete(self) -> bool:
        return not self.missing


def harm_total(weights: Mapping[str, float], counts: Mapping[str, int],
               exclude: Iterable[str] = ()) -> HarmTotal:
    """The harm of ``counts`` (crime type -> number of crimes) under ``weights``.

    Crime types match ignoring case and spacing. A crime type counted but without a weight is
    listed in ``missing`` (and adds nothing to ``total``); ``exclude`` names crime types to
    leave out deliberately, e.g. ``PROACTIVE_CRIME_TYPES``.
    """
    weight_by_key = {_key(name): float(value) for name, value in weights.items()}
    excluded_keys = {_key(name) for name in exclude}
    by_type: dict[str, float] = {}
    missing: dict[str, int] = {}
    excluded: dict[str, int] = {}
    for crime_type, count in counts.items():
        if count < 0:
            raise ValueError(f"negative count for {crime_type!r}")
        key = _key(crime_type)
        if key in excluded_keys:
            excluded[crime_type] = excluded.get(crime_type, 0) + count
        elif key in weight_by_key:
            by_type[crime_type] = by_type.get(crime_type, 0.0) + count * weight_by_key[key]
        elif count:
            missing[crime_type] = missing.get(crime_type, 0) + count
    return HarmTotal(total=math.fsum(by_type.values()), by_type=by_type, missing=missing,
                     excluded=excluded)
