"""Observers: the accreditation lifecycle and authority, incident reports and their deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.commissions import CommissionLevel
from saylau.domain.errors import ErrorCode, NaiveDatetime
from saylau.domain.observers import (
    ACCREDITATION_STEPS,
    ACCREDITING_LEVELS,
    ORGANISATION_MAX,
    Accreditation,
    AccreditationAuthorityRefused,
    AccreditationPending,
    AccreditationStatus,
    AccreditationStatusRefused,
    Incident,
    IncidentPolicy,
    IncidentStatus,
    IncidentStatusRefused,
    NotAccredited,
    ObservationInputInvalid,
    ObserverKind,
    RefusalReason,
    Resolution,
    RevocationReason,
    answer,
    answer_due,
    approve,
    close,
    keeps_observer_role,
    may_accredit,
    refuse,
    report,
    request,
    revoke,
)

ALMATY = timezone(timedelta(hours=5))
VOTE = datetime(2025, 3, 16, 7, 0, tzinfo=ALMATY)
ALL_LEVELS = frozenset(CommissionLevel)
DISTRICT = frozenset({CommissionLevel.DISTRICT})
CEC = frozenset({CommissionLevel.CEC})


def requested(kind: ObserverKind = ObserverKind.PARTY) -> Accreditation:
    return request(election="akim-2025", kind=kind, organisation="  Amanat  ")


# --- accreditation ------------------------------------------------------------------------


def test_a_request_starts_requested_with_the_organisation_trimmed() -> None:
    a = requested()
    assert (a.status, a.organisation, a.reason, a.is_active) == (AccreditationStatus.REQUESTED, "Amanat", "", False)


def test_approve_then_revoke() -> None:
    a = approve(requested(), levels=DISTRICT)
    assert a.status is AccreditationStatus.APPROVED and a.is_active
    r = revoke(a, reason=RevocationReason.MANDATE_WITHDRAWN, levels=DISTRICT)
    assert (r.status, r.reason, r.is_active) == (AccreditationStatus.REVOKED, "mandate_withdrawn", False)


def test_refusal_cites_its_reason() -> None:
    r = refuse(requested(), reason=RefusalReason.NO_MANDATE, levels=DISTRICT)
    assert (r.status, r.reason) == (AccreditationStatus.REFUSED, "no_mandate")


@pytest.mark.parametrize("step", ["approve", "refuse", "revoke"])
@pytest.mark.parametrize("status", list(AccreditationStatus))
def test_every_step_follows_the_lifecycle(step: str, status: AccreditationStatus) -> None:
    a = Accreditation(election="e", kind=ObserverKind.PARTY, organisation="Amanat", status=status)
    target = {"approve": AccreditationStatus.APPROVED, "refuse": AccreditationStatus.REFUSED,
              "revoke": AccreditationStatus.REVOKED}[step]
    do = {"approve": lambda: approve(a, levels=CEC),
          "refuse": lambda: refuse(a, reason=RefusalReason.INCOMPLETE, levels=CEC),
          "revoke": lambda: revoke(a, reason=RevocationReason.INTERFERENCE, levels=CEC)}[step]
    if target in ACCREDITATION_STEPS[status]:
        assert do().status is target
    else:
        with pytest.raises(AccreditationStatusRefused) as refused:
            do()
        assert refused.value.code is ErrorCode.ACCREDITATION_STATUS_REFUSED
        assert refused.value.data == {"current": status.value, "target": target.value}


def test_refused_and_revoked_are_final() -> None:
    assert ACCREDITATION_STEPS[AccreditationStatus.REFUSED] == frozenset()
    assert ACCREDITATION_STEPS[AccreditationStatus.REVOKED] == frozenset()


@pytest.mark.parametrize("kind", [ObserverKind.INTERNATIONAL, ObserverKind.FOREIGN_MEDIA])
def test_international_observers_and_foreign_media_are_accredited_by_the_cec_only(kind: ObserverKind) -> None:
    assert ACCREDITING_LEVELS[kind] == CEC
    a = requested(kind)
    for level in (CommissionLevel.TERRITORIAL, CommissionLevel.DISTRICT, CommissionLevel.PRECINCT):
        with pytest.raises(AccreditationAuthorityRefused) as refused:
            approve(a, levels=frozenset({level}))
        assert refused.value.data == {"kind": kind.value, "allowed": ["cec"]}
        with pytest.raises(AccreditationAuthorityRefused):
            refuse(a, reason=RefusalReason.NO_SUBMISSION, levels=frozenset({level}))
    assert approve(a, levels=frozenset({CommissionLevel.DISTRICT, CommissionLevel.CEC})).is_active


@pytest.mark.parametrize("kind", [ObserverKind.PARTY, ObserverKind.PUBLIC_ASSOCIATION, ObserverKind.MEDIA])
def test_domestic_observers_by_cec_territorial_or_district_not_precinct(kind: ObserverKind) -> None:
    for level in (CommissionLevel.CEC, CommissionLevel.TERRITORIAL, CommissionLevel.DISTRICT):
        assert may_accredit(kind, frozenset({level}))
    assert not may_accredit(kind, frozenset({CommissionLevel.PRECINCT}))
    assert not may_accredit(kind, frozenset())


def test_every_kind_has_an_accrediting_level() -> None:
    assert set(ACCREDITING_LEVELS) == set(ObserverKind)
    assert all(CommissionLevel.CEC in levels for levels in ACCREDITING_LEVELS.values())


def test_revocation_needs_authority_too() -> None:
    a = approve(requested(ObserverKind.INTERNATIONAL), levels=CEC)
    with pytest.raises(AccreditationAuthorityRefused):
        revoke(a, reason=RevocationReason.INTERFERENCE, levels=DISTRICT)


@pytest.mark.parametrize("status", [AccreditationStatus.REQUESTED, AccreditationStatus.APPROVED])
def test_one_live_accreditation_per_user_and_election(status: AccreditationStatus) -> None:
    with pytest.raises(AccreditationPending) as pending:
        request(election="e", kind=ObserverKind.PARTY, organisation="Amanat",
                existing=frozenset({AccreditationStatus.REFUSED, status}))
    assert pending.value.code is ErrorCode.ACCREDITATION_PENDING
    assert pending.value.data == {"election": "e", "status": status.value}


def test_after_a_refusal_or_revocation_one_may_ask_again() -> None:
    a = request(election="e", kind=ObserverKind.PARTY, organisation="Amanat",
                existing=frozenset({AccreditationStatus.REFUSED, AccreditationStatus.REVOKED}))
    assert a.status is AccreditationStatus.REQUESTED


@pytest.mark.parametrize(("organisation", "problem"), [("", "empty"), ("   ", "empty"),
                                                        ("x" * (ORGANISATION_MAX + 1), "too_long")])
def test_the_organisation_is_required_and_bounded(organisation: str, problem: str) -> None:
    with pytest.raises(ObservationInputInvalid) as bad:
        request(election="e", kind=ObserverKind.PARTY, organisation=organisation)
    assert (bad.value.code, bad.value.field, bad.value.problem) == (
        ErrorCode.OBSERVATION_INPUT_INVALID, "organisation", problem)


@settings(deadline=None)
@given(st.lists(st.sampled_from(list(AccreditationStatus)), max_size=6))
def test_observer_role_iff_an_active_accreditation(statuses: list[AccreditationStatus]) -> None:
    assert keeps_observer_role(statuses) == any(s is AccreditationStatus.APPROVED for s in statuses)


@settings(deadline=None)
@given(st.lists(st.sampled_from(["approve", "refuse", "revoke"]), max_size=6),
       st.sampled_from(list(ObserverKind)), st.sets(st.sampled_from(list(CommissionLevel))))
def test_any_sequence_of_steps_stays_in_the_lifecycle(steps: list[str], kind: ObserverKind,
                                                      levels: set[CommissionLevel]) -> None:
    a = requested(kind)
    seen = [a.status]
    for step in steps:
        try:
            if step == "approve":
                a = approve(a, levels=frozenset(levels))
            elif step == "refuse":
                a = refuse(a, reason=RefusalReason.INCOMPLETE, levels=frozenset(levels))
            else:
                a = revoke(a, reason=RevocationReason.OBSERVER_WITHDREW, levels=frozenset(levels))
        except (AccreditationStatusRefused, AccreditationAuthorityRefused):
            continue
        assert may_accredit(kind, frozenset(levels))
        assert a.status in ACCREDITATION_STEPS[seen[-1]]
        seen.append(a.status)
    assert len(seen) <= 3


# --- incidents ----------------------------------------------------------------------------


def reported(now: datetime = VOTE - timedelta(days=20)) -> Incident:
    return report(election="e", accredited=True, title=" Ballot box unsealed ", description="At 09:10 ...",
                  precinct=" 101 ", now=now, voting_day=VOTE, zone=ALMATY)


def test_a_report_is_open_and_due_in_five_days() -> None:
    now = VOTE - timedelta(days=20)
    i = report(election="e", accredited=True, title=" Ballot box ", description="d", precinct=" 101 ",
               now=now, voting_day=VOTE, zone=ALMATY)
    assert (i.status, i.title, i.precinct, i.due) == (IncidentStatus.OPEN, "Ballot box", "101", now + timedelta(days=5))


def test_only_an_accredited_observer_may_report() -> None:
    with pytest.raises(NotAccredited) as refused:
        report(election="e", accredited=False, title="t", description="d", now=VOTE, voting_day=VOTE, zone=ALMATY)
    assert refused.value.code is ErrorCode.NOT_ACCREDITED


def test_a_report_on_the_voting_day_is_due_the_same_day() -> None:
    now = VOTE + timedelta(hours=3)
    i = report(election="e", accredited=True, title="t", description="d", now=now, voting_day=VOTE, zone=ALMATY)
    assert i.due == datetime(2025, 3, 17, 0, 0, tzinfo=ALMATY)


def test_a_report_shortly_before_the_voting_day_is_due_by_its_end() -> None:
    now = VOTE - timedelta(days=2)
    assert answer_due(now, voting_day=VOTE, zone=ALMATY) == datetime(2025, 3, 17, 0, 0, tzinfo=ALMATY)


def test_a_report_after_the_voting_day_gets_the_full_delay() -> None:
    now = VOTE + timedelta(days=1)
    assert answer_due(now, voting_day=VOTE, zone=ALMATY) == now + timedelta(days=5)


def test_the_deadline_is_configurable() -> None:
    now = VOTE - timedelta(days=20)
    policy = IncidentPolicy(answer_within=timedelta(days=3), voting_day_same_day=False)
    assert answer_due(now, voting_day=VOTE, zone=ALMATY, policy=policy) == now + timedelta(days=3)
    assert answer_due(VOTE, voting_day=VOTE, zone=ALMATY, policy=policy) == VOTE + timedelta(days=3)
    assert answer_due(now, voting_day=None, zone=ALMATY) == now + timedelta(days=5)


@settings(deadline=None)
@given(st.integers(min_value=-40 * 24 * 60, max_value=40 * 24 * 60))
def test_the_deadline_is_never_before_the_report_nor_beyond_the_delay(minutes: int) -> None:
    now = VOTE + timedelta(minutes=minutes)
    due = answer_due(now, voting_day=VOTE, zone=ALMATY)
    assert now < due <= now + timedelta(days=5)
    end_of_voting_day = datetime(2025, 3, 17, 0, 0, tzinfo=ALMATY)
    if now < end_of_voting_day:
        assert due <= end_of_voting_day or due == now + timedelta(days=5) <= end_of_voting_day


def test_naive_times_are_refused() -> None:
    with pytest.raises(NaiveDatetime):
        answer_due(datetime(2025, 3, 1), voting_day=VOTE, zone=ALMATY)  # noqa: DTZ001
    with pytest.raises(NaiveDatetime):
        answer(reported(), text="a", resolution=Resolution.UPHELD, now=datetime(2025, 3, 1))  # noqa: DTZ001


def test_answer_then_close() -> None:
    i = reported()
    now = VOTE - timedelta(days=19)
    a = answer(i, text="  We checked.  ", resolution=Resolution.REFERRED, now=now)
    assert (a.status, a.answer, a.resolution, a.answered_at) == (IncidentStatus.ANSWERED, "We checked.",
                                                                 Resolution.REFERRED, now)
    c = close(a, now=now + timedelta(hours=1))
    assert (c.status, c.closed_at) == (IncidentStatus.CLOSED, now + timedelta(hours=1))


def test_answering_twice_is_refused() -> None:
    a = answer(reported(), text="a", resolution=Resolution.UPHELD, now=VOTE)
    with pytest.raises(IncidentStatusRefused) as refused:
        answer(a, text="again", resolution=Resolution.REJECTED, now=VOTE)
    assert refused.value.code is ErrorCode.INCIDENT_STATUS_REFUSED
    assert refused.value.data == {"current": "answered", "target": "answered"}
    with pytest.raises(IncidentStatusRefused):
        answer(close(a, now=VOTE), text="again", resolution=Resolution.REJECTED, now=VOTE)


def test_an_open_report_cannot_be_closed() -> None:
    with pytest.raises(IncidentStatusRefused) as refused:
        close(reported(), now=VOTE)
    assert refused.value.data == {"current": "open", "target": "closed"}


def test_an_answer_needs_a_text() -> None:
    with pytest.raises(ObservationInputInvalid) as bad:
        answer(reported(), text="  ", resolution=Resolution.UPHELD, now=VOTE)
    assert bad.value.field == "answer"


@pytest.mark.parametrize(("field", "values"), [
    ("title", {"title": ""}), ("title", {"title": "x" * 201}), ("description", {"description": " "}),
    ("precinct", {"precinct": "x" * 33}),
])
def test_report_fields_are_checked(field: str, values: dict[str, str]) -> None:
    args = {"title": "t", "description": "d", "precinct": "", **values}
    with pytest.raises(ObservationInputInvalid) as bad:
        report(election="e", accredited=True, now=VOTE, voting_day=VOTE, zone=ALMATY, **args)
    assert bad.value.field == field


def test_overdue_only_while_open() -> None:
    i = reported()
    assert not i.is_overdue(now=i.due)
    assert i.is_overdue(now=i.due + timedelta(seconds=1))
    a = answer(i, text="a", resolution=Resolution.REJECTED, now=i.due + timedelta(days=1))
    assert not a.is_overdue(now=a.due + timedelta(days=10))


def test_utc_and_local_times_agree() -> None:
    now = (VOTE + timedelta(hours=2)).astimezone(UTC)
    assert answer_due(now, voting_day=VOTE.astimezone(UTC), zone=ALMATY) == datetime(2025, 3, 17, tzinfo=ALMATY)
