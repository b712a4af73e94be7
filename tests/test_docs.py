"""Settings and commands are documented (a Datasette habit): undocumented means failing."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from saferplaces.cli import COMMANDS, main, usage
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


def test_usage_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == usage().strip()
    for name in COMMANDS:
        assert f"  {name}" in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_has_help(command):
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", command, "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage: saferplaces " + command in result.stdout


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
