"""saferplaces reminders: email each person one digest of what they need to do."""

import datetime
import sys

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError

from saferplaces.partnership.models import Partnership
from saferplaces.performance import reminders

EPILOG = (
    "A digest lists open actions needing an update (overdue, or no update for the "
    "partnership's update interval) that the person leads or their organisation leads, "
    "partner-submitted indicator values their organisation owes (more than 30 days after the "
    "period ends), and for administrators the values awaiting approval. People with nothing "
    "due get no email. Emails go through the configured EMAIL_BACKEND. See docs/reminders.md."
)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today {text!r} is not a date (use YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Email each person one reminder digest of overdue actions and indicator values due."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, epilog=EPILOG, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Print who would get what; send nothing.")
        parser.add_argument("--today", metavar="YYYY-MM-DD",
                            help="Judge what is overdue as on this date (default: today).")
        parser.add_argument("--partnership", metavar="SLUG",
                            help="Only this partnership (default: all).")
        parser.add_argument("--base-url", default=reminders.DEFAULT_BASE_URL, metavar="URL",
                            help="Start of the links in the emails, e.g. "
                                 "https://saferplaces.example.org (default: %(default)s).")

    def handle(self, *args, dry_run, today, partnership, base_url, **options):
        day = _date(today) if today else datetime.date.today()
        scope = None
        if partnership:
            scope = Partnership.objects.filter(slug=partnership).first()
            if scope is None:
                slugs = ", ".join(Partnership.objects.order_by("slug")
                                  .values_list("slug", flat=True))
                raise CommandError(f"No partnership {partnership!r}. "
                                   f"Partnerships: {slugs or 'none'}")
        digests = reminders.build_digests(day, scope, base_url=base_url)
        sendable = [d for d in digests if d.email]
        for digest in digests:
            if not digest.email:
                self.stderr.write(f"Skipped {digest.username}: no email address "
                                  f"({digest.counts_text()}).")
        if dry_run:
            for digest in sendable:
                for line in reminders.dry_run_lines(digest):
                    self.stdout.write(line)
            self.stdout.write(f"Dry run: {_digests(len(sendable))} would be sent.")
            return
        sent, failed = 0, 0
        connection = get_connection()
        for digest in sendable:
            try:
                reminders.email_message(digest, connection=connection).send()
            except Exception as exc:  # report it and carry on with the others
                failed += 1
                self.stderr.write(self.style.ERROR(
                    f"Could not send to {digest.email} ({digest.username}): {exc}"))
                continue
            sent += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"Sent to {digest.email} ({digest.username}): "
                                  f"{digest.counts_text()}")
        self.stdout.write(self.style.SUCCESS(f"{_digests(sent)} sent."))
        if failed:
            self.stderr.write(self.style.ERROR(f"{_digests(failed)} could not be sent."))
            sys.exit(1)


def _digests(count: int) -> str:
    return f"{count} digest" if count == 1 else f"{count} digests"
