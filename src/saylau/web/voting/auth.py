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

A successful login marks the session as authenticated for the election and the precinct only;
the session holds no voter reference (nothing in it identifies the voter).
"""

from __future__ import annotations

import hmac
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.http import HttpRequest
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


SESSION_KEY = "saylau.voting"
KIOSK_KEY = "saylau.kiosk"


def login_voter(request: HttpRequest, election: Election, precinct: str) -> None:
    """Mark the session as authenticated for `election` in `precinct` (a new session key)."""
    request.session.cycle_key()
    marks = dict(request.session.get(SESSION_KEY, {}))
    marks[election.code] = {"precinct": precinct, "credential": ""}
    request.session[SESSION_KEY] = marks


def voter_mark(request: HttpRequest, election: Election) -> dict[str, str] | None:
    found = request.session.get(SESSION_KEY, {}).get(election.code)
    return found if isinstance(found, dict) else None


def bind_credential(request: HttpRequest, election: Election, token: str) -> None:
    marks = dict(request.session.get(SESSION_KEY, {}))
    if election.code in marks:
        marks[election.code] = {**marks[election.code], "credential": token}
        request.session[SESSION_KEY] = marks


def kiosk_precinct(request: HttpRequest, election: Election) -> str | None:
    found = request.session.get(KIOSK_KEY, {}).get(election.code)
    return found if isinstance(found, str) else None


def open_kiosk(request: HttpRequest, election: Election, precinct: str) -> None:
    kiosks = dict(request.session.get(KIOSK_KEY, {}))
    kiosks[election.code] = precinct
    request.session[KIOSK_KEY] = kiosks
