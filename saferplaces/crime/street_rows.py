"""Small police.uk street files, imported without pyarrow.

Importing pyarrow and numpy takes about 0.2 s, several times what Python's own csv module
takes to read and count a few thousand rows. A street-level CSV on disk under SMALL_FILE_BYTES
is therefore read here: decoded by the one CSV reader's rule (core/csv_records.py), checked
row by row and counted in Python, and stored through ingest's `store`, in the same rows as
the pyarrow path stores (tests/test_street_rows.py imports the same files both ways).

This path only accepts. A file it has any doubt about (a row that is not valid, a cell it
does not expect, an unknown crime type) goes to the pyarrow path, which decides and names the
lines, so both paths refuse with the same words.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable

from saferplaces.core.csv_records import CsvFileError, decode
from saferplaces.crime import bulk, categories, formats, ingest
from saferplaces.crime.models import CrimeCount, CrimeRecord, LastOutcomeCount

SMALL_FILE_BYTES = 2_000_000  # about 9,000 rows; the pyarrow path wins from about 20,000

_MONTH = re.compile(ingest.MONTH_PATTERN)
_LSOA = re.compile(ingest.LSOA_PATTERN)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # what both paths read as the same float
_KNOWN_TYPES = frozenset(categories.KNOWN_TYPES)


class NotForThisPath(Exception):
    """The file is left to the pyarrow path."""


def takes(source: ingest.Source) -> bool:
    """Whether the file is a plain CSV on disk small enough for this path."""
    path = source.path
    return (path is not None and path.suffix.lower() == ".csv"
            and path.stat().st_size <= SMALL_FILE_BYTES)


def import_source(source: ingest.Source, *, dry_run: bool, point_lsoas: set[str] | None,
                  user, simulated: bool, replace: bool = False) -> ingest.FileReport | None:
    """Import a valid small street file as ingest.import_source does; None for any other
    file (then the pyarrow path reads it)."""
    try:
        rows = read_rows(source.read_bytes())
    except NotForThisPath:
        return None
    report = ingest.FileReport(source.name, formats.STREET.name, len(rows))
    batches = Counter((row["reported_by"], row["month"]) for row in rows)
    keys = sorted((force, month, n) for (force, month), n in batches.items())
    if dry_run:
        if not replace:
            ingest.refuse_shrinking("street", keys)
        report.batches = [ingest.BatchReport(force, ingest._month_date(month), "street", n)
                          for (force, month), n in sorted(batches.items())]
        return report
    own = point_lsoas or set()
    points = Counter((r["reported_by"], r["month"]) for r in rows if r["lsoa_code"] in own)
    without = Counter((r["reported_by"], r["month"]) for r in rows if r["lsoa_code"] is None)
    report.batches = ingest.store("street", keys, source.name, formats.STREET.name, user,
                                  simulated, without, points,
                                  lambda ids: _write(rows, own, ids), replace=replace)
    return report


def read_rows(data: bytes) -> list[dict]:
    """The file's rows under the names the writer uses (empty cells as None), when it is a
    street file that is valid in every row; else NotForThisPath."""
    try:
        text = decode(data)
    except CsvFileError:
        raise NotForThisPath from None
    records = [cells for cells in csv.reader(io.StringIO(text, newline="")) if cells]
    if not records or tuple(records[0]) != formats.STREET_COLUMNS or len(records) < 2:
        raise NotForThisPath
    rows = [_row(cells) for cells in records[1:]]
    return rows


def _row(cells: list[str]) -> dict:
    if len(cells) != len(formats.STREET_COLUMNS) or any("\n" in c or "\r" in c for c in cells):
        raise NotForThisPath
    (crime_id, month, reported_by, force, longitude, latitude, location, lsoa_code,
     lsoa_name, crime_type, last_outcome, context) = (c or None for c in cells)
    if (month is None or not _MONTH.match(month) or reported_by is None or force is None
            or crime_type not in _KNOWN_TYPES
            or (crime_id is None and crime_type != categories.ASB)
            or (lsoa_code is not None and not _LSOA.match(lsoa_code))):
        raise NotForThisPath
    lon, lat = _coordinates(longitude, latitude)
    return {"crime_id": crime_id, "month": month, "reported_by": reported_by, "force": force,
            "longitude": lon, "latitude": lat, "location": location, "lsoa_code": lsoa_code,
            "lsoa_name": lsoa_name, "crime_type": crime_type, "last_outcome": last_outcome,
            "context": context}


def _coordinates(longitude: str | None, latitude: str | None) -> tuple[float | None, ...]:
    if longitude is None and latitude is None:
        return None, None
    if longitude is None or latitude is None or not _NUMBER.fullmatch(longitude) \
            or not _NUMBER.fullmatch(latitude):
        raise NotForThisPath
    lon, lat = float(longitude), float(latitude)
    if abs(lon) > 180 or abs(lat) > 90:
        raise NotForThisPath
    return lon, lat


def _sorted_counts(keys: Iterable[tuple]) -> list[tuple[tuple, int]]:
    """Each distinct key with its count, in the pyarrow path's order: by each part in turn,
    an empty part first."""
    return sorted(Counter(keys).items(),
                  key=lambda item: [(part is not None, part or "") for part in item[0]])


def _write(rows: list[dict], own: set[str], ids: dict) -> None:
    counts = _sorted_counts((r["month"], r["lsoa_code"], r["crime_type"], r["reported_by"])
                            for r in rows)
    bulk.insert_columns(CrimeCount, {
        "batch_id": [ids[(by, month)] for (month, _, _, by), _ in counts],
        "month": [f"{month}-01" for (month, _, _, _), _ in counts],
        "lsoa_code": [lsoa or "" for (_, lsoa, _, _), _ in counts],
        "crime_type": [crime_type for (_, _, crime_type, _), _ in counts],
        "count": [n for _, n in counts],
    })
    outcomes = _sorted_counts((r["reported_by"], r["month"], r["force"], r["crime_type"],
                               r["last_outcome"]) for r in rows)
    bulk.insert_columns(LastOutcomeCount, {
        "batch_id": [ids[(by, month)] for (by, month, _, _, _), _ in outcomes],
        "month": [f"{month}-01" for (_, month, _, _, _), _ in outcomes],
        "force": [force for (_, _, force, _, _), _ in outcomes],
        "crime_type": [crime_type for (_, _, _, crime_type, _), _ in outcomes],
        "last_outcome": [outcome or "" for (_, _, _, _, outcome), _ in outcomes],
        "count": [n for _, n in outcomes],
    })
    points = [r for r in rows if r["lsoa_code"] in own]
    records = {"batch_id": [ids[(r["reported_by"], r["month"])] for r in points],
               "month": [f"{r['month']}-01" for r in points]}
    for name in ("force", "longitude", "latitude", "crime_type"):
        records[name] = [r[name] for r in points]
    for name in ("crime_id", "location", "lsoa_code", "lsoa_name", "last_outcome", "context"):
        records[name] = [r[name] or "" for r in points]
    bulk.insert_columns(CrimeRecord, records)
