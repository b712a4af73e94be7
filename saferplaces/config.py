"""Settings as data: every environment variable saferplaces reads, with its default and help.

`docs/settings.md` documents each one; a test fails when a setting here is missing there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default (as text) and what it does."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DEBUG", "false", "Show debugging pages on errors. Never on in production."),
    Setting(
        "SECRET_KEY",
        "",
        "Django's signing key. Required when DEBUG is off; `make demo` generates one into "
        "var/secret_key.",
    ),
    Setting(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'var' / 'saferplaces.sqlite3'}",
        "Database to use, as a URL. SQLite by default; postgres://user:pass@host:port/name in "
        "production.",
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT",
        "20",
        "Seconds a SQLite writer waits for another writer to finish before giving up (the "
        "crime import then reports the file as busy and goes on). SQLite only.",
    ),
    Setting(
        "ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the site answers to.",
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (scheme and host) trusted for form posts behind a proxy.",
    ),
    Setting(
        "SECURE_COOKIES",
        "false",
        "Send session and CSRF cookies over HTTPS only. Turn on when served over HTTPS.",
    ),
    Setting(
        "HTTPS",
        "false",
        "The site is served over HTTPS (itself or behind a proxy that sets X-Forwarded-Proto): "
        "redirect plain HTTP to HTTPS, send HSTS, and send cookies over HTTPS only.",
    ),
    Setting(
        "HSTS_SECONDS",
        "31536000",
        "How long browsers remember to use HTTPS only (Strict-Transport-Security), when HTTPS "
        "is on.",
    ),
    Setting(
        "SESSION_HOURS",
        "8",
        "Hours a login lasts before the user must log in again (one working day).",
    ),
    Setting(
        "LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins within LOGIN_LOCKOUT_MINUTES after which further attempts are refused.",
    ),
    Setting(
        "LOGIN_LOCKOUT_MINUTES",
        "15",
        "The window in which failed logins are counted, and how long a lockout lasts.",
    ),
    Setting(
        "LOGIN_LOCKOUT_BY",
        "username,client",
        "What failed logins are counted against: username, client (IP address), or both "
        "(either one locks).",
    ),
    Setting(
        "PROXY_COUNT",
        "0",
        "Reverse proxies in front of saferplaces that add to X-Forwarded-For; the client's "
        "address is read from there (for login throttling). 0: the server is reached directly.",
    ),
    Setting(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "Django email backend. The default prints emails (password resets, reminders) to the "
        "console.",
    ),
    Setting("EMAIL_HOST", "localhost", "SMTP server when using the SMTP email backend."),
    Setting("EMAIL_PORT", "25", "SMTP port."),
    Setting("EMAIL_HOST_USER", "", "SMTP user name."),
    Setting("EMAIL_HOST_PASSWORD", "", "SMTP password."),
    Setting("EMAIL_USE_TLS", "false", "Use STARTTLS for SMTP."),
    Setting("DEFAULT_FROM_EMAIL", "saferplaces@localhost", "Sender address of emails."),
    Setting("TIME_ZONE", "Europe/London", "Time zone for dates shown and recorded."),
    Setting(
        "STATIC_ROOT",
        str(BASE_DIR / "var" / "static"),
        "Where `collectstatic` puts CSS and JavaScript for serving.",
    ),
    Setting(
        "MEDIA_ROOT",
        str(BASE_DIR / "var" / "media"),
        "Where uploaded consultation documents are stored (served by the application, never "
        "as static files). Back it up with the database: `saferplaces backup` copies only "
        "the database.",
    ),
    Setting("LOG_LEVEL", "INFO", "Level of log messages written to standard error."),
    Setting(
        "SERVER_TIMING",
        "false",
        "Add a Server-Timing header (time in Django, CPU, database time and queries) to every "
        "response. For measuring; it tells visitors how long pages take.",
    ),
    Setting(
        "POLICE_UK_BASE_URL",
        "https://data.police.uk",
        "Where `saferplaces crime fetch` downloads police.uk data from. Only that command uses "
        "the network.",
    ),
    Setting(
        "MAP_TILE_URL",
        "",
        "Optional map tile URL template for the ward maps, e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty (the default) draws boundaries "
        "only, so pages never reach the network.",
    ),
    Setting("MAP_TILE_ATTRIBUTION", "", "Attribution text shown with the map tiles."),
    Setting(
        "UPLOAD_MAX_MB",
        "10",
        "Largest file a web upload (such as an action plan CSV) may be, in megabytes; a bigger "
        "one is refused with a message next to the field.",
    ),
    Setting(
        "JOBS_QUEUED",
        "true",
        "Run long work (crime imports and fetches from the web, board report PDFs, reminders, "
        "large CSV imports) as background jobs queued in the database for `saferplaces worker` "
        "(started by `saferplaces serve`). Off: each runs inside the web request that starts "
        "it.",
    ),
    Setting(
        "JOBS_STALE_AFTER",
        "600",
        "Seconds without a sign of life after which a running job on another machine is "
        "marked failed (its worker is taken to be gone). On the worker's own machine a dead "
        "worker process is noticed at once.",
    ),
    Setting(
        "BACKGROUND_IMPORT_ROWS",
        "2000",
        "An action CSV uploaded on the web with more rows than this is imported as a "
        "background job instead of inside the request.",
    ),
    Setting(
        "CONSULTATION_MIN_FILL_SECONDS",
        "5",
        "A public survey sent back sooner than this after the form was shown is refused as "
        "automated (the respondent is asked to check and send again).",
    ),
    Setting(
        "CONSULTATION_RATE_LIMIT",
        "20",
        "Most public survey responses accepted from one client address per hour.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """Raised when an environment variable has a value saferplaces cannot use."""


def env_str(name: str) -> str:
    """The value of a declared setting from the environment, or its default."""
    return os.environ.get(name, _BY_NAME[name].default)


def env_bool(name: str) -> bool:
    value = env_str(name).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def env_int(name: str) -> int:
    value = env_str(name)
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str) -> list[str]:
    return [part.strip() for part in env_str(name).split(",") if part.strip()]
