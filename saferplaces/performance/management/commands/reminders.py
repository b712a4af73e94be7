"""saferplaces reminders: email each person one digest of what they need to do."""

import datetime
from typing import Any

from saferplaces.core.commands import OK, REFUSED, USAGE_ERROR, SingleCommand
from saferplaces.performance import reminders


class Command(SingleCommand):
    help = "Email each person one reminder digest of overdue actions and indicator values due."
    epilog = (
        "A digest lists open actions needing an update (overdue, or no update for the "
        "partnership's update interval) that the person leads or their organisation leads, "
        "partner-submitted indicator values their organisation owes (more than 30 days after "
        "the period ends), and for administrators the values awaiting approval. People with "
        "nothing due get no email. Emails go through the configured EMAIL_BACKEND. Exit "
        "codes: 0 sent; 1 some digest could not be sent; 2 bad --today or unknown "
        "partnership. See docs/reminders.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Print who would get what; send nothing.")
        parser.add_argument("--today", metavar="YYYY-MM-DD",
                            help="Judge what is overdue as on this date (default: each "
                                 "partnership's shown-as-at date, else today).")
        parser.add_argument("--partnership", metavar="SLUG",
                            help="Only this partnership (default: all).")
        parser.add_argument("--base-url", default=reminders.DEFAULT_BASE_URL, metavar="URL",
                            help="Start of the links in the emails, e.g. "
                                 "https://saferplaces.example.org (default: %(default)s).")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.partnership.models import Partnership

        try:
            # None: each partnership's own clock (its shown-as-at date, else today)
            day = (datetime.date.fromisoformat(options["today"]) if options["today"]
                   else None)
        except ValueError:
            err.write(f"--today {options['today']!r} is not a date (use YYYY-MM-DD)")
            return USAGE_ERROR
        scope = None
        if options["partnership"]:
            scope = Partnership.objects.filter(slug=options["partnership"]).first()
            if scope is None:
                slugs = ", ".join(Partnership.objects.order_by("slug")
                                  .values_list("slug", flat=True))
                err.write(f"No partnership {options['partnership']!r}. "
                          f"Partnerships: {slugs or 'none'}")
                return USAGE_ERROR
        digests = reminders.build_digests(day, scope, base_url=options["base_url"])
        sendable = [d for d in digests if d.email]
        for digest in digests:
            if not digest.email:
                err.write(f"Skipped {digest.username}: no email address "
                          f"({digest.counts_text()}).")
        if options["dry_run"]:
            for digest in sendable:
                for line in reminders.dry_run_lines(digest):
                    out.write(line)
            out.write(f"Dry run: {_digests(len(sendable))} would be sent.")
            return OK
        return self.send(sendable, options["verbosity"], out, err)

    def send(self, digests: list, verbosity: int, out: Any, err: Any) -> int:
        from django.core.mail import get_connection

        sent, failed = 0, 0
        connection = get_connection()
        for digest in digests:
            try:
                reminders.email_message(digest, connection=connection).send()
            except Exception as exc:  # report it and carry on with the others
                failed += 1
                err.write(f"Could not send to {digest.email} ({digest.username}): {exc}")
                continue
            sent += 1
            if verbosity > 1:
                out.write(f"Sent to {digest.email} ({digest.username}): "
                          f"{digest.counts_text()}")
        out.write(f"{_digests(sent)} sent.")
        if failed:
            err.write(f"{_digests(failed)} could not be sent.")
            return REFUSED
        return OK


def _digests(count: int) -> str:
    return f"{count} digest" if count == 1 else f"{count} digests"
