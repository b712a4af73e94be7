"""saferplaces crime change: is the change against the previous period, and against the same
period last year, more than chance?"""

from __future__ import annotations

from saferplaces.crime.commands.output import render
from saferplaces.crime.dimensions import CHANGE_BY

help = ("Compare a period with the previous period of equal length and with the same period a "
        "year before, with the exact test for two Poisson counts.")
epilog = ("The test conditions on the total of the two counts (binomial with p = 1/2 for "
          "periods of equal length); p-values are two-sided; 'too few to tell' means no split "
          "of so few crimes could be significant at 95%.")


def add_arguments(parser) -> None:
    parser.add_argument("--force", help="Police force as police.uk names it.")
    parser.add_argument("--area", help="Area code to restrict to.")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    parser.add_argument("--by", default="crime-type", choices=CHANGE_BY)
    parser.add_argument("--format", default="table", choices=("table", "csv", "json"))


def run(options, out, err) -> int:
    from saferplaces.crime.analytics import AnalyticsError, Scope, change

    try:
        scope = Scope.build(options["start"], options["end"], options.get("force"),
                            options.get("area"))
        result = change(scope, options["by"])
    except AnalyticsError as exc:
        err.write(str(exc))
        return 2
    columns, rows = change_table(result)
    meta = {"scope": scope.describe(),
            "previous_period": f"{result.previous.start:%Y-%m} to {result.previous.end:%Y-%m}",
            "same_period_last_year": f"{result.last_year.start:%Y-%m} to "
                                     f"{result.last_year.end:%Y-%m}"}
    notes = list(result.missing_periods)
    if result.simulated_months:
        notes.insert(0, "Includes SIMULATED demonstration data for some months.")
    out.write(render(columns, rows, options["format"], meta, notes))
    return 0


def change_table(result) -> tuple[list[str], list[list]]:
    """The command's columns and rows (the total last) for an ``analytics.change`` result;
    the strategic assessment shows the same rows."""
    columns = ["key", "label", "current", "previous", "p_previous", "previous_verdict",
               "last_year", "p_last_year", "last_year_verdict"]
    rows = []
    for row in [*result.rows, result.total]:
        a, b = row.against_previous, row.against_last_year
        rows.append([row.key, row.label, a.current, a.previous, _p(a.p_value), a.label,
                     b.previous, _p(b.p_value), b.label])
    return columns, rows


def _p(value):
    return None if value is None else round(value, 4)
