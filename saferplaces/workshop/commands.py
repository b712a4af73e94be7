"""Sub-commands of `saferplaces workshop` (in the shape `saferplaces.core.commands` describes)."""

from __future__ import annotations

from typing import Any

from saferplaces.core.commands import OK, UsageError, handles_usage_errors

COLUMNS = ["rank", "candidate", "mean", "median", "median_rank", "lowest", "highest",
           "std_dev", "scorers", "chosen"]


class Results:
    help = "Print a workshop's ranking: weighted score by mean and median, spread, chosen."
    description = (
        "One row per candidate topic in rank order (by mean weighted score, 0-100; equal "
        "scores share a rank), with the median and its rank, the lowest and highest scorer's "
        "score, the standard deviation across scorers, how many scored it and whether it was "
        "chosen as a priority. The table ends with the sensitivity summary (each weight "
        "moved by -25% and +25%).")
    epilog = "Exit codes: 0 printed; 2 unknown workshop."

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--workshop", type=int, required=True, metavar="ID",
                            help="The workshop's id (in its page's address).")
        parser.add_argument("--format", default="table", choices=("table", "csv"),
                            help="An aligned table (default) or CSV.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.crime.commands.output import render
        from saferplaces.workshop.models import Workshop
        from saferplaces.workshop.results import workshop_results, workshop_sensitivity

        workshop = Workshop.objects.select_related("partnership").filter(
            pk=options["workshop"]).first()
        if workshop is None:
            raise UsageError(f"No workshop {options['workshop']}.")
        rows = [[row.rank, row.candidate.name, _rounded(row.mean), _rounded(row.median),
                 row.median_rank, _rounded(row.minimum), _rounded(row.maximum),
                 _rounded(row.std_dev), row.scorers, "yes" if row.chosen else "no"]
                for row in workshop_results(workshop)]
        if options["format"] == "csv":
            out.write(render(COLUMNS, rows, "csv"))
            return OK
        _tables, summary = workshop_sensitivity(workshop)
        meta = {"workshop": f"{workshop.title} ({workshop.partnership.slug}, {workshop.year})"}
        notes = [summary]
        if workshop.is_illustrative:
            notes.insert(0, "Illustrative demonstration scores.")
        out.write(render(COLUMNS, rows, "table", meta, notes))
        return OK


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
