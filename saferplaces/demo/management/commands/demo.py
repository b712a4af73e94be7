"""saferplaces demo: load the Safer Wolverhampton Partnership demonstration."""

from typing import Any

from saferplaces.core.commands import OK, REFUSED, SingleCommand
from saferplaces.demo.wolverhampton import DEMO_PASSWORD


class Command(SingleCommand):
    help = (
        "Load the Safer Wolverhampton Partnership demonstration: its 2017-2020 and 2020-2023 "
        "strategies, board, organisations, the illustrative 2020/21 action plan and demo "
        "logins. Safe to run again: existing demo data is refreshed, nothing is duplicated."
    )
    epilog = "Exit codes: 0 loaded; 1 the demonstration data could not be loaded."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Password to set on every demo login "
                            f"(default for new logins: {DEMO_PASSWORD}).")
        parser.add_argument("--no-migrate", action="store_true",
                            help="Do not create or update the database tables first.")
        parser.add_argument("--skip-evidence", action="store_true",
                            help="Do not load geography and crime data (faster; the evidence "
                            "pages then say what is missing).")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from django.core.management import call_command

        from saferplaces.demo.evidence import DemoDataError
        from saferplaces.demo.loader import DemoError, load_demo

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_demo(options["password"], evidence=not options["skip_evidence"])
        except (DemoError, DemoDataError) as exc:
            err.write(str(exc))
            return REFUSED
        plan = result.plan
        out.write(f"Loaded {result.partnership.name}: {plan.strategy.title}, {plan} "
                  f"({plan.actions.count()} illustrative actions).")
        if result.evidence:
            out.write("Evidence loaded: " + ", ".join(
                f"{n} {what}" for what, n in result.evidence.items())
                + " (simulated months are labelled wherever they show).")
        if result.consultation:
            out.write("Consultation loaded: " + ", ".join(
                f"{n} {what}" for what, n in result.consultation.items())
                + " (illustrative answers, labelled so).")
        if result.committee:
            out.write("Committee report loaded: the founding report, issued (its route's "
                      "decisions are illustrative).")
        out.write("Demo logins (user name: role):")
        for username, role in result.users.items():
            out.write(f"  {username}: {role}")
        if result.password_set:
            out.write("Password: the one you gave with --password.")
        else:
            out.write(f"Password for new demo logins: {DEMO_PASSWORD} "
                      "(logins that existed before keep their password).")
        return OK
