"""One headless Chromium for the browser tests, driven by Playwright; the pages come from
pytest-django's `live_server`.

Installation is not optional here: a missing browser or axe-core fails the tests (naming the
command that installs it) instead of skipping them. Playwright always drives Debian's
`/usr/bin/chromium`; `playwright install` (which downloads a browser build of its own) is never
used.

Playwright's sync API runs its own asyncio event loop inside this thread (through greenlets)
and leaves it registered as the running loop between calls, which has two effects on Django
here, both handled by the `playwright` fixture:

- Django's guard against ORM calls from async code refuses every query in the test thread
  (SynchronousOnlyOperation), although the test code is plain synchronous code that never runs
  inside the loop. `DJANGO_ALLOW_ASYNC_UNSAFE` turns the guard off for as long as Playwright
  runs, and only then.
- Django keeps database connections per thread, but per asyncio context while a loop runs: the
  test thread gets new connection objects. They reach the same test database (in-memory SQLite
  with a shared cache), but the migrations' data that `serialized_rollback` restores after each
  test (the role groups) is kept on the first object; the fixture copies it over.

The fixture is package-scoped: Playwright stops, the variable is restored, and the thread gets its
own connections back when the last test of this package has run; no other test sees any of it.
The live server answers the browser in threads of its own, where no loop runs. Browser tests
use `pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the live server needs
committed data, and the flush after each test would otherwise delete the role groups.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.web import test_access
from tests.web.conftest import client_for

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--no-first-run", "--disable-extensions", "--disable-default-apps",
        "--metrics-recording-only", "--disable-domain-reliability"]
"""Chromium's flags (see shared/docs/browser-testing.md §2)."""

world = test_access.world
"""The route parameters' values (one object of each kind), as the permission matrix fills them."""


def _require_tools() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system` (scripts/install-system.sh installs "
                    "Debian's chromium) or `make test`; never `playwright install`", pytrace=False)
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make node` or `make test` "
                    "(npm ci installs axe-core from package-lock.json)", pytrace=False)


@pytest.fixture(scope="package")
def playwright(django_db_setup: None, django_db_blocker: Any) -> Iterator[Playwright]:
    """Playwright, with Django adjusted to its event loop (see the module's docstring)."""
    _require_tools()
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            for alias, contents in serialized.items():
                if contents is not None:  # the connection objects of the loop's context
                    connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
            yield p
            with django_db_blocker.unblock():
                connections.close_all()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for every browser test (each test opens contexts of its own)."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
    yield chromium
    chromium.close()


def new_context(browser: Browser, base_url: str, user: User | None = None,
                **options: object) -> BrowserContext:
    """A fresh browser profile, signed in as `user` (the session cookie of Django's test client's
    `force_login`), with pages' CSP enforced (axe is evaluated through DevTools, which the
    CSP does not govern: see `tests.web.browser.axe`)."""
    context = browser.new_context(base_url=base_url, locale="en-GB", **options)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    if user is not None:
        session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context
