"""saferplaces crime repeats / outcomes / stop-search: the smaller analyses, one command each.

They share argument handling, so they live together; the dispatcher names each one."""

from __future__ import annotations

import dataclasses

from saferplaces.core.periods import PeriodError, month_code, parse_month
from saferplaces.crime.commands.output import render
from saferplaces.crime.models import CrimeRecord, OutcomeRecord, StopSearch
from saferplaces.crime.sentences import OUTCOMES_RECORDED_IN_MONTH


def _area_scope(options):
    from saferplaces.crime.analytics import AnalyticsError, Scope

    scope = Scope.build(options["start"], options["end"], options.get("force"),
                        options.get("area"))
    if scope.lsoa_codes is None:
        raise AnalyticsError("--area is required: individual crimes are kept only for "
                             "partnership areas.")
    return scope


def _period_arguments(parser, area_required: bool = True) -> None:
    parser.add_argument("--area", required=area_required, help="Area code (LAD, CSP, ward).")
    parser.add_argument("--force", help="Police force as police.uk names it.")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    parser.add_argument("--format", default="table", choices=("table", "csv", "json"))


class Repeats:
    help = ("Repeat locations: the same anonymised map point and crime type at least N times "
            "in the period (12 months is usual).")

    @staticmethod
    def add_arguments(parser) -> None:
        _period_arguments(parser)
        parser.add_argument("--min", type=int, default=3, help="Fewest crimes to list (3).")
        parser.add_argument("--crime-type", help="Only this crime type.")

    @staticmethod
    def run(options, out, err) -> int:
        from saferplaces.crime.analytics import AnalyticsError

        try:
            scope = _area_scope(options)
        except AnalyticsError as exc:
            err.write(str(exc))
            return 2
        found, rows = repeat_rows(scope, options["min"], options.get("crime_type"))
        out.write(render(REPEAT_COLUMNS, rows, options["format"],
                         {"scope": scope.describe(), "skipped_without_location": found.skipped}))
        return 0


REPEAT_COLUMNS = ["longitude", "latitude", "crime_type", "count", "first_month", "last_month"]


def repeat_rows(scope, min_count: int = 3, crime_type: str | None = None):
    """Repeat locations of an area scope and the command's rows for them (the strategic
    assessment shows the same rows)."""
    from saferplaces.crime import stats

    records = CrimeRecord.objects.filter(lsoa_code__in=scope.lsoa_codes,
                                         month__gte=scope.start, month__lte=scope.end)
    if crime_type:
        records = records.filter(crime_type=crime_type)
    months = (scope.end.year - scope.start.year) * 12 + scope.end.month - scope.start.month + 1
    found = stats.repeat_locations(
        records.values_list("longitude", "latitude", "crime_type", "month").iterator(),
        min_count=min_count, end_month=scope.end, months=months)
    rows = [[r.longitude, r.latitude, r.crime_type, r.count,
             month_code(r.first_month), month_code(r.last_month)]
            for r in found.rows]
    return found, rows




class Outcomes:
    help = ("Outcome profile. With --area: the latest outcome per crime, from outcomes files "
            "or, with --street, from the street files' last outcome (individual crimes are kept "
            "only for partnership areas). With --force and no --area: the outcome types a force "
            "recorded in the period, from any imported outcomes files.")
    epilog = OUTCOMES_RECORDED_IN_MONTH

    @staticmethod
    def add_arguments(parser) -> None:
        _period_arguments(parser, area_required=False)
        parser.add_argument("--street", action="store_true",
                            help="Use the street files' 'Last outcome category' (with --area).")

    @staticmethod
    def run(options, out, err) -> int:
        from saferplaces.crime.analytics import AnalyticsError

        try:
            if options.get("area"):
                scope = _area_scope(options)
                profile = area_profile(scope, options["street"])
            else:
                scope = _force_scope(options)
                profile = _force_profile(scope)
        except AnalyticsError as exc:
            err.write(str(exc))
            return 2
        from saferplaces.crime import stats

        data = dataclasses.asdict(profile)
        data.pop("by_outcome")
        data["charged_share"] = _share(data["charged_share"])
        rows = [list(item) for item in stats.outcome_rows(profile)]
        notes = [] if options["street"] else [OUTCOMES_RECORDED_IN_MONTH]
        out.write(render(["outcome", "crimes" if options["street"] else "outcomes"], rows,
                         options["format"], {"scope": scope.describe(), **data}, notes))
        return 0


def _force_scope(options):
    from saferplaces.crime.analytics import AnalyticsError, Scope

    if not options.get("force"):
        raise AnalyticsError("Give --force NAME (outcome types for a force) or --area CODE.")
    if options["street"]:
        raise AnalyticsError("--street needs --area: street outcomes are read from the "
                             "individual crimes kept for partnership areas.")
    return Scope.build(options["start"], options["end"], options["force"])


def _force_profile(scope):
    """The outcome types the force recorded in the period's months (all its LSOAs)."""
    from django.db.models import Sum

    from saferplaces.crime import stats
    from saferplaces.crime.analytics import AnalyticsError
    from saferplaces.crime.models import OutcomeCount

    counts = OutcomeCount.objects.filter(force=scope.force, month__gte=scope.start,
                                         month__lte=scope.end)
    by_type = dict(counts.values_list("outcome_type").annotate(n=Sum("count")).order_by())
    if not by_type:
        raise AnalyticsError(f"No outcomes files imported for {scope.describe()}.")
    return stats.profile_from_counts(by_type)


def area_profile(scope, street: bool):
    """The outcome profile of an area scope: the latest outcome per crime from outcomes
    files, or with ``street`` the street files' last outcome (``crime outcomes --area``)."""
    from saferplaces.crime import stats

    if street:
        rows = CrimeRecord.objects.filter(
            lsoa_code__in=scope.lsoa_codes, month__gte=scope.start,
            month__lte=scope.end).exclude(crime_type="Anti-social behaviour")
        return stats.profile_from_last_outcomes(
            rows.values_list("last_outcome", flat=True).iterator())
    outcomes: dict[str, list] = {}
    for crime_id, month, outcome in OutcomeRecord.objects.filter(
            lsoa_code__in=scope.lsoa_codes, month__gte=scope.start,
            month__lte=scope.end).values_list("crime_id", "month", "outcome_type"):
        outcomes.setdefault(crime_id, []).append((month, outcome))
    return stats.outcome_profile(outcomes)


# --by choice → the StopSearch field counted (month is counted in month order)
STOP_SEARCH_FIELDS = {
    "officer-ethnicity": "officer_defined_ethnicity",
    "self-ethnicity": "self_defined_ethnicity",
    "outcome": "outcome",
    "legislation": "legislation",
    "object-of-search": "object_of_search",
    "age-range": "age_range",
    "gender": "gender",
    "type": "search_type",
    "month": "month",
}


class StopAndSearch:
    help = ("Stop and search for a force and period, by officer- or self-defined ethnicity, "
            "outcome, legislation, object of search, age range, gender, type of search or "
            "month.")

    @staticmethod
    def add_arguments(parser) -> None:
        parser.add_argument("--force", required=True, help="Police force: its police.uk name "
                            "or id (west-midlands).")
        parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
        parser.add_argument("--by", default="officer-ethnicity",
                            choices=tuple(STOP_SEARCH_FIELDS))
        parser.add_argument("--format", default="table", choices=("table", "csv", "json"))

    @staticmethod
    def run(options, out, err) -> int:
        from saferplaces.crime.forces import UnknownForce, resolve_force

        try:
            start, end = parse_month(options["start"]), parse_month(options["end"])
            force = resolve_force(options["force"])
        except (PeriodError, UnknownForce) as exc:
            err.write(str(exc))
            return 2
        found, table = stop_search_table(force, start, end, options["by"])
        if found is None:
            err.write(f"No stop and search data for {force} in that period.")
            return 2
        meta = {"force": force, "period": f"{start:%Y-%m} to {end:%Y-%m}",
                "total": found.total,
                "share_with_further_action": _share(found.further_action_share),
                "share_outcome_linked_to_object": _share(found.linked_share)}
        out.write(render([options["by"], "searches"], table, options["format"], meta))
        return 0


def stop_search_table(force: str, start, end, by: str):
    """The breakdown (totals and shares) and the command's rows by ``by`` for a force's
    searches in the months given; (None, []) when there are none."""
    from saferplaces.crime import stats

    rows = StopSearch.objects.filter(force=force, month__gte=start, month__lte=end)
    if not rows.exists():
        return None, []
    found = stats.stop_search_breakdown(rows.values(
        "officer_defined_ethnicity", "self_defined_ethnicity", "outcome", "legislation",
        "outcome_linked_to_object").iterator())
    return found, [list(item) for item in _stop_search_rows(rows, by)]


def _stop_search_rows(rows, by: str) -> list[tuple[str, int]]:
    """(label, searches): months in order, anything else largest first."""
    from django.db.models import Count

    from saferplaces.crime import stats

    if by == "month":
        return [(month_code(month), n) for month, n in
                rows.values_list("month").annotate(n=Count("id")).order_by("month")]
    blank = stats.NO_OUTCOME_RECORDED if by == "outcome" else stats.NOT_RECORDED
    return list(stats.count_labels(rows.values_list(STOP_SEARCH_FIELDS[by], flat=True).iterator(),
                                   blank))


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value:.1%}"
