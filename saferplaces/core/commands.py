"""The one shape of a saferplaces management command, and its exit codes.

A command's options and work live in a *command module* (or a class shaped like one): `help`,
optionally `epilog`, `description` and `formatter_class`, `add_arguments(parser)` and
`run(options, out, err) -> int`, which returns the exit code. A command module keeps its heavy
imports (pandas, scipy, altair, shapely, weasyprint, the analytics) inside `run()`, so that
`--help` loads none of them.

The management command file only names its modules:

    class Command(SubcommandsCommand):   # saferplaces crime import|summary|...
        help = "..."
        subcommands = {"summary": "saferplaces.<app>.commands.summary", ...}

A command without sub-commands is itself shaped like a command module:

    class Command(SingleCommand):        # saferplaces reminders
        help = "..."
        def add_arguments(self, parser): ...
        def run(self, options, out, err) -> int: ...

Exit codes: 0 done; 1 input refused or the work partly failed; 2 usage or configuration error.
Through the console script they are the process's exit status; through `call_command` a
non-zero code is a `CommandError` whose `returncode` is the code.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferplaces.core.imports import BUSY_MESSAGE, ImportResult, database_busy

OK = 0
REFUSED = 1
USAGE_ERROR = 2


class CommandFailed(CommandError):
    """Ends a command with a non-zero exit code after it has written its reasons to stderr."""

    def __init__(self, returncode: int) -> None:
        super().__init__(f"exit code {returncode}", returncode=returncode)


class UsageParser(CommandParser):
    """Django's parser, except that a usage error raised through `call_command` carries exit
    code 2, as it does on the command line (Django's own parser gives it code 1)."""

    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}", returncode=USAGE_ERROR)
        super().error(message)


class UsageError(Exception):
    """A bad argument (unknown name, unreadable file): its message, then exit code 2."""


def handles_usage_errors(run: Callable[..., int]) -> Callable[..., int]:
    """Wrap a command module's run() so that a UsageError becomes its message and code 2."""

    @functools.wraps(run)
    def wrapped(options: dict[str, Any], out: Any, err: Any) -> int:
        try:
            return run(options, out, err)
        except UsageError as exc:
            err.write(str(exc))
            return USAGE_ERROR

    return wrapped


def read_input(path: str) -> bytes:
    """The bytes of an input file named on the command line; UsageError if unreadable."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc.strerror or exc}") from exc


def write_output(path: str, data: bytes, err: Any) -> bool:
    """Write a command's output file; False, having said why in one line, if it cannot be
    written (the command then exits REFUSED)."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        err.write(f"Cannot write {path}: {exc.strerror or exc}")
        return False
    return True


def login_named(username: str | None) -> Any:
    """The login called `username` (None for no name); UsageError if there is none."""
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UsageError(f"No login called {username!r}.")
    return user


def report_import(result: ImportResult, out: Any, err: Any, label: str = "") -> int:
    """Print an importer's problems (exit code 1) or its summary (0). Each problem and the
    summary name the file the importer was given; past the first 100 problems, only their
    number is given."""
    for error in result.errors_shown:
        err.write(str(error))
    if result.errors_not_shown:
        err.write(result.errors_not_shown)
    if result.errors:
        err.write(result.summary())
        return REFUSED
    out.write(f"{label}{result.summary()}")
    return OK


def load(path: str) -> Any:
    """A command module, or 'module:Class' for one of several sharing a module."""
    module_path, _, attr = path.partition(":")
    module = importlib.import_module(module_path)
    return getattr(module, attr) if attr else module


class SaferplacesCommand(BaseCommand):
    """Exit codes as documented, through the console script and through `call_command`."""

    epilog: str | None = None
    # The system checks load the URLConf, hence every view: time no command here needs.
    # `saferplaces check` runs them, and `saferplaces serve` before it serves.
    requires_system_checks: list[str] | str = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("epilog", self.epilog)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand builds a plain CommandParser and offers no hook to choose the class;
        # UsageParser only changes error(), so switching the class of this one object is safe.
        parser.__class__ = UsageParser
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return self._execute_unless_busy(*args, **options)
        except CommandFailed as failed:
            if getattr(self, "_called_from_command_line", False):
                sys.exit(failed.returncode)  # the reasons are on stderr already
            raise

    def _execute_unless_busy(self, *args: Any, **options: Any) -> Any:
        """A database left locked by another writer past the busy timeout (SQLite) is one line
        naming the file, if the command has one, and exit code 1: never a traceback."""
        from django.db import OperationalError

        try:
            return super().execute(*args, **options)
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            file = options.get("file")
            self.stderr.write(f"{file}: {BUSY_MESSAGE}" if file else
                              f"{BUSY_MESSAGE[0].upper()}{BUSY_MESSAGE[1:]}.")
            raise CommandFailed(REFUSED) from None

    def finish(self, code: int) -> None:
        """Turn a command module's exit code into the command's outcome."""
        if code:
            raise CommandFailed(code)


class SingleCommand(SaferplacesCommand):
    """A command without sub-commands: subclasses define `add_arguments` and `run`."""

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        self.finish(self.run(options, self.stdout, self.stderr))


class SubcommandsCommand(SaferplacesCommand):
    """A command whose sub-commands are command modules named in `subcommands`."""

    subcommands: dict[str, str] = {}
    chosen: str | None = None  # the sub-command named on the command line, if any

    def run_from_argv(self, argv: list[str]) -> None:
        # Load only the named sub-command's module: the others may import what it never uses.
        if len(argv) > 2 and argv[2] in self.subcommands:
            self.chosen = argv[2]
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True,
                                    metavar="{" + ",".join(self.subcommands) + "}",
                                    parser_class=UsageParser)
        for name, path in self.subcommands.items():
            if self.chosen and name != self.chosen:
                continue
            module = load(path)
            child = sub.add_parser(
                name, help=module.help, description=getattr(module, "description", module.help),
                epilog=getattr(module, "epilog", None),
                formatter_class=getattr(module, "formatter_class", argparse.HelpFormatter))
            module.add_arguments(child)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        module = load(self.subcommands[subcommand])
        self.finish(module.run(options, self.stdout, self.stderr))
