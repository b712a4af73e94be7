"""Running a management command in a test and getting what the console script would end with:
the exit code (docs/commands.md), standard output and standard error."""

from __future__ import annotations

import io
import sys
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


def exit_code(*args: object) -> int:
    """Like `run_command`, but the command writes to this process's stdout and stderr (for
    capsys); a usage error's message goes to stderr. Returns the exit code."""
    code, out, err = run_command(*args)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


def usage_error(*args: object) -> str:
    """Standard error of a command that must end with exit code 2 (usage or configuration)."""
    code, _, err = run_command(*args)
    assert code == 2, f"exit code {code}, not 2: {err}"
    return err
