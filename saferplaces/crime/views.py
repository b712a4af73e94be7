"""Evidence pages and their JSON endpoints, scoped to request.partnership's area."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify

from saferplaces.core import charts, params, periods
from saferplaces.core.periods import add_months, month_code
from saferplaces.crime import (
    analytics,
    evidence,
    evidence_cache,
    forces,
    harm_store,
    sentences,
)
from saferplaces.crime.analytics import AnalyticsError
from saferplaces.crime.categories import CURRENT_TYPES as CRIME_TYPES
from saferplaces.crime.dimensions import CHANGE_BY, DIMENSIONS, MEASURES
from saferplaces.partnership.access import partnership_view


def _place_or_empty(request, template: str):
    """The partnership's Place, or a rendered empty state explaining what is missing."""
    try:
        return evidence.place_for(request.partnership), None
    except evidence.NoEvidence as exc:
        return None, render(request, "crime/no_evidence.html", {"reason": str(exc)})


def _default_period(place, months: int = 12) -> tuple[datetime.date, datetime.date]:
    """The latest ``months`` months with data."""
    return add_months(place.last, -(months - 1)), place.last


def _period(request, place, default_months: int = 12):
    """(start, end) from ?from=YYYY-MM&to=YYYY-MM, defaulting to the last 12 months; a bad
    month raises ParameterError."""
    start, end = _default_period(place, default_months)
    return params.month_range(request.GET, default_start=start, default_end=end)


def _page_period(request, place):
    """The page's (start, end): a bad ?from= or ?to= is shown as a message and the default
    period is used."""
    start, end = _default_period(place)
    return params.or_default(request, (start, end), params.month_range, default_start=start,
                             default_end=end)


def _crime_type(query) -> str | None:
    """?crime_type= as a police.uk crime type, or None for all crime and ASB."""
    return params.optional_choice(query, "crime_type", CRIME_TYPES)


def _caption(drawn: str, simulated: bool) -> str:
    """A chart caption that describes only what is drawn."""
    if simulated:
        return f"{drawn}; grey points are simulated demonstration months."
    return f"{drawn}."


class BadRequest(Exception):
    pass


REPEAT_MIN = {"default": 3, "minimum": 2, "maximum": 1000}
REPEAT_MONTHS = {"default": 12, "minimum": 1, "maximum": 120}


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


# --------------------------------------------------------------------------------------------
# Pages


@partnership_view
def evidence_home(request):
    """Latest month, a 24-month trend, the crime mix and significant changes.

    Template crime/evidence_home.html.
    """
    place, empty = _place_or_empty(request, "crime/evidence_home.html")
    if empty:
        return empty
    figures = evidence_cache.remembered("home", evidence_cache.place_depends_on(place),
                                         lambda: _home_figures(place))
    return render(request, "crime/evidence_home.html", {
        "place": place, **figures, "crime_types": [(t, slugify(t)) for t in CRIME_TYPES]})


def _home_figures(place) -> dict:
    """The overview's figures and charts (its costly part: the change tests and specs)."""
    simulated = evidence.simulated_months(place)
    trend_scope = place.last_months(24)
    trend = evidence.monthly_trend(trend_scope, simulated=simulated)
    year = place.last_months(12)
    changes, change_scope = evidence.significant_changes(place, 3)
    simulated_sentence = periods.simulated_months_sentence(simulated, trend_scope.start,
                                                           trend_scope.end)
    return {
        "opening": evidence.year_change_sentence(place),
        "no_location": sentences.no_location_sentence(year.no_location_count()),
        "trend_caption": _caption("Crimes and ASB incidents per month",
                                  bool(simulated_sentence)),
        "latest": analytics.change(place.last_months(1), "total"),
        "trend_spec": charts.trend_chart(trend, f"All crime and ASB per month, "
                                                f"{trend_scope.describe()}"),
        "mix_spec": charts.bar_chart(evidence.crime_mix(year), "Crime mix, last 12 months"),
        "changes": changes,
        "change_scope": change_scope,
        "simulated": simulated_sentence,
    }


@partnership_view
def ward_map(request):
    """Choropleth of wards by rate, harm or count (Leaflet, no tiles unless configured).

    Template crime/ward_map.html; the map fetches ward_geojson.
    """
    place, empty = _place_or_empty(request, "crime/ward_map.html")
    if empty:
        return empty
    measure = params.or_default(request, "rate", params.choice, "measure", MEASURES,
                                default="rate")
    start, end = _page_period(request, place)
    crime_type = params.or_default(request, None, _crime_type)
    try:
        figures = analytics.ward_figures(place.scope(start, end), crime_type)
    except AnalyticsError as exc:
        return render(request, "crime/no_evidence.html", {"reason": str(exc)})
    simulated = periods.simulated_months_sentence(evidence.simulated_months(place), start, end)
    return render(request, "crime/ward_map.html", {
        "opening": evidence.highest_ward_sentence(figures, place.area.name, crime_type),
        "no_location": sentences.no_location_sentence(figures.no_location),
        "place": place, "measure": measure, "start": start, "end": end,
        "crime_type": crime_type or "", "crime_types": CRIME_TYPES,
        "figures": figures, "simulated": simulated,
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


@partnership_view
def ward_profile(request, code):
    """A ward's trend, crime mix, change, hotspots, deprivation and population.

    Template crime/ward_profile.html.
    """
    place, empty = _place_or_empty(request, "crime/ward_profile.html")
    if empty:
        return empty
    try:
        profile = evidence.ward_profile(place, code)
    except AnalyticsError as exc:
        raise Http404(str(exc)) from None
    return render(request, "crime/ward_profile.html", {
        "place": place, "profile": profile,
        "opening": evidence.ward_comparison_sentence(place, code, profile.ward.name),
        "trend_caption": _caption("Crimes and ASB incidents per month in this ward",
                                  bool(profile.simulated)),
        "trend_spec": charts.trend_chart(profile.trend,
                                         f"{profile.ward.name}: crime and ASB per month"),
        "mix_spec": charts.bar_chart(profile.mix, f"{profile.ward.name}: last 12 months"),
    })


@partnership_view
def ward_list(request):
    """Every ward with its count, rate and harm for the last 12 months.

    Template crime/ward_list.html.
    """
    place, empty = _place_or_empty(request, "crime/ward_list.html")
    if empty:
        return empty
    scope = place.last_months(12)
    try:
        figures = analytics.ward_figures(scope)
    except AnalyticsError as exc:
        return render(request, "crime/no_evidence.html", {"reason": str(exc)})
    simulated = periods.simulated_months_sentence(evidence.simulated_months(place), scope.start,
                                                  scope.end)
    return render(request, "crime/ward_list.html", {
        "place": place, "scope": scope, "figures": figures, "simulated": simulated,
        "opening": evidence.highest_ward_sentence(figures, place.area.name),
        "no_location": sentences.no_location_sentence(figures.no_location)})


@partnership_view
def crime_type_page(request, slug):
    """One crime type: trend, wards and change. Template crime/crime_type.html."""
    crime_type = next((t for t in CRIME_TYPES if slugify(t) == slug), None)
    if crime_type is None:
        raise Http404("No such crime type.")
    place, empty = _place_or_empty(request, "crime/crime_type.html")
    if empty:
        return empty
    simulated = evidence.simulated_months(place)
    trend_scope = place.last_months(24)
    trend = evidence.monthly_trend(trend_scope, crime_type, simulated)
    year = place.last_months(12)
    found = analytics.change(place.last_months(3), "crime-type")
    row = next((r for r in found.rows if r.key == crime_type), None)
    simulated_sentence = periods.simulated_months_sentence(simulated, trend_scope.start,
                                                           trend_scope.end)
    opening = sentences.change_sentence(
        crime_type, "in the latest three months", "in the three months before",
        row.against_previous) if row else f"No {crime_type.lower()} was recorded in the " \
        "latest three months or the three months before."
    return render(request, "crime/crime_type.html", {
        "opening": opening,
        "trend_caption": _caption(f"{crime_type} per month", bool(simulated_sentence)),
        "place": place, "crime_type": crime_type,
        "trend_spec": charts.trend_chart(trend, f"{crime_type} per month"),
        "figures": _ward_rows_or_none(year, crime_type),
        "change": row, "change_scope": found.scope,
        "simulated": simulated_sentence,
        "weight": harm_store.default_weights().get(crime_type),
    })


def _ward_rows_or_none(scope, crime_type: str | None = None):
    """The ward figures' rows, or [] when no ward lookup is loaded."""
    try:
        return analytics.ward_figures(scope, crime_type).rows
    except AnalyticsError:
        return []


# --------------------------------------------------------------------------------------------
# JSON endpoints (same numbers as the pages and the commands)


def _api(view):
    """Wrap a JSON view: partnership access, empty states and bad parameters as JSON errors."""

    @partnership_view
    def wrapped(request, *args, **kwargs):
        try:
            place = evidence.place_for(request.partnership)
            return view(request, place, *args, **kwargs)
        except evidence.NoEvidence as exc:
            return _json_error(str(exc), 404)
        except (BadRequest, AnalyticsError, params.ParameterError, ValueError) as exc:
            return _json_error(str(exc))

    wrapped.__doc__ = view.__doc__
    wrapped.__name__ = view.__name__
    return wrapped


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (datetime.date,)):
        return value.isoformat()
    return value


@_api
def api_summary(request, place):
    """GET ?by=crime-type|month|lsoa|ward|outcome&measure=count|rate|harm&from=&to="""
    start, end = _period(request, place)
    summary = analytics.summarise(
        place.scope(start, end), params.choice(request.GET, "by", DIMENSIONS,
                                               default="crime-type"),
        params.choice(request.GET, "measure", MEASURES, default="count"))
    return JsonResponse({
        "scope": summary.scope.describe(), "by": summary.by, "measure": summary.measure,
        "rows": _plain(summary.rows), "total": _plain(summary.total),
        "population_year": summary.population_year,
        "population_source": summary.population_source, "weight_table": summary.weight_table,
        "notes": summary.notes, "no_location": summary.no_location,
        "simulated_months": [month_code(m) for m in summary.simulated_months],
    })


@_api
def api_change(request, place):
    """GET ?by=total|crime-type|ward|lsoa|outcome&from=&to= (default: the latest 3 months)"""
    start, end = _period(request, place, 3)
    found = analytics.change(place.scope(start, end),
                             params.choice(request.GET, "by", CHANGE_BY, default="crime-type"))
    return JsonResponse({
        "scope": found.scope.describe(),
        "previous": f"{found.previous.start:%Y-%m} to {found.previous.end:%Y-%m}",
        "last_year": f"{found.last_year.start:%Y-%m} to {found.last_year.end:%Y-%m}",
        "rows": _plain(found.rows), "total": _plain(found.total),
        "notes": found.missing_periods,
        "simulated_months": [month_code(m) for m in found.simulated_months],
    })


@_api
def api_hotspots(request, place):
    """GET ?measure=count|rate|harm&crime_type=&from=&to="""
    start, end = _period(request, place)
    found = analytics.hotspots(place.scope(start, end), _crime_type(request.GET),
                               params.choice(request.GET, "measure", MEASURES, default="count"))
    return JsonResponse({
        "scope": found.scope.describe(), "measure": found.measure,
        "rows": [dict(_plain(r), name=found.names.get(r.code, "")) for r in found.result.rows],
        "islands": found.islands,
        "simulated_months": [month_code(m) for m in found.simulated_months],
    })


@_api
def api_repeats(request, place):
    """GET ?min=3&months=12&crime_type="""
    minimum = params.whole_number(request.GET, "min", **REPEAT_MIN)
    months = params.whole_number(request.GET, "months", **REPEAT_MONTHS)
    found = evidence.repeat_locations(place, minimum, months, _crime_type(request.GET))
    return JsonResponse({"rows": _plain(found.rows), "skipped": found.skipped,
                         "end_month": month_code(place.last), "months": months})


@_api
def api_outcomes(request, place):
    """GET ?from=&to= : latest outcome per crime from the outcomes files, and what the
    street files say for crimes in the period."""
    start, end = _period(request, place)
    return JsonResponse({
        "outcomes_files": _plain(evidence.outcome_profile(place, start, end)),
        "street_last_outcomes": _plain(evidence.last_outcome_profile(place.scope(start, end))),
        "note": sentences.OUTCOMES_RECORDED_IN_MONTH,
    })


@_api
def api_stop_search(request, place):
    """GET ?from=&to=&force= (force-wide: police.uk stop and search has no LSOA)"""
    start, end = _period(request, place)
    force = forces.resolve_force(request.GET["force"]) if request.GET.get("force") \
        else place.force
    if not force:
        raise BadRequest("Give ?force=, or set the partnership's police force.")
    return JsonResponse({"force": force, "from": month_code(start),
                         "to": month_code(end),
                         "breakdown": _plain(evidence.stop_search(force, start, end))})


@_api
def api_ward_geojson(request, place):
    """GET ?measure=rate|harm|count&from=&to=&crime_type= : wards as GeoJSON features."""
    start, end = _period(request, place)
    measure = params.choice(request.GET, "measure", MEASURES, default="rate")
    found = analytics.ward_figures(place.scope(start, end), _crime_type(request.GET))
    if measure == "harm" and found.harm_error:
        raise analytics.NoHarmWeights()
    figures = {f.code: f for f in found.rows}
    features = []
    for code, ward in evidence.ward_boundaries(place, on=end).items():
        fig = figures.get(code)
        features.append({
            "type": "Feature", "geometry": ward.boundary,
            "properties": {"code": code, "name": ward.name,
                           "count": fig.count if fig else 0,
                           "harm": round(fig.harm, 1) if fig and fig.harm is not None
                           else None,
                           "population": fig.population if fig else None,
                           "rate": round(fig.rate, 2) if fig and fig.rate is not None else None,
                           "url": f"/p/{request.partnership.slug}/evidence/wards/{code}/"},
        })
    return JsonResponse({"type": "FeatureCollection", "features": features})
