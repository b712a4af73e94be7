"""Pages render with the right content, filters and paging work, errors show beside fields."""

import datetime
import re

import pytest
from django.urls import reverse

from saferplaces.strategy.flags import action_flags
from saferplaces.strategy.models import Action, ActionUpdate
from tests.conftest import WORLD_DATE, make_action
from tests.factories import ActionUpdateFactory

pytestmark = pytest.mark.django_db


def get(client, name, *args, **params):
    return client.get(reverse(name, args=["alpha", *args]), params)


def test_dashboard_shows_my_overdue_and_recent(login, world):
    a = world["a"]
    client = login(world["users"]["fire"])
    page = get(client, "dashboard").content.decode()
    assert "My open actions" in page and "Action PV-02" in page  # fire leads PV-02
    assert "Overdue" in page
    # dated on the world's shown-as-at date: later updates are not shown (one clock)
    ActionUpdateFactory(action=a["police_action"], author=world["users"]["police"],
                        status="on_track", narrative="Done a thing", date=WORLD_DATE)
    page = get(client, "dashboard").content.decode()
    assert "Recently updated" in page and "PV-01 Action PV-01" in page


def test_strategy_page_shows_priorities_aims_actions_and_strand_warning(login, world):
    a = world["a"]
    client = login(world["users"]["board"])
    page = get(client, "strategy_detail", a["strategy"].pk).content.decode()
    assert "Preventing violence" in page
    assert "Reduce violent crime" in page and "(aim 1.1)" in page
    assert "PV-01 Action PV-01" in page
    assert "On track: 2" in page  # PV-01 (aim 1.1) and PV-02 (aim 1.2)
    assert "Statutory strands not covered" in page
    assert "Substance misuse" in page  # only serious violence is covered in the fixture


def test_strand_warning_disappears_when_all_strands_are_covered(login, world):
    a = world["a"]
    a["priority"].strands = ["crime_disorder", "substance_misuse", "reoffending",
                             "serious_violence"]
    a["priority"].save()
    client = login(world["users"]["board"])
    page = get(client, "strategy_detail", a["strategy"].pk).content.decode()
    assert "Statutory strands not covered" not in page


def test_plan_filters(login, world):
    a = world["a"]
    client = login(world["users"]["board"])
    plan = a["plan"].pk

    def refs(**params):
        response = get(client, "plan_detail", plan, **params)
        return [x.reference for x in response.context["page"].object_list]

    assert refs() == ["PV-01", "PV-02", "PV-03"]
    assert refs(lead_organisation=a["fire"].pk) == ["PV-02"]
    assert refs(status="complete") == ["PV-03"]
    assert refs(overdue="on") == ["PV-02"]
    assert refs(priority=a["priority"].pk) == ["PV-01", "PV-02", "PV-03"]
    assert refs(q="pv-01") == ["PV-01"]
    assert refs(status="nonsense") == ["PV-01", "PV-02", "PV-03"]  # invalid filter ignored


def test_plan_htmx_request_gets_only_the_table(login, world):
    client = login(world["users"]["board"])
    response = client.get(reverse("plan_detail", args=["alpha", world["a"]["plan"].pk]),
                          {"status": "complete"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "PV-03" in body and "PV-01" not in body


def test_plan_paging(login, world):
    a = world["a"]
    for n in range(30):
        make_action(a["plan"], f"X-{n:02d}", a["police"])
    client = login(world["users"]["board"])
    first = get(client, "plan_detail", a["plan"].pk)
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = get(client, "plan_detail", a["plan"].pk, page=2)
    assert len(second.context["page"].object_list) == 8
    assert get(client, "plan_detail", a["plan"].pk, page="zzz").status_code == 200


def test_update_form_errors_show_next_to_fields(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    response = client.post(reverse("action_post_update", args=["alpha", a["police_action"].pk]),
                           {"date": "not a date", "status": "complete", "progress": "50",
                            "narrative": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter a valid date." in body
    assert "A complete action is 100% done." in body
    assert "This field is required." in body
    assert not ActionUpdate.objects.exists()


def test_posting_update_moves_status_and_progress(login, world):
    a = world["a"]
    client = login(world["users"]["police"])
    response = client.post(reverse("action_post_update", args=["alpha", a["police_action"].pk]),
                           {"date": "2020-11-02", "status": "complete",
                            "narrative": "Delivered in all secondary schools."},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Delivered in all secondary schools." in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()
    action = Action.objects.get(pk=a["police_action"].pk)
    assert action.status == "complete" and action.progress == 100
    assert action.last_update_date == datetime.date(2020, 11, 2)


def test_stale_and_overdue_flags(world):
    a = world["a"]
    today = datetime.date(2020, 11, 16)
    Action.objects.filter(pk=a["police_action"].pk).update(
        last_update_date=today - datetime.timedelta(days=61))
    Action.objects.filter(pk=a["fire_action"].pk).update(
        last_update_date=today - datetime.timedelta(days=10))
    Action.objects.filter(pk=a["done_action"].pk).update(
        last_update_date=today - datetime.timedelta(days=400))
    plan_actions = Action.objects.filter(plan=a["plan"])
    assert set(plan_actions.stale(60, today)) == {a["police_action"]}
    assert set(plan_actions.stale(61, today)) == set()
    assert set(plan_actions.overdue(today)) == {a["fire_action"]}  # due 30 June 2020
    police = plan_actions.get(pk=a["police_action"].pk)
    assert police.is_stale(60, today) and not police.is_stale(61, today)
    assert not police.is_overdue(today)
    assert a["fire_action"].is_overdue(today)
    assert not a["done_action"].is_overdue(today)  # complete actions are never overdue


def test_never_updated_open_action_is_waiting_for_an_update(world):
    a = world["a"]
    today = datetime.date(2020, 11, 16)
    plan_actions = Action.objects.filter(plan=a["plan"])
    # No action in the fixture has an update; the complete one needs none.
    assert set(plan_actions.stale(60, today)) == {a["police_action"], a["fire_action"]}
    assert a["police_action"].is_stale(60, today)


def test_after_its_plan_year_an_open_action_is_not_completed_rather_than_overdue(world):
    a = world["a"]
    after = datetime.date(2021, 4, 1)  # the 2020/21 plan ended on 31 March 2021
    plan_actions = Action.objects.filter(plan=a["plan"])
    assert set(plan_actions.overdue(after)) == set()
    assert set(plan_actions.stale(60, after)) == set()
    fire = plan_actions.get(pk=a["fire_action"].pk)
    assert [f.label for f in action_flags(fire, after, 60)] == ["Not completed in 2020/21"]
    last_day = datetime.date(2021, 3, 31)
    assert [f.label for f in action_flags(fire, last_day, 60)] == ["Overdue", "No update yet"]


def test_a_plan_whose_year_has_ended_offers_no_update_or_new_action(login, world):
    a = world["a"]
    a["partnership"].shown_as_at = datetime.date(2021, 5, 1)
    a["partnership"].save()
    client = login(world["users"]["admin"])
    plan_page = get(client, "plan_detail", a["plan"].pk).content.decode()
    assert "Not completed in 2020/21" in plan_page
    assert 'class="flag overdue"' not in plan_page and "New action" not in plan_page
    action_page = get(client, "action_detail", a["fire_action"].pk).content.decode()
    assert "Post update" not in action_page and "Not completed in 2020/21" in action_page
    response = client.post(reverse("action_post_update", args=["alpha", a["fire_action"].pk]),
                           {"date": "2021-04-30", "status": "complete", "narrative": "Late."})
    assert response.status_code == 403
    assert get(client, "action_create", a["plan"].pk).status_code == 403


def test_organisation_and_board_pages(login, world):
    from saferplaces.partnership.models import BoardSeat

    a = world["a"]
    BoardSeat.objects.create(partnership=a["partnership"], seat_type="statutory", office="chair",
                             organisation=a["police"], holder=a["person"])
    BoardSeat.objects.create(partnership=a["partnership"], seat_type="resident",
                             label="Resident representative")
    client = login(world["users"]["board"])
    org = get(client, "organisation_detail", a["police"].pk).content.decode()
    assert "What we lead" in org and "Action PV-01" in org
    board = get(client, "board").content.decode()
    assert "Chair: Pat Lead (POL)" in board
    assert "Resident seat" in board and "Vacant" in board


def test_action_form_validation_messages(login, world):
    a = world["a"]
    client = login(world["users"]["admin"])
    response = client.post(reverse("action_create", args=["alpha", a["plan"].pk]), {
        "reference": "PV-01", "title": "", "lead_organisation": a["police"].pk,
        "partner_organisations": [a["police"].pk], "start_date": "2021-01-01",
        "due_date": "2020-01-01", "status": "on_track", "progress": "150"})
    errors = response.context["form"].errors
    assert "title" in errors
    assert "aims" in errors
    assert errors["partner_organisations"] == ["The lead organisation is not also a partner."]
    assert errors["due_date"] == ["The due date cannot be before the start date."]
    assert "progress" in errors
    assert errors["reference"] == ["Another action in this plan already has this reference."]


def test_error_pages_use_site_template(login, world):
    client = login(world["users"]["board"])
    response = client.get("/p/alpha/actions/999999/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_health_needs_no_login(client, db):
    assert client.get("/health/").json() == {"status": "ok"}


def test_posted_update_refreshes_status_flags_facts_and_history(login, world):
    a = world["a"]
    client = login(world["users"]["fire"])
    url = reverse("action_post_update", args=["alpha", a["fire_action"].pk])
    body = client.post(url, {"date": "2020-11-10", "status": "complete",
                             "narrative": "Finished late."},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "Update posted." in body
    status = re.search(r'<p id="action-status" hx-swap-oob="true">(.*?)</p>', body, re.S)
    assert "Complete" in status.group(1) and "Overdue" not in status.group(1)
    facts = re.search(r'<dl class="facts" id="action-facts" hx-swap-oob="true">(.*?)</dl>',
                      body, re.S).group(1)
    assert "<dt>Last update</dt><dd>10 Nov 2020</dd>" in facts
    history = re.search(r'<div id="action-history" hx-swap-oob="true">(.*)</div>', body,
                        re.S).group(1)
    assert "Progress update" in history
