"""Pages for strategies, action plans, actions, linked strategies and what each organisation
leads. Every view fetches through `scoped(request, ...)`, so it sees only request.partnership's
rows that the user may see, and fetches before checking the role, so an id from another
partnership is a 404 whatever the role."""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.core import clock
from saferplaces.core.audit import history_of
from saferplaces.core.words import date_text
from saferplaces.jobs import runner
from saferplaces.partnership.access import partnership_view, scoped, url_in
from saferplaces.partnership.models import Organisation
from saferplaces.strategy import permissions, services, tasks
from saferplaces.strategy.forms import (
    ActionCsvUploadForm,
    ActionFilterForm,
    ActionForm,
    ActionPlanForm,
    ActionUpdateForm,
    AimForm,
    LinkedStrategyForm,
    PriorityForm,
    RedateActionsForm,
    StrategyForm,
)
from saferplaces.strategy.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    Aim,
    LinkedStrategy,
    PlanStatus,
    Priority,
    Strategy,
)

ACTIONS_PER_PAGE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this.")


def _strategy(request, pk) -> Strategy:
    return get_object_or_404(scoped(request, Strategy.objects), pk=pk)


def _plan(request, pk) -> ActionPlan:
    return get_object_or_404(scoped(request, ActionPlan.objects).select_related("strategy"),
                             pk=pk)


def _action(request, pk) -> Action:
    return get_object_or_404(
        scoped(request, Action.objects).select_related(
            "plan__strategy", "lead_organisation", "lead_officer", "previous_version__plan"
        ),
        pk=pk,
    )


# --------------------------------------------------------------------------------------------
# Dashboard


@partnership_view
def dashboard(request):
    """The partnership's home: one list of the user's open actions with their flags (every
    open action for a user with no organisation), and recent updates.

    Template strategy/dashboard.html; context: plan, actions, mine, overdue_count,
    stale_count, today, stale_days, recent_updates, status_counts.
    """
    partnership = request.partnership
    today = clock.today(partnership)
    plan = scoped(request, ActionPlan.objects).current(today)
    open_in_plan = (scoped(request, Action.objects).filter(plan=plan) if plan
                    else Action.objects.none()).open()
    mine = Q(lead_officer__user=request.user)
    if request.membership.organisation_id:
        mine |= Q(lead_organisation_id=request.membership.organisation_id)
        mine |= Q(partner_organisations=request.membership.organisation_id)
    my_actions = open_in_plan.filter(mine).distinct()
    shown = my_actions if my_actions.exists() or request.membership.organisation_id else (
        open_in_plan)
    context = {
        "plan": plan,
        "actions": shown.select_related("lead_organisation", "plan").order_by(
            "due_date", "reference"),
        "mine": shown is my_actions,
        "overdue_count": shown.overdue(today).count(),
        "stale_count": shown.stale(partnership.update_interval_days, today).count(),
        "today": today,
        "stale_days": partnership.update_interval_days,
        # updates dated after the shown-as-at date have not happened yet as the page is shown
        "recent_updates": scoped(request, ActionUpdate.objects).filter(date__lte=today)
        .select_related("action", "author").order_by("-date", "-created_at")[:10],
        "status_counts": _status_counts(plan.actions.all()) if plan else [],
    }
    return render(request, "strategy/dashboard.html", context)


def _status_counts(actions) -> list[tuple[str, str, int]]:
    counts = Counter(actions.values_list("status", flat=True))
    return [(value, label, counts.get(value, 0)) for value, label in ActionStatus.choices]


# --------------------------------------------------------------------------------------------
# Strategies, priorities, aims


@partnership_view
def strategy_list(request):
    """All the partnership's strategies. Template strategy/strategy_list.html."""
    strategies = scoped(request, Strategy.objects).select_related("supersedes").annotate(
        priority_count=Count("priorities"))
    return render(request, "strategy/strategy_list.html", {"strategies": strategies})


@partnership_view
def strategy_detail(request, pk):
    """A strategy: priorities → aims → actions with status counts for one year's plan.

    Template strategy/strategy_detail.html; context: strategy, plans, plan, priorities (each
    with aims, each aim with its actions in the plan and status counts), uncovered strands.
    """
    strategy = _strategy(request, pk)
    plans = list(strategy.action_plans.order_by("year"))
    plan = None
    if request.GET.get("plan"):
        plan = next((p for p in plans if str(p.pk) == request.GET["plan"]), None)
    if plan is None and plans:
        active = [p for p in plans if p.status == PlanStatus.ACTIVE]
        plan = (active or plans)[-1]
    plan_actions = scoped(request, Action.objects).filter(plan=plan).select_related(
        "lead_organisation")
    priorities = strategy.priorities.prefetch_related(
        "linked_strategies",
        Prefetch("aims", queryset=Aim.objects.prefetch_related(
            Prefetch("actions", queryset=plan_actions, to_attr="plan_actions"))),
    )
    rows = []
    for priority in priorities:
        statuses = {}  # an action under two aims of a priority counts once for the priority
        aims = []
        for aim in priority.aims.all():
            statuses.update((a.pk, a.status) for a in aim.plan_actions)
            counts = Counter(a.status for a in aim.plan_actions)
            aims.append((aim, aim.plan_actions, _labelled(counts)))
        rows.append((priority, aims, _labelled(Counter(statuses.values()))))
    return render(request, "strategy/strategy_detail.html", {
        "strategy": strategy,
        "plans": plans,
        "plan": plan,
        "rows": rows,
        "uncovered": strategy.uncovered_strands(),
        "history": history_of(strategy),
        "can_manage": permissions.can_manage_strategy(request.membership),
    })


def _labelled(counts: Counter) -> list[tuple[str, str, int]]:
    return [(v, label, counts[v]) for v, label in ActionStatus.choices if counts.get(v)]


def _edit(request, form, *, template, title, success_url, cancel_url, message):
    """Shared handling of a create/edit form page."""
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, message.format(obj=obj))
        return redirect(success_url(obj))
    return render(request, template, {"form": form, "title": title, "cancel_url": cancel_url})


@partnership_view
def strategy_edit(request, pk=None):
    """Create or edit a strategy (administrators). Template core/form.html."""
    strategy = _strategy(request, pk) if pk else None
    _require(permissions.can_manage_strategy(request.membership))
    form = StrategyForm(request.POST or None, instance=strategy, partnership=request.partnership)
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit {strategy}" if strategy else "New strategy",
        success_url=lambda obj: url_in(request, "strategy_detail", obj.pk),
        cancel_url=url_in(request, "strategy_detail", pk) if pk else url_in(
            request, "strategy_list"),
        message="Saved {obj}.",
    )


@partnership_view
def priority_edit(request, strategy_pk, pk=None):
    """Create or edit a priority of a strategy (administrators). Template core/form.html."""
    strategy = _strategy(request, strategy_pk)
    priority = get_object_or_404(strategy.priorities, pk=pk) if pk else None
    _require(permissions.can_manage_strategy(request.membership))
    initial = {}
    if priority is None:
        initial["number"] = (strategy.priorities.count() or 0) + 1
    form = PriorityForm(request.POST or None, instance=priority, strategy=strategy,
                        initial=initial)
    back = url_in(request, "strategy_detail", strategy.pk)
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit priority: {priority}" if priority else f"New priority for {strategy}",
        success_url=lambda obj: back, cancel_url=back, message="Saved priority {obj}.",
    )


@partnership_view
def aim_edit(request, priority_pk, pk=None):
    """Create or edit an aim under a priority (administrators). Template core/form.html."""
    priority = get_object_or_404(scoped(request, Priority.objects), pk=priority_pk)
    aim = get_object_or_404(priority.aims, pk=pk) if pk else None
    _require(permissions.can_manage_strategy(request.membership))
    initial = {} if aim else {"number": priority.aims.count() + 1}
    form = AimForm(request.POST or None, instance=aim, priority=priority, initial=initial)
    back = url_in(request, "strategy_detail", priority.strategy_id)
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit aim {aim.code}" if aim else f"New aim under {priority}",
        success_url=lambda obj: back, cancel_url=back, message="Saved aim {obj}.",
    )


# --------------------------------------------------------------------------------------------
# Action plans


@partnership_view
def plan_edit(request, strategy_pk, pk=None):
    """Create or edit an annual action plan (administrators). Template core/form.html."""
    strategy = _strategy(request, strategy_pk)
    plan = get_object_or_404(strategy.action_plans, pk=pk) if pk else None
    _require(permissions.can_manage_strategy(request.membership))
    form = ActionPlanForm(request.POST or None, instance=plan, strategy=strategy)
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit {plan}" if plan else f"New action plan for {strategy}",
        success_url=lambda obj: url_in(request, "plan_detail", obj.pk),
        cancel_url=url_in(request, "strategy_detail", strategy.pk),
        message="Saved {obj}.",
    )


def filtered_actions(plan: ActionPlan, form: ActionFilterForm):
    actions = plan.actions.select_related("lead_organisation", "lead_officer").prefetch_related(
        "aims__priority")
    if not form.is_valid():
        return actions
    data = form.cleaned_data
    if data.get("priority"):
        actions = actions.filter(aims__priority=data["priority"]).distinct()
    if data.get("lead_organisation"):
        actions = actions.filter(lead_organisation=data["lead_organisation"])
    if data.get("status"):
        actions = actions.filter(status=data["status"])
    if data.get("overdue"):
        actions = actions.overdue(clock.today(plan.partnership))
    if data.get("q"):
        actions = actions.filter(Q(title__icontains=data["q"]) | Q(reference__icontains=data["q"]))
    return actions


@partnership_view
def plan_detail(request, pk):
    """The action plan table with filters and paging.

    Template strategy/plan_detail.html (htmx requests get strategy/_action_table.html only);
    context: plan, filter_form, page, today, stale_days.
    """
    plan = _plan(request, pk)
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = filtered_actions(plan, form).order_by("reference")
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "today": clock.today(request.partnership),
        "stale_days": request.partnership.update_interval_days,
        "status_counts": _status_counts(plan.actions.all()),
        "can_manage": permissions.can_manage_strategy(request.membership),
        "can_create": permissions.can_create_action(request.membership)
        and not plan.has_ended(clock.today(request.partnership)),
        "can_import": permissions.can_import_actions(request.membership),
        "other_plans": plan.strategy.action_plans.exclude(pk=plan.pk).order_by("year"),
        "history": history_of(plan),
    }
    template = "strategy/_action_table.html" if request.htmx else "strategy/plan_detail.html"
    return render(request, template, context)


@partnership_view
def plan_export(request, pk):
    """The plan's actions as a CSV download."""
    plan = _plan(request, pk)
    response = HttpResponse(services.export_actions(plan), content_type="text/csv; charset=utf-8")
    filename = f"{request.partnership.slug}-action-plan-{plan.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@partnership_view
def plan_import(request, pk):
    """Upload a CSV of actions (administrators). All-or-nothing; errors listed by line.

    Template strategy/plan_import.html; context: plan, form, result.
    """
    plan = _plan(request, pk)
    _require(permissions.can_import_actions(request.membership))
    form = ActionCsvUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        large = tasks.row_count(data) > settings.BACKGROUND_IMPORT_ROWS
        if large and not form.cleaned_data["dry_run"]:
            job = runner.start(tasks.import_actions, partnership=request.partnership,
                               user=request.user, kind=tasks.IMPORT_KIND,
                               title=f"Action import into {plan}: {upload.name}"[:200],
                               params={"plan": plan.pk}, upload=data, upload_name=upload.name)
            return redirect(url_in(request, "job_detail", job.pk))
        result = services.import_actions(plan, data, user=request.user,
                                         dry_run=form.cleaned_data["dry_run"],
                                         file=upload.name)
        if result.ok and not result.dry_run:
            messages.success(request, f"Import finished: {result.summary()}")
            return redirect(url_in(request, "plan_detail", plan.pk))
    return render(request, "strategy/plan_import.html",
                  {"plan": plan, "form": form, "result": result})


@partnership_view
def plan_roll_forward(request, pk):
    """Confirm (GET) and carry out (POST) rolling a plan forward to next year (administrators).

    Template strategy/plan_roll_forward.html; context: plan, open_count, finished_count, error.
    """
    plan = _plan(request, pk)
    _require(permissions.can_manage_strategy(request.membership))
    error = None
    if request.method == "POST":
        try:
            new_plan = services.roll_forward(plan, user=request.user)
        except services.RollForwardError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Created {new_plan}; {new_plan.actions.count()} open "
                                      "action(s) carried forward.")
            return redirect(url_in(request, "plan_compare", plan.pk, new_plan.pk))
    return render(request, "strategy/plan_roll_forward.html", {
        "plan": plan,
        "open_count": plan.actions.open().count(),
        "finished_count": plan.actions.exclude(pk__in=plan.actions.open()).count(),
        "error": error,
    })


@partnership_view
def plan_compare(request, pk, other_pk):
    """What changed between two years' plans, with carried actions due before the newer
    plan's year flagged and (administrators, POST) re-dated together.

    Template strategy/plan_compare.html; context: comparison, late (actions of the newer plan
    due before it starts), redate_form (administrators, while there are late actions).
    """
    first, second = _plan(request, pk), _plan(request, other_pk)
    older, newer = sorted([first, second], key=lambda p: p.year)
    late = services.due_before_plan(newer)
    redate_form = None
    if permissions.can_manage_strategy(request.membership) and late.exists():
        redate_form = RedateActionsForm(request.POST or None, plan=newer, actions=late)
    if request.method == "POST":
        _require(redate_form is not None)
        if redate_form.is_valid():
            data = redate_form.cleaned_data
            count = services.redate_actions(data["actions"], data["due_date"], data["reason"],
                                            user=request.user)
            messages.success(request, f"Re-dated {count} action{'s' if count != 1 else ''} "
                                      f"to {date_text(data['due_date'])}.")
            return redirect(url_in(request, "plan_compare", pk, other_pk))
    return render(request, "strategy/plan_compare.html", {
        "comparison": services.compare_plans(older, newer),
        "late": {action.pk for action in late},
        "redate_form": redate_form,
    }, status=422 if redate_form is not None and redate_form.is_bound else 200)


# --------------------------------------------------------------------------------------------
# Actions


@partnership_view
def action_detail(request, pk):
    """An action with its updates, its audit history and the update form.

    Template strategy/action_detail.html; context: action, updates, form, can_update, can_edit,
    history.
    """
    action = _action(request, pk)
    today = clock.today(request.partnership)
    can_update = _can_post_update(request, action, today)
    return render(request, "strategy/action_detail.html", {
        "action": action,
        "updates": action.updates.select_related("author"),
        "form": ActionUpdateForm(initial={"status": action.status, "date": today})
        if can_update else None,
        "can_update": can_update,
        "can_edit": permissions.can_edit_action(request.membership, action),
        "history": history_of(action),
        "today": today,
        "stale_days": request.partnership.update_interval_days,
    })


def _can_post_update(request, action: Action, today: datetime.date) -> bool:
    """Updates are posted while the action's plan runs; an ended year's record stays as is."""
    return (permissions.can_post_update(request.membership, action)
            and not action.plan.has_ended(today))


@partnership_view
@require_POST
def action_post_update(request, pk):
    """Post a progress update. htmx gets the updates panel back, with the action's status,
    flags, facts and history swapped out of band and a confirmation; others are redirected."""
    action = _action(request, pk)
    today = clock.today(request.partnership)
    _require(_can_post_update(request, action, today))
    form = ActionUpdateForm(request.POST)
    posted = form.is_valid()
    if posted:
        services.post_update(action, form.save(commit=False), request.user)
        if not request.htmx:
            messages.success(request, "Update posted.")
            return redirect(url_in(request, "action_detail", action.pk))
        action = _action(request, pk)
        form = ActionUpdateForm(initial={"status": action.status, "date": today})
    template = "strategy/_action_updates.html" if request.htmx else "strategy/action_detail.html"
    return render(request, template, {
        "action": action,
        "updates": action.updates.select_related("author"),
        "form": form,
        "posted": posted,
        "can_update": True,
        "can_edit": permissions.can_edit_action(request.membership, action),
        "history": history_of(action),
        "today": today,
        "stale_days": request.partnership.update_interval_days,
    }, status=200 if posted else 422)


@partnership_view
def action_edit(request, plan_pk=None, pk=None):
    """Create (in a plan) or edit an action. Officers create and edit only actions their
    organisation leads. Template core/form.html."""
    membership = request.membership
    if pk:
        action = _action(request, pk)
        plan = action.plan
        _require(permissions.can_edit_action(membership, action))
    else:
        action = None
        plan = _plan(request, plan_pk)
        _require(permissions.can_create_action(membership)
                 and not plan.has_ended(clock.today(request.partnership)))
    lead_choices = None
    if not permissions.can_choose_any_lead(membership):
        lead_choices = scoped(request, Organisation.objects).filter(
            pk=membership.organisation_id)
    initial = {}
    if action is None and lead_choices is not None:
        initial["lead_organisation"] = membership.organisation_id
    form = ActionForm(request.POST or None, instance=action, plan=plan,
                      lead_choices=lead_choices, initial=initial)
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit {action}" if action else f"New action in {plan}",
        success_url=lambda obj: url_in(request, "action_detail", obj.pk),
        cancel_url=url_in(request, "action_detail", pk) if pk else url_in(
            request, "plan_detail", plan.pk),
        message="Saved {obj}.",
    )


# --------------------------------------------------------------------------------------------
# Organisations' actions, and linked strategies


@partnership_view
def organisation_detail(request, pk):
    """What an organisation leads and partners on (grouped by plan year, the plan running at
    the partnership's today first), its people and its board seats.

    Model Organisation; template strategy/organisation_detail.html; context: organisation,
    leads, partners_on (lists of (year label, actions)), people, seats, today, stale_days.
    """
    organisation = get_object_or_404(scoped(request, Organisation.objects), pk=pk)
    today = clock.today(request.partnership)
    actions = scoped(request, Action.objects).select_related(
        "plan__strategy", "lead_officer", "lead_organisation")
    return render(request, "strategy/organisation_detail.html", {
        "organisation": organisation,
        "leads": _by_plan_year(actions.filter(lead_organisation=organisation), today),
        "partners_on": _by_plan_year(actions.filter(partner_organisations=organisation), today),
        "people": organisation.people.all(),
        "seats": organisation.board_seats.select_related("holder"),
        "today": today,
        "stale_days": request.partnership.update_interval_days,
    })


def _by_plan_year(actions, today: datetime.date) -> list[tuple[str, list]]:
    """Actions grouped by plan year: the plan running at `today` first, then newest first."""
    groups: dict[int, list] = {}
    for action in actions.order_by("-plan__year", "reference"):
        groups.setdefault(action.plan.year, []).append(action)
    running = {a.plan.year for group in groups.values() for a in group
               if a.plan.start_date <= today <= a.plan.end_date}
    years = sorted(groups, key=lambda year: (year not in running, -year))
    return [(groups[year][0].plan.year_label, groups[year]) for year in years]


@partnership_view
def linked_strategies(request):
    """Other strategies and plans the partnership works to.

    Model LinkedStrategy; template strategy/linked_strategies.html; context: linked.
    """
    return render(request, "strategy/linked_strategies.html", {
        "linked": scoped(request, LinkedStrategy.objects).prefetch_related(
            "priorities__strategy")})


@partnership_view
def linked_strategy_edit(request, pk=None):
    """Add or edit a linked strategy or plan (administrators). Template core/form.html."""
    linked = get_object_or_404(scoped(request, LinkedStrategy.objects), pk=pk) if pk else None
    _require(permissions.can_manage_strategy(request.membership))
    form = LinkedStrategyForm(request.POST or None, instance=linked,
                              partnership=request.partnership)
    back = url_in(request, "linked_strategies")
    return _edit(
        request, form, template="core/form.html",
        title=f"Edit {linked}" if linked else "Add a linked strategy or plan",
        success_url=lambda obj: back, cancel_url=back, message="Saved {obj}.",
    )
