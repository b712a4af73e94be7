"""Issue 9.8: Content-Security-Policy, no-store for logged-in pages, session lifetime, and
`check --deploy` clean with the production settings docs/deployment.md documents."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from saferplaces.config import BASE_DIR

pytestmark = pytest.mark.django_db

PACKAGE = BASE_DIR / "saferplaces"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_send_a_policy_without_inline_scripts_or_styles(login, world):
    client = login(world["users"]["admin"])
    response = client.get(reverse("dashboard", args=["alpha"]))
    policy = _directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    front_door = client.get(reverse("login"))
    assert "'unsafe-inline'" not in front_door["Content-Security-Policy"]


def _template_files():
    return [p for p in PACKAGE.rglob("templates/**/*.html")
            # Emails are not web pages; the board report document is shown in a sandboxed
            # frame whose page allows its inline styles (report_views.report_detail).
            if "email" not in p.parts and p.name != "report_document.html"]


def test_no_template_or_script_of_ours_has_inline_code_or_styles():
    files = _template_files() + list((PACKAGE / "core/static/saferplaces").glob("*.js"))
    assert len(files) > 50
    offences = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    for path in files:
        text = path.read_text()
        for pattern in (inline_script, re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
                        re.compile(r"javascript:", re.IGNORECASE),
                        re.compile(r"\sstyle\s*=\s*[\"']", re.IGNORECASE),
                        re.compile(r"<style", re.IGNORECASE)):
            offences += [f"{path.relative_to(PACKAGE)}: {m.group(0)}"
                         for m in pattern.finditer(text)
                         if "application/json" not in m.group(0)]
    assert offences == []


def test_logged_in_pages_and_downloads_are_not_stored(login, world):
    client = login(world["users"]["admin"])
    plan = world["a"]["plan"]
    for url in (reverse("dashboard", args=["alpha"]),
                reverse("plan_export", args=["alpha", plan.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_anonymous_pages_keep_their_caching(client, world):
    response = client.get(reverse("home"))  # the public front door
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_session_lasts_one_working_day(client, world):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.post(reverse("login"), {"username": "police-a",
                                   "password": "correct-horse-battery-staple"})
    assert client.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def _documented_production_environment() -> dict[str, str]:
    """The NAME=value lines of step 1 in docs/deployment.md."""
    text = (BASE_DIR / "docs" / "deployment.md").read_text()
    block = text[text.index("1. Create a database"):text.index("2. Install")]
    found = dict(re.findall(r"^\s+([A-Z_]+)=(.+?)\s*$", block, re.MULTILINE))
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"} <= found.keys()
    found["SECRET_KEY"] = secrets.token_urlsafe(50)  # the docs show a placeholder
    return found


def _deploy_check(environment: dict[str, str], tmp_path: Path):
    env = {"PATH": os.environ.get("PATH", ""), "STATIC_ROOT": str(tmp_path / "static"),
           **environment}
    return subprocess.run(
        [sys.executable, "-m", "saferplaces.cli", "check", "--deploy", "--fail-level",
         "WARNING"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warnings_with_the_documented_production_settings(tmp_path):
    result = _deploy_check(_documented_production_environment(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path):
    environment = _documented_production_environment()
    environment["HTTPS"] = "false"
    result = _deploy_check(environment, tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stdout + result.stderr
