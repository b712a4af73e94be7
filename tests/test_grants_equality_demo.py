"""The demo's PCC grant (founding report 11.2) and the equality analysis behind section 13."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from saferplaces.equality.models import EqualityAnalysis
from saferplaces.equality.summary import equality_summary
from saferplaces.grants.models import Grant
from saferplaces.grants.summary import grant_summary

pytestmark = pytest.mark.django_db


def rows():
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("grants", "equality")}


@pytest.fixture
def demo(db):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")


def test_the_pcc_grant_is_150000_for_2020_21_ring_fenced(demo):
    grant = Grant.objects.get(title="PCC community safety grant 2020-21")
    assert (grant.amount, grant.year_label) == (Decimal("150000.00"), "2020/21")
    assert "ringfenced for Community Safety use by Safer Wolverhampton Partnership" in (
        grant.ring_fence)
    figures = grant_summary(grant)
    # the illustrative allocations, added by hand: 30,000 + 12,000 + 35,000 + 5,000 + 8,500
    # + 25,000 + 15,000; spend 3 x 7,500 + 4,800 + 17,500 + 1,250.50 + 6,375.25 + 12,500
    # + 9,850
    assert figures["allocated"] == Decimal("130500.00")
    assert figures["spent"] == Decimal("74775.75")
    assert figures["balance"] == Decimal("19500.00")
    assert "illustrative" in grant.illustrative_note


def test_the_equality_analysis_quotes_section_13_and_is_signed_off(demo, client):
    analysis = EqualityAnalysis.objects.get()
    assert analysis.strategy.period_label == "2020-2023"
    assert analysis.consultation is not None
    summary = equality_summary(analysis)
    assert summary["signed_off"] and summary["counts"] == {
        "positive": 7, "neutral": 2, "negative": 0, "unknown": 0}
    assert "uses a data-informed approach to target interventions" in summary["text"]
    evidence = {row["characteristic"]: row["evidence"] for row in summary["impacts"]}
    assert "females are more likely to suffer domestic Abuse" in evidence["sex"]
    assert "transgender identity" in evidence["gender_reassignment"]


def test_the_demo_pages_say_what_is_illustrative(demo, client):
    client.force_login(get_user_model().objects.get(username="swp-admin"))
    grant = Grant.objects.get()
    page = client.get(reverse("grant_detail", args=["swp", grant.pk])).content.decode()
    assert "the allocations, spend and reporting dates are illustrative" in page
    analysis = EqualityAnalysis.objects.get()
    page = client.get(reverse("equality_detail", args=["swp", analysis.pk])).content.decode()
    assert "the impact judgements, the sign-off" in page


def test_running_the_demo_again_writes_nothing(demo):
    before = rows()
    assert before["grants.Allocation"] == 7 and before["equality.EqualityImpact"] == 9
    call_command("demo", "--skip-evidence")
    assert rows() == before


FOUNDING_REPORT = Path(__file__).resolve().parents[2] / "shared" / "guide" / "founding-report.md"


@pytest.mark.skipif(not FOUNDING_REPORT.exists(), reason="the shared guide is not here")
def test_every_quotation_in_the_demo_analysis_is_the_founding_reports_text():
    from saferplaces.demo import equality as demo

    report = " ".join(FOUNDING_REPORT.read_text().split())
    texts = [demo.PURPOSE, demo.CONCLUSION] + [evidence for _, evidence in demo.IMPACTS.values()]
    quotes = [q for text in texts for q in re.findall(r'"([^"]+)"', text)]
    assert len(quotes) >= 8
    for quote in quotes:
        for piece in quote.split("..."):
            assert piece.strip() in report, piece
    assert demo.CONCLUSION in report
    assert demo.PURPOSE.removesuffix(" (Founding report 13.1.)") in report
