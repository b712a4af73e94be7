"""A stand-in for data.police.uk, so that tests of `saferplaces crime fetch` never touch the
internet: a `ThreadingHTTPServer` on 127.0.0.1 (port 0, so the OS picks a free one) in a thread.

It serves, for the months in `months`:

- POST /api/crimes-street/all-crime (form fields poly, date): the canned crimes of that month
  that lie in the polygon, or HTTP 503 when there are more than `max_crimes` (as police.uk does
  above 10,000);
- GET /api/crimes-no-location?category=all-crime&force=SLUG&date=YYYY-MM;
- GET /api/stops-force?force=SLUG&date=YYYY-MM;
- GET /data/archive/YYYY-MM.zip: bytes from `archives`, with Content-Length;

and 404 for any other month or path. Failures can be queued per path with `fail()`: a status
(optionally with headers, e.g. 429 with Retry-After: 0), "drop" (close the connection without
answering) or ("delay", seconds) (answer late). Every request is logged in `log` as it
arrives, with the status it was answered with (0 while unanswered, or when dropped).

The canned data is real: `api_crimes_from_csv` rebuilds API JSON from a file of flattened
real API answers.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from shapely.geometry import Point, Polygon


@dataclass
class Logged:
    method: str
    path: str
    params: dict[str, str]
    status: int
    user_agent: str = ""


class PoliceUkStandin:
    """The stand-in server. Use as a context manager, or call start() and stop()."""

    def __init__(self) -> None:
        self.months: set[str] = set()
        self.street: dict[str, list[dict]] = {}  # month → crimes with a location
        self.no_location: dict[tuple[str, str], list[dict]] = {}  # (force slug, month) → crimes
        self.stops: dict[tuple[str, str], list[dict]] = {}  # (force slug, month) → stops
        self.archives: dict[str, bytes] = {}  # archive month → zip bytes
        self.max_crimes = 10_000
        self.failures: dict[str, list] = {}
        self.log: list[Logged] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> PoliceUkStandin:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.standin = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> PoliceUkStandin:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # -- programming it

    def fail(self, path: str, *responses) -> None:
        """Queue failures for the next requests to `path`: each an int status, (status,
        headers), "drop" or ("delay", seconds). Then the path answers normally again."""
        with self.lock:
            self.failures.setdefault(path, []).extend(responses)

    def count(self, path: str | None = None, *, status: int | None = None) -> int:
        """How many requests (to `path`, answered with `status`) were made."""
        with self.lock:
            return sum(1 for r in self.log if (path is None or r.path == path)
                       and (status is None or r.status == status))

    # -- answering

    def _next_failure(self, path: str):
        with self.lock:
            queue = self.failures.get(path)
            return queue.pop(0) if queue else None

    def _record(self, method: str, path: str, params: dict[str, str],
                user_agent: str = "") -> Logged:
        """Log a request as it arrives (status 0 until answered)."""
        entry = Logged(method, path, params, 0, user_agent)
        with self.lock:
            self.log.append(entry)
        return entry

    def answer(self, method: str, path: str, params: dict[str, str]):
        """(status, headers, body) for a request with no failure queued."""
        if path.startswith("/data/archive/") and method == "GET":
            month = path.removeprefix("/data/archive/").removesuffix(".zip")
            if month in self.archives:
                return 200, {"Content-Type": "application/zip"}, self.archives[month]
            return 404, {}, b""
        month = params.get("date", "")
        if path not in ("/api/crimes-street/all-crime", "/api/crimes-no-location",
                        "/api/stops-force"):
            return 404, {}, b""
        if month not in self.months:
            return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        if path == "/api/crimes-street/all-crime":
            if "poly" not in params:
                return 400, {}, b""
            polygon = parse_poly(params["poly"])
            found = [c for c in self.street.get(month, []) if polygon.covers(
                Point(float(c["location"]["longitude"]), float(c["location"]["latitude"])))]
            if len(found) > self.max_crimes:
                return 503, {}, b""
            return 200, _JSON, json.dumps(found).encode()
        force = params.get("force", "")
        if path == "/api/crimes-no-location":
            return 200, _JSON, json.dumps(self.no_location.get((force, month), [])).encode()
        return 200, _JSON, json.dumps(self.stops.get((force, month), [])).encode()


_JSON = {"Content-Type": "application/json"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet in tests
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        standin: PoliceUkStandin = self.server.standin  # type: ignore[attr-defined]
        parsed = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(parsed.query))
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        entry = standin._record(method, parsed.path, params, self.headers.get("User-Agent", ""))
        failure = standin._next_failure(parsed.path)
        if failure == "drop":
            self.close_connection = True
            return
        if isinstance(failure, tuple) and failure[0] == "delay":
            time.sleep(failure[1])
            failure = None
        if failure is not None:
            status, headers = failure if isinstance(failure, tuple) else (failure, {})
            body = b""
        else:
            status, headers, body = standin.answer(method, parsed.path, params)
        entry.status = status
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


def parse_poly(text: str) -> Polygon:
    """The API's 'lat,lng:lat,lng:...' as a shapely polygon in lon/lat."""
    points = []
    for pair in text.split(":"):
        lat, lng = pair.split(",")
        points.append((float(lng), float(lat)))
    return Polygon(points)


# ---------------------------------------------------------------------------------------------
# Canned data from real files


def api_crimes_from_csv(path: Path, *, every: int = 1, limit: int | None = None) -> list[dict]:
    """Rebuild API crime JSON (as crimes-street returns it) from flattened real API answers
    (formats.API_STREET_COLUMNS); one crime per API id, every `every`th row."""
    crimes: dict[str, dict] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index % every or row["api_id"] in crimes:
                continue
            crimes[row["api_id"]] = {
                "category": row["category"],
                "location_type": row["location_type"] or None,
                "location": {
                    "latitude": row["latitude"],
                    "street": {"id": int(row["street_id"]), "name": row["street_name"]},
                    "longitude": row["longitude"],
                },
                "context": row["context"],
                "outcome_status": ({"category": row["outcome_category"],
                                    "date": row["outcome_date"]}
                                   if row["outcome_category"] else None),
                "persistent_id": row["persistent_id"],
                "id": int(row["api_id"]),
                "location_subtype": row["location_subtype"],
                "month": row["month"],
            }
            if limit and len(crimes) >= limit:
                break
    return list(crimes.values())


def without_location(crime: dict, new_id: int) -> dict:
    """A crime as crimes-no-location returns it (location null, location_type null)."""
    return {**crime, "id": new_id, "location": None, "location_type": None,
            "location_subtype": ""}


def sample_stops(month: str) -> list[dict]:
    """Stop and searches shaped as stops-force answers them (current and older forms: outcome
    a string, '' with the name only in outcome_object, or false; location null)."""
    base = {
        "age_range": "18-24", "officer_defined_ethnicity": "White", "involved_person": True,
        "self_defined_ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
        "gender": "Male", "legislation": "Misuse of Drugs Act 1971 (section 23)",
        "outcome_linked_to_object_of_search": None, "operation": False,
        "object_of_search": "Controlled drugs", "type": "Person search",
        "operation_name": None, "removal_of_more_than_outer_clothing": False,
    }
    return [
        {**base, "datetime": f"{month}-06T22:45:00+00:00", "outcome": "Arrest",
         "outcome_object": {"id": "bu-arrest", "name": "Arrest"},
         "outcome_linked_to_object_of_search": True,
         "location": {"latitude": "52.586500", "street": {"id": 1267000,
                      "name": "On or near Lichfield Street"}, "longitude": "-2.127800"}},
        {**base, "datetime": f"{month}-07T01:10:00+00:00", "outcome": "",
         "outcome_object": {"id": "bu-no-further-action",
                            "name": "A no further action disposal"},
         "type": "Person and Vehicle search", "age_range": "over 34",
         "location": {"latitude": "52.562768", "street": {"id": 1266492,
                      "name": "On or near Linton Croft"}, "longitude": "-2.079262"}},
        {**base, "datetime": f"{month}-12T14:00:00+00:00", "outcome": False,
         "gender": "Female", "operation": True, "operation_name": "Operation Sceptre",
         "location": None},
    ]


def archive_zip(members: dict[str, bytes]) -> bytes:
    """A zip laid out like police.uk's monthly archive: {'YYYY-MM/YYYY-MM-force-street.csv':
    bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
