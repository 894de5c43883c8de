"""Helpers of the candidates tests: times of the test election's stages, a good profile, parties,
nominations made through the services, and the objects of the permission matrix."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.domain.election import ElectionType, Stage
from saylau.domain.iin import Iin, Sex, make_iin
from saylau.web.candidates import services
from saylau.web.candidates.models import (
    Candidate,
    CandidateDocument,
    Mandate,
    Party,
    Vacancy,
    VacancyStatus,
)
from saylau.web.candidates.services import Person
from saylau.web.core.access import Role
from saylau.web.core.uploads import store_upload
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_advance, election_create
from tests.web.conftest import CALLED, VOTE

IN_NOMINATION = VOTE - timedelta(days=40)
IN_REGISTRATION = VOTE - timedelta(days=20)
PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def iin_for(born: date, serial: int) -> Iin:
    for s in range(serial, serial + 50):
        found = make_iin(born, Sex.FEMALE, s)
        if found is not None:
            return found
    raise AssertionError("no IIN")


GOOD_PROFILE: dict[str, object] = {
    "citizenship": "citizen", "resident_since": date(1985, 1, 1), "education": "higher",
    "public_service_years": 10, "state_language_exam_passed": True, "has_unexpunged_criminal_record": False,
    "has_corruption_offence": False, "declared_legally_incapable": False, "serving_prison_sentence": False,
    "medical_exam_passed": True, "is_party_member": True, "is_woman": True, "is_youth": False,
    "has_disability": False}


def person(surname: str = "Сейітова", born: date = date(1985, 4, 12), serial: int = 1000,
           **profile: object) -> Person:
    return Person(iin=iin_for(born, serial), surname=surname, given_name="Әлия", patronymic="", birth_date=born,
                  profile={**GOOD_PROFILE, **profile},
                  texts={"biography_kk": "Өмірбаяны", "platform_kk": "Бағдарламасы"})


def advance(election: Election, *targets: Stage, at: datetime) -> Election:
    for target in targets:
        election = election_advance(actor=None, election=election, target=target, now=at)
    return election


def to_nomination(election: Election) -> Election:
    return advance(election, Stage.NOMINATION, at=CALLED + timedelta(days=1))


def to_registration(election: Election) -> Election:
    return advance(election, Stage.REGISTRATION, at=IN_REGISTRATION - timedelta(days=1))


def make_party(short: str, reps: list[User], registered: date = date(2002, 1, 1)) -> Party:
    party = services.party_save(actor=None, party=Party(name_kk=f"{short} партиясы", name_ru=f"Партия {short}",
                                                        name_en=f"{short} Party", short_name=short,
                                                        registered_on=registered), now=CALLED)
    services.party_representatives_set(actor=None, party=party, users=reps, now=CALLED)
    return party


def mazhilis(code: str = "mazhilis-2025") -> Election:
    return election_create(
        actor=None, code=code, type=ElectionType.MAZHILIS_PARTY_LIST, title_kk="Мәжіліс сайлауы",
        title_ru="Выборы в Мажилис", title_en="Mazhilis election",
        nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
        voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13), now=CALLED)


def candidates_world(users: dict[Role, User | None], election: Election) -> dict[str, str]:
    """Objects for the permission matrix (rows made directly: the election stays in draft)."""
    citizen, party_user = users[Role.CITIZEN], users[Role.PARTY]
    assert citizen is not None and party_user is not None
    party = make_party("Amanat", [party_user])
    candidate = Candidate.objects.create(
        election=election, surname="Сейітова", given_name="Әлия", birth_date=date(1985, 4, 12),
        identity_digest="0" * 64, nominator_kind="self", user=citizen, filed_by=citizen,
        status="nominated", nominated_at=CALLED, citizenship="citizen")
    stored = store_upload(pdf("programme.pdf"), at=CALLED)
    document = CandidateDocument.objects.create(candidate=candidate, kind="platform", file=stored, public=True,
                                                uploaded_at=CALLED)
    mandate = Mandate.objects.create(election=election, party=party, holder=candidate, started_at=CALLED)
    ended = Mandate.objects.create(election=election, party=party, holder=candidate, started_at=CALLED,
                                   ended_at=CALLED, end_reason="left_party")
    vacancy = Vacancy.objects.create(election=election, party=party, ended_mandate=ended, opened_at=CALLED,
                                     policy="party_nominates_from_registered_list",
                                     status=VacancyStatus.AWAITING_PARTY)
    return {"candidate": str(candidate.pk), "party": str(party.pk), "party_id": str(party.pk),
            "document": str(document.pk),
            "mandate": str(mandate.pk), "vacancy": str(vacancy.pk),
            "object_id@candidates.party": str(party.pk), "object_id@candidates.candidate": str(candidate.pk),
            "object_id@candidates.candidatedocument": str(document.pk),
            "object_id@candidates.mandate": str(mandate.pk), "object_id@candidates.vacancy": str(vacancy.pk),
            "object_id@candidates.partylist": str(_list(party, election))}


def _list(party: Party, election: Election) -> int:
    from saylau.web.candidates.models import PartyList

    return PartyList.objects.get_or_create(party=party, election=election)[0].pk
