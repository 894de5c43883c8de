"""The commission tree, terms and scope (saylau.domain.commissions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.commissions import (
    ACTING_ROLES,
    CommissionLevel,
    MemberRole,
    Term,
    check_commission,
    covers,
    may_act,
)
from saylau.domain.errors import InvalidCommission, InvalidMembership, NaiveDatetime

T0 = datetime(2025, 1, 1, tzinfo=UTC)
# A small tree: region r1 (districts d1, d2; d1 has localities l1, l2), region r2 (district d3).
CHAINS = [(), ("r1",), ("r2",), ("d1", "r1"), ("d2", "r1"), ("d3", "r2"), ("l1", "d1", "r1"),
          ("l2", "d1", "r1")]
chains = st.sampled_from(CHAINS)
levels = st.sampled_from(list(CommissionLevel))


@settings(deadline=None)
@given(levels, chains, chains)
def test_a_decision_scope_is_also_an_operations_scope(level: CommissionLevel, own: tuple[str, ...],
                                                      election: tuple[str, ...]) -> None:
    if covers(level, own, election, decision=True):
        assert covers(level, own, election, decision=False)


@settings(deadline=None)
@given(chains, chains)
def test_scope_by_level(own: tuple[str, ...], election: tuple[str, ...]) -> None:
    assert covers(CommissionLevel.CEC, (), election)
    assert not covers(CommissionLevel.PRECINCT, own, election, decision=True)
    for level in (CommissionLevel.TERRITORIAL, CommissionLevel.DISTRICT):
        decides = covers(level, own, election, decision=True)
        assert decides == (bool(own) and own[0] in election)  # its territory or below; never nationwide
        overlap = not election or (bool(own) and (own[0] in election or election[0] in own))
        assert covers(level, own, election, decision=False) == (bool(own) and overlap)


def test_examples() -> None:
    district, locality, region = ("d1", "r1"), ("l1", "d1", "r1"), ("r1",)
    assert covers(CommissionLevel.DISTRICT, district, locality)
    assert not covers(CommissionLevel.DISTRICT, district, ())  # nationwide: no decisions ...
    assert covers(CommissionLevel.DISTRICT, district, (), decision=False)  # ... operations yes
    assert not covers(CommissionLevel.DISTRICT, district, ("d2", "r1"), decision=False)
    assert covers(CommissionLevel.TERRITORIAL, region, locality)
    assert covers(CommissionLevel.PRECINCT, locality, region, decision=False)
    assert not covers(CommissionLevel.PRECINCT, locality, ("l2", "d1", "r1"), decision=False)


@settings(deadline=None)
@given(st.integers(0, 100), st.one_of(st.none(), st.integers(1, 100)), st.one_of(st.none(), st.integers(0, 100)),
       st.integers(-10, 200), st.sampled_from(list(MemberRole)))
def test_terms(start: int, length: int | None, revoked: int | None, at: int, role: MemberRole) -> None:
    day = timedelta(days=1)
    term = Term(start=T0 + start * day, end=None if length is None else T0 + (start + length) * day,
                revoked_at=None if revoked is None else T0 + revoked * day)
    now = T0 + at * day
    want = at >= start and (length is None or at < start + length) and (revoked is None or at < revoked)
    assert term.active_at(now) == want
    assert may_act(role, term, now) == (want and role in ACTING_ROLES)
    assert MemberRole.ADVISORY not in ACTING_ROLES


def test_term_refusals() -> None:
    with pytest.raises(InvalidMembership) as refused:
        Term(start=T0, end=T0)
    assert refused.value.field == "end"
    with pytest.raises(NaiveDatetime):
        Term(start=datetime(2025, 1, 1))  # noqa: DTZ001
    with pytest.raises(NaiveDatetime):
        Term(start=T0).active_at(datetime(2025, 1, 1))  # noqa: DTZ001


def _check(level: CommissionLevel, **kw: object) -> None:
    args: dict[str, object] = dict(code="c", level=level, unit_level=None, has_precinct=False, parent_level=None,
                                   parent_chain=None, chain=())
    args.update(kw)
    check_commission(**args)  # type: ignore[arg-type]


def test_the_tree() -> None:
    _check(CommissionLevel.CEC)
    _check(CommissionLevel.TERRITORIAL, unit_level="region", parent_level=CommissionLevel.CEC, parent_chain=(),
           chain=("r1",))
    _check(CommissionLevel.DISTRICT, unit_level="district", parent_level=CommissionLevel.TERRITORIAL,
           parent_chain=("r1",), chain=("d1", "r1"))
    _check(CommissionLevel.PRECINCT, has_precinct=True, parent_level=CommissionLevel.DISTRICT,
           parent_chain=("d1", "r1"), chain=("l1", "d1", "r1"))
    _check(CommissionLevel.PRECINCT, has_precinct=True, parent_level=CommissionLevel.CEC, parent_chain=(), chain=())
    refusals = [
        (CommissionLevel.CEC, dict(unit_level="region"), "territory"),
        (CommissionLevel.CEC, dict(parent_level=CommissionLevel.CEC, parent_chain=()), "parent"),
        (CommissionLevel.TERRITORIAL, dict(unit_level="district", parent_level=CommissionLevel.CEC,
                                           parent_chain=()), "territory"),
        (CommissionLevel.DISTRICT, dict(unit_level="district", chain=("d1", "r1")), "parent"),
        (CommissionLevel.DISTRICT, dict(unit_level="district", parent_level=CommissionLevel.TERRITORIAL,
                                        parent_chain=("r2",), chain=("d1", "r1")), "parent"),
        (CommissionLevel.DISTRICT, dict(unit_level="district", parent_level=CommissionLevel.CEC,
                                        parent_chain=(), chain=("d1", "r1")), "parent"),
        (CommissionLevel.PRECINCT, dict(parent_level=CommissionLevel.DISTRICT, parent_chain=("d1", "r1")),
         "precinct"),
        (CommissionLevel.DISTRICT, dict(unit_level="district", has_precinct=True), "precinct"),
    ]
    for level, kw, field in refusals:
        with pytest.raises(InvalidCommission) as refused:
            _check(level, **kw)
        assert refused.value.field == field, (level, kw)
