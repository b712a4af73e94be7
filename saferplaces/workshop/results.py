"""A workshop's results: weighted scores by mean and by median across scorers, their spread,
the ranking and its sensitivity to each weight.

The maths is plain functions over plain values (`aggregate`, `rank`, `sensitivity`); only
`workshop_results` and `workshop_sensitivity` read the database, to feed them.

How a score becomes a ranking (docs/workshop.md says the same for users):

- each value is placed on its criterion's scale as a share from 0 (lowest score) to 1
  (highest), so criteria on different scales count alike;
- a scorer's weighted score of a candidate is the weighted mean of those shares over the
  criteria they scored, times 100 (0-100). A criterion a scorer skipped is left out and the
  weights of the ones they did score are shared out again, so a gap is not read as a low
  score; a criterion of weight 0 counts for nothing;
- a scorer who skipped a candidate altogether is left out of that candidate's figures (no
  zero is imputed): its mean, median and spread are over the scorers who scored it, and
  `scorers` says how many;
- candidates rank by their mean (and separately by their median), highest first. Equal
  scores (to 9 decimal places) share a rank and the next rank is skipped ("1, 2, 2, 4"); a
  candidate nobody scored has no rank and comes last;
- the spread is the lowest and highest scorer's score and the population standard deviation
  across the scorers who scored it (the panel is all there is, not a sample of one);
- sensitivity: each criterion's weight is moved by -25% and +25% in turn, everything else
  kept, and the ranking by mean recomputed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace

# Scores equal to this many decimal places tie.
TIE_DECIMALS = 9
SENSITIVITY_STEP = 0.25


@dataclass(frozen=True)
class CriterionWeight:
    """A criterion as the maths needs it: its key, weight and scale."""

    key: Hashable
    weight: float
    scale_min: int
    scale_max: int
    name: str = ""


@dataclass(frozen=True)
class ScoreEntry:
    """One value a scorer gave a candidate against a criterion."""

    scorer: Hashable
    candidate: Hashable
    criterion: Hashable
    value: float


@dataclass
class Aggregate:
    """A candidate's figures across scorers (None where nobody scored it)."""

    candidate: Hashable
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    std_dev: float | None
    scorers: int
    partial_scorers: int = 0
    rank: int | None = None
    median_rank: int | None = None


def share_of_scale(value: float, criterion: CriterionWeight) -> float:
    """The value as a share of its criterion's scale: 0 at the lowest score, 1 at the highest."""
    return (value - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)


def scorer_score(values: dict[Hashable, float],
                 criteria: dict[Hashable, CriterionWeight]) -> float | None:
    """One scorer's weighted score (0-100) of one candidate from their values by criterion;
    None when they scored no criterion of positive weight."""
    weighted = [(criteria[key].weight, share_of_scale(value, criteria[key]))
                for key, value in values.items() if criteria[key].weight > 0]
    total_weight = sum(weight for weight, _ in weighted)
    if total_weight == 0:
        return None
    return 100 * sum(weight * share for weight, share in weighted) / total_weight


def rank(values: dict[Hashable, float | None]) -> dict[Hashable, int | None]:
    """Competition ranks, highest first: ties share a rank and the next is skipped;
    None values get no rank."""
    rounded = {key: round(value, TIE_DECIMALS) for key, value in values.items()
               if value is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_place = {}
    for place, value in enumerate(ordered, start=1):
        first_place.setdefault(value, place)
    return {key: first_place.get(rounded[key]) if key in rounded else None for key in values}


def _scores_by_candidate(scores: Iterable[ScoreEntry], criteria: dict[Hashable, CriterionWeight]
                         ) -> dict[Hashable, dict[Hashable, dict[Hashable, float]]]:
    """candidate -> scorer -> criterion -> value, ignoring criteria not given."""
    grouped: dict = defaultdict(lambda: defaultdict(dict))
    for entry in scores:
        if entry.criterion in criteria:
            grouped[entry.candidate][entry.scorer][entry.criterion] = entry.value
    return grouped


def _candidate_figures(candidate: Hashable, by_scorer: dict[Hashable, dict[Hashable, float]],
                       criteria: dict[Hashable, CriterionWeight]) -> Aggregate:
    weighted = [scorer_score(values, criteria) for values in by_scorer.values()]
    per_scorer = [score for score in weighted if score is not None]
    positive = {key for key, criterion in criteria.items() if criterion.weight > 0}
    partial = sum(1 for values in by_scorer.values()
                  if values and not positive <= set(values))
    if not per_scorer:
        return Aggregate(candidate, None, None, None, None, None, 0, partial)
    return Aggregate(
        candidate=candidate,
        mean=statistics.fmean(per_scorer),
        median=statistics.median(per_scorer),
        minimum=min(per_scorer),
        maximum=max(per_scorer),
        std_dev=statistics.pstdev(per_scorer),
        scorers=len(per_scorer),
        partial_scorers=partial,
    )


def aggregate(scores: Iterable[ScoreEntry], criteria: Sequence[CriterionWeight],
              candidates: Sequence[Hashable]) -> list[Aggregate]:
    """Every candidate's figures and ranks, in rank order (by mean; ties and unranked
    candidates keep the order `candidates` gives)."""
    by_key = {criterion.key: criterion for criterion in criteria}
    grouped = _scores_by_candidate(scores, by_key)
    rows = [_candidate_figures(candidate, grouped.get(candidate, {}), by_key)
            for candidate in candidates]
    mean_ranks = rank({row.candidate: row.mean for row in rows})
    median_ranks = rank({row.candidate: row.median for row in rows})
    for row in rows:
        row.rank = mean_ranks[row.candidate]
        row.median_rank = median_ranks[row.candidate]
    unranked = len(rows) + 1
    return sorted(rows, key=lambda row: row.rank or unranked)


@dataclass(frozen=True)
class SensitivityRow:
    candidate: Hashable
    base_rank: int | None
    rank_down: int | None
    rank_up: int | None

    @property
    def keeps_place(self) -> bool:
        return self.base_rank == self.rank_down == self.rank_up


@dataclass
class CriterionSensitivity:
    """The ranking with one criterion's weight moved down and up by the step."""

    criterion: Hashable
    name: str
    weight: float
    weight_down: float
    weight_up: float
    rows: list[SensitivityRow] = field(default_factory=list)

    @property
    def moves(self) -> list[SensitivityRow]:
        return [row for row in self.rows if not row.keeps_place]

    @property
    def stable(self) -> bool:
        return not self.moves


def _ranks_with_weight(scores: list[ScoreEntry], criteria: Sequence[CriterionWeight],
                       candidates: Sequence[Hashable], key: Hashable, weight: float
                       ) -> dict[Hashable, int | None]:
    moved = [replace(c, weight=weight) if c.key == key else c for c in criteria]
    return {row.candidate: row.rank for row in aggregate(scores, moved, candidates)}


def sensitivity(scores: Iterable[ScoreEntry], criteria: Sequence[CriterionWeight],
                candidates: Sequence[Hashable], step: float = SENSITIVITY_STEP
                ) -> list[CriterionSensitivity]:
    """For each criterion, the ranking by mean with its weight times (1 - step) and (1 + step);
    rows in base rank order."""
    scores = list(scores)
    base = aggregate(scores, criteria, candidates)
    results = []
    for criterion in criteria:
        down, up = criterion.weight * (1 - step), criterion.weight * (1 + step)
        ranks_down = _ranks_with_weight(scores, criteria, candidates, criterion.key, down)
        ranks_up = _ranks_with_weight(scores, criteria, candidates, criterion.key, up)
        results.append(CriterionSensitivity(
            criterion=criterion.key, name=criterion.name, weight=criterion.weight,
            weight_down=down, weight_up=up,
            rows=[SensitivityRow(row.candidate, row.rank, ranks_down[row.candidate],
                                 ranks_up[row.candidate]) for row in base],
        ))
    return results


def sensitivity_summary(results: Sequence[CriterionSensitivity],
                        names: dict[Hashable, str] | None = None) -> str:
    """One sentence: stable under every move, or how many moves change the ranking, which
    candidates keep their place under all of them and the ranks the others take."""
    if all(result.stable for result in results):
        return "The ranking is stable under every ±25% move of a weight."
    names = names or {}
    ranks: dict[Hashable, set[int | None]] = defaultdict(set)
    for result in results:
        for row in result.rows:
            ranks[row.candidate].update((row.base_rank, row.rank_down, row.rank_up))
    changing = sum((not _same(result, "rank_down")) + (not _same(result, "rank_up"))
                   for result in results)
    keep = [names.get(c, str(c)) for c, taken in ranks.items() if len(taken) == 1]
    move = [f"{names.get(c, str(c))} ({_ranks_text(taken)})" for c, taken in ranks.items()
            if len(taken) > 1]
    text = f"The ranking changes under {changing} of {2 * len(results)} ±25% moves of a weight."
    if keep:
        text += " Keep their place under every move: " + ", ".join(keep) + "."
    return text + " Change place: " + ", ".join(move) + "."


def _same(result: CriterionSensitivity, moved: str) -> bool:
    return all(getattr(row, moved) == row.base_rank for row in result.rows)


def _ranks_text(taken: set[int | None]) -> str:
    ranked = sorted(rank for rank in taken if rank is not None)
    text = "ranks " + "–".join(str(rank) for rank in (ranked[0], ranked[-1]))
    return text + (", or unranked" if None in taken else "")


# ---------------------------------------------------------------------------------------------
# Reading a workshop from the database


@dataclass
class ResultRow:
    """A candidate topic with its figures: what pages, the command and the assessment show."""

    candidate: object  # workshop.models.CandidateTopic
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    std_dev: float | None
    scorers: int
    partial_scorers: int
    rank: int | None
    median_rank: int | None
    chosen: bool


def workshop_inputs(workshop) -> tuple[list[ScoreEntry], list[CriterionWeight], list]:
    """The workshop's scores, criteria and candidates (model instances, by name) as the maths
    takes them."""
    from saferplaces.workshop.models import Score

    criteria = [CriterionWeight(c.pk, float(c.weight), c.scale_min, c.scale_max, c.name)
                for c in workshop.criteria.all()]
    candidates = list(workshop.candidates.all())
    scores = [ScoreEntry(*row) for row in Score.objects.filter(scorer__workshop=workshop)
              .values_list("scorer_id", "candidate_id", "criterion_id", "value")]
    return scores, criteria, candidates


def workshop_results(workshop) -> list[ResultRow]:
    """The workshop's candidates ranked by mean weighted score, with median, spread and
    whether each was chosen as a priority."""
    scores, criteria, candidates = workshop_inputs(workshop)
    by_id = {candidate.pk: candidate for candidate in candidates}
    rows = aggregate(scores, criteria, list(by_id))
    return [ResultRow(candidate=by_id[row.candidate], mean=row.mean, median=row.median,
                      minimum=row.minimum, maximum=row.maximum, std_dev=row.std_dev,
                      scorers=row.scorers, partial_scorers=row.partial_scorers, rank=row.rank,
                      median_rank=row.median_rank, chosen=by_id[row.candidate].chosen)
            for row in rows]


def workshop_sensitivity(workshop) -> tuple[list[CriterionSensitivity], str]:
    """Each criterion's sensitivity table (rows keyed by candidate name) and the summary."""
    scores, criteria, candidates = workshop_inputs(workshop)
    names = {candidate.pk: candidate.name for candidate in candidates}
    results = sensitivity(scores, criteria, list(names))
    return results, sensitivity_summary(results, names)
