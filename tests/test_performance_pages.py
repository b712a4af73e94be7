"""Performance pages, partner submissions and approval, through the real URLs."""


import pytest
from django.urls import reverse

from saferplaces.core import periods
from saferplaces.partnership.models import Partnership
from saferplaces.performance import scorecard
from saferplaces.performance.models import IndicatorValue
from tests.conftest import make_user
from tests.factories import IndicatorFactory, IndicatorTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(world):
    a = world["a"]
    # These pages are judged at the real date: quarters of 2020/21 have all ended.
    Partnership.objects.filter(pk=a["partnership"].pk).update(shown_as_at=None)
    a["partnership"].shown_as_at = None
    submitted = IndicatorFactory(
        partnership=a["partnership"], code="RO1", name="Proven reoffending rate",
        definition="Share of the cohort reoffending within 12 months.", polarity="lower",
        unit="percent", frequency="quarterly", owner=a["police"], source="submitted",
        baseline_period="2019-Q3", baseline_value=30.0, priorities=[a["priority"]])
    counted = IndicatorFactory(
        partnership=a["partnership"], code="PV1", name="Violent crimes", definition="Count.",
        polarity="lower", unit="count", frequency="quarterly", owner=a["council"],
        source="imported", priorities=[a["priority"]])
    for code, value in (("2019-Q3", 120), ("2020-Q2", 100), ("2020-Q3", 165)):
        IndicatorValueFactory(indicator=counted, period=code, value=value, numerator=value,
                              status="approved", commentary="Night-time economy.")
    IndicatorTargetFactory(indicator=counted, period="2020-Q3", value=110)
    return {"submitted": submitted, "counted": counted}


def url(name, *args):
    return reverse(name, args=["alpha", *args])


def submission(**overrides):
    data = {"period": "2020-Q3", "value": "27.5", "commentary": "Cohort refreshed."}
    data.update(overrides)
    return data


def test_owner_officer_submits_and_admin_approves(login, world, framework):
    client = login(world["users"]["police"])  # police own RO1
    response = client.post(url("indicator_submit", "RO1"), submission())
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=framework["submitted"], period="2020-Q3")
    assert value.status == "submitted"
    card = scorecard.build(world["a"]["partnership"], periods.parse_period("2020-Q3"))
    row = next(r for r in card.rows if r.indicator.code == "RO1")
    assert row.value is None  # not counted until approved
    assert "1 value awaiting approval" in [f.label for f in row.flags]

    admin = login(world["users"]["admin"])
    admin.post(url("value_review", value.pk), {"decision": "approve"})
    value.refresh_from_db()
    assert value.status == "approved" and value.reviewed_by == world["users"]["admin"]
    card = scorecard.build(world["a"]["partnership"], periods.parse_period("2020-Q3"))
    row = next(r for r in card.rows if r.indicator.code == "RO1")
    assert row.value.value == 27.5


def test_other_organisations_cannot_submit_or_approve(login, world, framework):
    council = login(world["users"]["council"])
    assert council.post(url("indicator_submit", "RO1"), submission()).status_code == 403
    police = login(world["users"]["police"])
    police.post(url("indicator_submit", "RO1"), submission())
    value = IndicatorValue.objects.get(indicator=framework["submitted"], period="2020-Q3")
    for role in ("police", "council", "board"):
        client = login(world["users"][role])
        assert client.post(url("value_review", value.pk),
                           {"decision": "approve"}).status_code == 403
    value.refresh_from_db()
    assert value.status == "submitted"
    other = login(world["users"]["admin_b"])
    assert other.post(reverse("value_review", args=["beta", value.pk]),
                      {"decision": "approve"}).status_code == 404


def test_submission_errors_show_beside_fields(login, world, framework):
    client = login(world["users"]["police"])
    response = client.post(url("indicator_submit", "RO1"),
                           submission(period="2020-09", value="lots"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "give a financial quarter" in errors["period"][0]
    assert errors["value"] == ["Enter a number."]
    assert not IndicatorValue.objects.filter(indicator=framework["submitted"]).exists()


def test_return_needs_a_note(login, world, framework):
    login(world["users"]["police"]).post(url("indicator_submit", "RO1"), submission())
    value = IndicatorValue.objects.get(indicator=framework["submitted"])
    admin = login(world["users"]["admin"])
    admin.post(url("value_review", value.pk), {"decision": "return"})
    value.refresh_from_db()
    assert value.status == "submitted"
    admin.post(url("value_review", value.pk), {"decision": "return", "note": "Wrong cohort."})
    value.refresh_from_db()
    assert value.status == "rejected" and value.review_note == "Wrong cohort."


def test_scorecard_exceptions_and_indicator_pages(login, world, framework):
    client = login(world["users"]["board"])
    page = client.get(url("scorecard"), {"period": "2020-Q3"}).content.decode()
    assert "Oct–Dec 2020 (2020/21 Q3)" in page
    assert "Red" in page  # 165 against a target of 110
    exceptions = client.get(url("exceptions"), {"period": "2020-Q3"}).content.decode()
    assert "PV1 Violent crimes" in exceptions and "Night-time economy." in exceptions
    indicator = client.get(url("indicator", "PV1"))
    assert indicator.status_code == 200
    assert "Significant increase" in indicator.content.decode()  # 165 vs 120: p = 0.009
    assert client.get(url("indicator", "NOPE")).status_code == 404
    quality = client.get(url("data_quality")).content.decode()
    assert "Missing baseline" in quality  # PV1 has none
    assert client.get(url("scorecard"), {"period": "2020-Q9"}).status_code == 200


def test_empty_framework_page(login, db):
    from tests.conftest import make_partnership

    p = make_partnership("gamma", "Gamma")
    client = login(make_user("gamma-admin", p["partnership"], "admin"))
    page = client.get(reverse("scorecard", args=["gamma"]))
    assert "No indicator has a value yet" in page.content.decode()


def test_crime_import_recomputes_computed_indicators(world, tmp_path):
    import io

    from django.core.management import call_command

    from saferplaces.areas.models import Area, AreaLink

    a = world["a"]
    lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
    lsoa = Area.objects.create(level="lsoa", code="E01011736", name="Wakefield 001A",
                               vintage="2011")
    AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
    a["partnership"].area, a["partnership"].police_force = lad, "West Yorkshire Police"
    a["partnership"].save()
    indicator = IndicatorFactory(
        partnership=a["partnership"], code="ASB", name="ASB incidents", definition="Count.",
        polarity="lower", unit="count", frequency="monthly", owner=a["council"],
        source="computed", measure="count", crime_types=["Anti-social behaviour"])
    import csv
    import gzip
    from pathlib import Path

    street = Path(__file__).parent / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
    out = io.StringIO()
    call_command("crime", "import", str(street), stdout=out)
    assert "indicator value(s) recomputed" in out.getvalue()
    value = IndicatorValue.objects.get(indicator=indicator, period="2017-07")
    with gzip.open(street, "rt", encoding="utf-8") as handle:
        expected = sum(1 for r in csv.DictReader(handle) if r["LSOA code"] == "E01011736"
                       and r["Crime type"] == "Anti-social behaviour")
    assert value.status == "computed" and value.value == expected > 0


def test_scorecard_shows_a_change_at_once_despite_the_cache(login, world, framework):
    client = login(world["users"]["board"])

    def page():
        return client.get(url("scorecard"), {"period": "2020-Q3"}).content.decode()

    first = page()
    assert "Preventing violence" in first and "Violent crimes" in first
    assert "<td>165</td>" in first
    priority = world["a"]["priority"]
    priority.title = "Tackling violence"
    priority.save()
    assert "Tackling violence" in page()
    counted = framework["counted"]
    counted.name = "Violent offences"
    counted.save()
    assert "Violent offences" in page()
    value = IndicatorValue.objects.get(indicator=counted, period="2020-Q3")
    value.value = 171
    value.save()
    assert "<td>171</td>" in page()
