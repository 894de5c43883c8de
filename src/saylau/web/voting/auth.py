"""How a remote voter authenticates before casting (DESIGN: "a leaked letter alone is not a vote").

A backend answers `authenticate(request, election=...) -> voter reference | None`; the reference is
the voter's opaque per-election token (`credentials.VoterRef`), from which the voter's precinct is
known. `settings.VOTER_AUTH_BACKENDS` lists the backends (dotted paths) offered on the login page:

- `PasswordBackend` (default), as Belenios does: the server issues each remote voter a random
  password (`services.passwords_issue`), keeps only its PBKDF2 digest, and the commission sends
  the passwords through a channel separate from the credential letters;
- `OidcBackend`, the hook for the national eGov identity (OpenID Connect): subclass it, implement
  `authenticate` (exchange the provider's code, read the verified IIN, map it to the voter's
  reference for the election) and list the subclass in the setting.

A successful login gives the browser a voting pass (`login_voter`): a cookie signed with the
server's key for the election and the precinct only, with a random login identifier; it holds no
voter reference (nothing in it identifies the voter). The cast API checks it without a session
(no database read or write per ballot for it); the one credential a login casts with is recorded
with the ballot (`CastBallot.login`). A polling-station kiosk is opened in the session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from saylau.web.credentials.models import VoterRef
from saylau.web.elections.models import Election
from saylau.web.voting.models import VoterPassword

PASSWORD_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_LENGTH = 16
"""16 characters of 56: about 93 bits, so the digest needs no slow hashing to resist guessing."""
ITERATIONS = 20_000
"""PBKDF2-SHA256 rounds of the digests: enough for random 93-bit passwords, cheap to issue in bulk."""


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def password_digest(password: str) -> str:
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt(), ITERATIONS)


def password_matches(password: str, digest: str) -> bool:
    return PBKDF2PasswordHasher().verify(password, digest)


_DUMMY = password_digest("not-a-password")


class VoterAuthBackend:
    """A way for a remote voter to log in. `name` keys the login page's form."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def authenticate(self, request: HttpRequest, *, election: Election) -> str | None:
        raise NotImplementedError


class PasswordBackend(VoterAuthBackend):
    name = "password"

    def authenticate(self, request: HttpRequest, *, election: Election) -> str | None:
        ref = str(request.POST.get("ref", "")).strip()[:64]
        password = str(request.POST.get("password", "")).strip()[:64]
        row = VoterPassword.objects.filter(election=election, ref=ref).first() if ref else None
        ok = password_matches(password, row.digest if row is not None else _DUMMY)  # same time either way
        return row.ref if row is not None and ok and hmac.compare_digest(row.ref, ref) else None


class OidcBackend(VoterAuthBackend):
    """The eGov (OpenID Connect) hook: a deployment subclasses this, implements `authenticate`
    (the provider's callback: verify the ID token, read the IIN, return the voter's reference for
    `election` or None) and adds the subclass to `settings.VOTER_AUTH_BACKENDS`."""

    name = "oidc"

    def authenticate(self, request: HttpRequest, *, election: Election) -> str | None:
        raise NotImplementedError("configure an OpenID Connect provider (see the class docstring)")


def backends() -> list[VoterAuthBackend]:
    return [import_string(path)() for path in settings.VOTER_AUTH_BACKENDS]


def backend_named(name: str) -> VoterAuthBackend | None:
    return next((b for b in backends() if b.name == name), None)


def precinct_of_ref(election: Election, ref: str) -> str | None:
    """The precinct of the voter whose reference (for `election`) is `ref`."""
    row = VoterPassword.objects.filter(election=election, ref=ref).values_list("precinct", flat=True).first()
    if row is not None:
        return row
    found = VoterRef.objects.filter(election=election, token=ref).select_related("voter").first()
    return found.voter.precinct if found is not None else None


PASS_COOKIE = "saylau_vote"
PASS_SALT = "saylau.voting.pass"
PASS_AGE = 60 * 60
"""Seconds a voting pass lasts from the login or the voter's last visit of the booth page."""
KIOSK_KEY = "saylau.kiosk"


@dataclass(frozen=True, slots=True)
class VoterPass:
    """What a remote voter's login allows: casting in `precinct` of one election. `login` is the
    SHA-256 of the login's random identifier (as `CastBallot.login` records it)."""

    precinct: str
    login: str


def _passes(request: HttpRequest) -> dict[str, list[object]]:
    raw = request.COOKIES.get(PASS_COOKIE)
    if not raw:
        return {}
    try:
        found = signing.loads(raw, salt=PASS_SALT)
    except signing.BadSignature:
        return {}
    return found if isinstance(found, dict) else {}


def _fresh(entry: object, now: datetime) -> bool:
    return (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry[:2])
            and isinstance(entry[2], int) and 0 <= now.timestamp() - entry[2] <= PASS_AGE)


def _fresh_passes(request: HttpRequest, now: datetime) -> dict[str, list[object]]:
    """The browser's passes that are still valid (expired ones are dropped from the cookie)."""
    return {code: entry for code, entry in _passes(request).items() if _fresh(entry, now)}


def _store(response: HttpResponse, passes: dict[str, list[object]]) -> None:
    response.set_cookie(PASS_COOKIE, pass_cookie(passes), max_age=PASS_AGE,
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Strict")


def login_voter(request: HttpRequest, response: HttpResponse, election: Election, precinct: str, *,
                now: datetime) -> None:
    """Give the browser a voting pass for `election` in `precinct`: a cookie signed with the
    server's key, holding the precinct and a new random login identifier (a fresh login each
    time), never the voter's reference. The cast API reads it without touching the session."""
    passes = _fresh_passes(request, now)
    passes[election.code] = new_pass(precinct, now)
    _store(response, passes)


def new_pass(precinct: str, now: datetime) -> list[object]:
    """A pass's entry: the precinct, a new random login identifier, the time it was given."""
    return [precinct, secrets.token_urlsafe(24), int(now.timestamp())]


def pass_cookie(passes: dict[str, list[object]]) -> str:
    """The cookie's value for these entries (election code → `new_pass`), signed."""
    return signing.dumps(passes, salt=PASS_SALT, compress=True)


def voter_pass(request: HttpRequest, election: Election, *, now: datetime) -> VoterPass | None:
    entry = _passes(request).get(election.code)
    if not _fresh(entry, now):
        return None
    assert isinstance(entry, list)
    return VoterPass(str(entry[0]), hashlib.sha256(str(entry[1]).encode()).hexdigest())


def renew_pass(request: HttpRequest, response: HttpResponse, election: Election, *, now: datetime) -> None:
    """Extend a valid pass for `election` (the booth page does, so a slow voter is not cut off)."""
    passes = _fresh_passes(request, now)
    if election.code in passes:
        passes[election.code] = [*passes[election.code][:2], int(now.timestamp())]
        _store(response, passes)


def kiosk_precinct(request: HttpRequest, election: Election) -> str | None:
    found = request.session.get(KIOSK_KEY, {}).get(election.code)
    return found if isinstance(found, str) else None


def open_kiosk(request: HttpRequest, election: Election, precinct: str) -> None:
    kiosks = dict(request.session.get(KIOSK_KEY, {}))
    kiosks[election.code] = precinct
    request.session[KIOSK_KEY] = kiosks
