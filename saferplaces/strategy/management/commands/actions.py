"""saferplaces actions export|import: action plans as CSV."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saferplaces.strategy import services
from saferplaces.strategy.action_csv import COLUMNS
from saferplaces.strategy.models import ActionPlan

EPILOG = (
    "CSV columns: " + ", ".join(COLUMNS) + ". Required: reference, title, lead_organisation, "
    "due_date, status. Lists (aims, partner_organisations) are separated by ';'. Aims are "
    "codes such as 2.3 (priority 2, aim 3); organisations are short or full names; dates are "
    "YYYY-MM-DD or DD/MM/YYYY. Import is all-or-nothing: one bad row and nothing is written."
)


class Command(BaseCommand):
    help = "Export an action plan to CSV, or import actions from CSV into a plan."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, epilog=EPILOG, **kwargs)
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True, metavar="{export,import}")
        export = sub.add_parser("export", help="Write a plan's actions to a CSV file.",
                                description="Write a plan's actions to a CSV file.",
                                epilog=EPILOG)
        export.add_argument("--plan", type=int, required=True, help="Action plan id.")
        export.add_argument("--output", required=True,
                            help="File to write, or - for standard output.")
        imp = sub.add_parser("import", help="Create or update a plan's actions from a CSV file.",
                             description="Create or update a plan's actions from a CSV file. "
                             "Every row is validated first; any bad row means nothing is "
                             "written and the exit code is 1.", epilog=EPILOG)
        imp.add_argument("file", help="CSV file to read.")
        imp.add_argument("--plan", type=int, required=True, help="Action plan id.")
        imp.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        imp.add_argument("--user", help="Login name to record as the author of the changes.")

    def handle(self, *args, operation, plan, **options):
        found = ActionPlan.objects.select_related("strategy__partnership").filter(pk=plan).first()
        if found is None:
            raise CommandError(f"No action plan with id {plan}. Plans: {self._plan_list()}")
        if operation == "export":
            self._export(found, options["output"])
        else:
            self._import(found, options["file"], options["dry_run"], options.get("user"))

    def _plan_list(self) -> str:
        plans = ActionPlan.objects.select_related("strategy__partnership").order_by("pk")
        return "; ".join(f"{p.pk} = {p.strategy.partnership.short_name} {p.year_label}"
                         for p in plans) or "none"

    def _export(self, plan, output):
        text = services.export_actions(plan)
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        count = text.count("\n") - 1
        self.stderr.write(f"Wrote {count} action(s) of {plan.strategy.partnership.short_name} "
                          f"{plan} to {output}.")

    def _import(self, plan, path, dry_run, username):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No login called {username!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        result = services.import_actions(plan, data, user=user, dry_run=dry_run)
        for error in result.errors:
            self.stderr.write(f"{path}: {error}")
        if result.errors:
            self.stderr.write(self.style.ERROR(f"{path}: {result.summary()}"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{path}: {result.summary()}"))
