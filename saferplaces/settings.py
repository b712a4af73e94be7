"""Django settings for saferplaces, read from environment variables (see saferplaces/config.py)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from saferplaces.config import BASE_DIR, env_bool, env_int, env_list, env_str

DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "saferplaces.core",  # first, so its registration/ templates win over the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "saferplaces.areas",
    "saferplaces.partnership",
    "saferplaces.jobs",
    "saferplaces.strategy",
    "saferplaces.crime",
    "saferplaces.performance",
    "saferplaces.consultation",
    "saferplaces.workshop",
    "saferplaces.grants",
    "saferplaces.equality",
    "saferplaces.assessment",
    "saferplaces.governance",
    "saferplaces.committee",
    "saferplaces.demo",
]

MIDDLEWARE = [
    "saferplaces.core.server_timing.ServerTimingMiddleware",  # first: it times the rest
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "saferplaces.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "saferplaces.urls"
WSGI_APPLICATION = "saferplaces.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferplaces.core.context_processors.site",
                "saferplaces.partnership.context_processors.partnership",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url.startswith("sqlite:///"):
    Path(_database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an import writes. Write transactions begin IMMEDIATE,
    # taking the write lock first, so that a second writer waits up to the busy timeout
    # (a deferred one that read first would fail at once, as waiting could deadlock).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT"),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA cache_size=-65536;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache: computed pages (the scorecard, the evidence overview) are cached
# under keys that change when their data changes, so no invalidation is needed across
# processes.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": 500}}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes counts failed logins (docs/security.md); its backend comes first so a locked-out
# login is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_LOCKOUT_BY = {"username": "username", "client": "ip_address"}
AXES_LOCKOUT_PARAMETERS = []
for _name in env_list("LOGIN_LOCKOUT_BY"):
    if _name not in _LOCKOUT_BY:
        raise ImproperlyConfigured(
            f"LOGIN_LOCKOUT_BY takes username, client or both, not {_name!r}")
    AXES_LOCKOUT_PARAMETERS.append(_LOCKOUT_BY[_name])
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "saferplaces.core.client_ip.client_ip"
SAFERPLACES_PROXY_COUNT = env_int("PROXY_COUNT")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Uploaded consultation documents; served through views that check who may see them (no
# MEDIA_URL is routed), and backed up apart from the database (docs/deployment.md).
MEDIA_ROOT = env_str("MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND")
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL")

HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env_bool("SECURE_COOKIES")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS") * 60 * 60
if HTTPS:
    # The reverse proxy terminates HTTPS and says so in X-Forwarded-Proto (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers often check over plain HTTP
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Scripts and styles come only from our own static files (no inline ones); charts draw with
# Vega's CSP-safe expression interpreter. docs/security.md says why each source is here.
_tile_origin = ""
if env_str("MAP_TILE_URL"):
    _tile = urlsplit(env_str("MAP_TILE_URL"))
    _tile_origin = f"{_tile.scheme}://{_tile.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Uploads over UPLOAD_MAX_MB are refused next to the form field (core/uploads.py); files
# within it are read in memory, as is a request's other form data up to the same size.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB") * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "saferplaces.core.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "saferplaces.core.request_log.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line_refusals"]},
                # Failed logins and lockouts are warnings; every successful login is not news.
                "axes": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL")},
}

SAFERPLACES_BASE_DIR = BASE_DIR
SERVER_TIMING = env_bool("SERVER_TIMING")
POLICE_UK_BASE_URL = env_str("POLICE_UK_BASE_URL").rstrip("/")
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

# Background jobs (docs/jobs.md): queued in the database and run by `saferplaces worker`
# (which `saferplaces serve` starts), or run at once inside the request when JOBS_QUEUED is off.
JOBS_QUEUED = env_bool("JOBS_QUEUED")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend" if JOBS_QUEUED
                     else "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_STALE_AFTER = env_int("JOBS_STALE_AFTER")
JOBS_HEARTBEAT = 10  # seconds between a worker's signs of life for its running jobs
BACKGROUND_IMPORT_ROWS = env_int("BACKGROUND_IMPORT_ROWS")
CONSULTATION_MIN_FILL_SECONDS = env_int("CONSULTATION_MIN_FILL_SECONDS")
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT")
