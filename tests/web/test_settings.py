"""Settings read from the environment, each case in a fresh interpreter (settings load once)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PRINT = """
import json
from saylau.web import settings as s
db = s.DATABASES["default"]
print(json.dumps({"debug": s.DEBUG, "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
                  "options": db.get("OPTIONS", {}), "secret": s.SECRET_KEY, "hsts": s.SECURE_HSTS_SECONDS,
                  "ssl_redirect": s.SECURE_SSL_REDIRECT, "secure_cookies": [s.SESSION_COOKIE_SECURE,
                  s.CSRF_COOKIE_SECURE], "language": s.LANGUAGE_CODE, "languages": [c for c, _ in s.LANGUAGES]}))
"""
SECRET = "a-real-secret-key-for-tests-only-7f3c9a1e5b2d4f6a8c0e1d3b5a7f9c2e4d6b8a0c"


def _env(**over: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SAYLAU_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(over)
    return env


def _settings(tmp_path: Path, **over: str) -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-c", PRINT], env=_env(SAYLAU_VAR_DIR=str(tmp_path), **over),
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError(run.stderr)
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def test_production_needs_its_own_secret_key(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="SAYLAU_SECRET_KEY is not set"):
        _settings(tmp_path)
    with pytest.raises(AssertionError, match="is the development key"):
        _settings(tmp_path, SAYLAU_SECRET_KEY=_settings(tmp_path, SAYLAU_DEBUG="1")["secret"])
    with pytest.raises(AssertionError, match="SAYLAU_DEBUG: got 'maybe'"):
        _settings(tmp_path, SAYLAU_DEBUG="maybe")


def test_production_defaults_are_secure(tmp_path: Path) -> None:
    s = _settings(tmp_path, SAYLAU_SECRET_KEY=SECRET)
    assert s["debug"] is False and s["secret"] == SECRET
    assert s["hsts"] >= 31536000 and s["ssl_redirect"] and s["secure_cookies"] == [True, True]
    assert s["language"] == "kk" and s["languages"] == ["kk", "ru", "en"]


def test_development_runs_without_a_key_over_http(tmp_path: Path) -> None:
    s = _settings(tmp_path, SAYLAU_DEBUG="1")
    assert s["debug"] is True and s["secret"].startswith("saylau-development-key")
    assert s["hsts"] == 0 and not s["ssl_redirect"] and s["secure_cookies"] == [False, False]


def test_sqlite_in_wal_mode_by_default(tmp_path: Path) -> None:
    s = _settings(tmp_path, SAYLAU_DEBUG="1")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "saylau.sqlite3")
    assert "journal_mode=WAL" in s["options"]["init_command"]
    assert s["options"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    s = _settings(tmp_path, SAYLAU_DEBUG="1", DATABASE_URL="postgres://saylau:pw@db.internal:5433/saylau")
    assert (s["engine"], s["name"], s["host"]) == ("django.db.backends.postgresql", "saylau", "db.internal")


def test_deploy_checks_pass(tmp_path: Path) -> None:
    """`manage.py check --deploy` finds nothing to warn about in the production defaults."""
    run = subprocess.run([sys.executable, "-m", "saylau.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
                         env=_env(SAYLAU_VAR_DIR=str(tmp_path), SAYLAU_SECRET_KEY=SECRET),
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
