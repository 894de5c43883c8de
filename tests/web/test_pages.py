"""The public pages render in each language, with the page structure every page shares:
`lang`, a title, a skip link to `main`, labelled navigation landmarks, and a language switcher."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from saylau.web.core.access import Role
from saylau.web.elections.models import Election
from tests.web.conftest import LANGUAGES, client_for

SAYLAU = {"kk": "Сайлау", "ru": "Сайлау", "en": "Saylau"}
ELECTIONS = {"kk": "Сайлаулар", "ru": "Выборы", "en": "Elections"}
DRAFT = {"kk": "Жоба", "ru": "Черновик", "en": "Draft"}
TITLE = {"kk": "Сарайшық ауылдық округі әкімінің сайлауы", "ru": "Выборы акима Сарайшыкского сельского округа",
         "en": "Election of the akim of Saraishyk Rural District"}
VOTING_OPENS = {"kk": "2025 жылғы 16 наурыз, 07:00", "ru": "16 марта 2025 г. 7:00", "en": "16 March 2025, 07:00"}


class Outline(HTMLParser):
    """What the structural checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.first_link: dict[str, str | None] | None = None
        self.main_ids: list[str | None] = []
        self.nav_labels: list[str | None] = []
        self.language_links: list[dict[str, str | None]] = []
        self._in_title = False
        self.title = ""
        self._nav: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "a" and self.first_link is None:
            self.first_link = a
        elif tag == "main":
            self.main_ids.append(a.get("id"))
        elif tag == "nav":
            self.nav_labels.append(a.get("aria-label"))
            self._nav = a.get("aria-label")
        if tag == "a" and a.get("hreflang"):
            self.language_links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def check_structure(html: str, language: str) -> Outline:
    page = outline(html)
    assert page.html_lang == language
    assert page.title.strip().endswith(f"— {SAYLAU[language]}")
    assert page.first_link is not None and page.first_link.get("href") == "#main", "the skip link comes first"
    assert page.main_ids == ["main"]
    assert len(page.nav_labels) == 2 and all(page.nav_labels), "navigation landmarks are labelled"
    codes = [link["hreflang"] for link in page.language_links]
    assert codes == list(LANGUAGES)
    current = [link["hreflang"] for link in page.language_links if link.get("aria-current") == "true"]
    assert current == [language]
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_election_list(language: str, election: Election) -> None:
    response = client_for(None).get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    check_structure(html, language)
    assert f"<h1>{ELECTIONS[language]}</h1>" in html
    assert TITLE[language] in html and DRAFT[language] in html and VOTING_OPENS[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_election_detail(language: str, election: Election) -> None:
    response = client_for(None).get(f"/{language}/elections/{election.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    page = check_structure(html, language)
    assert page.title.startswith(TITLE[language])
    assert VOTING_OPENS[language] in html
    links = {link["hreflang"]: link["href"] for link in page.language_links}
    assert links == {code: f"/{code}/elections/{election.code}/" for code in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages(language: str, users: dict[Role, User | None]) -> None:
    login = client_for(None).get(f"/{language}/accounts/login/").content.decode()
    check_structure(login, language)
    assert re.search(r'<label for="id_username">[^<]+</label>', login)
    profile = client_for(users[Role.COMMISSION]).get(f"/{language}/accounts/profile/").content.decode()
    check_structure(profile, language)
    assert {"kk": "Комиссия мүшесі", "ru": "Член комиссии", "en": "Commission member"}[language] in profile


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page(language: str, db: None) -> None:
    response = client_for(None).get(f"/{language}/elections/no-such-election/")
    assert response.status_code == 404
    check_structure(response.content.decode(), language)
    assert {"kk": "Бет табылмады", "ru": "Страница не найдена", "en": "Page not found"}[language] in (
        response.content.decode())


def test_login_with_a_wrong_password_says_so_in_the_users_language(users: dict[Role, User | None]) -> None:
    response = client_for(None).post("/ru/accounts/login/", {"username": "aigerim", "password": "wrong"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль." in response.content.decode()
    ok = client_for(None).post("/kk/accounts/login/", {"username": "aigerim", "password": "aigerim-password-1"})
    assert ok.status_code == 302 and ok["Location"] == "/kk/accounts/profile/"


def test_the_root_redirects_to_the_visitors_language(db: None) -> None:
    assert client_for(None).get("/")["Location"] == "/kk/"
    assert client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")["Location"] == "/ru/"
    assert client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/kk/"


def test_a_title_missing_in_one_language_falls_back_to_kazakh(election: Election) -> None:
    Election.objects.filter(pk=election.pk).update(title_en="")
    html = client_for(None).get(f"/en/elections/{election.code}/").content.decode()
    assert f"<h1>{TITLE['kk']}</h1>" in html


def test_the_language_switcher_keeps_the_query(db: None) -> None:
    page = outline(client_for(None).get("/ru/?page=2").content.decode())
    assert {link["href"] for link in page.language_links} == {"/kk/?page=2", "/ru/?page=2", "/en/?page=2"}
