"""Translated messages of the ceremony's error codes (registered in `CeremonyConfig.ready`), and the
labels of its steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.ceremony import Step
from saylau.domain.errors import ErrorCode
from saylau.web.core.errors import MESSAGES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

STEP_LABELS: dict[Step, LazyText] = {
    Step.PUBLIC_KEY: _("public key"),
    Step.CERTIFICATE: _("certificate"),
    Step.POLYNOMIAL: _("polynomial"),
    Step.VOUTPUT: _("verification output"),
    Step.COMPLETED: _("election key published"),
    Step.DECRYPTION: _("partial decryptions"),
}

SETUP_REASONS: dict[str, LazyText] = {
    "count": _("Choose between 1 and 15 trustees."),
    "range": _("The threshold must be at least 1 and at most the number of trustees."),
    "twice": _("A trustee is chosen twice."),
    "not_member": _("Every trustee must be a member of a commission whose scope covers this election."),
}

STEP_REASONS: dict[str, LazyText] = {
    "exists": _("The key ceremony of this election has already been set up."),
    "no_ceremony": _("The key ceremony of this election has not been set up."),
    "wrong_step": _("This file is not expected at this step of the ceremony."),
    "done": _("You have already handed in this step's file."),
    "not_trustee": _("You are not a trustee of this election."),
    "not_completed": _("The key ceremony is not completed yet."),
    "wrong_stage": _("Tallies are computed only once voting is over, while the election is being counted."),
    "no_records": _("No precinct record is waiting to be tallied."),
    "record_key": _("This precinct's election record is not under the key of this ceremony."),
    "record_twice": _("This precinct's election record is already registered."),
    "record_state": _("This precinct's election record cannot be read or is in the wrong state."),
}

UPLOAD_REASONS: dict[str, LazyText] = {
    "not_json": _("the file is not JSON"),
    "shape": _("the file does not have the expected structure"),
    "signature": _("a signature does not verify"),
    "proof": _("a proof does not verify"),
    "context": _("it was made for another ceremony (group, number of trustees, threshold or trustee number differ)"),
    "duplicate": _("it holds the keys of another trustee's certificate"),
    "commitments": _("the key does not match the trustees' committed polynomials"),
    "other_election": _("it was made for another election"),
    "wrong_owner": _("it was made by or for another trustee"),
    "precinct": _("it names a precinct whose tally is not being decrypted"),
    "tally": _("it decrypts another tally than the one published"),
}


def _label(table: Mapping[str, LazyText], key: object, fallback: str) -> str:
    found = table.get(str(key))
    return str(found) if found is not None else fallback


def _upload(data: Mapping[str, object]) -> str:
    try:
        step = str(STEP_LABELS[Step(str(data.get("step")))])
    except ValueError:
        step = str(data.get("step", ""))
    return gettext("The %(step)s of trustee no. %(trustee)s was refused: %(reason)s.") % {
        "step": step, "trustee": data.get("trustee", ""),
        "reason": _label(UPLOAD_REASONS, data.get("reason"), gettext("it does not pass the checks"))}


def register() -> None:
    MESSAGES.update({
        ErrorCode.CEREMONY_SETUP_INVALID: lambda data: _label(SETUP_REASONS, data.get("reason"),
                                                              gettext("The ceremony cannot be set up so.")),
        ErrorCode.CEREMONY_STEP_REFUSED: lambda data: _label(STEP_REASONS, data.get("reason"),
                                                             gettext("The ceremony step was refused.")),
        ErrorCode.CEREMONY_UPLOAD_INVALID: _upload,
    })
