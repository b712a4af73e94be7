"""The demo's consultation matches section 8 of the founding report."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferplaces.consultation.models import (
    ChannelResponse,
    Consultation,
    Distribution,
    Response,
    YouSaidWeDid,
)

pytestmark = pytest.mark.django_db

# Founding report 8.3, typed from the report (not from the demo module).
REPORT_CHANNELS = [
    "Community Partners and Communities Together (PACT) meetings across all Wards",
    "Wolverhampton Health and Wellbeing Together",
    "Youth Offending Team (YOT) Board",
    "Safer Wolverhampton Delivery Group",
    "St George's Hub",
    "Youth Council",
    "Wolverhampton Domestic Violence Forum Executive Board",
    "Wolverhampton Resilience Board",
    "Interfaith Wolverhampton",
    "The Haven Wolverhampton",
]
REPORT_DISTRIBUTION = [
    "All Councillor in-boxes and copies made available in members lounge",
    "CWC staff, using City People",
    "Wolverhampton Anti-slavery Network",
    "Wolverhampton Voluntary Sector",
    "Wolverhampton Safeguarding Together",
    "Third Sector Providers",
]


@pytest.fixture
def demo(db):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return Consultation.objects.get(partnership__slug="swp")


def test_the_demo_consultation_follows_section_8(demo):
    assert demo.strategy.title == "Community Safety and Harm Reduction Strategy 2020-2023"
    assert (demo.opens_on, demo.closes_on) == (datetime.date(2019, 11, 8),
                                                datetime.date(2020, 1, 31))
    assert demo.length_weeks == 12
    assert demo.is_illustrative and demo.status == "published"
    assert sorted(ChannelResponse.objects.filter(consultation=demo).values_list(
        "name", flat=True)) == sorted(REPORT_CHANNELS)
    assert sorted(Distribution.objects.filter(consultation=demo).values_list(
        "recipient", flat=True)) == sorted(REPORT_DISTRIBUTION)
    assert set(Response.objects.filter(consultation=demo).values_list(
        "channel", flat=True)) == {"online", "paper"}


def test_you_said_we_did_links_to_the_real_priorities(demo, client):
    linked = YouSaidWeDid.objects.filter(consultation=demo).exclude(
        priority=None, aim=None)
    assert linked.count() == 4
    for item in linked:
        target = item.priority or item.aim.priority
        assert target.strategy == demo.strategy
    page = client.get(reverse("consultation_public_you_said", args=["swp", demo.pk]))
    assert page.status_code == 200
    assert "Building community capacity" in page.content.decode()
    results = client.get(reverse("consultation_public_results", args=["swp", demo.pk]))
    assert "Rank the proposed priorities" in results.content.decode()


def test_the_demo_meeting_points_carry_themes_counted_by_channel(demo):
    from saferplaces.consultation import results

    # the victims point was raised at the four forums (8.3: St George's Hub, Youth Council,
    # Interfaith Wolverhampton, The Haven); youth provision at the PACT meetings
    summaries = {t.theme: t.points for t in results.theme_summaries(demo)}
    assert summaries["Support for victims"] == {"Forum": 4}
    assert summaries["Youth provision"] == {"PACT ward meeting": 1}
    involved = YouSaidWeDid.objects.get(consultation=demo, you_said__startswith="Communities")
    assert involved.point.meeting.channel == "forum"


def test_the_demo_consultation_is_loaded_once(demo):
    before = (Response.objects.count(), ChannelResponse.objects.count(),
              YouSaidWeDid.objects.count())
    call_command("demo", "--skip-evidence")
    assert (Response.objects.count(), ChannelResponse.objects.count(),
            YouSaidWeDid.objects.count()) == before


def test_the_report_command_writes_html_and_pdf(demo, tmp_path):
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    call_command("consultation", "report", "--consultation", str(demo.pk), "--format", "html",
                 "--output", str(html))
    text = html.read_text()
    for name in REPORT_CHANNELS + REPORT_DISTRIBUTION:
        assert name.replace("'", "&#x27;") in text
    assert "Building community capacity was added as a fourth priority." in text
    call_command("consultation", "report", "--consultation", str(demo.pk), "--format", "pdf",
                 "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_unknown_consultation_is_a_usage_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as failed:
        call_command("consultation", "export", "--consultation", "999", "--format", "csv",
                     "--output", str(tmp_path / "x.csv"))
    assert failed.value.returncode == 2
