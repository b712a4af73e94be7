"""saferplaces demo: load the Safer Wolverhampton Partnership demonstration."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from saferplaces.demo.evidence import DemoDataError
from saferplaces.demo.loader import DemoError, load_demo, swp_default_password


class Command(BaseCommand):
    help = (
        "Load the Safer Wolverhampton Partnership demonstration: its 2017-2020 and 2020-2023 "
        "strategies, board, organisations, the illustrative 2020/21 action plan and demo "
        "logins. Safe to run again: existing demo data is refreshed, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password to set on every demo login "
                            f"(default for new logins: {swp_default_password()}).")
        parser.add_argument("--no-migrate", action="store_true",
                            help="Do not create or update the database tables first.")
        parser.add_argument("--skip-evidence", action="store_true",
                            help="Do not load geography and crime data (faster; the evidence "
                            "pages then say what is missing).")

    def handle(self, *args, password, no_migrate, skip_evidence, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_demo(password, evidence=not skip_evidence)
        except (DemoError, DemoDataError) as exc:
            raise CommandError(str(exc)) from exc
        plan = result.plan
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {result.partnership.name}: {plan.strategy.title}, {plan} "
            f"({plan.actions.count()} illustrative actions)."))
        if result.evidence:
            self.stdout.write("Evidence loaded: " + ", ".join(
                f"{n} {what}" for what, n in result.evidence.items())
                + " (simulated months are labelled wherever they show).")
        self.stdout.write("Demo logins (user name: role):")
        for username, role in result.users.items():
            self.stdout.write(f"  {username}: {role}")
        if result.password_set:
            self.stdout.write("Password: the one you gave with --password.")
        else:
            self.stdout.write(f"Password for new demo logins: {swp_default_password()} "
                              "(logins that existed before keep their password).")
