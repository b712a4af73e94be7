"""Harm is one calculation (harm.harm_total under the default weight table) wherever it is
shown: summaries, ward figures, evidence pages and computed indicators. With no weight table
loaded, harm is a clear error everywhere and never a silent 0."""

import csv
import gzip
import io
import math
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferplaces.areas.models import Area, AreaLink
from saferplaces.crime import analytics
from saferplaces.crime.harm_store import ensure_default_cchi_table
from saferplaces.crime.models import HarmWeight
from saferplaces.performance import compute
from saferplaces.performance.models import IndicatorValue
from tests.commands import run_command
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

STREET = Path(__file__).parent / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
LSOA = "E01011736"
WARD = "E05001420"


def crimes_in_lsoa() -> Counter:
    """Crimes per type in the LSOA, counted straight from the police.uk file."""
    with gzip.open(STREET, "rt", encoding="utf-8") as handle:
        return Counter(r["Crime type"] for r in csv.DictReader(handle) if r["LSOA code"] == LSOA)


@pytest.fixture
def area(world):
    partnership = world["a"]["partnership"]
    lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
    ward = Area.objects.create(level="ward", code=WARD, name="Wakefield North", vintage="2021")
    lsoa = Area.objects.create(level="lsoa", code=LSOA, name="Wakefield 001A", vintage="2011")
    AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
    AreaLink.objects.create(child=lsoa, parent=ward, vintage="test")
    partnership.area, partnership.police_force = lad, "West Yorkshire Police"
    partnership.save()
    return world


@pytest.fixture
def harm_indicator(area):
    a = area["a"]
    return IndicatorFactory(partnership=a["partnership"], code="RH1", unit="score",
                            frequency="monthly", owner=a["council"], source="computed",
                            measure="harm")


def import_street() -> str:
    out = io.StringIO()
    call_command("crime", "import", str(STREET), stdout=out)
    return out.getvalue()


def scope() -> analytics.Scope:
    return analytics.Scope.build("2017-07", "2017-07", "West Yorkshire Police", "E08000036")


def test_no_weights_is_an_error_in_analytics(area):
    import_street()
    with pytest.raises(analytics.NoHarmWeights, match="No harm weight table is loaded"):
        analytics.summarise(scope(), "crime-type", "harm")
    with pytest.raises(analytics.NoHarmWeights):
        analytics.summarise(scope(), "ward", "harm")
    figures = analytics.ward_figures(scope())
    assert "No harm weight table is loaded" in figures.harm_error
    assert [f.harm for f in figures.rows] == [None]
    assert figures.rows[0].count == sum(crimes_in_lsoa().values())


def test_no_weights_shows_a_message_on_evidence_pages(login, area):
    import_street()
    client = login(area["users"]["admin"])
    for name, params in (("ward_list", {}), ("ward_map", {"measure": "harm"})):
        page = client.get(reverse(name, args=["alpha"]), params)
        assert page.status_code == 200, name
        assert "No harm weight table is loaded" in page.content.decode(), name
    api = client.get(reverse("api_summary", args=["alpha"]),
                     {"by": "crime-type", "measure": "harm", "from": "2017-07", "to": "2017-07"})
    assert api.status_code == 400 and "No harm weight table" in api.json()["error"]
    geojson = client.get(reverse("api_ward_geojson", args=["alpha"]), {"measure": "harm"})
    assert geojson.status_code == 400


def test_no_weights_records_no_computed_harm(harm_indicator):
    out = import_street()
    assert "Indicator not recomputed: RH1: No harm weight table is loaded" in out
    assert not IndicatorValue.objects.filter(indicator=harm_indicator).exists()
    with pytest.raises(analytics.NoHarmWeights):
        compute.recompute(harm_indicator)
    code, _, err = run_command("indicators", "recompute", "--partnership", "alpha")
    assert code == 1 and "Not recomputed: RH1: No harm weight table is loaded" in err
    assert not IndicatorValue.objects.filter(indicator=harm_indicator).exists()


def test_harm_is_the_same_sum_everywhere(harm_indicator):
    ensure_default_cchi_table()
    import_street()
    weights = dict(HarmWeight.objects.filter(table__is_default=True)
                   .values_list("crime_type", "weight"))
    expected = math.fsum(weights[t] * n for t, n in crimes_in_lsoa().items())
    assert expected > 0
    value = IndicatorValue.objects.get(indicator=harm_indicator, period="2017-07")
    assert value.value == round(expected, 1)
    summary = analytics.summarise(scope(), "crime-type", "harm")
    assert summary.total.harm == pytest.approx(expected)
    by_type = {r.key: r.harm for r in summary.rows}
    assert by_type == pytest.approx({t: weights[t] * n for t, n in crimes_in_lsoa().items()})
    assert analytics.ward_figures(scope()).rows[0].harm == pytest.approx(expected)
