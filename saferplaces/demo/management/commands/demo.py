"""saferplaces demo: load the Safer Wolverhampton Partnership demonstration."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, password, no_migrate, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_demo(password)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        plan = result.plan
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {result.partnership.name}: {plan.strategy.title}, {plan} "
            f"({plan.actions.count()} illustrative actions)."))
        self.stdout.write("Demo logins (user name: role):")
        for username, role in result.users.items():
            self.stdout.write(f"  {username}: {role}")
        if result.password_set:
            self.stdout.write("Password: the one you gave with --password.")
        else:
            self.stdout.write(f"Password for new demo logins: {swp_default_password()} "
                              "(logins that existed before keep their password).")
