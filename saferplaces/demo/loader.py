"""Load the Wolverhampton demonstration. Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from saferplaces.core.csv_records import read_table
from saferplaces.demo import wolverhampton as swp
from saferplaces.demo.assessment import load_assessment
from saferplaces.demo.committee import load_committee_report
from saferplaces.demo.consultation import load_consultation
from saferplaces.demo.equality import load_equality_analysis
from saferplaces.demo.evidence import load_evidence
from saferplaces.demo.governance import load_meetings
from saferplaces.demo.grants import load_grant
from saferplaces.demo.performance import issue_demo_report, load_framework
from saferplaces.demo.sync import sync as _sync
from saferplaces.demo.workshop import load_workshop
from saferplaces.partnership.models import (
    BoardSeat,
    Membership,
    Organisation,
    PartnerBody,
    Partnership,
    Person,
    Role,
)
from saferplaces.strategy import services
from saferplaces.strategy.models import (
    ActionPlan,
    ActionUpdate,
    Aim,
    LinkedStrategy,
    Priority,
    Strategy,
)

DATA_DIR = Path(__file__).parent / "data"
ACTIONS_CSV = DATA_DIR / "action_plan_2020_21.csv"
UPDATES_CSV = DATA_DIR / "action_updates_2020_21.csv"


class DemoError(Exception):
    pass



@dataclass
class DemoResult:
    partnership: Partnership
    plan: ActionPlan
    users: dict[str, str] = field(default_factory=dict)  # user name -> role label
    password_set: bool = False
    evidence: dict[str, int] | None = None
    consultation: dict[str, int] = field(default_factory=dict)  # empty when already loaded
    committee: dict[str, int] = field(default_factory=dict)  # empty when already loaded


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _partnership() -> Partnership:
    data = dict(swp.PARTNERSHIP)
    partnership = _sync(Partnership,
        slug=data.pop("slug"), defaults={**data, "is_demonstration": True})
    return partnership


def _organisations(partnership) -> dict[str, Organisation]:
    orgs = {}
    for short, name, role, authority in swp.ORGANISATIONS:
        orgs[short] = _sync(Organisation,
            partnership=partnership, short_name=short,
            defaults={"name": name, "statutory_role": role, "authority_type": authority})
    return orgs


def _people(partnership, orgs) -> dict[str, Person]:
    people = {}
    for name, title, org, _user in swp.PEOPLE:
        people[name] = _sync(Person,
            partnership=partnership, name=name,
            defaults={"job_title": title, "organisation": orgs[org]})
    return people


def _board(partnership, orgs, people) -> None:
    if partnership.board_seats.exists():
        return
    for seat_type, office, org, holder, label in swp.BOARD_SEATS:
        BoardSeat.objects.create(
            partnership=partnership, seat_type=seat_type, office=office,
            organisation=orgs[org], holder=people[holder], label=label)


def _fix_superseded_linked(partnership) -> None:
    """Correct linked strategies an earlier demo wrote wrongly: rename or remove them."""
    for old_title, new_title in swp.SUPERSEDED_LINKED_STRATEGIES.items():
        old = LinkedStrategy.objects.filter(partnership=partnership, title=old_title).first()
        if old is None:
            continue
        if new_title and not LinkedStrategy.objects.filter(
                partnership=partnership, title=new_title).exists():
            old.title = new_title
            old.save()
        else:
            old.delete()


def _partner_bodies(partnership) -> None:
    for name, members, description in swp.PARTNER_BODIES:
        _sync(PartnerBody, partnership=partnership, name=name,
              defaults={"members": members, "description": description})


def _linked(partnership) -> dict[str, LinkedStrategy]:
    _fix_superseded_linked(partnership)
    linked = {}
    for title, owner, description in swp.LINKED_STRATEGIES:
        linked[title] = _sync(LinkedStrategy,
            partnership=partnership, title=title,
            defaults={"owner": owner, "description": description})
    return linked


def _strategy(partnership, data, supersedes=None) -> Strategy:
    strategy = _sync(Strategy,
        partnership=partnership, title=data["title"],
        defaults={"start_date": _date(data["start_date"]), "end_date": _date(data["end_date"]),
                  "status": data["status"], "summary": data["summary"],
                  "supersedes": supersedes})
    return strategy


def _priorities(strategy, linked) -> None:
    for number, (title, strands, linked_titles, aims) in enumerate(swp.PRIORITIES, start=1):
        priority = _sync(Priority,
            strategy=strategy, number=number,
            defaults={"title": title, "strands": strands,
                      "description": swp.PRIORITY_DESCRIPTIONS[title]})
        wanted = {linked[t].pk for t in linked_titles}
        if set(priority.linked_strategies.values_list("pk", flat=True)) != wanted:
            priority.linked_strategies.set(wanted)
        for aim_number, text in enumerate(aims, start=1):
            _sync(Aim, priority=priority, number=aim_number,
                                         defaults={"text": text})


def _priorities_2017(strategy) -> None:
    for number, (title, strands) in enumerate(swp.PRIORITIES_2017, start=1):
        _sync(Priority, strategy=strategy, number=number,
                                          defaults={"title": title, "strands": strands})
    # An earlier demo gave the old strategy a third priority the founding report never names.
    strategy.priorities.filter(number__gt=len(swp.PRIORITIES_2017)).delete()


def _users(partnership, orgs, people, password) -> dict[str, str]:
    User = get_user_model()
    labels = {}
    for username, (role, org, first, last) in swp.USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last,
                      "email": f"{username}@demo.saferplaces.invalid"})
        if created or password:
            user.set_password(password or swp_default_password())
            user.save()
        organisation = orgs[org]
        membership = _sync(Membership,
            user=user, partnership=partnership,
            defaults={"role": role, "organisation": organisation})
        labels[username] = membership.get_role_display() + (
            f", {org}" if role == Role.OFFICER else "")
    for name, _title, _org, username in swp.PEOPLE:
        if username and people[name].user_id is None:
            people[name].user = User.objects.get(username=username)
            people[name].save()
    return labels


def swp_default_password() -> str:
    """The demo's default password; printed by `saferplaces demo`. Demo logins only."""
    return swp.DEMO_PASSWORD


def _plan(strategy) -> ActionPlan:
    data = swp.PLAN_2020
    plan, _ = ActionPlan.objects.get_or_create(
        strategy=strategy, year=data["year"],
        defaults={"start_date": _date(data["start_date"]), "end_date": _date(data["end_date"]),
                  "status": data["status"], "is_illustrative": True})
    return plan


def _actions(plan, admin_user) -> None:
    result = services.import_actions(plan, ACTIONS_CSV.read_bytes(), user=admin_user,
                                     file=ACTIONS_CSV.name)
    if not result.ok:
        raise DemoError("The demo action plan does not validate: "
                        + "; ".join(str(e) for e in result.errors))


def _updates(plan) -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=swp.USERS)}
    actions = {a.reference: a for a in plan.actions.all()}
    table = read_table(UPDATES_CSV.read_bytes(), UPDATES_CSV.name)
    if table.errors:
        raise DemoError("; ".join(str(error) for error in table.errors))
    rows = [dict(zip(table.header, row.cells, strict=True)) for row in table.rows]
    rows.sort(key=lambda r: (r["reference"], r["date"]))
    for row in rows:
        action = actions.get(row["reference"])
        if action is None:
            raise DemoError(f"Demo update for unknown action {row['reference']}")
        day = _date(row["date"])
        if ActionUpdate.objects.filter(action=action, date=day).exists():
            continue
        update = ActionUpdate(date=day, status=row["status"], narrative=row["narrative"],
                              progress=int(row["progress"]) if row["progress"] else None)
        services.post_update(action, update, users[row["author"]])


@transaction.atomic
def load_demo(password: str | None = None, evidence: bool = True,
              framework: bool = True) -> DemoResult:
    """Create or refresh the Safer Wolverhampton Partnership demo; returns what was loaded.

    A given password is set on every demo login; without one, new logins get the default
    demo password and existing ones keep theirs. `evidence` loads geography and crime data;
    `framework` (with evidence) the performance framework and the issued Q3 report.
    """
    partnership = _partnership()
    orgs = _organisations(partnership)
    people = _people(partnership, orgs)
    _board(partnership, orgs, people)
    _partner_bodies(partnership)
    linked = _linked(partnership)
    old = _strategy(partnership, swp.STRATEGY_2017)
    _priorities_2017(old)
    current = _strategy(partnership, swp.STRATEGY_2020, supersedes=old)
    _priorities(current, linked)
    users = _users(partnership, orgs, people, password)
    plan = _plan(current)
    admin = get_user_model().objects.get(username="swp-admin")
    _actions(plan, admin)
    _updates(plan)
    loaded = load_evidence(partnership, admin) if evidence else {}
    if evidence and framework:
        loaded.update(load_framework(partnership, current))
        loaded["board reports issued"] = issue_demo_report(partnership, admin)
    consultation = load_consultation(partnership, current)
    load_meetings(partnership)
    grant = load_grant(partnership, plan)
    analysis = load_equality_analysis(partnership, current)
    load_workshop(partnership)
    load_assessment(partnership, admin)
    committee = load_committee_report(partnership, current, admin, grant=grant,
                                      equality_analysis=analysis)
    return DemoResult(partnership=partnership, plan=plan, users=users,
                      password_set=bool(password), evidence=loaded,
                      consultation=consultation, committee=committee)
