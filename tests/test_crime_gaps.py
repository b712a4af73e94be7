"""Gaps found on real police.uk files (issue 8, point 10): one force resolver, outcomes for a
force, stop and search breakdowns, crimes with no location, change with nothing to compare,
blank outcomes. Expected figures are counted from the CSV files themselves."""

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from scipy.stats import binomtest

from saferplaces.areas.models import Area, AreaLink
from saferplaces.crime import analytics
from tests.commands import run_command

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "policeuk"
STREET = DATA / "2017-07-west-yorkshire-street.csv.gz"
OUTCOMES = DATA / "2020-12-west-midlands-outcomes_wolverhampton.csv"
DURHAM = DATA / "2020-02-durham-stop-and-search.csv"
STREET_2016 = DATA / "2016-07-west-yorkshire-street.csv.gz"


def crime(*args):
    return run_command("crime", *args)


def read_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_json(out: str) -> dict:
    return json.loads(out)


@pytest.fixture
def street():
    code, _out, err = crime("import", STREET)
    assert code == 0, err
    return read_rows(STREET)


# ---- one force resolver ---------------------------------------------------------------------


@pytest.mark.parametrize("force", ["west-yorkshire", "West Yorkshire Police",
                                   "WEST YORKSHIRE POLICE"])
def test_summary_accepts_a_force_slug_or_name(street, force):
    code, out, err = crime("summary", "--force", force, "--from", "2017-07", "--to", "2017-07",
                           "--by", "crime-type", "--format", "json")
    assert code == 0, err
    assert as_json(out)["total"] == len(street) == 28537


def test_an_unknown_force_is_a_usage_error_listing_the_forces_with_data(street):
    for args in (["summary", "--by", "crime-type"], ["change"], ["stop-search"],
                 ["outcomes"]):
        code, _out, err = crime(*args, "--force", "west-yorks", "--from", "2017-07",
                                "--to", "2017-07")
        assert code == 2, args
        assert "Unknown force 'west-yorks'" in err and "West Yorkshire Police" in err, args
    code, _out, err = crime("import", STREET, "--force", "west-yorks")
    assert code == 2 and "Forces with data: West Yorkshire Police" in err


def test_stop_search_takes_the_force_slug():
    assert crime("import", DURHAM)[0] == 0
    code, out, err = crime("stop-search", "--force", "durham", "--from", "2020-02", "--to",
                           "2020-02", "--format", "json")
    assert code == 0, err
    assert as_json(out)["total"] == len(read_rows(DURHAM))


# ---- outcomes without a partnership -----------------------------------------------------------


def test_outcomes_for_a_force_profile_the_outcome_types_recorded_in_the_month():
    assert crime("import", OUTCOMES)[0] == 0
    expected = Counter(row["Outcome type"] for row in read_rows(OUTCOMES))
    code, out, err = crime("outcomes", "--force", "west-midlands", "--from", "2020-12", "--to",
                           "2020-12", "--format", "json")
    assert code == 0, err
    data = as_json(out)
    assert {r["outcome"]: r["outcomes"] for r in data["rows"]} == dict(expected)
    assert data["total"] == sum(expected.values()) == 193
    assert "recorded in the months chosen, not the outcomes of crimes from those months" in \
        data["notes"][0]
    code, out, _ = crime("outcomes", "--force", "west-midlands", "--from", "2020-12", "--to",
                         "2020-12")
    assert "not the outcomes of crimes from those months" in out


def test_outcomes_need_a_force_or_an_area():
    code, _out, err = crime("outcomes", "--from", "2020-12", "--to", "2020-12")
    assert code == 2 and "--force" in err


# ---- stop and search breakdowns -----------------------------------------------------------------


@pytest.mark.parametrize("by, column", [("object-of-search", "Object of search"),
                                        ("age-range", "Age range"), ("gender", "Gender"),
                                        ("type", "Type"), ("outcome", "Outcome")])
def test_stop_search_breaks_down_by_each_column(by, column):
    assert crime("import", DURHAM)[0] == 0
    blank = "(no outcome recorded)" if by == "outcome" else "Not recorded"
    expected = Counter(row[column].strip() or blank for row in read_rows(DURHAM))
    code, out, err = crime("stop-search", "--force", "Durham Constabulary", "--from", "2020-02",
                           "--to", "2020-02", "--by", by, "--format", "json")
    assert code == 0, err
    rows = as_json(out)["rows"]
    assert {r[by]: r["searches"] for r in rows} == dict(expected)
    assert [r["searches"] for r in rows] == sorted((r["searches"] for r in rows), reverse=True)


def test_stop_search_by_month():
    files = sorted(DATA.glob("*-durham-stop-and-search.csv"))
    assert len(files) == 3
    assert crime("import", *files)[0] == 0
    expected = {path.name[:7]: len(read_rows(path)) for path in files}
    code, out, err = crime("stop-search", "--force", "durham", "--from", "2019-12", "--to",
                           "2020-02", "--by", "month", "--format", "json")
    assert code == 0, err
    assert [(r["month"], r["searches"]) for r in as_json(out)["rows"]] == \
        sorted(expected.items())


# ---- crimes with no location in area results ---------------------------------------------------


@pytest.fixture
def wakefield_area(street):
    """A LAD with one ward holding the file's commonest LSOA."""
    lsoa_code = Counter(r["LSOA code"] for r in street if r["LSOA code"]).most_common(1)[0][0]
    lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
    ward = Area.objects.create(level="ward", code="E05000001", name="Test ward", vintage="2021")
    lsoa = Area.objects.create(level="lsoa", code=lsoa_code, name="LSOA", vintage="2011")
    AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
    AreaLink.objects.create(child=lsoa, parent=ward, vintage="test")
    return lsoa_code


def test_area_results_say_how_many_crimes_had_no_location(street, wakefield_area):
    unlocated = sum(1 for r in street if not r["LSOA code"])
    in_lsoa = sum(1 for r in street if r["LSOA code"] == wakefield_area)
    assert unlocated == 1541
    code, out, err = crime("summary", "--area", "E08000036", "--force", "west-yorkshire",
                           "--from", "2017-07", "--to", "2017-07", "--by", "ward",
                           "--format", "json")
    assert code == 0, err
    data = as_json(out)
    assert data["total"] == in_lsoa
    assert data["no_location"] == unlocated
    assert "1,541 crimes in the period had no location, so are in no area" in " ".join(
        data["notes"])
    assert [r["count"] for r in data["rows"]] == [in_lsoa]  # no "(no location)" row
    scope = analytics.Scope.build("2017-07", "2017-07", None, "E08000036")
    assert analytics.ward_figures(scope).no_location == unlocated
    code, out, _ = crime("summary", "--area", "E08000036", "--from", "2017-07", "--to",
                         "2017-07", "--by", "crime-type")
    assert "1,541 crimes in the period had no location" in out


def test_force_results_keep_crimes_with_no_location_as_a_row(street):
    code, out, err = crime("summary", "--force", "west-yorkshire", "--from", "2017-07", "--to",
                           "2017-07", "--by", "lsoa", "--format", "csv")
    assert code == 0, err
    rows = dict(line.split(",") for line in out.splitlines()[1:])
    assert rows[""] == "1541"


# ---- change with nothing to compare ------------------------------------------------------------


def test_change_against_a_month_with_no_data_says_so(street):
    code, out, err = crime("change", "--force", "west-yorkshire", "--from", "2017-07", "--to",
                           "2017-07", "--by", "total", "--format", "json")
    assert code == 0, err
    data = as_json(out)
    assert len(data["rows"]) == 1  # "All crime" once
    (row,) = data["rows"]
    assert row["label"] == "All crime" and row["current"] == 28537
    assert row["previous_verdict"] == "No data to compare"
    assert row["last_year_verdict"] == "No data to compare"
    code, out, _ = crime("change", "--force", "west-yorkshire", "--from", "2017-07", "--to",
                         "2017-07", "--by", "total")
    assert out.count("All crime") == 1
    assert "Significant" not in out


def test_change_against_a_year_with_data_gives_the_exact_test(street):
    assert crime("import", STREET_2016)[0] == 0
    now, year_ago = len(street), len(read_rows(STREET_2016))
    code, out, err = crime("change", "--force", "west-yorkshire", "--from", "2017-07", "--to",
                           "2017-07", "--by", "total", "--format", "json")
    assert code == 0, err
    (row,) = as_json(out)["rows"]
    assert row["previous_verdict"] == "No data to compare"
    assert row["last_year"] == year_ago
    p = binomtest(now, now + year_ago, 0.5).pvalue
    assert row["p_last_year"] == pytest.approx(p, abs=1e-4)
    direction = "increase" if now > year_ago else "decrease"
    assert row["last_year_verdict"] == (f"Significant {direction}" if p < 0.05
                                        else "No significant change")


# ---- blank outcomes ---------------------------------------------------------------------------


def test_a_blank_outcome_shows_as_no_outcome_recorded(street):
    blank = sum(1 for r in street if not r["Last outcome category"])
    assert blank > 0
    code, out, err = crime("summary", "--force", "west-yorkshire", "--from", "2017-07", "--to",
                           "2017-07", "--by", "outcome")
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("(no outcome recorded)"))
    assert line.split()[-1] == f"{blank:,}"


def test_stop_search_import_counts_searches_without_a_location():
    path = DATA / "2020-02-city-of-london-stop-and-search.csv"
    unlocated = sum(1 for r in read_rows(path) if not r["Latitude"])
    assert unlocated == 44
    code, out, err = crime("import", path)
    assert code == 0, err
    assert f"({unlocated:,} without a location)" in out
    assert "LSOA" not in out
