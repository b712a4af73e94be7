"""Judgement rules for the partnership performance framework.

Every function here is pure: plain Python values in, a frozen dataclass (or a list of them) out.
Nothing touches the database, the network or the file system. Each result carries a machine
value for code and a plain-English ``label`` or ``reason`` for pages.

- Target RAG: ``rag``.
- Direction of travel: ``direction`` (one comparison) and ``travel`` (short and long term).
- Significance of a change between two counts: ``count_significance``.
- Comparison with a peer group on a funnel plot: ``peer_position``.
- Data quality: ``data_quality_flags``.

Conventions follow the domain guide, sections 3.1, 3.4 and 3.8. ``polarity`` is always
"higher" (higher is better) or "lower" (lower is better).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from saferplaces.core import periods
from saferplaces.core.numbers import format_number
from saferplaces.core.words import date_text
from saferplaces.crime import stats

POLARITIES = ("higher", "lower")
TOLERANCE_TYPES = ("percent", "absolute")
INDICATOR_KINDS = ("performance", "contextual")


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be 'higher' or 'lower' (got {polarity!r})")


def _is_better(value: float, other: float, polarity: str) -> bool:
    return value > other if polarity == "higher" else value < other


# ---------------------------------------------------------------------------
# RAG against a target
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RagResult:
    """A red/amber/green status against a target.

    ``status`` is "green", "amber", "red" or None (no RAG: contextual indicator, no value or no
    target); ``label`` is "Green", "Amber", "Red" or "No RAG"; ``reason`` says why in a sentence.
    """

    status: str | None
    label: str
    reason: str


def rag(
    value: float | None,
    target: float | None,
    polarity: str,
    *,
    tolerance: float = 0.0,
    tolerance_type: str = "percent",
    trend_aware: bool = False,
    same_period_last_year: float | None = None,
    kind: str = "performance",
    decimals: int | None = None,
) -> RagResult:
    """Return the RAG status of ``value`` against ``target``; the reason writes figures with
    ``decimals`` places (the indicator's unit), or as ``format_number`` does when None.

    - Green: the value meets or beats the target.
    - Amber: it misses the target by no more than the tolerance. ``tolerance`` is a percentage
      of the target (``tolerance_type="percent"``) or a number of the indicator's own units
      ("absolute"). A miss of exactly the tolerance is amber.
    - Red: it misses by more than the tolerance. When ``trend_aware``, a red becomes amber if
      the value is better than ``same_period_last_year`` (by polarity). Only a strict
      improvement counts: the same value as last year stays red.

    A percentage tolerance is taken of the target's size, so a zero target has a tolerance band
    of 0 whatever the percentage: any miss of a zero target is red (or trend-aware amber).

    Contextual indicators are monitored, not targeted, and never get a RAG status; nor does a
    period with no value or an indicator with no target.

    Raises ValueError for an unknown polarity, tolerance type or kind, or a negative tolerance.
    """
    _check_polarity(polarity)
    if tolerance_type not in TOLERANCE_TYPES:
        raise ValueError(
            f"tolerance_type must be 'percent' or 'absolute' (got {tolerance_type!r})")
    if kind not in INDICATOR_KINDS:
        raise ValueError(f"kind must be 'performance' or 'contextual' (got {kind!r})")
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance must be 0 or more (got {tolerance!r})")

    if kind == "contextual":
        return RagResult(None, "No RAG", "Contextual indicator: monitored, not targeted")
    if value is None:
        return RagResult(None, "No RAG", "No value for this period")
    if target is None:
        return RagResult(None, "No RAG", "No target set")

    value, target = float(value), float(target)

    def figure(number: float) -> str:
        return format_number(number, decimals=decimals)

    against = f"({figure(value)} against {figure(target)})"
    if not _is_better(target, value, polarity):
        if value == target:
            return RagResult("green", "Green", f"On target {against}")
        return RagResult("green", "Green", f"Better than the target {against}")

    band = abs(target) * tolerance / 100 if tolerance_type == "percent" else tolerance
    shortfall = abs(value - target)
    tolerance_text = _tolerance_text(tolerance, tolerance_type)
    # isclose so that float rounding (0.77 - 0.7 is 0.07000000000000006) cannot turn a miss of
    # exactly the tolerance into a red.
    if tolerance > 0 and (shortfall <= band or math.isclose(shortfall, band, rel_tol=1e-9)):
        return RagResult("amber", "Amber", f"Within {tolerance_text} of the target {against}")

    if tolerance == 0:
        outside = f"Misses the target {against}"
    elif band == 0:
        outside = (f"Outside {tolerance_text} of the target ({figure(value)} against 0; "
                   f"{format_number(tolerance)}% of 0 is 0)")
    else:
        outside = f"Outside {tolerance_text} of the target {against}"
    if not trend_aware:
        return RagResult("red", "Red", outside)
    if same_period_last_year is None:
        return RagResult("red", "Red", f"{outside}, and no value for the same period last year")
    last_year = figure(same_period_last_year)
    if _is_better(value, float(same_period_last_year), polarity):
        return RagResult("amber", "Amber",
                         f"{outside} but improving on the same period last year ({last_year})")
    return RagResult("red", "Red",
                     f"{outside} and not improving on the same period last year ({last_year})")


def _tolerance_text(tolerance: float, tolerance_type: str) -> str:
    if tolerance_type == "absolute":
        return f"the tolerance of {format_number(tolerance)}"
    return f"the {format_number(tolerance)}% tolerance"


# ---------------------------------------------------------------------------
# Direction of travel
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectionResult:
    """How a value moved since an earlier one.

    ``trend`` is "up", "down", "same" or None (a value is missing); ``judgement`` is
    "improving", "worsening", "no change" or None, using the indicator's polarity.
    ``percent_change`` is None when either value is missing or the earlier value is 0.
    """

    current: float | None
    previous: float | None
    trend: str | None
    judgement: str | None
    percent_change: float | None
    label: str


def direction(current: float | None, previous: float | None, polarity: str) -> DirectionResult:
    """Compare ``current`` with ``previous`` and judge the movement by ``polarity``.

    Only exactly equal values count as "no change": there is no threshold below which a small
    movement is ignored. Whether a movement is more than chance is ``count_significance``'s job.
    """
    _check_polarity(polarity)
    if current is None:
        return DirectionResult(current, previous, None, None, None, "No value for this period")
    if previous is None:
        return DirectionResult(current, previous, None, None, None, "No earlier value to compare")
    percent = stats.pct_change(current, previous)
    if current == previous:
        return DirectionResult(current, previous, "same", "no change", percent, "No change")

    trend = "up" if current > previous else "down"
    judgement = "improving" if _is_better(current, previous, polarity) else "worsening"
    if percent is None:
        movement = f"{trend} from 0"
    else:
        movement = f"{trend} {abs(percent):.1f}%"
    label = f"{judgement.capitalize()} ({movement})"
    return DirectionResult(current, previous, trend, judgement, percent, label)


@dataclass(frozen=True)
class TravelResult:
    """Direction of travel short term (against the previous period) and long term (against the
    same period last year)."""

    short_term: DirectionResult
    long_term: DirectionResult


def travel(
    current: float | None,
    previous_period: float | None,
    same_period_last_year: float | None,
    polarity: str,
) -> TravelResult:
    """Return the short-term and long-term direction of travel of ``current``."""
    return TravelResult(
        short_term=direction(current, previous_period, polarity),
        long_term=direction(current, same_period_last_year, polarity),
    )


# ---------------------------------------------------------------------------
# Significance of a change in a count
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignificanceResult:
    """Whether a change between two counts is more than chance.

    ``label`` is "Significant increase", "Significant decrease", "No significant change",
    "Too few to tell" or "Not applicable". ``judgement`` is "improving" or "worsening" (by
    polarity) only for a significant change, otherwise None. ``change`` is the underlying
    ``stats.ChangeResult``, None when the test does not apply.
    """

    label: str
    judgement: str | None
    p_value: float | None
    reason: str
    change: stats.ChangeResult | None


def count_significance(
    current: int | None, previous: int | None, polarity: str
) -> SignificanceResult:
    """Test a change between two counts with ``stats.poisson_change`` (exact, 5% level).

    This is the same test the evidence base uses. The two periods are taken to be of equal
    length, as they are for the same period last year; months of different lengths are not
    adjusted for. The test applies only when both values are whole numbers, 0 or more (so not
    to rates or percentages); otherwise the label is "Not applicable".
    """
    _check_polarity(polarity)
    if current is None or previous is None:
        return SignificanceResult("Not applicable", None, None,
                                  "Needs a value for both periods", None)
    if not (_is_count(current) and _is_count(previous)):
        return SignificanceResult("Not applicable", None, None,
                                  "The test applies only to counts (whole numbers)", None)

    change = stats.poisson_change(int(current), int(previous))
    judgement = None
    if change.significant:
        judgement = "improving" if _is_better(current, previous, polarity) else "worsening"
    return SignificanceResult(change.label, judgement, change.p_value, change.sentence, change)


def _is_count(value: float) -> bool:
    return float(value).is_integer() and value >= 0


# ---------------------------------------------------------------------------
# Peer comparison
# ---------------------------------------------------------------------------

_PEER_LABELS = {
    "above 99.8% limit": "Significantly higher than peers (above the 99.8% limit)",
    "above 95% limit": "Higher than peers (above the 95% limit)",
    "within limits": "Similar to peers (within limits)",
    "below 95% limit": "Lower than peers (below the 95% limit)",
    "below 99.8% limit": "Significantly lower than peers (below the 99.8% limit)",
}


@dataclass(frozen=True)
class PeerResult:
    """One area against its peer group on a funnel plot.

    Rates and ``limits`` are per ``per`` people; ``limits`` maps 0.95 and 0.998 to
    (lower, upper). ``position`` is the machine value from ``stats.funnel_position``
    ("above 99.8% limit", "above 95% limit", "within limits", "below 95% limit",
    "below 99.8% limit"); ``label`` says it for pages. ``judgement`` is "better", "worse" or
    "similar", by polarity.
    """

    count: int
    population: float
    rate: float
    peer_rate: float
    expected: float
    per: float
    peers: int
    limits: dict[float, tuple[float, float]]
    p_value: float
    position: str
    label: str
    judgement: str
    reason: str
    funnel: stats.FunnelResult


def peer_position(
    count: int,
    population: float,
    peer_counts: Sequence[int],
    peer_populations: Sequence[float],
    per: float = 1000.0,
    polarity: str = "lower",
) -> PeerResult:
    """Place an area's ``count`` against its peer group's rate, with exact Poisson funnel limits.

    The peer rate is sum(peer_counts) / sum(peer_populations) * per. The caller passes the
    peers only, never the area itself, so the area does not pull the benchmark towards itself.
    The expected count is peer rate / per * population; the 95% and 99.8% limits come from
    ``stats.funnel_position`` (exact Poisson quantiles around the expected count).

    Raises ValueError when there are no peers, the peer lists differ in length, a count is
    negative or not a whole number, or a population is not positive.
    """
    _check_polarity(polarity)
    if not peer_counts:
        raise ValueError("peer comparison needs at least one peer area")
    if len(peer_counts) != len(peer_populations):
        raise ValueError(f"peer_counts and peer_populations differ in length "
                         f"({len(peer_counts)} against {len(peer_populations)})")
    _check_count(count, "count")
    _check_population(population, "population")
    for number, (peer_count, peer_population) in enumerate(
            zip(peer_counts, peer_populations, strict=True), start=1):
        _check_count(peer_count, f"peer {number} count")
        _check_population(peer_population, f"peer {number} population")

    peer_rate = sum(peer_counts) / sum(peer_populations) * per
    funnel = stats.funnel_position(int(count), population, peer_rate, per)
    higher = funnel.position.startswith("above")
    if funnel.position == "within limits":
        judgement = "similar"
    elif higher == (polarity == "higher"):
        judgement = "better"
    else:
        judgement = "worse"
    per_text = f"per {format_number(per)}"
    reason = (f"{format_number(funnel.rate)} {per_text} against a peer rate of "
              f"{format_number(peer_rate)} {per_text} ({format_number(count)} against "
              f"{format_number(funnel.expected)} expected)")
    return PeerResult(
        count=int(count),
        population=population,
        rate=funnel.rate,
        peer_rate=peer_rate,
        expected=funnel.expected,
        per=per,
        peers=len(peer_counts),
        limits=funnel.limits,
        p_value=funnel.p_value,
        position=funnel.position,
        label=_PEER_LABELS[funnel.position],
        judgement=judgement,
        reason=reason,
        funnel=funnel,
    )


def _check_count(value: float, name: str) -> None:
    if not _is_count(value):
        raise ValueError(f"{name} must be a whole number, 0 or more (got {value!r})")


def _check_population(value: float, name: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be more than 0 (got {value!r})")


# ---------------------------------------------------------------------------
# Data quality
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Flag:
    """A data quality warning for an indicator.

    ``code`` is "missing_baseline", "value_overdue" or "awaiting_approval"; ``label`` is short
    ("3 values awaiting approval") and ``reason`` says more.
    """

    code: str
    label: str
    reason: str


def data_quality_flags(
    *,
    has_baseline: bool,
    latest_period_end: datetime.date | None,
    frequency: str,
    today: datetime.date,
    unapproved_count: int,
    grace_days: int = 30,
) -> list[Flag]:
    """Return the data quality flags for one indicator, in a fixed order.

    - "Missing baseline" when there is no baseline.
    - "Value overdue" when the period now due has no value. A period is due once more than
      ``grace_days`` whole days have passed since its last day: with the default 30, September
      (last day 30 September) is due from 31 October, not on 30 October. The period now due is
      the latest complete period of ``frequency`` ("monthly", "quarterly" or "annual", the
      last meaning the financial year) that is due. It has a value when ``latest_period_end``,
      the end of the latest period with a value, falls on or after that period's start. None
      means no values at all.
    - "N values awaiting approval" when ``unapproved_count`` is more than 0.

    Raises ValueError for an unknown frequency, or a negative grace_days or unapproved_count.
    """
    if frequency not in periods.FREQUENCY_KINDS:
        raise ValueError(
            f"frequency must be 'monthly', 'quarterly' or 'annual' (got {frequency!r})")
    if grace_days < 0:
        raise ValueError(f"grace_days must be 0 or more (got {grace_days!r})")
    if unapproved_count < 0:
        raise ValueError(f"unapproved_count must be 0 or more (got {unapproved_count!r})")

    flags = []
    if not has_baseline:
        flags.append(Flag("missing_baseline", "Missing baseline",
                          "No baseline has been set, so progress cannot be measured from it"))
    due = _period_due(frequency, today, grace_days)
    if latest_period_end is None or latest_period_end < due.start:
        latest = "no values yet" if latest_period_end is None else (
            f"latest value for the period ending {date_text(latest_period_end)}")
        flags.append(Flag("value_overdue", "Value overdue",
                          f"No value for {due.label}, which ended more than {grace_days} days "
                          f"ago ({latest})"))
    if unapproved_count:
        plural = "value" if unapproved_count == 1 else "values"
        flags.append(Flag("awaiting_approval", f"{unapproved_count} {plural} awaiting approval",
                          f"{unapproved_count} {plural} entered but not yet approved for "
                          "publication"))
    return flags


def _period_due(frequency: str, today: datetime.date, grace_days: int) -> periods.Period:
    """The latest period of ``frequency`` whose last day is at least grace_days + 1 days ago."""
    cutoff = today - datetime.timedelta(days=grace_days + 1)
    return periods.latest_complete(periods.FREQUENCY_KINDS[frequency], cutoff)
