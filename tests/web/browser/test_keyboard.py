"""The site by keyboard alone (tests.web.browser.keyboard: key presses only, focus read from
`document.activeElement`, a visible focus indicator checked at every stop): the skip link,
the landmarks, the language switcher, the display control (high contrast, large text, and the
system's `prefers-contrast: more`), the where-do-I-vote form and the login form; and reflow at
320 CSS px with large text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from saylau.domain.iin import Sex, make_iin
from saylau.domain.territory import PrecinctId
from saylau.domain.voters import Voter as DomainVoter
from saylau.web.core.access import Role
from saylau.web.elections.models import Election
from saylau.web.voters.services import DatabaseRoll
from tests.web.browser.axe import axe_violations
from tests.web.browser.conftest import new_context
from tests.web.browser.keyboard import (
    MAX_PRESSES,
    choose_option,
    choose_radio,
    focused,
    follow_link,
    press,
    press_button,
    tab_to,
    toggle_checkbox,
    type_into,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BORN = date(1990, 5, 17)
IIN = make_iin(BORN, Sex.FEMALE, 123)
LANDMARK_RULES = ["bypass", "landmark-one-main", "region", "landmark-unique", "landmark-no-duplicate-main",
                  "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
                  "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level",
                  "landmark-main-is-top-level", "page-has-heading-one"]
"""axe's rules about landmarks and bypass blocks (most are in its best-practice set)."""


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server.url)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _text(page: Page, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_main_content(page: Page, election: Election) -> None:
    page.goto("/en/")
    first = press(page, "Tab")
    assert first is not None and first.name == "Skip to main content" and first.role == "link"
    page.keyboard.press("Enter")
    landed = focused(page)
    assert landed is not None and landed.tag == "main"
    after = press(page, "Tab")  # the next stop is inside the main content, not the header again
    assert after is not None
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), after


@pytest.mark.parametrize("url", ["/en/", "/kk/where-do-i-vote/", "/ru/accounts/login/", "/en/no-such-page/"])
def test_landmarks(page: Page, url: str) -> None:
    page.goto(url)
    violations = axe_violations(page, url, rules=LANDMARK_RULES)
    assert not violations, "\n".join(map(str, violations))
    counts = page.evaluate("""() => ['body > header', 'body > main', 'body > footer']
                                      .map(s => document.querySelectorAll(s).length)""")
    assert counts == [1, 1, 1], url
    labels = page.evaluate("() => Array.from(document.querySelectorAll('nav'), n => n.getAttribute('aria-label'))")
    assert len(labels) == 2 and all(labels) and len(set(labels)) == 2, labels


def test_the_language_switcher_works_by_keyboard(page: Page) -> None:
    page.goto("/kk/where-do-i-vote/")
    with page.expect_navigation():
        follow_link(page, "Русский")
    assert page.url.endswith("/ru/where-do-i-vote/")
    assert page.evaluate("() => document.documentElement.lang") == "ru"
    current = page.locator('.languages a[aria-current="true"]')
    assert current.inner_text() == "Русский" and current.get_attribute("lang") == "ru"
    with page.expect_navigation():
        follow_link(page, "English")
    assert page.url.endswith("/en/where-do-i-vote/") and _text(page, "h1") == "Where do I vote?"


def _pressed(page: Page, name: str) -> str | None:
    return page.locator(".display button", has_text=name).get_attribute("aria-pressed")


def test_the_display_control_works_by_keyboard(page: Page) -> None:
    page.goto("/en/where-do-i-vote/")
    assert page.evaluate("() => document.documentElement.className") == ""
    assert _pressed(page, "High contrast") == "false" and _pressed(page, "Large text") == "false"
    normal = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert normal == "16px"

    with page.expect_navigation():
        press_button(page, "High contrast")  # Enter
    assert page.url.endswith("/en/where-do-i-vote/")  # back on the same page
    assert page.evaluate("() => document.documentElement.className") == "contrast-high"
    assert _pressed(page, "High contrast") == "true"
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"

    with page.expect_navigation():
        press_button(page, "Large text", key=" ")  # Space
    assert page.evaluate("() => document.documentElement.className") == "contrast-high text-large"
    assert _pressed(page, "Large text") == "true"
    large = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert float(large.removesuffix("px")) >= 1.25 * 16
    assert float(page.evaluate("() => getComputedStyle(document.querySelector('main p')).fontSize")
                 .removesuffix("px")) >= 1.25 * 16

    # The choice stays on other pages and in other languages (a cookie), and can be undone.
    page.goto("/kk/")
    assert page.evaluate("() => document.documentElement.className") == "contrast-high text-large"
    with page.expect_navigation():
        press_button(page, "Жоғары контраст")
    with page.expect_navigation():
        press_button(page, "Ірі мәтін")
    assert page.evaluate("() => document.documentElement.className") == ""
    assert _pressed(page, "Жоғары контраст") == "false"


def test_the_system_high_contrast_preference_is_followed(page: Page) -> None:
    page.goto("/en/")
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(27, 27, 27)"
    page.emulate_media(contrast="more")
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).borderBottomWidth") == "2px"


@pytest.fixture
def roll(transactional_db: None) -> DatabaseRoll:
    assert IIN is not None
    store = DatabaseRoll()
    store.add(DomainVoter(iin=IIN, surname="Сейітова", given_name="Айгерім", patronymic="", birth_date=BORN,
                          sex=Sex.FEMALE, precinct=PrecinctId("123-atyrau")), row=2)
    return store


def test_where_do_i_vote_by_keyboard(page: Page, roll: DatabaseRoll) -> None:
    assert IIN is not None
    page.goto("/en/where-do-i-vote/")
    type_into(page, "IIN", IIN)
    type_into(page, "Date of birth", BORN.isoformat())
    with page.expect_navigation():
        press_button(page, "Find my precinct")
    assert _text(page, "[role=status]") == "Your precinct: 123-atyrau."

    # A mistake: the error is announced and linked to the field, which keeps its value.
    type_into(page, "IIN", IIN[:-1] + str((int(IIN[-1]) + 1) % 10))
    type_into(page, "Date of birth", BORN.isoformat())
    with page.expect_navigation():
        press_button(page, "Find my precinct", key=" ")
    field = tab_to(page, "IIN", role="field")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true"
    assert "last (12th) digit" in _text(page, "#id_iin_error")
    assert field.value.startswith(IIN[:-1])


def test_login_by_keyboard(page: Page, users: dict[Role, User | None]) -> None:
    page.goto("/en/accounts/login/")
    type_into(page, "User name", "aigerim")
    type_into(page, "Password", "wrong-password-0")
    with page.expect_navigation():
        press_button(page, "Log in")
    assert "The user name or password is incorrect." in _text(page, "[role=alert]")

    type_into(page, "User name", "aigerim")
    type_into(page, "Password", "aigerim-password-1")
    with page.expect_navigation():
        press_button(page, "Log in")
    assert page.url.endswith("/en/accounts/profile/")
    assert "Signed in as aigerim." in _text(page, "main")
    with page.expect_navigation():
        press_button(page, "Log out")
    assert page.url.endswith("/en/")
    tab_to(page, "Log in", role="link")


def test_every_stop_shows_its_focus(page: Page, election: Election) -> None:
    """Tab through whole pages: each stop's focus indicator is checked (by `press`), and Tab
    and Shift+Tab visit the same stops."""
    for url in ("/en/", "/en/elections/akim-saraishyk-2025/", "/kk/where-do-i-vote/", "/ru/accounts/login/"):
        page.goto(url)
        forward: list[str] = []
        for _ in range(MAX_PRESSES):
            focus = press(page, "Tab")
            if focus is None or (forward and str(focus) == forward[0]):
                break  # out of the page, or round to the first stop again
            if not forward or str(focus) != forward[-1]:  # a date input's fields: one element
                forward.append(str(focus))
        else:
            pytest.fail(f"{url}: Tab never came round")
        page.goto(url)
        backward: list[str] = []
        for _ in range(MAX_PRESSES):
            focus = press(page, "Shift+Tab")
            if focus is None or (backward and str(focus) == backward[0]):
                break
            if not backward or str(focus) != backward[-1]:
                backward.append(str(focus))
        assert backward == forward[::-1], url
        skip = " ".join(page.locator(".skip-link").inner_text().split())
        assert forward[0] == f"<a> link “{skip}”" and len(forward) >= 8, (url, forward)


CONTROLS = """<!DOCTYPE html><html lang="en"><title>Controls</title><body><form>
<p><label><input type="checkbox" name="agree"> I agree</label></p>
<fieldset><legend>Nominated by</legend>
  <label><input type="radio" name="by" value="self"> Self-nominated</label>
  <label><input type="radio" name="by" value="party"> A party</label>
  <label><input type="radio" name="by" value="public"> A public association</label>
</fieldset>
<p><label for="party">Party</label>
  <select id="party" name="party"><option>—</option><option>Amanat</option><option>Respublica</option></select></p>
</form></body></html>"""
"""Controls that the site's pages do not have yet (a later form will): the helpers on a page of
their own, with the browser's default focus ring."""


def test_the_keyboard_helpers_check_choose_and_select(page: Page) -> None:
    page.set_content(CONTROLS)
    toggle_checkbox(page, "I agree")
    choose_radio(page, "A public association")
    choose_option(page, "Party", "Respublica")
    assert page.evaluate("""() => { const form = new FormData(document.forms[0]);
                                    return [form.get('agree'), form.get('by'), form.get('party')]; }""") \
        == ["on", "public", "Respublica"]
