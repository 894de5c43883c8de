"""Translated messages of the results' error codes (registered in `ResultsConfig.ready`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import ErrorCode
from saylau.web.core.errors import MESSAGES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

STEP_REASONS: dict[str, LazyText] = {
    "no_ballot_definition": _("The ballot of this election has not been defined yet."),
    "no_contestants": _("The ballot cannot be defined: there is no registered candidate or party list, or a "
                        "contestant bears the name of the “against all” line."),
    "no_protocols": _("No precinct protocol has been recorded yet."),
    "already_recorded": _("This has already been recorded."),
    "duplicate_record": _("This election record has already been used for another precinct."),
    "no_runoff": _("The outcome of this election does not call for a second round."),
    "no_allocation": _("No seat allocation has been published for this election yet: list seats are awarded only "
                       "after the count has given them."),
    "unsupported_system": _("The rule pack of this election gives no counting rule that applies here."),
    "wrong_stage": _("Results can be recorded only while the election is being counted or its results are "
                     "being established."),
    "precinct_outside": _("This precinct does not lie in the territory of the election."),
    "no_signing_key": _("The commission has not registered a signing key yet."),
    "signature_claims": _("The signature is for another document (kind, election, unit or language differ)."),
}

CHECK_LABELS: dict[str, LazyText] = {
    "cast_equals_valid_plus_invalid": _("the ballots cast are not the valid plus the invalid ballots"),
    "cast_at_most_issued": _("more ballots were cast than issued"),
    "issued_at_most_roll": _("more ballots were issued than there are voters on the roll"),
}


def _control(data: Mapping[str, object]) -> str:
    checks = [str(CHECK_LABELS.get(c.strip(), c.strip())) for c in str(data.get("checks", "")).split(",") if c.strip()]
    return gettext("The protocol of “%(unit)s” fails its control figures: %(checks)s.") % {
        "unit": data.get("unit", ""), "checks": "; ".join(checks)}


def _step(data: Mapping[str, object]) -> str:
    reason = STEP_REASONS.get(str(data.get("reason", "")))
    return str(reason) if reason is not None else gettext("The results step was refused.")


def register() -> None:
    MESSAGES.update({
        ErrorCode.RESULTS_RECORD_NOT_VERIFIED: lambda data: gettext(
            "The election record of “%(unit)s” does not pass verification (%(checks)s): no protocol is made "
            "from it.") % {"unit": data.get("unit", ""), "checks": data.get("checks", "")},
        ErrorCode.RESULTS_BALLOT_MISMATCH: lambda data: gettext(
            "The election record of “%(unit)s” does not match the ballot definition of this election: its "
            "answers are not the registered contestants in ballot order.") % {"unit": data.get("unit", "")},
        ErrorCode.RESULTS_CONTROL_FAILED: _control,
        ErrorCode.RESULTS_SEATS_EXCEEDED: lambda data: gettext(
            "The party %(party)s won %(seats)s seat(s) and already holds all of them.") % {
            "party": data.get("party", ""), "seats": data.get("seats", 0)},
        ErrorCode.RESULTS_STEP_REFUSED: _step,
        ErrorCode.PROTOCOL_INVALID: lambda data: gettext(
            "The protocol of “%(unit)s” cannot be formed: the figure “%(field)s” is not acceptable.") % {
            "unit": data.get("unit", ""), "field": data.get("field", "")},
    })
