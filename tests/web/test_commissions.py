"""Commissions: the tree, memberships (audited, on the board, kept in step with the `commission`
group) and the scope of members (`commission_may_act`), as the election pages apply it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import ElectionType, Stage
from saylau.domain.errors import CommissionScopeRefused, InvalidCommission, InvalidMembership
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.selectors import (
    commission_may_act,
    commissions_of,
    elections_for,
    territory_decision_membership,
)
from saylau.web.commissions.services import (
    commission_create,
    commission_group_sync,
    membership_add,
    membership_end,
)
from saylau.web.core.access import Role, role_of
from saylau.web.core.errors import error_message
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_create
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.services import precinct_create, territorial_unit_create
from tests.web.conftest import CALLED, LANGUAGES, VOTE, client_for, commission_tree


def _election(code: str, territory: TerritorialUnit | None, type: ElectionType = ElectionType.AKIM_RURAL,
              vote: object = VOTE, now: object = CALLED) -> Election:
    v = vote
    return election_create(actor=None, code=code, type=type, title_kk=code, territory=territory,
                           nomination_closes=v - timedelta(days=25), registration_closes=v - timedelta(days=15),  # type: ignore[operator]
                           voting_opens=v, voting_closes=v + timedelta(hours=13), now=now)  # type: ignore[arg-type, operator]


@pytest.fixture
def isatay(users: dict[Role, User | None]) -> Commission:
    """Another district (Isatay) of the Atyrau region, with its commission."""
    district = territorial_unit_create(actor=None, code="isatay", level=Level.DISTRICT, kind="district",
                                       parent=TerritorialUnit.objects.get(code="atyrau"), name_kk="Исатай ауданы",
                                       now=CALLED)
    return commission_create(actor=None, code="isatay", level=CommissionLevel.DISTRICT,
                             name_kk="Исатай аудандық аумақтық сайлау комиссиясы", territory=district,
                             parent=commission_tree()["atyrau-tec"], now=CALLED)


def _member(name: str, commission: Commission, role: MemberRole = MemberRole.MEMBER, **kw: object) -> User:
    user = User.objects.create_user(name, password=f"{name}-password-1")
    membership_add(actor=None, commission=commission, user=user, role=role, start=kw.pop("start", CALLED),  # type: ignore[arg-type]
                   now=CALLED, **kw)  # type: ignore[arg-type]
    return user


# --- scope -------------------------------------------------------------------------------------


def test_the_district_chair_acts_on_an_election_in_the_district(users: dict[Role, User | None],
                                                                  election: Election) -> None:
    chair = users[Role.COMMISSION]
    assert commission_may_act(chair, election, now=CALLED)  # type: ignore[arg-type]
    assert [c.code for c in commissions_of(chair, now=CALLED)] == ["makhambet"]  # type: ignore[arg-type]


def test_nobody_else_acts(users: dict[Role, User | None], election: Election) -> None:
    for role in Role:
        if role is not Role.COMMISSION:
            from django.contrib.auth.models import AnonymousUser
            user = users[role] or AnonymousUser()
            assert not commission_may_act(user, election, now=CALLED), role
            assert not commission_may_act(user, election, decision=False, now=CALLED), role


def test_scope_by_level(users: dict[Role, User | None], election: Election, isatay: Commission) -> None:
    tree = commission_tree()
    cec, region, other = (_member("cec-m", tree["cec"]), _member("region-m", tree["atyrau-tec"]),
                          _member("isatay-m", isatay))
    nationwide = _election("president-2025", None, ElectionType.PRESIDENTIAL)
    regional = _election("maslikhat-atyrau", TerritorialUnit.objects.get(code="atyrau"),
                         ElectionType.MASLIKHAT_DISTRICT)
    chair = users[Role.COMMISSION]
    at = CALLED
    assert commission_may_act(cec, nationwide, now=at) and commission_may_act(cec, election, now=at)
    assert commission_may_act(region, regional, now=at) and commission_may_act(region, election, now=at)
    assert not commission_may_act(region, nationwide, now=at)
    assert commission_may_act(region, nationwide, decision=False, now=at)
    assert not commission_may_act(other, election, now=at)
    assert not commission_may_act(other, election, decision=False, now=at)  # no overlap at all
    assert not commission_may_act(chair, regional, now=at)  # above its territory: no decisions ...
    assert commission_may_act(chair, regional, decision=False, now=at)  # ... operations in its precincts
    assert not commission_may_act(chair, nationwide, now=at)  # type: ignore[arg-type]
    assert commission_may_act(chair, nationwide, decision=False, now=at)  # type: ignore[arg-type]
    work = {(w.election.code, w.decision) for w in elections_for(chair, now=at)}  # type: ignore[arg-type]
    assert work == {("akim-saraishyk-2025", True), ("maslikhat-atyrau", False), ("president-2025", False)}


def test_a_precinct_commission_never_decides(users: dict[Role, User | None], election: Election) -> None:
    saraishyk = TerritorialUnit.objects.get(code="saraishyk")
    precinct = precinct_create(actor=None, code="p-1", number=1, territory=saraishyk, address_kk="Сарайшық",
                               now=CALLED)
    pec = commission_create(actor=None, code="pec-1", level=CommissionLevel.PRECINCT, name_kk="№1 учаскелік комиссия",
                            precinct=precinct, parent=commission_tree()["makhambet"], now=CALLED)
    member = _member("pec-m", pec, MemberRole.CHAIR)
    assert not commission_may_act(member, election, now=CALLED)
    assert commission_may_act(member, election, decision=False, now=CALLED)
    assert territory_decision_membership(member, saraishyk, now=CALLED) is None


def test_advisory_members_read_but_never_act(election: Election, users: dict[Role, User | None]) -> None:
    advisor = _member("advisor", commission_tree()["makhambet"], MemberRole.ADVISORY, nominated_by="Ауыл")
    assert role_of(advisor) is Role.COMMISSION
    assert not commission_may_act(advisor, election, now=CALLED)
    assert not commission_may_act(advisor, election, decision=False, now=CALLED)
    assert elections_for(advisor, now=CALLED) == []


def test_a_term_that_ended_or_was_revoked_loses_scope_at_once(election: Election,
                                                                users: dict[Role, User | None]) -> None:
    makhambet = commission_tree()["makhambet"]
    end = CALLED + timedelta(days=10)
    termed = _member("termed", makhambet, end=end)
    assert commission_may_act(termed, election, now=end - timedelta(seconds=1))
    assert not commission_may_act(termed, election, now=end)
    assert not commission_may_act(termed, election, now=CALLED - timedelta(seconds=1))  # not started
    revoked = _member("revoked", makhambet)
    membership = Membership.objects.get(user=revoked)
    at = CALLED + timedelta(days=1)
    membership_end(actor=None, membership=membership, now=at, reason="resigned")
    assert commission_may_act(revoked, election, now=at - timedelta(seconds=1))
    assert not commission_may_act(revoked, election, now=at)
    assert role_of(revoked) is Role.CITIZEN  # the group follows
    with pytest.raises(InvalidMembership) as again:
        membership_end(actor=None, membership=membership, now=at + timedelta(days=1))
    assert again.value.field == "revoked_at"


def test_the_group_sync_follows_the_clock(election: Election, users: dict[Role, User | None]) -> None:
    makhambet = commission_tree()["makhambet"]
    end = CALLED + timedelta(days=3)
    termed = _member("termed", makhambet, end=end)
    assert role_of(termed) is Role.COMMISSION
    assert commission_group_sync(now=end) == 1  # "termed" leaves; the chair (no end) stays
    assert role_of(User.objects.get(pk=termed.pk)) is Role.CITIZEN
    assert role_of(User.objects.get(pk=users[Role.COMMISSION].pk)) is Role.COMMISSION  # type: ignore[union-attr]


def test_a_superuser_is_never_a_member(users: dict[Role, User | None]) -> None:
    with pytest.raises(InvalidMembership) as refused:
        membership_add(actor=None, commission=commission_tree()["cec"], user=users[Role.SUPERUSER],  # type: ignore[arg-type]
                       role=MemberRole.MEMBER, start=CALLED, now=CALLED)
    assert refused.value.field == "user"


def test_membership_refusals(users: dict[Role, User | None]) -> None:
    makhambet = commission_tree()["makhambet"]
    chair = users[Role.COMMISSION]
    other = User.objects.create_user("other")
    cases = [
        (dict(user=chair, role=MemberRole.MEMBER, start=CALLED), "user"),  # already sits there
        (dict(user=other, role=MemberRole.CHAIR, start=CALLED + timedelta(days=1)), "role"),  # one chair
        (dict(user=other, role=MemberRole.MEMBER, start=CALLED, end=CALLED), "end"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidMembership) as refused:
            membership_add(actor=None, commission=makhambet, now=CALLED, **kwargs)  # type: ignore[arg-type]
        assert refused.value.field == field
    assert not Membership.objects.filter(user=other).exists()


# --- the tree ----------------------------------------------------------------------------------


def test_commission_refusals(users: dict[Role, User | None], isatay: Commission) -> None:
    tree = commission_tree()
    atyrau, makhambet = (TerritorialUnit.objects.get(code=c) for c in ("atyrau", "makhambet"))
    cases = [
        (dict(level=CommissionLevel.CEC, territory=atyrau), "territory"),
        (dict(level=CommissionLevel.TERRITORIAL, territory=makhambet, parent=tree["cec"]), "territory"),
        (dict(level=CommissionLevel.DISTRICT, territory=makhambet, parent=tree["cec"]), "parent"),
        (dict(level=CommissionLevel.DISTRICT, territory=makhambet), "parent"),
        (dict(level=CommissionLevel.PRECINCT, parent=tree["makhambet"]), "precinct"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidCommission) as refused:
            commission_create(actor=None, code="bad", name_kk="Қате", now=CALLED, **kwargs)  # type: ignore[arg-type]
        assert refused.value.field == field, kwargs
    precinct = precinct_create(actor=None, code="p-7", number=7, territory=TerritorialUnit.objects.get(code="saraishyk"),
                               address_kk="Сарайшық", now=CALLED)
    with pytest.raises(InvalidCommission) as outside:  # Isatay cannot form a Makhambet precinct's commission
        commission_create(actor=None, code="bad", name_kk="Қате", level=CommissionLevel.PRECINCT,
                          precinct=precinct, parent=isatay, now=CALLED)
    assert outside.value.field == "parent"
    assert not Commission.objects.filter(code="bad").exists()


def test_the_parent_commission_forms_its_children(users: dict[Role, User | None], isatay: Commission) -> None:
    precinct = precinct_create(actor=None, code="p-8", number=8, territory=TerritorialUnit.objects.get(code="saraishyk"),
                               address_kk="Сарайшық", now=CALLED)
    kwargs = dict(code="pec-8", name_kk="№8 учаскелік комиссия", level=CommissionLevel.PRECINCT, precinct=precinct,
                  parent=commission_tree()["makhambet"], now=CALLED)
    outsider = _member("isatay-m", isatay)
    with pytest.raises(CommissionScopeRefused):
        commission_create(actor=outsider, **kwargs)  # type: ignore[arg-type]
    pec = commission_create(actor=users[Role.COMMISSION], **kwargs)  # type: ignore[arg-type]
    assert AuditEntry.objects.get(action="commission.create", object_id=str(pec.pk)).actor == users[Role.COMMISSION]
    assert BoardEvent.objects.filter(kind="commission.formed", data__commission="pec-8").exists()


def test_membership_is_audited_and_published_without_private_data(users: dict[Role, User | None]) -> None:
    entry = AuditEntry.objects.get(action="commission.member_add")
    assert entry.data["role"] == "chair" and entry.data["commission"] == "makhambet"
    event = BoardEvent.objects.get(kind="commission.member_added")
    assert event.data == {"commission": "makhambet", "level": "district", "role": "chair",
                          "member": "Айбек Серікұлы", "nominated_by": "", "start": CALLED.isoformat(), "end": None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_messages_are_translated(language: str) -> None:
    errors = [InvalidCommission("x", "parent", "r"), InvalidMembership("role", "r"), CommissionScopeRefused("e")]
    for error in errors:
        with translation.override("en"):
            english = error_message(error)
        with translation.override(language):
            message = error_message(error)
        assert message and "code" not in message
        if language != "en":
            assert message != english
            import re
            assert not re.search(r"[A-Za-z]{4,}", message), message


# --- the election pages apply the scope ------------------------------------------------------


def test_a_member_of_another_district_gets_403(users: dict[Role, User | None], isatay: Commission) -> None:
    now = timezone.now()
    vote = now + timedelta(days=60)
    upcoming = election_create(actor=None, code="akim-upcoming", type=ElectionType.AKIM_RURAL, title_kk="Әкім",
                               territory=TerritorialUnit.objects.get(code="saraishyk"),
                               nomination_closes=vote - timedelta(days=25), registration_closes=vote - timedelta(days=15),
                               voting_opens=vote, voting_closes=vote + timedelta(hours=13),
                               latest_call=vote - timedelta(days=40), now=now)
    outsider = client_for(_member("isatay-m", isatay))
    page = outsider.get(f"/en/elections/{upcoming.code}/").content.decode()
    assert "Commission actions" not in page
    assert outsider.post(f"/en/elections/{upcoming.code}/advance/", {"target": "nomination"}).status_code == 403
    assert Election.objects.get(pk=upcoming.pk).stage == Stage.DRAFT
    chair = client_for(users[Role.COMMISSION])
    assert "Commission actions" in chair.get(f"/en/elections/{upcoming.code}/").content.decode()
    assert chair.post(f"/en/elections/{upcoming.code}/advance/", {"target": "nomination"}).status_code == 302
    assert Election.objects.get(pk=upcoming.pk).stage == Stage.NOMINATION
