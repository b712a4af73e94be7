"""Computing indicator values from the evidence base, and recomputing them after imports."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum

from saferplaces.areas.queries import descendant_lsoa_codes
from saferplaces.core import periods
from saferplaces.crime import analytics, evidence
from saferplaces.crime.analytics import Scope
from saferplaces.performance.models import (
    Indicator,
    IndicatorValue,
    Measure,
    Source,
    ValueStatus,
)


def _lsoa_codes(indicator: Indicator) -> list[str]:
    area = indicator.area or indicator.partnership.area
    return descendant_lsoa_codes(area) if area else []


def compute_value(indicator: Indicator, period: periods.Period,
                  codes: list[str] | None = None) -> dict | None:
    """The computed figure for one period: value, numerator, denominator, simulated flag."""
    codes = codes if codes is not None else _lsoa_codes(indicator)
    if not codes:
        return None
    start = datetime.date(period.start.year, period.start.month, 1)
    end = datetime.date(period.end.year, period.end.month, 1)
    scope = Scope(start, end, indicator.partnership.police_force or None,
                  indicator.area or indicator.partnership.area, codes)
    counts = scope.counts()
    if indicator.crime_types:
        counts = counts.filter(crime_type__in=indicator.crime_types)
    simulated = bool(scope.simulated_months())
    if indicator.measure == Measure.REPEAT_LOCATIONS:
        place = evidence.Place(indicator.partnership, scope.area, codes, scope.force, start, end)
        types = indicator.crime_types or [None]
        total = sum(len(evidence.repeat_locations(place, 3, 12, t).rows) for t in types)
        return {"value": float(total), "numerator": float(total), "denominator": None,
                "includes_simulated": simulated}
    count = counts.aggregate(n=Sum("count"))["n"] or 0
    if indicator.measure == Measure.COUNT:
        return {"value": float(count), "numerator": float(count), "denominator": None,
                "includes_simulated": simulated}
    if indicator.measure == Measure.HARM:
        _table, weights = analytics.harm_weights()  # NoHarmWeights: never recorded as 0
        harm = analytics.harm_of(counts, weights)
        return {"value": round(harm.total, 1), "numerator": float(count), "denominator": None,
                "includes_simulated": simulated}
    pops, _year, _source = analytics.lsoa_population(codes, end.year)
    population = sum(pops.values())
    if not population:
        return None
    return {"value": round(count / population * 1000, 3), "numerator": float(count),
            "denominator": float(population), "includes_simulated": simulated}


@transaction.atomic
def recompute(indicator: Indicator) -> int:
    """Recompute every complete period with data; returns how many values changed."""
    if indicator.source != Source.COMPUTED:
        return 0
    codes = _lsoa_codes(indicator)
    first, last = analytics.data_range(indicator.partnership.police_force or None, codes)
    if last is None:
        return 0
    changed = 0
    kind = periods.FREQUENCY_KINDS[indicator.frequency]
    for period in periods.periods_covering(first, last, kind):
        figure = compute_value(indicator, period, codes)
        if figure is None:
            continue
        current = IndicatorValue.objects.filter(indicator=indicator, period=period.code).first()
        if current is None:
            IndicatorValue.objects.create(
                indicator=indicator, period=period.code, period_start=period.start,
                period_end=period.end, status=ValueStatus.COMPUTED, **figure)
            changed += 1
        elif any(getattr(current, k) != v for k, v in figure.items()):
            for key, value in figure.items():
                setattr(current, key, value)
            current._change_reason = "Recomputed from the evidence base"
            current.save()
            changed += 1
    return changed


def recompute_all(partnership=None, problems: list[str] | None = None) -> int:
    """Recompute every computed indicator (of one partnership, or all); returns how many
    values changed. An indicator that cannot be computed (a harm indicator with no weight
    table loaded) raises AnalyticsError, or, when ``problems`` is given, keeps its values and
    adds "CODE: why" to ``problems`` while the others are recomputed."""
    indicators = Indicator.objects.filter(source=Source.COMPUTED).select_related(
        "partnership__area", "area")
    if partnership is not None:
        indicators = indicators.filter(partnership=partnership)
    changed = 0
    for indicator in indicators:
        try:
            changed += recompute(indicator)
        except analytics.AnalyticsError as exc:
            if problems is None:
                raise
            problems.append(f"{indicator.code}: {exc}")
    return changed
