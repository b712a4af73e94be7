"""The evidence base as a partnership sees it: its area's crime over time, by ward and type.
Plain data for pages, JSON endpoints and (later) reports; no HTTP here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from saferplaces.areas.models import Area, AreaLevel, Deprivation
from saferplaces.areas.queries import descendant_lsoa_codes
from saferplaces.core.periods import (
    add_months,
    month_code,
    month_list,
    simulated_months_sentence,
)
from saferplaces.crime import analytics, evidence_cache, sentences, stats
from saferplaces.crime.analytics import AnalyticsError, Scope
from saferplaces.crime.models import CrimeImport, CrimeRecord, OutcomeRecord, StopSearch


class NoEvidence(Exception):
    """The partnership has no area or no crime data yet; the message says what to do."""


@dataclass
class Place:
    """A partnership's geography: its area, LSOA codes, wards, and the data's month range."""

    partnership: object
    area: Area
    lsoa_codes: list[str]
    force: str | None
    first: datetime.date | None
    last: datetime.date | None

    def scope(self, start: datetime.date, end: datetime.date) -> Scope:
        return Scope(start, end, self.force, self.area, self.lsoa_codes)

    def last_months(self, n: int, end: datetime.date | None = None) -> Scope:
        end = end or self.last
        return self.scope(add_months(end, -(n - 1)), end)


def place_for(partnership) -> Place:
    if partnership.area_id is None:
        raise NoEvidence("This partnership has no area set, so there is no evidence to show. "
                         "An administrator sets it once geography is loaded "
                         "(saferplaces geo import-boundaries / import-lookup).")
    codes = descendant_lsoa_codes(partnership.area)
    if not codes:
        raise NoEvidence(f"No LSOAs are linked to {partnership.area}; import a lookup.")
    force = partnership.police_force or None
    first, last = evidence_cache.remembered("data-range", [force, sorted(codes)],
                                            lambda: analytics.data_range(force, codes))
    if last is None:
        raise NoEvidence("No street-level crime data has been imported for this area yet "
                         "(saferplaces crime import, or crime fetch).")
    return Place(partnership, partnership.area, codes, force, first, last)


def simulated_months(place: Place) -> set[datetime.date]:
    qs = CrimeImport.objects.filter(is_simulated=True, kind="street")
    if place.force:
        qs = qs.filter(force=place.force)
    return set(qs.values_list("month", flat=True))


def monthly_trend(scope: Scope, crime_type: str | None = None,
                  simulated: set[datetime.date] | None = None) -> list[dict]:
    """One point per month in scope (zero where there were none)."""
    counts = scope.counts()
    if crime_type:
        counts = counts.filter(crime_type=crime_type)
    by_month = dict(counts.values_list("month").annotate(n=Sum("count")).order_by())
    return [{"month": month_code(month), "value": by_month.get(month, 0),
             "simulated": month in (simulated or set())}
            for month in month_list(scope.start, scope.end)]


def crime_mix(scope: Scope) -> list[dict]:
    rows = scope.counts().values("crime_type").annotate(n=Sum("count")).order_by("-n")
    return [{"label": r["crime_type"], "value": r["n"]} for r in rows]


@dataclass
class ChangeItem:
    crime_type: str
    comparison: str
    result: stats.ChangeResult


def significant_changes(place: Place, months: int = 3) -> tuple[list[ChangeItem], Scope]:
    """Crime types whose last `months` months differ significantly from the previous period
    or from the same period last year, most significant first."""
    scope = place.last_months(months)
    found = analytics.change(scope, "crime-type")
    items = []
    for row in found.rows:
        for comparison, result in (("previous period", row.against_previous),
                                   ("same period last year", row.against_last_year)):
            if result.significant:
                items.append(ChangeItem(row.label, comparison, result))
    items.sort(key=lambda i: i.result.p_value or 1.0)
    return items, scope


def ward_boundaries(place: Place, on: datetime.date | None = None) -> dict[str, Area]:
    wards = analytics.ward_lookup(place.lsoa_codes, on=on)
    return {w.code: w for w in wards.values() if w.boundary}


@dataclass
class WardProfile:
    ward: Area
    lsoas: list[Area]
    population: int | None
    population_year: int | None
    population_source: str
    trend: list[dict]
    mix: list[dict]
    change: analytics.Change
    hotspots: list[tuple[Area, stats.GiStarRow]] = field(default_factory=list)
    hotspot_error: str = ""
    deprivation: list[tuple[Area, dict]] = field(default_factory=list)
    simulated: str = ""  # how many of the months shown are simulated, "" when none


def ward_profile(place: Place, ward_code: str) -> WardProfile:
    wards = analytics.ward_lookup(place.lsoa_codes, on=place.last)
    lsoa_codes = sorted(code for code, ward in wards.items() if ward.code == ward_code)
    if not lsoa_codes:
        raise AnalyticsError(f"No ward {ward_code} in this partnership's area.")
    ward = next(w for w in wards.values() if w.code == ward_code)
    lsoas = list(Area.objects.filter(level=AreaLevel.LSOA, code__in=lsoa_codes)
                 .order_by("code", "-vintage"))
    lsoas = list({a.code: a for a in lsoas}.values())
    year_scope = place.last_months(12)
    ward_scope = Scope(year_scope.start, year_scope.end, place.force, ward, lsoa_codes)
    simulated = simulated_months(place)
    pops, pop_year, pop_source = analytics.lsoa_population(lsoa_codes, year_scope.end.year)
    profile = WardProfile(
        ward=ward, lsoas=lsoas, population=sum(pops.values()) or None, population_year=pop_year,
        population_source=pop_source,
        trend=monthly_trend(Scope(add_months(year_scope.end, -23), year_scope.end, place.force,
                                  ward, lsoa_codes), simulated=simulated),
        mix=crime_mix(ward_scope),
        change=analytics.change(Scope(add_months(place.last, -2), place.last, place.force, ward,
                                      lsoa_codes), "total"),
        simulated=simulated_months_sentence(simulated, add_months(year_scope.end, -23),
                                            year_scope.end),
    )
    try:
        found = analytics.hotspots(year_scope)
        in_ward = {r.code: r for r in found.result.rows if r.code in lsoa_codes}
        profile.hotspots = [(a, in_ward[a.code]) for a in lsoas if a.code in in_ward]
    except (AnalyticsError, ValueError) as exc:
        profile.hotspot_error = str(exc)
    figures = defaultdict(dict)
    for row in Deprivation.objects.filter(area__code__in=lsoa_codes,
                                          domain__in=["imd", "crime"]).select_related("area"):
        figures[row.area.code][row.domain] = row
    profile.deprivation = [(a, figures.get(a.code, {})) for a in lsoas]
    return profile


def repeat_locations(place: Place, min_count: int = 3, months: int = 12,
                     crime_type: str | None = None) -> stats.RepeatLocations:
    start = add_months(place.last, -(months - 1))
    records = CrimeRecord.objects.filter(lsoa_code__in=place.lsoa_codes, month__gte=start,
                                         month__lte=place.last)
    if place.force:
        records = records.filter(force=place.force)
    if crime_type:
        records = records.filter(crime_type=crime_type)
    rows = records.values_list("longitude", "latitude", "crime_type", "month")
    return stats.repeat_locations(rows.iterator(), min_count=min_count, end_month=place.last,
                                  months=months)


def outcome_profile(place: Place, start: datetime.date, end: datetime.date):
    """Latest outcome per crime among outcomes recorded in the months given."""
    outcomes: dict[str, list[tuple[datetime.date, str]]] = defaultdict(list)
    qs = OutcomeRecord.objects.filter(lsoa_code__in=place.lsoa_codes, month__gte=start,
                                      month__lte=end)
    for crime_id, month, outcome in qs.values_list("crime_id", "month", "outcome_type"):
        outcomes[crime_id].append((month, outcome))
    return stats.outcome_profile(outcomes)


def last_outcome_profile(scope: Scope):
    """What police.uk's street files say happened to the crimes in scope."""
    rows = CrimeRecord.objects.filter(
        lsoa_code__in=scope.lsoa_codes, month__gte=scope.start, month__lte=scope.end).exclude(
        crime_type="Anti-social behaviour").values_list("last_outcome", flat=True)
    return stats.profile_from_last_outcomes(rows.iterator())


def stop_search(force: str, start: datetime.date, end: datetime.date):
    rows = StopSearch.objects.filter(force=force, month__gte=start, month__lte=end).values(
        "officer_defined_ethnicity", "self_defined_ethnicity", "outcome", "legislation",
        "outcome_linked_to_object")
    return stats.stop_search_breakdown(rows.iterator())


# --------------------------------------------------------------------------------------------
# Opening sentences (the wording is in crime/sentences.py)


def year_change_sentence(place: Place) -> str:
    """All crime in the 12 months to the latest month against the 12 months before."""
    found = analytics.change(place.last_months(12), "total")
    return sentences.change_sentence(
        "Crime, including anti-social behaviour,", f"in the 12 months to {place.last:%B %Y}",
        "in the 12 months before", found.total.against_previous)


def highest_ward_sentence(figures: analytics.WardFigures, area: str,
                          crime_type: str | None = None) -> str:
    """The ward with the highest rate against the whole area's rate."""
    rated = [f for f in figures.rows if f.rate is not None]
    population = sum(f.population for f in rated)
    if not rated or not population:
        return sentences.highest_ward_sentence("", None, area, None, len(figures.rows))
    top = max(rated, key=lambda f: (f.rate, f.name))
    area_rate = sum(f.count for f in rated) / population * 1000
    return sentences.highest_ward_sentence(top.name, top.rate, area, area_rate,
                                           len(figures.rows), crime_type or "crime")


def ward_neighbours(place: Place, ward_code: str, on: datetime.date) -> list[str]:
    """Codes of the wards whose boundaries touch this one (queen contiguity)."""
    boundaries = ward_boundaries(place, on=on)
    if ward_code not in boundaries or len(boundaries) < 2:
        return []
    from shapely.geometry import shape

    contiguity = stats.queen_weights({c: shape(w.boundary) for c, w in boundaries.items()})
    return list(contiguity.neighbours.get(ward_code, ()))


def ward_comparison_sentence(place: Place, ward_code: str, ward_name: str) -> str:
    """This ward's rate over the last 12 months against its neighbours' (or, with no
    boundaries loaded, against the rest of the area)."""
    scope = place.last_months(12)
    try:
        figures = {f.code: f for f in analytics.ward_figures(scope).rows}
    except AnalyticsError:
        return ""
    neighbours = ward_neighbours(place, ward_code, scope.end)
    others_text = "the wards around it"
    if not neighbours:
        neighbours = [code for code in figures if code != ward_code]
        others_text = f"the rest of {place.area.name}"
    others = [figures[c] for c in neighbours if c in figures and figures[c].population]
    population = sum(f.population for f in others)
    others_rate = sum(f.count for f in others) / population * 1000 if population else None
    own = figures.get(ward_code)
    return sentences.ward_sentence(ward_name, own.rate if own else None, others_rate,
                                   others_text)
