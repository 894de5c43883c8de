"""domain.results: the ballot definition, answers → contestants, the counting rule from the pack,
the outcome, and the re-check of published results events (what `saylau results check` runs)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.election import ElectionType
from saylau.domain.protocol import Level, Protocol, aggregate, to_json
from saylau.domain.results import (
    BallotDefinition,
    BallotMismatch,
    Contestant,
    ControlFiguresFailed,
    CountingRule,
    ResultsStepRefused,
    System,
    check_published,
    counting_rule,
    decide,
    definition_from_json,
    kazakh_sort_key,
    protocol_sha256,
    require_control,
    rule_from_json,
    votes_from_result,
)
from saylau.domain.rulepack import load_builtin_pack

DEF = BallotDefinition("e1", 0, (Contestant("a", "Ana", 1), Contestant("b", "Bek", 0)), 1, "Against all")


def test_answers_map_through_the_definition() -> None:
    assert DEF.answers() == ("Ana", "Against all", "Bek")
    assert votes_from_result(DEF, "p1", ["Ana", "Against all", "Bek"], [3, 1, 2]) == ({"a": 3, "b": 2}, 1)
    assert definition_from_json(DEF.to_json()) == DEF
    for answers, counts, blank in ((["Bek", "Against all", "Ana"], [1, 1, 1], False),
                                   (["Ana", "Against all"], [1, 1], False),
                                   (["Ana", "Against all", "Bek"], [1, 1], False),
                                   (["Ana", "Against all", "Bek"], [0, 1, 1, 1], True)):
        with pytest.raises(BallotMismatch):
            votes_from_result(DEF, "p1", answers, counts, blank=blank)
    with pytest.raises(ResultsStepRefused):
        BallotDefinition("e1", 0, (), None)


def test_kazakh_alphabetical_order() -> None:
    names = ["Жанов", "Әлиев", "Бекова", "Ғабит", "Гүл", "Аман", "Іле", "Ыбырай"]
    assert sorted(names, key=kazakh_sort_key) == ["Аман", "Әлиев", "Бекова", "Гүл", "Ғабит", "Жанов", "Ыбырай", "Іле"]


def test_the_counting_rule_comes_from_the_pack() -> None:
    assert counting_rule(load_builtin_pack("president-2022"), ElectionType.PRESIDENTIAL) == CountingRule(System.MAJORITY)
    assert counting_rule(load_builtin_pack("akim-rural-2021"), ElectionType.AKIM_RURAL) == CountingRule(System.PLURALITY)
    mazhilis = counting_rule(load_builtin_pack("mazhilis-2023"), ElectionType.MAZHILIS_PARTY_LIST)
    assert (mazhilis.seats, mazhilis.threshold, mazhilis.comparison.value, mazhilis.tie_break.value) == (
        69, Fraction(5, 100), ">=", "registered_earlier")
    assert rule_from_json(mazhilis.to_json()) == mazhilis
    with pytest.raises(ResultsStepRefused):
        counting_rule(load_builtin_pack("maslikhat-2023"), ElectionType.MASLIKHAT_MIXED)


def _p(unit: str, votes: dict[str, int], against: int | None = 0, *, level: Level = Level.PRECINCT,
       roll: int = 100, issued: int | None = None) -> Protocol:
    cast = sum(votes.values()) + (against or 0)
    return Protocol("e1", unit, level, roll, cast if issued is None else issued, cast, 0, votes, against)


def test_outcomes_of_the_three_systems() -> None:
    top = _p("kz", {"a": 5, "b": 4}, 2, level=Level.COUNTRY)
    assert decide(CountingRule(System.PLURALITY), DEF, top)["winner"] == "a"
    runoff = decide(CountingRule(System.MAJORITY), DEF, top)
    assert runoff["outcome"] == "runoff" and runoff["runoff"] == ["a", "b"]
    assert decide(CountingRule(System.MAJORITY), DEF, _p("kz", {"a": 5, "b": 4}, 0), second_round=True)["winner"] == "a"
    seats = decide(CountingRule(System.PARTY_LIST, seats=10), DEF, top)
    assert seats["outcome"] == "allocated" and seats["seats"] == {"a": 6, "b": 4}
    # equal remainders: the list registered earlier (b, order 0) takes the seat
    tie = decide(CountingRule(System.PARTY_LIST, seats=1), DEF, _p("kz", {"a": 5, "b": 5}))
    assert tie["seats"] == {"a": 0, "b": 1} and tie["ties"][0]["winners"] == ["b"]
    none = decide(CountingRule(System.PARTY_LIST, seats=3, threshold=Fraction(1, 2)), DEF, _p("kz", {"a": 4, "b": 4}, 2))
    assert none["outcome"] == "no_list_qualifies"


def test_control_figures_are_required() -> None:
    require_control(_p("p1", {"a": 1, "b": 1}))
    with pytest.raises(ControlFiguresFailed) as failed:
        require_control(_p("p1", {"a": 3, "b": 1}, issued=2))
    assert failed.value.checks == ("cast_at_most_issued",)


def _events(parts: list[Protocol], rule: CountingRule) -> tuple[list[dict[str, object]], ...]:
    top = aggregate(election="e1", unit="kz", level=Level.COUNTRY, parts=parts)
    ballot = {"election": "e1", "election_type": "akim_rural", "pack": "akim-rural-2021", "ballot": DEF.to_json(),
              "rule": rule.to_json()}
    protocols = [{"election": "e1", "unit": p.unit, "sha256": protocol_sha256(p), "protocol": to_json(p)}
                 for p in (*parts, top)]
    outcome = {"election": "e1", "unit": "kz", "protocol_sha256": protocol_sha256(top),
               "outcome": decide(rule, DEF, top)}
    return [ballot], protocols, [outcome]


PACKS = {"akim-rural-2021": load_builtin_pack("akim-rural-2021")}


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 9)), min_size=1, max_size=6),
       st.integers(0, 2), st.integers(1, 5))
def test_published_results_recompute_and_any_change_is_found(counts: list[tuple[int, int, int]], figure: int,
                                                             delta: int) -> None:
    parts = [_p(f"p{i}", {"a": a, "b": b}, x) for i, (a, b, x) in enumerate(counts)]
    ballots, protocols, outcomes = _events(parts, CountingRule(System.PLURALITY))
    assert check_published(ballots, protocols, outcomes, PACKS) == ([], len(parts) + 2)
    # change one figure of the top protocol (re-hashed, as a dishonest server would): found
    forged = dict(protocols[-1])
    body = dict(forged["protocol"])  # type: ignore[call-overload]
    votes = [dict(v) for v in body["votes"]]
    if figure == 2:
        body["against_all"] += delta
    else:
        votes[figure]["votes"] += delta
    body["votes"], body["valid"], body["ballots_cast"] = votes, body["valid"] + delta, body["ballots_cast"] + delta
    body["ballots_issued"] += delta
    from saylau.domain.protocol import from_json

    forged["protocol"], forged["sha256"] = body, protocol_sha256(from_json(body))
    found, _ = check_published(ballots, [*protocols, forged], outcomes, PACKS)
    assert any("parts sum to" in d.what for d in found)


def test_a_wrong_rule_or_outcome_is_found() -> None:
    parts = [_p("p1", {"a": 3, "b": 1})]
    ballots, protocols, outcomes = _events(parts, CountingRule(System.PLURALITY))
    wrong = [{**outcomes[0], "outcome": {**outcomes[0]["outcome"], "winner": "b"}}]  # type: ignore[dict-item]
    found, _ = check_published(ballots, protocols, wrong, PACKS)
    assert [d.what.split(" ")[0] for d in found] == ["published"]
    majority = [{**ballots[0], "rule": {"system": "majority"}}]
    found, _ = check_published(majority, protocols, outcomes, PACKS)
    assert any("not the pack's" in d.what for d in found)
