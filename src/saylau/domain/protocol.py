"""The official results protocol: its control figures, their consistency, and aggregation from
precincts up to the CEC, each level recomputable from the levels below (kz-election-rules.md §2,
§8; issue 6 "Publication").

A protocol states, for one election and one unit (a precinct, a territorial commission's
territory, the whole country):

- voters on the roll, ballots issued, ballots cast (received), invalid ballots;
- votes per contestant (candidate or party list) and "against all" (when the ballot has it);
- valid ballots, which are *derived*: the contestants' votes plus "against all" (§2.6: "against
  all" is a valid answer and sits in every denominator). An electronic ballot is never
  invalid, but the figure is stated so that paper and electronic protocols share one form.

`control_findings` checks the relations a protocol's figures must satisfy (valid + invalid =
cast ≤ issued ≤ roll, nothing negative). `aggregate` sums the protocols of the level below
(same election, same contestants, no part twice) into the next level's protocol, and
`recompute_findings` compares a published protocol with the sum of its parts, so each level
can be re-derived by anyone from the published lower levels. Percentages are exact fractions,
rounded half up for display only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from saylau.domain.errors import DomainError, ErrorCode


class ProtocolInvalid(DomainError):
    """Figures that cannot form a protocol, or parts that cannot be summed; `field` names the figure."""

    code = ErrorCode.PROTOCOL_INVALID

    def __init__(self, unit: str, field: str, reason: str) -> None:
        super().__init__(f"protocol of {unit!r}: {field}: {reason}", {"unit": unit, "field": field,
                                                                     "reason": reason})
        self.unit, self.field, self.reason = unit, field, reason


class Level(StrEnum):
    PRECINCT = "precinct"
    LOCALITY = "locality"
    """A rural district, village, settlement or town (the territory of a rural akim election)."""
    DISTRICT = "district"
    REGION = "region"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Protocol:
    election: str
    unit: str
    """The precinct's or territorial unit's id (the country: `kz`)."""
    level: Level
    voters_on_roll: int
    ballots_issued: int
    ballots_cast: int
    ballots_invalid: int
    votes: Mapping[str, int]
    """Votes per contestant id, in ballot order."""
    against_all: int | None
    """None when the ballot has no "against all" line (e.g. the 2021 Mazhilis election)."""
    parts: tuple[str, ...] = ()
    """The units of the level below whose protocols this one sums (empty for a precinct)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "votes", MappingProxyType(dict(self.votes)))
        for name in ("voters_on_roll", "ballots_issued", "ballots_cast", "ballots_invalid"):
            _count(self.unit, name, getattr(self, name))
        if self.against_all is not None:
            _count(self.unit, "against_all", self.against_all)
        for contestant, n in self.votes.items():
            _count(self.unit, f"votes[{contestant}]", n)
        if not self.votes:
            raise ProtocolInvalid(self.unit, "votes", "a protocol needs at least one contestant")
        if len(set(self.parts)) != len(self.parts):
            raise ProtocolInvalid(self.unit, "parts", "a part is listed twice")

    @property
    def valid(self) -> int:
        """Valid ballots: every contestant's votes plus "against all"."""
        return sum(self.votes.values()) + (self.against_all or 0)

    @property
    def turnout(self) -> Fraction | None:
        """Ballots cast over voters on the roll (None for an empty roll)."""
        return Fraction(self.ballots_cast, self.voters_on_roll) if self.voters_on_roll else None

    def share(self, contestant: str | None) -> Fraction | None:
        """A contestant's votes (None: "against all") over valid ballots (None if there are none)."""
        n = (self.against_all or 0) if contestant is None else self.votes[contestant]
        return Fraction(n, self.valid) if self.valid else None


def _count(unit: str, name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProtocolInvalid(unit, name, f"must be a whole number ≥ 0, got {value!r}")


def percent(value: Fraction | None, places: int = 2) -> str:
    """A fraction as a percentage rounded half up (`Fraction(1, 3)` → "33.33"); "–" for None."""
    if value is None:
        return "–"
    exact = Decimal(value.numerator) * 100 / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class Check(StrEnum):
    """The control relations of a protocol's figures (each finding names one)."""

    CAST_EQUALS_VALID_PLUS_INVALID = "cast_equals_valid_plus_invalid"
    CAST_AT_MOST_ISSUED = "cast_at_most_issued"
    ISSUED_AT_MOST_ROLL = "issued_at_most_roll"
    PART_MISSING = "part_missing"
    PART_UNEXPECTED = "part_unexpected"
    FIGURE_DIFFERS = "figure_differs"


@dataclass(frozen=True, slots=True)
class Finding:
    unit: str
    check: Check
    detail: str


def control_findings(p: Protocol) -> list[Finding]:
    """Every control relation the protocol's figures break (empty: consistent)."""
    out: list[Finding] = []
    if p.valid + p.ballots_invalid != p.ballots_cast:
        out.append(Finding(p.unit, Check.CAST_EQUALS_VALID_PLUS_INVALID,
                           f"valid {p.valid} + invalid {p.ballots_invalid} ≠ cast {p.ballots_cast}"))
    if p.ballots_cast > p.ballots_issued:
        out.append(Finding(p.unit, Check.CAST_AT_MOST_ISSUED,
                           f"cast {p.ballots_cast} > issued {p.ballots_issued}"))
    if p.ballots_issued > p.voters_on_roll:
        out.append(Finding(p.unit, Check.ISSUED_AT_MOST_ROLL,
                           f"issued {p.ballots_issued} > voters on the roll {p.voters_on_roll}"))
    return out


def aggregate(*, election: str, unit: str, level: Level, parts: Sequence[Protocol]) -> Protocol:
    """The protocol of `unit` as the sum of its parts' protocols (one level below).

    Refuses (`ProtocolInvalid`) parts of another election, a part listed twice, parts whose
    contestants differ (in ids or order), or a mix of ballots with and without "against all".
    Streams: memory grows with the number of contestants, not of parts.
    """
    if not parts:
        raise ProtocolInvalid(unit, "parts", "nothing to aggregate")
    first = parts[0]
    contestants = tuple(first.votes)
    totals = dict.fromkeys(contestants, 0)
    roll = issued = cast = invalid = 0
    against: int | None = 0 if first.against_all is not None else None
    seen: set[str] = set()
    for part in parts:
        if part.election != election:
            raise ProtocolInvalid(unit, f"parts[{part.unit}]", f"is a protocol of election {part.election!r}")
        if part.unit in seen:
            raise ProtocolInvalid(unit, f"parts[{part.unit}]", "is listed twice")
        seen.add(part.unit)
        if tuple(part.votes) != contestants:
            raise ProtocolInvalid(unit, f"parts[{part.unit}].votes", "names other contestants than the first part")
        if (part.against_all is None) != (against is None):
            raise ProtocolInvalid(unit, f"parts[{part.unit}].against_all",
                                  "some parts have an 'against all' line and some do not")
        roll += part.voters_on_roll
        issued += part.ballots_issued
        cast += part.ballots_cast
        invalid += part.ballots_invalid
        for c in contestants:
            totals[c] += part.votes[c]
        if against is not None and part.against_all is not None:
            against += part.against_all
    return Protocol(election=election, unit=unit, level=level, voters_on_roll=roll, ballots_issued=issued,
                    ballots_cast=cast, ballots_invalid=invalid, votes=totals, against_all=against,
                    parts=tuple(p.unit for p in parts))


_FIGURES = ("voters_on_roll", "ballots_issued", "ballots_cast", "ballots_invalid", "against_all")


def recompute_findings(published: Protocol, parts: Iterable[Protocol]) -> list[Finding]:
    """Every difference between a published protocol and the sum of the published parts it names."""
    by_unit = {p.unit: p for p in parts}
    out = [Finding(published.unit, Check.PART_MISSING, f"part {u!r} is not among the protocols given")
           for u in published.parts if u not in by_unit]
    out += [Finding(published.unit, Check.PART_UNEXPECTED, f"protocol {u!r} is not one of its parts")
            for u in by_unit if u not in published.parts]
    if out:
        return out
    summed = aggregate(election=published.election, unit=published.unit, level=published.level,
                       parts=[by_unit[u] for u in published.parts])
    for name in _FIGURES:
        if getattr(summed, name) != getattr(published, name):
            out.append(Finding(published.unit, Check.FIGURE_DIFFERS,
                               f"{name}: published {getattr(published, name)}, parts sum to {getattr(summed, name)}"))
    if tuple(summed.votes) != tuple(published.votes):
        out.append(Finding(published.unit, Check.FIGURE_DIFFERS, "the contestants differ from the parts'"))
    else:
        for c, n in summed.votes.items():
            if published.votes[c] != n:
                out.append(Finding(published.unit, Check.FIGURE_DIFFERS,
                                   f"votes[{c}]: published {published.votes[c]}, parts sum to {n}"))
    return out


def to_json(p: Protocol) -> dict[str, object]:
    """The protocol as published data (open data API, board events, the CSV/JSON downloads)."""
    return {"election": p.election, "unit": p.unit, "level": p.level.value,
            "voters_on_roll": p.voters_on_roll, "ballots_issued": p.ballots_issued,
            "ballots_cast": p.ballots_cast, "ballots_invalid": p.ballots_invalid, "valid": p.valid,
            "votes": [{"contestant": c, "votes": n} for c, n in p.votes.items()],
            "against_all": p.against_all, "parts": list(p.parts)}


def from_json(data: Mapping[str, object]) -> Protocol:
    """The inverse of `to_json`; refuses (`ProtocolInvalid`) a malformed or inconsistent document."""
    unit = str(data.get("unit", "?"))
    try:
        votes_raw = data["votes"]
        if not isinstance(votes_raw, list):
            raise ProtocolInvalid(unit, "votes", "must be a list of {contestant, votes}")
        votes: dict[str, int] = {}
        for item in votes_raw:
            if not isinstance(item, dict) or set(item) != {"contestant", "votes"}:
                raise ProtocolInvalid(unit, "votes", "each entry is {contestant, votes}")
            if item["contestant"] in votes:
                raise ProtocolInvalid(unit, f"votes[{item['contestant']}]", "listed twice")
            votes[str(item["contestant"])] = item["votes"]
        parts = data.get("parts", [])
        if not isinstance(parts, list):
            raise ProtocolInvalid(unit, "parts", "must be a list")
        p = Protocol(election=str(data["election"]), unit=unit, level=Level(str(data["level"])),
                     voters_on_roll=data["voters_on_roll"], ballots_issued=data["ballots_issued"],  # type: ignore[arg-type]
                     ballots_cast=data["ballots_cast"], ballots_invalid=data["ballots_invalid"],  # type: ignore[arg-type]
                     votes=votes, against_all=data.get("against_all"),  # type: ignore[arg-type]
                     parts=tuple(str(x) for x in parts))
    except KeyError as missing:
        raise ProtocolInvalid(unit, str(missing.args[0]), "is missing") from None
    except ValueError as bad:
        raise ProtocolInvalid(unit, "level", str(bad)) from None
    if "valid" in data and data["valid"] != p.valid:
        raise ProtocolInvalid(unit, "valid", f"states {data['valid']!r}, the votes sum to {p.valid}")
    return p
