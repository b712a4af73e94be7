"""Evidence pages and JSON endpoints on the demo's real geography and crimes."""

import io
import json
import math
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from shapely.geometry import shape

from saferplaces.areas.models import AreaLink
from saferplaces.areas.queries import descendant_lsoas
from saferplaces.crime import analytics, stats
from saferplaces.crime.models import CrimeCount, CrimeImport, HarmWeight
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
    from tests.test_crime_stats import esda_z

    scope = analytics.Scope.build("2020-01", "2020-12", "West Midlands Police", "E22000341")
    found = analytics.hotspots(scope)
    lsoas = [a for a in descendant_lsoas(demo.area) if a.boundary]
    weights = stats.queen_weights({a.code: shape(a.boundary) for a in lsoas})
    counts = dict(scope.counts().values_list("lsoa_code").annotate(n=Sum("count")).order_by())
    direct = esda_z({code: counts.get(code, 0) for code in weights.codes}, weights)
    ours = {row.code: row for row in found.result.rows}
    assert len(ours) == 158
    for code, z, p_one_sided in zip(weights.codes, direct.Zs, direct.p_norm, strict=True):
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


def _ward_list_rows(html: str) -> dict[str, tuple[int, str]]:
    """Ward code -> (count, harm as shown) from the ward list page's table (numbers are
    written with thousands separators)."""
    pattern = (r'/evidence/wards/(E\d{8})/">[^<]*</a></td><td>([\d,]+)</td><td>[^<]*</td>'
               r"<td>[^<]*</td><td>([^<]*)</td>")
    return {code: (int(count.replace(",", "")), harm)
            for code, count, harm in re.findall(pattern, html)}


def test_ward_figures_agree_across_map_list_api_and_command(admin_client, demo):
    """The ward map, the ward list, the API and `crime summary --by ward` all give the counts
    and harm of an independent tally of the stored rows (last 12 months: 2020)."""
    lsoas = {a.code for a in descendant_lsoas(demo.area)}
    ward_of = {}
    for child, parent in (AreaLink.objects.filter(child__level="lsoa", parent__level="ward",
                                                  child__code__in=lsoas)
                          .order_by("parent__vintage")
                          .values_list("child__code", "parent__code")):
        ward_of[child] = parent
    weights = dict(HarmWeight.objects.filter(table__is_default=True)
                   .values_list("crime_type", "weight"))
    counts, harms = Counter(), defaultdict(list)
    for lsoa, crime_type, n in CrimeCount.objects.filter(
            month__gte="2020-01-01", month__lte="2020-12-01", lsoa_code__in=lsoas,
            batch__force=demo.police_force).values_list("lsoa_code", "crime_type", "count"):
        counts[ward_of[lsoa]] += n
        harms[ward_of[lsoa]].append(weights[crime_type] * n)
    harm = {code: math.fsum(parts) for code, parts in harms.items()}
    assert len(counts) == 20 and sum(counts.values()) > 20_000

    shown = _ward_list_rows(admin_client.get(url("ward_list")).content.decode())
    assert {code: c for code, (c, _) in shown.items()} == counts
    assert {code: h for code, (_, h) in shown.items()} == {
        code: f"{round(h):,d}" for code, h in harm.items()}

    features = admin_client.get(url("api_ward_geojson"), {"from": "2020-01", "to": "2020-12"})
    properties = [f["properties"] for f in features.json()["features"]]
    assert {p["code"]: p["count"] for p in properties} == counts
    assert {p["code"]: p["harm"] for p in properties} == {
        code: round(h, 1) for code, h in harm.items()}

    api = admin_client.get(url("api_summary"), {"by": "ward", "measure": "harm",
                                                "from": "2020-01", "to": "2020-12"}).json()
    assert {r["key"]: r["count"] for r in api["rows"]} == counts
    assert {r["key"]: r["harm"] for r in api["rows"]} == pytest.approx(harm)

    out = io.StringIO()
    call_command("crime", "summary", "--area", demo.area.code, "--force", demo.police_force,
                 "--from", "2020-01", "--to", "2020-12", "--by", "ward", "--measure", "harm",
                 "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())["rows"]
    assert {r["ward_code"]: r["count"] for r in rows} == counts
    assert {r["ward_code"]: r["harm"] for r in rows} == {
        code: round(h, 2) for code, h in harm.items()}


def _opening(html: str) -> str:
    match = re.search(r'<p class="lede opening">(.*?)</p>', html, re.S)
    assert match, "no opening sentence"
    return match.group(1)


def test_each_evidence_page_opens_with_a_sentence_and_hides_the_method(admin_client, demo):
    pages = [url("evidence_home"), url("ward_map"), url("ward_list"),
             url("ward_profile", "E05014845"), url("crime_type", "burglary")]
    for target in pages:
        html = admin_client.get(target).content.decode()
        sentence = _opening(html)
        assert sentence[0].isupper() and sentence.endswith("."), (target, sentence)
        assert "<details class=\"method\"><summary>How this is worked out</summary>" in html
        assert ").;" not in html and "., " not in sentence, target
        outside = re.sub(r'<details class="method">.*?</details>', "", html, flags=re.S)
        for term in ("Gi*", "queen contiguity", "Poisson"):  # the method is behind it
            assert term not in outside, (target, term)


def test_overview_sentence_is_the_year_on_year_change(admin_client, demo):
    from scipy.stats import binomtest

    lsoas = [a.code for a in descendant_lsoas(demo.area)]
    counts = CrimeCount.objects.filter(lsoa_code__in=lsoas, batch__force=demo.police_force)
    now = counts.filter(month__gte="2020-01-01", month__lte="2020-12-01").aggregate(
        n=Sum("count"))["n"]
    before = counts.filter(month__gte="2019-01-01", month__lte="2019-12-01").aggregate(
        n=Sum("count"))["n"]
    percent = round(abs(now - before) / before * 100)
    word = "higher" if now > before else "lower"
    chance = ("too large to be chance" if binomtest(now, now + before).pvalue < 0.05
              else "small enough to be chance")
    html = admin_client.get(url("evidence_home")).content.decode()
    assert _opening(html) == (
        f"Crime, including anti-social behaviour, in the 12 months to December 2020 was "
        f"{percent}% {word} than in the 12 months before, a change {chance}.")


def test_ward_list_sentence_names_the_highest_rate(admin_client, demo):
    data = admin_client.get(url("api_summary"), {"by": "ward", "measure": "rate",
                                                 "from": "2020-01", "to": "2020-12"}).json()
    wards = [r for r in data["rows"] if r["population"]]
    top = max(wards, key=lambda r: r["count"] / r["population"])
    area_rate = sum(r["count"] for r in wards) / sum(r["population"] for r in wards)
    ratio = top["count"] / top["population"] / area_rate
    html = admin_client.get(url("ward_list")).content.decode()
    assert _opening(html) == (
        f"{top['label']} has the most crime per resident of the {len(data['rows'])} wards in "
        f"{demo.area.name}, {ratio:.1f} times the rate for {demo.area.name} as a whole.")


def test_area_pages_and_api_say_how_many_crimes_had_no_location(admin_client, demo):
    lsoas = [a.code for a in descendant_lsoas(demo.area)]
    unlocated = CrimeCount.objects.filter(
        lsoa_code="", batch__force=demo.police_force, month__gte="2020-01-01",
        month__lte="2020-12-01").aggregate(n=Sum("count"))["n"] or 0
    assert lsoas
    data = admin_client.get(url("api_summary"), {"by": "crime-type", "from": "2020-01",
                                                 "to": "2020-12"}).json()
    assert data["no_location"] == unlocated
    html = admin_client.get(url("ward_list")).content.decode()
    expected = ("Every crime in the period had a location." if unlocated == 0 else
                f"{unlocated:,} crime")
    assert expected in html


def test_outcomes_api_says_outcomes_are_those_recorded_in_the_month(admin_client):
    data = admin_client.get(url("api_outcomes")).json()
    assert "recorded in the months chosen, not the outcomes of crimes from those months" in \
        data["note"]
