"""Operations on action plans that touch the database: CSV import and export, roll forward,
comparing two years, and posting updates. Views and commands call these; they hold no HTTP."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from saferplaces.core.bulk_rows import insert_rows, update_rows
from saferplaces.core.csv_records import LineError
from saferplaces.core.imports import ImportResult
from saferplaces.core.words import date_text
from saferplaces.strategy import action_csv
from saferplaces.strategy.forms import action_errors
from saferplaces.strategy.models import (
    CLOSED_STATUSES,
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    Aim,
    PlanStatus,
)

# ---------------------------------------------------------------------------------------------
# CSV


def lookups_for(plan: ActionPlan) -> action_csv.Lookups:
    """Names a CSV file for this plan may use: organisations, aim codes, officers, statuses."""
    partnership = plan.strategy.partnership
    organisations: dict[str, int] = {}
    for org in partnership.organisations.all():
        organisations[org.short_name.lower()] = org.pk
        organisations[org.name.lower()] = org.pk
    aims = {
        aim.code.lower(): aim.pk
        for aim in Aim.objects.filter(priority__strategy=plan.strategy).select_related("priority")
    }
    officers: dict[str, int] = {}
    for person in partnership.people.all():
        officers[person.name.lower()] = person.pk
        if person.email:
            officers[person.email.lower()] = person.pk
    statuses = {value: value for value in ActionStatus.values}
    statuses.update({label.lower(): value for value, label in ActionStatus.choices})
    return action_csv.Lookups(organisations, aims, officers, statuses)


def export_actions(plan: ActionPlan) -> str:
    """The plan's actions as CSV text, in the format `import_actions` reads."""
    actions = (
        plan.actions.select_related("lead_organisation", "lead_officer")
        .prefetch_related("aims__priority", "partner_organisations")
        .order_by("reference")
    )
    records = []
    for action in actions:
        records.append({
            "reference": action.reference,
            "title": action.title,
            "description": action.description,
            "aims": sorted(aim.code for aim in action.aims.all()),
            "lead_organisation": action.lead_organisation.short_name,
            "partner_organisations": sorted(
                o.short_name for o in action.partner_organisations.all()),
            "lead_officer": action.lead_officer.name if action.lead_officer else None,
            "start_date": action.start_date,
            "due_date": action.due_date,
            "status": action.status,
            "progress": action.progress,
        })
    return action_csv.write_actions(records)


_SCALAR_FIELDS = (
    "title", "description", "lead_organisation", "lead_officer", "start_date", "due_date",
    "status", "progress",
)
_FK_FIELDS = {"lead_organisation", "lead_officer"}
_LINKS = ("aims", "partner_organisations")
#: Rows per statement when deleting links by id (SQLite allows 32,766 variables).
_CHUNK = 5000


@dataclass
class _Change:
    """One row's outcome: the action's stored fields (None for a new one, else {attname:
    value}) and its wanted values."""

    reference: str
    stored: dict | None
    values: dict
    changed: bool
    is_new: bool = False
    action_id: int | None = None
    links_changed: bool = False


def _links(plan: ActionPlan) -> dict[int, dict[str, list[int]]]:
    """Every action's aims and partner organisations in the plan: two queries in all."""
    links: dict[int, dict[str, list[int]]] = defaultdict(lambda: {name: [] for name in _LINKS})
    for name in _LINKS:
        field = Action._meta.get_field(name)
        target = field.m2m_reverse_field_name()
        pairs = field.remote_field.through.objects.filter(action__plan=plan).values_list(
            "action_id", f"{target}_id")
        for action_id, target_id in pairs:
            links[action_id][name].append(target_id)
    return links


def _current_values(stored: dict | None, links: dict) -> dict:
    """An action's values as the importer compares them (ids for relations, sorted lists for
    aims and partners), or a new action's defaults."""
    if stored is None:
        return {"title": "", "description": "", "aims": [], "lead_organisation": None,
                "partner_organisations": [], "lead_officer": None, "start_date": None,
                "due_date": None, "status": ActionStatus.NOT_STARTED, "progress": 0}
    values = {name: stored[column] for name, column in zip(_SCALAR_FIELDS, _scalar_columns(),
                                                            strict=True)}
    values.update({name: sorted(links[stored["id"]][name]) for name in _LINKS})
    return values


def _row_errors(row: action_csv.ActionRow, values: dict, file: str) -> list[LineError]:
    """What the web form's rules (``forms.action_errors``) refuse in a row, on its line."""
    return [LineError(file, row.line, name, f"{name}: {message}")
            for name, messages in action_errors(values).items() for message in messages]


def _changes(plan: ActionPlan, rows: list[action_csv.ActionRow], file: str
             ) -> tuple[list[_Change], list[LineError]]:
    """Each row checked against the form's rules over the action it updates (existing values
    fill the columns a file leaves out), with the lookups loaded once for the plan."""
    columns = [field.attname for field in Action._meta.concrete_fields]
    existing = {stored["reference"].lower(): stored
                for stored in plan.actions.order_by().values(*columns)}
    links = _links(plan)
    changes, errors = [], []
    for row in rows:
        stored = existing.get(row.reference.lower())
        current = _current_values(stored, links)
        values = {**current, **row.values}
        if values["description"] is None:
            values["description"] = ""
        reference = stored["reference"] if stored else row.reference
        problems = _row_errors(row, {**values, "reference": reference}, file)
        if problems:
            errors += problems
            continue
        links_changed = any(values[name] != current[name] for name in _LINKS)
        changes.append(_Change(reference, stored, values, values != current, stored is None,
                               stored["id"] if stored else None, links_changed))
    return changes, errors


def _chunks(items: list, size: int = _CHUNK) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _scalar_columns() -> list[str]:
    return [f"{name}_id" if name in _FK_FIELDS else name for name in _SCALAR_FIELDS]


def _scalars(values: dict) -> list:
    return [values[name] for name in _SCALAR_FIELDS]


def _write_actions(plan: ActionPlan, new: list[_Change], changed: list[_Change],
                   now: datetime.datetime) -> None:
    """Insert the new actions and update the changed ones (plain rows, no object each), then
    give each new change its action's id."""
    insert_rows(Action, ["plan_id", "reference", "created_at", *_scalar_columns()],
                [(plan.pk, change.reference, now, *_scalars(change.values)) for change in new])
    update_rows(Action, _scalar_columns(),
                [(*_scalars(change.values), change.action_id) for change in changed])
    if new:
        ids = dict(plan.actions.values_list("reference", "pk"))
        for change in new:
            change.action_id = ids[change.reference]


def _write_links(changes: list[_Change]) -> None:
    """Replace the aims and partners of these actions (new ones, and those whose links
    change): deletes, then one insert each."""
    for name in _LINKS:
        field = Action._meta.get_field(name)
        through = field.remote_field.through
        target = f"{field.m2m_reverse_field_name()}_id"
        for ids in _chunks([change.action_id for change in changes]):
            through.objects.filter(action_id__in=ids).delete()
        insert_rows(through, ["action_id", target],
                    [(change.action_id, target_id) for change in changes
                     for target_id in change.values[name]])


def _history_state(plan: ActionPlan, change: _Change, now: datetime.datetime) -> dict:
    """The action's fields after the import, as its history record keeps them."""
    if change.is_new:
        state = {"id": change.action_id, "reference": change.reference, "plan_id": plan.pk,
                 "created_at": now, "last_update_date": None, "previous_version_id": None}
    else:
        state = dict(change.stored)
    state.update(zip(_scalar_columns(), _scalars(change.values), strict=True))
    return state


def _write_history(plan: ActionPlan, new: list[_Change], changed: list[_Change], user,
                   now: datetime.datetime) -> None:
    """One history record per created ("+") or changed ("~") action, dated ``now``, as a save
    would make it, with its aims and partners after the import (simple-history's own
    bulk_history_create builds an object per record and snapshots no many-to-many field)."""
    history = Action.history.model
    tracked = [field.attname for field in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    user_id = user.pk if user is not None else None
    rows = []
    for changes, kind in ((new, "+"), (changed, "~")):
        for change in changes:
            state = _history_state(plan, change, now)
            rows.append((*(state[name] for name in tracked), now, "CSV import", kind, user_id))
    insert_rows(history, [*tracked, *extra], rows)
    record_of = dict(history.objects.filter(plan_id=plan.pk, history_date=now)
                     .values_list("id", "history_id"))
    for name in _LINKS:
        field = Action._meta.get_field(name)
        target = f"{field.m2m_reverse_field_name()}_id"
        links = field.remote_field.through.objects.filter(action__plan=plan).values_list(
            "id", "action_id", target)
        insert_rows(getattr(history, name).model, ["id", "action_id", target, "history_id"],
                    [(link_id, action_id, target_id, record_of[action_id])
                     for link_id, action_id, target_id in links if action_id in record_of])


def import_actions(plan: ActionPlan, data: bytes, user=None, dry_run: bool = False,
                   file: str = "") -> ImportResult:
    """Create or update the plan's actions from CSV bytes, all or nothing.

    Every row is read (``action_csv.parse_actions``) and then checked by the web form's rules
    (``forms.action_errors``); if any is bad nothing is written and every problem is returned.
    Rows matching an existing reference update that action; actions absent from the file are
    left as they are. Rows identical to the database change nothing (no history). The lookups
    are loaded once and the writes are bulk inserts and updates in one transaction, with a
    history record per created or changed action, so a file of tens of thousands of rows
    imports well inside a web request (bench/action_import.py).
    """
    result = ImportResult(file=file, noun="action", dry_run=dry_run)
    rows, errors = action_csv.parse_actions(data, lookups_for(plan), file)
    changes, form_errors = _changes(plan, rows, file)
    if errors or form_errors:
        return result.refuse(errors + form_errors)
    new = [change for change in changes if change.is_new]
    changed = [change for change in changes if not change.is_new and change.changed]
    now = timezone.now()
    with transaction.atomic():
        _write_actions(plan, new, changed, now)
        _write_links(new + [change for change in changed if change.links_changed])
        _write_history(plan, new, changed, user, now)
        if dry_run:
            transaction.set_rollback(True)
    result.created = [change.reference for change in new]
    result.updated = [change.reference for change in changed]
    result.unchanged = [change.reference for change in changes
                        if not change.is_new and not change.changed]
    return result


# ---------------------------------------------------------------------------------------------
# Roll forward and comparison


class RollForwardError(Exception):
    pass


@transaction.atomic
def roll_forward(plan: ActionPlan, user=None) -> ActionPlan:
    """Create next year's plan from this one.

    Open actions are carried into the new plan with a link to their previous-year version and
    keep their status, progress and due date (so late work stays flagged); complete and
    cancelled actions stay behind. This plan is
    closed. Refused if the next year's plan already exists.
    """
    next_year = plan.year + 1
    if ActionPlan.objects.filter(strategy=plan.strategy, year=next_year).exists():
        raise RollForwardError(f"The {plan.next_year_label} plan already exists.")
    start_date = _add_years(plan.start_date, 1)
    if start_date > plan.strategy.end_date:
        raise RollForwardError(
            f"The strategy ends on {date_text(plan.strategy.end_date)}; adopt a new strategy "
            "before planning beyond it."
        )
    new_plan = ActionPlan(
        strategy=plan.strategy,
        year=next_year,
        start_date=start_date,
        end_date=_add_years(plan.end_date, 1),
        status=PlanStatus.DRAFT,
        previous=plan,
        is_illustrative=plan.is_illustrative,
    )
    new_plan._history_user = user
    new_plan._change_reason = f"Rolled forward from {plan.year_label}"
    new_plan.save()
    open_actions = plan.actions.exclude(status__in=CLOSED_STATUSES).prefetch_related(
        "aims", "partner_organisations"
    )
    for old in open_actions:
        carried = Action(
            plan=new_plan,
            reference=old.reference,
            title=old.title,
            description=old.description,
            lead_organisation_id=old.lead_organisation_id,
            lead_officer_id=old.lead_officer_id,
            start_date=old.start_date,
            due_date=old.due_date,  # kept: a late action stays visibly overdue
            status=old.status,
            progress=old.progress,
            previous_version=old,
            last_update_date=old.last_update_date,
        )
        carried._history_user = user
        carried._change_reason = f"Carried forward from {plan.year_label}"
        carried.save()
        carried.aims.set(old.aims.all())
        carried.partner_organisations.set(old.partner_organisations.all())
    plan.status = PlanStatus.CLOSED
    plan._history_user = user
    plan._change_reason = f"Closed on roll forward to {new_plan.year_label}"
    plan.save()
    return new_plan


def due_before_plan(plan: ActionPlan):
    """Open actions of `plan` due before the plan starts: carried forward late, they need a
    new due date in the plan's year."""
    return plan.actions.open().filter(due_date__lt=plan.start_date).order_by("reference")


@transaction.atomic
def redate_actions(actions, due_date: datetime.date, reason: str, user=None) -> int:
    """Give each action the new due date in one transaction, each change recorded in the
    audit trail with `reason`. Returns how many actions changed."""
    changed = 0
    for action in actions:
        if action.due_date == due_date:
            continue
        action.due_date = due_date
        action._history_user = user
        action._change_reason = f"Re-dated: {reason}"
        action.save(update_fields=["due_date"])
        changed += 1
    return changed


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


COMPARED_FIELDS = (
    ("title", "Title"),
    ("lead_organisation", "Lead organisation"),
    ("lead_officer", "Lead officer"),
    ("due_date", "Due date"),
    ("status", "Status"),
    ("progress", "Progress (%)"),
)


@dataclass
class PlanComparison:
    older: ActionPlan
    newer: ActionPlan
    carried: list[tuple[Action, Action, list[tuple[str, str, str]]]] = field(default_factory=list)
    added: list[Action] = field(default_factory=list)
    finished: list[Action] = field(default_factory=list)
    dropped: list[Action] = field(default_factory=list)


def _display(action: Action, name: str) -> str:
    if name == "status":
        return action.get_status_display()
    value = getattr(action, name)
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d %b %Y")
    return str(value)


def compare_plans(older: ActionPlan, newer: ActionPlan) -> PlanComparison:
    """What changed between two years' plans: carried-forward actions (with field changes),
    new actions, actions finished in the older year, and open actions that were dropped."""
    comparison = PlanComparison(older=older, newer=newer)
    related = ("lead_organisation", "lead_officer", "previous_version")
    old_actions = {a.pk: a for a in older.actions.select_related(*related)}
    old_by_ref = {a.reference.lower(): a for a in old_actions.values()}
    matched: set[int] = set()
    for action in newer.actions.select_related(*related).order_by("reference"):
        previous = old_actions.get(action.previous_version_id) or old_by_ref.get(
            action.reference.lower()
        )
        if previous is None:
            comparison.added.append(action)
            continue
        matched.add(previous.pk)
        changes = [
            (label, _display(previous, name), _display(action, name))
            for name, label in COMPARED_FIELDS
            if _display(previous, name) != _display(action, name)
        ]
        comparison.carried.append((previous, action, changes))
    for old in sorted(old_actions.values(), key=lambda a: a.reference):
        if old.pk in matched:
            continue
        if old.status in CLOSED_STATUSES:
            comparison.finished.append(old)
        else:
            comparison.dropped.append(old)
    return comparison


# ---------------------------------------------------------------------------------------------
# Updates


@transaction.atomic
def post_update(action: Action, update: ActionUpdate, user) -> ActionUpdate:
    """Record an update and carry its status (and progress, if given) onto the action."""
    update.action = action
    update.author = user
    update._history_user = user
    update.save()
    action.status = update.status
    if update.progress is not None:
        action.progress = update.progress
    elif update.status == ActionStatus.COMPLETE:
        action.progress = 100
    latest = action.updates.order_by("-date").values_list("date", flat=True).first()
    action.last_update_date = latest
    action._history_user = user
    action._change_reason = "Progress update"
    action.save()
    return update
