"""The `saferplaces` console script: a thin layer over Django's management commands."""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "demo": "Load (or refresh) the Safer Wolverhampton Partnership demonstration.",
    "serve": "Serve the web application (gunicorn; --dev for the auto-reloading server).",
    "migrate": "Create or update the database tables.",
    "createadmin": "Create a login, optionally as administrator of a partnership.",
    "actions": "Export or import an action plan as CSV (actions export / actions import).",
    "geo": "Load geography: boundaries, lookups, population and deprivation (IMD).",
    "crime": "police.uk crime data: import, fetch, summary, change, hotspots, repeats, "
             "outcomes, stop-search, harm weights.",
    "indicators": "Performance indicators: import values or peer data from CSV, recompute, "
                  "list.",
    "report": "Board performance report for a period, as PDF or HTML (report board).",
    "reminders": "Email each owner one digest of overdue action updates and indicator values.",
    "worker": "Run background jobs (serve starts one; run more on PostgreSQL).",
    "backup": "Back up the database to a file (safe while the server runs).",
    "restore": "Replace the database with a backup made by 'saferplaces backup'.",
    "assessment": "Strategic assessment: write it as HTML, PDF or Word (assessment report).",
    "consultation": "Consultations: erase expired personal data, export responses, load the "
                    "census profile, write the report.",
    "workshop": "Priority-setting workshops: print a workshop's ranking (workshop results).",
}


# The apps Django sets up for a command that needs fewer than all of them. Setup imports and
# builds every installed app's models, which is most of a short command's time. The `crime`
# command (import, fetch, summaries, weights) works on crime data and the computed indicators
# that follow it: performance and what lies below it in the layers (docs/architecture.md),
# except the web's background jobs, and none of the web's apps or the apps above.
# tests/test_command_apps.py proves the set is closed: the command's code imports nothing
# outside it, its models relate only to each other, no model outside it points at the rows
# the command writes, and no receiver outside it listens to its models or signals.
COMMAND_APPS = {
    "crime": (
        "saferplaces.core", "django.contrib.auth", "django.contrib.contenttypes",
        "simple_history", "saferplaces.areas", "saferplaces.partnership",
        "saferplaces.strategy", "saferplaces.crime", "saferplaces.performance",
    ),
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: saferplaces COMMAND [options]",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()),
        "",
        "Run 'saferplaces COMMAND --help' for a command's options. Every Django management",
        "command (check, shell, dbshell, ...) is also available;",
        "'saferplaces help --all' lists them.",
        "Settings come from environment variables: see docs/settings.md.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (docs/commands.md)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv in (["-h"], ["--help"], ["help"]):
        print(usage())
        return 0
    if argv == ["help", "--all"]:
        argv = ["help"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferplaces.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from saferplaces.config import ConfigError

    try:
        setup_django(argv[0])
        execute_from_command_line(["saferplaces", *argv])
    except (ImproperlyConfigured, ConfigError) as exc:
        print(f"saferplaces: configuration error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # how Django and argparse end a command that failed
        return exit_code(exc)
    return 0


def setup_django(command: str | None = None) -> None:
    """Django's setup (settings, apps, models) with the garbage collector paused, for just
    the apps `command` needs when COMMAND_APPS names them.

    Setup creates some hundred thousand long-lived objects (model classes, fields, history
    models, URL and form machinery) and no garbage worth collecting; left on, the collector
    walks them again and again while they are made, about a tenth of a short command's time.
    Afterwards they are frozen (moved out of the collector's view, gc.freeze) and collection
    resumes as normal for the command's own work. `execute_from_command_line` calls setup
    again; the second call finds the apps ready and returns at once.
    """
    import gc

    import django
    from django.apps import apps

    if command in COMMAND_APPS and not apps.ready:  # once set up (tests, shell), it stays so
        from django.conf import settings

        needed = COMMAND_APPS[command]
        settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app in needed]
    gc.disable()
    try:
        django.setup()
    finally:
        gc.freeze()
        gc.enable()


def exit_code(exc: SystemExit) -> int:
    """The exit status a SystemExit stands for, as the interpreter would report it."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
