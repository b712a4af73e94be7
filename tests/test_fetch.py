"""saferplaces crime fetch: police.uk API and archive downloads, against a local stand-in server
(tests/policeuk_standin.py). Nothing here touches the internet."""

import csv
import datetime
import gzip
import io
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum
from shapely.geometry import Point, Polygon, box

from saferplaces.areas.models import Area, AreaLink
from saferplaces.crime import fetch, fetch_areas, formats, policeuk_api, policeuk_http
from saferplaces.crime.models import CrimeCount, CrimeImport, StopSearch
from saferplaces.partnership.models import Partnership
from tests.commands import run_command
from tests.policeuk_standin import (
    PoliceUkStandin,
    api_crimes_from_csv,
    archive_zip,
    sample_stops,
    without_location,
)

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent
API_CRIMES_CSV = (REPO / "saferplaces" / "demo" / "data"
                  / "policeuk_2018-06_wolverhampton_api_street.csv")
WY_STREET_GZ = REPO / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"

STREET = "/api/crimes-street/all-crime"
NO_LOCATION = "/api/crimes-no-location"
STOPS = "/api/stops-force"
WMP = "West Midlands Police"
JUNE = datetime.date(2018, 6, 1)

# Two square wards side by side over Wolverhampton (WGS84 lon/lat).
WEST = box(-2.21, 52.55, -2.13, 52.63)
EAST = box(-2.13, 52.55, -2.05, 52.63)


def geojson(polygon: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[list(c) for c in polygon.exterior.coords]]}


@pytest.fixture(autouse=True)
def no_internet(settings):
    """Even a test that forgets the stand-in never reaches police.uk (port 9 is discard)."""
    settings.POLICE_UK_BASE_URL = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def june_crimes():
    """About 120 real crimes from June 2018 in Wolverhampton, as the API returns them."""
    return api_crimes_from_csv(API_CRIMES_CSV, every=20)


@pytest.fixture
def standin(settings, june_crimes, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # talk to 127.0.0.1 directly
    with PoliceUkStandin() as server:
        server.months = {"2018-06"}
        server.street["2018-06"] = june_crimes
        server.no_location[("west-midlands", "2018-06")] = [
            without_location(c, 90_000_000 + i) for i, c in enumerate(june_crimes[:4])]
        server.stops[("west-midlands", "2018-06")] = sample_stops("2018-06")
        settings.POLICE_UK_BASE_URL = server.url
        yield server


@pytest.fixture
def place():
    """Wolverhampton (a LAD) with two square wards, and the partnership whose force is WMP."""
    lad = Area.objects.create(level="lad", code="E08000031", name="Wolverhampton",
                              vintage="2022")
    wards = [
        Area.objects.create(level="ward", code="E05015500", name="West Ward", vintage="2023",
                            boundary=geojson(WEST)),
        Area.objects.create(level="ward", code="E05015501", name="East Ward", vintage="2023",
                            boundary=geojson(EAST)),
    ]
    for ward in wards:
        AreaLink.objects.create(child=ward, parent=lad, vintage="WD23-LAD23 test")
    partnership = Partnership.objects.create(name="Safer Wolverhampton Partnership",
                                             short_name="SWP", slug="swp", area=lad,
                                             police_force=WMP)
    return {"lad": lad, "wards": wards, "partnership": partnership}


def expected_street(crimes) -> int:
    """Crimes the two wards hold (each once), as the importer keeps them."""
    both = WEST.union(EAST)
    return len({c["id"] for c in crimes if both.covers(
        Point(float(c["location"]["longitude"]), float(c["location"]["latitude"])))})


def run_fetch(tmp_path, *args):
    """Run `saferplaces crime fetch` through the crime dispatcher; (exit code, out, err)."""
    return run_command("crime", "fetch", *args, "--dest", tmp_path / "dl", "--rate", "1000",
                       "--retry-delay", "0.001")


def street_total(force=WMP, month=JUNE) -> int:
    return CrimeCount.objects.filter(batch__force=force, month=month).aggregate(
        n=Sum("count"))["n"]


# ---------------------------------------------------------------------------------------------
# The API


def test_api_fetch_writes_files_and_imports_them(tmp_path, standin, place, june_crimes):
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06")
    assert code == 0, err
    # One request per ward, one for crimes with no location, one for stop and search.
    assert standin.count(STREET) == 2
    assert standin.count(NO_LOCATION) == 1
    assert standin.count(STOPS) == 1
    assert {r.user_agent for r in standin.log} == {policeuk_http.USER_AGENT}
    assert {r.method for r in standin.log if r.path == STREET} == {"POST"}
    assert {r.params["date"] for r in standin.log} == {"2018-06"}
    assert standin.log[0].params["poly"].startswith("52.")  # lat,lng order

    street_file = tmp_path / "dl/api/west-midlands/2018-06-west-midlands-api-street.csv"
    stops_file = tmp_path / "dl/api/west-midlands/2018-06-west-midlands-stop-and-search.csv"
    with street_file.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == formats.API_STREET_COLUMNS
        rows = list(reader)
    located = [r for r in rows if r["latitude"]]
    assert {r["ward_code"] for r in located} == {"E05015500", "E05015501"}
    assert len([r for r in rows if not r["latitude"]]) == 4
    assert all(r["ward_code"] == "" and r["street_name"] == "" for r in rows
               if not r["latitude"])
    assert stops_file.read_text().splitlines()[0] == ",".join(formats.STOP_SEARCH_COLUMNS)

    expected = expected_street(june_crimes) + 4
    street = CrimeImport.objects.get(force=WMP, month=JUNE, kind="street")
    assert street.rows_total == expected
    assert street_total() == expected
    stops = StopSearch.objects.filter(force=WMP, month=JUNE)
    assert stops.count() == 3
    assert sorted(stops.values_list("outcome", flat=True)) == [
        "", "A no further action disposal", "Arrest"]
    operation = stops.get(gender="Female")
    assert operation.part_of_operation is True and operation.operation == "Operation Sceptre"
    assert operation.latitude is None
    assert stops.get(outcome="Arrest").outcome_linked_to_object is True

    assert "2018-06 street crimes:" in out and "2 ward(s)" in out
    assert "2018-06 crimes with no location: 4" in out
    assert "2018-06 stop and search: 3 written" in out
    assert "2 file(s) written, 4 request(s)" in out and "0 failed" in out


def test_a_polygon_with_too_many_crimes_is_split(tmp_path, standin, place, june_crimes):
    standin.max_crimes = 25  # police.uk's limit is 10,000; the stand-in's is tiny
    code, out, err = run_fetch(tmp_path, "--force", "west-midlands", "--from", "2018-06",
                               "--to", "2018-06")
    assert code == 0, err
    refused = standin.count(STREET, status=503)
    assert refused >= 2
    # Every 503 asks again for the two halves.
    assert standin.count(STREET) == 2 + 2 * refused
    assert "split(s) of an area with more than 10,000 crimes" in out
    # Nothing lost and nothing counted twice.
    assert street_total() == expected_street(june_crimes) + 4


def test_split_gives_up_at_the_depth_limit(standin, settings):
    standin.max_crimes = -1  # every polygon is "too big"
    client = policeuk_http.PoliceUkClient(standin.url, rate=0, retry_delay=0.001)
    with pytest.raises(policeuk_http.FetchFailed, match="even after splitting the area 2 times"):
        fetch.fetch_street_crimes(client, WEST, "2018-06", max_depth=2)
    # The whole, its first half, that half's first half: then it gives up.
    assert standin.count(STREET) == 3


def test_429_and_500s_are_retried(tmp_path, standin, place, june_crimes):
    standin.fail(STOPS, (429, {"Retry-After": "0"}))
    standin.fail(NO_LOCATION, 500, 500)
    standin.fail(STREET, 502)
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06")
    assert code == 0, err
    assert standin.count(STOPS) == 2
    assert standin.count(NO_LOCATION) == 3
    assert standin.count(STREET) == 3
    assert street_total() == expected_street(june_crimes) + 4
    assert StopSearch.objects.count() == 3


def test_timeouts_and_dropped_connections_are_retried(tmp_path, standin, place):
    standin.fail(NO_LOCATION, ("delay", 0.6))
    standin.fail(STOPS, "drop")
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06",
                               "--timeout", "0.3")
    assert code == 0, err
    assert standin.count(NO_LOCATION) == 2
    assert standin.count(STOPS) == 2
    assert StopSearch.objects.count() == 3


def test_a_request_that_keeps_failing_is_reported_and_the_rest_goes_on(
        tmp_path, standin, place, june_crimes):
    standin.fail(STOPS, *[500] * 5)
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06")
    assert code == 1
    assert standin.count(STOPS) == 5  # the first try and 4 retries
    assert "2018-06 stop and search: FAILED" in err
    assert "HTTP 500 (gave up after 4 retries)" in err
    assert "1 failed" in out
    assert street_total() == expected_street(june_crimes) + 4
    assert not StopSearch.objects.exists()


def test_a_failed_street_request_writes_nothing_for_the_month(tmp_path, standin, place):
    client = policeuk_http.PoliceUkClient(standin.url, rate=0, retry_delay=0.001)
    standin.fail(STREET, *[500] * 5)
    areas, _ = fetch_areas.query_areas(WMP)
    out, err = Lines(), Lines()
    report = fetch.fetch_api(client, slug="west-midlands", months=["2018-06"], areas=areas,
                             dest=tmp_path, out=out, err=err)
    assert report.failures == ["2018-06 street crimes"]
    assert "nothing written for 2018-06's street crimes" in err.text
    assert "crimes with no location: not requested" in out.text
    assert not (tmp_path / "api/west-midlands/2018-06-west-midlands-api-street.csv").exists()
    assert [p.name for p in report.files] == ["2018-06-west-midlands-stop-and-search.csv"]


def test_a_month_police_uk_has_not_published_is_skipped(tmp_path, standin, place):
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-05", "--to", "2018-06")
    assert code == 0, err
    assert "2018-05 street crimes: no data (HTTP 404" in out
    assert "2018-05 crimes with no location: no data" in out
    assert "2018-05 stop and search: no data" in out
    # May: the first street request answers 404, so the other ward is not asked.
    assert standin.count(status=404) == 3
    assert standin.count() == 3 + 4
    assert set(CrimeImport.objects.values_list("month", flat=True)) == {JUNE}


def test_dry_run_validates_and_no_import_only_downloads(tmp_path, standin, place):
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06",
                               "--dry-run")
    assert code == 0, err
    assert "valid (dry run)" in out
    assert not CrimeImport.objects.exists()
    code, out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06",
                               "--no-import")
    assert code == 0, err
    assert "imported" not in out and not CrimeImport.objects.exists()
    assert len(list((tmp_path / "dl/api/west-midlands").glob("*.csv"))) == 2
    # The files can be imported later with `crime import`.
    call_command("crime", "import", str(tmp_path / "dl/api/west-midlands"), "--force", WMP,
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert CrimeImport.objects.filter(force=WMP).count() == 2


def test_a_fetch_that_would_shrink_a_stored_month_is_refused_unless_replace(
        tmp_path, standin, place, june_crimes):
    """The API's crimes in two wards must not silently replace the whole month imported
    from a fuller file (the same guard as `crime import`)."""
    code, _out, err = run_command("crime", "import", API_CRIMES_CSV, "--force", WMP)
    assert code == 0, err
    full = CrimeImport.objects.get(force=WMP, month=JUNE, kind="street").rows_total
    fetched = expected_street(june_crimes) + 4
    assert fetched * 2 < full
    code, _out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06")
    assert code == 1
    assert (f"West Midlands Police 2018-06 street: this file has {fetched:,} rows where the "
            f"stored import has {full:,}") in err
    assert street_total() == full
    code, _out, err = run_fetch(tmp_path, "--force", WMP, "--from", "2018-06", "--to", "2018-06",
                                "--replace")
    assert code == 0, err
    assert street_total() == fetched


@pytest.mark.parametrize("args, message", [
    (["--force", "Gotham City Police", "--from", "2018-06", "--to", "2018-06"],
     "Unknown force"),
    (["--force", WMP, "--from", "2018-13", "--to", "2018-06"], "has no month 13"),
    (["--force", WMP, "--from", "2018-6", "--to", "2018-06"], "is not a month"),
    (["--force", WMP, "--from", "2018-06", "--to", "2018-01"], "is before --from"),
    (["--force", "durham", "--from", "2018-06", "--to", "2018-06"],
     "No partnership with an area has police force 'Durham Constabulary'"),
    (["--force", WMP, "--from", "2018-06", "--to", "2018-06", "--area", "E99999999"],
     "No area with code"),
])
def test_usage_errors_exit_2_without_a_request(tmp_path, standin, place, args, message):
    code, out, err = run_fetch(tmp_path, *args)
    assert code == 2
    assert message in err
    assert standin.count() == 0


# ---------------------------------------------------------------------------------------------
# The monthly archive


@pytest.fixture(scope="module")
def wy_street_csv():
    return gzip.decompress(WY_STREET_GZ.read_bytes())


def test_archive_extracts_the_force_and_months_asked_for(tmp_path, standin, wy_street_csv):
    header, first = wy_street_csv.split(b"\n")[:2]
    standin.archives["2017-07"] = archive_zip({
        "2017-07/2017-07-west-yorkshire-street.csv": wy_street_csv,
        "2017-07/2017-07-west-midlands-street.csv": header + b"\n" + first + b"\n",
        "2017-06/2017-06-west-yorkshire-street.csv": header + b"\n" + first + b"\n",
    })
    code, out, err = run_fetch(tmp_path, "--force", "West Yorkshire Police", "--source",
                               "archive", "--from", "2017-07", "--to", "2017-07")
    assert code == 0, err
    assert standin.count("/data/archive/2017-07.zip") == 1
    folder = tmp_path / "dl/archive/west-yorkshire"
    assert sorted(p.name for p in folder.iterdir()) == ["2017-07-west-yorkshire-street.csv"]
    assert (folder / "2017-07-west-yorkshire-street.csv").read_bytes() == wy_street_csv
    assert "downloaded" in out and "(no outcomes, stop-and-search file in the archive)" in out
    rows = wy_street_csv.count(b"\n") - 1
    batch = CrimeImport.objects.get(force="West Yorkshire Police", kind="street")
    assert batch.month == datetime.date(2017, 7, 1) and batch.rows_total == rows
    assert CrimeCount.objects.aggregate(n=Sum("count"))["n"] == rows
    assert not CrimeImport.objects.exclude(force="West Yorkshire Police").exists()

    # A complete zip already downloaded is used again, not fetched again.
    code, out, err = run_fetch(tmp_path, "--force", "west-yorkshire", "--source", "archive",
                               "--from", "2017-07", "--to", "2017-07", "--no-import")
    assert code == 0, err
    assert "already downloaded" in out
    assert standin.count("/data/archive/2017-07.zip") == 1


def test_archive_not_published_is_no_data(tmp_path, standin):
    code, out, err = run_fetch(tmp_path, "--force", "west-yorkshire", "--source", "archive",
                               "--from", "2031-01", "--to", "2031-01")
    assert code == 0, err
    assert "2031-01 archive: no data (HTTP 404" in out
    assert "Nothing downloaded" in out
    assert not (tmp_path / "dl/archive/2031-01.zip").exists()


def test_archive_download_is_retried_and_not_left_half_written(tmp_path, standin):
    standin.archives["2017-07"] = archive_zip({"2017-07/readme.txt": b"x" * 5000})
    standin.fail("/data/archive/2017-07.zip", 500)
    client = policeuk_http.PoliceUkClient(standin.url, rate=0, retry_delay=0.001)
    seen = []
    size = client.download("/data/archive/2017-07.zip", tmp_path / "a.zip",
                           on_progress=lambda done, total: seen.append((done, total)))
    assert size == len(standin.archives["2017-07"]) == seen[-1][0] == seen[-1][1]
    assert [p.name for p in tmp_path.iterdir()] == ["a.zip"]
    standin.fail("/data/archive/2017-07.zip", *[503] * 5)
    with pytest.raises(policeuk_http.FetchFailed):
        client.download("/data/archive/2017-07.zip", tmp_path / "b.zip")
    assert [p.name for p in tmp_path.iterdir()] == ["a.zip"]


def test_archive_plan_uses_as_few_archives_as_possible():
    months = fetch.month_range("2014-01", "2017-12")
    plan = fetch.archive_plan(months)
    assert [(a, len(ms)) for a, ms in plan] == [("2017-12", 36), ("2014-12", 12)]
    assert plan[1][1][0] == "2014-01" and plan[0][1][0] == "2015-01"


# ---------------------------------------------------------------------------------------------
# The pieces


class Lines:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)

    @property
    def text(self):
        return "\n".join(self.lines)


def test_retry_after_and_exponential_backoff(standin):
    slept = []
    client = policeuk_http.PoliceUkClient(standin.url, rate=0, retry_delay=0.5, sleep=slept.append)
    standin.fail(STOPS, (429, {"Retry-After": "2"}), 429, 500, 500, 500)
    assert len(client.get_json(STOPS, {"force": "west-midlands", "date": "2018-06"})) == 3
    # 429 with Retry-After waits that long; without, backs off; 5xx backs off 0.5, 1, 2.
    assert slept == [2.0, 1.0, 0.5, 1.0, 2.0]
    assert client.requests == 6
    standin.fail(STOPS, 400)
    with pytest.raises(policeuk_http.FetchFailed, match="HTTP 400"):
        client.get_json(STOPS, {"force": "west-midlands", "date": "2018-06"})
    with pytest.raises(policeuk_http.NotFound):
        client.get_json(STOPS, {"force": "west-midlands", "date": "1999-01"})


def test_rate_limiter_keeps_to_the_rate():
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    limiter = policeuk_http.RateLimiter(10, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait()
    assert now[0] == 0.0  # the burst
    for _ in range(5):
        limiter.wait()
    assert now[0] == pytest.approx(0.5)  # then one every 0.1 s
    now[0] += 10  # idle: the bucket refills, but only to the burst
    start = now[0]
    for _ in range(4):
        limiter.wait()
    assert now[0] - start == pytest.approx(0.1)


def test_simplified_polygon_has_few_points_and_covers_the_boundary():
    circle = Point(-2.13, 52.59).buffer(0.05, quad_segs=128)  # 512 points
    ragged = Polygon([  # a star-shaped wiggly boundary of 720 points, like a real ward
        (-2.13 + r * math.cos(a), 52.59 + r * math.sin(a))
        for a, r in ((math.radians(i / 2), 0.05 + 0.01 * math.sin(7 * math.radians(i / 2))
                      + 0.001 * math.sin(i)) for i in range(720))])
    assert ragged.is_valid
    for polygon in (circle, ragged):
        simple = fetch_areas.simplify_for_query(polygon)
        assert len(simple.exterior.coords) - 1 <= fetch_areas.MAX_POLY_POINTS
        assert simple.covers(polygon)
        assert simple.area < polygon.area * 1.25
    square = fetch_areas.simplify_for_query(WEST)
    assert fetch_areas.poly_param(square) == (
        "52.550000,-2.130000:52.630000,-2.130000:52.630000,-2.210000:52.550000,-2.210000")


def test_split_halves_the_longer_side():
    wide = box(-2.4, 52.5, -2.0, 52.6)  # 27 km by 11 km
    halves = fetch_areas.split_polygon(wide)
    assert len(halves) == 2
    assert {h.bounds for h in halves} == {(-2.4, 52.5, -2.2, 52.6), (-2.2, 52.5, -2.0, 52.6)}
    tall = box(-2.1, 52.5, -2.0, 52.8)
    assert {round(h.bounds[1], 6) for h in fetch_areas.split_polygon(tall)} == {52.5, 52.65}


def test_boundary_polygons_take_each_part_without_holes():
    multi = {"type": "MultiPolygon", "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
         [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]],
        [[[2, 0], [3, 0], [3, 1], [2, 0]]],
    ]}
    parts = fetch_areas.boundary_polygons(multi)
    assert [p.area for p in parts] == [1.0, 0.5]
    assert all(not p.interiors for p in parts)


def test_flatten_crime_and_stop():
    crime = {"category": "burglary", "persistent_id": "abc", "location_subtype": "",
             "id": 56862854, "location": None, "context": "", "month": "2017-03",
             "location_type": None, "outcome_status": None}
    row = policeuk_api.flatten_crime(crime)
    assert tuple(row) == formats.API_STREET_COLUMNS
    assert row["api_id"] == "56862854" and row["latitude"] == row["outcome_category"] == ""
    crime["outcome_status"] = {"category": "Under investigation", "date": "2017-03"}
    crime["location"] = {"latitude": "52.1", "longitude": "-1.2",
                         "street": {"id": 9, "name": "On or near Mill Lane"}}
    row = policeuk_api.flatten_crime(crime, "E05000001", "Park")
    assert (row["ward_code"], row["street_id"], row["street_name"], row["outcome_date"]) == (
        "E05000001", "9", "On or near Mill Lane", "2017-03")
    stops = [policeuk_api.flatten_stop(s) for s in sample_stops("2018-06")]
    assert tuple(stops[0]) == formats.STOP_SEARCH_COLUMNS
    assert [s["Outcome"] for s in stops] == ["Arrest", "A no further action disposal", ""]
    assert stops[0]["Outcome linked to object of search"] == "True"
    assert stops[2]["Latitude"] == "" and stops[2]["Part of a policing operation"] == "True"


def test_query_areas_prefers_wards_of_the_newest_vintage_then_lsoas(place):
    areas, where = fetch_areas.query_areas(WMP)
    assert [a.code for a in areas] == ["E05015500", "E05015501"]
    assert "Safer Wolverhampton Partnership" in where
    lad = place["lad"]
    old = Area.objects.create(level="ward", code="E05001321", name="Old Ward", vintage="2004",
                              boundary=geojson(WEST.union(EAST).envelope))
    AreaLink.objects.create(child=old, parent=lad, vintage="WD04-LAD test")
    assert [a.code for a in fetch_areas.query_areas(WMP)[0]] == ["E05015500", "E05015501"]

    other = Area.objects.create(level="lad", code="E08000030", name="Walsall", vintage="2022")
    lsoa = Area.objects.create(level="lsoa", code="E01010000", name="Walsall 001A",
                               vintage="2021", boundary=geojson(box(-2.0, 52.6, -1.9, 52.7)))
    AreaLink.objects.create(child=lsoa, parent=other, vintage="LSOA21-LAD test")
    areas, _ = fetch_areas.query_areas(WMP, "E08000030")
    assert [(a.code, a.level) for a in areas] == [("E01010000", "LSOA")]
    with pytest.raises(fetch_areas.AreaLookupError, match="No ward, LSOA or area boundaries"):
        fetch_areas.query_areas(WMP, Area.objects.create(level="lad", code="E06000001",
                                                   name="Hartlepool", vintage="2022").code)
