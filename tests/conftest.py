"""Shared fixtures: two partnerships, so every test can check that one cannot see the other."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AimFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PriorityFactory,
    StrategyFactory,
    UserFactory,
)


def make_user(username, partnership=None, role=None, organisation=None, **fields):
    user = UserFactory(username=username, **fields)
    if partnership is not None:
        MembershipFactory(user=user, partnership=partnership, role=role,
                          organisation=organisation)
    return user


WORLD_DATE = datetime.date(2020, 11, 16)


def make_partnership(slug, name):
    """A partnership with a council, police and fire service, a 2020-23 strategy with one
    priority and two aims, the 2020/21 plan and a lead officer in the police. It is shown
    as at 16 November 2020, inside its plan's year, so the plan's actions can be updated."""
    partnership = PartnershipFactory(name=name, short_name=slug.upper(), slug=slug,
                                     shown_as_at=WORLD_DATE)
    council, police, fire = (
        OrganisationFactory(partnership=partnership, name=f"{name} {label}",
                            short_name=short_name, authority_type=authority_type)
        for label, short_name, authority_type in [("Council", "CNCL", "council"),
                                                  ("Police", "POL", "police"),
                                                  ("Fire", "FIRE", "fire")])
    strategy = StrategyFactory(partnership=partnership)
    priority = PriorityFactory(strategy=strategy, number=1, title="Preventing violence",
                               strands=["serious_violence"])
    aim1 = AimFactory(priority=priority, number=1, text="Reduce violent crime")
    aim2 = AimFactory(priority=priority, number=2, text="Increase reporting")
    plan = ActionPlanFactory(strategy=strategy, year=2020)
    officer_person = PersonFactory(partnership=partnership, name="Pat Lead",
                                   organisation=police, email="pat@example.org")
    return {
        "partnership": partnership, "council": council, "police": police, "fire": fire,
        "strategy": strategy, "priority": priority, "aims": [aim1, aim2], "plan": plan,
        "person": officer_person,
    }


def make_action(plan, reference, lead, partners=(), aims=(), **fields):
    return ActionFactory(plan=plan, reference=reference, lead_organisation=lead,
                         partner_organisations=partners, aims=aims, **fields)


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


ROOT = Path(__file__).resolve().parents[1]


def process_env(database, **extra) -> dict:
    """The environment of a saferplaces process working on the SQLite file `database`."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test",
            "DJANGO_SETTINGS_MODULE": "saferplaces.settings", "PYTHONUNBUFFERED": "1",
            **extra}


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite database file, for tests that run whole processes to copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    subprocess.run([sys.executable, "-m", "saferplaces.cli", "migrate", "--skip-checks", "-v0"],
                   env=process_env(path), cwd=ROOT, check=True)
    return path

