"""saferplaces crime repeats / outcomes / stop-search: the smaller analyses, one command each.

They share argument handling, so they live together; the dispatcher names each one."""

from __future__ import annotations

import dataclasses

from saferplaces.core.periods import PeriodError, month_code, parse_month
from saferplaces.crime.commands.output import render
from saferplaces.crime.models import CrimeRecord, OutcomeRecord, StopSearch


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
        from saferplaces.crime import stats
        from saferplaces.crime.analytics import AnalyticsError

        try:
            scope = _area_scope(options)
        except AnalyticsError as exc:
            err.write(str(exc))
            return 2
        records = CrimeRecord.objects.filter(lsoa_code__in=scope.lsoa_codes,
                                             month__gte=scope.start, month__lte=scope.end)
        if options.get("crime_type"):
            records = records.filter(crime_type=options["crime_type"])
        months = (scope.end.year - scope.start.year) * 12 + scope.end.month - scope.start.month + 1
        found = stats.repeat_locations(
            records.values_list("longitude", "latitude", "crime_type", "month").iterator(),
            min_count=options["min"], end_month=scope.end, months=months)
        rows = [[r.longitude, r.latitude, r.crime_type, r.count,
                 month_code(r.first_month), month_code(r.last_month)]
                for r in found.rows]
        out.write(render(["longitude", "latitude", "crime_type", "count", "first_month",
                          "last_month"], rows, options["format"],
                         {"scope": scope.describe(), "skipped_without_location": found.skipped}))
        return 0


class Outcomes:
    help = ("Outcome profile: the share of crimes charged or summonsed and how many are still "
            "under investigation, from outcomes files (latest outcome per crime) or, with "
            "--street, from the street files' last outcome.")

    @staticmethod
    def add_arguments(parser) -> None:
        _period_arguments(parser)
        parser.add_argument("--street", action="store_true",
                            help="Use the street files' 'Last outcome category'.")

    @staticmethod
    def run(options, out, err) -> int:
        from saferplaces.crime import stats
        from saferplaces.crime.analytics import AnalyticsError

        try:
            scope = _area_scope(options)
        except AnalyticsError as exc:
            err.write(str(exc))
            return 2
        if options["street"]:
            rows = CrimeRecord.objects.filter(
                lsoa_code__in=scope.lsoa_codes, month__gte=scope.start,
                month__lte=scope.end).exclude(crime_type="Anti-social behaviour")
            profile = stats.profile_from_last_outcomes(
                rows.values_list("last_outcome", flat=True).iterator())
        else:
            outcomes: dict[str, list] = {}
            for crime_id, month, outcome in OutcomeRecord.objects.filter(
                    lsoa_code__in=scope.lsoa_codes, month__gte=scope.start,
                    month__lte=scope.end).values_list("crime_id", "month", "outcome_type"):
                outcomes.setdefault(crime_id, []).append((month, outcome))
            profile = stats.outcome_profile(outcomes)
        data = dataclasses.asdict(profile)
        rows = [list(item) for item in data.pop("by_outcome")]
        data["charged_share"] = _share(data["charged_share"])
        out.write(render(["outcome", "crimes"], rows, options["format"],
                         {"scope": scope.describe(), **data}))
        return 0


class StopAndSearch:
    help = "Stop and search by ethnicity, outcome and legislation, for a force and period."

    @staticmethod
    def add_arguments(parser) -> None:
        parser.add_argument("--force", required=True, help="Police force as police.uk names it.")
        parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
        parser.add_argument("--by", default="officer-ethnicity",
                            choices=("officer-ethnicity", "self-ethnicity", "outcome",
                                     "legislation"))
        parser.add_argument("--format", default="table", choices=("table", "csv", "json"))

    @staticmethod
    def run(options, out, err) -> int:
        from saferplaces.crime import stats

        try:
            start, end = parse_month(options["start"]), parse_month(options["end"])
        except PeriodError as exc:
            err.write(str(exc))
            return 2
        rows = StopSearch.objects.filter(force=options["force"], month__gte=start,
                                         month__lte=end)
        if not rows.exists():
            err.write(f"No stop and search data for {options['force']} in that period.")
            return 2
        found = stats.stop_search_breakdown(rows.values(
            "officer_defined_ethnicity", "self_defined_ethnicity", "outcome", "legislation",
            "outcome_linked_to_object").iterator())
        field = {"officer-ethnicity": "by_officer_ethnicity",
                 "self-ethnicity": "by_self_ethnicity", "outcome": "by_outcome",
                 "legislation": "by_legislation"}[options["by"]]
        table = [list(item) for item in getattr(found, field)]
        meta = {"force": options["force"], "period": f"{start:%Y-%m} to {end:%Y-%m}",
                "total": found.total,
                "share_with_further_action": _share(found.further_action_share),
                "share_outcome_linked_to_object": _share(found.linked_share)}
        out.write(render([options["by"], "searches"], table, options["format"], meta))
        return 0


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value:.1%}"
