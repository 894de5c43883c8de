"""Rule packs: the electoral rules of one office and legal period, as data (kz-election-rules.md §0).

A pack is a TOML file (the built-in ones are in `saylau/domain/rulepacks/`). Every value in
it is a *rule* that records its legal reference and its status, so that reports and
protocols can show which rules were applied and which are assumptions:

    schema = 1                  # the format version this loader reads
    id = "president-2022"       # = the file name without ".toml"
    title = "..."
    version = 1                 # the pack's own revision: bump it whenever a value changes
    offices = ["presidential"]  # ElectionType values
    optional = false            # true: off unless a commission switches it on
    extends = "other-pack"      # optional: inherit every rule and override those given
    basis = ["..."]             # the legal acts, as the rules summary names them

    [eligibility]
    min_age = { value = 40, reference = "...", status = "confirmed", note = "..." }

The sections and their keys are `SCHEMA`; anything else is refused with the file and the
key named. `status` is one of the labels of the rules summary. `reference` is the citation
the summary gives, or exactly `REFERENCE_TO_BE_CONFIRMED`. `value = "unknown"` stands for a
value the sources do not give (status must then be "unconfirmed"); code that needs such a
value refuses to guess.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from fractions import Fraction
from importlib import resources
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import NewType

from saylau.domain.election import ElectionType, require_aware
from saylau.domain.errors import NoApplicablePack, RulePackInvalid, RulePackNotFound

SCHEMA_VERSION = 1
REFERENCE_TO_BE_CONFIRMED = "reference to be confirmed"
"""The reference of every rule for which the rules summary gives no legal citation."""

RuleId = NewType("RuleId", str)
"""`section.key`, e.g. `eligibility.min_age`."""


class Status(StrEnum):
    """The status labels of kz-election-rules.md."""

    CONFIRMED = "confirmed"
    SINGLE_SOURCE = "single source"
    UNCONFIRMED = "unconfirmed"


class Unknown(Enum):
    """The value of a rule the sources do not give (`value = "unknown"` in a file)."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN

RuleValue = bool | int | Fraction | str | date | tuple[str, ...] | Unknown


class _Kind(Enum):
    INT = "a non-negative integer"
    BOOL = "true or false"
    FRACTION = 'an exact fraction in [0, 1] written as a string, like "5/100"'
    TEXT = "a non-empty string"
    DATE = "a date (YYYY-MM-DD, unquoted)"
    CHOICE = "one of"
    CHOICES = "a non-empty list without repeats of"


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: _Kind
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        return self.kind.value + (" " + ", ".join(map(repr, self.choices)) if self.choices else "")


_INT, _BOOL, _FRACTION, _TEXT, _DATE = (_Spec(k) for k in (_Kind.INT, _Kind.BOOL, _Kind.FRACTION, _Kind.TEXT, _Kind.DATE))


def _one(*names: str) -> _Spec:
    return _Spec(_Kind.CHOICE, names)


def _many(*names: str) -> _Spec:
    return _Spec(_Kind.CHOICES, names)


_TIE_BREAK = _one("registered_earlier", "more_votes", "lot")
_DENOMINATOR = _one("valid_ballots_including_against_all")

SCHEMA: Mapping[str, Mapping[str, _Spec]] = MappingProxyType({
    "period": {"from": _DATE, "until": _DATE},
    "eligibility": {
        "citizenship": _one("citizen", "by_birth"),
        "min_age": _INT,                      # completed years on election day
        "residence_years": _INT,              # in Kazakhstan, the last N years
        "education": _one("secondary", "secondary_special", "higher"),
        "public_service_years": _INT,         # state service or elected state office
        "state_language_exam": _BOOL,         # the linguistic commission's conclusion
        "active_suffrage": _BOOL,
        "no_criminal_record": _BOOL,          # no criminal record that is not expunged or lifted
        "no_corruption_offence": _BOOL,
        "legal_capacity": _BOOL,
        "not_imprisoned": _BOOL,
        "medical_exam": _BOOL,
    },
    "nomination": {
        "nominators": _many("republican_public_association", "political_party", "public_association"),
        "self_nomination": _BOOL,
        "one_candidate_per_party": _BOOL,
        "nominee_party_member": _BOOL,
        "list_nominators": _many("political_party"),
        "list_candidates_party_members": _BOOL,
        "signatures_required_of": _one("every_candidate", "self_nominated"),
        "signatures_share": _FRACTION,        # of the constituency's voters
        "signatures_min_region_share": _FRACTION,
        "signatures_spread": _TEXT,
        "deposit_minimum_wages": _INT,
        "deposit_refund_if_elected": _BOOL,
        "deposit_refund_vote_share": _FRACTION,
        "declarations": _BOOL,
    },
    "party_list": {
        "max_names_over_seats_share": _FRACTION,
        "max_names_rounding": _one("ceiling", "floor"),
        "quota_share": _FRACTION,
        "quota_groups": _many("women", "youth", "disabled"),
    },
    "counting_list": {
        "seats": _INT,
        "seats_share": _FRACTION,             # of the body's seats, when the body's size varies
        "threshold_share": _FRACTION,
        "threshold_comparison": _one(">=", ">"),
        "threshold_denominator": _DENOMINATOR,
        "method": _one("largest_remainder"),
        "quota": _one("hare"),
        "quota_base": _one("qualifying_lists_only"),
        "tie_break": _TIE_BREAK,
        "seat_holders_chosen_by": _one("party_governing_body"),
        "seat_holders_within_days": _INT,
        "list_order_binding": _BOOL,
    },
    "counting_single": {
        "districts": _INT,
        "rule": _one("plurality", "absolute_majority"),
        "denominator": _DENOMINATOR,
        "runoff": _one("none", "top_two"),
        "turnout_quorum": _BOOL,
        "tie_break": _TIE_BREAK,
    },
    "ballot": {
        "against_all": _BOOL,
        "against_all_majority_consequence": _one("none"),
    },
    "mandate": {
        "terminate_on": _many("left_party", "expelled_from_party", "party_ceased"),
        "vacancy_policy": _one("next_on_list", "party_nominates_from_registered_list"),
        "list_exhausted": _one("vacant_until_next_election"),
        "district_vacancy": _one("by_election"),
    },
    "calendar": {
        "call_min_days_before_vote": _INT,
        "held_min_days_before_term_end": _INT,
        "results_within_days": _INT,
        "district_results_within_days": _INT,  # district and city maslikhats
        "term_years": _INT,
        "term_renewable": _BOOL,
        "home_voting_request_hours": _INT,
    },
})

_META = ("schema", "id", "title", "version", "offices", "optional", "extends", "basis")
_RULE_FIELDS = ("value", "reference", "status", "note")
_PACK_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z", re.ASCII)
_FRACTION_TEXT = re.compile(r"([0-9]+)/([0-9]+)\Z", re.ASCII)


@dataclass(frozen=True, slots=True)
class Rule:
    """One value of a pack with its provenance."""

    id: RuleId
    value: RuleValue
    reference: str
    status: Status
    note: str = ""

    @property
    def is_unknown(self) -> bool:
        return self.value is UNKNOWN

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise TypeError(f"rule {self.id} is {self.value!r}, not an integer")
        return self.value

    def as_bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise TypeError(f"rule {self.id} is {self.value!r}, not a boolean")
        return self.value

    def as_fraction(self) -> Fraction:
        if not isinstance(self.value, Fraction):
            raise TypeError(f"rule {self.id} is {self.value!r}, not a fraction")
        return self.value

    def as_str(self) -> str:
        if not isinstance(self.value, str):
            raise TypeError(f"rule {self.id} is {self.value!r}, not a string")
        return self.value

    def as_names(self) -> tuple[str, ...]:
        if not isinstance(self.value, tuple):
            raise TypeError(f"rule {self.id} is {self.value!r}, not a list of names")
        return self.value

    def as_date(self) -> date:
        if not isinstance(self.value, date):
            raise TypeError(f"rule {self.id} is {self.value!r}, not a date")
        return self.value

    def display(self) -> str:
        """The value as a pack file would spell it (for reports)."""
        v = self.value
        if isinstance(v, Unknown):
            return v.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, tuple):
            return ", ".join(v)
        if isinstance(v, date):
            return v.isoformat()
        return str(v)


@dataclass(frozen=True, slots=True)
class RulePack:
    id: str
    title: str
    version: int
    source: str
    """The file it was loaded from (for messages)."""
    offices: frozenset[ElectionType]
    optional: bool
    extends: str | None
    basis: tuple[str, ...]
    rules: Mapping[RuleId, Rule]

    def rule(self, section: str, key: str) -> Rule | None:
        """The rule `section.key`, or None if the pack does not have it."""
        return self.rules.get(RuleId(f"{section}.{key}"))

    def section(self, section: str) -> tuple[Rule, ...]:
        """The rules of a section, in schema order."""
        return tuple(r for key in SCHEMA.get(section, {}) if (r := self.rule(section, key)) is not None)

    @property
    def period_from(self) -> date:
        rule = self.rule("period", "from")
        if rule is None:  # parse_pack refuses such a pack; only a hand-made RulePack lacks it
            raise RulePackInvalid(self.source, "period.from", "missing")
        return rule.as_date()

    @property
    def period_until(self) -> date | None:
        rule = self.rule("period", "until")
        return None if rule is None else rule.as_date()

    def applies_on(self, day: date) -> bool:
        """period.from <= day < period.until."""
        until = self.period_until
        return self.period_from <= day and (until is None or day < until)


def parse_pack(text: str, *, file: str, resolve: Callable[[str], RulePack] | None = None) -> RulePack:
    """Parse and validate one pack file's text; `resolve` loads the pack it `extends`.

    Raises `RulePackInvalid` naming `file` and the key; `RulePackNotFound` for an unknown base.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackInvalid(file, "(syntax)", f"not valid TOML: {exc}") from exc
    for key in doc:
        if key not in _META and key not in SCHEMA:
            raise RulePackInvalid(file, key, f"unknown key; allowed: {', '.join((*_META, *SCHEMA))}")

    if (schema := doc.get("schema")) != SCHEMA_VERSION or isinstance(schema, bool):
        raise RulePackInvalid(file, "schema", f"got {schema!r}, want {SCHEMA_VERSION}")
    pack_id = _meta_text(doc, "id", file)
    if not _PACK_ID.match(pack_id):
        raise RulePackInvalid(file, "id", f"got {pack_id!r}, want lower-case letters, digits and '-'")
    if file.endswith(".toml") and PurePath(file).stem != pack_id:
        raise RulePackInvalid(file, "id", f"got {pack_id!r}, want the file name {PurePath(file).stem!r}")
    title = _meta_text(doc, "title", file)
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RulePackInvalid(file, "version", f"got {version!r}, want an integer >= 1")
    optional = doc.get("optional", False)
    if not isinstance(optional, bool):
        raise RulePackInvalid(file, "optional", f"got {optional!r}, want true or false")
    basis = doc.get("basis", [])
    if not isinstance(basis, list) or not all(isinstance(b, str) and b.strip() for b in basis):
        raise RulePackInvalid(file, "basis", "want a list of non-empty strings")

    base: RulePack | None = None
    extends = doc.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not _PACK_ID.match(extends):
            raise RulePackInvalid(file, "extends", f"got {extends!r}, want a pack id")
        if resolve is None:
            raise RulePackNotFound(extends, f"(nothing to resolve it from, extending {file})")
        base = resolve(extends)

    if "offices" in doc:
        offices = frozenset(ElectionType(o) for o in _names(doc["offices"], f"{file}", "offices",
                                                             tuple(t.value for t in ElectionType)))
    elif base is not None:
        offices = base.offices
    else:
        raise RulePackInvalid(file, "offices", "missing")

    rules: dict[RuleId, Rule] = dict(base.rules) if base is not None else {}
    for section, specs in SCHEMA.items():
        table = doc.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise RulePackInvalid(file, section, "want a table of rules")
        for key, entry in table.items():
            spec = specs.get(key)
            if spec is None:
                raise RulePackInvalid(file, f"{section}.{key}", f"unknown key; allowed in [{section}]: {', '.join(specs)}")
            rule = _rule(file, RuleId(f"{section}.{key}"), entry, spec)
            if section == "period" and rule.is_unknown:
                raise RulePackInvalid(file, rule.id, "the period must be a date, not unknown")
            rules[rule.id] = rule

    start = rules.get(RuleId("period.from"))
    if start is None:
        raise RulePackInvalid(file, "period.from", "missing")
    end = rules.get(RuleId("period.until"))
    if end is not None and end.as_date() <= start.as_date():
        raise RulePackInvalid(file, "period.until", f"{end.display()} is not after period.from {start.display()}")
    return RulePack(id=pack_id, title=title, version=version, source=file, offices=offices,
                    optional=optional, extends=extends, basis=tuple(basis), rules=MappingProxyType(rules))


def _meta_text(doc: Mapping[str, object], key: str, file: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulePackInvalid(file, key, f"got {value!r}, want a non-empty string")
    return value


def _names(value: object, file: str, key: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise RulePackInvalid(file, key, f"got {value!r}, want a non-empty list of names")
    names = tuple(str(v) for v in value)
    for n in names:
        if n not in choices:
            raise RulePackInvalid(file, key, f"{n!r} is not one of {', '.join(map(repr, choices))}")
    if len(set(names)) != len(names):
        raise RulePackInvalid(file, key, "a name is repeated")
    return names


def _rule(file: str, rule_id: RuleId, entry: object, spec: _Spec) -> Rule:
    if not isinstance(entry, dict):
        raise RulePackInvalid(file, rule_id, "want an inline table { value = ..., reference = ..., status = ... }")
    for field in entry:
        if field not in _RULE_FIELDS:
            raise RulePackInvalid(file, f"{rule_id}.{field}", f"unknown key; allowed: {', '.join(_RULE_FIELDS)}")
    for field in ("value", "reference", "status"):
        if field not in entry:
            raise RulePackInvalid(file, f"{rule_id}.{field}", "missing")
    reference, status_text, note = entry["reference"], entry["status"], entry.get("note", "")
    if not isinstance(reference, str) or not reference.strip():
        raise RulePackInvalid(file, f"{rule_id}.reference",
                              f"want the citation or exactly {REFERENCE_TO_BE_CONFIRMED!r}")
    if status_text not in tuple(s.value for s in Status):
        raise RulePackInvalid(file, f"{rule_id}.status",
                              f"got {status_text!r}, want one of {', '.join(repr(s.value) for s in Status)}")
    status = Status(status_text)
    if not isinstance(note, str):
        raise RulePackInvalid(file, f"{rule_id}.note", "want a string")
    raw = entry["value"]
    value: RuleValue
    if raw == UNKNOWN.value:
        if status is not Status.UNCONFIRMED:
            raise RulePackInvalid(file, f"{rule_id}.status", f"an unknown value must be 'unconfirmed', got {status.value!r}")
        value = UNKNOWN
    else:
        value = _value(file, f"{rule_id}.value", raw, spec)
    return Rule(id=rule_id, value=value, reference=reference, status=status, note=note)


def _value(file: str, key: str, raw: object, spec: _Spec) -> RuleValue:
    def bad(extra: str = "") -> RulePackInvalid:
        return RulePackInvalid(file, key, f"got {raw!r}, want {spec.describe()}{extra}")

    match spec.kind:
        case _Kind.BOOL:
            if isinstance(raw, bool):
                return raw
        case _Kind.INT:
            if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
                return raw
        case _Kind.FRACTION:
            if isinstance(raw, float):
                raise bad(" (a float is not exact)")
            if isinstance(raw, str) and (m := _FRACTION_TEXT.match(raw)) and int(m[2]) > 0:
                f = Fraction(int(m[1]), int(m[2]))
                if f <= 1:
                    return f
        case _Kind.TEXT:
            if isinstance(raw, str) and raw.strip():
                return raw
        case _Kind.DATE:
            if isinstance(raw, date) and not isinstance(raw, datetime):
                return raw
        case _Kind.CHOICE:
            if isinstance(raw, str) and raw in spec.choices:
                return raw
        case _Kind.CHOICES:
            return _names(raw, file, key, spec.choices)
    raise bad()


# --- loading -----------------------------------------------------------------------------

_BUILTIN = "saylau/domain/rulepacks"


def _load(pack_id: str, read: Callable[[str], tuple[str, str] | None], where: str,
          stack: tuple[str, ...] = ()) -> RulePack:
    if pack_id in stack:
        raise RulePackInvalid(f"{stack[-1]}.toml", "extends", "cycle: " + " -> ".join((*stack, pack_id)))
    found = read(pack_id) if _PACK_ID.match(pack_id) else None
    if found is None:
        raise RulePackNotFound(pack_id, where)
    file, text = found
    return parse_pack(text, file=file, resolve=lambda other: _load(other, read, where, (*stack, pack_id)))


def _read_builtin(pack_id: str) -> tuple[str, str] | None:
    res = resources.files("saylau.domain").joinpath("rulepacks", f"{pack_id}.toml")
    return (f"{_BUILTIN}/{pack_id}.toml", res.read_text(encoding="utf-8")) if res.is_file() else None


def builtin_pack_ids() -> tuple[str, ...]:
    """The ids of the packs shipped with Saylau, sorted."""
    folder = resources.files("saylau.domain").joinpath("rulepacks")
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


def load_builtin_pack(pack_id: str) -> RulePack:
    """A shipped pack by id. Raises `RulePackNotFound`, or `RulePackInvalid` for a broken file."""
    return _load(pack_id, _read_builtin, _BUILTIN)


def builtin_pack_digests(pack_id: str) -> dict[str, str]:
    """SHA-256 (hex) of the shipped file of `pack_id` and of each pack it extends, by pack id:
    what a board event names so that anyone can check which text of the law was applied."""
    out: dict[str, str] = {}
    current: str | None = pack_id
    while current is not None and current not in out:
        found = _read_builtin(current)
        if found is None:
            raise RulePackNotFound(current, _BUILTIN)
        out[current] = hashlib.sha256(found[1].encode("utf-8")).hexdigest()
        current = load_builtin_pack(current).extends
    return out


def load_builtin_packs() -> tuple[RulePack, ...]:
    return tuple(load_builtin_pack(i) for i in builtin_pack_ids())


def load_pack_file(path: str | Path) -> RulePack:
    """A pack from a file; the pack it `extends` is looked up beside it."""
    path = Path(path)
    if not _PACK_ID.match(path.stem) or path.suffix != ".toml":
        raise RulePackInvalid(str(path), "id", "the file name must be <pack id>.toml, the id in "
                              "lower-case letters, digits and '-'")

    def read(pack_id: str) -> tuple[str, str] | None:
        p = path if pack_id == path.stem else path.with_name(f"{pack_id}.toml")
        return (str(p), p.read_text(encoding="utf-8")) if p.is_file() else None

    return _load(path.stem, read, str(path.parent))


def applicable_pack(packs: Iterable[RulePack], office: ElectionType, day: date, *,
                    enabled: Collection[str] = ()) -> RulePack:
    """The one pack that governs `office` on `day`.

    Optional packs count only when their id is in `enabled` (a commission's decision), and
    then replace the pack they extend. Raises `RulePackNotFound` for an enabled id that is
    not among `packs`, and `NoApplicablePack` when no pack, or more than one, remains.
    """
    packs = tuple(packs)
    known = {p.id for p in packs}
    for pack_id in enabled:
        if pack_id not in known:
            raise RulePackNotFound(pack_id, "the packs given")
    matching = [p for p in packs if office in p.offices and p.applies_on(day)
                and (not p.optional or p.id in enabled)]
    replaced = {p.extends for p in matching if p.optional}
    chosen = [p for p in matching if p.id not in replaced]
    if len(chosen) != 1:
        raise NoApplicablePack(office.value, day.isoformat(), tuple(sorted(p.id for p in chosen)))
    return chosen[0]


# --- values the rest of the domain derives from a pack -----------------------------------


def call_deadline(pack: RulePack, voting_opens: datetime) -> datetime | None:
    """The latest moment the election may be called (`calendar.call_min_days_before_vote`)."""
    require_aware(voting_opens, "voting_opens")
    rule = pack.rule("calendar", "call_min_days_before_vote")
    return None if rule is None or rule.is_unknown else voting_opens - timedelta(days=rule.as_int())


def results_deadline(pack: RulePack, office: ElectionType, voting_closes: datetime) -> datetime | None:
    """When the results are due: `calendar.results_within_days` after the vote closes
    (`district_results_within_days` for district and city maslikhats, where given)."""
    require_aware(voting_closes, "voting_closes")
    rule = pack.rule("calendar", "results_within_days")
    if office is ElectionType.MASLIKHAT_DISTRICT:
        rule = pack.rule("calendar", "district_results_within_days") or rule
    return None if rule is None or rule.is_unknown else voting_closes + timedelta(days=rule.as_int())


@dataclass(frozen=True, slots=True)
class ListCounting:
    """The party-list counting settings of a pack, typed for `seats.largest_remainder`.

    `rules` are the rules these values come from, for the results protocol.
    """

    seats: int | None
    """Fixed seats (the Mazhilis: 69), or None when the body's size varies (`seats_share`)."""
    seats_share: Fraction | None
    threshold: Fraction
    comparison: str
    """">=" or ">" (the values of `seats.largest_remainder.Comparison`)."""
    tie_break: str
    """The values of `seats.TieBreak`."""
    against_all: bool
    """"Against all" is on the ballot: a valid vote, in the threshold's denominator."""
    rules: tuple[Rule, ...]


def list_counting(pack: RulePack) -> ListCounting:
    """The pack's `[counting_list]`. Raises `RulePackInvalid` if a value the count needs is
    missing or unknown (the count never guesses)."""
    def need(key: str, section: str = "counting_list") -> Rule:
        rule = pack.rule(section, key)
        if rule is None or rule.is_unknown:
            raise RulePackInvalid(pack.source, f"{section}.{key}",
                                  "missing" if rule is None else "unknown, and the count needs it")
        return rule

    seats, share = pack.rule("counting_list", "seats"), pack.rule("counting_list", "seats_share")
    if (seats is None or seats.is_unknown) and (share is None or share.is_unknown):
        raise RulePackInvalid(pack.source, "counting_list.seats", "neither seats nor seats_share is known")
    return ListCounting(
        seats=None if seats is None or seats.is_unknown else seats.as_int(),
        seats_share=None if share is None or share.is_unknown else share.as_fraction(),
        threshold=need("threshold_share").as_fraction(),
        comparison=need("threshold_comparison").as_str(),
        tie_break=need("tie_break").as_str(),
        against_all=need("against_all", "ballot").as_bool(),
        rules=(*pack.section("counting_list"), *pack.section("ballot")),
    )
