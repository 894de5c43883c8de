"""Results protocols: control figures, aggregation upward, recomputation (domain.protocol)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.protocol import (
    Check,
    Level,
    Protocol,
    ProtocolInvalid,
    aggregate,
    control_findings,
    from_json,
    percent,
    recompute_findings,
    to_json,
)

# kz-election-rules.md §8.2: the presidential election of 20 November 2022 (final CEC results).
PRESIDENT_2022 = {"tokayev": 6_456_393, "dairabayev": 271_641, "abden": 206_206, "kazhyken": 200_907,
                  "auesbayev": 176_116, "tursynbekova": 168_731}
PUBLISHED_PERCENT = {"tokayev": "81.31", "dairabayev": "3.42", "abden": "2.60", "kazhyken": "2.53",
                     "auesbayev": "2.22", "tursynbekova": "2.12"}


def _president() -> Protocol:
    return Protocol(election="president-2022", unit="kz", level=Level.COUNTRY, voters_on_roll=11_953_465,
                    ballots_issued=8_300_046, ballots_cast=8_300_046, ballots_invalid=359_568,
                    votes=PRESIDENT_2022, against_all=460_484)


def test_the_2022_presidential_protocol_reproduces_the_published_figures() -> None:
    p = _president()
    assert p.valid == 7_940_478
    assert control_findings(p) == []
    assert {c: percent(p.share(c)) for c in PRESIDENT_2022} == PUBLISHED_PERCENT
    assert percent(p.share(None)) == "5.80"
    assert percent(p.turnout) == "69.44"
    assert p.share("tokayev") > Fraction(1, 2)  # type: ignore[operator]  # elected in the first round


def test_control_relations_are_reported_one_by_one() -> None:
    p = Protocol(election="e", unit="p1", level=Level.PRECINCT, voters_on_roll=10, ballots_issued=12,
                 ballots_cast=13, ballots_invalid=1, votes={"a": 5, "b": 5}, against_all=1)
    assert [f.check for f in control_findings(p)] == [
        Check.CAST_EQUALS_VALID_PLUS_INVALID, Check.CAST_AT_MOST_ISSUED, Check.ISSUED_AT_MOST_ROLL]


@pytest.mark.parametrize(("change", "field"), [
    ({"voters_on_roll": -1}, "voters_on_roll"),
    ({"ballots_cast": 1.5}, "ballots_cast"),
    ({"votes": {"a": True}}, "votes[a]"),
    ({"votes": {}}, "votes"),
    ({"against_all": -3}, "against_all"),
    ({"parts": ("x", "x")}, "parts"),
])
def test_bad_figures_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    base: dict[str, object] = dict(election="e", unit="p1", level=Level.PRECINCT, voters_on_roll=10,
                                   ballots_issued=5, ballots_cast=5, ballots_invalid=0, votes={"a": 5},
                                   against_all=0)
    with pytest.raises(ProtocolInvalid) as refused:
        Protocol(**{**base, **change})  # type: ignore[arg-type]
    assert refused.value.field == field


def _split(total: Protocol, cuts: list[int]) -> list[Protocol]:
    """`total` cut into precincts: each figure shared out by `cuts` (deterministic)."""
    n = len(cuts)
    out = []
    for i in range(n):
        def share(x: int, i: int = i) -> int:
            return x // n + (1 if i < x % n else 0)
        votes = {c: share(v) for c, v in total.votes.items()}
        against = share(total.against_all or 0)
        invalid = share(total.ballots_invalid)
        cast = sum(votes.values()) + against + invalid
        out.append(Protocol(election=total.election, unit=f"p{i}", level=Level.PRECINCT,
                            voters_on_roll=cast + cuts[i], ballots_issued=cast + cuts[i] // 2, ballots_cast=cast,
                            ballots_invalid=invalid, votes=votes, against_all=against))
    return out


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=12),
       st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 10_000), min_size=1),
       st.integers(0, 500), st.integers(0, 300))
def test_aggregating_precincts_gives_a_consistent_protocol_that_recomputes(
        cuts: list[int], votes: dict[str, int], against: int, invalid: int) -> None:
    cast = sum(votes.values()) + against + invalid
    total = Protocol(election="e", unit="d1", level=Level.DISTRICT, voters_on_roll=cast, ballots_issued=cast,
                     ballots_cast=cast, ballots_invalid=invalid, votes=votes, against_all=against)
    precincts = _split(total, cuts)
    district = aggregate(election="e", unit="d1", level=Level.DISTRICT, parts=precincts)
    assert all(control_findings(p) == [] for p in precincts)
    assert control_findings(district) == []
    assert district.votes == total.votes and district.against_all == against
    assert recompute_findings(district, precincts) == []
    assert from_json(to_json(district)) == district
    # any published figure that is not the sum is found
    forged = from_json({**to_json(district), "ballots_invalid": district.ballots_invalid + 1, "valid": district.valid})
    assert [f.check for f in recompute_findings(forged, precincts)] == [Check.FIGURE_DIFFERS]
    if precincts[1:]:
        assert recompute_findings(district, precincts[1:])[0].check is Check.PART_MISSING


def test_parts_that_do_not_fit_together_are_refused() -> None:
    a = Protocol(election="e", unit="p1", level=Level.PRECINCT, voters_on_roll=3, ballots_issued=3,
                 ballots_cast=3, ballots_invalid=0, votes={"a": 2, "b": 1}, against_all=0)
    for other, field in [
        (Protocol(election="other", unit="p2", level=Level.PRECINCT, voters_on_roll=1, ballots_issued=1,
                  ballots_cast=1, ballots_invalid=0, votes={"a": 1, "b": 0}, against_all=0), "parts[p2]"),
        (Protocol(election="e", unit="p2", level=Level.PRECINCT, voters_on_roll=1, ballots_issued=1,
                  ballots_cast=1, ballots_invalid=0, votes={"b": 0, "a": 1}, against_all=0), "parts[p2].votes"),
        (Protocol(election="e", unit="p2", level=Level.PRECINCT, voters_on_roll=1, ballots_issued=1,
                  ballots_cast=1, ballots_invalid=0, votes={"a": 1, "b": 0}, against_all=None),
         "parts[p2].against_all"),
        (a, "parts[p1]"),
    ]:
        with pytest.raises(ProtocolInvalid) as refused:
            aggregate(election="e", unit="d1", level=Level.DISTRICT, parts=[a, other])
        assert refused.value.field == field
    with pytest.raises(ProtocolInvalid):
        aggregate(election="e", unit="d1", level=Level.DISTRICT, parts=[])


@pytest.mark.parametrize(("doc", "field"), [
    ({"votes": "x"}, "votes"),
    ({"votes": [{"contestant": "a"}]}, "votes"),
    ({"votes": [{"contestant": "a", "votes": 1}, {"contestant": "a", "votes": 2}]}, "votes[a]"),
    ({"level": "planet"}, "level"),
    ({"valid": 999}, "valid"),
    ({"parts": "p1"}, "parts"),
])
def test_malformed_documents_are_refused(doc: dict[str, object], field: str) -> None:
    base = to_json(_president())
    with pytest.raises(ProtocolInvalid) as refused:
        from_json({**base, **doc})
    assert refused.value.field == field
    missing = dict(base)
    del missing["ballots_cast"]
    with pytest.raises(ProtocolInvalid, match="ballots_cast"):
        from_json(missing)


def test_percent_rounds_half_up() -> None:
    assert percent(Fraction(1, 8), 2) == "12.50"
    assert percent(Fraction(1, 800), 2) == "0.13"  # 0.125 → 0.13
    assert percent(None) == "–"
