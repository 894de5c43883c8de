"""Translated messages of the voting error codes (registered in `VotingConfig.ready`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import ErrorCode
from saylau.domain.voting import AuthReason, CastReason, SetupReason
from saylau.web.core.errors import MESSAGES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

SETUP: dict[str, LazyText] = {
    SetupReason.VOTING_OPEN: _("Voting has opened: the precinct elections can no longer be set up or changed."),
    SetupReason.NO_KEY: _("The trustees' key ceremony is not completed: there is no election key yet."),
    SetupReason.NO_BALLOT: _("The ballot of this election is not defined yet."),
    SetupReason.NO_CREDENTIALS: _("No precinct of this election has public credentials yet."),
    SetupReason.UUID_CONFLICT: _("The credential lists of precinct %(precinct)s carry an election identifier that "
                                 "is not unique to this precinct."),
}

CAST: dict[str, LazyText] = {
    CastReason.CLOSED: _("Voting is not open in this election now."),
    CastReason.NO_PRECINCT: _("Voting is not set up in this precinct."),
    CastReason.WRONG_ELECTION: _("This ballot was made for another election."),
    CastReason.UNKNOWN_CREDENTIAL: _("This credential is not one of this precinct's credentials."),
    CastReason.REVOKED_CREDENTIAL: _("This credential was replaced and can no longer be used."),
    CastReason.MALFORMED: _("This is not a well-formed ballot."),
    CastReason.BAD_PROOF: _("The ballot's proofs are not valid."),
    CastReason.BAD_SIGNATURE: _("The ballot's signature is not valid: it was not signed with this credential."),
    CastReason.AUDITED: _("This ballot was audited, so its content is no longer secret: it can never be cast. "
                          "Make a new ballot."),
    CastReason.REPLAY: _("This exact ballot was cast already."),
    CastReason.TOO_LARGE: _("The request is too large for a ballot."),
    CastReason.CONTENT_TYPE: _("A ballot must be sent as JSON (Content-Type: application/json)."),
    CastReason.BAD_JSON: _("The request is not valid JSON."),
    CastReason.NOT_AUTHENTICATED: _("Log in to vote in this precinct first: a remote voter logs in with the "
                                    "password received apart from the credential letter."),
    CastReason.OTHER_CREDENTIAL: _("This login already voted with another credential."),
    CastReason.KIOSK_REQUIRED: _("A polling-station card can be used only at the kiosk of its precinct."),
    CastReason.STATION_LIMIT: _("Every ballot issued at this polling station has been used: a card cannot vote "
                                "without a ballot issued by the commission."),
    CastReason.UNAVAILABLE: _("The ballot box could not record the ballot; nothing was cast. Try again."),
}

AUTH: dict[str, LazyText] = {
    AuthReason.WRONG: _("The voter reference or the password is wrong."),
    AuthReason.NOT_VOTING: _("Voters log in only while voting is open."),
    AuthReason.BACKEND: _("The identity provider did not confirm who you are."),
}


def _pick(table: Mapping[str, LazyText], data: Mapping[str, object]) -> str:
    found = table.get(str(data.get("reason")))
    text = str(found) if found is not None else gettext("The request was refused.")
    return text % {"precinct": data.get("precinct", "")} if "%(precinct)s" in text else text


def register() -> None:
    MESSAGES.update({
        ErrorCode.VOTING_SETUP_REFUSED: lambda data: _pick(SETUP, data),
        ErrorCode.CAST_REFUSED: lambda data: _pick(CAST, data),
        ErrorCode.VOTER_AUTH_REFUSED: lambda data: _pick(AUTH, data),
    })
