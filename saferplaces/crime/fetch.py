"""Fetching police.uk months for `saferplaces crime fetch` (saferplaces/crime/commands/
fetch.py): `fetch_api` asks the API polygon by polygon and writes the force's CSV files;
`fetch_archive` downloads the national monthly archive and extracts the force's files.

The pieces live by concern: the HTTP client with its rate limit and retries in
`policeuk_http`, the flattening of API answers into CSV rows in `policeuk_api`, and the areas
and polygons to ask for (the database queries) in `fetch_areas`. Nothing here imports files:
the command passes the files written to `import_paths`.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from shapely.geometry import Polygon

from saferplaces.core import periods
from saferplaces.crime import formats
from saferplaces.crime.fetch_areas import (
    MAX_POLY_POINTS,
    QueryArea,
    poly_param,
    simplify_for_query,
    split_polygon,
)
from saferplaces.crime.policeuk_api import (
    api_stops_file,
    api_street_file,
    flatten_crime,
    flatten_stop,
    write_csv,
)
from saferplaces.crime.policeuk_http import (
    CHUNK_SIZE,
    FetchFailed,
    NotFound,
    PoliceUkClient,
    TooManyCrimes,
)

MAX_SPLIT_DEPTH = 6  # halvings of one polygon (up to 64 pieces) before giving up
ARCHIVE_MONTHS = 36  # months in one national monthly archive zip (the month and 35 before)

STREET_PATH = "/api/crimes-street/all-crime"
NO_LOCATION_PATH = "/api/crimes-no-location"
STOPS_PATH = "/api/stops-force"
ARCHIVE_PATH = "/data/archive/{month}.zip"
ARCHIVE_KINDS = ("street", "outcomes", "stop-and-search")



class Writer(Protocol):
    """What the fetch functions write their messages to (Django's OutputWrapper, a test fake)."""

    def write(self, text: str) -> None: ...


# ---------------------------------------------------------------------------------------------
# Months


def month_range(start: str, end: str) -> list[str]:
    """Every month from start to end inclusive, as YYYY-MM; ValueError (PeriodError) for a
    month not written YYYY-MM, or when end is before start."""
    first, last = periods.parse_month(start), periods.parse_month(end)
    if last < first:
        raise ValueError(f"--to {end} is before --from {start}")
    return [periods.month_code(month) for month in periods.month_list(first, last)]


def archive_plan(months: Iterable[str], span: int = ARCHIVE_MONTHS) -> list[tuple[str, list[str]]]:
    """Which monthly archives hold the months: [(archive month, [months taken from it])].

    The archive for month M holds M and the `span - 1` months before it, so the newest month
    wanted picks the first archive, and older months that it does not reach pick further ones.
    """
    remaining = sorted(set(months), reverse=True)
    plan = []
    while remaining:
        latest = remaining[0]
        newest = periods.parse_month(latest)
        covered = [m for m in remaining
                   if periods.months_between(periods.parse_month(m), newest) <= span]
        plan.append((latest, sorted(covered)))
        remaining = [m for m in remaining if m not in covered]
    return plan


# ---------------------------------------------------------------------------------------------
# Street crimes of one polygon


def fetch_street_crimes(client: PoliceUkClient, polygon: Polygon, month: str, *,
                        max_points: int = MAX_POLY_POINTS,
                        max_depth: int = MAX_SPLIT_DEPTH) -> tuple[list[dict], int]:
    """Street crimes of one month in a polygon, and how many times a polygon was split.

    POSTs the simplified polygon; on HTTP 503 (more than 10,000 crimes) splits the original
    polygon in two and asks for each half, recursively, at most `max_depth` levels deep
    (then FetchFailed). NotFound and FetchFailed are raised to the caller.
    """
    splits = 0

    def ask(piece: Polygon, depth: int) -> list[dict]:
        nonlocal splits
        query = simplify_for_query(piece, max_points)
        try:
            crimes = client.post_json(STREET_PATH, {"poly": poly_param(query), "date": month},
                                      too_many_status=503)
        except TooManyCrimes:
            if depth >= max_depth:
                raise FetchFailed(f"more than 10,000 crimes even after splitting the area "
                                  f"{max_depth} times (HTTP 503)") from None
            splits += 1
            return [crime for half in split_polygon(piece) for crime in ask(half, depth + 1)]
        if not isinstance(crimes, list):
            raise FetchFailed(f"POST {client.url(STREET_PATH)}: expected a list of crimes")
        return crimes

    return ask(polygon, 0), splits


# ---------------------------------------------------------------------------------------------
# Fetching months


@dataclass
class FetchReport:
    """What a fetch did: files written, failures (messages), months without data, requests."""

    files: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)
    requests: int = 0

    def summary(self, source: str, force: str, months: Sequence[str]) -> str:
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        origin = {"api": "data.police.uk API", "archive": "police.uk monthly archive"}
        text = (f"Fetched {force} {span} from the {origin.get(source, source)}: "
                f"{len(self.files)} file(s) written, {self.requests:,} request(s)")
        if self.no_data:
            text += f", {len(self.no_data)} without data"
        text += f", {len(self.failures)} failed."
        return text


_NO_DATA = "no data (HTTP 404: police.uk has not published it)"


def fetch_api(client: PoliceUkClient, *, slug: str, months: Sequence[str],
              areas: Sequence[QueryArea], dest: Path, out: Writer, err: Writer,
              max_points: int = MAX_POLY_POINTS,
              max_depth: int = MAX_SPLIT_DEPTH) -> FetchReport:
    """Fetch each month from the API and write the force's CSV files under dest/api/<slug>/.

    Per month: street crimes for every polygon of `areas` plus the force's crimes with no
    location go into one API-format file (written only when every one of those requests
    succeeded, so that importing it never replaces a month with part of it); stop and search
    goes into a police.uk-format stop-and-search file. A failed request is reported on `err`
    and the other months and kinds go on.
    """
    report = FetchReport()
    start = client.requests
    polygons = sum(len(a.polygons) for a in areas)
    levels = sorted({a.level for a in areas})
    where = f"{len(areas)} {'/'.join(levels)}(s)" + (
        f" ({polygons} polygons)" if polygons != len(areas) else "")
    for month in months:
        _api_street_month(client, slug, month, areas, where, dest, out, err, report,
                          max_points, max_depth)
        _api_stops_month(client, slug, month, dest, out, err, report)
    report.requests = client.requests - start
    return report


def _api_street_month(client, slug, month, areas, where, dest, out, err, report,
                      max_points, max_depth) -> None:
    rows: list[dict[str, str]] = []
    before = client.requests
    splits = 0
    problem = None
    no_data = False
    for area in areas:
        for polygon in area.polygons:
            try:
                crimes, split = fetch_street_crimes(client, polygon, month,
                                                    max_points=max_points, max_depth=max_depth)
            except NotFound:
                no_data = True
                break
            except FetchFailed as exc:
                problem = f"{area.level} {area.code} ({area.name}): {exc}"
                break
            splits += split
            rows.extend(flatten_crime(c, area.code, area.name) for c in crimes)
        if no_data or problem:
            break
    asked = client.requests - before
    if problem:
        err.write(f"{month} street crimes: FAILED for {problem}; nothing written for "
                  f"{month}'s street crimes")
        report.failures.append(f"{month} street crimes")
        out.write(f"{month} crimes with no location: not requested (the street crimes "
                  "failed)")
        return
    if no_data:
        out.write(f"{month} street crimes: {_NO_DATA}")
        report.no_data.append(f"{month} street crimes")
    else:
        detail = f"{asked} request(s)"
        if splits:
            detail += f"; {splits} split(s) of an area with more than 10,000 crimes"
        out.write(f"{month} street crimes: {len(rows):,} in {where} ({detail})")
    try:
        unlocated = client.get_json(NO_LOCATION_PATH, {"category": "all-crime", "force": slug,
                                                       "date": month})
    except NotFound:
        unlocated = None
    except FetchFailed as exc:
        err.write(f"{month} crimes with no location: FAILED: {exc}; nothing written for "
                  f"{month}'s street crimes")
        report.failures.append(f"{month} crimes with no location")
        return
    if unlocated is None:
        line = f"{month} crimes with no location: {_NO_DATA}"
        report.no_data.append(f"{month} crimes with no location")
    else:
        if not isinstance(unlocated, list):
            err.write(f"{month} crimes with no location: FAILED: expected a list of crimes")
            report.failures.append(f"{month} crimes with no location")
            return
        rows.extend(flatten_crime(c) for c in unlocated)
        line = f"{month} crimes with no location: {len(unlocated):,}"
    if rows:
        path = api_street_file(dest, slug, month)
        written = write_csv(path, formats.API_STREET_COLUMNS, rows)
        report.files.append(path)
        line += f"; {written:,} rows written to {path}"
    else:
        line += "; no street crimes for this month, no file written"
    out.write(line)


def _api_stops_month(client, slug, month, dest, out, err, report) -> None:
    try:
        stops = client.get_json(STOPS_PATH, {"force": slug, "date": month})
    except NotFound:
        out.write(f"{month} stop and search: {_NO_DATA}")
        report.no_data.append(f"{month} stop and search")
        return
    except FetchFailed as exc:
        err.write(f"{month} stop and search: FAILED: {exc}")
        report.failures.append(f"{month} stop and search")
        return
    if not isinstance(stops, list):
        err.write(f"{month} stop and search: FAILED: expected a list of stop and searches")
        report.failures.append(f"{month} stop and search")
        return
    if not stops:
        out.write(f"{month} stop and search: none reported, no file written")
        return
    path = api_stops_file(dest, slug, month)
    written = write_csv(path, formats.STOP_SEARCH_COLUMNS, (flatten_stop(s) for s in stops))
    report.files.append(path)
    out.write(f"{month} stop and search: {written:,} written to {path}")


# ---------------------------------------------------------------------------------------------
# The national monthly archive


def archive_member(names: Iterable[str], month: str, slug: str, kind: str) -> str | None:
    """The zip member holding `YYYY-MM/YYYY-MM-<slug>-<kind>.csv`, if any."""
    wanted = f"{month}/{month}-{slug}-{kind}.csv"
    for name in names:
        if name == wanted or name.endswith("/" + wanted):
            return name
    return None


def extract_force_files(zip_path: Path, slug: str, months: Sequence[str],
                        folder: Path) -> dict[str, list[Path]]:
    """Copy the force's street, outcomes and stop-and-search CSVs for `months` out of a
    monthly archive into `folder` (as YYYY-MM-<slug>-<kind>.csv); {month: [paths]}.
    Raises zipfile.BadZipFile for a damaged archive."""
    found: dict[str, list[Path]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        for month in months:
            found[month] = []
            for kind in ARCHIVE_KINDS:
                member = archive_member(names, month, slug, kind)
                if member is None:
                    continue
                # The target is named by us, never by the zip, so no path can escape `folder`.
                target = folder / f"{month}-{slug}-{kind}.csv"
                partial = target.with_name(target.name + ".part")
                with archive.open(member) as source, partial.open("wb") as handle:
                    shutil.copyfileobj(source, handle, CHUNK_SIZE)
                partial.replace(target)
                found[month].append(target)
    return found


class _ByteProgress:
    """A tqdm byte counter on standard error (silent when that is not a terminal)."""

    def __init__(self, description: str):
        self.description = description
        self.bar = None

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="B", unit_scale=True, desc=self.description,
                            disable=None, file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def fetch_archive(client: PoliceUkClient, *, slug: str, months: Sequence[str], dest: Path,
                  out: Writer, err: Writer, show_progress: bool = True) -> FetchReport:
    """Download the monthly archive(s) holding `months` to dest/archive/YYYY-MM.zip (a
    complete zip already there is reused) and extract the force's files for those months into
    dest/archive/<slug>/."""
    report = FetchReport()
    start = client.requests
    folder = dest / "archive" / slug
    for archive_month, wanted in archive_plan(months):
        zip_path = dest / "archive" / f"{archive_month}.zip"
        path = ARCHIVE_PATH.format(month=archive_month)
        if zip_path.exists() and zipfile.is_zipfile(zip_path):
            out.write(f"{archive_month} archive: already downloaded, using {zip_path}")
        else:
            progress = _ByteProgress(f"{archive_month}.zip") if show_progress else None
            try:
                size = client.download(path, zip_path, on_progress=progress)
            except NotFound:
                out.write(f"{archive_month} archive: {_NO_DATA}")
                report.no_data.append(f"{archive_month} archive")
                continue
            except (FetchFailed, OSError) as exc:
                err.write(f"{archive_month} archive: FAILED: {exc}")
                report.failures.append(f"{archive_month} archive")
                continue
            finally:
                if progress:
                    progress.close()
            if not zipfile.is_zipfile(zip_path):
                zip_path.unlink(missing_ok=True)
                err.write(f"{archive_month} archive: FAILED: {client.url(path)} is not a zip "
                          "archive")
                report.failures.append(f"{archive_month} archive")
                continue
            out.write(f"{archive_month} archive: downloaded {size / 1e6:,.1f} MB to {zip_path}")
        try:
            extracted = extract_force_files(zip_path, slug, wanted, folder)
        except (zipfile.BadZipFile, OSError) as exc:
            err.write(f"{archive_month} archive: FAILED: cannot read {zip_path}: {exc}; delete "
                      "it and fetch again")
            report.failures.append(f"{archive_month} archive")
            continue
        for month in wanted:
            paths = extracted[month]
            report.files.extend(paths)
            kinds = [k for k in ARCHIVE_KINDS if any(p.name.endswith(f"-{k}.csv") for p in paths)]
            missing = [k for k in ARCHIVE_KINDS if k not in kinds]
            if not paths:
                out.write(f"{month} archive files: none for {slug} in {zip_path.name}")
                report.no_data.append(f"{month} archive files")
                continue
            line = f"{month} archive files: {', '.join(kinds)} extracted to {folder}"
            if missing:
                line += f" (no {', '.join(missing)} file in the archive)"
            out.write(line)
    report.requests = client.requests - start
    return report
