"""saferplaces report board: the board performance report for a quarter, as PDF or HTML."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saferplaces.partnership.models import Partnership
from saferplaces.performance import report
from saferplaces.performance.models import BoardReport

BOARD_HELP = (
    "Write the board performance report for a financial quarter. If the report for that "
    "period has been issued, its frozen PDF or HTML is written exactly as issued. Otherwise a "
    "draft is built from the current data; --issue issues it (freezing and saving it) first."
)
EPILOG = ("Exit codes: 0 written; 1 the report cannot be built or written (no indicators, a "
          "file error); 2 bad arguments (unknown period, partnership or login).")


class Command(BaseCommand):
    help = "Reports: 'report board' writes the board performance report (PDF or HTML)."
    requires_system_checks = []  # a report writer: the checks only slow it down

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{board}")
        board = sub.add_parser("board", help="The board performance report for a quarter.",
                               description=BOARD_HELP, epilog=EPILOG)
        board.add_argument("--period", required=True,
                           help="Financial quarter, e.g. 2020-Q3 (Oct-Dec 2020) or '2020/21 Q3'.")
        board.add_argument("--partnership",
                           help="Partnership slug (needed when there is more than one).")
        board.add_argument("--format", choices=["pdf", "html"], default="pdf",
                           help="Output format (default: pdf).")
        board.add_argument("--output", required=True, help="File to write.")
        board.add_argument("--issue", action="store_true",
                           help="Issue the report (freeze its figures) if not issued yet.")
        board.add_argument("--user", help="Login name recorded as the issuer (with --issue).")

    def handle(self, *args, kind, **options):
        partnership = self._partnership(options.get("partnership"))
        try:
            period = report.report_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        user = self._user(options.get("user"))
        found = report.issued_report(partnership, period)
        if found is not None:
            note = "" if not options["issue"] else " (already issued: nothing to issue)"
            self._write(found.html, bytes(found.pdf), options)
            self.stdout.write(self.style.SUCCESS(
                f"Wrote {found.title} for {partnership.short_name}, issued on "
                f"{found.snapshot['issue']['text']}, frozen{note}: {options['output']}"))
            return
        self.stdout.write(f"Building the board report for {partnership.short_name}, "
                          f"{period.label}, from current data...")
        try:
            if options["issue"]:
                self._issue(report.draft_record(partnership, period), user, options)
                return
            built = report.draft(partnership, period)
            html = report.render_html(built.snapshot)
            pdf = report.render_pdf(html) if options["format"] == "pdf" else b""
        except report.ReportError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self._write(html, pdf, options)
        self.stdout.write(self.style.WARNING(
            f"Wrote a DRAFT of {built.title} (not issued; the figures may change; --issue "
            f"freezes them): {options['output']}"))

    def _issue(self, built: BoardReport, user, options) -> None:
        issued = report.issue(built, user)
        self._write(issued.html, bytes(issued.pdf), options)
        self.stdout.write(self.style.SUCCESS(
            f"Issued {issued.title} on {issued.snapshot['issue']['text']}; figures frozen. "
            f"Wrote {options['output']}"))

    def _partnership(self, slug: str | None) -> Partnership:
        if slug:
            found = Partnership.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"No partnership {slug!r}. Partnerships: {self._slugs()}",
                                   returncode=2)
            return found
        partnerships = list(Partnership.objects.all()[:2])
        if len(partnerships) == 1:
            return partnerships[0]
        if not partnerships:
            raise CommandError("There is no partnership yet (try: saferplaces demo).",
                               returncode=2)
        raise CommandError(f"Say which partnership with --partnership: {self._slugs()}",
                           returncode=2)

    def _slugs(self) -> str:
        return ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login called {username!r}.", returncode=2)
        return user

    def _write(self, html: str, pdf: bytes, options) -> None:
        data = pdf if options["format"] == "pdf" else html.encode("utf-8")
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}",
                               returncode=1) from exc
