"""Sub-commands of `saferplaces indicators` and `saferplaces report` (in the shape
`saferplaces.core.commands` describes): indicator values, peer data and board reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saferplaces.core.commands import (
    OK,
    REFUSED,
    UsageError,
    handles_usage_errors,
    login_named,
    read_input,
    report_import,
    write_output,
)
from saferplaces.core.numbers import format_number
from saferplaces.performance.value_csv import COLUMNS, PEER_COLUMNS

IMPORT_EPILOG = (
    "CSV columns: " + ", ".join(COLUMNS) + ". Required: indicator (the indicator's code), "
    "period, value. Periods: 2020-09 for a monthly indicator, 2020-Q3 or 2020/21 Q3 (the "
    "financial quarter Oct-Dec 2020) for a quarterly one, 2020/21 for an annual one. "
    "Import is all-or-nothing: one bad row and nothing is written (exit code 1). Imported "
    "values are recorded as approved, with --user as the approver. Exit code 2: unknown "
    "partnership or login, or a file that cannot be read."
)

PEERS_EPILOG = (
    "CSV columns, all required: " + ", ".join(PEER_COLUMNS) + ". indicator is the "
    "indicator's code; period as for import-values, matching the indicator's frequency; "
    "area_code the peer area's GSS code (e.g. E22000340); area_name its name; count a whole "
    "number, 0 or more; population a whole number above 0 (1,234 is allowed). Import is "
    "all-or-nothing: one bad row and nothing is written (exit code 1). Each indicator in the "
    "file that compares with no peer group is linked to --group; one that already compares "
    "with another group is a bad row. Exit code 2: unknown partnership, a bad --group, or a "
    "file that cannot be read."
)

REPORT_EPILOG = ("Exit codes: 0 written; 1 the report cannot be built or written (no "
                 "indicators, a file error); 2 bad arguments (unknown period, partnership or "
                 "login).")


def _partnership(slug: str | None, *, only_one: bool = False):
    """The partnership named by slug; with only_one and no slug, the only one there is."""
    from saferplaces.partnership.models import Partnership

    def slugs() -> str:
        return ", ".join(Partnership.objects.order_by("slug")
                         .values_list("slug", flat=True)) or "none"

    if slug:
        found = Partnership.objects.filter(slug=slug).first()
        if found is None:
            raise UsageError(f"No partnership {slug!r}. Partnerships: {slugs()}")
        return found
    if not only_one:
        return None
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) == 1:
        return partnerships[0]
    if not partnerships:
        raise UsageError("There is no partnership yet (try: saferplaces demo).")
    raise UsageError(f"Say which partnership with --partnership: {slugs()}")


def _approver(username: str | None, partnership):
    from saferplaces.partnership.models import Partnership

    user = login_named(username)
    if user is None:
        return user
    if not Partnership.objects.administered_by(user).filter(pk=partnership.pk).exists():
        raise UsageError(f"{username!r} is not an administrator of {partnership.name}, so cannot "
                    "approve values.")
    return user


def _partnership_option(parser: Any, help: str, required: bool = True) -> None:
    parser.add_argument("--partnership", required=required, metavar="SLUG", help=help)


class ImportValues:
    help = "Create or update indicator values from a CSV file."
    description = (
        "Create or update a partnership's indicator values from a CSV file, keyed by "
        "indicator and period. Every row is validated first; any bad row means nothing is "
        "written, every bad row is reported as 'FILE: line N: reason' and the exit code is 1.")
    epilog = IMPORT_EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file to read.")
        _partnership_option(parser, "The partnership whose indicators the codes refer to.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate only; write nothing.")
        parser.add_argument("--user", metavar="LOGIN",
                            help="Login recorded as the approver and author of the changes "
                                 "(an administrator of the partnership, or a superuser).")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.performance import importing

        path = options["file"]
        partnership = _partnership(options["partnership"])
        user = _approver(options.get("user"), partnership)
        result = importing.import_values(partnership, read_input(path), user=user,
                                         dry_run=options["dry_run"],
                                         source_name=Path(path).name, file=path)
        return report_import(result, out, err)


class ImportPeers:
    help = "Load a peer group's figures (counts and populations) from a CSV file."
    description = (
        "Load peer areas' counts and populations for a partnership's indicators into a peer "
        "group (such as a most similar group of CSPs), for the funnel-plot comparison on the "
        "scorecard. The group and its members are created as needed; values are keyed by "
        "indicator, area and period. Every row is validated first; any bad row means nothing "
        "is written, every bad row is reported as 'FILE: line N: reason' and the exit code "
        "is 1.")
    epilog = PEERS_EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file to read.")
        _partnership_option(parser, "The partnership whose indicators the codes refer to.")
        parser.add_argument("--group", required=True, metavar="NAME",
                            help="The partnership's peer group to load (created if new).")
        parser.add_argument("--description", metavar="TEXT",
                            help="Set the peer group's description.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate only; write nothing.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.performance import importing
        from saferplaces.performance.models import PeerGroup

        path = options["file"]
        partnership = _partnership(options["partnership"])
        group = options["group"].strip()
        limit = PeerGroup._meta.get_field("name").max_length
        if not group:
            raise UsageError("--group needs a name.")
        if len(group) > limit:
            raise UsageError(f"--group is longer than {limit} characters.")
        description = options.get("description")
        if description is not None:
            description = description.strip()
        result = importing.import_peers(partnership, read_input(path), group,
                                        description=description, dry_run=options["dry_run"],
                                        source_name=Path(path).name, file=path)
        return report_import(result, out, err, label=f"{group}: ")


class Recompute:
    help = "Recompute computed indicators from the evidence base."
    description = ("Recompute every computed indicator's values for the complete periods "
                   "with crime data, and print how many values changed. Exit code 1, naming "
                   "them, when some cannot be recomputed (harm with no weight table loaded).")

    @staticmethod
    def add_arguments(parser: Any) -> None:
        _partnership_option(parser, "Only this partnership (default: all).", required=False)

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.performance import compute

        problems: list[str] = []
        changed = compute.recompute_all(_partnership(options.get("partnership")), problems)
        if problems:
            err.write("Not recomputed: " + "; ".join(problems))
            return REFUSED
        out.write(f"{changed} value(s) changed.")
        return OK


class List:
    help = "List a partnership's indicators with their latest values."
    description = ("List a partnership's indicators: code, name, source, frequency, and the "
                   "latest value that counts (computed or approved) with its period.")

    @staticmethod
    def add_arguments(parser: Any) -> None:
        _partnership_option(parser, "The partnership to list.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        partnership = _partnership(options["partnership"])
        rows = indicator_rows(partnership)
        if not rows:
            out.write(f"{partnership.name} has no indicators.")
            return OK
        rows.insert(0, ("code", "name", "source", "frequency", "latest", "period"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        widths[1] = min(widths[1], 50)
        for row in rows:
            cells = list(row)
            if len(cells[1]) > widths[1]:
                cells[1] = cells[1][:widths[1] - 1] + "…"
            out.write("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
                      .rstrip())
        return OK


def indicator_rows(partnership) -> list[tuple[str, ...]]:
    """One row of text per indicator: code, name, source, frequency, latest value, period."""
    from saferplaces.performance.models import COUNTING_STATUSES, Indicator, IndicatorValue

    latest = {}
    for value in (IndicatorValue.objects
                  .filter(indicator__partnership=partnership, status__in=COUNTING_STATUSES)
                  .order_by("indicator_id", "-period_end")):
        latest.setdefault(value.indicator_id, value)
    rows = []
    for indicator in Indicator.objects.filter(partnership=partnership).order_by("code"):
        value = latest.get(indicator.pk)
        rows.append((indicator.code, indicator.name, indicator.source, indicator.frequency,
                     format_number(value.value if value else None, missing="-"),
                     value.period if value else "-"))
    return rows



class Board:
    help = "The board performance report for a quarter."
    description = (
        "Write the board performance report for a financial quarter. If the report for that "
        "period has been issued, its frozen PDF or HTML is written exactly as issued. "
        "Otherwise a draft is built from the current data; --issue issues it (freezing and "
        "saving it) first.")
    epilog = REPORT_EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--period", required=True, help="Financial quarter, e.g. 2020-Q3 "
                            "(Oct-Dec 2020) or '2020/21 Q3'.")
        _partnership_option(parser, "Partnership slug (needed when there is more than one).",
                            required=False)
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf",
                            help="Output format (default: pdf).")
        parser.add_argument("--output", required=True, help="File to write.")
        parser.add_argument("--issue", action="store_true",
                            help="Issue the report (freeze its figures) if not issued yet.")
        parser.add_argument("--user", help="Login name recorded as the issuer (with --issue).")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.performance import report

        partnership = _partnership(options.get("partnership"), only_one=True)
        try:
            period = report.report_period(options["period"])
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        user = login_named(options.get("user"))
        found = report.issued_report(partnership, period)
        if found is not None:
            note = " (already issued: nothing to issue)" if options["issue"] else ""
            return _write_report(found.html, bytes(found.pdf), options, out, err,
                                 f"Wrote {found.title} for {partnership.short_name}, issued "
                                 f"on {found.snapshot['issue']['text']}, frozen{note}")
        out.write(f"Building the board report for {partnership.short_name}, {period.label}, "
                  "from current data...")
        try:
            if options["issue"]:
                issued = report.issue(report.draft_record(partnership, period), user)
                return _write_report(issued.html, bytes(issued.pdf), options, out, err,
                                     f"Issued {issued.title} on "
                                     f"{issued.snapshot['issue']['text']}; figures frozen. "
                                     "Wrote")
            built = report.draft(partnership, period)
            html = report.render_html(built.snapshot)
            pdf = report.render_pdf(html) if options["format"] == "pdf" else b""
        except report.ReportError as exc:
            err.write(str(exc))
            return REFUSED
        return _write_report(html, pdf, options, out, err,
                             f"Wrote a DRAFT of {built.title} (not issued; the figures may "
                             "change; --issue freezes them)")


def _write_report(html: str, pdf: bytes, options: dict[str, Any], out: Any, err: Any,
                  done: str) -> int:
    """Write the report in the format asked for, then say `done` and where."""
    data = pdf if options["format"] == "pdf" else html.encode("utf-8")
    if not write_output(options["output"], data, err):
        return REFUSED
    out.write(f"{done}: {options['output']}")
    return OK
