"""One clock: judgements read the partnership's "shown as at" date, else the real date."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from saferplaces.core import clock
from saferplaces.partnership.models import Partnership
from saferplaces.strategy.models import Action, ActionPlan
from tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db

DEMO_DATE = datetime.date(2021, 2, 15)
# Worked from the demo's action table (saferplaces/demo/data): open actions due before
# 15 February 2021, and open actions with no update at all.
DEMO_OVERDUE = {"CC-06", "PV-06", "PV-10", "RH-01", "RH-09", "RO-03"}
DEMO_NEVER_UPDATED = {"CC-03", "CC-09", "CC-10", "PV-12", "RH-08", "RH-10", "RO-07"}


class Shown:
    def __init__(self, shown_as_at):
        self.shown_as_at = shown_as_at


def test_clock_is_the_shown_as_at_date_when_set_else_today():
    assert clock.today(Shown(DEMO_DATE)) == DEMO_DATE
    assert clock.today(Shown(None)) == timezone.localdate()
    assert clock.today() == timezone.localdate()


@pytest.fixture
def demo(db):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return Partnership.objects.get(slug="swp")


def _refs_with_flag(page: str, label: str) -> set[str]:
    refs = set()
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        if f">{label}</span>" in row:
            refs.add(re.search(r"<td>([A-Z]{2}-\d\d)</td>", row).group(1))
    return refs


def test_demo_is_shown_as_at_15_february_2021_on_every_page(demo, client):
    assert demo.shown_as_at == DEMO_DATE
    assert client.login(request=HttpRequest(), username="board-member",
                        password="a-long-demo-password")
    for name in ("dashboard", "strategy_list", "board", "scorecard"):
        page = client.get(reverse(name, args=["swp"])).content.decode()
        assert "Shown as at 15 February 2021" in page, name


def test_demo_flags_agree_with_the_board_report_date(demo, client):
    assert client.login(request=HttpRequest(), username="swp-admin",
                        password="a-long-demo-password")
    plan = demo.strategies.get(status="adopted").action_plans.get(year=2020)
    page = client.get(reverse("plan_detail", args=["swp", plan.pk]), {"page": 1}).content
    page += client.get(reverse("plan_detail", args=["swp", plan.pk]), {"page": 2}).content
    page = page.decode()
    assert _refs_with_flag(page, "Overdue") == DEMO_OVERDUE
    assert _refs_with_flag(page, "No update yet") == DEMO_NEVER_UPDATED
    overdue_only = client.get(reverse("plan_detail", args=["swp", plan.pk]),
                              {"overdue": "on"}).content.decode()
    assert "6 actions match" in overdue_only


def test_demo_dashboard_is_one_list_with_flags(demo, client):
    assert client.login(request=HttpRequest(), username="wmp-officer",
                        password="a-long-demo-password")
    page = client.get(reverse("dashboard", args=["swp"])).content.decode()
    assert page.count("<table") == 2  # my actions, recent updates
    wmp_open = Action.objects.filter(
        Q(lead_organisation__short_name="WMP") | Q(partner_organisations__short_name="WMP")
    ).exclude(status__in=["complete", "cancelled"]).distinct()
    mine = {a.reference for a in wmp_open}
    wmp_overdue = mine & DEMO_OVERDUE
    assert wmp_overdue
    assert f"{len(wmp_overdue)} overdue" in page
    assert _refs_with_flag(page, "Overdue") == wmp_overdue


def test_a_draft_plan_is_not_current_until_adopted(world):
    a = world["a"]
    today = datetime.date(2021, 5, 1)
    draft = ActionPlanFactory(strategy=a["strategy"], year=2021, status="draft")
    assert ActionPlan.objects.for_partnership(a["partnership"]).current(today) == a["plan"]
    ActionPlan.objects.filter(pk=draft.pk).update(status="active")
    assert ActionPlan.objects.for_partnership(a["partnership"]).current(today) == draft


def test_administrator_sets_shown_as_at_in_partnership_settings(login, world):
    a = world["a"]
    client = login(world["users"]["admin"])
    url = reverse("partnership_settings", args=["alpha"])
    response = client.post(url, {
        "name": "Alpha", "short_name": "ALPHA", "area_description": "", "also_acts_as": "",
        "update_interval_days": 60, "shown_as_at": ""})
    assert response.status_code == 302
    a["partnership"].refresh_from_db()
    assert a["partnership"].shown_as_at is None
    page = client.get(reverse("dashboard", args=["alpha"])).content.decode()
    assert "Shown as at" not in page
