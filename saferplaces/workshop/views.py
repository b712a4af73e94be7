"""Pages of the priority-setting workshop. Every view fetches through `scoped(request, ...)`
before it checks the role, so an id from another partnership is a 404 whatever the role."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.core.audit import history_of
from saferplaces.partnership.access import partnership_view, scoped, url_in
from saferplaces.workshop import permissions, services
from saferplaces.workshop.evidence import evidence_panels
from saferplaces.workshop.forms import (
    CandidateForm,
    ChoosePrioritiesForm,
    CriterionForm,
    ScorerForm,
    ScoreSheetForm,
    WorkshopForm,
)
from saferplaces.workshop.models import (
    CandidateTopic,
    Criterion,
    Score,
    Scorer,
    ScoreSource,
    Workshop,
)
from saferplaces.workshop.results import workshop_results, workshop_sensitivity

WORKSHOPS_PER_PAGE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this.")


def _workshop(request, pk) -> Workshop:
    return get_object_or_404(scoped(request, Workshop.objects), pk=pk)


def _part(request, model, workshop: Workshop, pk):
    return get_object_or_404(scoped(request, model.objects).filter(workshop=workshop), pk=pk)


@partnership_view
def workshop_list(request):
    """The partnership's workshops, newest first. Template workshop/workshop_list.html;
    context: page, can_manage."""
    workshops = scoped(request, Workshop.objects).annotate(
        candidate_count=Count("candidates", distinct=True),
        scorer_count=Count("scorers", distinct=True)).order_by("-date", "title")
    page = Paginator(workshops, WORKSHOPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workshop/workshop_list.html", {
        "page": page, "can_manage": permissions.can_manage_workshop(request.membership)})


@partnership_view
def workshop_detail(request, pk):
    """A workshop: its criteria, candidates and scorers with how much each has scored.

    Template workshop/workshop_detail.html; context: workshop, criteria, candidates,
    scorers (each with scored and may_score), cells, can_manage, can_enter_paper, history.
    """
    workshop = _workshop(request, pk)
    criteria = list(workshop.criteria.all())
    candidates = list(workshop.candidates.all())
    scored = dict(Score.objects.filter(scorer__workshop=workshop).values_list("scorer")
                  .annotate(n=Count("id")).order_by())
    scorers = []
    for scorer in workshop.scorers.select_related("user", "person"):
        scorer.scored = scored.get(scorer.pk, 0)
        scorer.may_score = (permissions.can_score_as(request.membership, scorer)
                            or permissions.can_enter_paper_scores(request.membership))
        scorers.append(scorer)
    return render(request, "workshop/workshop_detail.html", {
        "workshop": workshop, "criteria": criteria, "candidates": candidates,
        "scorers": scorers, "cells": len(criteria) * len(candidates),
        "can_manage": permissions.can_manage_workshop(request.membership),
        "can_enter_paper": permissions.can_enter_paper_scores(request.membership),
        "history": history_of(workshop),
    })


def _edit(request, form, *, title, success_url, cancel_url):
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, f"Saved {obj}.")
        return redirect(success_url(obj))
    return render(request, "core/form.html", {"form": form, "title": title,
                                              "cancel_url": cancel_url})


@partnership_view
def workshop_edit(request, pk=None):
    """Create or edit a workshop (administrators); a new one gets the default criteria.
    Template core/form.html."""
    workshop = _workshop(request, pk) if pk else None
    _require(permissions.can_manage_workshop(request.membership))
    form = WorkshopForm(request.POST or None, instance=workshop, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        saved = services.save_workshop(form)
        messages.success(request, f"Saved {saved}.")
        return redirect(url_in(request, "workshop_detail", saved.pk))
    return render(request, "core/form.html", {
        "form": form, "title": f"Edit {workshop}" if workshop else "New workshop",
        "cancel_url": url_in(request, "workshop_detail", pk) if pk else url_in(
            request, "workshop_list")})


def _part_edit(request, pk, part_pk, *, model, form_class, noun):
    workshop = _workshop(request, pk)
    part = _part(request, model, workshop, part_pk) if part_pk else None
    _require(permissions.can_manage_workshop(request.membership))
    form = form_class(request.POST or None, instance=part, workshop=workshop)
    back = url_in(request, "workshop_detail", workshop.pk)
    return _edit(request, form, title=f"Edit {part}" if part else f"New {noun} · {workshop}",
                 success_url=lambda obj: back, cancel_url=back)


@partnership_view
def criterion_edit(request, pk, criterion_pk=None):
    """Add or edit a criterion (administrators). Template core/form.html."""
    return _part_edit(request, pk, criterion_pk, model=Criterion, form_class=CriterionForm,
                      noun="criterion")


@partnership_view
def candidate_edit(request, pk, candidate_pk=None):
    """Add or edit a candidate topic (administrators). Template core/form.html."""
    return _part_edit(request, pk, candidate_pk, model=CandidateTopic,
                      form_class=CandidateForm, noun="candidate topic")


@partnership_view
def scorer_edit(request, pk, scorer_pk=None):
    """Add or edit a scorer (administrators). Template core/form.html."""
    return _part_edit(request, pk, scorer_pk, model=Scorer, form_class=ScorerForm,
                      noun="scorer")


@partnership_view
def score_sheet(request, pk, scorer_pk):
    """One scorer's matrix of candidates x criteria. The scorer's own login scores on the web
    (while scoring is open); an administrator or officer enters the scorer's paper sheet.

    Template workshop/score_sheet.html; context: workshop, scorer, criteria, form, source,
    history (of the scorer's scores).
    """
    workshop = _workshop(request, pk)
    scorer = _part(request, Scorer, workshop, scorer_pk)
    if permissions.can_score_as(request.membership, scorer):
        source = ScoreSource.WEB
    elif permissions.can_enter_paper_scores(request.membership):
        source = ScoreSource.PAPER
    else:
        raise PermissionDenied("Only this scorer, or an officer entering their paper sheet, "
                               "may enter these scores.")
    criteria = list(workshop.criteria.all())
    candidates = list(workshop.candidates.all())
    existing = {(s.candidate_id, s.criterion_id): s.value for s in scorer.scores.all()}
    form = ScoreSheetForm(request.POST or None, criteria=criteria, candidates=candidates,
                          existing=existing)
    if request.method == "POST" and form.is_valid():
        changed = services.save_scores(scorer, form.values(), request.user, source)
        messages.success(request, f"Saved {scorer}'s scores ({changed} changed).")
        return redirect(url_in(request, "workshop_detail", workshop.pk))
    return render(request, "workshop/score_sheet.html", {
        "workshop": workshop, "scorer": scorer, "criteria": criteria, "form": form,
        "source": source, "paper": source == ScoreSource.PAPER,
        "recent": scorer.scores.select_related("candidate", "criterion", "entered_by")
        .order_by("-entered_at")[:10],
    })


@partnership_view
def workshop_results_page(request, pk):
    """Ranking by mean and by median, spread, the sensitivity tables, and (administrators)
    choosing the priorities and creating the draft strategy.

    Template workshop/results.html; context: workshop, rows, sensitivity, summary, form,
    can_manage.
    """
    workshop = _workshop(request, pk)
    rows = workshop_results(workshop)
    sensitivity, summary = workshop_sensitivity(workshop)
    names = {row.candidate.pk: row.candidate.name for row in rows}
    for table in sensitivity:
        table.named_rows = [(names[row.candidate], row) for row in table.rows]
    return render(request, "workshop/results.html", {
        "workshop": workshop, "rows": rows, "sensitivity": sensitivity, "summary": summary,
        "form": ChoosePrioritiesForm(workshop=workshop,
                                     initial={"chosen": [r.candidate for r in rows
                                                         if r.chosen]}),
        "can_manage": permissions.can_manage_workshop(request.membership),
    })


@partnership_view
@require_POST
def choose_priorities(request, pk):
    """Record the ticked candidates as chosen and, with "Create draft strategy", create it
    (administrators)."""
    workshop = _workshop(request, pk)
    _require(permissions.can_manage_workshop(request.membership))
    form = ChoosePrioritiesForm(request.POST, workshop=workshop)
    if not form.is_valid():
        messages.error(request, "Choose among this workshop's candidate topics.")
        return redirect(url_in(request, "workshop_results", workshop.pk))
    chosen = list(form.cleaned_data["chosen"])
    services.choose(workshop, chosen)
    if "create_strategy" not in request.POST:
        messages.success(request, f"Recorded {len(chosen)} chosen priorities.")
        return redirect(url_in(request, "workshop_results", workshop.pk))
    if not chosen:
        messages.error(request, "Tick at least one candidate topic to create a strategy.")
        return redirect(url_in(request, "workshop_results", workshop.pk))
    strategy = services.create_draft_strategy(workshop)
    messages.success(request, f"Created the draft strategy {strategy} from the workshop.")
    return redirect(url_in(request, "strategy_detail", strategy.pk))


@partnership_view
def workshop_evidence(request, pk):
    """Each candidate's evidence panel for the workshop's year. Template
    workshop/evidence.html; context: workshop, evidence, rows (candidate, panel)."""
    workshop = _workshop(request, pk)
    candidates = list(workshop.candidates.all())
    found = evidence_panels(request.partnership, workshop.period, candidates)
    return render(request, "workshop/evidence.html", {
        "workshop": workshop, "evidence": found,
        "rows": [(candidate, found.panels[candidate.pk]) for candidate in candidates],
    })
