"""Shared fixtures: two partnerships, so every test can check that one cannot see the other."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from saferplaces.partnership.models import Membership, Organisation, Partnership, Person
from saferplaces.strategy.models import Action, ActionPlan, Aim, Priority, Strategy

PASSWORD = "correct-horse-battery-staple"


def make_user(username, partnership=None, role=None, organisation=None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD,
                                                email=f"{username}@example.org")
    if partnership is not None:
        Membership.objects.create(user=user, partnership=partnership, role=role,
                                  organisation=organisation)
    return user


def make_partnership(slug, name):
    partnership = Partnership.objects.create(name=name, short_name=slug.upper(), slug=slug)
    council = Organisation.objects.create(partnership=partnership, name=f"{name} Council",
                                          short_name="CNCL", statutory_role="responsible",
                                          authority_type="council")
    police = Organisation.objects.create(partnership=partnership, name=f"{name} Police",
                                         short_name="POL", statutory_role="responsible",
                                         authority_type="police")
    fire = Organisation.objects.create(partnership=partnership, name=f"{name} Fire",
                                       short_name="FIRE", statutory_role="responsible",
                                       authority_type="fire")
    strategy = Strategy.objects.create(partnership=partnership, title=f"{name} strategy",
                                       start_date=datetime.date(2020, 4, 1),
                                       end_date=datetime.date(2023, 3, 31), status="adopted")
    priority = Priority.objects.create(strategy=strategy, number=1, title="Preventing violence",
                                       strands=["serious_violence"])
    aim1 = Aim.objects.create(priority=priority, number=1, text="Reduce violent crime")
    aim2 = Aim.objects.create(priority=priority, number=2, text="Increase reporting")
    plan = ActionPlan.objects.create(strategy=strategy, year=2020,
                                     start_date=datetime.date(2020, 4, 1),
                                     end_date=datetime.date(2021, 3, 31), status="active")
    officer_person = Person.objects.create(partnership=partnership, name="Pat Lead",
                                           organisation=police, email="pat@example.org")
    return {
        "partnership": partnership, "council": council, "police": police, "fire": fire,
        "strategy": strategy, "priority": priority, "aims": [aim1, aim2], "plan": plan,
        "person": officer_person,
    }


def make_action(plan, reference, lead, partners=(), aims=(), **fields):
    in_six_months = datetime.date.today() + datetime.timedelta(days=180)
    values = {"title": f"Action {reference}", "due_date": in_six_months,
              "status": "on_track"}
    values.update(fields)
    action = Action.objects.create(plan=plan, reference=reference, lead_organisation=lead,
                                   **values)
    action.partner_organisations.set(partners)
    action.aims.set(aims)
    return action


@pytest.fixture
def world(db):
    """Partnership A with actions and users of every role, and partnership B beside it."""
    a = make_partnership("alpha", "Alpha")
    b = make_partnership("beta", "Beta")
    a["police_action"] = make_action(a["plan"], "PV-01", a["police"], partners=[a["council"]],
                                     aims=[a["aims"][0]])
    a["fire_action"] = make_action(a["plan"], "PV-02", a["fire"], aims=[a["aims"][1]],
                                   due_date=datetime.date(2020, 6, 30))
    a["done_action"] = make_action(a["plan"], "PV-03", a["council"], aims=[a["aims"][0]],
                                   status="complete", progress=100)
    b["action"] = make_action(b["plan"], "B-01", b["police"], aims=[b["aims"][0]])
    users = {
        "admin": make_user("admin-a", a["partnership"], "admin"),
        "police": make_user("police-a", a["partnership"], "officer", a["police"]),
        "council": make_user("council-a", a["partnership"], "officer", a["council"]),
        "fire": make_user("fire-a", a["partnership"], "officer", a["fire"]),
        "board": make_user("board-a", a["partnership"], "board"),
        "admin_b": make_user("admin-b", b["partnership"], "admin"),
        "nobody": make_user("nobody"),
    }
    return {"a": a, "b": b, "users": users}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login
