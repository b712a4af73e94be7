"""Changes to a workshop that touch several rows: saving a workshop with its default criteria,
a scorer's sheet of scores, the chosen priorities, and the draft strategy they create."""

from __future__ import annotations

import datetime

from django.db import transaction

from saferplaces.core.numbers import format_number
from saferplaces.core.periods import add_months
from saferplaces.strategy.models import Priority, Strategy, StrategyStatus
from saferplaces.workshop.evidence import evidence_panels
from saferplaces.workshop.models import Score, Scorer, Workshop
from saferplaces.workshop.results import workshop_results

STRATEGY_YEARS = 3


@transaction.atomic
def save_workshop(form) -> Workshop:
    """Save a workshop form; a new workshop starts with the default criteria."""
    is_new = form.instance.pk is None
    workshop = form.save()
    if is_new:
        workshop.add_default_criteria()
    return workshop


@transaction.atomic
def save_scores(scorer: Scorer, values: dict[tuple[int, int], int | None], user,
                source: str) -> int:
    """Write a scorer's sheet: (candidate id, criterion id) -> value, None for a blank
    (which removes a score entered before). Returns how many scores changed."""
    existing = {(s.candidate_id, s.criterion_id): s for s in scorer.scores.all()}
    changed = 0
    for (candidate_id, criterion_id), value in values.items():
        score = existing.get((candidate_id, criterion_id))
        if value is None:
            if score is not None:
                score.delete()
                changed += 1
            continue
        if score is not None and score.value == value:
            continue
        score = score or Score(scorer=scorer, candidate_id=candidate_id,
                               criterion_id=criterion_id)
        score.value, score.entered_by, score.source = value, user, source
        score.full_clean()
        score.save()
        changed += 1
    return changed


@transaction.atomic
def choose(workshop: Workshop, chosen: list) -> None:
    """Mark exactly `chosen` (candidate topics of the workshop) as the chosen priorities."""
    chosen_ids = {candidate.pk for candidate in chosen}
    for candidate in workshop.candidates.all():
        if candidate.chosen != (candidate.pk in chosen_ids):
            candidate.chosen = candidate.pk in chosen_ids
            candidate.save(update_fields=["chosen"])


def _score_text(value: float | None) -> str:
    return "not scored" if value is None else f"{format_number(value, decimals=1)}/100"


def workshop_record(workshop: Workshop, scorers: int, ranked: int) -> str:
    """What a draft strategy says of the workshop that chose its priorities."""
    held = f"{workshop.date:%-d %B %Y}"
    by = f", facilitated by {workshop.facilitator}" if workshop.facilitator else ""
    return (f"Priorities chosen at the priority-setting workshop '{workshop.title}' held on "
            f"{held}{by}: {scorers} scorers scored {ranked} candidate topics against "
            f"{workshop.criteria.count()} criteria, weighing the {workshop.year} evidence.")


@transaction.atomic
def create_draft_strategy(workshop: Workshop) -> Strategy:
    """A draft strategy for the three years after the workshop's financial year, with one
    priority per chosen candidate (in rank order) carrying its evidence and score; the
    workshop records the strategy it created."""
    rows = [row for row in workshop_results(workshop) if row.chosen]
    start = workshop.period.end + datetime.timedelta(days=1)
    end = add_months(start, 12 * STRATEGY_YEARS) - datetime.timedelta(days=1)
    strategy = Strategy.objects.create(
        partnership=workshop.partnership, status=StrategyStatus.DRAFT,
        title=f"Community safety strategy {start.year}-{end.year} (draft)",
        start_date=start, end_date=end,
        summary=workshop_record(workshop, workshop.scorers.count(),
                                workshop.candidates.count()),
    )
    found = evidence_panels(workshop.partnership, workshop.period,
                            [row.candidate for row in rows])
    for number, row in enumerate(rows, start=1):
        candidate = row.candidate
        score = (f"Workshop rank {row.rank or '–'}: mean score {_score_text(row.mean)}, "
                 f"median {_score_text(row.median)}, from {row.scorers} scorers.")
        evidence = f"Evidence {workshop.year}: {found.panels[candidate.pk].summary()}"
        Priority.objects.create(
            strategy=strategy, number=number, title=candidate.name[:200],
            description="\n\n".join(part for part in (candidate.description, evidence, score)
                                    if part),
        )
    workshop.draft_strategy = strategy
    workshop.save(update_fields=["draft_strategy"])
    return strategy
