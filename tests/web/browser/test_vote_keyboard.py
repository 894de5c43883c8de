"""The whole vote by keyboard alone (issue 5 §6), with axe-core at every step of the booth.

A remote voter logs in, opens the booth, listens to an answer (Space on its "Listen" button:
the recording plays), chooses a candidate with the arrow keys, reviews, types the credential,
encrypts and casts — key presses only: Tab, typing, arrow keys, Space and Enter; the focus is
read from `document.activeElement`, never set; no click, fill, focus or check call — and gets a
receipt on screen, which `saylau board check-receipt` accepts against the precinct's board.

The audit path, by keyboard too: the voter audits a ballot, sees its QR code (decoded here with
zxing-cpp: it holds exactly the audit payload, which never reached the server) and the payload's
text, then makes a fresh ballot; the server refuses the audited ballot. It runs in the normal
display and, at 320 CSS px, with high contrast and large text (the display cookie), checking
reflow. axe (WCAG 2.2 A/AA) runs at each step: choose, an error, review, the encrypted ballot,
audit, receipt.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from saylau.cli.main import main as saylau
from saylau.web.core.access import Role
from saylau.web.core.context_processors import DISPLAY_COOKIE
from saylau.web.credentials import services as credential_services
from saylau.web.elections.models import Election
from saylau.web.voting import api, auth, booth, views
from saylau.web.voting.casting import forget_lanes
from saylau.web.voting.models import AuditedTracker, CastBallot, VoterPassword
from tests.web.browser.axe import Violation, axe_violations
from tests.web.browser.conftest import new_context
from tests.web.browser.keyboard import choose_radio, focused, press, press_button, tab_to, type_into
from tests.web.conftest import CALLED
from tests.web.voting_world import (
    AGAINST_ALL,
    CANDIDATES,
    DURING,
    VotingWorld,
    open_voting,
    post_ballot,
    voter_client,
    voting_world,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Secret-Pass-123"  # noqa: S105 (a test voter's password)
WIDE: ViewportSize = {"width": 1280, "height": 800}
NARROW: ViewportSize = {"width": 320, "height": 640}

RECORD_STATUS = """() => { window.__said = [];
  for (const id of ['booth-status', 'booth-error']) {
    const el = document.getElementById(id);
    new MutationObserver(() => { if (el.textContent) window.__said.push(el.textContent); })
      .observe(el, {childList: true, characterData: true, subtree: true}); } }"""
"""Read-only: what the live regions said, in order (what a screen reader announces)."""


@pytest.fixture
def world(users: dict[Role, User | None], election: Election, settings: Any, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> VotingWorld:
    settings.ELECTIONS_DIR = tmp_path / "elections"
    settings.SAYLAU_AUDIO_DIR = tmp_path / "audio"
    monkeypatch.setattr(api, "clock", lambda: DURING)
    monkeypatch.setattr(views, "clock", lambda: DURING)
    forget_lanes()
    w = voting_world(election)
    credential_services.audio_generate(actor=None, election=election, now=CALLED, languages=("en",))
    open_voting(election)
    VoterPassword.objects.create(election=election, ref="ref-1", precinct=w.pe.precinct.code,
                                 digest=auth.password_digest(PASSWORD), issued_at=CALLED)
    return w


@pytest.fixture
def checked() -> Iterator[list[Violation]]:
    found: list[Violation] = []
    yield found
    assert not found, "axe violations:\n" + "\n".join(map(str, found))


def _page(browser: Browser, live_server: LiveServer, mode: str = "", viewport: ViewportSize = WIDE) -> Page:
    context = new_context(browser, live_server.url, None, viewport=viewport)
    if mode:
        context.add_cookies([{"name": DISPLAY_COOKIE, "value": mode, "url": live_server.url}])
    return context.new_page()


def _axe(page: Page, found: list[Violation], step: str) -> None:
    found.extend(axe_violations(page, f"{page.url} [{step}]"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"{step}: {width} px wide (WCAG 1.4.10)"


def _said(page: Page) -> str:
    return " | ".join(page.evaluate("() => window.__said"))


def _log_in(page: Page, world: VotingWorld, found: list[Violation]) -> None:
    page.goto(f"/en/vote/{world.election.code}/login/")
    _axe(page, found, "login")
    type_into(page, "Voter reference (on your letter)", "ref-1")
    type_into(page, "Password (received apart from the letter)", PASSWORD)
    with page.expect_navigation():
        press_button(page, "Log in")
    assert page.url.endswith(f"/en/vote/{world.election.code}/")
    page.evaluate(RECORD_STATUS)


def _heading_has_focus(page: Page, name: str) -> None:
    page.wait_for_function("name => document.activeElement && document.activeElement.tagName === 'H2' && "
                           "document.activeElement.textContent.trim() === name", arg=name)


def _encrypt(page: Page, world: VotingWorld, credential: str, answer: int, found: list[Violation]) -> None:
    """From the choice step: choose `answer`, review, type the credential, encrypt."""
    label = world.params.questions[0].answers[answer]
    choose_radio(page, f"{label} (against all)" if label == AGAINST_ALL else label)
    press_button(page, "Review my choice")
    _heading_has_focus(page, "Review")
    assert f"You chose: {label}" in _said(page)  # the review step announces the choice
    _axe(page, found, "review")
    type_into(page, "Your credential (from your letter or card; you can scan its QR code into this field)",
              credential)
    press_button(page, "Encrypt my ballot")
    _heading_has_focus(page, "Your encrypted ballot")
    assert "Encrypting your ballot on this device…" in _said(page)
    _axe(page, found, "encrypted")


def test_a_remote_voter_casts_by_keyboard_alone(browser: Browser, live_server: LiveServer, world: VotingWorld,
                                                tmp_path: Path, checked: list[Violation]) -> None:
    page = _page(browser, live_server)
    _log_in(page, world, checked)
    _axe(page, checked, "choose")

    # every recording has a Listen button in the tab order; Space plays one (no autoplay before)
    names = page.evaluate("() => Array.from(document.querySelectorAll('button.listen'), b => b.getAttribute('aria-label'))")
    assert names[0] == f"Listen: {world.election.title_en}" and names[1:] == [
        f"Listen: {a}" for a in world.params.questions[0].answers]
    assert page.evaluate("() => document.getElementById('booth-audio').paused")
    focus = tab_to(page, f"Listen: {CANDIDATES[1]}", role="button")
    assert focus.pressed == "false"
    page.keyboard.press(" ")
    page.wait_for_function("() => { const a = document.getElementById('booth-audio');"
                           " return !a.paused && a.currentTime > 0 && a.src.endsWith('.wav'); }")
    assert focused(page) is not None and focused(page).pressed == "true"  # type: ignore[union-attr]
    page.keyboard.press("Enter")  # the same button stops it
    page.wait_for_function("() => document.getElementById('booth-audio').paused")

    # no choice: the error is announced, and the page still passes axe
    press_button(page, "Review my choice")
    page.wait_for_function("() => document.getElementById('booth-error').textContent === 'Choose one answer.'")
    _axe(page, checked, "choose, error")

    _encrypt(page, world, world.remote[0], 1, checked)
    tracker = page.evaluate("() => document.getElementById('tracker').textContent")
    press_button(page, "Cast this ballot")
    _heading_has_focus(page, "Your receipt")
    assert "Your ballot is cast and on the bulletin board." in _said(page)
    _axe(page, checked, "receipt")
    receipt = page.evaluate("() => document.getElementById('receipt').value")
    assert receipt.strip()
    tab_to(page, "Download the receipt", role="link")  # the receipt can be saved by keyboard too

    cast = CastBallot.objects.get(precinct_election=world.pe)
    assert cast.tracker == tracker
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(receipt)
    assert saylau(["board", "check-receipt", str(path), str(Path(world.pe.path) / "board"),
                   "--log-key", world.pe.board_vkey]) == 0
    page.context.close()


@pytest.mark.parametrize(("mode", "viewport"), [("", WIDE), ("contrast.text", NARROW)],
                         ids=["normal", "contrast-large-320"])
def test_audit_by_keyboard_shows_a_qr_code_then_a_fresh_ballot(
        browser: Browser, live_server: LiveServer, world: VotingWorld, checked: list[Violation],
        mode: str, viewport: ViewportSize) -> None:
    page = _page(browser, live_server, mode, viewport)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.post_data or ""))
    _log_in(page, world, checked)
    _axe(page, checked, "choose")
    _encrypt(page, world, world.remote[1], 4, checked)  # "against all"
    press_button(page, "Audit this ballot (it will not be cast)")
    _heading_has_focus(page, "Audit of your ballot")
    assert "This ballot was audited and will never be cast." in _said(page)

    # the payload's text, behind a disclosure opened with Enter
    tab_to(page, "The QR code's text")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#step-audit details').open")
    _axe(page, checked, "audit")
    payload = page.evaluate("() => document.getElementById('audit-payload').value")
    audit = json.loads(page.evaluate("() => document.getElementById('audit-text').value"))
    ballot = page.evaluate("() => document.getElementById('audit-ballot').value")
    assert payload.startswith("SAYLAU-AUDIT1:") and audit["choices"][0][-1] == 1 == sum(audit["choices"][0])
    assert not any(payload in body or audit["randomness"][0][0] in body for body in sent)  # never sent

    # the QR code holds exactly the payload
    svg = page.locator("#audit-qr svg")
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby") == "audit-qr-caption"
    image = Image.open(io.BytesIO(svg.screenshot())).convert("L")
    scale = max(1, 1200 // max(image.size))
    decoded = zxingcpp.read_barcodes(image.resize((image.width * scale, image.height * scale), Image.NEAREST))
    assert [d.text for d in decoded] == [payload]

    # the server knows the tracker was audited and refuses the ballot
    assert AuditedTracker.objects.filter(election=world.election, tracker=audit["tracker"]).exists()
    refused = post_ballot(voter_client(world), world, ballot.encode())
    assert refused.status_code in (400, 409), refused.content
    assert not CastBallot.objects.filter(precinct_election=world.pe).exists()

    # a fresh ballot: the booth forgets the audited one
    press_button(page, "Make a new ballot")
    _heading_has_focus(page, "Your ballot")
    assert page.evaluate("() => !document.querySelector('input[name=answer]:checked') && "
                         "!document.querySelector('#audit-qr svg') && !document.getElementById('audit-payload').value")
    press(page, "Tab")
    _axe(page, checked, "choose again")
    page.context.close()


def test_the_booth_page_without_audio_has_no_listen_buttons(world: VotingWorld) -> None:
    from saylau.web.credentials.models import AudioClip

    with_audio = voter_client(world).get(f"/en/vote/{world.election.code}/").content.decode()
    assert with_audio.count('class="listen"') == 1 + len(world.params.questions[0].answers)
    AudioClip.objects.all().delete()
    html = voter_client(world).get(f"/en/vote/{world.election.code}/").content.decode()
    assert 'class="listen"' not in html and "<fieldset" in html and "<legend>" in html


def test_the_published_booth_files_include_the_qr_module() -> None:
    files = booth.manifest(fresh=True)["files"]
    assert "booth/vendor/uqr-0.1.3/dist/index.mjs" in files  # type: ignore[operator]
