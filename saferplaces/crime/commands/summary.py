"""saferplaces crime summary: counts, rates and harm by crime type, month, LSOA, ward or
outcome."""

from __future__ import annotations

from saferplaces.core.periods import month_code
from saferplaces.crime.commands.output import render
from saferplaces.crime.dimensions import DIMENSIONS, MEASURES

help = "Summarise street-level crime for a period: counts, rates per 1,000 residents or harm."
epilog = (
    "Works on the national monthly counts, so no boundaries are needed for --by lsoa, "
    "crime-type, month or outcome with --force; --area and --by ward need geography and "
    "lookups (saferplaces geo). Rows police.uk could not locate are counted under an empty "
    "LSOA code; with --area they are in no area, and a note says how many. Rates use the "
    "latest population year not after the period's end, and say which. Harm uses the default "
    "harm weight table (saferplaces crime weights)."
)


def add_arguments(parser) -> None:
    parser.add_argument("--force", help="Police force as police.uk names it in 'Falls within'.")
    parser.add_argument("--area", help="Area code (LAD, CSP, ward, MSOA or LSOA) to restrict to.")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    parser.add_argument("--by", required=True, choices=DIMENSIONS)
    parser.add_argument("--measure", default="count", choices=MEASURES)
    parser.add_argument("--format", default="table", choices=("table", "csv", "json"))


def summary_table(summary) -> tuple[list[str], list[list]]:
    by_label = {"crime-type": "crime_type", "lsoa": "lsoa_code", "ward": "ward_code",
                "month": "month", "outcome": "outcome"}[summary.by]
    columns = [by_label] + (["ward_name"] if summary.by == "ward" else []) + ["count"]
    if summary.measure == "rate":
        columns += ["population", "rate_per_1000"]
    if summary.measure == "harm":
        columns += ["harm"]
    rows = []
    for row in summary.rows:
        key = row.label if summary.by == "outcome" else row.key  # "(no outcome recorded)"
        values = [key] + ([row.label] if summary.by == "ward" else []) + [row.count]
        if summary.measure == "rate":
            values += [row.population, None if row.rate is None else round(row.rate, 3)]
        if summary.measure == "harm":
            values += [None if row.harm is None else round(row.harm, 2)]
        rows.append(values)
    return columns, rows


def summary_meta(summary) -> dict:
    meta = {"scope": summary.scope.describe(), "by": summary.by, "measure": summary.measure,
            "total": summary.total.count}
    if summary.measure == "rate":
        meta["population_year"] = summary.population_year
        meta["population_source"] = summary.population_source
        meta["total_rate_per_1000"] = (None if summary.total.rate is None
                                       else round(summary.total.rate, 3))
    if summary.measure == "harm":
        meta["weight_table"] = summary.weight_table
        meta["total_harm"] = round(summary.total.harm or 0.0, 2)
    if summary.no_location is not None:
        meta["no_location"] = summary.no_location
    if summary.simulated_months:
        meta["simulated_months"] = ", ".join(month_code(m) for m in
                                             summary.simulated_months)
    return meta


def run(options, out, err) -> int:
    from saferplaces.crime.analytics import AnalyticsError, Scope, summarise

    try:
        scope = Scope.build(options["start"], options["end"], options.get("force"),
                            options.get("area"))
        summary = summarise(scope, options["by"], options["measure"])
    except AnalyticsError as exc:
        err.write(str(exc))
        return 2
    columns, rows = summary_table(summary)
    notes = list(summary.notes)
    if summary.simulated_months:
        notes.insert(0, "Includes SIMULATED demonstration data for some months.")
    out.write(render(columns, rows, options["format"], summary_meta(summary), notes))
    return 0
