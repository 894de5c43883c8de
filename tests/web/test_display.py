"""The display preferences (high contrast, large text): a cookie set by a POST-only, CSRF-
protected view that goes back to a page of this site only, and classes on <html> set by the
server. The browser tests (tests/web/browser) check what they look like and do."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saylau.web.core.context_processors import DISPLAY_COOKIE

URL = "/en/accounts/display/"


def _html_tag(client: Client, url: str = "/en/") -> str:
    found = re.search(r"<html[^>]*>", client.get(url).content.decode())
    assert found is not None
    return found[0]


def test_turning_a_mode_on_sets_a_cookie_and_goes_back(db: None) -> None:
    client = Client()
    response = client.post(URL, {"contrast": "on", "next": "/en/where-do-i-vote/?x=1"})
    assert response.status_code == 303 and response["Location"] == "/en/where-do-i-vote/?x=1"
    cookie = response.cookies[DISPLAY_COOKIE]
    assert cookie.value == "contrast"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 30 * 24 * 3600
    assert _html_tag(client) == '<html lang="en" class="contrast-high">'

    client.post(URL, {"text": "on", "next": "/en/"})
    assert client.cookies[DISPLAY_COOKIE].value == "contrast.text"
    assert _html_tag(client) == '<html lang="en" class="contrast-high text-large">'
    page = client.get("/ru/").content.decode()
    assert 'name="contrast" value="off" aria-pressed="true"' in page
    assert 'name="text" value="off" aria-pressed="true"' in page


def test_turning_every_mode_off_deletes_the_cookie(db: None) -> None:
    client = Client()
    client.post(URL, {"contrast": "on", "text": "on"})
    response = client.post(URL, {"contrast": "off", "text": "off", "next": "/kk/"})
    assert response.cookies[DISPLAY_COOKIE].value == "" and response.cookies[DISPLAY_COOKIE]["max-age"] == 0
    assert _html_tag(client, "/kk/") == '<html lang="kk">'
    page = client.get("/kk/").content.decode()
    assert 'name="contrast" value="on" aria-pressed="false"' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/en/", "http://testserver.evil/",
                                    "javascript:alert(1)", "", "/\\evil.example/"])
def test_it_goes_back_to_this_site_only(db: None, target: str) -> None:
    response = Client().post(URL, {"text": "on", "next": target})
    assert response.status_code == 303 and response["Location"] == "/en/"  # the home page instead


def test_unknown_flags_in_the_cookie_are_ignored(db: None) -> None:
    client = Client()
    client.cookies[DISPLAY_COOKIE] = 'text.x" onload="alert(1).contrast-high'
    assert _html_tag(client) == '<html lang="en" class="text-large">'


def test_post_only_and_csrf_protected(db: None) -> None:
    assert Client().get(URL).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, {"contrast": "on", "next": "/en/"})
    assert response.status_code == 403 and DISPLAY_COOKIE not in response.cookies
    page = strict.get("/en/").content.decode()
    token = re.search(r'<form class="display".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, flags=re.S)
    assert token is not None
    response = strict.post(URL, {"contrast": "on", "next": "/en/", "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 303 and response.cookies[DISPLAY_COOKIE].value == "contrast"
