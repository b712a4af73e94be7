"""Downloading police.uk data: the only code in saferplaces that uses the network.

`saferplaces crime fetch` (saferplaces/crime/commands/fetch.py) wires these pieces together:

- `RateLimiter`: a token bucket that keeps requests under police.uk's limit (15 a second, with
  bursts of up to 30; we default to 15 a second and no bursts).
- `PoliceUkClient`: urllib with a User-Agent, a timeout, the rate limiter and retries: HTTP 429
  waits (Retry-After, else exponential backoff); other 5xx, timeouts and dropped connections are
  retried with exponential backoff; 404 raises `NotFound` (no data for that month).
- polygons: `boundary_polygons` (GeoJSON → shapely), `simplify_for_query` (at most ~100 points,
  still covering the boundary), `poly_param` (the API's "lat,lng:lat,lng" form) and
  `split_polygon` (halve the bounding box when the API answers 503: more than 10,000 crimes).
- flattening: `flatten_crime` (API crime JSON → a row in formats.API_STREET_COLUMNS) and
  `flatten_stop` (API stop-and-search JSON → a row in formats.STOP_SEARCH_COLUMNS).
- `fetch_api` and `fetch_archive`: fetch a force's months and write CSV files for the importer.
- `query_areas`: the one function here that reads the database (which polygons to ask for).

Nothing here imports files: the command passes the files written to `import_paths`.
"""

from __future__ import annotations

import csv
import datetime
import http.client
import json
import math
import re
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from shapely import make_valid
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from saferplaces.crime import formats

USER_AGENT = "saferplaces (+https://github.com/saferplaces)"
DEFAULT_TIMEOUT = 60.0  # seconds; some API answers take tens of seconds
DEFAULT_RATE = 15.0  # requests per second (police.uk: 15 a second, bursts of up to 30)
MAX_RETRIES = 4  # retries after the first attempt, for 5xx, timeouts and dropped connections
MAX_THROTTLED = 10  # HTTP 429 answers tolerated for one request before giving up
RETRY_DELAY = 1.0  # seconds before the first retry; doubled for each further one
MAX_RETRY_AFTER = 300.0  # never wait longer than this for one Retry-After
MAX_POLY_POINTS = 100  # points in one `poly` parameter
MAX_SPLIT_DEPTH = 6  # halvings of one polygon (up to 64 pieces) before giving up
ARCHIVE_MONTHS = 36  # months in one national monthly archive zip (the month and 35 before)
CHUNK_SIZE = 1 << 20  # bytes read at a time when streaming an archive to disk

STREET_PATH = "/api/crimes-street/all-crime"
NO_LOCATION_PATH = "/api/crimes-no-location"
STOPS_PATH = "/api/stops-force"
ARCHIVE_PATH = "/data/archive/{month}.zip"
ARCHIVE_KINDS = ("street", "outcomes", "stop-and-search")

MONTH_PATTERN = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


class Writer(Protocol):
    """What the fetch functions write their messages to (Django's OutputWrapper, a test fake)."""

    def write(self, text: str) -> None: ...


# ---------------------------------------------------------------------------------------------
# Months


def parse_month(text: str) -> datetime.date:
    """'2018-06' → date(2018, 6, 1); ValueError for anything else."""
    match = MONTH_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a month: use YYYY-MM, e.g. 2018-06")
    return datetime.date(int(match[1]), int(match[2]), 1)


def month_range(start: str, end: str) -> list[str]:
    """Every month from start to end inclusive, as YYYY-MM; ValueError if end is before start."""
    first, last = parse_month(start), parse_month(end)
    if last < first:
        raise ValueError(f"--to {end} is before --from {start}")
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_index(month: str) -> int:
    day = parse_month(month)
    return day.year * 12 + day.month - 1


def archive_plan(months: Iterable[str], span: int = ARCHIVE_MONTHS) -> list[tuple[str, list[str]]]:
    """Which monthly archives hold the months: [(archive month, [months taken from it])].

    The archive for month M holds M and the `span - 1` months before it, so the newest month
    wanted picks the first archive, and older months that it does not reach pick further ones.
    """
    remaining = sorted(set(months), reverse=True)
    plan = []
    while remaining:
        latest = remaining[0]
        covered = [m for m in remaining if _month_index(latest) - _month_index(m) < span]
        plan.append((latest, sorted(covered)))
        remaining = [m for m in remaining if m not in covered]
    return plan


# ---------------------------------------------------------------------------------------------
# Rate limit and HTTP


class RateLimiter:
    """A token bucket: on average `rate` requests a second, at most `burst` at once.

    `wait()` before each request sleeps just long enough to keep to the rate. A rate of 0 or
    less means no limit. `clock` and `sleep` can be replaced in tests.
    """

    def __init__(self, rate: float = DEFAULT_RATE, burst: float = 1.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.rate = rate
        self.burst = max(1.0, burst)
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.burst
        self.last = clock()

    def wait(self) -> None:
        """Take one token, sleeping until one is available."""
        if self.rate <= 0:
            return
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            delay = (1 - self.tokens) / self.rate
            self.sleep(delay)
            self.tokens = 1.0
            self.last = now + delay
        self.tokens -= 1


class FetchFailed(Exception):
    """A request that failed for good (after any retries); the message says what and why."""


class NotFound(Exception):
    """HTTP 404: police.uk has no data for this request (usually: that month is not out)."""


class TooManyCrimes(Exception):
    """HTTP 503 from the street-crimes endpoint: the polygon holds more than 10,000 crimes."""


class PoliceUkClient:
    """A small HTTP client for data.police.uk (or a stand-in with the same paths).

    Every attempt waits for the rate limiter and sends `User-Agent: saferplaces (...)` with a
    timeout. HTTP 429 is retried after Retry-After seconds (else exponential backoff), up to
    MAX_THROTTLED times; other 5xx answers, timeouts and connection errors are retried
    `retries` times, waiting retry_delay, 2×, 4×... seconds; then FetchFailed. 404 raises
    NotFound. `requests` counts attempts, retries included.
    """

    def __init__(self, base_url: str, *, rate: float = DEFAULT_RATE,
                 retries: int = MAX_RETRIES, retry_delay: float = RETRY_DELAY,
                 timeout: float = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep,
                 limiter: RateLimiter | None = None):
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.sleep = sleep
        self.limiter = limiter or RateLimiter(rate, sleep=sleep)
        self.requests = 0
        # Its own opener: proxy settings (http_proxy, no_proxy...) are read now, not cached
        # process-wide by urllib.request.urlopen.
        self.opener = urllib.request.build_opener()

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.base_url}{path}{query}"

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET path?params and decode the JSON answer."""
        url = self.url(path, params)
        return self._json(url, self._call("GET", url, None, _read_all))

    def post_json(self, path: str, form: dict[str, str], *,
                  too_many_status: int | None = None) -> Any:
        """POST form fields and decode the JSON answer. If `too_many_status` is given, that
        status raises TooManyCrimes at once instead of being retried."""
        url = self.url(path)
        data = urllib.parse.urlencode(form).encode("ascii")
        return self._json(url, self._call("POST", url, data, _read_all,
                                          give_up_on=too_many_status))

    def download(self, path: str, target: Path, *,
                 on_progress: Callable[[int, int | None], None] | None = None) -> int:
        """Stream path to `target` in chunks (via target.part, renamed when complete); returns
        the bytes written. `on_progress(done, total)` is called after each chunk (total is
        None when the server does not say)."""
        url = self.url(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")

        def stream(response) -> int:
            total = response.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            done = 0
            with partial.open("wb") as handle:
                while chunk := response.read(CHUNK_SIZE):
                    handle.write(chunk)
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
            if total is not None and done != total:
                raise http.client.IncompleteRead(b"", total - done)
            return done

        try:
            size = self._call("GET", url, None, stream)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return size

    # -- internals

    def _json(self, url: str, body: bytes) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise FetchFailed(f"{url}: the answer is not JSON") from None

    def _backoff(self, attempt: int) -> float:
        return self.retry_delay * 2 ** (attempt - 1)

    def _call(self, method: str, url: str, data: bytes | None, consume, *,
              give_up_on: int | None = None):
        failures = 0
        throttled = 0
        while True:
            self.limiter.wait()
            self.requests += 1
            request = urllib.request.Request(url, data=data, method=method,
                                             headers={"User-Agent": USER_AGENT,
                                                      "Accept": "application/json, */*"})
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return consume(response)
            except urllib.error.HTTPError as exc:
                status, retry_after = exc.code, exc.headers.get("Retry-After")
                exc.close()
                if status == 404:
                    raise NotFound(f"{method} {url}: HTTP 404") from None
                if give_up_on is not None and status == give_up_on:
                    raise TooManyCrimes(f"{method} {url}: HTTP {status}") from None
                if status == 429:
                    throttled += 1
                    if throttled > MAX_THROTTLED:
                        raise FetchFailed(f"{method} {url}: HTTP 429 (too many requests) "
                                          f"{throttled} times; giving up") from None
                    self.sleep(_retry_after(retry_after, self._backoff(throttled)))
                    continue
                if status < 500:
                    raise FetchFailed(f"{method} {url}: HTTP {status}") from None
                reason = f"HTTP {status}"
            except (urllib.error.URLError, TimeoutError, ConnectionError,
                    http.client.HTTPException) as exc:
                reason = _describe(exc)
            failures += 1
            if failures > self.retries:
                raise FetchFailed(f"{method} {url}: {reason} (gave up after {self.retries} "
                                  "retries)")
            self.sleep(self._backoff(failures))


def _read_all(response) -> bytes:
    return response.read()


def _retry_after(value: str | None, fallback: float) -> float:
    """Seconds to wait from a Retry-After header (seconds form); `fallback` otherwise."""
    try:
        seconds = float(value) if value is not None else fallback
    except ValueError:
        seconds = fallback
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _describe(exc: Exception) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, Exception) else exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Polygons


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons in any geometry (a Polygon, MultiPolygon or collection), empty dropped."""
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry] if geometry.area > 0 else []
    return [p for part in getattr(geometry, "geoms", []) for p in _polygons(part)]


def boundary_polygons(geojson: dict) -> list[Polygon]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon (WGS84 lon/lat), one polygon each.

    Holes are dropped: the API's `poly` cannot express them, so an area with an enclave also
    asks for the enclave's crimes.
    """
    geometry = shape(geojson)
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    return [Polygon(p.exterior) for p in _polygons(geometry)]


def _point_count(polygon: Polygon) -> int:
    return len(polygon.exterior.coords) - 1


def simplify_for_query(polygon: Polygon, max_points: int = MAX_POLY_POINTS) -> Polygon:
    """A polygon of at most `max_points` points that still covers `polygon`.

    Douglas-Peucker (shapely `simplify`) with a tolerance that doubles until few enough points
    remain; the result is then grown outward by that tolerance (mitred corners), so nothing
    inside the original falls outside it. Crimes just outside may be returned too: neighbouring
    areas overlap a little, and the importer drops the duplicate API ids.
    """
    ring = Polygon(polygon.exterior)
    if _point_count(ring) <= max_points:
        return ring
    minx, miny, maxx, maxy = ring.bounds
    tolerance = max(maxx - minx, maxy - miny) / 2000 or 1e-6
    for _ in range(30):
        simple = ring.simplify(tolerance, preserve_topology=True)
        grown = _polygons(simple.buffer(tolerance, join_style="mitre", mitre_limit=2.0))
        if len(grown) == 1:
            candidate = Polygon(grown[0].exterior)
            if _point_count(candidate) <= max_points:
                return candidate
        tolerance *= 2
    return Polygon(box(*ring.bounds).exterior)


def poly_param(polygon: Polygon) -> str:
    """The API's `poly` value: 'lat,lng:lat,lng:...' (the ring's closing point left out)."""
    coords = list(polygon.exterior.coords)[:-1]
    return ":".join(f"{lat:.6f},{lon:.6f}" for lon, lat in coords)


def split_polygon(polygon: Polygon) -> list[Polygon]:
    """Halve the polygon's bounding box across its longer side (in ground distance) and
    intersect: the pieces of each half (usually one each; more for a ragged boundary)."""
    minx, miny, maxx, maxy = polygon.bounds
    width = (maxx - minx) * math.cos(math.radians((miny + maxy) / 2))
    if width >= maxy - miny:
        middle = (minx + maxx) / 2
        halves = (box(minx, miny, middle, maxy), box(middle, miny, maxx, maxy))
    else:
        middle = (miny + maxy) / 2
        halves = (box(minx, miny, maxx, middle), box(minx, middle, maxx, maxy))
    return [piece for half in halves for piece in _polygons(polygon.intersection(half))]


@dataclass(frozen=True)
class QueryArea:
    """An area whose crimes are asked for by polygon: code and name go into ward_code and
    ward_name of every crime found in it."""

    code: str
    name: str
    level: str
    polygons: tuple[Polygon, ...]


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
# Flattening


def _text(value: Any) -> str:
    """JSON value → CSV cell: None → '', booleans → True/False (as police.uk's CSVs write)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def flatten_crime(crime: dict, area_code: str = "", area_name: str = "") -> dict[str, str]:
    """One API crime (crimes-street or crimes-no-location) as a row in API_STREET_COLUMNS.

    Crimes with no location (location null) get empty latitude, longitude and street; a
    crime with no outcome yet (outcome_status null) gets empty outcome columns.
    """
    location = crime.get("location") or {}
    street = location.get("street") or {}
    outcome = crime.get("outcome_status") or {}
    row = {
        "ward_code": area_code,
        "ward_name": area_name,
        "api_id": crime.get("id"),
        "persistent_id": crime.get("persistent_id"),
        "month": crime.get("month"),
        "category": crime.get("category"),
        "location_type": crime.get("location_type"),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "street_id": street.get("id"),
        "street_name": street.get("name"),
        "context": crime.get("context"),
        "outcome_category": outcome.get("category"),
        "outcome_date": outcome.get("date"),
        "location_subtype": crime.get("location_subtype"),
    }
    return {column: _text(row[column]) for column in formats.API_STREET_COLUMNS}


def stop_outcome(stop: dict) -> str:
    """The outcome's name: `outcome` when it is a non-empty string, else the name in
    `outcome_object`; '' when neither says (older answers give `outcome: false`)."""
    outcome = stop.get("outcome")
    if isinstance(outcome, str) and outcome.strip():
        return outcome
    named = stop.get("outcome_object") or {}
    name = named.get("name") if isinstance(named, dict) else None
    return name if isinstance(name, str) else ""


def flatten_stop(stop: dict) -> dict[str, str]:
    """One API stop and search (stops-force) as a row in police.uk's stop-and-search CSV
    layout (formats.STOP_SEARCH_COLUMNS)."""
    location = stop.get("location") or {}
    row = {
        "Type": stop.get("type"),
        "Date": stop.get("datetime"),
        "Part of a policing operation": stop.get("operation"),
        "Policing operation": stop.get("operation_name"),
        "Latitude": location.get("latitude"),
        "Longitude": location.get("longitude"),
        "Gender": stop.get("gender"),
        "Age range": stop.get("age_range"),
        "Self-defined ethnicity": stop.get("self_defined_ethnicity"),
        "Officer-defined ethnicity": stop.get("officer_defined_ethnicity"),
        "Legislation": stop.get("legislation"),
        "Object of search": stop.get("object_of_search"),
        "Outcome": stop_outcome(stop),
        "Outcome linked to object of search": stop.get("outcome_linked_to_object_of_search"),
        "Removal of more than just outer clothing":
            stop.get("removal_of_more_than_outer_clothing"),
    }
    return {column: _text(row[column]) for column in formats.STOP_SEARCH_COLUMNS}


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    """Write rows under a header (via path.part, renamed when complete); returns the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    count = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    partial.replace(path)
    return count


def api_street_file(dest: Path, slug: str, month: str) -> Path:
    return dest / "api" / slug / f"{month}-{slug}-api-street.csv"


def api_stops_file(dest: Path, slug: str, month: str) -> Path:
    # Named as police.uk names it, so that the importer finds the force in the name.
    return dest / "api" / slug / f"{month}-{slug}-stop-and-search.csv"


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


# ---------------------------------------------------------------------------------------------
# Which areas to ask for (the only database access in this module)


class AreaLookupError(Exception):
    """No area, or no boundaries, to ask the API for: a usage error."""


def query_areas(force_name: str, area_code: str | None = None) -> tuple[list[QueryArea], str]:
    """The polygons to ask the API for, and a description of where they came from.

    The area is `area_code`, else the area of each partnership whose police force is
    `force_name`. Its descendant wards with boundaries are used (the newest vintage if several
    are linked); if there are none, its LSOAs; if none, the area's own boundary.
    """
    from saferplaces.areas.models import Area, AreaLevel, AreaLink
    from saferplaces.areas.queries import find_area
    from saferplaces.partnership.models import Partnership

    if area_code:
        area = find_area(area_code)
        if area is None:
            raise AreaLookupError(f"No area with code {area_code!r}; load the geography first "
                                  "(saferplaces geo).")
        roots, description = [area], f"{area.name} ({area.code})"
    else:
        partnerships = [p for p in Partnership.objects.exclude(area=None).select_related("area")
                        if formats.force_by_name_or_slug(p.police_force or "") == force_name]
        if not partnerships:
            raise AreaLookupError(f"No partnership with an area has police force {force_name!r}; "
                                  "give --area CODE (e.g. a local authority district code).")
        roots = list({p.area.pk: p.area for p in partnerships}.values())
        description = ", ".join(f"{p.name}'s area {p.area.name} ({p.area.code})"
                                for p in partnerships)
    descendants: dict[int, Area] = {}
    frontier = [root.pk for root in roots]
    seen = set(frontier)
    while frontier:
        links = AreaLink.objects.filter(parent_id__in=frontier).select_related("child")
        frontier = []
        for link in links:
            if link.child.pk not in seen:
                seen.add(link.child.pk)
                descendants[link.child.pk] = link.child
                frontier.append(link.child.pk)
    for level in (AreaLevel.WARD, AreaLevel.LSOA):
        candidates = [a for a in descendants.values() if a.level == level and a.boundary]
        if candidates:
            newest = max(a.vintage for a in candidates)
            chosen = sorted((a for a in candidates if a.vintage == newest), key=lambda a: a.code)
            break
    else:
        chosen = [root for root in roots if root.boundary]
    areas = []
    for area in chosen:
        polygons = tuple(boundary_polygons(area.boundary))
        if polygons:
            areas.append(QueryArea(area.code, area.name, area.get_level_display().lower()
                                   if area.level != AreaLevel.LSOA else "LSOA", polygons))
    if not areas:
        raise AreaLookupError(f"No ward, LSOA or area boundaries for {description}; load the "
                              "geography first (saferplaces geo) or give another --area.")
    return areas, description
