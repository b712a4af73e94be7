"""Sub-commands of `saferplaces assessment` (in the shape `saferplaces.core.commands`
describes)."""

from __future__ import annotations

from typing import Any

from saferplaces.core.commands import (
    OK,
    REFUSED,
    UsageError,
    handles_usage_errors,
    write_output,
)

REPORT_EPILOG = ("Writes the latest published version for the period exactly as published; "
                 "with none, the draft (built from current data), and with no assessment at "
                 "all, a draft built with the default serious violence definition (nothing is "
                 "saved). Exit codes: 0 written; 1 the file cannot be written; 2 bad arguments "
                 "(unknown partnership or period).")


class Report:
    help = "Write the strategic assessment for a year as HTML, PDF or Word."
    epilog = REPORT_EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--partnership", required=True, help="Partnership slug.")
        parser.add_argument("--year", required=True,
                            help="Financial year, e.g. 2019/20 (April 2019 to March 2020).")
        parser.add_argument("--format", choices=["html", "pdf", "docx"], default="pdf",
                            help="Output format (default: pdf).")
        parser.add_argument("--output", required=True, help="File to write.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.assessment import report
        from saferplaces.core import periods
        from saferplaces.partnership.models import Partnership

        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise UsageError(f"No partnership {options['partnership']!r}.")
        try:
            period = periods.parse_period(options["year"])
        except periods.PeriodError as exc:
            raise UsageError(str(exc)) from exc
        assessment = report.latest_for(partnership, period)
        state = ("published, frozen" if assessment.is_published else
                 "DRAFT from current data")
        out.write(f"Building the strategic assessment for {partnership.short_name}, "
                  f"{period.label} (version {assessment.version}, {state})...")
        data = report.output(assessment, options["format"])
        if not write_output(options["output"], data, err):
            return REFUSED
        out.write(f"Wrote {options['output']}")
        return OK
