"""Importing police.uk files: find them, read them with pyarrow, validate every row, then
replace each (force, month, kind) in one transaction.

Reading and validation are vectorised (pyarrow.compute) so that a million-row file takes seconds;
the database sees only aggregated counts, plus individual rows for the partnerships' own LSOAs.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import importlib
import io
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import OperationalError, transaction

from saferplaces.areas.gss import GSS_PATTERN
from saferplaces.core import periods
from saferplaces.core.imports import BUSY_MESSAGE, database_busy
from saferplaces.crime import bulk, categories, formats
from saferplaces.crime.models import (
    CrimeCount,
    CrimeImport,
    CrimeRecord,
    LastOutcomeCount,
    OutcomeCount,
    OutcomeRecord,
    StopSearch,
)


class _OnFirstUse:
    """A module imported when first used: pyarrow with numpy takes about 0.2 s to import, more
    than a small street file takes to import without them (crime/street_rows.py)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


np = _OnFirstUse("numpy")
pa = _OnFirstUse("pyarrow")
pc = _OnFirstUse("pyarrow.compute")
pv = _OnFirstUse("pyarrow.csv")


class _NoPandas:
    """An import finder that refuses pandas (see _skip_pandas_probe)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("pandas is not needed by the crime import", name=name)
        return None


@functools.cache
def _skip_pandas_probe() -> None:
    """pyarrow imports pandas (half a second) the first time it converts a Python value,
    only to ask whether the value is a pandas object; the importer never passes one. Let that
    first probe find no pandas. pyarrow imports pandas again when asked for a pandas result
    (to_pandas), and importing pandas directly is unaffected."""
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.scalar(False)
    finally:
        sys.meta_path.remove(finder)


MAX_REPORTED_ERRORS = 20
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
LSOA_PATTERN = GSS_PATTERN
READ_BLOCK_SIZE = 4 << 20  # bytes per parsing block: pyarrow's 1 MB default is slower here
COORDINATES = ("Longitude", "Latitude", "longitude", "latitude")
# Columns with few distinct values, read dictionary-encoded: grouping by them is then about
# four times faster than grouping by a million strings.
LABELS = ("Month", "Reported by", "Falls within", "LSOA code", "Crime type",
          "Last outcome category", "Outcome type")


# ---------------------------------------------------------------------------------------------
# Finding files


@dataclass
class Source:
    """A CSV to import: a file on disk, or a member of a police.uk archive zip."""

    name: str
    read_bytes: Callable[[], bytes]
    path: Path | None = None  # a .csv or .csv.gz on disk, which pyarrow reads directly

    def head(self) -> bytes:
        """The first 64 KB of the (uncompressed) text."""
        if self.path is None:
            return self.read_bytes()[:65536]
        opener = gzip.open if self.path.suffix == ".gz" else open
        with opener(self.path, "rb") as handle:
            return handle.read(65536)

    def arrow_input(self):
        return str(self.path) if self.path is not None else pa.BufferReader(self.read_bytes())


def _file_source(path: Path) -> Source:
    def read() -> bytes:
        raw = path.read_bytes()
        return gzip.decompress(raw) if path.suffix == ".gz" else raw

    return Source(str(path), read, path)


def _zip_sources(path: Path) -> Iterator[Source]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
    for member in names:
        def read(member=member) -> bytes:
            with zipfile.ZipFile(path) as archive:
                return archive.read(member)
        yield Source(f"{path}:{member}", read)


def discover(paths: Iterable[str | Path]) -> tuple[list[Source], list[str]]:
    """Every CSV (plain, .csv.gz, or inside a zip) under the given paths, and the paths that
    could not be used (missing, or not a CSV/zip)."""
    sources: list[Source] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _importable(p))
            if not found:
                problems.append(f"{path}: no .csv, .csv.gz or .zip files in this folder")
            for child in found:
                sources.extend(_zip_sources(child) if child.suffix == ".zip"
                               else [_file_source(child)])
        elif not path.exists():
            problems.append(f"{path}: no such file or folder")
        elif path.suffix.lower() == ".zip":
            try:
                sources.extend(_zip_sources(path))
            except zipfile.BadZipFile:
                problems.append(f"{path}: not a valid zip archive")
        elif _importable(path):
            sources.append(_file_source(path))
        else:
            problems.append(f"{path}: not a .csv, .csv.gz or .zip file")
    return sources, problems


def _importable(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".csv", ".csv.gz", ".zip"))


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass
class BatchReport:
    force: str
    month: datetime.date
    kind: str
    rows: int
    points: int = 0
    without_location: int = 0
    replaced: bool = False


@dataclass
class FileReport:
    name: str
    format_name: str = ""
    rows: int = 0
    batches: list[BatchReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    busy: bool = False  # the database stayed locked by another writer: nothing written

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def summary(self, dry_run: bool = False) -> str:
        if self.busy:
            return f"{self.name}: {BUSY_MESSAGE}"
        if self.refused:
            return f"{self.name}: refused, nothing written: {self.errors[0]}" + (
                f" (and {len(self.errors) - 1} more problem(s))" if len(self.errors) > 1 else "")
        parts = []
        for b in self.batches:
            text = f"{b.force} {b.month:%Y-%m} {b.kind}: {b.rows:,} rows"
            if b.without_location:
                text += f" ({b.without_location:,} without a location)"
            if b.points:
                text += f", {b.points:,} kept as points"
            if b.replaced:
                text += ", replacing the earlier import"
            parts.append(text)
        verb = "valid (dry run)" if dry_run else "imported"
        notes = f" [{'; '.join(self.notes)}]" if self.notes else ""
        return f"{self.name}: {verb}: {'; '.join(parts)}{notes}"


class FileRefused(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "refused")
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# Reading and validating


def _read_table(fmt_columns: Iterable[str], source: Source) -> pa.Table:
    """Coordinates as float64 when every value there is a number, LABELS dictionary-encoded,
    every other column as strings (empty → null). Rows with the wrong number of cells refuse
    the file, naming their lines."""
    _skip_pandas_probe()
    labels = {c: pa.dictionary(pa.int32(), pa.string()) for c in LABELS if c in fmt_columns}
    numbers = {c: pa.float64() for c in COORDINATES if c in fmt_columns}
    if numbers:
        try:  # fast path: reading numbers directly saves building a million strings
            return _read_csv(fmt_columns, source, {**labels, **numbers})
        except pa.ArrowInvalid as exc:
            if "conversion error" not in str(exc).lower():
                raise _unreadable(source, exc) from None
        # a value that is not a number: read it as text, so that validation names its line
    return _read_csv(fmt_columns, source, labels)


def _read_csv(fmt_columns: Iterable[str], source: Source, types: dict) -> pa.Table:
    bad_rows: list[tuple[int | None, int, int]] = []

    def on_invalid(row):
        bad_rows.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    convert = pv.ConvertOptions(column_types={c: types.get(c, pa.string()) for c in fmt_columns},
                                strings_can_be_null=True, null_values=[""],
                                quoted_strings_can_be_null=True)
    parse = pv.ParseOptions(invalid_row_handler=on_invalid)
    read = pv.ReadOptions(block_size=READ_BLOCK_SIZE)
    try:
        table = pv.read_csv(source.arrow_input(), convert_options=convert, parse_options=parse,
                            read_options=read)
    except pa.ArrowInvalid as exc:
        if types and "conversion error" in str(exc).lower() and not _bad_encoding(exc):
            raise
        raise _unreadable(source, exc) from None
    if bad_rows:
        # Row numbers are only known when parsing on one thread; re-read to name the lines.
        bad_rows.clear()
        pv.read_csv(source.arrow_input(), convert_options=convert,
                    read_options=pv.ReadOptions(use_threads=False), parse_options=parse)
        raise FileRefused([
            f"line {number}: {actual} cells where the header has {expected}"
            for number, expected, actual in bad_rows[:MAX_REPORTED_ERRORS]
        ] + _more(len(bad_rows)))
    return table.unify_dictionaries()  # one dictionary per column, as grouping needs


def _text(column):
    """A dictionary-encoded column decoded to strings (for the kernels that need them)."""
    return pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column


def _decoded(table: pa.Table) -> pa.Table:
    """The table with every dictionary-encoded column decoded to strings."""
    return pa.table({name: _text(table[name]) for name in table.column_names})


def _bad_encoding(exc: pa.ArrowInvalid) -> bool:
    return "invalid utf8" in str(exc).lower()


def _unreadable(source: Source, exc: pa.ArrowInvalid) -> FileRefused:
    """Why pyarrow could not read the file, with the line: pyarrow reports by block, so the
    line is found by reading the bytes again with slower readers that count lines."""
    data = source.read_bytes()
    if _bad_encoding(exc):
        return FileRefused([_locate_encoding_error(data)])
    return FileRefused([_locate_parse_error(data, str(exc))])


def _locate_encoding_error(data: bytes) -> str:
    """The line of the first byte that is not UTF-8, found by the one text decoder."""
    from saferplaces.core.csv_records import CsvFileError, decode

    try:
        decode(data)
    except CsvFileError as exc:
        return f"line {exc.error.line}: {exc.error.message}"
    return "the file is not UTF-8 text"


def _locate_parse_error(data: bytes, message: str) -> str:
    """Find the line the CSV parser choked on with Python's csv module, for the message."""
    import csv

    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for _ in reader:
            pass
    except csv.Error as exc:
        return f"line {reader.line_num}: cannot read the row ({exc})"
    return f"cannot read the file: {message.splitlines()[0]}"


def _more(total: int) -> list[str]:
    if total > MAX_REPORTED_ERRORS:
        return [f"... {total - MAX_REPORTED_ERRORS} more bad rows not listed"]
    return []


def _check(table: pa.Table, failures: pa.ChunkedArray | pa.Array, reason: str,
           errors: list[tuple[int, str]]) -> None:
    """Record `reason` for every row where `failures` is true (line = row index + 2)."""
    failures = pc.fill_null(failures, False)  # a missing value is checked separately
    indices = pc.indices_nonzero(failures).to_pylist()
    for index in indices[:MAX_REPORTED_ERRORS]:
        errors.append((index + 2, reason))
    if len(indices) > MAX_REPORTED_ERRORS:
        errors.append((indices[MAX_REPORTED_ERRORS] + 2,
                       f"{reason} ({len(indices) - MAX_REPORTED_ERRORS} more rows like this)"))


def _coordinates(table: pa.Table, lon_col: str, lat_col: str,
                 errors: list[tuple[int, str]]) -> tuple[pa.Array, pa.Array]:
    lon_text, lat_text = table[lon_col], table[lat_col]
    if pa.types.is_floating(lon_text.type) and pa.types.is_floating(lat_text.type):
        lon, lat = lon_text, lat_text
    else:
        lon, lat = _as_numbers(lon_text), _as_numbers(lat_text)
    if lon is not None and lat is not None and \
            pc.all(pc.equal(pc.is_valid(lon), pc.is_valid(lat))).as_py() is not False:
        _check(table, pc.or_kleene(pc.invert(pc.less_equal(pc.abs(lon), 180)),
                                   pc.invert(pc.less_equal(pc.abs(lat), 90))),
               "longitude or latitude out of range", errors)
        return lon, lat
    number = r"^-?[0-9]+(\.[0-9]+)?$"
    for column, values in ((lon_col, lon), (lat_col, lat)):
        if values is None:  # some value in this text column is not a number
            text = table[column]
            _check(table, pc.and_kleene(pc.is_valid(text),
                                        pc.invert(pc.match_substring_regex(text, number))),
                   f"{column} is not a number", errors)
    _check(table, pc.not_equal(pc.is_valid(lon_text), pc.is_valid(lat_text)),
           "has only one of longitude and latitude", errors)
    if errors:
        return None, None
    _check(table, pc.or_kleene(pc.greater(pc.abs(lon), 180), pc.greater(pc.abs(lat), 90)),
           "longitude or latitude out of range", errors)
    return lon, lat


def _as_numbers(column) -> pa.ChunkedArray | None:
    """The text column as float64, or None when some value is not a number."""
    try:
        return pc.cast(column, pa.float64())
    except pa.ArrowInvalid:
        return None


def _require(table: pa.Table, column: str, errors: list[tuple[int, str]]) -> None:
    _check(table, pc.is_null(table[column]), f"{column} is empty", errors)


def _all_match(column, pattern: str) -> bool:
    """True when every distinct non-empty value matches: checking the few distinct values is
    much faster than checking a million rows, which is only done to name the bad lines."""
    distinct = _text(pc.drop_null(pc.unique(column)))
    return pc.all(pc.match_substring_regex(distinct, pattern)).as_py() is not False


def _month_check(table: pa.Table, column: str, errors: list[tuple[int, str]]) -> None:
    _require(table, column, errors)
    if _all_match(table[column], MONTH_PATTERN):
        return
    _check(table, pc.and_kleene(pc.is_valid(table[column]),
                                pc.invert(pc.match_substring_regex(_text(table[column]),
                                                                   MONTH_PATTERN))),
           f"{column} is not a month (YYYY-MM)", errors)


def _lsoa_check(table: pa.Table, column: str, errors: list[tuple[int, str]]) -> None:
    codes = table[column]
    if _all_match(codes, LSOA_PATTERN):
        return
    _check(table, pc.and_kleene(pc.is_valid(codes),
                                pc.invert(pc.match_substring_regex(_text(codes),
                                                                   LSOA_PATTERN))),
           f"{column} is not an LSOA code", errors)


def _raise_if(errors: list[tuple[int, str]]) -> None:
    if errors:
        errors.sort()
        lines = [f"line {line}: {reason}" for line, reason in errors]
        if len(lines) > MAX_REPORTED_ERRORS:
            lines = lines[:MAX_REPORTED_ERRORS] + [
                f"... and {len(lines) - MAX_REPORTED_ERRORS} more problems not listed"]
        raise FileRefused(lines)


@dataclass
class Prepared:
    """A validated file, normalised to the columns the writer needs."""

    kind: str
    table: pa.Table  # normalised column names (see the _prepare_* functions)
    notes: list[str] = field(default_factory=list)
    format_name: str = ""


def _new_values(column, known: Iterable[str]) -> list[str]:
    """The column's distinct non-empty values that are not in `known`, sorted."""
    distinct = _text(pc.drop_null(pc.unique(column)))
    unknown = distinct.filter(pc.invert(pc.is_in(distinct, value_set=pa.array(list(known)))))
    return sorted(unknown.to_pylist())


def _crime_type_check(table: pa.Table, column: str, known: Iterable[str],
                      allow_new_types: bool, errors: list[tuple[int, str]],
                      notes: list[str]) -> list[str]:
    """Refuse, with their lines, values of `column` that are not police.uk crime categories
    (see crime/categories.py), unless new types are allowed; returns the new values."""
    new = _new_values(table[column], known)
    if new and allow_new_types:
        notes.append(f"new crime type(s) accepted: {', '.join(new)}")
    elif new:
        text = _text(table[column])
        for value in new:
            _check(table, pc.equal(text, value),
                   f"{column} {value!r} is not one of police.uk's crime categories "
                   "(--allow-new-types accepts it)", errors)
    return new


def _prepare_street(table: pa.Table, allow_new_types: bool = False) -> Prepared:
    errors: list[tuple[int, str]] = []
    notes: list[str] = []
    _month_check(table, "Month", errors)
    for column in ("Reported by", "Falls within", "Crime type"):
        _require(table, column, errors)
    _crime_type_check(table, "Crime type", categories.KNOWN_TYPES, allow_new_types, errors,
                      notes)
    _check(table, pc.and_kleene(pc.is_null(table["Crime ID"]),
                          pc.not_equal(table["Crime type"], categories.ASB)),
           "Crime ID is empty (only anti-social behaviour rows may have none)", errors)
    _lsoa_check(table, "LSOA code", errors)
    lon, lat = _coordinates(table, "Longitude", "Latitude", errors)
    _raise_if(errors)
    normal = pa.table({
        "crime_id": table["Crime ID"], "month": table["Month"],
        "reported_by": table["Reported by"], "force": table["Falls within"],
        "longitude": lon, "latitude": lat, "location": table["Location"],
        "lsoa_code": table["LSOA code"], "lsoa_name": table["LSOA name"],
        "crime_type": table["Crime type"], "last_outcome": table["Last outcome category"],
        "context": table["Context"],
    })
    return Prepared("street", normal, notes)


def _prepare_outcomes(table: pa.Table) -> Prepared:
    errors: list[tuple[int, str]] = []
    _month_check(table, "Month", errors)
    for column in ("Crime ID", "Reported by", "Falls within", "Outcome type"):
        _require(table, column, errors)
    _lsoa_check(table, "LSOA code", errors)
    _coordinates(table, "Longitude", "Latitude", errors)
    _raise_if(errors)
    normal = pa.table({
        "crime_id": table["Crime ID"], "month": table["Month"],
        "reported_by": table["Reported by"], "force": table["Falls within"],
        "lsoa_code": table["LSOA code"], "outcome_type": table["Outcome type"],
    })
    return Prepared("outcomes", normal)


def _prepare_stop_search(table: pa.Table, force: str | None, name: str) -> Prepared:
    errors: list[tuple[int, str]] = []
    force = formats.force_from_filename(name) or force
    if force is None:
        raise FileRefused(["stop and search files do not name their force: give --force, or "
                           "keep police.uk's file name (YYYY-MM-<force>-stop-and-search.csv)"])
    for column in ("Type", "Date"):
        _require(table, column, errors)
    date_pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    _check(table, pc.and_kleene(pc.is_valid(table["Date"]),
                          pc.invert(pc.match_substring_regex(table["Date"], date_pattern))),
           "Date is not an ISO date and time", errors)
    lon, lat = _coordinates(table, "Longitude", "Latitude", errors)
    _raise_if(errors)
    months = pc.utf8_slice_codeunits(table["Date"], 0, 7)
    forces = pa.array([force] * table.num_rows, pa.string())
    normal = pa.table({
        "month": months, "reported_by": forces, "force": forces, "occurred_at": table["Date"],
        "search_type": table["Type"],
        "part_of_operation": table["Part of a policing operation"],
        "operation": table["Policing operation"], "latitude": lat, "longitude": lon,
        "gender": table["Gender"], "age_range": table["Age range"],
        "self_defined_ethnicity": table["Self-defined ethnicity"],
        "officer_defined_ethnicity": table["Officer-defined ethnicity"],
        "legislation": table["Legislation"], "object_of_search": table["Object of search"],
        "outcome": table["Outcome"],
        "outcome_linked_to_object": table["Outcome linked to object of search"],
        "removal_of_clothing": table["Removal of more than just outer clothing"],
    })
    return Prepared("stop_search", normal)


def _prepare_api_street(table: pa.Table, force: str | None, locate_lsoa,
                        allow_new_types: bool = False) -> Prepared:
    errors: list[tuple[int, str]] = []
    notes: list[str] = []
    if force is None:
        raise FileRefused(["police.uk API files do not name the force: give --force"])
    _month_check(table, "month", errors)
    _require(table, "api_id", errors)
    _require(table, "category", errors)
    new = _crime_type_check(table, "category", categories.KNOWN_SLUGS, allow_new_types,
                            errors, notes)
    lon, lat = _coordinates(table, "longitude", "latitude", errors)
    _raise_if(errors)
    # Crimes near a boundary can be returned for two neighbouring query areas: keep one.
    _, first_rows = _first_occurrences(table["api_id"])
    if len(first_rows) < table.num_rows:
        notes.append(f"{table.num_rows - len(first_rows):,} duplicate API ids dropped")
        table, lon, lat = table.take(first_rows), lon.take(first_rows), lat.take(first_rows)
    labels = pc.cast(table["category"], pa.string()).to_pylist()
    label_of = {**{slug: slug for slug in new}, **categories.KNOWN_SLUGS}
    crime_types = pa.array([label_of[c] for c in labels], pa.string())
    months = table["month"]
    lsoa_codes = locate_lsoa(lon.to_pylist(), lat.to_pylist(), months.to_pylist())
    if all(code is None for code in lsoa_codes):
        notes.append("no LSOA boundaries loaded for these points: LSOA codes left empty")
    forces = pa.array([force] * table.num_rows, pa.string())
    normal = pa.table({
        "crime_id": table["persistent_id"], "month": months, "reported_by": forces,
        "force": forces, "longitude": lon, "latitude": lat, "location": table["street_name"],
        "lsoa_code": pa.array(lsoa_codes, pa.string()),
        "lsoa_name": pa.array([None] * table.num_rows, pa.string()),
        "crime_type": crime_types, "last_outcome": table["outcome_category"],
        "context": table["context"],
    })
    return Prepared("street", normal, notes)


def _first_occurrences(ids) -> tuple[list, list[int]]:
    seen: dict = {}
    for index, value in enumerate(ids.to_pylist()):
        seen.setdefault(value, index)
    return list(seen), sorted(seen.values())


def prepare(source: Source, *, force: str | None = None, locate_lsoa=None,
            allow_new_types: bool = False) -> Prepared:
    """Read and validate one file; FileRefused says why not, with lines. A crime type that
    is not one of police.uk's categories is refused unless `allow_new_types`."""
    try:
        head = source.head()
    except (OSError, EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise FileRefused([f"cannot read the file: {exc}"]) from None
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head[:4096].strip():
        raise FileRefused(["line 1: the file is empty"])
    # Only the header line is decoded here: the head may end inside a character, and a bad
    # byte further on is found, with its line, when the whole file is read.
    first_line = head.replace(b"\r", b"\n").split(b"\n", 1)[0]
    try:
        header = formats.parse_header(first_line.decode("utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise FileRefused([_locate_encoding_error(first_line)]) from None
    try:
        fmt = formats.detect_format(header)
    except formats.FormatError as exc:
        raise FileRefused([f"line 1: {exc}"]) from None
    try:
        table = _read_table(header, source)
    except (OSError, EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise FileRefused([f"cannot read the file: {exc}"]) from None
    if table.num_rows == 0:
        raise FileRefused(["line 2: the file has a header but no rows"])
    if fmt is formats.STREET:
        prepared = _prepare_street(table, allow_new_types)
    elif fmt is formats.OUTCOMES:
        prepared = _prepare_outcomes(table)
    elif fmt is formats.STOP_SEARCH:
        prepared = _prepare_stop_search(table, force, source.name)
    else:
        prepared = _prepare_api_street(table, force, locate_lsoa or _no_lsoas, allow_new_types)
    prepared.format_name = fmt.name
    return prepared


def _no_lsoas(lons, lats, months):
    return [None] * len(lons)


# ---------------------------------------------------------------------------------------------
# Writing


def _month_date(text: str) -> datetime.date:
    return periods.parse_month(text)


def _per_batch(table: pa.Table, where=None, rows: str | None = None) -> dict[tuple[str, str], int]:
    """Rows per (reported_by, month), counting only rows where `where` is true; `rows` names a
    column holding how many source rows each row stands for (in an already counted table)."""
    if where is not None:
        table = table.filter(pc.fill_null(where, False))
    counted = _group(table, ["reported_by", "month"], rows)
    return dict(zip(zip(counted["reported_by"].to_pylist(), counted["month"].to_pylist(),
                        strict=True), counted["rows"].to_pylist(), strict=True))


def _group(table: pa.Table, keys: list[str], rows: str | None = None) -> pa.Table:
    """One row per distinct `keys`, sorted by them (empty first), with `rows`: how many rows
    of `table` it stands for, or the sum of the column named `rows`.

    Each row's keys become one integer (mixed radix over each column's sorted distinct values),
    sorted once; pyarrow's own group_by would first load its query engine with the dataset and
    Parquet modules, a third of a second of a 1,000-row import."""
    columns = [_ranks(table[name]) for name in keys]
    codes = np.zeros(table.num_rows, np.int64)
    bound, renumbered = 1, []  # renumbered: per column, the codes before it, if renumbered
    for ranks, values in columns:
        before = None
        if bound * len(values) >= 2**62:  # renumber the groups so far: no overflow
            before = np.unique(codes)  # sorted, so that the groups stay in key order
            codes, bound = np.searchsorted(before, codes), len(before)
        renumbered.append(before)
        codes = codes * len(values) + ranks
        bound *= len(values)
    if rows:
        code, group = np.unique(codes, return_inverse=True)
        totals = np.bincount(group, weights=table[rows].to_numpy(), minlength=len(code))
    else:
        code, totals = np.unique(codes, return_counts=True)
    out: dict[str, pa.Array] = {}
    for name, (_, values), before in zip(reversed(keys), reversed(columns),
                                         reversed(renumbered), strict=True):
        code, rank = np.divmod(code, len(values))
        if before is not None:
            code = before[code]
        out[name] = values.take(pa.array(rank))
    return pa.table({**{name: out[name] for name in keys},
                     "rows": pa.array(totals.astype(np.int64))})


def _ranks(column) -> tuple[np.ndarray, pa.Array]:
    """Each row's rank among the column's sorted distinct values, and those values: rank 0
    is empty (null), then 1, 2, ... in order."""
    column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    order = pc.array_sort_indices(column.dictionary).to_numpy()
    ranks = np.zeros(len(order) + 1, np.int64)
    ranks[order + 1] = np.arange(1, len(order) + 1)
    values = _text(column.dictionary.take(pa.array(order)))
    values = pa.concat_arrays([pa.nulls(1, values.type), values])
    return ranks[pc.fill_null(column.indices, -1).to_numpy() + 1], values


def _with_batch_ids(table: pa.Table, ids: dict[tuple[str, str], int]) -> pa.Table:
    """Add a batch_id column by looking up each row's (reported_by, month)."""
    keys = pc.binary_join_element_wise(table["reported_by"], table["month"], "\x1f")
    known = pa.array([f"{force}\x1f{month}" for force, month in ids], pa.string())
    positions = pc.index_in(keys, value_set=known)
    return table.append_column("batch_id", pc.take(pa.array(list(ids.values()), pa.int64()),
                                                   positions))


def _first_of_month(months) -> pa.Array:
    return pc.binary_join_element_wise(months, pa.scalar("01"), "-")


def _blank(column) -> pa.Array:
    return pc.fill_null(column, "")


def _count(table: pa.Table, keys: list[str]) -> pa.Table:
    """One row per distinct `keys`, in their order, with `rows`: how many rows of `table` it
    stands for."""
    return _group(table, keys)


@dataclass
class Counted:
    """A validated file, counted the way the writer stores it (see `_count_*`)."""

    kind: str
    table: pa.Table  # the validated rows
    counts: pa.Table  # one row per stored count; `rows` says how many source rows
    location: str  # the column that is empty for rows without a location


def _count_street(table: pa.Table) -> Counted:
    return Counted("street", table,
                   _count(table, ["month", "lsoa_code", "crime_type", "reported_by"]),
                   "lsoa_code")


def _count_outcomes(table: pa.Table) -> Counted:
    return Counted("outcomes", table,
                   _count(table, ["reported_by", "month", "force", "lsoa_code", "outcome_type"]),
                   "lsoa_code")


def _count_stop_search(table: pa.Table) -> Counted:
    # every stop and search is stored as it is: each row counts for itself
    counts = table.select(["reported_by", "month", "latitude"])
    return Counted("stop_search", table,
                   counts.append_column("rows", pa.repeat(pa.scalar(1, pa.int64()),
                                                          table.num_rows)),
                   "latitude")


def _write_street(counted: Counted, point_lsoas: pa.Array, ids: dict) -> None:
    counts = _with_batch_ids(counted.counts, ids)
    stored = pa.table({
        "batch_id": counts["batch_id"], "month": _first_of_month(counts["month"]),
        "lsoa_code": _blank(counts["lsoa_code"]), "crime_type": counts["crime_type"],
        "count": counts["rows"],
    })
    # Counted in the order of CrimeCount's index (month, LSOA), so that the index's B-tree is
    # appended to rather than split all over. (Dropping the index for a big load and building
    # it again after it was measured too: slower than this, even into an empty table.)
    bulk.insert_table(CrimeCount, stored)
    table = counted.table
    outcomes = _with_batch_ids(
        _count(table, ["reported_by", "month", "force", "crime_type", "last_outcome"]), ids)
    bulk.insert_table(LastOutcomeCount, pa.table({
        "batch_id": outcomes["batch_id"], "month": _first_of_month(outcomes["month"]),
        "force": outcomes["force"], "crime_type": outcomes["crime_type"],
        "last_outcome": _blank(outcomes["last_outcome"]), "count": outcomes["rows"],
    }))
    points = _with_batch_ids(
        _decoded(table.filter(pc.is_in(table["lsoa_code"], value_set=point_lsoas))), ids)
    bulk.insert_table(CrimeRecord, pa.table({
        "batch_id": points["batch_id"], "month": _first_of_month(points["month"]),
        "crime_id": _blank(points["crime_id"]), "force": points["force"],
        "longitude": points["longitude"], "latitude": points["latitude"],
        "location": _blank(points["location"]), "lsoa_code": _blank(points["lsoa_code"]),
        "lsoa_name": _blank(points["lsoa_name"]), "crime_type": points["crime_type"],
        "last_outcome": _blank(points["last_outcome"]), "context": _blank(points["context"]),
    }))


def _write_outcomes(counted: Counted, point_lsoas: pa.Array, ids: dict) -> None:
    counts = _with_batch_ids(counted.counts, ids)
    bulk.insert_table(OutcomeCount, pa.table({
        "batch_id": counts["batch_id"], "month": _first_of_month(counts["month"]),
        "force": counts["force"], "lsoa_code": _blank(counts["lsoa_code"]),
        "outcome_type": counts["outcome_type"], "count": counts["rows"],
    }))
    table = counted.table
    points = _with_batch_ids(
        _decoded(table.filter(pc.is_in(table["lsoa_code"], value_set=point_lsoas))), ids)
    bulk.insert_table(OutcomeRecord, pa.table({
        "batch_id": points["batch_id"], "crime_id": points["crime_id"],
        "month": _first_of_month(points["month"]), "force": points["force"],
        "lsoa_code": _blank(points["lsoa_code"]), "outcome_type": points["outcome_type"],
    }))


def _flags(column) -> list[bool | None]:
    values = {"true": True, "false": False}
    return [None if v is None else values.get(v.strip().lower()) for v in column.to_pylist()]


def _write_stop_search(counted: Counted, point_lsoas: pa.Array, ids: dict) -> None:
    table = _with_batch_ids(counted.table, ids)
    occurred = [datetime.datetime.fromisoformat(v) for v in table["occurred_at"].to_pylist()]
    bulk.insert_table(StopSearch, pa.table({
        "batch_id": table["batch_id"], "month": _first_of_month(table["month"]),
        "force": table["force"], "occurred_at": pa.array(occurred, pa.timestamp("us", "UTC")),
        "search_type": table["search_type"],
        "part_of_operation": pa.array(_flags(table["part_of_operation"]), pa.bool_()),
        "operation": _blank(table["operation"]), "latitude": table["latitude"],
        "longitude": table["longitude"], "gender": _blank(table["gender"]),
        "age_range": _blank(table["age_range"]),
        "self_defined_ethnicity": _blank(table["self_defined_ethnicity"]),
        "officer_defined_ethnicity": _blank(table["officer_defined_ethnicity"]),
        "legislation": _blank(table["legislation"]),
        "object_of_search": _blank(table["object_of_search"]),
        "outcome": _blank(table["outcome"]),
        "outcome_linked_to_object": pa.array(_flags(table["outcome_linked_to_object"]),
                                             pa.bool_()),
        "removal_of_clothing": pa.array(_flags(table["removal_of_clothing"]), pa.bool_()),
    }))


COUNTERS = {"street": _count_street, "outcomes": _count_outcomes,
            "stop_search": _count_stop_search}
WRITERS = {"street": _write_street, "outcomes": _write_outcomes,
           "stop_search": _write_stop_search}


def _replace_imports(kind: str, keys: list[tuple[str, str, int]], source_name: str,
                     file_format: str, user, simulated: bool,
                     without: dict, points: dict) -> tuple[dict, set]:
    """Delete earlier imports of these (force, month)s and create the new ones."""
    months = {(force, _month_date(month)) for force, month, _ in keys}
    earlier = [b.pk for b in CrimeImport.objects.filter(
        kind=kind, force__in={f for f, _ in months}, month__in={m for _, m in months})
        if (b.force, b.month) in months]
    replaced = set(CrimeImport.objects.filter(pk__in=earlier).values_list("force", "month"))
    if earlier:
        CrimeImport.objects.filter(pk__in=earlier).delete()
    created = CrimeImport.objects.bulk_create([
        CrimeImport(force=force, month=_month_date(month), kind=kind,
                    source_file=source_name[-500:], file_format=file_format,
                    rows_total=rows, rows_stored=points.get((force, month), 0),
                    rows_without_location=without.get((force, month), 0),
                    imported_by=user, is_simulated=simulated)
        for force, month, rows in keys])
    if any(b.pk is None for b in created):  # a backend that does not return ids
        created = [CrimeImport.objects.get(kind=kind, force=f, month=_month_date(m))
                   for f, m, _ in keys]
    ids = {(b.force, b.month.strftime("%Y-%m")): b.pk for b in created}
    return ids, replaced


def _batch_keys(counts: pa.Table) -> list[tuple[str, str, int]]:
    """(reporting force, month, rows) for each replaceable import in the file."""
    return sorted((force, month, rows)
                  for (force, month), rows in _per_batch(counts, rows="rows").items())


def shrinking_replacements(kind: str, new_rows: dict[tuple[str, str], int],
                           stored_rows: dict[tuple[str, str], int]) -> list[str]:
    """Why each (force, month) of a file would replace a stored import with fewer than half
    its rows (a partial file, or an API fetch of one area over a whole force's archive)."""
    return [f"{force} {month} {kind}: this file has {rows:,} rows where the stored import "
            f"has {stored_rows[force, month]:,}; it would replace them with fewer than half "
            "as many, so it is refused (--replace replaces them anyway)"
            for (force, month), rows in sorted(new_rows.items())
            if rows * 2 < stored_rows.get((force, month), 0)]


def _stored_rows(kind: str, keys: list[tuple[str, str, int]]) -> dict[tuple[str, str], int]:
    """Rows of the stored imports of these (force, month)s, by (force, 'YYYY-MM')."""
    wanted = {(force, month) for force, month, _ in keys}
    stored = CrimeImport.objects.filter(
        kind=kind, force__in={f for f, _ in wanted},
        month__in={_month_date(m) for _, m in wanted}).values_list("force", "month",
                                                                  "rows_total")
    rows: dict[tuple[str, str], int] = {}
    for force, month, total in stored:
        key = (force, f"{month:%Y-%m}")
        if key in wanted:
            rows[key] = rows.get(key, 0) + total
    return rows


def refuse_shrinking(kind: str, keys: list[tuple[str, str, int]]) -> None:
    problems = shrinking_replacements(kind, {(f, m): n for f, m, n in keys},
                                      _stored_rows(kind, keys))
    if problems:
        raise FileRefused(problems)


def write(prepared: Prepared, source_name: str, *, point_lsoas: set[str], user=None,
          simulated: bool = False, file_format: str = "",
          replace: bool = False) -> list[BatchReport]:
    """Replace each (force, month, kind) in the file, all in one transaction. A file with
    fewer than half the rows of a stored import it would replace is refused (FileRefused)
    unless `replace`."""
    _skip_pandas_probe()  # the table may come from elsewhere (the demo's simulated months)
    counted = COUNTERS[prepared.kind](prepared.table)
    counts = counted.counts
    keys = _batch_keys(counts)
    lsoa_set = pa.array(sorted(point_lsoas), pa.string())
    points: dict = {}
    if prepared.kind != "stop_search":
        points = _per_batch(counts, pc.is_in(counts["lsoa_code"], value_set=lsoa_set), "rows")
    without = _per_batch(counts, pc.is_null(counts[counted.location]), "rows")
    return store(prepared.kind, keys, source_name, file_format, user, simulated, without,
                 points, lambda ids: WRITERS[prepared.kind](counted, lsoa_set, ids),
                 replace=replace)


def store(kind: str, keys: list[tuple[str, str, int]], source_name: str, file_format: str,
          user, simulated: bool, without: dict, points: dict,
          write_rows: Callable[[dict], None], replace: bool = False) -> list[BatchReport]:
    """In one transaction, replace the imports of `keys` (reporting force, month, rows) and
    let `write_rows` store the rows under the new imports' ids. Shrinking replacements are
    refused here, for both reading paths, unless `replace`."""
    with transaction.atomic():
        if not replace:
            refuse_shrinking(kind, keys)
        ids, replaced = _replace_imports(kind, keys, source_name, file_format, user,
                                         simulated, without, points)
        write_rows(ids)
    return [BatchReport(force, _month_date(month), kind, rows,
                        points.get((force, month), 0), without.get((force, month), 0),
                        (force, _month_date(month)) in replaced)
            for force, month, rows in keys]


def import_source(source: Source, *, dry_run: bool = False, force: str | None = None,
                  point_lsoas: set[str] | None = None, locate_lsoa=None, user=None,
                  simulated: bool = False, allow_new_types: bool = False,
                  replace: bool = False) -> FileReport:
    """Validate and (unless dry_run) import one file. Never raises for bad input, nor when
    the database stays locked by another writer past the busy timeout (`report.busy`)."""
    from saferplaces.crime import street_rows

    report = FileReport(source.name)
    try:
        if street_rows.takes(source):
            small = street_rows.import_source(source, dry_run=dry_run, point_lsoas=point_lsoas,
                                              user=user, simulated=simulated, replace=replace)
            if small is not None:
                return small
        prepared = prepare(source, force=force, locate_lsoa=locate_lsoa,
                           allow_new_types=allow_new_types)
        report.rows = prepared.table.num_rows
        report.notes = prepared.notes
        report.format_name = prepared.format_name
        if dry_run:
            batches = sorted(_per_batch(prepared.table).items())
            if not replace:
                refuse_shrinking(prepared.kind, [(f, m, n) for (f, m), n in batches])
            report.batches = [BatchReport(f, _month_date(m), prepared.kind, n)
                              for (f, m), n in batches]
            return report
        report.batches = write(prepared, source.name, point_lsoas=point_lsoas or set(),
                               user=user, simulated=simulated,
                               file_format=prepared.format_name, replace=replace)
    except FileRefused as exc:
        report.errors = exc.errors
    except OperationalError as exc:
        if not database_busy(exc):
            raise
        report.errors, report.busy = [BUSY_MESSAGE], True
    return report
