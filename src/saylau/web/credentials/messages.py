"""Translated messages of the credential error codes (registered in `CredentialsConfig.ready`)."""

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

REFUSED: dict[str, LazyText] = {
    "fixed": _("The credential lists are fixed: voting has opened, nothing can be changed any more."),
    "precinct_unknown": _("Precinct %(precinct)s is not a precinct of this election."),
    "already_uploaded": _("The credentials of precinct %(precinct)s were uploaded already; a lost letter is "
                          "replaced with a replacement record."),
    "channel_fixed": _("The credentials of precinct %(precinct)s were uploaded already: its voters' channels "
                       "can no longer change."),
    "no_key": _("No credential authority key is registered for this election."),
    "not_found": _("The replaced credential is not one of precinct %(precinct)s."),
    "revoked": _("This credential of precinct %(precinct)s was replaced already."),
    "duplicate": _("A credential of precinct %(precinct)s is already in this election."),
    "audio_unavailable": _("The audio ballot cannot be made: the speech synthesiser is not installed."),
    "no_ballot": _("The ballot of this election is not defined yet."),
}

LIST_REASONS: dict[str, LazyText] = {
    "shape": _("the file does not have the expected structure"),
    "signature": _("it is not signed by a registered credential authority key, or the signature is for other "
                   "content"),
    "election": _("it was made for another election"),
    "element": _("it holds a value that is not a public credential"),
    "duplicate": _("a public credential is listed twice"),
    "key": _("this is not a public key of a credential authority"),
}

ISSUE: dict[str, LazyText] = {
    "already_issued": _("This voter has already been issued a ballot in this election. A second ballot is "
                        "never issued."),
    "remote": _("This voter votes remotely, with a letter: no ballot is issued at the polling station."),
    "other_precinct": _("This voter is on the roll of another precinct."),
    "not_voting": _("Ballots are issued only while voting is open."),
}


def _label(table: Mapping[str, LazyText], data: Mapping[str, object], fallback: str) -> str:
    found = table.get(str(data.get("reason")))
    text = str(found) if found is not None else fallback
    return text % {"precinct": data.get("precinct", "")} if "%(precinct)s" in text else text


def _list(data: Mapping[str, object]) -> str:
    reason = _label(LIST_REASONS, data, gettext("it does not pass the checks"))
    if data.get("precinct"):
        return gettext("The credential file was refused for precinct %(precinct)s: %(reason)s.") % {
            "precinct": data["precinct"], "reason": reason}
    return gettext("The credential file was refused: %(reason)s.") % {"reason": reason}


def _count(data: Mapping[str, object]) -> str:
    text = (gettext("Precinct %(precinct)s: the list of remote voters holds %(got)s credentials, but the roll has "
                    "%(expected)s remote voters there.") if data.get("channel") == "remote" else
            gettext("Precinct %(precinct)s: the list of polling-station cards holds %(got)s credentials, but the "
                    "roll has %(expected)s polling-station voters there."))
    return text % {"precinct": data.get("precinct", ""), "got": data.get("got", ""),
                   "expected": data.get("expected", "")}


def register() -> None:
    MESSAGES.update({
        ErrorCode.CREDENTIALS_REFUSED: lambda data: _label(REFUSED, data, gettext("The credential step was refused.")),
        ErrorCode.CREDENTIAL_LIST_INVALID: _list,
        ErrorCode.CREDENTIAL_COUNT_MISMATCH: _count,
        ErrorCode.BALLOT_ISSUE_REFUSED: lambda data: _label(ISSUE, data, gettext("No ballot was issued.")),
    })
