"""Consultation analysis as plain functions over plain data (no ORM): option tallies, Likert
distributions, ranking scores, breakdowns by group, themes of free text, and reach (who
answered against who lives in the area).

Percentages are of the respondents who answered the question, so a multiple-choice
question's percentages can add up to more than 100: each option is counted once per
respondent who chose it, never per combination of options.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# A respondent's representation below this share of the population's is flagged.
UNDER_REPRESENTED_BELOW = 0.8
NOT_STATED = "Not stated"
# A breakdown by ward or equality group shows no group with fewer respondents than this:
# so few answers could point to a person (the answers are personal data).
SMALL_GROUP_BELOW = 5


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    share: float | None  # of respondents who answered the question


@dataclass(frozen=True)
class Tally:
    answered: int
    options: list[OptionCount]


def tally(option_labels: list[str], choices: Iterable[Iterable[str]]) -> Tally:
    """Per-option counts for single- or multiple-choice answers: `choices` holds each
    respondent's chosen labels (an empty choice is a respondent who did not answer)."""
    counts: Counter[str] = Counter()
    answered = 0
    for chosen in choices:
        chosen = set(chosen)
        if chosen:
            answered += 1
            counts.update(chosen)
    return Tally(answered, [OptionCount(label, counts[label], share(counts[label], answered))
                            for label in option_labels])


@dataclass(frozen=True)
class LikertResult:
    tally: Tally
    agree: int  # the first two points of the scale (e.g. strongly agree, agree)
    disagree: int  # the last two points
    net_agreement: float | None  # (agree - disagree) / answered


def likert(scale: list[str], answers: Iterable[str]) -> LikertResult:
    """The distribution of answers over a scale given from most to least agreeing (five
    points or more: the two at each end count as agreeing and disagreeing; a three- or
    four-point scale counts one at each end)."""
    result = tally(scale, ([a] for a in answers))
    ends = 2 if len(scale) >= 5 else 1
    counts = [o.count for o in result.options]
    agree, disagree = sum(counts[:ends]), sum(counts[-ends:])
    return LikertResult(result, agree, disagree, share(agree - disagree, result.answered))


@dataclass(frozen=True)
class RankScore:
    label: str
    borda: int
    first_preferences: int
    mean_rank: float | None


def ranking(option_labels: list[str], rankings: Iterable[Mapping[str, int]]
            ) -> list[RankScore]:
    """Borda scores and first preferences, best first. Each ranking maps a label to its rank
    (1 = first); with n options, rank r scores n + 1 - r points and an unranked option 0,
    so partial rankings count for what they rank."""
    n = len(option_labels)
    borda: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    ranks: dict[str, list[int]] = {label: [] for label in option_labels}
    for one in rankings:
        for label, rank in one.items():
            borda[label] += n + 1 - rank
            ranks[label].append(rank)
            if rank == 1:
                firsts[label] += 1
    scores = [RankScore(label, borda[label], firsts[label],
                        sum(ranks[label]) / len(ranks[label]) if ranks[label] else None)
              for label in option_labels]
    return sorted(scores, key=lambda s: (-s.borda, -s.first_preferences,
                                         option_labels.index(s.label)))


def by_group(option_labels: list[str], choices: Mapping[object, Iterable[str]],
             group_of: Mapping[object, str]) -> dict[str, Tally]:
    """A tally per group (a channel, a ward, an equality category): `choices` maps each
    respondent to their chosen labels, `group_of` each respondent to a group; respondents
    with no group are counted under NOT_STATED."""
    grouped: dict[str, list[Iterable[str]]] = {}
    for respondent, chosen in choices.items():
        grouped.setdefault(group_of.get(respondent) or NOT_STATED, []).append(chosen)
    return {group: tally(option_labels, grouped[group]) for group in sorted(grouped)}


@dataclass(frozen=True)
class Breakdown:
    """A question's tallies per group of one dimension (channel, ward, an equality
    characteristic), with the groups too small to show left out."""

    dimension: str
    groups: dict[str, Tally]
    hidden: int  # groups left out (fewer than SMALL_GROUP_BELOW respondents, or see below)


def suppress_small(dimension: str, groups: Mapping[str, Tally],
                   minimum: int = SMALL_GROUP_BELOW) -> Breakdown:
    """Leave out the groups with fewer than `minimum` respondents. When that leaves out
    exactly one group, the smallest group shown is left out too: the question's overall
    tally minus the groups shown would otherwise give the hidden group's answers."""
    small = [name for name, tally in groups.items() if tally.answered < minimum]
    shown = {name: tally for name, tally in groups.items() if name not in small}
    if len(small) == 1 and shown:
        smallest = min(shown, key=lambda name: (shown[name].answered, name))
        del shown[smallest]
    return Breakdown(dimension, shown, len(groups) - len(shown))


@dataclass(frozen=True)
class ThemeSummary:
    theme: str
    count: int  # survey answers tagged
    quotes: list[str]
    points: dict[str, int] = field(default_factory=dict)  # channel -> meeting points tagged
    point_examples: list[str] = field(default_factory=list)

    @property
    def point_count(self) -> int:
        return sum(self.points.values())


def themes(codebook: list[str], tagged: Iterable[tuple[str, str]], quotes_per_theme: int = 3,
           tagged_points: Iterable[tuple[str, str, str]] = ()) -> list[ThemeSummary]:
    """How many answers carry each theme of the codebook, with the first few as example
    quotes; `tagged` is (theme, answer text) per tag, so an answer can carry several themes.
    Points raised at meetings and forums are counted apart, per channel: `tagged_points` is
    (theme, channel, point) per tag."""
    counts: Counter[str] = Counter()
    quotes: dict[str, list[str]] = {theme: [] for theme in codebook}
    for theme, text in tagged:
        counts[theme] += 1
        if theme in quotes and len(quotes[theme]) < quotes_per_theme:
            quotes[theme].append(text)
    points: dict[str, Counter[str]] = {theme: Counter() for theme in codebook}
    examples: dict[str, list[str]] = {theme: [] for theme in codebook}
    for theme, channel, text in tagged_points:
        if theme in points:
            points[theme][channel] += 1
            if len(examples[theme]) < quotes_per_theme and text not in examples[theme]:
                examples[theme].append(text)  # a point raised at several meetings: once
    return [ThemeSummary(theme, counts[theme], quotes[theme],
                         dict(sorted(points[theme].items())), examples[theme])
            for theme in codebook]


@dataclass(frozen=True)
class ReachRow:
    category: str
    respondents: int
    respondent_share: float | None  # of respondents who stated a category
    population: int | None
    population_share: float | None
    representation: float | None  # respondent share / population share; 1 = in proportion
    under_represented: bool


@dataclass(frozen=True)
class Reach:
    rows: list[ReachRow]
    stated: int  # respondents who gave a category
    not_stated: int  # respondents who did not answer or preferred not to say
    has_profile: bool


def reach(respondents: Mapping[str, int], population: Mapping[str, int],
          not_stated: int = 0) -> Reach:
    """Respondents per category against the area's population per category. Categories are
    those of the population profile, then any others respondents gave; with no profile
    (an empty `population`) only the respondents' shares are given."""
    stated = sum(respondents.values())
    people = sum(population.values())
    categories = list(population) + [c for c in respondents if c not in population]
    rows = []
    for category in categories:
        count = respondents.get(category, 0)
        resp_share = share(count, stated)
        pop = population.get(category)
        pop_share = share(pop, people) if pop is not None else None
        ratio = (resp_share / pop_share if resp_share is not None and pop_share else None)
        rows.append(ReachRow(category, count, resp_share, pop, pop_share, ratio,
                             ratio is not None and ratio < UNDER_REPRESENTED_BELOW))
    return Reach(rows, stated, not_stated, bool(population))
