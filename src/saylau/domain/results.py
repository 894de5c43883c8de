"""Results from per-precinct election records: the ballot definition, the answers mapped to the
contestants, the outcome under the rule pack, and the re-check of everything published
(kz-election-rules.md §2, §8; issue 6 "Publication" and "Recomputable").

A national election is one Belenios election per precinct (DESIGN.md). Each record's question
has one answer per line of the paper ballot: the contestants (registered candidates, or party
lists) in ballot order and, where the pack's `ballot.against_all` says so, the "against all"
line. A `BallotDefinition`, fixed and published before the count, says which answer is which
contestant; `votes_from_result` maps a verified record's counts through it and refuses any
record whose answers are not exactly the definition's.

`counting_rule` reads from the pack how the election is decided: plurality (akims and
single-member districts; "against all" reported, never elected), absolute majority with a
top-two second round (the President), or party-list PR (threshold, comparison, Hare quota over
the qualifying lists, largest remainders, the pack's tie rule, registration order for ties).
`decide` applies it to the top protocol and returns the outcome as JSON, as it is published.

`check_published` is what an observer runs on the board's events (`saylau results check`):
every aggregate protocol is re-summed from its published parts, every protocol's control
figures re-checked, every outcome re-derived from its protocol, ballot definition and pack.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.domain.election import ElectionType
from saylau.domain.errors import DomainError, ErrorCode, LotRequired, NoListQualifies
from saylau.domain.protocol import (
    Protocol,
    ProtocolInvalid,
    control_findings,
    from_json,
    recompute_findings,
    to_json,
)
from saylau.domain.rulepack import RulePack
from saylau.domain.seats import largest_remainder, majority, plurality
from saylau.domain.seats.common import CandidateId, PartyId, TieBreak
from saylau.domain.seats.largest_remainder import Comparison

COUNTRY = "kz"
"""The unit id of the whole country (a nationwide election's top protocol)."""


# --- errors ----------------------------------------------------------------------------------


class RecordNotVerified(DomainError):
    """A precinct's record that `verify_record` does not pass: `checks` lists the finding codes."""

    code = ErrorCode.RESULTS_RECORD_NOT_VERIFIED

    def __init__(self, unit: str, checks: Sequence[str]) -> None:
        listed = ", ".join(sorted(set(checks)))
        super().__init__(f"the record of {unit!r} does not verify: {listed}",
                         {"unit": unit, "checks": listed, "count": len(checks)})
        self.unit, self.checks = unit, tuple(checks)


class BallotMismatch(DomainError):
    """A record whose question does not match the election's ballot definition; `reason` says how."""

    code = ErrorCode.RESULTS_BALLOT_MISMATCH

    def __init__(self, unit: str, reason: str) -> None:
        super().__init__(f"the record of {unit!r} does not match the ballot definition: {reason}",
                         {"unit": unit, "reason": reason})
        self.unit, self.reason = unit, reason


class ControlFiguresFailed(DomainError):
    """A protocol whose control figures do not hold (`domain.protocol.control_findings`)."""

    code = ErrorCode.RESULTS_CONTROL_FAILED

    def __init__(self, unit: str, checks: Sequence[str], detail: str) -> None:
        super().__init__(f"the protocol of {unit!r} fails its control figures: {detail}",
                         {"unit": unit, "checks": ", ".join(checks), "detail": detail})
        self.unit, self.checks = unit, tuple(checks)


class SeatsExceeded(DomainError):
    """A mandate beyond the seats the party won in the published allocation."""

    code = ErrorCode.RESULTS_SEATS_EXCEEDED

    def __init__(self, party: str, seats: int) -> None:
        super().__init__(f"party {party!r} won {seats} seat(s), all of them taken", {"party": party, "seats": seats})
        self.party, self.seats = party, seats


class ResultsStepRefused(DomainError):
    """A results step out of order; `reason` is a stable key (no_ballot_definition, no_contestants,
    no_protocols, already_recorded, duplicate_record, no_runoff, no_allocation, unsupported_system,
    wrong_stage)."""

    code = ErrorCode.RESULTS_STEP_REFUSED

    def __init__(self, election: str, reason: str, detail: str = "") -> None:
        super().__init__(f"election {election!r}: {reason}{': ' + detail if detail else ''}",
                         {"election": election, "reason": reason, "detail": detail})
        self.election, self.reason, self.detail = election, reason, detail


# --- the counting rule -------------------------------------------------------------------------


class System(StrEnum):
    PLURALITY = "plurality"
    MAJORITY = "majority"
    PARTY_LIST = "party-list"


@dataclass(frozen=True, slots=True)
class CountingRule:
    system: System
    seats: int = 1
    threshold: Fraction = Fraction(5, 100)
    comparison: Comparison = Comparison.AT_LEAST
    tie_break: TieBreak = TieBreak.REGISTERED_EARLIER

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"system": self.system.value}
        if self.system is System.PARTY_LIST:
            out.update(seats=self.seats, threshold=f"{self.threshold.numerator}/{self.threshold.denominator}",
                       comparison=self.comparison.value, tie_break=self.tie_break.value)
        return out


def rule_from_json(data: object) -> CountingRule:
    if not isinstance(data, dict):
        raise ProtocolInvalid("?", "rule", "must be an object")
    try:
        system = System(str(data.get("system")))
        if system is not System.PARTY_LIST:
            return CountingRule(system)
        seats = data["seats"]
        if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
            raise ProtocolInvalid("?", "rule.seats", "must be a whole number ≥ 1")
        return CountingRule(system, seats, Fraction(str(data["threshold"])), Comparison(str(data["comparison"])),
                            TieBreak(str(data["tie_break"])))
    except (KeyError, ValueError, ZeroDivisionError) as exc:
        raise ProtocolInvalid("?", "rule", f"malformed: {exc}") from None


def counting_rule(pack: RulePack, election_type: ElectionType, election: str = "?") -> CountingRule:
    """How the pack decides an election of `election_type`.

    Party-list elections read `counting_list.*` (seats, threshold share and comparison, tie
    rule); single-winner elections read `counting_single.rule`. A mixed election has two ballots
    (list and district tiers), each its own election here: refused as `unsupported_system`.
    """
    if election_type is ElectionType.MAZHILIS_PARTY_LIST:
        def rule(key: str) -> object:
            found = pack.rule("counting_list", key)
            if found is None or found.is_unknown:
                raise ResultsStepRefused(election, "unsupported_system", f"the pack has no counting_list.{key}")
            return found.value

        seats = rule("seats")
        threshold = rule("threshold_share")
        assert isinstance(seats, int) and isinstance(threshold, Fraction)
        comparison = pack.rule("counting_list", "threshold_comparison")
        tie = pack.rule("counting_list", "tie_break")
        return CountingRule(System.PARTY_LIST, seats, threshold,
                            Comparison(comparison.as_str()) if comparison is not None else Comparison.AT_LEAST,
                            TieBreak(tie.as_str()) if tie is not None and not tie.is_unknown else TieBreak.LOT)
    if election_type is ElectionType.MASLIKHAT_MIXED:
        raise ResultsStepRefused(election, "unsupported_system", "a mixed election is counted tier by tier")
    single = pack.rule("counting_single", "rule")
    if single is not None and not single.is_unknown and single.as_str() == "absolute_majority":
        return CountingRule(System.MAJORITY)
    return CountingRule(System.PLURALITY)


# --- the ballot definition -----------------------------------------------------------------------

KAZAKH_ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
_RANK = {ch: i for i, ch in enumerate(KAZAKH_ALPHABET)}


def kazakh_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """Alphabetical order of the Kazakh Cyrillic alphabet (Ә after А, Ғ after Г, ...), case-insensitive;
    other characters after it in code-point order. The order of names on the ballot uses it
    (alphabetical order of surnames: reference to be confirmed)."""
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ord(ch)) for ch in text.upper())



@dataclass(frozen=True, slots=True)
class Contestant:
    id: str
    """The id the protocols use (e.g. `candidate-12`, `party-3`)."""
    label: str
    """The answer's text on the ballot."""
    order: int
    """Registration rank (lower: registered earlier), for the `registered_earlier` tie rule."""


@dataclass(frozen=True, slots=True)
class BallotDefinition:
    election: str
    question: int
    contestants: tuple[Contestant, ...]
    """In ballot order."""
    against_all_position: int | None
    """Where the "against all" answer stands among the answers (None: no such line)."""
    against_all_label: str = ""

    def __post_init__(self) -> None:
        if not self.contestants:
            raise ResultsStepRefused(self.election, "no_contestants")
        ids = [c.id for c in self.contestants]
        if len(set(ids)) != len(ids):
            raise ProtocolInvalid(self.election, "contestants", "an id is listed twice")
        if self.against_all_position is not None and not 0 <= self.against_all_position <= len(ids):
            raise ProtocolInvalid(self.election, "against_all_position", "outside the ballot")

    def answers(self) -> tuple[str, ...]:
        """The answers the record's question must have, in order."""
        labels = [c.label for c in self.contestants]
        if self.against_all_position is not None:
            labels.insert(self.against_all_position, self.against_all_label)
        return tuple(labels)

    def order(self) -> dict[str, int]:
        return {c.id: c.order for c in self.contestants}

    def to_json(self) -> dict[str, object]:
        return {"election": self.election, "question": self.question,
                "contestants": [{"id": c.id, "label": c.label, "order": c.order} for c in self.contestants],
                "against_all_position": self.against_all_position, "against_all_label": self.against_all_label}


def definition_from_json(data: object) -> BallotDefinition:
    if not isinstance(data, dict):
        raise ProtocolInvalid("?", "ballot", "must be an object")
    try:
        items = data["contestants"]
        if not isinstance(items, list):
            raise ProtocolInvalid("?", "contestants", "must be a list")
        contestants = tuple(Contestant(str(c["id"]), str(c["label"]), int(c["order"]))
                            for c in items if isinstance(c, dict))
        if len(contestants) != len(items):
            raise ProtocolInvalid("?", "contestants", "each is {id, label, order}")
        position = data.get("against_all_position")
        return BallotDefinition(str(data["election"]), int(str(data["question"])), contestants,
                                None if position is None else int(str(position)),
                                str(data.get("against_all_label", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolInvalid("?", "ballot", f"malformed: {exc}") from None


def votes_from_result(definition: BallotDefinition, unit: str, answers: Sequence[str], counts: Sequence[int],
                      *, blank: bool = False) -> tuple[dict[str, int], int | None]:
    """The votes per contestant and "against all" of one verified question.

    Refuses (`BallotMismatch`) a question whose answers are not the definition's (texts and
    order), one with a blank vote (no blank electronic ballot on Kazakh ballots), or counts of
    the wrong length.
    """
    if blank:
        raise BallotMismatch(unit, "the question allows a blank vote; the ballot definition has none")
    expected = definition.answers()
    if tuple(answers) != expected:
        raise BallotMismatch(unit, f"answers {list(answers)!r}, the ballot definition has {list(expected)!r}")
    if len(counts) != len(expected):
        raise BallotMismatch(unit, f"{len(counts)} counts for {len(expected)} answers")
    counted = list(counts)
    against: int | None = None
    if definition.against_all_position is not None:
        against = counted.pop(definition.against_all_position)
    return {c.id: n for c, n in zip(definition.contestants, counted, strict=True)}, against


def require_control(p: Protocol) -> None:
    """Raise `ControlFiguresFailed` unless every control relation of the protocol holds."""
    found = control_findings(p)
    if found:
        raise ControlFiguresFailed(p.unit, [f.check.value for f in found], "; ".join(f.detail for f in found))


def protocol_bytes(p: Protocol) -> bytes:
    """The canonical JSON of a protocol (sorted keys, no spaces, UTF-8): what its SHA-256 is of."""
    return json.dumps(to_json(p), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def protocol_sha256(p: Protocol) -> str:
    return hashlib.sha256(protocol_bytes(p)).hexdigest()


# --- the outcome ---------------------------------------------------------------------------------


def decide(rule: CountingRule, definition: BallotDefinition, p: Protocol, *, second_round: bool = False) -> dict[str, object]:
    """The outcome of the top protocol `p` under `rule`, as published (JSON)."""
    against = p.against_all or 0
    out: dict[str, object] = {"system": rule.system.value, "unit": p.unit, "valid": p.valid}
    if rule.system is System.PLURALITY:
        pr = plurality.allocate({CandidateId(k): v for k, v in p.votes.items()}, against_all=against)
        out.update(outcome=pr.outcome.value, winner=pr.winner, tied=list(pr.tied),
                   against_all_leads=pr.against_all_leads)
        return out
    if rule.system is System.MAJORITY:
        m = majority.allocate({CandidateId(k): v for k, v in p.votes.items()}, against_all=against,
                              second_round=second_round)
        out.update(outcome=m.outcome.value, round=m.round, winner=m.winner,
                   runoff=list(m.runoff) if m.runoff else None, tied=list(m.tied), majority=m.majority)
        return out
    try:
        a = largest_remainder.allocate({PartyId(k): v for k, v in p.votes.items()}, rule.seats, against_all=against,
                                       threshold=rule.threshold, comparison=rule.comparison,
                                       tie_break=rule.tie_break,
                                       order={PartyId(k): v for k, v in definition.order().items()})
    except NoListQualifies:
        out.update(outcome="no_list_qualifies", seats=dict.fromkeys(p.votes, 0))
        return out
    except LotRequired as lot:
        out.update(outcome="lot_required", tied=list(lot.tied), seats=None)
        return out
    out.update(outcome="allocated", seats={str(k): n for k, n in a.seats.items()},
               qualifying=[str(q) for q in a.qualifying],
               quota=f"{a.quota.numerator}/{a.quota.denominator}",
               ties=[{"tied": [str(x) for x in t.tied], "winners": [str(x) for x in t.winners], "rule": t.rule.value}
                     for t in a.ties])
    return out


# --- re-checking what was published --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    election: str
    unit: str
    what: str

    def __str__(self) -> str:
        return f"{self.election} {self.unit}: {self.what}"


def check_published(ballots: Iterable[Mapping[str, object]], protocols: Iterable[Mapping[str, object]],
                    outcomes: Iterable[Mapping[str, object]], packs: Mapping[str, RulePack]) -> tuple[list[Difference], int]:
    """Every difference between the published results events and their recomputation.

    `ballots` are `results.ballot` events, `protocols` `results.protocol` events and `outcomes`
    `results.outcome` events, in board order (a later event for the same election and unit
    replaces an earlier one). `packs` maps pack ids to the packs. Returns the differences and
    how many protocols and outcomes were checked.
    """
    out: list[Difference] = []
    checked = 0
    definitions: dict[str, tuple[BallotDefinition, CountingRule]] = {}
    for event in ballots:
        code = str(event.get("election"))
        try:
            definition = definition_from_json(event.get("ballot"))
            rule = rule_from_json(event.get("rule"))
        except DomainError as exc:
            out.append(Difference(code, "-", f"the ballot definition cannot be read: {exc}"))
            continue
        pack_id = str(event.get("pack"))
        pack = packs.get(pack_id)
        if pack is None:
            out.append(Difference(code, "-", f"unknown rule pack {pack_id!r}"))
        else:
            expected: CountingRule | None
            try:
                expected = counting_rule(pack, ElectionType(str(event.get("election_type"))), code)
            except (DomainError, ValueError) as exc:
                out.append(Difference(code, "-", f"the pack gives no counting rule: {exc}"))
                expected = None
            if expected is not None and expected != rule:
                out.append(Difference(code, "-", f"the published counting rule {rule.to_json()} is not the pack's "
                                                 f"{expected.to_json()}"))
        definitions[code] = (definition, rule)

    latest: dict[tuple[str, str], tuple[Protocol, str]] = {}
    for event in protocols:
        code, unit = str(event.get("election")), str(event.get("unit"))
        raw = event.get("protocol")
        try:
            if not isinstance(raw, dict):
                raise ProtocolInvalid(unit, "protocol", "missing")
            p = from_json(raw)
        except (TypeError, DomainError) as exc:
            out.append(Difference(code, unit, f"the protocol cannot be read: {exc}"))
            continue
        if (p.election, p.unit) != (code, unit):
            out.append(Difference(code, unit, f"the event names {code}/{unit}, its protocol {p.election}/{p.unit}"))
        if event.get("sha256") != protocol_sha256(p):
            out.append(Difference(code, unit, "the published SHA-256 is not that of the protocol"))
        latest[(code, unit)] = (p, str(event.get("sha256")))
    for (code, unit), (p, _digest) in latest.items():
        checked += 1
        out += [Difference(code, unit, f"control figures: {f.detail}") for f in control_findings(p)]
        if p.parts:
            parts = [latest[(code, u)][0] for u in p.parts if (code, u) in latest]
            try:
                found = recompute_findings(p, parts)
            except DomainError as exc:
                out.append(Difference(code, unit, f"cannot be summed from its parts: {exc}"))
                continue
            out += [Difference(code, unit, f.detail) for f in found]
        defined = definitions.get(code)
        if defined is not None and tuple(p.votes) != tuple(c.id for c in defined[0].contestants):
            out.append(Difference(code, unit, "its contestants are not the ballot definition's"))

    for event in outcomes:
        code, unit = str(event.get("election")), str(event.get("unit"))
        checked += 1
        found_p = latest.get((code, unit))
        defined = definitions.get(code)
        if found_p is None or defined is None:
            out.append(Difference(code, unit, "the outcome's protocol or ballot definition is not on the board"))
            continue
        p, digest = found_p
        if event.get("protocol_sha256") != digest:
            out.append(Difference(code, unit, "the outcome names another protocol than the latest published"))
        definition, rule = defined
        try:
            again = decide(rule, definition, p, second_round=bool(event.get("second_round")))
        except DomainError as exc:
            out.append(Difference(code, unit, f"the outcome cannot be recomputed: {exc}"))
            continue
        if again != event.get("outcome"):
            out.append(Difference(code, unit, f"published outcome {event.get('outcome')}, recomputed {again}"))
    return out, checked
