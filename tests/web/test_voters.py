"""Where do I vote: found, not found (one message for an unknown IIN and a wrong birth date),
IIN errors that name the field and are linked to the input, the per-client rate limit (429),
and the IIN never in the database in the clear."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from saylau.domain.errors import DuplicateVoter, IinProblem, RateLimited, VoterNotFound
from saylau.domain.iin import Sex, make_iin
from saylau.domain.territory import PrecinctId
from saylau.domain.voters import Voter as DomainVoter
from saylau.domain.voters import import_roll
from saylau.web.voters.forms import IIN_PROBLEMS
from saylau.web.voters.models import Voter
from saylau.web.voters.selectors import voter_precinct
from saylau.web.voters.services import DatabaseRoll, iin_digest
from tests.web.conftest import CALLED, LANGUAGES

BORN = date(1990, 5, 17)
IIN = make_iin(BORN, Sex.FEMALE, 123)
OTHER = make_iin(date(1985, 1, 2), Sex.MALE, 77)
assert IIN is not None and OTHER is not None
URL = "/{}/where-do-i-vote/"
NOT_FOUND = {
    "kk": "Сайлаушылар тізімінде осы ЖСН мен туған күнге сәйкес келетін сайлаушы жоқ.",
    "ru": "В списке избирателей нет избирателя с таким ИИН и датой рождения.",
    "en": "No voter on the roll matches this IIN and date of birth.",
}
FOUND = {"kk": "Сайлау учаскеңіз: 123-atyrau.", "ru": "Ваш избирательный участок: 123-atyrau.",
         "en": "Your precinct: 123-atyrau."}
CHECK_DIGIT = {
    "kk": "ЖСН жарамсыз: оның соңғы (12-) цифры басқа цифрларға сәйкес келмейді.",
    "ru": "ИИН недействителен: его последняя (12-я) цифра не соответствует остальным цифрам.",
    "en": "The IIN is not valid: its last (12th) digit does not match the other digits.",
}
TOO_MANY = {"kk": "Сұраулар тым көп", "ru": "Слишком много запросов", "en": "Too many requests"}


@pytest.fixture
def roll(db: None) -> DatabaseRoll:
    store = DatabaseRoll()
    store.add(DomainVoter(iin=IIN, surname="Сейітова", given_name="Айгерім", patronymic="", birth_date=BORN,
                          sex=Sex.FEMALE, precinct=PrecinctId("123-atyrau")), row=2)
    return store


def _ask(iin: str, born: str, *, language: str = "kk", client: Client | None = None) -> tuple[int, str]:
    response = (client or Client()).post(URL.format(language), {"iin": iin, "birth_date": born})
    return response.status_code, response.content.decode()


def _alert(page: str) -> list[str]:
    return re.findall(r'<div class="errors" role="alert">.*?</div>', page, flags=re.S)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_has_labelled_inputs(language: str, db: None) -> None:
    page = Client().get(URL.format(language)).content.decode()
    assert '<label for="id_iin">' in page and '<label for="id_birth_date">' in page
    assert 'aria-describedby="id_iin_helptext"' in page and 'id="id_iin_helptext"' in page
    assert 'type="date"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_found(language: str, roll: DatabaseRoll) -> None:
    status, page = _ask(IIN, "1990-05-17", language=language)
    assert status == 200 and FOUND[language] in page and NOT_FOUND[language] not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_says_the_same_for_an_unknown_iin_and_a_wrong_date(language: str, roll: DatabaseRoll) -> None:
    unknown = _ask(OTHER, "1985-01-02", language=language)
    wrong_date = _ask(IIN, "1990-05-18", language=language)
    for status, page in (unknown, wrong_date):
        assert status == 200 and NOT_FOUND[language] in page and "123-atyrau" not in page
    assert _alert(unknown[1]) == _alert(wrong_date[1]) and len(_alert(unknown[1])) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_check_digit_names_the_field_and_is_linked_to_it(language: str, roll: DatabaseRoll) -> None:
    bad = IIN[:11] + str((int(IIN[11]) + 1) % 10)
    status, page = _ask(bad, "1990-05-17", language=language)
    assert status == 400 and CHECK_DIGIT[language] in page
    assert 'aria-describedby="id_iin_helptext id_iin_error"' in page and 'aria-invalid="true"' in page
    assert re.search(r'id="id_iin_error">[^<]*' + re.escape(CHECK_DIGIT[language]), page)
    assert 'id="id_birth_date_error"' not in page


def test_every_iin_problem_has_a_message() -> None:
    assert set(IIN_PROBLEMS) == set(IinProblem)


def test_a_missing_date_is_linked_to_its_input(roll: DatabaseRoll) -> None:
    status, page = _ask(IIN, "17.05.1990", language="en")
    assert status == 400 and 'id="id_birth_date_error"' in page
    assert "Enter the date of birth as year-month-day" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_rate_limited_per_client(language: str, roll: DatabaseRoll) -> None:
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(settings.WHERE_DO_I_VOTE_LIMIT):
        assert _ask(OTHER, "1985-01-02", language=language, client=client)[0] == 200
    response = client.post(URL.format(language), {"iin": IIN, "birth_date": "1990-05-17"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert TOO_MANY[language] in page and "123-atyrau" not in page
    assert _ask(IIN, "1990-05-17", client=Client(REMOTE_ADDR="192.0.2.2"))[0] == 200  # another client


def test_the_limit_frees_after_the_window(roll: DatabaseRoll) -> None:
    limit, window = settings.WHERE_DO_I_VOTE_LIMIT, settings.WHERE_DO_I_VOTE_WINDOW
    for i in range(limit):
        with pytest.raises(VoterNotFound):
            voter_precinct(client="c", iin=OTHER, birth_date=BORN, now=CALLED + timedelta(seconds=i))
    with pytest.raises(RateLimited):
        voter_precinct(client="c", iin=IIN, birth_date=BORN, now=CALLED + window - timedelta(seconds=1))
    assert voter_precinct(client="c", iin=IIN, birth_date=BORN, now=CALLED + window) == "123-atyrau"


def test_the_iin_is_never_stored_in_clear(roll: DatabaseRoll) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voters_voter")
        rows = cursor.fetchall()
    assert len(rows) == 1
    text = repr(rows)
    assert IIN not in text and IIN[:6] not in text.replace("1990-05-17", "")
    assert "Айгерім" not in text and "Сейітова" not in text  # no names either
    stored = Voter.objects.get()
    assert stored.iin_digest == iin_digest(IIN) and len(stored.iin_digest) == 64
    assert stored.iin_digest != iin_digest(OTHER)


def test_the_database_roll_is_a_voter_roll_store(roll: DatabaseRoll) -> None:
    with pytest.raises(DuplicateVoter) as duplicate:
        roll.add(DomainVoter(iin=IIN, surname="A", given_name="B", patronymic="", birth_date=BORN,
                             sex=Sex.FEMALE, precinct=PrecinctId("9")))
    assert duplicate.value.first_row == 2
    report = import_roll(["iin,surname,given_name,birth_date,precinct", f"{OTHER},Ахметов,Ерлан,1985-01-02,7",
                          f"{IIN},Сейітова,Айгерім,1990-05-17,123-atyrau"],
                         precincts={PrecinctId("7"), PrecinctId("123-atyrau")}, store=roll)
    assert (report.accepted, report.refused) == (1, 1)
    assert voter_precinct(client="c", iin=OTHER, birth_date=date(1985, 1, 2),
                          now=datetime.now().astimezone()) == "7"
