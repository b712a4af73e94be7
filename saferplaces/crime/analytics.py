"""Reading the crime store into plain results: summaries by dimension with counts, rates and
harm, and period-on-period change. Statistics themselves live in crime/stats.py."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Sum

from saferplaces.areas.models import Area, AreaLevel, AreaLink, Population
from saferplaces.areas.queries import descendant_lsoa_codes, descendant_lsoas, find_area
from saferplaces.core.periods import (
    PeriodError,
    add_months,
    month_code,
    month_list,
    months_between,
    parse_month,
)
from saferplaces.crime import harm, harm_store, stats
from saferplaces.crime.dimensions import CHANGE_BY, DIMENSIONS, MEASURES
from saferplaces.crime.forces import UnknownForce, resolve_force
from saferplaces.crime.models import (
    CrimeCount,
    CrimeImport,
    CrimeRecord,
    HarmWeightTable,
    LastOutcomeCount,
)
from saferplaces.crime.sentences import no_location_sentence

_FIELD = {"crime-type": "crime_type", "month": "month", "lsoa": "lsoa_code",
          "outcome": "last_outcome"}
NO_WARD = "(no ward)"


NO_WEIGHTS_MESSAGE = ("No harm weight table is loaded, so harm cannot be shown: run "
                      "'saferplaces crime weights load-cchi --default'.")


class AnalyticsError(Exception):
    """A question that cannot be answered as asked (unknown area, no weights...)."""


class NoHarmWeights(AnalyticsError):
    """Harm was asked for but no default harm weight table is loaded."""

    def __init__(self):
        super().__init__(NO_WEIGHTS_MESSAGE)


@dataclass
class Scope:
    """Which crimes a question is about: months, optionally a force and/or a set of LSOAs."""

    start: datetime.date
    end: datetime.date
    force: str | None = None
    area: Area | None = None
    lsoa_codes: list[str] | None = None

    def __post_init__(self):
        if self.end < self.start:
            raise AnalyticsError("The period ends before it starts.")

    @classmethod
    def build(cls, start: str | datetime.date, end: str | datetime.date, force: str | None = None,
              area_code: str | None = None) -> Scope:
        try:
            start = parse_month(start) if isinstance(start, str) else start
            end = parse_month(end) if isinstance(end, str) else end
        except PeriodError as exc:
            raise AnalyticsError(str(exc)) from None
        if force:
            try:
                force = resolve_force(force)
            except UnknownForce as exc:
                raise AnalyticsError(str(exc)) from None
        area, codes = None, None
        if area_code:
            area = find_area(area_code)
            if area is None:
                raise AnalyticsError(f"No area with code {area_code}; load boundaries and "
                                     "lookups first (saferplaces geo --help).")
            codes = descendant_lsoa_codes(area)
            if not codes:
                raise AnalyticsError(f"{area} has no LSOAs linked to it; import a lookup.")
        return cls(start, end, force, area, codes)

    def counts(self):
        # The months listed rather than a range, so that the (month, LSOA) index finds each
        # (month, LSOA) pair directly instead of reading every LSOA of every month.
        qs = CrimeCount.objects.filter(month__in=month_list(self.start, self.end))
        if self.force:
            qs = qs.filter(batch__force=self.force)
        if self.lsoa_codes is not None:
            qs = qs.filter(lsoa_code__in=self.lsoa_codes)
        return qs

    def no_location_count(self) -> int:
        """Crimes in the period that police.uk placed in no LSOA, so in no area: those of the
        scope's force, or, for an area without one, of the forces with crimes in the area."""
        qs = CrimeCount.objects.filter(month__gte=self.start, month__lte=self.end,
                                       lsoa_code="")
        if self.force:
            qs = qs.filter(batch__force=self.force)
        elif self.lsoa_codes is not None:
            forces = self.counts().values_list("batch__force", flat=True).distinct()
            qs = qs.filter(batch__force__in=list(forces))
        return qs.aggregate(n=Sum("count"))["n"] or 0

    def shifted(self, months: int) -> Scope:
        return Scope(add_months(self.start, months), add_months(self.end, months), self.force,
                     self.area, self.lsoa_codes)

    def describe(self) -> str:
        where = [str(self.area)] if self.area else []
        if self.force:
            where.append(self.force)
        span = f"{self.start:%Y-%m}" if self.start == self.end else \
            f"{self.start:%Y-%m} to {self.end:%Y-%m}"
        return f"{', '.join(where) or 'all areas'}, {span}"

    def simulated_months(self) -> list[datetime.date]:
        """Months in scope whose data includes simulated (demonstration) imports."""
        qs = CrimeImport.objects.filter(is_simulated=True, month__gte=self.start,
                                        month__lte=self.end)
        if self.force:
            qs = qs.filter(force=self.force)
        return sorted(set(qs.values_list("month", flat=True)))


@dataclass
class SummaryRow:
    key: str
    label: str
    count: int
    population: int | None = None
    rate: float | None = None
    harm: float | None = None


@dataclass
class Summary:
    scope: Scope
    by: str
    measure: str
    rows: list[SummaryRow]
    total: SummaryRow
    population_year: int | None = None
    population_source: str = ""
    weight_table: str = ""
    unweighted_types: list[str] = field(default_factory=list)
    simulated_months: list[datetime.date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_location: int | None = None  # for an area: crimes in the period placed in no area


def harm_weights() -> tuple[HarmWeightTable, dict[str, float]]:
    """The default harm weight table and its weights; NoHarmWeights when none is loaded."""
    table = harm_store.default_table()
    if table is None:
        raise NoHarmWeights()
    return table, harm_store.table_weights(table)


def harm_by(rows: Iterable[tuple[str, str, int]],
            weights: dict[str, float]) -> dict[str, harm.HarmTotal]:
    """Harm per key from (key, crime type, count) rows, by ``harm.harm_total`` (the rule in
    docs/harm-weights.md): a crime type with no weight is reported, never counted as 0."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, crime_type, count in rows:
        counts[key][crime_type] += count
    return {key: harm.harm_total(weights, by_type) for key, by_type in counts.items()}


def harm_of(counts, weights: dict[str, float]) -> harm.HarmTotal:
    """The harm of a CrimeCount queryset under ``weights``."""
    by_type = counts.values_list("crime_type").annotate(n=Sum("count")).order_by()
    return harm.harm_total(weights, dict(by_type))


def ward_lookup(lsoa_codes: list[str] | None,
                on: datetime.date | None = None) -> dict[str, Area]:
    """LSOA code → the ward it lies in.

    Wards are redrawn (Wolverhampton's in May 2023), so an LSOA can be linked to wards of
    several vintages. With a date, an LSOA's ward is the one valid on that day
    (``Area.objects.valid_on``); an LSOA with no ward valid then (say, crimes from before the
    earliest ward set loaded) gets its newest ward vintage, as every LSOA does without a date.
    """
    links = AreaLink.objects.filter(child__level=AreaLevel.LSOA, parent__level=AreaLevel.WARD)
    if lsoa_codes is not None:
        links = links.filter(child__code__in=lsoa_codes)
    # Codes and ward ids only, then each ward once: loading the wards through the links
    # parsed every LSOA's and every link's copy of a ward's boundary (a third of a map page).
    rows = list(links.order_by("parent__vintage").values_list("child__code", "parent_id"))
    # The ward ids as a list, not a subquery: PostgreSQL plans the subquery form badly
    # (minutes on the demo's wards) in a freshly loaded, unanalysed database.
    ward_ids = {ward_id for _, ward_id in rows}
    wards = Area.objects.in_bulk(ward_ids)
    valid_then: set[int] = set()
    if on is not None:
        valid_then = set(Area.objects.valid_on(on).filter(pk__in=ward_ids)
                         .values_list("pk", flat=True))
    newest: dict[str, Area] = {}
    in_force: dict[str, Area] = {}
    for code, ward_id in rows:
        newest[code] = wards[ward_id]
        if ward_id in valid_then:
            in_force[code] = wards[ward_id]
    return newest | in_force


def lsoa_population(codes: list[str], year: int) -> tuple[dict[str, int], int | None, str]:
    """Population per LSOA code from the latest year not after `year` that has figures
    (or the earliest year there is); returns (by code, year used, source)."""
    pops = Population.objects.filter(area__level=AreaLevel.LSOA, area__code__in=codes)
    years = sorted(set(pops.values_list("year", flat=True)))
    if not years:
        return {}, None, ""
    chosen = max([y for y in years if y <= year] or [years[0]])
    rows = list(pops.filter(year=chosen).values_list("area__code", "value", "source"))
    return {code: value for code, value, _ in rows}, chosen, rows[0][2] if rows else ""


def summarise(scope: Scope, by: str, measure: str = "count") -> Summary:
    """Counts (and rates per 1,000 residents, or harm-weighted totals) grouped by `by`.

    Harm raises NoHarmWeights when no weight table is loaded; rows by ward come from
    ``ward_figures``, the one source of ward figures."""
    if by not in DIMENSIONS:
        raise AnalyticsError(f"--by must be one of {', '.join(DIMENSIONS)}")
    if measure not in MEASURES:
        raise AnalyticsError(f"--measure must be one of {', '.join(MEASURES)}")
    summary = Summary(scope, by, measure, [], SummaryRow("", "Total", 0),
                      simulated_months=scope.simulated_months())
    ward_population: dict[str, int | None] = {}
    if by == "ward":
        ward_population = _ward_rows(summary)
    else:
        _dimension_rows(summary)
    summary.total.count = sum(r.count for r in summary.rows)
    if measure == "harm":
        summary.total.harm = math.fsum(r.harm or 0.0 for r in summary.rows)
        if summary.unweighted_types:
            summary.notes.append("Not weighted (no weight in the table): "
                                 + ", ".join(summary.unweighted_types))
    if measure == "rate":
        _add_rates(summary, ward_population)
    if scope.lsoa_codes is not None:
        summary.no_location = scope.no_location_count()
        summary.notes.append(no_location_sentence(summary.no_location))
    return summary


def _dimension_rows(summary: Summary) -> None:
    """Rows for every dimension but ward: one per value of the dimension's field."""
    by, scope = summary.by, summary.scope
    group_field = _FIELD[by]
    with_type = summary.measure == "harm" and group_field != "crime_type"
    groups: dict[str, SummaryRow] = {}
    typed: list[tuple[str, str, int]] = []
    for item in _grouped(scope, [group_field, "crime_type"] if with_type else [group_field]):
        key, label = _group_key(by, item[group_field], {})
        groups.setdefault(key, SummaryRow(key, label, 0)).count += item["n"]
        typed.append((key, item["crime_type" if with_type else group_field], item["n"]))
    if summary.measure == "harm":
        table, weights = harm_weights()
        summary.weight_table = table.name
        harms = harm_by(typed, weights)
        for key, row in groups.items():
            row.harm = harms[key].total
        summary.unweighted_types = sorted({t for h in harms.values() for t in h.missing})
    summary.rows = sorted(groups.values(), key=lambda r: _sort_key(by, r))


def _ward_rows(summary: Summary) -> dict[str, int | None]:
    """Rows by ward from ``ward_figures``; returns each row's population for rates."""
    figures = ward_figures(summary.scope)
    if summary.measure == "harm":
        if figures.harm_error:
            raise NoHarmWeights()
        summary.weight_table = figures.weight_table
        summary.unweighted_types = figures.unweighted_types
    rows = [SummaryRow(f.code, f.name, f.count, harm=f.harm) for f in figures.rows]
    unplaced = [(NO_WARD, figures.no_ward)]
    if summary.scope.lsoa_codes is None:  # with an area they are in no row, but in a note
        unplaced.append(("", figures.no_location))
    for key, count in unplaced:
        if count:
            label = NO_WARD if key else "(no location)"
            rows.append(SummaryRow(key, label, count, harm=figures.unplaced_harm.get(key)))
    if summary.measure != "harm":
        for row in rows:
            row.harm = None
    summary.rows = sorted(rows, key=lambda r: _sort_key("ward", r))
    return {f.code: f.population for f in figures.rows}


@dataclass
class WardFigure:
    """One ward's crimes in a scope: count, harm (None when no weights) and population."""

    code: str
    name: str
    count: int = 0
    harm: float | None = None
    population: int | None = None

    @property
    def rate(self) -> float | None:
        """Crimes per 1,000 residents."""
        return self.count / self.population * 1000 if self.population else None


@dataclass
class WardFigures:
    """Every ward of a scope (by name) and the crimes no ward could take."""

    rows: list[WardFigure]
    no_ward: int = 0  # crimes in LSOAs that the ward lookup does not cover
    no_location: int = 0  # crimes police.uk placed in no LSOA (with an area: not in its rows)
    unplaced_harm: dict[str, float] = field(default_factory=dict)  # NO_WARD / "" -> harm
    population_year: int | None = None
    population_source: str = ""
    weight_table: str = ""
    harm_error: str = ""  # why there is no harm (no weight table), for pages to show
    unweighted_types: list[str] = field(default_factory=list)


def ward_figures(scope: Scope, crime_type: str | None = None) -> WardFigures:
    """Count, harm and population per ward: the one source for the ward map, the ward list,
    the API and ``crime summary --by ward``. With an area, every ward of its LSOAs is listed
    (zero counts included) and ``no_location`` counts the crimes that are in no area (see
    ``Scope.no_location_count``); without one, the wards that had crimes. The wards are those
    in force in the scope's last month (``ward_lookup``)."""
    wards = ward_lookup(scope.lsoa_codes, on=scope.end)
    if not wards:
        raise AnalyticsError("No LSOA-to-ward lookup is loaded (saferplaces geo import-lookup).")
    counts = scope.counts()
    if crime_type:
        counts = counts.filter(crime_type=crime_type)
    figures: dict[str, WardFigure] = {}
    if scope.lsoa_codes is not None:
        figures = {w.code: WardFigure(w.code, w.name) for w in wards.values()}
    result = WardFigures([])
    typed: list[tuple[str, str, int]] = []
    for code, crime, n in counts.values_list("lsoa_code", "crime_type").annotate(
            n=Sum("count")).order_by():
        ward = wards.get(code)
        if ward is not None:
            key = ward.code
            figures.setdefault(key, WardFigure(ward.code, ward.name)).count += n
        elif code:
            key = NO_WARD
            result.no_ward += n
        else:
            key = ""
            result.no_location += n
        typed.append((key, crime, n))
    if scope.lsoa_codes is not None:
        result.no_location = scope.no_location_count()
    _add_ward_harm(result, figures, typed)
    _add_ward_population(result, figures, wards, scope.end.year)
    result.rows = sorted(figures.values(), key=lambda f: (f.name, f.code))
    return result


def _add_ward_harm(result: WardFigures, figures: dict[str, WardFigure],
                   typed: list[tuple[str, str, int]]) -> None:
    try:
        table, weights = harm_weights()
    except NoHarmWeights as exc:
        result.harm_error = str(exc)
        return
    result.weight_table = table.name
    harms = harm_by(typed, weights)
    for code, figure in figures.items():
        figure.harm = harms[code].total if code in harms else 0.0
    result.unplaced_harm = {k: harms[k].total for k in (NO_WARD, "") if k in harms}
    result.unweighted_types = sorted({t for h in harms.values() for t in h.missing})


def _add_ward_population(result: WardFigures, figures: dict[str, WardFigure],
                         wards: dict[str, Area], year: int) -> None:
    pops, result.population_year, result.population_source = lsoa_population(list(wards), year)
    for code, ward in wards.items():
        if code in pops and ward.code in figures:
            figure = figures[ward.code]
            figure.population = (figure.population or 0) + pops[code]


def _grouped(scope: Scope, fields: list[str]):
    """Rows of {field: value, ..., "n": count}. Outcomes come from the force-level outcome
    counts, or, for an area, from the crime points kept for partnership areas."""
    if "last_outcome" not in fields:
        return scope.counts().values(*fields).annotate(n=Sum("count")).order_by()
    if scope.lsoa_codes is None:
        qs = LastOutcomeCount.objects.filter(month__gte=scope.start, month__lte=scope.end)
        if scope.force:
            qs = qs.filter(force=scope.force)
        return qs.values(*fields).annotate(n=Sum("count")).order_by()
    qs = CrimeRecord.objects.filter(month__gte=scope.start, month__lte=scope.end,
                                    lsoa_code__in=scope.lsoa_codes)
    if scope.force:
        qs = qs.filter(force=scope.force)
    if not qs.exists() and scope.counts().exists():
        raise AnalyticsError("Outcomes for an area need its individual crimes, which are kept "
                             "only for partnership areas; use --force without --area.")
    return qs.values(*fields).annotate(n=Count("id")).order_by()


def _group_key(by: str, value, wards: dict[str, Area]) -> tuple[str, str]:
    if by == "month":
        return month_code(value), value.strftime("%b %Y")
    if by == "ward":
        ward = wards.get(value)
        if ward is None:
            return ("", "(no location)") if not value else (NO_WARD, NO_WARD)
        return ward.code, ward.name
    if by == "outcome":
        return value, value or stats.NO_OUTCOME_RECORDED
    if by == "lsoa":
        return value, value or "(no location)"
    return value, value


def _sort_key(by: str, row: SummaryRow):
    if by in ("month", "lsoa"):
        return (row.key == "", row.key)
    return (-row.count, row.key)


def _add_rates(summary: Summary, ward_population: dict[str, int | None]) -> None:
    scope = summary.scope
    codes = scope.lsoa_codes
    if codes is None:
        codes = sorted({r.key for r in summary.rows if r.key}) if summary.by == "lsoa" else \
            sorted(set(scope.counts().exclude(lsoa_code="").values_list("lsoa_code",
                                                                       flat=True)))
    pops, year, source = lsoa_population(codes, scope.end.year)
    summary.population_year, summary.population_source = year, source
    if not pops:
        summary.notes.append("No population figures are loaded for these areas, so no rates.")
        return
    if summary.by == "lsoa":
        for row in summary.rows:
            row.population = pops.get(row.key)
    elif summary.by == "ward":
        for row in summary.rows:
            row.population = ward_population.get(row.key)
    else:
        total = sum(pops.get(c, 0) for c in codes)
        for row in summary.rows:
            row.population = total
    missing = [c for c in codes if c not in pops]
    if missing:
        summary.notes.append(f"{len(missing)} LSOA(s) have no population figure for {year}.")
    summary.total.population = sum(pops.get(c, 0) for c in codes)
    months = months_between(scope.start, scope.end)
    for row in [*summary.rows, summary.total]:
        if row.population:
            row.rate = row.count / row.population * 1000
    if months != 12:
        summary.notes.append(f"Rates are per 1,000 residents over the {months} month(s) "
                             "chosen, not annualised.")


def data_range(force: str | None = None, lsoa_codes: list[str] | None = None):
    """The first and last months with street-level data in scope (None, None if none)."""
    imports = CrimeImport.objects.filter(kind="street")
    if force:
        imports = imports.filter(force=force)
    # the months imported, listed, so that the (month, LSOA) index serves the query
    qs = CrimeCount.objects.filter(month__in=set(imports.values_list("month", flat=True)))
    if force:
        qs = qs.filter(batch__force=force)
    if lsoa_codes is not None:
        qs = qs.filter(lsoa_code__in=lsoa_codes)
    result = qs.aggregate(first=Min("month"), last=Max("month"))
    return result["first"], result["last"]


# ---------------------------------------------------------------------------------------------
# Change


@dataclass
class ChangeRow:
    key: str
    label: str
    against_previous: stats.ChangeResult
    against_last_year: stats.ChangeResult


@dataclass
class Change:
    scope: Scope
    previous: Scope
    last_year: Scope
    by: str
    rows: list[ChangeRow]
    total: ChangeRow
    missing_periods: list[str] = field(default_factory=list)
    simulated_months: list[datetime.date] = field(default_factory=list)


def _counts_by(scope: Scope, by: str, wards: dict[str, Area]) -> dict[tuple[str, str], int]:
    if by == "total":
        return {("", "All crime"): scope.counts().aggregate(n=Sum("count"))["n"] or 0}
    field_name = "lsoa_code" if by == "ward" else _FIELD[by]
    result: dict[tuple[str, str], int] = defaultdict(int)
    for item in _grouped(scope, [field_name]):
        result[_group_key(by, item[field_name], wards)] += item["n"]
    return result


def _months_with_data(scope: Scope) -> int:
    return len(set(scope.counts().values_list("month", flat=True).distinct()))


def change(scope: Scope, by: str = "crime-type") -> Change:
    """Each group's count against the previous period of equal length and against the same
    period a year before, with the exact conditional Poisson test."""
    if by not in CHANGE_BY:
        raise AnalyticsError("--by must be total, crime-type, ward, lsoa or outcome")
    length = months_between(scope.start, scope.end)
    previous, last_year = scope.shifted(-length), scope.shifted(-12)
    wards = ward_lookup(scope.lsoa_codes, on=scope.end) if by == "ward" else {}
    now = _counts_by(scope, by, wards)
    before = _counts_by(previous, by, wards)
    year_ago = _counts_by(last_year, by, wards)
    result = Change(scope, previous, last_year, by, [], None,  # type: ignore[arg-type]
                    simulated_months=sorted(set(scope.simulated_months())
                                            | set(previous.simulated_months())
                                            | set(last_year.simulated_months())))
    held = {}
    for label, period in (("the current period", scope), ("the previous period", previous),
                          ("the same period last year", last_year)):
        held[label] = _months_with_data(period)
        if held[label] < length:
            result.missing_periods.append(
                f"Only {held[label]} of {length} month(s) of data for {label} "
                f"({period.start:%Y-%m} to {period.end:%Y-%m}).")
    compare_previous = _comparer(held["the previous period"])
    compare_last_year = _comparer(held["the same period last year"])
    keys = [] if by == "total" else sorted(set(now) | set(before) | set(year_ago),
                                           key=lambda k: (-now.get(k, 0), k))
    for key in keys:
        result.rows.append(ChangeRow(key[0], key[1],
                                     compare_previous(now.get(key, 0), before.get(key, 0)),
                                     compare_last_year(now.get(key, 0), year_ago.get(key, 0))))
    totals = [sum(d.values()) for d in (now, before, year_ago)]
    result.total = ChangeRow("", "All crime", compare_previous(totals[0], totals[1]),
                             compare_last_year(totals[0], totals[2]))
    return result


def _comparer(months_with_data: int):
    """The exact test, or "no data to compare" when the comparison period has no data."""
    if months_with_data:
        return stats.poisson_change
    return lambda current, _previous: stats.no_comparison(current)


# ---------------------------------------------------------------------------------------------
# Hotspots


@dataclass
class Hotspots:
    scope: Scope
    measure: str
    crime_type: str | None
    result: stats.GiStarResult
    names: dict[str, str]
    values: dict[str, float]
    islands: list[str]
    simulated_months: list[datetime.date] = field(default_factory=list)


def hotspots(scope: Scope, crime_type: str | None = None, measure: str = "count") -> Hotspots:
    """Getis-Ord Gi* over the scope's LSOAs with queen contiguity of their boundaries."""
    if scope.area is None:
        raise AnalyticsError("Hotspots need an area (--area CODE) whose LSOAs have boundaries.")
    lsoas = [a for a in descendant_lsoas(scope.area) if a.boundary]
    if len(lsoas) < 3:
        raise AnalyticsError(f"{scope.area} has fewer than 3 LSOAs with boundaries loaded.")
    from shapely.geometry import shape

    geometries = {a.code: shape(a.boundary) for a in lsoas}
    weights = stats.queen_weights(geometries)
    counts = scope.counts()
    if crime_type:
        counts = counts.filter(crime_type=crime_type)
    by_code = dict(counts.values_list("lsoa_code").annotate(n=Sum("count")).order_by())
    values: dict[str, float] = {code: float(by_code.get(code, 0)) for code in geometries}
    if measure == "rate":
        pops, _year, _source = lsoa_population(list(geometries), scope.end.year)
        missing = [c for c in geometries if not pops.get(c)]
        if missing:
            raise AnalyticsError(f"No population for {len(missing)} LSOA(s); use counts.")
        values = {c: v / pops[c] * 1000 for c, v in values.items()}
    elif measure == "harm":
        _table, weights_by_type = harm_weights()
        harms = harm_by(counts.values_list("lsoa_code", "crime_type").annotate(
            n=Sum("count")).order_by(), weights_by_type)
        values = {c: harms[c].total if c in harms else 0.0 for c in geometries}
    result = stats.gi_star(values, weights)
    return Hotspots(scope, measure, crime_type, result, {a.code: a.name for a in lsoas}, values,
                    sorted(weights.islands), scope.simulated_months())
