"""A candidate's nomination: nominated → documents submitted → registered | refused, or withdrawn.

Every step is a function that takes the nomination, the election (its stage and schedule),
its rule pack and the time, and returns the nomination in its new status together with the
typed event to record (`Nominated`, `DocumentsSubmitted`, `Registered`, `Refused`,
`Withdrawn`). A refused step raises a `DomainError` with its own code and changes nothing.

Windows (kz-election-rules.md gives no dates of its own for these steps, so the election's
schedule decides, and the lifecycle stage must match):

    nominate, submit documents   stage "nomination",  not after schedule.nomination_closes
    register, refuse             stage "registration", not after schedule.registration_closes
    withdraw                     stages nomination, registration or campaign, before
                                 schedule.voting_opens (the summary gives no withdrawal deadline:
                                 to be confirmed)

Who may nominate comes from the pack's `[nomination]`: for a single-member contest, the
`nominators` kinds and `self_nomination`; for a party list, `list_nominators`. A political
party counts as a `republican_public_association` (the president pack's note: "a party may
nominate"). `one_candidate_per_party` limits a party to one active nomination per election.

A refusal must cite at least one rule of the pack's `[eligibility]` or `[nomination]`
section; each ground carries the pack's legal reference and status. A registration is
refused (`RegistrationBlocked`) while an eligibility or nomination finding is `not_met`;
findings without evidence or on an unknown rule are the commission's call, and the
`Registered` event lists them as `assumed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType

from saylau.domain.election import Election, ElectionId, Stage, require_aware
from saylau.domain.eligibility import Finding, Outcome, RuleReport
from saylau.domain.errors import DomainError, ErrorCode
from saylau.domain.rulepack import REFERENCE_TO_BE_CONFIRMED, Rule, RuleId, RulePack, Status

CandidateId = NewType("CandidateId", str)
PartyId = NewType("PartyId", str)


class NominatorKind(StrEnum):
    """Who puts a candidate forward (the values of the pack's `nominators`, plus self)."""

    POLITICAL_PARTY = "political_party"
    PUBLIC_ASSOCIATION = "public_association"
    REPUBLICAN_PUBLIC_ASSOCIATION = "republican_public_association"
    SELF = "self"


class NominationStatus(StrEnum):
    NOMINATED = "nominated"
    DOCUMENTS_SUBMITTED = "documents_submitted"
    REGISTERED = "registered"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def is_active(self) -> bool:
        """Still in the race (not refused, not withdrawn)."""
        return self not in (NominationStatus.REFUSED, NominationStatus.WITHDRAWN)


class WithdrawnBy(StrEnum):
    CANDIDATE = "candidate"
    NOMINATOR = "nominator"


class Step(StrEnum):
    """The steps of a nomination (named in errors and events)."""

    NOMINATE = "nominate"
    SUBMIT_DOCUMENTS = "submit_documents"
    REGISTER = "register"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    SUBMIT_LIST = "submit_list"
    """A party files its list (as nominating)."""
    REGISTER_LIST = "register_list"
    """The commission registers a party list (as registering a candidate)."""
    AWARD_MANDATE = "award_mandate"
    """A seat won by a party goes to a deputy (after the results; checked by the caller)."""


# --- errors ------------------------------------------------------------------------------------


class NominatorNotAllowed(DomainError):
    """The pack does not let this nominator nominate here; `rule` is the rule that says so."""

    code = ErrorCode.NOMINATOR_NOT_ALLOWED

    def __init__(self, *, nominator: str, rule: RuleId, reference: str, status: str, detail: str) -> None:
        super().__init__(f"nominator {nominator!r} refused under {rule} ({reference}, {status}): {detail}",
                         {"nominator": nominator, "rule": rule, "reference": reference, "status": status,
                          "detail": detail})
        self.nominator, self.rule, self.reference, self.status, self.detail = (
            nominator, rule, reference, status, detail)


class NominationWrongStage(DomainError):
    """The election is not in a stage that allows `step` (`allowed` lists the stages that do)."""

    code = ErrorCode.NOMINATION_WRONG_STAGE

    def __init__(self, *, election: str, step: Step, stage: Stage, allowed: Iterable[Stage]) -> None:
        names = [s.value for s in allowed]
        super().__init__(f"election {election}: {step.value} is not possible in stage {stage.value!r} "
                         f"(only in {', '.join(names)})",
                         {"election": election, "step": step.value, "stage": stage.value, "allowed": names})
        self.election, self.step, self.stage, self.allowed = election, step, stage, tuple(names)


class NominationDeadlinePassed(DomainError):
    """The schedule's `deadline` (the schedule field `field`) for `step` has passed."""

    code = ErrorCode.NOMINATION_DEADLINE_PASSED

    def __init__(self, *, election: str, step: Step, field: str, deadline: datetime) -> None:
        super().__init__(f"election {election}: {step.value} closed at {deadline.isoformat()} ({field})",
                         {"election": election, "step": step.value, "field": field,
                          "deadline": deadline.isoformat()})
        self.election, self.step, self.field, self.deadline = election, step, field, deadline


class NominationStatusRefused(DomainError):
    """`step` is not possible from the nomination's current `status`."""

    code = ErrorCode.NOMINATION_STATUS_REFUSED

    def __init__(self, *, candidate: str, step: Step, status: NominationStatus) -> None:
        super().__init__(f"candidate {candidate}: {step.value} is not possible from status {status.value!r}",
                         {"candidate": candidate, "step": step.value, "status": status.value})
        self.candidate, self.step, self.status = candidate, step, status


class DuplicateNomination(DomainError):
    """The same person already has an active nomination in this election."""

    code = ErrorCode.DUPLICATE_NOMINATION

    def __init__(self, *, election: str, existing: str) -> None:
        super().__init__(f"election {election}: this person is already nominated (candidate {existing})",
                         {"election": election, "existing": existing})
        self.election, self.existing = election, existing


class RefusalGroundsInvalid(DomainError):
    """A refusal without a ground (`problem` = "none") or citing a rule that is not an
    eligibility or nomination rule of the pack (`problem` = "unknown_rule", `rule` names it)."""

    code = ErrorCode.REFUSAL_GROUNDS_INVALID

    def __init__(self, *, problem: str, rule: str | None = None, pack: str) -> None:
        what = "a refusal must cite at least one rule" if problem == "none" else (
            f"{rule!r} is not an eligibility or nomination rule of pack {pack}")
        super().__init__(what, {"problem": problem, "rule": rule, "pack": pack})
        self.problem, self.rule, self.pack = problem, rule, pack


class RegistrationBlocked(DomainError):
    """Registration refused while these rules are not met (`rules`, their ids)."""

    code = ErrorCode.REGISTRATION_BLOCKED

    def __init__(self, *, candidate: str, rules: Sequence[str]) -> None:
        super().__init__(f"candidate {candidate}: cannot be registered, not met: {', '.join(rules)}",
                         {"candidate": candidate, "rules": list(rules)})
        self.candidate, self.rules = candidate, tuple(rules)


class WithdrawalRefused(DomainError):
    """Only a nominator may withdraw a nomination it made: a self-nomination has no nominator."""

    code = ErrorCode.WITHDRAWAL_REFUSED

    def __init__(self, *, candidate: str) -> None:
        super().__init__(f"candidate {candidate}: a self-nomination can be withdrawn only by the candidate",
                         {"candidate": candidate})
        self.candidate = candidate


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ground:
    """A rule cited by a decision, with the pack's legal reference and status."""

    rule_id: RuleId
    reference: str
    status: Status

    @classmethod
    def of(cls, rule: Rule) -> Ground:
        return cls(rule.id, rule.reference, rule.status)


@dataclass(frozen=True, slots=True)
class Nominated:
    candidate: CandidateId
    election: ElectionId
    nominator: NominatorKind
    party: PartyId | None
    on_list: bool
    at: datetime
    grounds: tuple[Ground, ...]
    """The rules that allowed this nominator."""


@dataclass(frozen=True, slots=True)
class DocumentsSubmitted:
    candidate: CandidateId
    election: ElectionId
    at: datetime


@dataclass(frozen=True, slots=True)
class Registered:
    candidate: CandidateId
    election: ElectionId
    at: datetime
    pack_id: str
    pack_version: int
    assumed: tuple[Ground, ...]
    """Unmet findings the commission accepted: no evidence in the profile, or an unknown rule."""


@dataclass(frozen=True, slots=True)
class Refused:
    candidate: CandidateId
    election: ElectionId
    at: datetime
    grounds: tuple[Ground, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Withdrawn:
    candidate: CandidateId
    election: ElectionId
    at: datetime
    by: WithdrawnBy


NominationEvent = Nominated | DocumentsSubmitted | Registered | Refused | Withdrawn


@dataclass(frozen=True, slots=True)
class Nomination:
    """One candidate's nomination in one election. Immutable: each step returns a new value."""

    candidate: CandidateId
    election: ElectionId
    nominator: NominatorKind
    party: PartyId | None
    on_list: bool
    status: NominationStatus = NominationStatus.NOMINATED
    person: str = ""
    """An opaque identity key (a keyed hash of the IIN in the web layer): one active nomination
    per person per election. Empty: not checked."""


# --- rules of the pack -------------------------------------------------------------------------

_ACCEPTS = {
    NominatorKind.POLITICAL_PARTY: frozenset({"political_party", "republican_public_association"}),
    NominatorKind.PUBLIC_ASSOCIATION: frozenset({"public_association"}),
    NominatorKind.REPUBLICAN_PUBLIC_ASSOCIATION: frozenset({"republican_public_association"}),
}
"""Which `nominators` names let each kind nominate (a party is a republican public association)."""


def _missing_rule(pack: RulePack, rule_id: str) -> Rule:
    section, _, key = rule_id.partition(".")
    found = pack.rule(section, key)
    if found is not None:
        return found
    return Rule(RuleId(rule_id), False, REFERENCE_TO_BE_CONFIRMED, Status.UNCONFIRMED,
                note=f"not in pack {pack.id}: nobody is allowed")


def nominator_rule(pack: RulePack, nominator: NominatorKind, *, on_list: bool) -> Rule:
    """The rule that allows `nominator` here; raises `NominatorNotAllowed` citing the rule that refuses.

    A rule that is absent allows nobody; a rule whose value is unknown allows nobody either
    (the software does not guess).
    """
    def refuse(rule: Rule, detail: str) -> NominatorNotAllowed:
        return NominatorNotAllowed(nominator=nominator.value, rule=rule.id, reference=rule.reference,
                                   status=rule.status.value, detail=detail)

    if on_list:
        rule = _missing_rule(pack, "nomination.list_nominators")
        if nominator is NominatorKind.SELF:
            raise refuse(rule, "a party list is filed by a party, not by a self-nominee")
        names = frozenset(rule.value) if isinstance(rule.value, tuple) else frozenset()
        if "political_party" in names and nominator is NominatorKind.POLITICAL_PARTY:
            return rule
        raise refuse(rule, f"list nominators are: {rule.display()}")
    if nominator is NominatorKind.SELF:
        rule = _missing_rule(pack, "nomination.self_nomination")
        if rule.value is True:
            return rule
        raise refuse(rule, f"self-nomination is {rule.display()}")
    rule = _missing_rule(pack, "nomination.nominators")
    names = frozenset(rule.value) if isinstance(rule.value, tuple) else frozenset()
    if names & _ACCEPTS[nominator]:
        return rule
    raise refuse(rule, f"nominators are: {rule.display()}")


def _require_window(election: Election, step: Step, stages: tuple[Stage, ...], field: str,
                    deadline: datetime, now: datetime) -> None:
    require_aware(now, "now")
    if election.stage not in stages:
        raise NominationWrongStage(election=election.id, step=step, stage=election.stage, allowed=stages)
    if now > deadline:
        raise NominationDeadlinePassed(election=election.id, step=step, field=field, deadline=deadline)


def require_step_window(election: Election, step: Step, now: datetime) -> None:
    """Raise `NominationWrongStage` / `NominationDeadlinePassed` unless `step` is open at `now`
    (the windows of the module docstring; lists follow the candidates' steps)."""
    schedule = election.schedule
    if step in (Step.NOMINATE, Step.SUBMIT_DOCUMENTS, Step.SUBMIT_LIST):
        _require_window(election, step, (Stage.NOMINATION,), "nomination_closes", schedule.nomination_closes, now)
    elif step in (Step.REGISTER, Step.REFUSE, Step.REGISTER_LIST):
        _require_window(election, step, (Stage.REGISTRATION,), "registration_closes",
                        schedule.registration_closes, now)
    elif step is Step.WITHDRAW:
        _require_window(election, step, WITHDRAWAL_STAGES, "voting_opens", schedule.voting_opens, now)
    else:
        raise ValueError(f"{step.value} has no schedule window")


def _require_status(nomination: Nomination, step: Step, allowed: tuple[NominationStatus, ...]) -> None:
    if nomination.status not in allowed:
        raise NominationStatusRefused(candidate=nomination.candidate, step=step, status=nomination.status)


def _require_same_election(nomination: Nomination, election: Election) -> None:
    if nomination.election != election.id:
        raise ValueError(f"nomination of {nomination.candidate} is for {nomination.election}, not {election.id}")


# --- steps -------------------------------------------------------------------------------------


def nominate(*, election: Election, pack: RulePack, candidate: CandidateId, nominator: NominatorKind,
             party: PartyId | None = None, on_list: bool = False, person: str = "",
             existing: Sequence[Nomination] = (), now: datetime) -> tuple[Nomination, Nominated]:
    """A new nomination. `existing` are the election's other nominations (any status).

    Requires `party` exactly when the nominator is a political party. Raises
    `NominationWrongStage`, `NominationDeadlinePassed`, `NominatorNotAllowed` (citing the rule),
    or `DuplicateNomination`.
    """
    if (nominator is NominatorKind.POLITICAL_PARTY) != (party is not None):
        raise ValueError("a party is given exactly when a political party nominates")
    _require_window(election, Step.NOMINATE, (Stage.NOMINATION,), "nomination_closes",
                    election.schedule.nomination_closes, now)
    grounds = [nominator_rule(pack, nominator, on_list=on_list)]
    active = [n for n in existing if n.election == election.id and n.status.is_active]
    if person:
        for other in active:
            if other.person == person:
                raise DuplicateNomination(election=election.id, existing=other.candidate)
    limit = pack.rule("nomination", "one_candidate_per_party")
    if (party is not None and not on_list and limit is not None and limit.value is True
            and any(n.party == party and not n.on_list for n in active)):
        raise NominatorNotAllowed(nominator=nominator.value, rule=limit.id, reference=limit.reference,
                                  status=limit.status.value,
                                  detail=f"party {party} already has a candidate in this election")
    if limit is not None and limit.value is True and party is not None and not on_list:
        grounds.append(limit)
    nomination = Nomination(candidate=candidate, election=election.id, nominator=nominator, party=party,
                            on_list=on_list, person=person)
    event = Nominated(candidate=candidate, election=election.id, nominator=nominator, party=party,
                      on_list=on_list, at=now, grounds=tuple(Ground.of(r) for r in grounds))
    return nomination, event


def submit_documents(nomination: Nomination, *, election: Election,
                     now: datetime) -> tuple[Nomination, DocumentsSubmitted]:
    """The nominee's evidence is filed: the commission may now decide."""
    _require_same_election(nomination, election)
    _require_window(election, Step.SUBMIT_DOCUMENTS, (Stage.NOMINATION,), "nomination_closes",
                    election.schedule.nomination_closes, now)
    _require_status(nomination, Step.SUBMIT_DOCUMENTS, (NominationStatus.NOMINATED,))
    return (replace(nomination, status=NominationStatus.DOCUMENTS_SUBMITTED),
            DocumentsSubmitted(nomination.candidate, nomination.election, now))


def nomination_findings(nomination: Nomination, pack: RulePack, *, is_party_member: bool | None) -> tuple[Finding, ...]:
    """The `[nomination]` rules about the nominee: `nominee_party_member` for a party's
    single-member nominee, `list_candidates_party_members` for a list candidate."""
    if nomination.party is None:
        return ()
    key = "list_candidates_party_members" if nomination.on_list else "nominee_party_member"
    rule = pack.rule("nomination", key)
    if rule is None or rule.value is False:
        return ()
    if rule.is_unknown:
        outcome, observed = Outcome.RULE_UNKNOWN, "not evaluated"
    elif is_party_member is None:
        outcome, observed = Outcome.EVIDENCE_MISSING, "no evidence"
    else:
        outcome = Outcome.MET if is_party_member else Outcome.NOT_MET
        observed = "party member" if is_party_member else "not a party member"
    return (Finding(rule.id, rule.reference, rule.status, outcome, rule.display(), observed),)


def register(nomination: Nomination, *, election: Election, pack: RulePack, report: RuleReport,
             extra: Sequence[Finding] = (), now: datetime) -> tuple[Nomination, Registered]:
    """Register the candidate. `report` is `check_eligibility` for the nominee (under `pack`),
    `extra` are `nomination_findings`. Raises `RegistrationBlocked` if any finding is not met."""
    _require_same_election(nomination, election)
    _require_window(election, Step.REGISTER, (Stage.REGISTRATION,), "registration_closes",
                    election.schedule.registration_closes, now)
    _require_status(nomination, Step.REGISTER, (NominationStatus.DOCUMENTS_SUBMITTED,))
    if report.pack_id != pack.id:
        raise ValueError(f"the report is under pack {report.pack_id}, the election's is {pack.id}")
    unmet = [*report.unmet, *(f for f in extra if not f.is_met)]
    failed = [f.rule_id for f in unmet if f.outcome is Outcome.NOT_MET]
    if failed:
        raise RegistrationBlocked(candidate=nomination.candidate, rules=failed)
    assumed = tuple(Ground(f.rule_id, f.reference, f.status) for f in unmet)
    return (replace(nomination, status=NominationStatus.REGISTERED),
            Registered(nomination.candidate, nomination.election, now, pack.id, pack.version, assumed))


REFUSAL_SECTIONS = ("eligibility", "nomination")


def refusal_rules(pack: RulePack) -> tuple[Rule, ...]:
    """The rules a refusal may cite: the pack's eligibility and nomination rules."""
    return tuple(r for section in REFUSAL_SECTIONS for r in pack.section(section))


def grounds_of(pack: RulePack, rule_ids: Iterable[str]) -> tuple[Ground, ...]:
    """The grounds for `rule_ids` (order kept, repeats dropped). Raises `RefusalGroundsInvalid`."""
    allowed = {r.id: r for r in refusal_rules(pack)}
    out: list[Ground] = []
    for rule_id in rule_ids:
        rule = allowed.get(RuleId(rule_id))
        if rule is None:
            raise RefusalGroundsInvalid(problem="unknown_rule", rule=rule_id, pack=pack.id)
        if all(g.rule_id != rule.id for g in out):
            out.append(Ground.of(rule))
    if not out:
        raise RefusalGroundsInvalid(problem="none", pack=pack.id)
    return tuple(out)


def refuse(nomination: Nomination, *, election: Election, pack: RulePack, rule_ids: Sequence[str],
           reason: str, now: datetime) -> tuple[Nomination, Refused]:
    """Refuse registration, citing ≥ 1 eligibility or nomination rule of `pack`."""
    _require_same_election(nomination, election)
    grounds = grounds_of(pack, rule_ids)
    _require_window(election, Step.REFUSE, (Stage.REGISTRATION,), "registration_closes",
                    election.schedule.registration_closes, now)
    _require_status(nomination, Step.REFUSE, (NominationStatus.NOMINATED, NominationStatus.DOCUMENTS_SUBMITTED))
    return (replace(nomination, status=NominationStatus.REFUSED),
            Refused(nomination.candidate, nomination.election, now, grounds, reason.strip()))


WITHDRAWAL_STAGES = (Stage.NOMINATION, Stage.REGISTRATION, Stage.CAMPAIGN)


def withdraw(nomination: Nomination, *, election: Election, by: WithdrawnBy,
             now: datetime) -> tuple[Nomination, Withdrawn]:
    """The candidate withdraws, or the nominator recalls the nomination, before voting opens."""
    _require_same_election(nomination, election)
    if by is WithdrawnBy.NOMINATOR and nomination.nominator is NominatorKind.SELF:
        raise WithdrawalRefused(candidate=nomination.candidate)
    _require_window(election, Step.WITHDRAW, WITHDRAWAL_STAGES, "voting_opens",
                    election.schedule.voting_opens, now)
    _require_status(nomination, Step.WITHDRAW, (NominationStatus.NOMINATED, NominationStatus.DOCUMENTS_SUBMITTED,
                                                NominationStatus.REGISTERED))
    return (replace(nomination, status=NominationStatus.WITHDRAWN),
            Withdrawn(nomination.candidate, nomination.election, now, by))
