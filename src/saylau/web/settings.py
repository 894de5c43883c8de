"""Django settings for Saylau's web platform, read from the environment.

    SAYLAU_DEBUG          "1" turns on DEBUG (development only; default off)
    SAYLAU_SECRET_KEY     required when DEBUG is off; a fixed development key is used otherwise
    SAYLAU_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
    SAYLAU_VAR_DIR        where the SQLite database lives (default: var/ in the checkout)
    DATABASE_URL          e.g. postgres://user:pass@host:5432/saylau switches to PostgreSQL
                          (install the `postgres` extra for the driver)
    SAYLAU_HTTPS          "1" behind TLS: secure cookies, HSTS, redirect to https (default: = not DEBUG)
    SAYLAU_HSTS_PRELOAD   "1" asks browsers to preload HSTS (hard to undo; default off)
    SAYLAU_PROXY_SSL_HEADER  e.g. HTTP_X_FORWARDED_PROTO, when a TLS proxy sets it to "https"
    SAYLAU_IIN_KEY        the HMAC key for IINs on the voter roll (default: derived from the secret
                          key; set it, and keep it, before importing a roll: changing it orphans
                          every stored voter)

Defaults are safe for production (DEBUG off, secure cookies, HSTS): development opts out.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}: got {raw!r}, want 1/0, true/false, yes/no or on/off")


WEB_DIR = Path(__file__).resolve().parent
_CHECKOUT = WEB_DIR.parents[2]  # src/saylau/web -> the repository root, in a checkout
VAR_DIR = Path(os.environ.get("SAYLAU_VAR_DIR") or (
    _CHECKOUT / "var" if (_CHECKOUT / "pyproject.toml").is_file() else Path.cwd() / "var"))

DEBUG = _flag("SAYLAU_DEBUG", False)

# A fixed key for development only. It signs sessions and CSRF tokens, so a server with DEBUG
# off refuses to start with it (or without a key).
_DEV_SECRET_KEY = "saylau-development-key-never-use-in-production-0000000000000000"
SECRET_KEY = os.environ.get("SAYLAU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SAYLAU_SECRET_KEY is not set: a server with DEBUG off needs its own secret key "
            "(set SAYLAU_DEBUG=1 for development)")
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SAYLAU_SECRET_KEY is the development key: refused with DEBUG off")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SAYLAU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                 if h.strip()]

INSTALLED_APPS = [
    "saylau.web.core",
    "saylau.web.territory",
    "saylau.web.elections",
    "saylau.web.voters",
    "saylau.web.commissions",
    "saylau.web.candidates",
    "saylau.web.observers",
    "saylau.web.results",
    "saylau.web.ceremony",
    "saylau.web.credentials",
    "saylau.web.voting",
    "saylau.web.core.apps.SaylauAdminConfig",  # the admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # serves STATIC_ROOT (`manage.py collectstatic`)
    "saylau.web.core.middleware.SecurityHeadersMiddleware",
    "saylau.web.core.middleware.SlidingSessionMiddleware",  # saves only sessions a request used
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saylau.web.core.middleware.RequestSizeMiddleware",  # 413 above MAX_REQUEST_BYTES, before the body is read
    "saylau.web.core.access.AccessMiddleware",  # default deny: every view declares who may use it
]

ROOT_URLCONF = "saylau.web.urls"
WSGI_APPLICATION = "saylau.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {
        "context_processors": [
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
            "saylau.web.core.context_processors.site",
        ],
    },
}]

# --- database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL ----------------------

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "saylau.sqlite3"),
        "OPTIONS": {
            # WAL: readers never block the writer; IMMEDIATE: a writing transaction takes the
            # lock at BEGIN, so two writers queue (timeout) instead of failing mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication and sessions -------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:profile"
LOGOUT_REDIRECT_URL = "elections:list"

# Login lockout (core.services.login_*): after this many failed logins within the window, for
# one account (user name, case-insensitive) or from one client address, logins are refused
# until the oldest counted failure leaves the window. Counted in the database (core.Attempt),
# so every server process sees the same counts. The client limit is higher: many voters may
# share one address (NAT).
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_CLIENT = 20
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

SESSION_COOKIE_AGE = 30 * 60            # 30 minutes of inactivity ...
SESSION_SAVE_EVERY_REQUEST = False      # ... counted from the last request that used the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True             # no JavaScript reads it: forms carry the token
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "saylau.web.core.views.csrf_failure"

# --- security headers (see also core.middleware.SecurityHeadersMiddleware for CSP) -----------

HTTPS = _flag("SAYLAU_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading HSTS into browsers is hard to undo, so it is the operator's decision; hence the
# deploy check that recommends it is silenced.
SECURE_HSTS_PRELOAD = HTTPS and _flag("SAYLAU_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SAYLAU_PROXY_SSL_HEADER"):  # e.g. HTTP_X_FORWARDED_PROTO, set by the TLS proxy
    SECURE_PROXY_SSL_HEADER = (os.environ["SAYLAU_PROXY_SSL_HEADER"], "https")

# --- languages, time and formats ---------------------------------------------------------------

LANGUAGE_CODE = "kk"
# Each language is named in itself (the switcher shows these), so the names are not translated.
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
FORMAT_MODULE_PATH = ["saylau.web.formats"]  # Django has no Kazakh formats
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"  # one time zone, UTC+5, for the whole country since 1 March 2024
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- the public bulletin board (core.publicboard) ---------------------------------------------

PUBLIC_BOARD_DIR = Path(os.environ.get("SAYLAU_PUBLIC_BOARD_DIR") or VAR_DIR / "board")
PUBLIC_BOARD_SKEY = Path(os.environ.get("SAYLAU_PUBLIC_BOARD_SKEY") or VAR_DIR / "board-log.skey")
"""The board's signing key (created on first use, mode 0600); keep it off the database's backups."""
PUBLIC_BOARD_ORIGIN = os.environ.get("SAYLAU_PUBLIC_BOARD_ORIGIN", "saylau.local/public")

# --- uploaded documents (core.uploads) ----------------------------------------------------------

UPLOAD_DIR = Path(os.environ.get("SAYLAU_UPLOAD_DIR") or VAR_DIR / "uploads")
UPLOAD_MAX_BYTES = int(os.environ.get("SAYLAU_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
"""The largest evidence document or attachment accepted (10 MiB)."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files (Django's default)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files spill to a temporary file
FILE_UPLOAD_PERMISSIONS = 0o640
MAX_REQUEST_BYTES = int(os.environ.get("SAYLAU_MAX_REQUEST_BYTES", str(64 * 1024 * 1024)))
"""The largest request body accepted at all (a voter-roll file is the largest upload)."""

# --- the voter roll --------------------------------------------------------------------------

# IINs are stored only as HMAC-SHA256 under this key (voters.models.Voter.iin_digest).
IIN_KEY = os.environ.get("SAYLAU_IIN_KEY", "") or f"saylau.voters.iin:{SECRET_KEY}"
# "Where do I vote": at most this many lookups per client address within the window.
WHERE_DO_I_VOTE_LIMIT = 10
WHERE_DO_I_VOTE_WINDOW = timedelta(minutes=15)
# A voter-roll CSV upload (voters.forms.RollFileField) may be at most this large; it is streamed,
# never read into memory whole.
ROLL_UPLOAD_MAX_BYTES = 50 * 1024 * 1024

# --- counting ----------------------------------------------------------------------------------

DASK_SCHEDULER = os.environ.get("SAYLAU_DASK_SCHEDULER", "")
"""A Dask scheduler (tcp://host:8786) to tally the precinct records on, instead of this machine's
process pool (ceremony.services.records_tally); its workers must see ELECTIONS_DIR."""

# --- voting (web.voting) -------------------------------------------------------------------------

ELECTIONS_DIR = Path(os.environ.get("SAYLAU_ELECTIONS_DIR") or VAR_DIR / "elections")
"""One directory per precinct's Belenios election: <election code>/<precinct>/ (archive and board)."""
VOTER_AUTH_BACKENDS = [b.strip() for b in os.environ.get(
    "SAYLAU_VOTER_AUTH_BACKENDS", "saylau.web.voting.auth.PasswordBackend").split(",") if b.strip()]
"""How a remote voter authenticates before casting (voting.auth): the password sent apart from the
letter, and/or an OpenID Connect backend (the eGov hook)."""
STATICFILES_DIRS = [WEB_DIR / "booth" / "static"]  # the booth's modules and vendored libraries

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
"""Filled by `manage.py collectstatic` (`make run` does it); WhiteNoise serves it, in any server."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saylau": {"handlers": ["console"], "level": "INFO"}},
}
