"""saferplaces createadmin: create a login, optionally a partnership administrator."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saferplaces.partnership.models import Membership, Partnership, Role


class Command(BaseCommand):
    help = (
        "Create a login. With --partnership SLUG it becomes that partnership's administrator; "
        "without, a site superuser (who can use /admin/ and administer every partnership). "
        "The password comes from --password, the SAFERPLACES_ADMIN_PASSWORD variable, or a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="Login name.")
        parser.add_argument("--email", default="", help="Email address (for password resets).")
        parser.add_argument("--password", help="Password (prefer the prompt or the variable).")
        parser.add_argument("--partnership", help="Slug of the partnership to administer.")

    def handle(self, *args, username, email, password, partnership, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A login called {username!r} already exists.")
        target = None
        if partnership:
            target = Partnership.objects.filter(slug=partnership).first()
            if target is None:
                known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"No partnership {partnership!r} (known: {known}).")
        password = password or os.environ.get("SAFERPLACES_ADMIN_PASSWORD") or self._prompt()
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.is_staff = user.is_superuser = target is None
            user.save()
            if target is not None:
                Membership.objects.create(user=user, partnership=target, role=Role.ADMIN)
        what = f"administrator of {target}" if target else "superuser"
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({what})."))

    def _prompt(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError("No password given: use --password or SAFERPLACES_ADMIN_PASSWORD.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The passwords differ.")
        return first
