"""saferplaces indicators import-values|import-peers|recompute|list: the performance
framework's values and peer data."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saferplaces.core.numbers import format_number
from saferplaces.partnership.models import Membership, Partnership, Role
from saferplaces.performance import compute, importing
from saferplaces.performance.models import (
    COUNTING_STATUSES,
    Indicator,
    IndicatorValue,
    PeerGroup,
)
from saferplaces.performance.value_csv import COLUMNS, PEER_COLUMNS

IMPORT_EPILOG = (
    "CSV columns: " + ", ".join(COLUMNS) + ". Required: indicator (the indicator's code), "
    "period, value. Periods: 2020-09 for a monthly indicator, 2020-Q3 or 2020/21 Q3 (the "
    "financial quarter Oct-Dec 2020) for a quarterly one, 2020/21 for an annual one. "
    "Import is all-or-nothing: one bad row and nothing is written (exit code 1). Imported "
    "values are recorded as approved, with --user as the approver."
)

PEERS_EPILOG = (
    "CSV columns, all required: " + ", ".join(PEER_COLUMNS) + ". indicator is the "
    "indicator's code; period as for import-values, matching the indicator's frequency; "
    "area_code the peer area's GSS code (e.g. E22000340); area_name its name; count a whole "
    "number, 0 or more; population a whole number above 0 (1,234 is allowed). Import is "
    "all-or-nothing: one bad row and nothing is written (exit code 1). Each indicator in the "
    "file that compares with no peer group is linked to --group; one that already compares "
    "with another group is a bad row."
)


def _partnership(slug: str) -> Partnership:
    found = Partnership.objects.filter(slug=slug).first()
    if found is None:
        slugs = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No partnership {slug!r}. Partnerships: {slugs or 'none'}")
    return found


class Command(BaseCommand):
    help = ("Indicator values: import them from CSV, import peer groups' figures, recompute "
            "the computed ones from the evidence base, or list a partnership's indicators.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True,
                                    metavar="{import-values,import-peers,recompute,list}")
        imp = sub.add_parser(
            "import-values", help="Create or update indicator values from a CSV file.",
            description="Create or update a partnership's indicator values from a CSV file, "
            "keyed by indicator and period. Every row is validated first; any bad row means "
            "nothing is written, every bad row is reported as 'FILE: line N: reason' and the "
            "exit code is 1.", epilog=IMPORT_EPILOG)
        imp.add_argument("file", help="CSV file to read.")
        imp.add_argument("--partnership", required=True, metavar="SLUG",
                         help="The partnership whose indicators the codes refer to.")
        imp.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        imp.add_argument("--user", metavar="LOGIN",
                         help="Login recorded as the approver and author of the changes "
                              "(an administrator of the partnership, or a superuser).")
        peers = sub.add_parser(
            "import-peers", help="Load a peer group's figures (counts and populations) from a "
            "CSV file.",
            description="Load peer areas' counts and populations for a partnership's "
            "indicators into a peer group (such as a most similar group of CSPs), for the "
            "funnel-plot comparison on the scorecard. The group and its members are created "
            "as needed; values are keyed by indicator, area and period. Every row is validated "
            "first; any bad row means nothing is written, every bad row is reported as "
            "'FILE: line N: reason' and the exit code is 1.", epilog=PEERS_EPILOG)
        peers.add_argument("file", help="CSV file to read.")
        peers.add_argument("--partnership", required=True, metavar="SLUG",
                           help="The partnership whose indicators the codes refer to.")
        peers.add_argument("--group", required=True, metavar="NAME",
                           help="The partnership's peer group to load (created if new).")
        peers.add_argument("--description", metavar="TEXT",
                           help="Set the peer group's description.")
        peers.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        recompute = sub.add_parser(
            "recompute", help="Recompute computed indicators from the evidence base.",
            description="Recompute every computed indicator's values for the complete "
            "periods with crime data, and print how many values changed.")
        recompute.add_argument("--partnership", metavar="SLUG",
                               help="Only this partnership (default: all).")
        listing = sub.add_parser(
            "list", help="List a partnership's indicators with their latest values.",
            description="List a partnership's indicators: code, name, source, frequency, and "
            "the latest value that counts (computed or approved) with its period.")
        listing.add_argument("--partnership", required=True, metavar="SLUG",
                             help="The partnership to list.")

    def handle(self, *args, operation, **options):
        if operation == "import-values":
            self._import(options["file"], _partnership(options["partnership"]),
                         options["dry_run"], options.get("user"))
        elif operation == "import-peers":
            self._import_peers(options["file"], _partnership(options["partnership"]),
                               options["group"], options.get("description"),
                               options["dry_run"])
        elif operation == "recompute":
            slug = options.get("partnership")
            partnership = _partnership(slug) if slug else None
            problems: list[str] = []
            changed = compute.recompute_all(partnership, problems)
            self.stdout.write(self.style.SUCCESS(f"{changed} value(s) changed."))
            if problems:
                raise CommandError("Not recomputed: " + "; ".join(problems))
        else:
            self._list(_partnership(options["partnership"]))

    def _approver(self, username: str, partnership: Partnership):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login called {username!r}.")
        is_admin = Membership.objects.filter(user=user, partnership=partnership,
                                             role=Role.ADMIN).exists()
        if not (is_admin or user.is_superuser):
            raise CommandError(f"{username!r} is not an administrator of {partnership.name}, "
                               "so cannot approve values.")
        return user

    def _import(self, path, partnership, dry_run, username):
        user = self._approver(username, partnership) if username else None
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        result = importing.import_values(partnership, data, user=user, dry_run=dry_run,
                                         source_name=Path(path).name)
        for error in result.errors:
            self.stderr.write(f"{path}: {error}")
        if result.errors:
            self.stderr.write(self.style.ERROR(f"{path}: {result.summary()}"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{path}: {result.summary()}"))

    def _import_peers(self, path, partnership, group, description, dry_run):
        group = group.strip()
        limit = PeerGroup._meta.get_field("name").max_length
        if not group:
            raise CommandError("--group needs a name.")
        if len(group) > limit:
            raise CommandError(f"--group is longer than {limit} characters.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if description is not None:
            description = description.strip()
        result = importing.import_peers(partnership, data, group, description=description,
                                        dry_run=dry_run, source_name=Path(path).name)
        for error in result.errors:
            self.stderr.write(f"{path}: {error}")
        if result.errors:
            self.stderr.write(self.style.ERROR(f"{path}: {result.summary()}"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{path}: {group}: {result.summary()}"))

    def _list(self, partnership):
        indicators = list(Indicator.objects.filter(partnership=partnership).order_by("code"))
        latest = {}
        for value in (IndicatorValue.objects
                      .filter(indicator__partnership=partnership, status__in=COUNTING_STATUSES)
                      .order_by("indicator_id", "-period_end")):
            latest.setdefault(value.indicator_id, value)
        if not indicators:
            self.stdout.write(f"{partnership.name} has no indicators.")
            return
        rows = [("code", "name", "source", "frequency", "latest", "period")]
        for indicator in indicators:
            value = latest.get(indicator.pk)
            rows.append((indicator.code, indicator.name, indicator.source,
                         indicator.frequency,
                         format_number(value.value if value else None, missing="-"),
                         value.period if value else "-"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        widths[1] = min(widths[1], 50)
        for row in rows:
            cells = list(row)
            if len(cells[1]) > widths[1]:
                cells[1] = cells[1][:widths[1] - 1] + "…"
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
                              .rstrip())
