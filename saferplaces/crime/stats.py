"""Small statistics for the evidence base and the performance framework.

Every function here is pure: it takes plain Python values and returns a frozen dataclass (or a
plain value). Nothing touches the database, the network or the file system. scipy is imported
inside the functions that use it, and numpy and shapely inside the Gi* functions, so that
importing this module (the performance rules do) stays fast for the commands and pages that
never test anything.

- Change between two periods: ``poisson_change`` and ``pct_change``.
- Peer comparison on a funnel plot: ``funnel_limits`` and ``funnel_position``.
- Hot and cold spots: ``queen_weights`` (a ``Contiguity``) and ``gi_star``.
- Places where the same crime keeps happening: ``repeat_locations``.
- What happened to crimes: ``outcome_profile`` and ``profile_from_last_outcomes``.
- Stop and search: ``stop_search_breakdown``.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from saferplaces.core.numbers import format_number
from saferplaces.core.periods import add_months

if TYPE_CHECKING:  # imported where used: numpy and shapely take ~0.1 s to import
    import numpy as np
    import shapely

# ---------------------------------------------------------------------------
# Change between two periods
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    """The change between two counts and whether it is more than chance.

    ``percent_change`` is the change in rate (count / exposure), which is the change in count
    when both exposures are equal. ``too_small`` means that no split of the combined count could
    have been significant, so the test cannot say anything either way.
    """

    current: int
    previous: int
    difference: int
    percent_change: float | None
    p_value: float | None
    significant: bool
    direction: str
    too_small: bool
    label: str
    sentence: str


def pct_change(current: float, previous: float) -> float | None:
    """Return the percentage change from ``previous`` to ``current``.

    None when ``previous`` is 0, because a change from nothing has no percentage.
    """
    if previous == 0:
        return None
    return (current - previous) / previous * 100.0


def poisson_change(
    current: int,
    previous: int,
    current_exposure: float = 1.0,
    previous_exposure: float = 1.0,
    alpha: float = 0.05,
) -> ChangeResult:
    """Test whether ``current`` differs from ``previous`` by more than chance.

    Uses the exact conditional test for two Poisson counts: given n = current + previous, under
    "no change in rate" the current count is Binomial(n, p0) with
    p0 = current_exposure / (current_exposure + previous_exposure). The two-sided p-value is
    ``scipy.stats.binomtest(current, n, p0).pvalue``. Exposures are anything the counts scale
    with (days in the period, population); leave both at 1 for two periods of equal length.

    Raises ValueError for negative or fractional counts, non-positive exposures or an alpha
    outside (0, 1).
    """
    from scipy import stats

    current = _whole_count(current, "current")
    previous = _whole_count(previous, "previous")
    _check_positive(current_exposure, "current_exposure")
    _check_positive(previous_exposure, "previous_exposure")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (got {alpha!r})")

    n = current + previous
    p0 = current_exposure / (current_exposure + previous_exposure)
    current_rate = current / current_exposure
    previous_rate = previous / previous_exposure
    direction = _direction(current_rate, previous_rate)
    percent = pct_change(current_rate, previous_rate)

    if n == 0:
        p_value = None
        too_small = True
    else:
        p_value = float(stats.binomtest(current, n, p0, alternative="two-sided").pvalue)
        too_small = _smallest_possible_p(n, p0) >= alpha
    significant = p_value is not None and p_value < alpha

    counts = f"{format_number(current)} against {format_number(previous)}"
    if current_exposure != previous_exposure:
        counts += ", after allowing for exposure"
    return ChangeResult(
        current=current,
        previous=previous,
        difference=current - previous,
        percent_change=percent,
        p_value=p_value,
        significant=significant,
        direction=direction,
        too_small=too_small,
        label=_change_label(too_small, significant, direction),
        sentence=_change_sentence(counts, direction, percent, p_value, significant, too_small,
                                  alpha),
    )


NO_DATA_TO_COMPARE = "No data to compare"


def no_comparison(current: int) -> ChangeResult:
    """The change against a period with no data imported: no verdict, only the count."""
    return ChangeResult(current=current, previous=0, difference=current, percent_change=None,
                        p_value=None, significant=False, direction="", too_small=False,
                        label=NO_DATA_TO_COMPARE,
                        sentence="no data was imported for the period to compare with")


def _whole_count(value: float, name: str) -> int:
    if not float(value).is_integer() or value < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more (got {value!r})")
    return int(value)


def _check_positive(value: float, name: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number (got {value!r})")


def _direction(current_rate: float, previous_rate: float) -> str:
    # isclose, so that equal rates from unequal exposures (3/0.3 and 1/0.1) count as equal.
    if math.isclose(current_rate, previous_rate, rel_tol=1e-9):
        return "no change"
    return "increase" if current_rate > previous_rate else "decrease"


def _smallest_possible_p(n: int, p0: float) -> float:
    from scipy import stats

    # The binomial is unimodal, so the least likely outcomes (and so the smallest two-sided
    # p-values) are at the ends: all n in one period or all n in the other.
    return float(min(stats.binomtest(0, n, p0).pvalue, stats.binomtest(n, n, p0).pvalue))


def _change_label(too_small: bool, significant: bool, direction: str) -> str:
    if too_small:
        return "Too few to tell"
    if significant and direction == "increase":
        return "Significant increase"
    if significant and direction == "decrease":
        return "Significant decrease"
    return "No significant change"


def _change_sentence(
    counts: str,
    direction: str,
    percent: float | None,
    p_value: float | None,
    significant: bool,
    too_small: bool,
    alpha: float,
) -> str:
    if too_small or p_value is None:
        return f"Too few crimes to say whether this changed ({counts})."
    if direction == "no change":
        movement = "No change"
    elif percent is None:
        movement = "Up from zero"
    else:
        movement = f"{'Up' if percent > 0 else 'Down'} {abs(percent):.1f}%"
    verdict = "significant" if significant else "not significant"
    return f"{movement} ({counts}); {verdict} at {_confidence(alpha)} ({_format_p(p_value)})."


def _confidence(alpha: float) -> str:
    return f"{(1 - alpha) * 100:g}%"


def _format_p(p_value: float) -> str:
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3g}"


# ---------------------------------------------------------------------------
# Funnel plots
# ---------------------------------------------------------------------------

FUNNEL_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class FunnelResult:
    """Where one area sits on a funnel plot of its peers.

    ``limits`` maps each level in FUNNEL_LEVELS to its (lower, upper) rate per ``per``.
    """

    count: int
    population: float
    rate: float
    expected: float
    p_value: float
    position: str
    limits: dict[float, tuple[float, float]]


def funnel_limits(
    peer_rate: float,
    population: float,
    per: float = 1000.0,
    levels: Sequence[float] = FUNNEL_LEVELS,
) -> dict[float, tuple[float, float]]:
    """Return smoothed exact Poisson funnel limits, as rates per ``per``, for ``population``.

    The expected count is E = peer_rate / per * population. Each limit is the Poisson(E)
    quantile smoothed as in Spiegelhalter (2005, Stat Med 24:1185-1202, appendix A.1.1, the
    interpolation for discrete data): for a tail probability p (alpha / 2 below,
    1 - alpha / 2 above, alpha = 1 - level), r is the smallest count with P(X <= r) >= p and
    the limit is r - (P(X <= r) - p) / (P(X <= r) - P(X <= r - 1)), never below 0. The limits
    then move smoothly with the population instead of in whole-count steps.
    """
    expected = _expected_count(peer_rate, population, per)
    limits = {}
    for level in levels:
        lower, upper = _count_limits(expected, level)
        limits[level] = (lower * per / population, upper * per / population)
    return limits


def funnel_position(
    count: int, population: float, peer_rate: float, per: float = 1000.0
) -> FunnelResult:
    """Place one area's ``count`` against the peer rate on a funnel plot.

    The position compares the count with the smoothed limits of ``funnel_limits``: above a
    limit is strictly above it, below is strictly below. The p-value is the exact two-sided
    Poisson test of the count against E, doubling the smaller tail:
    p = min(1, 2 * min(P(X <= count), P(X >= count))) with X ~ Poisson(E), the plain exact
    test, not the mid-p variant. Because the limits are interpolated, a count just outside a
    limit can have a p-value slightly above that limit's alpha.
    """
    from scipy import stats

    count = _whole_count(count, "count")
    expected = _expected_count(peer_rate, population, per)
    lower_tail = stats.poisson.cdf(count, expected)
    upper_tail = stats.poisson.sf(count - 1, expected)
    return FunnelResult(
        count=count,
        population=population,
        rate=count * per / population,
        expected=expected,
        p_value=float(min(1.0, 2 * min(lower_tail, upper_tail))),
        position=_funnel_position_label(count, expected),
        limits=funnel_limits(peer_rate, population, per),
    )


def _expected_count(peer_rate: float, population: float, per: float) -> float:
    _check_positive(population, "population")
    _check_positive(per, "per")
    if not (math.isfinite(peer_rate) and peer_rate >= 0):
        raise ValueError(f"peer_rate must be 0 or more (got {peer_rate!r})")
    return peer_rate / per * population


def _count_limits(expected: float, level: float) -> tuple[float, float]:
    if not 0 < level < 1:
        raise ValueError(f"funnel levels must be between 0 and 1 (got {level!r})")
    alpha = 1 - level
    return (_smoothed_quantile(alpha / 2, expected),
            _smoothed_quantile(1 - alpha / 2, expected))


def _smoothed_quantile(p: float, expected: float) -> float:
    """Spiegelhalter's interpolated Poisson(expected) quantile for probability ``p``."""
    from scipy import stats

    r = float(stats.poisson.ppf(p, expected))
    at_r = float(stats.poisson.cdf(r, expected))
    below_r = float(stats.poisson.cdf(r - 1, expected))
    return max(0.0, r - (at_r - p) / (at_r - below_r))


def _funnel_position_label(count: int, expected: float) -> str:
    low_95, high_95 = _count_limits(expected, 0.95)
    low_998, high_998 = _count_limits(expected, 0.998)
    if count > high_998:
        return "above 99.8% limit"
    if count > high_95:
        return "above 95% limit"
    if count < low_998:
        return "below 99.8% limit"
    if count < low_95:
        return "below 95% limit"
    return "within limits"


# ---------------------------------------------------------------------------
# Hot spots: contiguity and Getis-Ord Gi*
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GiStarRow:
    """Gi* for one area.

    ``p`` is two-sided: 2 * (1 - Phi(|z|)). ``bin`` is -3..3: 3 when p < 0.01, 2 when p < 0.05,
    1 when p < 0.10, 0 otherwise, positive for hot spots and negative for cold spots. ``note``
    is empty for an ordinary area, otherwise "no variation", "no neighbours" or
    "adjacent to all others", and then z and p are as documented on ``gi_star``.
    """

    code: str
    value: float
    z: float | None
    p: float | None
    bin: int
    note: str


@dataclass(frozen=True)
class GiStarResult:
    """Gi* rows in the order of the contiguity's ``codes``."""

    rows: tuple[GiStarRow, ...]


@dataclass(frozen=True)
class Contiguity:
    """Binary contiguity: which areas touch which.

    ``codes`` are the areas' codes in sorted order (the order of Gi* rows). ``neighbours`` maps
    every code to the sorted codes of the areas it touches, never itself; an area that touches
    none is an island.
    """

    codes: tuple[str, ...]
    neighbours: Mapping[str, tuple[str, ...]]

    @property
    def islands(self) -> list[str]:
        return [code for code in self.codes if not self.neighbours[code]]


def queen_weights(geometries: Mapping[str, shapely.Geometry],
                  tolerance: float = 1e-6) -> Contiguity:
    """Return queen contiguity for areas keyed by code.

    Two areas are neighbours when one is within ``tolerance`` (in the geometries' units, degrees
    for WGS84 boundaries) of the other: the same as "touches or overlaps once buffered by
    ``tolerance``", but tested exactly with an STRtree ``dwithin`` query instead of building
    buffer polygons. A shared corner is enough (queen, not rook). The tolerance is needed
    because generalised boundary files do not share exact vertices, so a rule that looks for
    shared vertices (libpysal's Queen) can miss real neighbours.

    Areas with no neighbours are allowed; their codes are in ``islands``.
    """
    if not geometries:
        raise ValueError("queen_weights needs at least one geometry")
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance must be 0 or more (got {tolerance!r})")
    import shapely

    codes = sorted(geometries)
    shapes = [geometries[code] for code in codes]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=tolerance)
    neighbours: dict[str, set[str]] = {code: set() for code in codes}
    for i, j in zip(left, right, strict=True):
        if i != j:
            neighbours[codes[i]].add(codes[j])
            neighbours[codes[j]].add(codes[i])
    return Contiguity(tuple(codes), {code: tuple(sorted(near))
                                     for code, near in neighbours.items()})


def gi_star(values: Mapping[str, float], weights: Contiguity) -> GiStarResult:
    """Return Getis-Ord Gi* z-scores, two-sided p-values and bins for each area.

    Gi* (Getis and Ord 1992; Ord and Getis 1995) with binary weights that include the area
    itself, as ``_gi_star_z`` computes it. ``p`` is two-sided, 2 * (1 - Phi(|z|)) (esda's
    ``p_norm`` is one-sided, half of it).

    Values must be 0 or more (counts or rates): Gi* divides by the total, and a negative total
    would flip the sign of z. Special cases, none of which ever give NaN:

    - all values equal: every area has z = 0, p = 1, bin 0, note "no variation";
    - an island (no neighbours): z and p None, bin 0, note "no neighbours";
    - an area next to every other area (its Gi* cannot vary, so its variance is 0), or any other
      non-finite z: z and p None, bin 0, note "adjacent to all others".

    Raises ValueError for fewer than 3 areas, for values whose codes differ from the
    contiguity's codes, and for missing, infinite or negative values.
    """
    import numpy as np

    codes = list(weights.codes)
    if len(codes) < 3:
        raise ValueError(f"Gi* needs at least 3 areas (got {len(codes)})")
    _check_same_codes(values, codes)
    y = np.array([float(values[code]) for code in codes])
    bad = [code for code, value in zip(codes, y, strict=True) if not math.isfinite(value)]
    if bad:
        raise ValueError(f"values must be finite numbers; not for: {', '.join(bad)}")
    negative = [code for code, value in zip(codes, y, strict=True) if value < 0]
    if negative:
        raise ValueError(f"Gi* needs values of 0 or more; negative for: {', '.join(negative)}")

    if np.allclose(y, y[0], rtol=1e-9, atol=0):
        return GiStarResult(tuple(GiStarRow(code, float(v), 0.0, 1.0, 0, "no variation")
                                  for code, v in zip(codes, y, strict=True)))

    z_scores = _gi_star_z(y, weights)
    n = len(codes)
    rows = [_gi_row(code, float(value), float(z), len(weights.neighbours[code]), n)
            for code, value, z in zip(codes, y, z_scores, strict=True)]
    return GiStarResult(tuple(rows))


def _gi_star_z(y: np.ndarray, contiguity: Contiguity) -> np.ndarray:
    """Gi* z-scores, y in the order of ``contiguity.codes``.

    With n areas, total T, mean ybar = T / n and variance s2 = mean(y**2) - ybar**2 (divided
    by n, not n - 1), and for area i the weight total W_i = 1 + its number of neighbours:

        G*_i = (y_i + the sum of its neighbours' y) / T
        E[G*_i] = W_i / n
        Var[G*_i] = W_i (n - W_i) / (n - 1) / n**2 * s2 / ybar**2
        z_i = (G*_i - E[G*_i]) / sqrt(Var[G*_i])

    An area next to all others has W_i = n, so a variance of 0 and a z that is not finite.
    """
    import numpy as np

    n = len(y)
    position = {code: i for i, code in enumerate(contiguity.codes)}
    local_sum = y.copy()
    weight_total = np.ones(n)
    for i, code in enumerate(contiguity.codes):
        near = [position[other] for other in contiguity.neighbours[code]]
        local_sum[i] += y[near].sum()
        weight_total[i] += len(near)
    mean = y.sum() / n
    variance = (y**2).sum() / n - mean**2
    g_star = local_sum / y.sum()
    expected = weight_total / n
    g_variance = weight_total * (n - weight_total) / (n - 1) / n**2 * variance / mean**2
    with np.errstate(divide="ignore", invalid="ignore"):
        return (g_star - expected) / np.sqrt(g_variance)


def _check_same_codes(values: Mapping[str, float], codes: list[str]) -> None:
    missing = sorted(set(codes) - set(values))
    extra = sorted(set(values) - set(codes))
    problems = []
    if missing:
        problems.append(f"no value for: {', '.join(missing)}")
    if extra:
        problems.append(f"not in the weights: {', '.join(extra)}")
    if problems:
        raise ValueError("values and weights cover different areas; " + "; ".join(problems))


def _gi_row(code: str, value: float, z: float, cardinality: int, n: int) -> GiStarRow:
    if cardinality == 0:
        return GiStarRow(code, value, None, None, 0, "no neighbours")
    if cardinality >= n - 1 or not math.isfinite(z):
        return GiStarRow(code, value, None, None, 0, "adjacent to all others")
    from scipy import stats

    p = float(2 * stats.norm.sf(abs(z)))
    return GiStarRow(code, value, z, p, _gi_bin(z, p), "")


def _gi_bin(z: float, p: float) -> int:
    if p < 0.01:
        level = 3
    elif p < 0.05:
        level = 2
    elif p < 0.10:
        level = 1
    else:
        level = 0
    return level if z > 0 else -level


# ---------------------------------------------------------------------------
# Repeat locations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatLocation:
    """One map point where the same type of crime was recorded ``count`` times."""

    longitude: float
    latitude: float
    crime_type: str
    count: int
    first_month: datetime.date
    last_month: datetime.date


@dataclass(frozen=True)
class RepeatLocations:
    """Repeat locations in the window from ``start_month`` to ``end_month`` (both inclusive).

    ``skipped`` counts records in the window that had no coordinates. The months are None when
    there were no records at all.
    """

    rows: tuple[RepeatLocation, ...]
    skipped: int
    start_month: datetime.date | None
    end_month: datetime.date | None


def repeat_locations(
    records: Iterable[tuple[float | None, float | None, str, datetime.date]],
    min_count: int = 3,
    end_month: datetime.date | None = None,
    months: int = 12,
) -> RepeatLocations:
    """Find map points where the same type of crime was recorded at least ``min_count`` times.

    Records are (longitude, latitude, crime type, month). police.uk does not publish where a
    crime happened: it snaps each one to the nearest of a fixed set of anonymised map points
    (usually the centre of a street or a public place). So crimes at the same point are crimes
    on the same stretch of street, and grouping by exact point is meaningful. Coordinates are
    rounded to 6 decimal places, as police.uk publishes them, so float noise cannot split a
    point.

    Only records in the ``months`` months ending at ``end_month`` (inclusive) count. Months are
    first-of-month dates; any day is moved to the first. The default end is the latest month in
    the records. Rows are sorted by count (largest first), then crime type.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be 1 or more (got {min_count!r})")
    if months < 1:
        raise ValueError(f"months must be 1 or more (got {months!r})")
    records = [(lon, lat, crime_type, month.replace(day=1))
               for lon, lat, crime_type, month in records]
    if end_month is None:
        if not records:
            return RepeatLocations((), 0, None, None)
        end_month = max(record[3] for record in records)
    end_month = end_month.replace(day=1)
    start_month = add_months(end_month, -(months - 1))

    groups: dict[tuple[float, float, str], list[datetime.date]] = {}
    skipped = 0
    for lon, lat, crime_type, month in records:
        if not start_month <= month <= end_month:
            continue
        if _is_missing(lon) or _is_missing(lat):
            skipped += 1
            continue
        key = (round(float(lon), 6), round(float(lat), 6), crime_type)
        groups.setdefault(key, []).append(month)

    rows = [RepeatLocation(lon, lat, crime_type, len(seen), min(seen), max(seen))
            for (lon, lat, crime_type), seen in groups.items() if len(seen) >= min_count]
    rows.sort(key=lambda r: (-r.count, r.crime_type, r.longitude, r.latitude))
    return RepeatLocations(tuple(rows), skipped, start_month, end_month)


def _is_missing(coordinate: float | None) -> bool:
    return coordinate is None or math.isnan(coordinate)


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------

# police.uk outcome categories meaning a suspect was charged or summonsed, including court
# results, which imply a charge. Spellings are those of police.uk CSVs since mid-2014 (checked
# against West Midlands outcomes files and West Yorkshire street files); earlier files used
# some older labels, such as "Offender imprisoned", which are not listed.
CHARGED_OUTCOMES = frozenset({
    "Suspect charged",
    "Suspect charged as part of another case",
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Defendant sent to Crown Court",
    "Defendant found not guilty",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given community sentence",
    "Offender fined",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
})

NO_OUTCOME_RECORDED = "(no outcome recorded)"

# "Status update unavailable" is deliberately not here: it means the force has sent no update,
# not that the crime is still being investigated.
UNDER_INVESTIGATION = frozenset({"Under investigation"})


@dataclass(frozen=True)
class OutcomeProfile:
    """What happened to a set of crimes, by each crime's latest outcome.

    ``charged_share`` is charged_or_summonsed / with_outcome, so crimes with no outcome recorded
    (for example anti-social behaviour rows in street files) do not dilute it; None when no crime
    has an outcome. ``by_outcome`` is (outcome, count), largest first.
    """

    total: int
    with_outcome: int
    no_outcome: int
    charged_or_summonsed: int
    charged_share: float | None
    under_investigation: int
    by_outcome: tuple[tuple[str, int], ...]


def outcome_profile(
    outcomes_by_crime: Mapping[str, Sequence[tuple[datetime.date, str]]],
) -> OutcomeProfile:
    """Profile crimes by their latest outcome, from police.uk outcomes data.

    ``outcomes_by_crime`` maps a crime id to its (month, outcome type) history. The latest
    outcome is the one with the latest month; when two share that month the one given last
    wins. A crime with no history, or a blank latest outcome, counts as having no outcome.
    """
    latest = []
    for history in outcomes_by_crime.values():
        outcome = ""
        newest = None
        for month, category in history:
            if newest is None or month >= newest:
                newest, outcome = month, category
        latest.append(outcome)
    return profile_from_last_outcomes(latest)


def profile_from_last_outcomes(last_outcomes: Iterable[str | None]) -> OutcomeProfile:
    """Profile crimes from street-level files' "Last outcome category" column.

    A blank (or None) means no outcome was recorded; those are counted in ``no_outcome``.
    Anti-social behaviour rows never have an outcome.
    """
    return profile_from_counts(Counter((outcome or "").strip() for outcome in last_outcomes))


def profile_from_counts(counts_by_outcome: Mapping[str, int]) -> OutcomeProfile:
    """Profile from (outcome, how many) counts, such as the outcome types recorded in some
    months; a blank outcome counts as no outcome recorded."""
    counts: Counter[str] = Counter()
    no_outcome = 0
    for outcome, n in counts_by_outcome.items():
        outcome = (outcome or "").strip()
        if outcome:
            counts[outcome] += n
        else:
            no_outcome += n
    with_outcome = sum(counts.values())
    charged = sum(n for outcome, n in counts.items() if outcome in CHARGED_OUTCOMES)
    return OutcomeProfile(
        total=with_outcome + no_outcome,
        with_outcome=with_outcome,
        no_outcome=no_outcome,
        charged_or_summonsed=charged,
        charged_share=charged / with_outcome if with_outcome else None,
        under_investigation=sum(counts[outcome] for outcome in UNDER_INVESTIGATION),
        by_outcome=_sorted_counts(counts),
    )


def outcome_rows(profile: OutcomeProfile) -> list[tuple[str, int]]:
    """(outcome, count) largest first, with crimes that have none as NO_OUTCOME_RECORDED."""
    rows = list(profile.by_outcome)
    if profile.no_outcome:
        rows.append((NO_OUTCOME_RECORDED, profile.no_outcome))
    return rows


def _sorted_counts(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# ---------------------------------------------------------------------------
# Stop and search
# ---------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"

# police.uk's wording for a search that led to nothing; files before 2017 or so said
# "Nothing found - no further action".
NO_FURTHER_ACTION_OUTCOMES = frozenset({
    "A no further action disposal",
    "Nothing found - no further action",
})


@dataclass(frozen=True)
class StopSearchBreakdown:
    """Counts of stop and search records, each breakdown (label, count) largest first.

    ``further_action_share`` is the share of searches with a recorded outcome whose outcome was
    not "no further action" (arrest, summons, warning and so on); searches with a blank outcome
    are left out of it. ``linked_share`` is the share of searches whose outcome was linked to the
    object of the search, among those where that is known. Both are None when nothing counts.
    """

    total: int
    by_officer_ethnicity: tuple[tuple[str, int], ...]
    by_self_ethnicity: tuple[tuple[str, int], ...]
    by_outcome: tuple[tuple[str, int], ...]
    by_legislation: tuple[tuple[str, int], ...]
    outcome_recorded: int
    further_action: int
    further_action_share: float | None
    linked_known: int
    linked: int
    linked_share: float | None


def stop_search_breakdown(rows: Iterable[Mapping[str, Any]]) -> StopSearchBreakdown:
    """Break down stop and search records as published by police.uk.

    Each row has "officer_defined_ethnicity", "self_defined_ethnicity", "outcome",
    "legislation" (strings; blank or None shows as "Not recorded") and
    "outcome_linked_to_object" (True, False or None for unknown; the CSV strings "True",
    "False" and "" are accepted too).
    """
    officer: Counter[str] = Counter()
    self_defined: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    legislation: Counter[str] = Counter()
    linked: Counter[bool] = Counter()
    total = 0
    for row in rows:
        total += 1
        officer[_label(row.get("officer_defined_ethnicity"))] += 1
        self_defined[_label(row.get("self_defined_ethnicity"))] += 1
        outcome[_label(row.get("outcome"), NO_OUTCOME_RECORDED)] += 1
        legislation[_label(row.get("legislation"))] += 1
        known = _as_bool(row.get("outcome_linked_to_object"))
        if known is not None:
            linked[known] += 1

    recorded = total - outcome[NO_OUTCOME_RECORDED]
    no_action = sum(outcome[label] for label in NO_FURTHER_ACTION_OUTCOMES)
    linked_known = linked[True] + linked[False]
    return StopSearchBreakdown(
        total=total,
        by_officer_ethnicity=_sorted_counts(officer),
        by_self_ethnicity=_sorted_counts(self_defined),
        by_outcome=_sorted_counts(outcome),
        by_legislation=_sorted_counts(legislation),
        outcome_recorded=recorded,
        further_action=recorded - no_action,
        further_action_share=(recorded - no_action) / recorded if recorded else None,
        linked_known=linked_known,
        linked=linked[True],
        linked_share=linked[True] / linked_known if linked_known else None,
    )


def count_labels(values: Iterable[str | None],
                 blank: str = NOT_RECORDED) -> tuple[tuple[str, int], ...]:
    """(label, count) largest first; a blank value shows as ``blank``."""
    return _sorted_counts(Counter(_label(value, blank) for value in values))


def _label(value: str | None, blank: str = NOT_RECORDED) -> str:
    value = (value or "").strip()
    return value or blank


def _as_bool(value: bool | str | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in ("true", "false"):
        return text == "true"
    if text == "":
        return None
    raise ValueError(f"outcome_linked_to_object must be True, False or blank (got {value!r})")
