"""Precincts: created through the domain's territory check (unique id and number, in a district or
locality), audited and published; the public pages (per unit, one precinct) in every language;
the open-data API of precincts and commissions; the public commission pages and the workspace."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from saylau.domain.commissions import MemberRole
from saylau.domain.errors import InvalidTerritory
from saylau.web.commissions.services import membership_add
from saylau.web.core.access import Role
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.territory.services import precinct_create
from tests.web.conftest import CALLED, LANGUAGES, client_for, commission_tree


@pytest.fixture
def precinct(saraishyk: TerritorialUnit) -> Precinct:
    return precinct_create(actor=None, code="p-101", number=101, territory=saraishyk,
                           address_kk="Сарайшық ауылы, Абай к., 1", address_ru="село Сарайшык, ул. Абая, 1",
                           address_en="Saraishyk village, 1 Abai St", accessible=True, now=CALLED)


def test_create_is_audited_and_published(precinct: Precinct) -> None:
    assert AuditEntry.objects.get(action="territory.precinct_create").data["number"] == 101
    event = BoardEvent.objects.get(kind="precinct.created")
    assert event.data["precinct"] == "p-101" and event.data["territory"] == "saraishyk" and event.data["accessible"]


def test_create_refusals(precinct: Precinct) -> None:
    region = TerritorialUnit.objects.get(code="atyrau")
    district = TerritorialUnit.objects.get(code="makhambet")
    for kwargs, reason in [
        (dict(code="p-other", number=101, territory=district), "precinct number 101"),
        (dict(code="p-101", number=102, territory=district), "used twice"),
        (dict(code="p-region", number=103, territory=region), "district or a locality"),
    ]:
        with pytest.raises(InvalidTerritory) as refused:
            precinct_create(actor=None, address_kk="x", now=CALLED, **kwargs)  # type: ignore[arg-type]
        assert reason in str(refused.value)
    assert Precinct.objects.count() == 1
    abroad = precinct_create(actor=None, code="p-abroad", number=9001, territory=None, address_kk="Мәскеу", now=CALLED)
    assert abroad.territory is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(language: str, precinct: Precinct) -> None:
    client = Client()
    unit = client.get(f"/{language}/territory/makhambet/")
    region = client.get(f"/{language}/territory/atyrau/")
    detail = client.get(f"/{language}/precincts/p-101/")
    index = client.get(f"/{language}/territory/")
    for response in (unit, region, detail, index):
        assert response.status_code == 200
        assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1
    address = {"kk": "Сарайшық ауылы, Абай к., 1", "ru": "село Сарайшык, ул. Абая, 1",
               "en": "Saraishyk village, 1 Abai St"}[language]
    assert address in unit.content.decode() and address in region.content.decode()
    page = detail.content.decode()
    assert address in page
    assert {"kk": "Иә: дауыс беру", "ru": "Да: в помещение", "en": "Yes: the polling station"}[language] in page
    assert client.get(f"/{language}/precincts/nowhere/").status_code == 404
    assert client.get(f"/{language}/territory/nowhere/").status_code == 404


def test_api_precincts(precinct: Precinct) -> None:
    client = Client()
    rows = client.get("/api/precincts").json()
    assert rows == [{"code": "p-101", "number": 101, "territory": "saraishyk",
                     "address_kk": "Сарайшық ауылы, Абай к., 1", "address_ru": "село Сарайшык, ул. Абая, 1",
                     "address_en": "Saraishyk village, 1 Abai St", "accessible": True}]
    assert client.get("/api/precincts?territory=atyrau").json() == rows
    assert client.get("/api/precincts?territory=nowhere").json() == []
    assert client.get("/api/precincts/p-101").json()["number"] == 101
    assert client.get("/api/precincts/nowhere").status_code == 404


def test_api_commissions(users: dict[Role, User | None]) -> None:
    client = Client()
    rows = {c["code"]: c for c in client.get("/api/commissions").json()}
    assert set(rows) == {"cec", "atyrau-tec", "makhambet"}
    makhambet = client.get("/api/commissions/makhambet").json()
    assert makhambet["parent"] == "atyrau-tec" and makhambet["territory"] == "makhambet"
    assert [(m["name"], m["role"]) for m in makhambet["members"]] == [("Айбек Серікұлы", "chair")]
    assert set(makhambet["members"][0]) == {"name", "role", "nominated_by", "start", "end"}
    assert client.get("/api/commissions/nowhere").status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_commission_pages_publish_the_composition(language: str, users: dict[Role, User | None]) -> None:
    client = Client()
    listing = client.get(f"/{language}/commissions/").content.decode()
    detail = client.get(f"/{language}/commissions/makhambet/").content.decode()
    chair = {"kk": "Төраға", "ru": "Председатель", "en": "Chair"}[language]
    for page in (listing, detail):
        assert "Айбек Серікұлы" in page and chair in page
        assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "aigerim" not in listing  # only members are listed
    assert client.get(f"/{language}/commissions/nowhere/").status_code == 404


def test_the_workspace_lists_the_elections_a_member_may_act_on(users: dict[Role, User | None],
                                                               election: Election) -> None:
    page = client_for(users[Role.COMMISSION]).get("/en/commissions/workspace/").content.decode()
    assert "Election of the akim of Saraishyk Rural District" in page and "Decisions and operations" in page
    assert 'href="/en/roll/import/"' in page
    advisor = User.objects.create_user("advisor")
    membership_add(actor=None, commission=commission_tree()["makhambet"], user=advisor, role=MemberRole.ADVISORY,
                   start=CALLED, now=CALLED)
    page = client_for(advisor).get("/en/commissions/workspace/").content.decode()
    assert "advisory vote: you may read this workspace but not act" in page
    assert "No election is covered by your commissions at present." in page
    assert "/en/roll/import/" not in page
