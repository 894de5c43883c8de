"""Every page of the site in a real Chromium, checked by axe-core against WCAG 2.2 A and AA.

The pages are not listed by hand: they come from the URL configuration, through the
permission matrix's route walker and expectations (`tests/web/test_access.py`). Every route
outside the admin that answers GET with an HTML page is fetched in each language, for each
role that may open it (and the 403 page for a role refused one); JSON answers of the API are
left out, its HTML docs are not. Each distinct document is then loaded in Chromium, signed in
as its role (one browser context per role), and checked; a document identical to one already
checked (the same HTML but for its CSRF token, as when several roles see the same page) gives
the same result and is not loaded again.

Then, once per page in Kazakh, at 320 CSS px: reflow without horizontal scrolling (WCAG
1.4.10) and axe, in the normal display and with high contrast and large text (the display
control's cookie); and axe under the system's `prefers-contrast: more`. Also: the admin's
login page, the 404, 403 (an expired form) and 429 pages, forms showing their errors, and the
API docs opened up. One test collects every violation and fails with the list (page,
language, role, rule, nodes).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import resolve
from django.utils import translation
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from saylau.domain.iin import Sex, make_iin
from saylau.web.core.access import Role, access_of
from saylau.web.core.context_processors import DISPLAY_COOKIE
from tests.web.browser.axe import Violation, axe_source, axe_violations
from tests.web.browser.conftest import new_context
from tests.web.conftest import LANGUAGES, client_for
from tests.web.test_access import ALLOWED, EXPECTED, FORBIDDEN, Route, _url, routes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE: ViewportSize = {"width": 1280, "height": 800}
NARROW: ViewportSize = {"width": 320, "height": 640}
"""WCAG 1.4.10: content reflows at 320 CSS px without horizontal scrolling."""
HIGH_CONTRAST_LARGE_TEXT = "contrast.text"
"""The display cookie's value for both display modes."""
PREFERS_CONTRAST = "prefers-contrast: more"
"""The system's setting instead of the display cookie."""

OVERFLOWING = """() => {
  const inScrollBox = el => { for (let e = el.parentElement; e; e = e.parentElement)
                                if (getComputedStyle(e).overflowX !== 'visible') return true;
                              return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > document.documentElement.clientWidth + 0.5 && !inScrollBox(el))
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (typeof el.className === 'string' && el.className.trim()
                  ? '.' + el.className.trim().split(/ +/).join('.') : '') +
               ' (right edge at ' + Math.round(box.right) + ' px)');
  }
  return out.slice(0, 8);
}"""
"""The outermost elements that stick out of the viewport (for the failure message)."""

_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|data-csrf-token=")[^"]*"')


@dataclass(frozen=True)
class Visit:
    route: str
    url: str
    language: str
    role: Role
    status: int
    document: str
    """A digest of the HTML without its CSRF tokens: equal digests, equal pages."""

    def __str__(self) -> str:
        return f"{self.url} [{self.language}, {self.role}{', ' + str(self.status) if self.status != 200 else ''}]"


@dataclass
class Run:
    """Browser contexts (one per role, display mode and width) and what the checks found."""
    browser: Browser
    base_url: str
    users: dict[Role, User | None]
    pages: dict[tuple[Role, str, int], Page] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    def page(self, role: Role, mode: str = "", viewport: ViewportSize = WIDE) -> Page:
        """The page of `role`'s context in display `mode`: "" (normal), the display cookie's
        value, or PREFERS_CONTRAST (the system's setting). axe is an init script of the context."""
        key = (role, mode, viewport["width"])
        if key not in self.pages:
            options: dict[str, object] = {"viewport": viewport}
            if mode == PREFERS_CONTRAST:
                options["contrast"] = "more"
            context = new_context(self.browser, self.base_url, self.users[role], **options)
            context.add_init_script(script=axe_source())
            if mode and mode != PREFERS_CONTRAST:
                context.add_cookies([{"name": DISPLAY_COOKIE, "value": mode, "url": self.base_url}])
            page = context.new_page()
            page.on("console", lambda message: self._console(page, message.type, message.text))
            self.pages[key] = page
        return self.pages[key]

    def _console(self, page: Page, kind: str, text: str) -> None:
        if kind == "error" and "Content Security Policy" in text:
            self.problems.append(f"{page.url}: the CSP refused something the page needs: {text}")

    def check(self, page: Page, where: str) -> None:
        self.violations.extend(axe_violations(page, where))
        self.checked += 1

    def visit(self, visit: Visit, mode: str = "", viewport: ViewportSize = WIDE, *,
              where: str = "", reflow: bool = False) -> None:
        page = self.page(visit.role, mode, viewport)
        response = page.goto(visit.url)
        assert response is not None
        if response.status != visit.status:
            self.problems.append(f"{visit}: status {response.status} in the browser")
        if reflow:
            self.reflow(page, where or str(visit))
        self.check(page, where or str(visit))

    def reflow(self, page: Page, where: str) -> None:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"] if page.viewport_size else 0
        if width > viewport:
            self.problems.append(f"{where}: {width} CSS px wide in a {viewport} px viewport (WCAG 1.4.10); "
                                 f"sticking out: {page.evaluate(OVERFLOWING)}")

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()

    def assert_clean(self) -> None:
        details = "\n".join(map(str, self.violations))
        assert not self.violations and not self.problems, (
            f"{len(self.violations)} axe violation(s) in {self.checked} page checks:\n{details}\n"
            + "\n".join(self.problems))


def _gets(route: Route) -> bool:
    policy = access_of(route.callback, route.namespaces)
    return policy is not None and "GET" in policy.methods


def visits(users: dict[Role, User | None], world: dict[str, str]) -> Iterator[Visit]:
    """Each HTML page outside the admin, in each language, for each role that may open it, and
    the 403 page where a role is refused one (fetched with Django's test client)."""
    seen: set[tuple[str, Role]] = set()
    clients = {role: client_for(user) for role, user in users.items()}
    for language in LANGUAGES:
        with translation.override(language):
            found = [(r, _url(r, world)) for r in routes() if r.namespaces[:1] != ("admin",) and _gets(r)]
            for route, url in found:
                assert resolve(url).func is route.callback, f"{route}: {url} resolves elsewhere"
        for route, url in found:
            for role in Role:
                if (url, role) in seen:
                    continue  # a route without a language prefix (the API): once
                seen.add((url, role))
                if EXPECTED[route.name][role] not in (ALLOWED, FORBIDDEN):
                    continue
                response = clients[role].get(url)
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue  # the API's JSON
                if response.status_code not in (200, 403):
                    continue  # a redirect (the login page, signed in): its target is visited anyway
                document = hashlib.sha256(_TOKENS.sub(r"\1", response.content.decode())
                                          .encode()).hexdigest()
                yield Visit(route.name, url, language, role, response.status_code, document)


@pytest.fixture
def run(browser: Browser, live_server: LiveServer, users: dict[Role, User | None]) -> Iterator[Run]:
    run = Run(browser, live_server.url, users)
    yield run
    run.close()


def test_every_page_passes_axe(run: Run, users: dict[Role, User | None], world: dict[str, str]) -> None:
    pages = list(visits(users, world))
    routes_seen = {v.route for v in pages}
    assert routes_seen >= {"elections:list", "elections:detail", "core:login", "core:profile",
                           "voters:where", "api:openapi-view"}, routes_seen
    checked: set[str] = set()
    for visit in pages:
        if visit.document not in checked:
            checked.add(visit.document)
            run.visit(visit)

    # Once per page, in Kazakh: the display modes, and reflow at 320 px.
    once: dict[str, Visit] = {}
    for visit in pages:
        if visit.status == 200 and (visit.language == "kk" or visit.url.startswith("/api/")):
            once.setdefault(visit.route, visit)
    for visit in once.values():
        for mode in ("", HIGH_CONTRAST_LARGE_TEXT):
            where = f"{visit.url} [{visit.role}, 320 px{', high contrast, large text' if mode else ''}]"
            run.visit(visit, mode, NARROW, where=where, reflow=True)
        if visit.role is Role.ANONYMOUS:
            run.visit(visit, PREFERS_CONTRAST, where=f"{visit.url} [{visit.role}, {PREFERS_CONTRAST}]")

    _error_pages(run)
    run.assert_clean()
    assert len(pages) >= 3 * len(once), "fewer pages than languages × routes"


def _submit(page: Page) -> int | None:
    """Submit the page's main form as it is (no keyboard here: see test_keyboard.py)."""
    with page.expect_navigation() as navigation:
        page.evaluate("() => document.querySelector('main form').submit()")
    return navigation.value.status if navigation.value else None


def _error_pages(run: Run) -> None:
    anonymous = Role.ANONYMOUS
    page = run.page(anonymous)
    for language in LANGUAGES:
        page.goto(f"/{language}/no-such-page/")
        run.check(page, f"/{language}/no-such-page/ [{language}, 404]")
        page.set_extra_http_headers({"Accept-Language": language})  # the admin: no language prefix
        page.goto("/admin/login/")
        run.check(page, f"/admin/login/ [{language}]")
        page.set_extra_http_headers({})

        # Forms showing their errors (submitted empty), then an expired form (403: no CSRF cookie).
        for url in (f"/{language}/accounts/login/", f"/{language}/where-do-i-vote/"):
            page.goto(url)
            _submit(page)
            run.check(page, f"{url} [{language}, errors shown]")
        page.goto(f"/{language}/accounts/login/")
        page.context.clear_cookies(name="csrftoken")
        if (status := _submit(page)) != 403:
            run.problems.append(f"login without a CSRF cookie: status {status}, want 403")
        run.check(page, f"/{language}/accounts/login/ [{language}, 403 expired form]")


def test_the_too_many_requests_page_passes_axe(run: Run, settings: object) -> None:
    settings.WHERE_DO_I_VOTE_LIMIT = 1  # type: ignore[attr-defined]
    iin = make_iin(date(1990, 5, 17), Sex.FEMALE, 123)
    page = run.page(Role.ANONYMOUS)
    for language, want in (("kk", 200), *((language, 429) for language in LANGUAGES)):
        page.goto(f"/{language}/where-do-i-vote/")
        page.evaluate("""iin => { document.querySelector('#id_iin').value = iin;
                                 document.querySelector('#id_birth_date').value = '1990-05-17'; }""", iin)
        assert _submit(page) == want
        if want == 429:
            run.check(page, f"/{language}/where-do-i-vote/ [{language}, 429]")
    run.assert_clean()


def test_the_api_docs_pass_axe_opened(run: Run) -> None:
    """Swagger UI draws most of /api/docs on demand: open every operation and schema, try the
    operations out and execute them, then check again (and reflow at 320 px)."""
    page = run.page(Role.ANONYMOUS)
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-control")
    for selector in (".opblock-summary-control", ".models-control", ".model-box-control",
                     ".try-out__btn", ".btn.execute"):
        for control in page.query_selector_all(selector):
            control.click()
    page.wait_for_selector(".responses-table.live-responses-table")
    run.check(page, "/api/docs [opened, tried out]")
    page.set_viewport_size(NARROW)
    run.reflow(page, "/api/docs [opened, tried out, 320 px]")
    run.check(page, "/api/docs [opened, tried out, 320 px]")
    run.assert_clean()
