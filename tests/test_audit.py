"""Every change to strategy, plan and action records is kept: who, when, what."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_action_edit_is_recorded_and_shown(login, world):
    a = world["a"]
    action = a["police_action"]
    client = login(world["users"]["police"])
    response = client.post(reverse("action_edit", args=["alpha", action.pk]), {
        "reference": "PV-01", "title": "Knife crime education in schools",
        "aims": [a["aims"][0].pk, a["aims"][1].pk], "lead_organisation": a["police"].pk,
        "partner_organisations": [a["council"].pk, a["fire"].pk],
        "due_date": "2021-02-28", "status": "at_risk", "progress": "30"})
    assert response.status_code == 302
    latest = action.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user.username == "police-a"
    page = client.get(reverse("action_detail", args=["alpha", action.pk])).content.decode()
    assert "Change history" in page
    assert "by police-a" in page
    assert "Title: Action PV-01 → Knife crime education in schools" in page
    assert "Status: On track → At risk" in page
    assert f"Due date: {action.due_date:%d %b %Y} → 28 Feb 2021" in page
    assert "Alpha Fire" in page  # partner added, recorded through the m2m history


def test_update_posting_is_recorded_with_reason(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    client.post(reverse("action_post_update", args=["alpha", a["police_action"].pk]), {
        "date": "2020-10-01", "status": "off_track", "narrative": "Staff redeployed (Covid)."})
    record = a["police_action"].history.order_by("-history_date", "-history_id").first()
    assert record.history_change_reason == "Progress update"
    assert record.history_user.username == "police-a"
    assert record.status == "off_track"


def test_strategy_edit_is_recorded(login, world):
    a = world["a"]
    strategy = a["strategy"]
    client = login(world["users"]["admin"])
    response = client.post(reverse("strategy_edit", args=["alpha", strategy.pk]), {
        "title": "Alpha strategy (refreshed)", "start_date": "2020-04-01",
        "end_date": "2023-03-31", "status": "adopted", "summary": ""})
    assert response.status_code == 302
    page = client.get(reverse("strategy_detail", args=["alpha", strategy.pk])).content.decode()
    assert "Title: Alpha strategy → Alpha strategy (refreshed)" in page
    assert "by admin-a" in page
