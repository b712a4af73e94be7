"""Roles and partnership isolation, through the real URLs."""

import datetime

import pytest
from django.urls import reverse

from saferplaces.strategy.models import ActionUpdate

pytestmark = pytest.mark.django_db


def url(name, slug, *args):
    return reverse(name, args=[slug, *args])


def update_payload(**overrides):
    data = {"date": datetime.date.today().isoformat(), "status": "at_risk", "progress": "40",
            "narrative": "Venue cancelled; rescheduling."}
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, world):
    a = world["a"]
    for target in [url("dashboard", "alpha"), url("plan_detail", "alpha", a["plan"].pk),
                   url("action_detail", "alpha", a["police_action"].pk)]:
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public(client, db):
    assert client.get(reverse("login")).status_code == 200


def test_officer_cannot_post_update_to_unrelated_action(login, world):
    a = world["a"]
    client = login(world["users"]["council"])  # council neither leads nor partners PV-02
    response = client.post(url("action_post_update", "alpha", a["fire_action"].pk),
                           update_payload())
    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()


def test_partner_officer_can_post_update_but_not_edit(login, world):
    a = world["a"]
    client = login(world["users"]["council"])  # council partners PV-01 (police leads)
    response = client.post(url("action_post_update", "alpha", a["police_action"].pk),
                           update_payload())
    assert response.status_code == 302
    assert ActionUpdate.objects.filter(action=a["police_action"]).count() == 1
    assert client.get(url("action_edit", "alpha", a["police_action"].pk)).status_code == 403


def test_lead_officer_can_edit_own_action(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    response = client.get(url("action_edit", "alpha", a["police_action"].pk))
    assert response.status_code == 200
    # and only their own organisation may be chosen as lead
    choices = [str(c[1]) for c in response.context["form"].fields["lead_organisation"].choices]
    assert choices == ["---------", "Alpha Police"]


def test_officer_cannot_create_action_led_by_another_organisation(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    response = client.post(url("action_create", "alpha", a["plan"].pk), {
        "reference": "PV-09", "title": "Not ours", "aims": [a["aims"][0].pk],
        "lead_organisation": a["fire"].pk, "due_date": "2021-01-01", "status": "on_track",
        "progress": "0"})
    assert response.status_code == 200
    assert "lead_organisation" in response.context["form"].errors
    assert not a["plan"].actions.filter(reference="PV-09").exists()


def test_board_member_reads_but_cannot_change(login, world):
    a = world["a"]
    client = login(world["users"]["board"])
    assert client.get(url("action_detail", "alpha", a["police_action"].pk)).status_code == 200
    assert client.post(url("action_post_update", "alpha", a["police_action"].pk),
                       update_payload()).status_code == 403
    assert client.get(url("action_edit", "alpha", a["police_action"].pk)).status_code == 403
    assert client.get(url("plan_import", "alpha", a["plan"].pk)).status_code == 403
    assert client.post(url("plan_roll_forward", "alpha", a["plan"].pk)).status_code == 403


def test_officer_cannot_manage_strategy(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    assert client.get(url("strategy_edit", "alpha", a["strategy"].pk)).status_code == 403
    assert client.get(url("plan_import", "alpha", a["plan"].pk)).status_code == 403


def test_other_partnership_pages_are_404(login, world):
    a, b = world["a"], world["b"]
    client = login(world["users"]["admin_b"])
    for target in [
        url("dashboard", "alpha"),
        url("strategy_detail", "alpha", a["strategy"].pk),
        url("plan_detail", "alpha", a["plan"].pk),
        url("plan_export", "alpha", a["plan"].pk),
        url("action_detail", "alpha", a["police_action"].pk),
        url("organisation_detail", "alpha", a["police"].pk),
        url("board", "alpha"),
    ]:
        assert client.get(target).status_code == 404, target
    # Nor can another partnership's object be reached through one's own slug.
    assert client.get(url("action_detail", "beta", a["police_action"].pk)).status_code == 404
    assert client.post(url("action_post_update", "beta", a["police_action"].pk),
                       update_payload()).status_code == 404
    assert client.get(url("action_detail", "beta", b["action"].pk)).status_code == 200


def test_user_without_membership_sees_no_partnership(login, world):
    client = login(world["users"]["nobody"])
    assert client.get(url("dashboard", "alpha")).status_code == 404
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"not a member of any partnership" in response.content


def test_admin_can_do_everything_in_own_partnership(login, world):
    a = world["a"]
    client = login(world["users"]["admin"])
    assert client.post(url("action_post_update", "alpha", a["fire_action"].pk),
                       update_payload()).status_code == 302
    assert client.get(url("action_edit", "alpha", a["fire_action"].pk)).status_code == 200
    assert client.get(url("strategy_edit", "alpha", a["strategy"].pk)).status_code == 200
    assert client.get(url("plan_import", "alpha", a["plan"].pk)).status_code == 200


def test_forms_require_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["admin"])
    response = client.post(url("action_post_update", "alpha", world["a"]["police_action"].pk),
                           update_payload())
    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()
