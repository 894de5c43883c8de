"""The booth's JSON endpoints, outside the language prefix (the language of error messages comes
from Accept-Language; Kazakh by default):

- `POST /api/vote/<code>/<precinct>/ballots` — the body IS the ballot (canonical Belenios JSON,
  `Content-Type: application/json`, at most `MAX_BALLOT_BYTES`); answers 201 with the receipt
  `{tracker, receipt (C2SP tlog-proof), index, height, board_vkey, check}` once the ballot is
  durable, or an error `{code, reason, message}`.
- `POST /api/vote/<code>/audited` — `{"tracker": T}`: the booth revealed that ballot for a Benaloh
  audit, so it must never be cast (no secret is sent).

CSRF-exempt (a cross-site form cannot send `application/json` without a CORS preflight, which
this server never grants; the session cookie is SameSite=Lax). Logged without any trace of the
voter (`credentials.privacy.no_voter_trace`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from saylau.domain.voting import CastReason, CastRefused
from saylau.web.core.access import EVERYONE, access
from saylau.web.core.errors import error_message
from saylau.web.credentials.privacy import no_voter_trace
from saylau.web.elections.models import Election
from saylau.web.voting import auth, casting, services

clock: Callable[[], datetime] = timezone.now
MAX_BALLOT_BYTES = 64 * 1024
MAX_AUDIT_BYTES = 1024
_TRACKER = re.compile(r"[A-Za-z0-9+/]{43}")
STATUS = {
    CastReason.CLOSED: 403, CastReason.NO_PRECINCT: 404, CastReason.WRONG_ELECTION: 422,
    CastReason.UNKNOWN_CREDENTIAL: 403, CastReason.REVOKED_CREDENTIAL: 403, CastReason.MALFORMED: 400,
    CastReason.BAD_PROOF: 422, CastReason.BAD_SIGNATURE: 422, CastReason.AUDITED: 409, CastReason.REPLAY: 409,
    CastReason.TOO_LARGE: 413, CastReason.CONTENT_TYPE: 415, CastReason.BAD_JSON: 400,
    CastReason.NOT_AUTHENTICATED: 401, CastReason.OTHER_CREDENTIAL: 403, CastReason.KIOSK_REQUIRED: 403,
    CastReason.STATION_LIMIT: 403, CastReason.UNAVAILABLE: 503,
}


def refusal(exc: CastRefused) -> JsonResponse:
    return JsonResponse({"code": exc.code.value, "reason": exc.reason.value, "message": error_message(exc)},
                        status=STATUS.get(exc.reason, 400))


def _body(request: HttpRequest, limit: int) -> bytes:
    """The JSON body, at most `limit` bytes (refused before it is read when declared larger)."""
    ctype = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise CastRefused(CastReason.CONTENT_TYPE)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = -1
    if declared < 0 or declared > limit:
        raise CastRefused(CastReason.TOO_LARGE)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise CastRefused(CastReason.TOO_LARGE)
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise CastRefused(CastReason.BAD_JSON) from None
    return body


def who(request: HttpRequest, election: Election, now: datetime) -> casting.Who:
    """The voting pass (a signed cookie: no session read); the kiosk, kept in the session, is only
    looked up for a polling-station card."""
    found = auth.voter_pass(request, election, now=now)
    return casting.Who(remote_precinct=found.precinct if found else None, remote_login=found.login if found else "",
                       kiosk=lambda: auth.kiosk_precinct(request, election))


@csrf_exempt
@never_cache
@no_voter_trace
@access(EVERYONE, methods=("POST",))
def cast_view(request: HttpRequest, code: str, precinct: str) -> JsonResponse:
    try:
        body = _body(request, MAX_BALLOT_BYTES)
        pe = casting.precinct_election(code, precinct)
        if pe is None:
            raise CastRefused(CastReason.NO_PRECINCT)
        now = clock()
        result = casting.cast(pe=pe, raw=body, who=who(request, pe.election, now), now=now)
    except CastRefused as exc:
        return refusal(exc)
    return JsonResponse({"tracker": result.tracker, "receipt": result.receipt, "index": result.index,
                         "height": result.height, "precinct": precinct, "uuid": pe.uuid,
                         "board_vkey": pe.board_vkey,
                         "check": f"saylau board check-receipt receipt.tlog-proof BOARD --log-key '{pe.board_vkey}'"},
                        status=201)


@csrf_exempt
@never_cache
@no_voter_trace
@access(EVERYONE, methods=("POST",))
def audited_view(request: HttpRequest, code: str) -> JsonResponse:
    try:
        body = _body(request, MAX_AUDIT_BYTES)
        data = json.loads(body)
        tracker = data.get("tracker") if isinstance(data, dict) else None
        if not isinstance(tracker, str) or not _TRACKER.fullmatch(tracker):
            raise CastRefused(CastReason.MALFORMED)
        election = Election.objects.filter(code=code).first()
        if election is None:
            raise CastRefused(CastReason.NO_PRECINCT)
    except CastRefused as exc:
        return refusal(exc)
    created = services.audited_add(election=election, tracker=tracker)
    return JsonResponse({"tracker": tracker, "audited": True, "new": created}, status=201 if created else 200)
