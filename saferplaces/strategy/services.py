"""Operations on action plans that touch the database: CSV import and export, roll forward,
comparing two years, and posting updates. Views and commands call these; they hold no HTTP."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from saferplaces.core.csv_records import LineError
from saferplaces.core.imports import ImportResult
from saferplaces.strategy import action_csv
from saferplaces.strategy.forms import ActionForm
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


def _apply_values(action: Action, values: dict) -> bool:
    """Set scalar fields from a validated row; True if anything changed."""
    changed = False
    for name in _SCALAR_FIELDS:
        if name not in values:
            continue
        attr = f"{name}_id" if name in _FK_FIELDS else name
        value = values[name]
        if name == "description" and value is None:
            value = ""
        if getattr(action, attr) != value:
            setattr(action, attr, value)
            changed = True
    return changed


def _apply_m2m(action: Action, values: dict) -> bool:
    changed = False
    for name in ("aims", "partner_organisations"):
        if name not in values:
            continue
        manager = getattr(action, name)
        current = sorted(manager.values_list("pk", flat=True))
        if current != values[name]:
            manager.set(values[name])
            changed = True
    return changed


def _form_data(row: action_csv.ActionRow, action: Action | None) -> dict:
    """What the web form would be sent for this row: the file's columns over the action's
    current values (or a new action's defaults)."""
    data: dict = {
        "reference": row.reference, "title": "", "description": "", "aims": [],
        "lead_organisation": None, "partner_organisations": [], "lead_officer": None,
        "start_date": None, "due_date": None, "status": ActionStatus.NOT_STARTED,
        "progress": 0,
    }
    if action is not None:
        data.update(
            reference=action.reference, title=action.title, description=action.description,
            aims=[aim.pk for aim in action.aims.all()],
            lead_organisation=action.lead_organisation_id,
            partner_organisations=[org.pk for org in action.partner_organisations.all()],
            lead_officer=action.lead_officer_id, start_date=action.start_date,
            due_date=action.due_date, status=action.status, progress=action.progress)
    data.update(row.values)
    return {name: "" if value is None else value for name, value in data.items()}


def _form_errors(plan: ActionPlan, row: action_csv.ActionRow, action: Action | None,
                 file: str) -> list[LineError]:
    """What the web form (ActionForm, with the model's clean() and field lengths) refuses in
    this row, as errors on the row's line."""
    # A stand-in instance: validation writes the row's values onto the instance it is given.
    instance = Action(pk=action.pk if action else None, plan=plan)
    form = ActionForm(_form_data(row, action), instance=instance, plan=plan)
    if form.is_valid():
        return []
    errors = []
    for name, messages in form.errors.items():
        column = "" if name == NON_FIELD_ERRORS else name
        for message in messages:
            errors.append(LineError(file, row.line, column,
                                    f"{column}: {message}" if column else message))
    return errors


def import_actions(plan: ActionPlan, data: bytes, user=None, dry_run: bool = False,
                   file: str = "") -> ImportResult:
    """Create or update the plan's actions from CSV bytes, all or nothing.

    Every row is read (``action_csv.parse_actions``) and then checked by the web form's rules
    (``ActionForm``); if any is bad nothing is written and every problem is returned. Rows
    matching an existing reference update that action; actions absent from the file are left
    as they are. Rows identical to the database change nothing (no history).
    """
    result = ImportResult(file=file, noun="action", dry_run=dry_run)
    rows, errors = action_csv.parse_actions(data, lookups_for(plan), file)
    existing = {a.reference.lower(): a for a in
                plan.actions.prefetch_related("aims", "partner_organisations")}
    for row in rows:
        errors += _form_errors(plan, row, existing.get(row.reference.lower()), file)
    if errors:
        return result.refuse(errors)
    with transaction.atomic():
        for row in rows:
            action = existing.get(row.reference.lower())
            is_new = action is None
            if is_new:
                action = Action(plan=plan, reference=row.reference)
                if "lead_officer" not in row.values:
                    action.lead_officer = None
            scalar_changed = _apply_values(action, row.values)
            if is_new or scalar_changed:
                action._history_user = user
                action._change_reason = "CSV import"
                action.save()
            m2m_changed = _apply_m2m(action, row.values)
            if is_new:
                result.created.append(row.reference)
            elif scalar_changed or m2m_changed:
                result.updated.append(row.reference)
            else:
                result.unchanged.append(row.reference)
        if dry_run:
            transaction.set_rollback(True)
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
            f"The strategy ends on {plan.strategy.end_date:%d %B %Y}; adopt a new strategy "
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
