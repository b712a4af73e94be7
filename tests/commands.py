"""Running a management command in a test and getting what the console script would end with:
the exit code (docs/commands.md), standard output and standard error."""

from __future__ import annotations

import io
from typing import NamedTuple

from django.core.management import CommandError, call_command

from saferplaces.core.commands import CommandFailed


class CommandRun(NamedTuple):
    code: int
    out: str
    err: str


def run_command(*args: object) -> CommandRun:
    """`call_command` with the arguments as strings. A non-zero exit code reaches the caller
    as a CommandError carrying it; any other exception (SystemExit included) fails the test."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*map(str, args), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        if not isinstance(exc, CommandFailed):  # its reasons are on stderr already
            err.write(str(exc))
    return CommandRun(code, out.getvalue(), err.getvalue())
