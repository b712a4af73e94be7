"""Rolling a plan into next year, and comparing the two years."""

import datetime

import pytest
from django.urls import reverse

from saferplaces.strategy import services
from saferplaces.strategy.models import ActionPlan

pytestmark = pytest.mark.django_db


def test_roll_forward_carries_open_actions_and_closes_the_plan(world):
    a = world["a"]
    old_plan = a["plan"]
    new_plan = services.roll_forward(old_plan, user=world["users"]["admin"])
    old_plan.refresh_from_db()
    assert old_plan.status == "closed"
    assert new_plan.year == 2021 and new_plan.previous == old_plan
    assert new_plan.start_date == datetime.date(2021, 4, 1)
    assert new_plan.status == "draft"
    carried = {x.reference: x for x in new_plan.actions.all()}
    assert set(carried) == {"PV-01", "PV-02"}  # PV-03 was complete
    pv01 = carried["PV-01"]
    assert pv01.previous_version == a["police_action"]
    assert list(pv01.partner_organisations.all()) == [a["council"]]
    assert list(pv01.aims.all()) == [a["aims"][0]]
    assert pv01.status == "on_track"
    # A late action keeps its due date, so it stays flagged as overdue.
    assert carried["PV-02"].due_date == datetime.date(2020, 6, 30)
    assert carried["PV-02"].is_overdue(datetime.date(2021, 4, 2))
    assert pv01.history.first().history_change_reason == "Carried forward from 2020/21"


def test_roll_forward_refuses_twice_and_beyond_the_strategy(world):
    plan = world["a"]["plan"]
    second = services.roll_forward(plan)
    with pytest.raises(services.RollForwardError, match="already exists"):
        services.roll_forward(plan)
    third = services.roll_forward(second)
    with pytest.raises(services.RollForwardError, match="strategy ends on 31 March 2023"):
        services.roll_forward(third)
    assert ActionPlan.objects.filter(strategy=plan.strategy).count() == 3


def test_compare_lists_carried_changed_added_and_finished(world):
    a = world["a"]
    new_plan = services.roll_forward(a["plan"])
    carried = new_plan.actions.get(reference="PV-01")
    carried.status = "at_risk"
    carried.save()
    new_plan.actions.create(reference="PV-10", title="New work", lead_organisation=a["police"],
                            due_date=datetime.date(2022, 3, 31))
    comparison = services.compare_plans(a["plan"], new_plan)
    changes = {new.reference: ch for _old, new, ch in comparison.carried}
    assert changes["PV-01"] == [("Status", "On track", "At risk")]
    assert changes["PV-02"] == []
    assert [x.reference for x in comparison.added] == ["PV-10"]
    assert [x.reference for x in comparison.finished] == ["PV-03"]
    assert comparison.dropped == []


def test_roll_forward_through_the_web(login, world):
    a = world["a"]
    client = login(world["users"]["admin"])
    url = reverse("plan_roll_forward", args=["alpha", a["plan"].pk])
    page = client.get(url)
    assert b"2 open actions will be carried forward" in page.content
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert b"Action plan 2020/21 compared with 2021/22" in response.content
    assert b"2 carried forward" in response.content
    again = client.post(url)
    assert b"plan already exists" in again.content


def test_compare_page_flags_late_carried_actions_and_redates_them_together(login, world):
    a = world["a"]
    new_plan = services.roll_forward(a["plan"], user=world["users"]["admin"])
    late = new_plan.actions.get(reference="PV-02")  # due 30 June 2020, before 2021/22
    url = reverse("plan_compare", args=["alpha", a["plan"].pk, new_plan.pk])
    client = login(world["users"]["admin"])
    page = client.get(url).content.decode()
    assert "1 carried action is due before 2021/22 starts (1 April 2021)" in page
    assert page.count("before 2021/22</span>") == 1
    refused = client.post(url, {"actions": [late.pk], "due_date": "2020-12-31",
                                "reason": "Carried late"})
    assert refused.status_code == 422
    assert "Pick a date in the 2021/22 plan&#x27;s year." in refused.content.decode()
    late.refresh_from_db()
    assert late.due_date == datetime.date(2020, 6, 30)
    done = client.post(url, {"actions": [late.pk], "due_date": "2021-06-30",
                             "reason": "Carried late"})
    assert done.status_code == 302
    late.refresh_from_db()
    assert late.due_date == datetime.date(2021, 6, 30)
    record = late.history.order_by("-history_date", "-history_id").first()
    assert record.history_change_reason == "Re-dated: Carried late"
    assert record.history_user == world["users"]["admin"]
    page = client.get(url).content.decode()
    assert "due before 2021/22 starts" not in page and "Re-date late actions" not in page


def test_only_administrators_redate(login, world):
    a = world["a"]
    new_plan = services.roll_forward(a["plan"])
    late = new_plan.actions.get(reference="PV-02")
    url = reverse("plan_compare", args=["alpha", a["plan"].pk, new_plan.pk])
    client = login(world["users"]["fire"])
    assert "Re-date late actions" not in client.get(url).content.decode()
    response = client.post(url, {"actions": [late.pk], "due_date": "2021-06-30",
                                 "reason": "x"})
    assert response.status_code == 403
    late.refresh_from_db()
    assert late.due_date == datetime.date(2020, 6, 30)
