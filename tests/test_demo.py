"""The Wolverhampton demonstration: content as published, idempotent, logins work."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from saferplaces.demo import wolverhampton as swp
from saferplaces.partnership.models import BoardSeat
from saferplaces.strategy.models import Action, ActionUpdate, Aim, Priority, Strategy

pytestmark = pytest.mark.django_db

EXPECTED_AIMS = {
    "Reducing offending": 5, "Preventing violence": 5, "Reducing harm": 4,
    "Building community capacity": 4,
}


def everything():
    """Row counts of every demo table and of the audit trail."""
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("partnership", "strategy", "auth")}


@pytest.fixture
def demo(db, capsys):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return capsys.readouterr().out


def test_demo_prints_logins(demo):
    for username in ("swp-admin", "cwc-officer", "wmp-officer", "board-member"):
        assert username in demo


def test_demo_strategy_priorities_and_aims(demo):
    current = Strategy.objects.get(title="Community Safety and Harm Reduction Strategy 2020-2023")
    assert current.status == "adopted"
    assert current.supersedes.status == "superseded"
    priorities = {p.title: p.aims.count() for p in current.priorities.all()}
    assert priorities == EXPECTED_AIMS
    assert current.uncovered_strands() == []
    assert Aim.objects.filter(
        priority__strategy=current,
        text="Influence implementation and delivery of the West Midlands Violence Reduction "
             "Unit to ensure that it meets local need").exists()
    reducing = Priority.objects.get(strategy=current, title="Reducing offending")
    assert [ls.title for ls in reducing.linked_strategies.all()] == [
        "Black Country Reducing Reoffending Strategy"]


def test_demo_board(demo):
    seats = BoardSeat.objects.filter(partnership__slug="swp")
    assert seats.filter(seat_type="voluntary").count() == 5
    assert seats.filter(seat_type="resident").count() == 3
    statutory = {s.organisation.name for s in seats.filter(seat_type="statutory")}
    assert statutory == {
        "West Midlands Police", "West Midlands Fire and Rescue Service",
        "National Probation Service",
        "Staffordshire and West Midlands Community Rehabilitation Company",
        "Wolverhampton Clinical Commissioning Group", "City of Wolverhampton Council"}


def test_demo_plan_covers_every_aim(demo):
    current = Strategy.objects.get(status="adopted", partnership__slug="swp")
    plan = current.action_plans.get(year=2020)
    assert plan.is_illustrative
    for aim in Aim.objects.filter(priority__strategy=current):
        assert aim.actions.filter(plan=plan).exists(), aim
    assert ActionUpdate.objects.filter(action__plan=plan).count() > 40


def test_demo_is_idempotent_with_evidence(db, capsys):
    from django.apps import apps

    call_command("demo", "--no-migrate")
    tables = [m for m in apps.get_models()
              if m._meta.app_label in ("partnership", "strategy", "auth", "areas", "crime")]
    before = {m._meta.label: m.objects.count() for m in tables}
    assert before["crime.CrimeImport"] == 45  # 1 real + 41 simulated months, 3 outcome months
    call_command("demo", "--no-migrate")
    assert {m._meta.label: m.objects.count() for m in tables} == before


def test_demo_admin_sees_strategy_board_and_plan(demo, client):
    assert client.login(username="swp-admin", password="a-long-demo-password")
    home = client.get("/", follow=True)
    assert home.request["PATH_INFO"] == "/p/swp/"
    current = Strategy.objects.get(status="adopted", partnership__slug="swp")
    page = client.get(reverse("strategy_detail", args=["swp", current.pk])).content.decode()
    for title, _strands, _linked, aims in swp.PRIORITIES:
        assert title in page
        for aim in aims:
            assert aim.replace("'", "&#x27;") in page
    assert "Illustrative demonstration content" in page
    board = client.get(reverse("board", args=["swp"])).content.decode()
    assert "West Midlands Fire and Rescue Service" in board
    assert "Voluntary sector seats (5)" in board and "Resident seats (3)" in board
    plan = current.action_plans.get(year=2020)
    table = client.get(reverse("plan_detail", args=["swp", plan.pk])).content.decode()
    assert "Action plan 2020/21" in table and "Illustrative demonstration content" in table


def test_demo_officer_permissions(demo, client):
    assert client.login(username="cwc-officer", password="a-long-demo-password")
    wmp_only = Action.objects.filter(lead_organisation__short_name="WMP").exclude(
        partner_organisations__short_name="CWC").first()
    response = client.post(reverse("action_post_update", args=["swp", wmp_only.pk]),
                           {"date": "2020-12-01", "status": "on_track", "narrative": "x"})
    assert response.status_code == 403


def test_demo_default_password_for_new_logins(db, capsys):
    call_command("demo", "--skip-evidence")
    assert swp.USERS
    user = get_user_model().objects.get(username="swp-admin")
    assert user.check_password("safer-wolverhampton-demo")
    assert "safer-wolverhampton-demo" in capsys.readouterr().out
