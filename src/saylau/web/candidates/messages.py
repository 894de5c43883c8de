"""Translated messages of the candidates' error codes (registered in `CandidatesConfig.ready`),
and the labels they use: nomination steps, rule statuses, legal references."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.election import Stage
from saylau.domain.eligibility import Outcome
from saylau.domain.errors import ErrorCode
from saylau.domain.nomination import NominationStatus, NominatorKind, Step
from saylau.domain.parties import MandateEndReason
from saylau.domain.rulepack import REFERENCE_TO_BE_CONFIRMED, Status
from saylau.web.core.errors import MESSAGES, _when
from saylau.web.core.labels import SCHEDULE_FIELD_LABELS, STAGE_LABELS

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

STEP_LABELS: dict[Step, LazyText] = {
    Step.NOMINATE: _("Nominating a candidate"),
    Step.SUBMIT_DOCUMENTS: _("Submitting the documents"),
    Step.REGISTER: _("Registering the candidate"),
    Step.REFUSE: _("Refusing registration"),
    Step.WITHDRAW: _("Withdrawing the candidacy"),
    Step.SUBMIT_LIST: _("Submitting the party list"),
    Step.REGISTER_LIST: _("Registering the party list"),
    Step.AWARD_MANDATE: _("Awarding a mandate"),
}
OUTCOME_LABELS: dict[Outcome, LazyText] = {
    Outcome.MET: _("met"),
    Outcome.NOT_MET: _("not met"),
    Outcome.EVIDENCE_MISSING: _("no evidence"),
    Outcome.RULE_UNKNOWN: _("the rule is not known: the commission decides"),
}
RULE_STATUS_LABELS: dict[Status, LazyText] = {
    Status.CONFIRMED: _("confirmed"),
    Status.SINGLE_SOURCE: _("single source"),
    Status.UNCONFIRMED: _("unconfirmed"),
}
REFERENCE_PENDING = _("reference to be confirmed")
_NOMINATORS: dict[str, LazyText] = {
    NominatorKind.POLITICAL_PARTY: _("a political party"),
    NominatorKind.PUBLIC_ASSOCIATION: _("a public association"),
    NominatorKind.REPUBLICAN_PUBLIC_ASSOCIATION: _("a republican public association"),
    NominatorKind.SELF: _("self-nomination"),
}
_END_REASONS: dict[str, LazyText] = {
    MandateEndReason.LEFT_PARTY: _("left the party"),
    MandateEndReason.EXPELLED: _("expelled from the party"),
    MandateEndReason.PARTY_CEASED: _("the party ceased to exist"),
}
_LIST_PROBLEMS: dict[str, LazyText] = {
    "duplicate": _("The party list names the same candidate twice."),
    "empty": _("The party list has no names."),
    "party_ceased": _("The party has ceased to exist: it cannot file a list."),
    "not_party_candidate": _("Only the party's own candidates nominated for its list can be on the list."),
    "not_draft": _("The party list has already been submitted: it can no longer be changed."),
    "not_submitted": _("Only a submitted party list can be registered."),
    "no_list": _("This party has no registered list in this election."),
}
_SEAT_PROBLEMS: dict[str, LazyText] = {
    "not_on_list": _("The seat can go only to a candidate on the party's registered list."),
    "not_next_on_list": _("The list order is binding for this election: the seat goes to the next available "
                          "name on the party's registered list."),
    "holds_mandate": _("This candidate already holds a mandate."),
    "unavailable": _("This candidate cannot take the seat: withdrawn, refused, or lost a mandate of this party."),
    "deadline_passed": _("The party's time to name a deputy for this seat is over."),
    "party_ceased": _("The party has ceased to exist."),
    "not_open": _("This vacancy is no longer open."),
}


def reference_label(reference: str) -> str:
    """A legal reference as the pack gives it; the placeholder for a missing one is translated."""
    return str(REFERENCE_PENDING) if reference == REFERENCE_TO_BE_CONFIRMED else reference


def status_label(status: object) -> str:
    try:
        return str(RULE_STATUS_LABELS[Status(str(status))])
    except ValueError:
        return str(status)


def _rule(data: Mapping[str, object]) -> dict[str, str]:
    return {"rule": str(data.get("rule", "")), "reference": reference_label(str(data.get("reference", ""))),
            "status": status_label(data.get("status", ""))}


def _step(value: object) -> str:
    try:
        return str(STEP_LABELS[Step(str(value))])
    except ValueError:
        return str(value)


def _stage(value: object) -> str:
    try:
        return str(STAGE_LABELS[Stage(str(value))])
    except ValueError:
        return str(value)


def _nominator_not_allowed(data: Mapping[str, object]) -> str:
    nominator = _NOMINATORS.get(str(data.get("nominator", "")), str(data.get("nominator", "")))
    return gettext("The rule pack of this election does not allow this nomination (%(nominator)s): "
                   "rule %(rule)s — %(reference)s, %(status)s.") % {**_rule(data), "nominator": nominator}


def _wrong_stage(data: Mapping[str, object]) -> str:
    allowed = data.get("allowed", [])
    names = ", ".join(f"“{_stage(s)}”" for s in allowed) if isinstance(allowed, list) else ""
    return gettext("“%(step)s” is not possible while the election is in the stage “%(stage)s”; it is "
                   "possible only in the stage %(allowed)s.") % {
        "step": _step(data.get("step")), "stage": _stage(data.get("stage")), "allowed": names}


def _deadline(data: Mapping[str, object]) -> str:
    field = str(data.get("field", ""))
    return gettext("The time for “%(step)s” is over: under the election schedule (“%(field)s”) it closed "
                   "on %(when)s.") % {"step": _step(data.get("step")),
                                      "field": SCHEDULE_FIELD_LABELS.get(field, field),
                                      "when": _when(data.get("deadline", ""))}


def _status_refused(data: Mapping[str, object]) -> str:
    from saylau.web.candidates.models import STATUS_LABELS

    try:
        status = str(STATUS_LABELS[NominationStatus(str(data.get("status")))])
    except ValueError:
        status = str(data.get("status", ""))
    return gettext("“%(step)s” is not possible for a candidate whose status is “%(status)s”.") % {
        "step": _step(data.get("step")), "status": status}


def _grounds(data: Mapping[str, object]) -> str:
    if data.get("problem") == "none":
        return gettext("A refusal must cite at least one rule of the election's rule pack.")
    return gettext("The rule “%(rule)s” is not an eligibility or nomination rule of this election's "
                   "rule pack.") % {"rule": data.get("rule", "")}


def _blocked(data: Mapping[str, object]) -> str:
    rules = data.get("rules", [])
    return gettext("The candidate cannot be registered while these rules are not met: %(rules)s.") % {
        "rules": ", ".join(str(r) for r in rules) if isinstance(rules, list) else ""}


def _ground(data: Mapping[str, object]) -> str:
    reason = _END_REASONS.get(str(data.get("reason", "")), str(data.get("reason", "")))
    return gettext("Under the rule %(rule)s — %(reference)s, %(status)s — a mandate does not end on the "
                   "ground “%(reason)s”.") % {**_rule(data), "reason": reason}


def _problem(table: Mapping[str, LazyText], data: Mapping[str, object]) -> str:
    found = table.get(str(data.get("problem", "")))
    return str(found) if found is not None else gettext("The request was refused (code %(code)s).") % {
        "code": str(data.get("problem", ""))}


def register() -> None:
    MESSAGES.update({
        ErrorCode.NOMINATOR_NOT_ALLOWED: _nominator_not_allowed,
        ErrorCode.NOMINATION_WRONG_STAGE: _wrong_stage,
        ErrorCode.NOMINATION_DEADLINE_PASSED: _deadline,
        ErrorCode.NOMINATION_STATUS_REFUSED: _status_refused,
        ErrorCode.DUPLICATE_NOMINATION: lambda data: gettext(
            "This person is already nominated in this election: one person, one nomination."),
        ErrorCode.REFUSAL_GROUNDS_INVALID: _grounds,
        ErrorCode.REGISTRATION_BLOCKED: _blocked,
        ErrorCode.WITHDRAWAL_REFUSED: lambda data: gettext(
            "A self-nomination can be withdrawn only by the candidate."),
        ErrorCode.PARTY_LIST_INVALID: lambda data: _problem(_LIST_PROBLEMS, data),
        ErrorCode.MANDATE_GROUND_NOT_ALLOWED: _ground,
        ErrorCode.MANDATE_NOT_ACTIVE: lambda data: gettext("This mandate has already ended."),
        ErrorCode.SEAT_HOLDER_REFUSED: lambda data: _problem(_SEAT_PROBLEMS, data),
    })
