"""A nomination completed by keyboard alone (issue 4 §10): a citizen nominates herself for the
akim election with key presses only — Tab, typing, arrow keys, Space and Enter; the focus is
read from `document.activeElement`, never set; no click, fill, focus or check call. The one
evidence document is chosen in the file dialog that Space opens on the file field (the
operating system's dialog, which Playwright stands in for)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from saylau.domain.election import Stage
from saylau.domain.iin import Sex, make_iin
from saylau.web.candidates import views as candidate_views
from saylau.web.candidates.models import Candidate
from saylau.web.core.access import Role
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_advance
from tests.web.browser.conftest import new_context
from tests.web.browser.keyboard import choose_radio, press_button, tab_to, type_into
from tests.web.conftest import CALLED

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BORN = date(1985, 4, 12)
IIN = make_iin(BORN, Sex.FEMALE, 4321)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def nominating(election: Election, monkeypatch: pytest.MonkeyPatch) -> Election:
    """The akim election in its nomination stage, the views' clock inside the nomination window."""
    election_advance(actor=None, election=election, target=Stage.NOMINATION, now=CALLED)
    during: datetime = CALLED + timedelta(days=3)
    monkeypatch.setattr(candidate_views, "clock", lambda: during)
    election.refresh_from_db()
    return election


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, users: dict[Role, User | None]) -> Iterator[Page]:
    context: BrowserContext = new_context(browser, live_server.url, users[Role.CITIZEN])
    page = context.new_page()
    page.on("filechooser", lambda chooser: chooser.set_files(
        {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": PDF}))
    yield page
    context.close()


def _choose_file(page: Page, label: str) -> None:
    """Tab to the file field `label`, press Space, and pick the PDF in the dialog that opens.

    The page's `filechooser` handler is registered when the page is made (so the browser
    already routes its dialogs to Playwright before the key press: no race)."""
    field = tab_to(page, label, role="field")
    assert field.type == "file", f"{field} is not a file field"
    page.keyboard.press(" ")
    page.wait_for_function("id => document.getElementById(id).files.length === 1", arg=field.id)


def test_a_citizen_nominates_herself_by_keyboard_alone(page: Page, nominating: Election) -> None:
    assert IIN is not None
    page.goto(f"/en/elections/{nominating.code}/nominate/")
    type_into(page, "IIN of the nominee (required)", IIN)
    type_into(page, "Surname (required)", "Жақсылықова")
    type_into(page, "Given name (required)", "Сәуле")
    type_into(page, "Date of birth (required)", BORN.isoformat())
    choose_radio(page, "Citizen of Kazakhstan by birth")
    type_into(page, "Permanently resident in Kazakhstan since", "1985-04-12")
    choose_radio(page, "Higher education")
    type_into(page, "Biography (English)", "Teacher at the Saraishyk school for twenty years.")

    # the identity document, picked in the file dialog that Space opens on the focused field
    _choose_file(page, "Identity document")

    with page.expect_navigation():
        press_button(page, "Check eligibility")
    report = " ".join(page.locator("main").inner_text().split())
    assert "Eligibility report" in report
    assert "eligibility.min_age" in report  # every rule with its id, reference and status

    # the file must be chosen again after the check (browsers never keep it): the form says so
    _choose_file(page, "Identity document")
    with page.expect_navigation():
        press_button(page, "File the nomination")

    assert "The nomination was filed" in " ".join(page.locator("[role=status]").inner_text().split())
    candidate = Candidate.objects.get(election=nominating)
    assert (candidate.surname, candidate.given_name, candidate.status) == ("Жақсылықова", "Сәуле", "nominated")
    assert candidate.documents.count() == 1
    assert page.url.endswith(f"/en/candidates/{candidate.pk}/manage/") or "manage" in page.url
    tab_to(page, "Submit the documents", role="button")  # the next step is reachable by keyboard too
