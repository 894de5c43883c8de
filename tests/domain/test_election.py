"""The election lifecycle: allowed and refused transitions, schedule windows, time as a parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from saylau.domain.election import (
    TRANSITIONS,
    Election,
    ElectionId,
    ElectionType,
    Schedule,
    Stage,
    advance,
    can_advance,
    is_overdue,
    transition_refusal,
)
from saylau.domain.errors import (
    ErrorCode,
    InvalidSchedule,
    NaiveDatetime,
    TransitionReason,
    TransitionRefused,
)
from saylau.domain.rulepack import call_deadline, load_builtin_pack, results_deadline

ALMATY = timezone(timedelta(hours=5))
VOTE = datetime(2025, 3, 16, 7, 0, tzinfo=ALMATY)


def make_schedule(**over: datetime | None) -> Schedule:
    base: dict[str, datetime | None] = dict(
        latest_call=VOTE - timedelta(days=40),
        nomination_closes=VOTE - timedelta(days=25),
        registration_closes=VOTE - timedelta(days=15),
        voting_opens=VOTE,
        voting_closes=VOTE + timedelta(hours=13),
        results_due=VOTE + timedelta(days=2),
    )
    base.update(over)
    return Schedule(**base)


def make_election(**over: datetime | None) -> Election:
    return Election(id=ElectionId("akim-2025-kaskelen"), type=ElectionType.AKIM_RURAL,
                    title="Akim of Kaskelen rural district", schedule=make_schedule(**over),
                    pack_id="akim-rural-2021")


def run_to(election: Election, target: Stage) -> Election:
    """Walk the happy path, each step at the first moment its window allows."""
    s = election.schedule
    when = {Stage.NOMINATION: s.latest_call - timedelta(days=1) if s.latest_call else s.nomination_closes,
            Stage.REGISTRATION: s.nomination_closes, Stage.CAMPAIGN: s.registration_closes,
            Stage.VOTING: s.voting_opens, Stage.COUNTING: s.voting_closes,
            Stage.RESULTS: s.voting_closes + timedelta(hours=5),
            Stage.CLOSED: s.voting_closes + timedelta(days=5)}
    order = list(Stage)
    while election.stage is not target:
        nxt = order[order.index(election.stage) + 1]
        election = advance(election, nxt, now=when[nxt])
    return election


def test_happy_path_visits_every_stage_and_records_history() -> None:
    e = run_to(make_election(), Stage.CLOSED)
    assert [c.target for c in e.history] == list(Stage)[1:]
    assert [c.source for c in e.history] == list(Stage)[:-1]
    assert all(a.at <= b.at for a, b in zip(e.history, e.history[1:], strict=False))


def test_advance_is_pure() -> None:
    e = make_election()
    e2 = advance(e, Stage.NOMINATION, now=VOTE - timedelta(days=50))
    assert e.stage is Stage.DRAFT and e.history == ()
    assert e2.stage is Stage.NOMINATION


@pytest.mark.parametrize("current", list(Stage))
@pytest.mark.parametrize("target", list(Stage))
def test_only_successors_are_allowed(current: Stage, target: Stage) -> None:
    e = run_to(make_election(), current)
    refusal = transition_refusal(e, target, now=VOTE + timedelta(days=3))
    if target not in TRANSITIONS[current]:
        assert refusal is not None
        assert refusal.reason is TransitionReason.NOT_ALLOWED
        assert (refusal.current, refusal.target) == (current.value, target.value)
        assert f"from {current.value!r} to {target.value!r}" in str(refusal)


def test_stages_form_one_line() -> None:
    order = list(Stage)
    for i, stage in enumerate(order):
        assert TRANSITIONS[stage] == (frozenset({order[i + 1]}) if i + 1 < len(order) else frozenset())


def test_refusal_names_current_target_and_why() -> None:
    e = run_to(make_election(), Stage.CAMPAIGN)
    early = VOTE - timedelta(hours=1)
    with pytest.raises(TransitionRefused) as err:
        advance(e, Stage.VOTING, now=early)
    r = err.value
    assert r.code is ErrorCode.TRANSITION_REFUSED
    assert (r.current, r.target, r.reason) == ("campaign", "voting", TransitionReason.TOO_EARLY)
    assert r.not_before == VOTE.isoformat()
    assert r.data == {"election": "akim-2025-kaskelen", "current": "campaign", "target": "voting",
                      "reason": "too_early", "not_before": VOTE.isoformat(), "not_after": None}
    assert "akim-2025-kaskelen" in str(r) and "'campaign' to 'voting'" in str(r)
    assert not can_advance(e, Stage.VOTING, now=early)
    assert can_advance(e, Stage.VOTING, now=VOTE)


def test_calling_after_the_pack_deadline_is_too_late() -> None:
    e = make_election()
    late = VOTE - timedelta(days=39)
    refusal = transition_refusal(e, Stage.NOMINATION, now=late)
    assert refusal is not None and refusal.reason is TransitionReason.TOO_LATE
    assert refusal.not_after == (VOTE - timedelta(days=40)).isoformat()
    assert transition_refusal(e, Stage.NOMINATION, now=VOTE - timedelta(days=40)) is None


def test_voting_cannot_open_after_it_closed_and_counting_waits_for_the_close() -> None:
    e = run_to(make_election(), Stage.CAMPAIGN)
    after = VOTE + timedelta(hours=14)
    refusal = transition_refusal(e, Stage.VOTING, now=after)
    assert refusal is not None and refusal.reason is TransitionReason.TOO_LATE
    v = run_to(make_election(), Stage.VOTING)
    refusal = transition_refusal(v, Stage.COUNTING, now=VOTE + timedelta(hours=12))
    assert refusal is not None and refusal.reason is TransitionReason.TOO_EARLY


def test_nomination_closes_before_registration() -> None:
    e = run_to(make_election(), Stage.NOMINATION)
    refusal = transition_refusal(e, Stage.REGISTRATION, now=VOTE - timedelta(days=26))
    assert refusal is not None and refusal.reason is TransitionReason.TOO_EARLY


def test_clock_going_backwards_is_refused() -> None:
    e = run_to(make_election(), Stage.COUNTING)
    refusal = transition_refusal(e, Stage.RESULTS, now=VOTE)
    assert refusal is not None and refusal.reason is TransitionReason.CLOCK_BEHIND


def test_naive_now_is_refused() -> None:
    with pytest.raises(NaiveDatetime) as err:
        transition_refusal(make_election(), Stage.NOMINATION, now=datetime(2025, 1, 1))
    assert err.value.field == "now"


def test_schedule_must_be_aware_and_ordered() -> None:
    with pytest.raises(NaiveDatetime, match="schedule.voting_opens"):
        make_schedule(voting_opens=datetime(2025, 3, 16, 7))
    with pytest.raises(InvalidSchedule) as err:
        make_schedule(voting_closes=VOTE)
    assert err.value.field == "voting_closes"
    with pytest.raises(InvalidSchedule) as err:
        make_schedule(registration_closes=VOTE - timedelta(days=30))
    assert err.value.field == "registration_closes"
    with pytest.raises(InvalidSchedule, match="latest_call"):
        make_schedule(latest_call=VOTE - timedelta(days=25))
    # optional bounds may be absent
    make_schedule(latest_call=None, results_due=None)


def test_times_in_other_zones_compare_as_instants() -> None:
    e = run_to(make_election(), Stage.CAMPAIGN)
    assert can_advance(e, Stage.VOTING, now=VOTE.astimezone(UTC))
    assert not can_advance(e, Stage.VOTING, now=(VOTE - timedelta(seconds=1)).astimezone(UTC))


def test_overdue_results() -> None:
    e = run_to(make_election(), Stage.COUNTING)
    assert not is_overdue(e, now=VOTE + timedelta(days=1))
    assert is_overdue(e, now=VOTE + timedelta(days=3))
    done = advance(e, Stage.RESULTS, now=VOTE + timedelta(days=3))  # late, but never refused
    assert not is_overdue(done, now=VOTE + timedelta(days=3))


def test_deadlines_from_packs() -> None:
    akim = load_builtin_pack("akim-rural-2021")
    assert call_deadline(akim, VOTE) == VOTE - timedelta(days=40)
    president = load_builtin_pack("president-2022")
    assert call_deadline(president, VOTE) is None
    closes = VOTE + timedelta(hours=13)
    maslikhat = load_builtin_pack("maslikhat-2023")
    assert results_deadline(maslikhat, ElectionType.MASLIKHAT_MIXED, closes) == closes + timedelta(days=5)
    assert results_deadline(maslikhat, ElectionType.MASLIKHAT_DISTRICT, closes) == closes + timedelta(days=2)
    mazhilis = load_builtin_pack("mazhilis-2023")
    assert results_deadline(mazhilis, ElectionType.MAZHILIS_PARTY_LIST, closes) == closes + timedelta(days=10)
    with pytest.raises(NaiveDatetime):
        call_deadline(akim, datetime(2025, 3, 16))


def test_election_types() -> None:
    assert ElectionType.PRESIDENTIAL.is_single_winner
    assert ElectionType.AKIM_TOWN.is_single_winner
    assert not ElectionType.MAZHILIS_PARTY_LIST.is_single_winner
    assert ElectionType.MASLIKHAT_MIXED.has_party_list
    assert not ElectionType.REFERENDUM.is_single_winner and not ElectionType.REFERENDUM.has_party_list
