"""Evidence pages and JSON endpoints on the demo's real geography and crimes."""

import io
import json

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from shapely.geometry import shape

from saferplaces.areas.queries import descendant_lsoas
from saferplaces.crime import analytics, stats
from saferplaces.crime.models import CrimeCount, CrimeImport
from saferplaces.partnership.models import Partnership
from tests.conftest import make_user
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "an-evidence-test-password"


@pytest.fixture
def demo(db):
    from saferplaces.demo.loader import load_demo

    load_demo(PASSWORD, evidence=True, framework=False)  # the framework is tested elsewhere
    return Partnership.objects.get(slug="swp")


@pytest.fixture
def admin_client(client, demo):
    client.force_login(get_user_model().objects.get(username="swp-admin"))
    return client


def url(name, *args):
    return reverse(name, args=["swp", *args])


def test_demo_evidence_is_real_where_real_and_labelled_where_simulated(demo):
    real = CrimeImport.objects.get(month="2018-06-01", kind="street")
    assert not real.is_simulated and real.rows_total == 2463  # 2,510 rows, 47 duplicates
    assert CrimeImport.objects.filter(is_simulated=True).count() == 41
    june = CrimeCount.objects.filter(batch=real)
    # Every real June crime inside a Wolverhampton LSOA was placed by its coordinates.
    assert june.exclude(lsoa_code="").aggregate(n=Sum("count"))["n"] >= 2450
    assert len(descendant_lsoas(demo.area)) == 158


def test_pages_render_with_simulated_label(admin_client):
    label = "Simulated demonstration data"
    for target in [url("evidence_home"), url("ward_map"), url("ward_list"),
                   url("ward_profile", "E05014845"),
                   url("crime_type", "violence-and-sexual-offences")]:
        response = admin_client.get(target)
        assert response.status_code == 200, target
        assert label in response.content.decode(), target
    home = admin_client.get(url("evidence_home")).content.decode()
    assert "Latest month: December 2020" in home
    assert admin_client.get(url("ward_profile", "E99999999")).status_code == 404
    assert admin_client.get(url("crime_type", "no-such-type")).status_code == 404


def test_json_endpoints_agree_with_the_command(admin_client):
    data = admin_client.get(url("api_summary"), {"by": "ward", "measure": "rate",
                                                 "from": "2020-01", "to": "2020-12"}).json()
    assert data["population_year"] == 2011
    assert len(data["rows"]) == 20
    assert data["simulated_months"]
    out = io.StringIO()
    call_command("crime", "summary", "--area", "E22000341", "--from", "2020-01", "--to",
                 "2020-12", "--by", "ward", "--measure", "rate", "--format", "json", stdout=out)
    command = json.loads(out.getvalue())
    assert {r["ward_code"]: r["count"] for r in command["rows"]} == {
        r["key"]: r["count"] for r in data["rows"]}
    wards = admin_client.get(url("api_ward_geojson")).json()
    assert len(wards["features"]) == 20
    assert all(f["properties"]["rate"] is not None for f in wards["features"])
    change = admin_client.get(url("api_change"), {"by": "total"}).json()
    assert change["previous"] == "2020-07 to 2020-09"
    hot = admin_client.get(url("api_hotspots")).json()
    assert len(hot["rows"]) == 158 and {"z", "p", "bin", "name"} <= set(hot["rows"][0])
    repeats = admin_client.get(url("api_repeats"), {"min": 3}).json()
    assert repeats["end_month"] == "2020-12" and all(r["count"] >= 3 for r in repeats["rows"])
    outcomes = admin_client.get(url("api_outcomes"), {"from": "2019-03", "to": "2019-03"}).json()
    assert outcomes["outcomes_files"]["total"] > 0  # the real March 2019 outcomes month
    stops = admin_client.get(url("api_stop_search")).json()
    assert stops["force"] == "West Midlands Police" and stops["breakdown"]["total"] == 0
    assert admin_client.get(url("api_summary"), {"from": "2020-13"}).status_code == 400
    assert "error" in admin_client.get(url("api_summary"), {"by": "planet"}).json()


def test_gi_star_matches_esda_on_the_same_counts_and_weights(demo):
    from esda.getisord import G_Local

    scope = analytics.Scope.build("2020-01", "2020-12", "West Midlands Police", "E22000341")
    found = analytics.hotspots(scope)
    lsoas = [a for a in descendant_lsoas(demo.area) if a.boundary]
    weights = stats.queen_weights({a.code: shape(a.boundary) for a in lsoas})
    counts = dict(scope.counts().values_list("lsoa_code").annotate(n=Sum("count")).order_by())
    y = np.array([float(counts.get(code, 0)) for code in weights.id_order])
    direct = G_Local(y, weights, transform="B", star=True, permutations=0)
    ours = {row.code: row for row in found.result.rows}
    assert len(ours) == 158
    for code, z, p_one_sided in zip(weights.id_order, direct.Zs, direct.p_norm, strict=True):
        assert ours[code].z == pytest.approx(z)
        assert ours[code].p == pytest.approx(2 * p_one_sided)
    assert any(row.bin == 3 for row in found.result.rows)  # the city centre stands out


def test_no_evidence_empty_state(client, db):
    partnership = PartnershipFactory(name="Empty", short_name="E", slug="empty")
    client.force_login(make_user("empty-admin", partnership, "admin"))
    page = client.get(reverse("evidence_home", args=["empty"]))
    assert page.status_code == 200
    assert "no area set" in page.content.decode()
    assert client.get(reverse("api_summary", args=["empty"])).status_code == 404


def test_evidence_is_private_to_the_partnership(client, demo):
    assert client.get(url("evidence_home")).status_code == 302
    client.force_login(make_user("stranger"))
    assert client.get(url("evidence_home")).status_code == 404
    assert client.get(url("api_summary")).status_code == 404
