"""Candidate eligibility and party-list rules, checked against a rule pack (kz-election-rules.md §1, §6).

Nothing here answers a bare yes or no: every rule of the pack that applies is checked and
reported as a `Finding` with its rule id, legal reference, status, what it requires and what
was observed; `RuleReport.unmet` is every requirement that is not met. A requirement
without evidence (a `None` in the profile) is unmet with `Outcome.EVIDENCE_MISSING`, and a
rule whose value the pack marks unknown is unmet with `Outcome.RULE_UNKNOWN`: a commission
decides those, the software does not guess.

Age and years are completed years on the election day: someone born on 29 February turns a
year older on 1 March in a common year (the rules summary does not say; this is the
conservative reading).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from saylau.domain.rulepack import Rule, RuleId, RulePack, Status


class Citizenship(StrEnum):
    NONE = "none"
    CITIZEN = "citizen"
    """A citizen of Kazakhstan, not (or not shown to be) by birth."""
    BY_BIRTH = "by_birth"


class Education(StrEnum):
    NONE = "none"
    SECONDARY = "secondary"
    SECONDARY_SPECIAL = "secondary_special"
    """Technical and vocational (post-secondary) education."""
    HIGHER = "higher"

    @property
    def rank(self) -> int:
        return list(Education).index(self)


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """What a nomination's evidence establishes about a candidate; `None` means no evidence yet."""

    birth_date: date | None = None
    citizenship: Citizenship | None = None
    resident_since: date | None = None
    """Continuously (permanently) resident in Kazakhstan since this day."""
    education: Education | None = None
    public_service_years: int | None = None
    """Completed years in the state (public) service or in elected state offices."""
    state_language_exam_passed: bool | None = None
    """The conclusion of the CEC's linguistic commission (§1.2): an input, never computed."""
    has_unexpunged_criminal_record: bool | None = None
    has_corruption_offence: bool | None = None
    declared_legally_incapable: bool | None = None
    serving_prison_sentence: bool | None = None
    medical_exam_passed: bool | None = None


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    EVIDENCE_MISSING = "evidence_missing"
    RULE_UNKNOWN = "rule_unknown"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule applied: `required` is the pack's value, `observed` what the evidence shows."""

    rule_id: RuleId
    reference: str
    status: Status
    outcome: Outcome
    required: str
    observed: str

    @property
    def is_met(self) -> bool:
        return self.outcome is Outcome.MET


@dataclass(frozen=True, slots=True)
class RuleReport:
    """Every rule applied to one subject (a candidate, a party list) under one pack."""

    pack_id: str
    pack_version: int
    election_day: date
    findings: tuple[Finding, ...]

    @property
    def unmet(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_met)

    @property
    def is_satisfied(self) -> bool:
        """Every applied rule is met. (A report with no applicable rule is trivially satisfied.)"""
        return not self.unmet

    @property
    def assumptions(self) -> tuple[Finding, ...]:
        """The findings that rest on a rule that is not confirmed."""
        return tuple(f for f in self.findings if f.status is not Status.CONFIRMED)


def completed_years(start: date, on: date) -> int:
    """Whole years from `start` to `on` (negative if `on` is earlier)."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


_Check = tuple[Outcome, str]  # (outcome, observed)


def _flag(value: bool | None, *, good: bool, yes: str, no: str) -> _Check:
    if value is None:
        return Outcome.EVIDENCE_MISSING, "no evidence"
    return (Outcome.MET if value is good else Outcome.NOT_MET), (yes if value else no)


def _years(start: date | None, day: date, minimum: int, what: str) -> _Check:
    if start is None:
        return Outcome.EVIDENCE_MISSING, "no evidence"
    years = completed_years(start, day)
    return (Outcome.MET if years >= minimum else Outcome.NOT_MET), f"{years} {what}"


def _citizenship(rule: Rule, p: CandidateProfile, day: date) -> _Check:
    if p.citizenship is None:
        return Outcome.EVIDENCE_MISSING, "no evidence"
    ok = p.citizenship is Citizenship.BY_BIRTH or (
        p.citizenship is Citizenship.CITIZEN and rule.as_str() == "citizen")
    return (Outcome.MET if ok else Outcome.NOT_MET), p.citizenship.value


def _education(rule: Rule, p: CandidateProfile, day: date) -> _Check:
    if p.education is None:
        return Outcome.EVIDENCE_MISSING, "no evidence"
    ok = p.education.rank >= Education(rule.as_str()).rank
    return (Outcome.MET if ok else Outcome.NOT_MET), p.education.value


def _public_service(rule: Rule, p: CandidateProfile, day: date) -> _Check:
    if p.public_service_years is None:
        return Outcome.EVIDENCE_MISSING, "no evidence"
    ok = p.public_service_years >= rule.as_int()
    return (Outcome.MET if ok else Outcome.NOT_MET), f"{p.public_service_years} years"


def _active_suffrage(rule: Rule, p: CandidateProfile, day: date) -> _Check:
    # §1.4: a court's declaration of incapacity, or serving a prison sentence, removes the vote.
    if p.declared_legally_incapable is None or p.serving_prison_sentence is None:
        return Outcome.EVIDENCE_MISSING, "no evidence of legal capacity and of no prison sentence"
    lost = [why for why, flag in (("declared legally incapable", p.declared_legally_incapable),
                                  ("serving a prison sentence", p.serving_prison_sentence)) if flag]
    return (Outcome.NOT_MET, "; ".join(lost)) if lost else (Outcome.MET, "holds active voting rights")


_CHECKS: Mapping[str, Callable[[Rule, CandidateProfile, date], _Check]] = MappingProxyType({
    "citizenship": _citizenship,
    "min_age": lambda r, p, d: _years(p.birth_date, d, r.as_int(), "years old"),
    "residence_years": lambda r, p, d: _years(p.resident_since, d, r.as_int(), "years of residence"),
    "education": _education,
    "public_service_years": _public_service,
    "state_language_exam": lambda r, p, d: _flag(p.state_language_exam_passed, good=True,
                                                 yes="passed", no="not passed"),
    "active_suffrage": _active_suffrage,
    "no_criminal_record": lambda r, p, d: _flag(p.has_unexpunged_criminal_record, good=False,
                                                yes="unexpunged criminal record", no="none"),
    "no_corruption_offence": lambda r, p, d: _flag(p.has_corruption_offence, good=False,
                                                   yes="found guilty of a corruption offence", no="none"),
    "legal_capacity": lambda r, p, d: _flag(p.declared_legally_incapable, good=False,
                                            yes="declared legally incapable", no="capable"),
    "not_imprisoned": lambda r, p, d: _flag(p.serving_prison_sentence, good=False,
                                            yes="serving a prison sentence", no="not imprisoned"),
    "medical_exam": lambda r, p, d: _flag(p.medical_exam_passed, good=True, yes="passed", no="not passed"),
})
"""One check per key of `rulepack.SCHEMA["eligibility"]` (a test pins that they match)."""


def _finding(rule: Rule, outcome: Outcome, observed: str) -> Finding:
    return Finding(rule_id=rule.id, reference=rule.reference, status=rule.status,
                   outcome=outcome, required=rule.display(), observed=observed)


def check_eligibility(profile: CandidateProfile, pack: RulePack, *, election_day: date) -> RuleReport:
    """Every `[eligibility]` rule of `pack` applied to `profile` on `election_day`.

    A boolean requirement set to false is not applied (a pack that extends another may
    switch one off); every other rule yields one finding.
    """
    findings = []
    for rule in pack.section("eligibility"):
        if rule.is_unknown:
            findings.append(_finding(rule, Outcome.RULE_UNKNOWN, "not evaluated"))
            continue
        if rule.value is False:
            continue
        outcome, observed = _CHECKS[rule.id.partition(".")[2]](rule, profile, election_day)
        findings.append(_finding(rule, outcome, observed))
    return RuleReport(pack.id, pack.version, election_day, tuple(findings))


# --- party lists ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One name on a party list, with the facts the list rules need (from the nomination)."""

    candidate: str
    is_woman: bool
    is_youth: bool
    """A young person as the law on youth defines it: an input, not computed here."""
    has_disability: bool
    is_party_member: bool | None = None


def _in_quota(entry: ListEntry, groups: Sequence[str]) -> bool:
    return (("women" in groups and entry.is_woman) or ("youth" in groups and entry.is_youth)
            or ("disabled" in groups and entry.has_disability))


def check_party_list(pack: RulePack, entries: Sequence[ListEntry], *, seats: int,
                     election_day: date) -> RuleReport:
    """The `[party_list]` rules and `nomination.list_candidates_party_members` applied to a list.

    Requires seats >= 1. The size cap is seats × (1 + share), rounded as
    `party_list.max_names_rounding` says; without that rule the cap is the exact product.
    The quota counts each person once, whatever groups they belong to.
    """
    findings: list[Finding] = []
    cap_rule = pack.rule("party_list", "max_names_over_seats_share")
    if cap_rule is not None:
        rounding = pack.rule("party_list", "max_names_rounding")
        unknown = cap_rule if cap_rule.is_unknown else rounding if rounding is not None and rounding.is_unknown else None
        if unknown is not None:
            findings.append(_finding(unknown, Outcome.RULE_UNKNOWN, f"{len(entries)} names"))
        else:
            exact = seats * (1 + cap_rule.as_fraction())
            mode = rounding.as_str() if rounding is not None else "exact"
            cap: Fraction | int = math.ceil(exact) if mode == "ceiling" else math.floor(exact) if mode == "floor" else exact
            outcome = Outcome.MET if len(entries) <= cap else Outcome.NOT_MET
            findings.append(Finding(cap_rule.id, cap_rule.reference, cap_rule.status, outcome,
                                    f"at most {cap} names for {seats} seats ({cap_rule.display()} over, {mode})",
                                    f"{len(entries)} names"))
    share_rule, groups_rule = pack.rule("party_list", "quota_share"), pack.rule("party_list", "quota_groups")
    if share_rule is not None:
        if share_rule.is_unknown or groups_rule is None or groups_rule.is_unknown:
            findings.append(_finding(share_rule, Outcome.RULE_UNKNOWN, f"{len(entries)} names"))
        else:
            groups = groups_rule.as_names()
            count = sum(_in_quota(e, groups) for e in entries)
            ok = bool(entries) and Fraction(count, len(entries)) >= share_rule.as_fraction()
            findings.append(Finding(share_rule.id, share_rule.reference, share_rule.status,
                                    Outcome.MET if ok else Outcome.NOT_MET,
                                    f"at least {share_rule.display()} of the names are {', '.join(groups)}",
                                    f"{count} of {len(entries)}"))
    member_rule = pack.rule("nomination", "list_candidates_party_members")
    if member_rule is not None and member_rule.value is not False:
        if member_rule.is_unknown:
            findings.append(_finding(member_rule, Outcome.RULE_UNKNOWN, "not evaluated"))
        else:
            outsiders = [e.candidate for e in entries if e.is_party_member is False]
            unproven = [e.candidate for e in entries if e.is_party_member is None]
            outcome = Outcome.NOT_MET if outsiders else Outcome.EVIDENCE_MISSING if unproven else Outcome.MET
            observed = ("not members: " + ", ".join(outsiders) if outsiders
                        else "no evidence of membership: " + ", ".join(unproven) if unproven
                        else "all members")
            findings.append(_finding(member_rule, outcome, observed))
    return RuleReport(pack.id, pack.version, election_day, tuple(findings))
