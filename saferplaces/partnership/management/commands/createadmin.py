"""saferplaces createadmin: create a login, optionally a partnership administrator."""

import getpass
import os
import sys
from typing import Any

from saferplaces.core.commands import OK, REFUSED, USAGE_ERROR, SingleCommand


class Command(SingleCommand):
    help = (
        "Create a login. With --partnership SLUG it becomes that partnership's administrator; "
        "without, a site superuser (who can use /admin/ and administer every partnership). "
        "The password comes from --password, the SAFERPLACES_ADMIN_PASSWORD variable, or a prompt."
    )
    epilog = ("Exit codes: 0 created; 1 refused (the login exists, the password fails the "
              "password rules or the two typed differ); 2 unknown partnership, or no password "
              "given and no terminal to ask at.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True, help="Login name.")
        parser.add_argument("--email", default="", help="Email address (for password resets).")
        parser.add_argument("--password", help="Password (prefer the prompt or the variable).")
        parser.add_argument("--partnership", help="Slug of the partnership to administer.")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError
        from django.db import transaction

        from saferplaces.partnership.models import Membership, Partnership, Role

        username, slug = options["username"], options["partnership"]
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            err.write(f"A login called {username!r} already exists.")
            return REFUSED
        target = None
        if slug:
            target = Partnership.objects.filter(slug=slug).first()
            if target is None:
                known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
                err.write(f"No partnership {slug!r} (known: {known}).")
                return USAGE_ERROR
        password = options["password"] or os.environ.get("SAFERPLACES_ADMIN_PASSWORD")
        if not password:
            if not sys.stdin.isatty():
                err.write("No password given: use --password or SAFERPLACES_ADMIN_PASSWORD.")
                return USAGE_ERROR
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                err.write("The passwords differ.")
                return REFUSED
        user = user_model(username=username, email=options["email"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            err.write("Password refused: " + " ".join(exc.messages))
            return REFUSED
        with transaction.atomic():
            user.set_password(password)
            user.is_staff = user.is_superuser = target is None
            user.save()
            if target is not None:
                Membership.objects.create(user=user, partnership=target, role=Role.ADMIN)
        what = f"administrator of {target}" if target else "superuser"
        out.write(f"Created {username} ({what}).")
        return OK

