"""`saferplaces report committee`: list committee reports, or write one as HTML, PDF or Word
(in the shape `saferplaces.core.commands` describes)."""

from __future__ import annotations

from typing import Any

from saferplaces.core.commands import (
    OK,
    REFUSED,
    UsageError,
    handles_usage_errors,
    write_output,
)


class Committee:
    help = "Committee reports: list them, or write one as HTML, PDF or Word."
    description = (
        "With --list, list the committee reports (id, partnership, meeting, status, title). "
        "With --id, write that report: an issued report exactly as it was frozen when issued, "
        "a draft as it stands now (marked DRAFT, live content read from current records).")
    epilog = ("Exit codes: 0 listed or written; 1 the file cannot be written or the report "
              "cannot be rendered; 2 bad arguments (no such report or partnership, neither "
              "--list nor --id, --id without --output).")

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="List the committee reports.")
        parser.add_argument("--id", type=int, help="The report to write (see --list).")
        parser.add_argument("--format", choices=["html", "pdf", "docx"], default="pdf",
                            help="Output format (default: pdf).")
        parser.add_argument("--output", help="File to write (with --id).")
        parser.add_argument("--partnership", help="Only this partnership's reports (slug).")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.committee import report as document
        from saferplaces.committee.models import CommitteeReport

        reports = CommitteeReport.objects.select_related("partnership").defer(
            "snapshot", "html", "pdf", "docx")
        if options.get("partnership"):
            reports = reports.filter(partnership__slug=options["partnership"])
            if not reports.exists():
                raise UsageError(f"No committee reports for partnership "
                                 f"{options['partnership']!r}.")
        if options["list"]:
            return _list(reports, out)
        if options.get("id") is None:
            raise UsageError("Say --list, or --id ID --output FILE.")
        if not options.get("output"):
            raise UsageError("Say where to write the report with --output FILE.")
        report = CommitteeReport.objects.filter(pk=options["id"]).first()
        if report is None or not reports.filter(pk=report.pk).exists():
            raise UsageError(f"No committee report {options['id']} (see --list).")
        written = document.output(report, options["format"])
        if not write_output(options["output"], written.content, err):
            return REFUSED
        state = "issued, frozen" if report.is_issued else "a DRAFT, not issued"
        out.write(f"Wrote {report.title} ({state}) as {options['format']}: {options['output']}")
        return OK


def _list(reports, out: Any) -> int:
    rows = list(reports)
    if not rows:
        out.write("No committee reports yet.")
        return OK
    for report in rows:
        out.write(f"{report.pk}\t{report.partnership.slug}\t{report.meeting_date:%Y-%m-%d}\t"
                  f"{report.get_status_display()}\t{report.committee}: {report.title}")
    return OK
