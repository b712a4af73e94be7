"""Settings and commands are documented (a Datasette habit): undocumented means failing."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from saferplaces import docs_gen
from saferplaces.cli import COMMANDS, main
from saferplaces.config import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", text, re.MULTILINE))
    assert documented == {s.name for s in SETTINGS}


def test_every_command_is_documented():
    text = (DOCS / "commands.md").read_text()
    documented = set(re.findall(r"^## saferplaces (\S+)", text, re.MULTILINE))
    assert documented == set(COMMANDS)


def our_management_commands() -> set[str]:
    """The management commands saferplaces itself defines, found by Django in its apps."""
    from django.core.management import get_commands

    return {name for name, app in get_commands().items() if app.startswith("saferplaces.")}


def test_usage_lists_every_command(capsys):
    assert main(["--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "usage: saferplaces COMMAND [options]"
    listed = {line.split()[0] for line in lines[lines.index("Commands:") + 1:]
              if line.startswith("  ")}
    assert listed == our_management_commands() | {"migrate"}


def test_options_in_the_docs_are_generated_from_the_parsers():
    text = (DOCS / "commands.md").read_text()
    assert sorted(docs_gen.documented_commands(text)) == sorted(COMMANDS)
    assert docs_gen.regenerate(text) == text, (
        "docs/commands.md does not match the argument parsers: run "
        "`python -m saferplaces.docs_gen` and commit the result")


def test_stale_options_are_detected():
    text = (DOCS / "commands.md").read_text()
    stale = text.replace("--skip-evidence", "--no-evidence", 1)
    assert docs_gen.regenerate(stale) == text


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_has_help(command):
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", command, "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage: saferplaces " + command in result.stdout


HEAVY = ("altair", "scipy", "pandas", "esda", "libpysal", "weasyprint", "vl_convert", "shapely",
         "pyarrow", "numpy")

HELP_IMPORTS = """
import contextlib, io, json, sys
from saferplaces.cli import main
loaded = {}
for args in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()):
        code = main([*args, "--help"])
    loaded[" ".join(args)] = [code] + [m for m in json.loads(sys.argv[2]) if m in sys.modules]
print(json.dumps(loaded))
"""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_imports_no_chart_statistics_or_pdf_library(command):
    """`--help` of a command and then of each sub-command, in a fresh process, loads none of
    the heavy libraries: they are imported only by the code that uses them. What is loaded is
    listed after each, so the first one listed is the one that loaded it."""
    import json

    progs = [prog.split()[1:] for prog, _ in docs_gen.help_texts(docs_gen.command_parser(command))]
    result = subprocess.run([sys.executable, "-c", HELP_IMPORTS, json.dumps(progs),
                             json.dumps(HEAVY)], capture_output=True, text=True, timeout=120,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {" ".join(args): [0] for args in progs}


def test_usage_errors_exit_2_through_the_console_script():
    """Unknown options, a missing sub-command and a bad option value, as the shell sees them."""
    cases = [["geo", "import-imd", "--bogus"], ["actions"], ["crime", "summary", "--by", "x"],
             ["indicators", "list"], ["reminders", "--today"], ["report", "quarterly"]]
    for args in cases:
        result = subprocess.run([sys.executable, "-m", "saferplaces.cli", *args],
                                capture_output=True, text=True, timeout=60,
                                env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
        assert (result.returncode, "error:" in result.stderr) == (2, True), (args, result)
        assert "Traceback" not in result.stderr


def test_main_returns_the_exit_code_of_a_failed_command():
    assert main(["geo", "import-imd", "--bogus"]) == 2
    assert main(["crime", "hotspots", "--from", "2020-01"]) == 2


def test_missing_secret_key_is_a_clear_error():
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", "check"],
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DEBUG": "false"})
    assert result.returncode == 2
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_boolean_setting_is_a_clear_error():
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", "check"],
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DEBUG": "maybe"})
    assert result.returncode == 2
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr
