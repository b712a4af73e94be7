"""saferplaces actions export|import: action plans as CSV (sub-commands of `actions`, in the
shape `saferplaces.core.commands` describes)."""

from __future__ import annotations

from typing import Any

from saferplaces.core.commands import (
    OK,
    REFUSED,
    USAGE_ERROR,
    handles_usage_errors,
    login_named,
    read_input,
    report_import,
    write_output,
)
from saferplaces.strategy.action_csv import COLUMNS

EPILOG = (
    "CSV columns: " + ", ".join(COLUMNS) + ". Required: reference, title, lead_organisation, "
    "due_date, status. Lists (aims, partner_organisations) are separated by ';'. Aims are "
    "codes such as 2.3 (priority 2, aim 3); organisations are short or full names; dates are "
    "YYYY-MM-DD or DD/MM/YYYY. Import is all-or-nothing: one bad row and nothing is written. "
    "Exit codes: 0 done; 1 a row refused (nothing written); 2 unknown plan or login, or a "
    "file that cannot be read."
)


def _plan(plan_id: int, err: Any):
    """The action plan, or None after saying which plans there are."""
    from saferplaces.strategy.models import ActionPlan

    plans = ActionPlan.objects.select_related("strategy__partnership")
    found = plans.filter(pk=plan_id).first()
    if found is None:
        known = "; ".join(f"{p.pk} = {p.strategy.partnership.short_name} {p.year_label}"
                          for p in plans.order_by("pk")) or "none"
        err.write(f"No action plan with id {plan_id}. Plans: {known}")
    return found


class Export:
    help = "Write a plan's actions to a CSV file."
    epilog = EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--plan", type=int, required=True, help="Action plan id.")
        parser.add_argument("--output", required=True,
                            help="File to write, or - for standard output.")

    @staticmethod
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.strategy import services

        plan = _plan(options["plan"], err)
        if plan is None:
            return USAGE_ERROR
        text = services.export_actions(plan)
        output = options["output"]
        if output == "-":
            out.write(text, ending="")
            return OK
        if not write_output(output, text.encode("utf-8"), err):
            return REFUSED
        count = text.count("\n") - 1
        err.write(f"Wrote {count} action(s) of {plan.strategy.partnership.short_name} "
                  f"{plan} to {output}.")
        return OK


class Import:
    help = "Create or update a plan's actions from a CSV file."
    description = ("Create or update a plan's actions from a CSV file. Every row is validated "
                   "first; any bad row means nothing is written and the exit code is 1.")
    epilog = EPILOG

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file to read.")
        parser.add_argument("--plan", type=int, required=True, help="Action plan id.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate only; write nothing.")
        parser.add_argument("--user", help="Login name to record as the author of the changes.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.strategy import services

        plan = _plan(options["plan"], err)
        if plan is None:
            return USAGE_ERROR
        user = login_named(options.get("user"))
        path = options["file"]
        result = services.import_actions(plan, read_input(path), user=user,
                                         dry_run=options["dry_run"], file=path)
        return report_import(result, out, err)
