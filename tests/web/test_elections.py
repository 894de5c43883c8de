"""Elections through the web layer: services call the domain lifecycle and write the audit log;
refusals come back as translated messages that name the rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from saylau.domain.election import ElectionType, Stage
from saylau.domain.errors import (
    InvalidSchedule,
    NaiveDatetime,
    NoApplicablePack,
    TransitionReason,
    TransitionRefused,
)
from saylau.web.core.access import Role
from saylau.web.core.errors import error_message
from saylau.web.core.models import AuditEntry
from saylau.web.elections.models import Election, StageChange
from saylau.web.elections.selectors import election_next_steps
from saylau.web.elections.services import election_advance, election_create
from saylau.web.territory.models import TerritorialUnit
from tests.web.conftest import CALLED, VOTE, client_for


def _create(territory: TerritorialUnit | None = None, **over: object) -> Election:
    args: dict[str, object] = dict(
        actor=None, code="akim-test", type=ElectionType.AKIM_RURAL, title_kk="Әкім сайлауы",
        territory=territory, nomination_closes=VOTE - timedelta(days=25),
        registration_closes=VOTE - timedelta(days=15), voting_opens=VOTE,
        voting_closes=VOTE + timedelta(hours=13), now=CALLED)
    args.update(over)
    return election_create(**args)  # type: ignore[arg-type]


def test_create_chooses_the_rule_pack_and_its_deadlines(election: Election) -> None:
    assert election.pack_id == "akim-rural-2021"
    assert election.stage == Stage.DRAFT
    assert election.latest_call is not None and election.latest_call < election.nomination_closes
    entry = AuditEntry.objects.get(action="election.create", object_id=str(election.pk))
    assert entry.data["pack"] == "akim-rural-2021" and entry.data["territory"] == "saraishyk"


def test_create_refuses_a_schedule_out_of_order(db: None) -> None:
    with pytest.raises(InvalidSchedule) as refused:
        _create(voting_closes=VOTE - timedelta(hours=1))
    with translation.override("kk"):
        assert "«Дауыс беру аяқталады»" in error_message(refused.value)
    with translation.override("ru"):
        assert "«Окончание голосования»" in error_message(refused.value)
    assert not Election.objects.exists() and not AuditEntry.objects.exists()


def test_create_refuses_naive_times_and_types_without_a_pack(db: None) -> None:
    with pytest.raises(NaiveDatetime):
        _create(voting_opens=VOTE.replace(tzinfo=None))
    with pytest.raises(NoApplicablePack) as refused:
        _create(type=ElectionType.REFERENDUM)  # the rules summary has no referendum pack yet
    with translation.override("ru"):
        assert error_message(refused.value) == ("На день голосования для этого вида выборов нет "
                                                "единственного применимого набора правил.")


def test_advance_moves_one_stage_and_audits(election: Election, users: dict[Role, User | None]) -> None:
    chair = users[Role.COMMISSION]
    moved = election_advance(actor=chair, election=election, target=Stage.NOMINATION, now=CALLED)
    assert moved.stage == Stage.NOMINATION == Election.objects.get(pk=election.pk).stage
    change = StageChange.objects.get(election=election)
    assert (change.source, change.target, change.at, change.actor) == ("draft", "nomination", CALLED, chair)
    entry = AuditEntry.objects.get(action="election.advance")
    assert entry.actor == chair and entry.data == {"code": election.code, "from": "draft", "to": "nomination"}


MESSAGES = {
    "kk": "Сайлау «Жоба» кезеңінен «Қорытындылар» кезеңіне өте алмайды: өмірлік цикл ережесі бойынша",
    "ru": "Выборы не могут перейти с этапа «Черновик» на этап «Итоги»: по правилу жизненного цикла",
    "en": "The election cannot go from stage “Draft” to stage “Results”: under the lifecycle rule",
}


def test_advance_refuses_an_illegal_transition_with_a_translated_message(
        election: Election, users: dict[Role, User | None]) -> None:
    with pytest.raises(TransitionRefused) as refused:
        election_advance(actor=users[Role.COMMISSION], election=election, target=Stage.RESULTS, now=CALLED)
    assert refused.value.reason is TransitionReason.NOT_ALLOWED
    for language, start in MESSAGES.items():
        with translation.override(language):
            assert error_message(refused.value).startswith(start)
    assert Election.objects.get(pk=election.pk).stage == Stage.DRAFT
    assert not StageChange.objects.exists()
    assert not AuditEntry.objects.filter(action="election.advance").exists()


def test_advance_refuses_outside_the_schedule_window(election: Election) -> None:
    election_advance(actor=None, election=election, target=Stage.NOMINATION, now=CALLED)
    with pytest.raises(TransitionRefused) as refused:
        election_advance(actor=None, election=election, target=Stage.REGISTRATION, now=CALLED)
    assert refused.value.reason is TransitionReason.TOO_EARLY
    with translation.override("kk"):
        assert error_message(refused.value).endswith(
            "бұл қадамның басталу уақыты — 2025 жылғы 19 ақпан, 07:00.")
    with translation.override("ru"):
        assert error_message(refused.value).endswith("не ранее 19 февраля 2025 г. 7:00.")
    with translation.override("en"):
        assert error_message(refused.value).endswith("this step opens on 19 February 2025, 07:00.")
    with pytest.raises(TransitionRefused) as behind:
        election_advance(actor=None, election=election, target=Stage.REGISTRATION,
                         now=CALLED - timedelta(days=1))
    assert behind.value.reason is TransitionReason.CLOCK_BEHIND


def test_next_steps_carry_the_domain_verdict(election: Election) -> None:
    [step] = election_next_steps(election=election, now=CALLED)
    assert step.target is Stage.NOMINATION and step.refusal is None
    [late] = election_next_steps(election=election, now=VOTE)
    assert late.refusal is not None and late.refusal.reason is TransitionReason.TOO_LATE


@pytest.fixture
def upcoming(saraishyk: TerritorialUnit) -> Election:
    """An election whose nomination may open now (voting in 60 days)."""
    now = timezone.now()
    vote = now + timedelta(days=60)
    return _create(code="akim-upcoming", territory=saraishyk, nomination_closes=vote - timedelta(days=25),
                   registration_closes=vote - timedelta(days=15), voting_opens=vote,
                   voting_closes=vote + timedelta(hours=13), latest_call=vote - timedelta(days=40), now=now)


def test_the_commission_advances_from_the_page(upcoming: Election, users: dict[Role, User | None]) -> None:
    chair = client_for(users[Role.COMMISSION])
    page = chair.get(f"/ru/elections/{upcoming.code}/").content.decode()
    assert "Перейти на этап «Выдвижение кандидатов»" in page
    response = chair.post(f"/ru/elections/{upcoming.code}/advance/", {"target": "nomination"}, follow=True)
    assert response.redirect_chain == [(f"/ru/elections/{upcoming.code}/", 302)]
    assert "Выборы перешли на этап «Выдвижение кандидатов»." in response.content.decode()
    assert Election.objects.get(pk=upcoming.pk).stage == Stage.NOMINATION
    assert AuditEntry.objects.get(action="election.advance").actor == users[Role.COMMISSION]


def test_the_page_shows_a_refusal_in_the_users_language(election: Election,
                                                        users: dict[Role, User | None]) -> None:
    chair = client_for(users[Role.COMMISSION])
    response = chair.post(f"/kk/elections/{election.code}/advance/", {"target": "results"})
    assert response.status_code == 409
    assert MESSAGES["kk"] in response.content.decode()
    bad = chair.post(f"/kk/elections/{election.code}/advance/", {"target": "nonsense"})
    assert bad.status_code == 400 and "Келесі кезеңді таңдаңыз." in bad.content.decode()
    assert Election.objects.get(pk=election.pk).stage == Stage.DRAFT


def test_only_the_commission_sees_the_actions(election: Election, users: dict[Role, User | None]) -> None:
    for role in Role:
        page = client_for(users[role]).get(f"/en/elections/{election.code}/").content.decode()
        assert ("Commission actions" in page) is (role is Role.COMMISSION)
