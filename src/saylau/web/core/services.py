"""Writes of the core app: the audit log, counted attempts (rate limits) and the login lockout."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils.crypto import salted_hmac

from saylau.domain.election import require_aware
from saylau.domain.errors import RateLimited
from saylau.web.core.models import Attempt, AuditEntry


def audit_record(*, actor: User | None, action: str, at: datetime,
                 target: models.Model | None = None,
                 data: Mapping[str, object] | None = None) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it records. Requires aware `at`."""
    require_aware(at, "at")
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=dict(data or {}),
    )


# --- counted attempts: rate limits shared by every process -----------------------------------


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `limit` attempts per key of `scope` within any sliding `window` (like the domain's
    `RateLimiter`, but counted in the database)."""

    scope: str
    limit: int
    window: timedelta


def _digest(scope: str, key: str) -> str:
    return salted_hmac(f"saylau.core.attempt.{scope}", key, algorithm="sha256").hexdigest()


def attempt_retry_after(limit: Limit, key: str, *, now: datetime) -> int | None:
    """Seconds until `key` may try again (at least 1), or None if it may try now."""
    require_aware(now, "now")
    recent = Attempt.objects.filter(scope=limit.scope, key=_digest(limit.scope, key), at__gt=now - limit.window)
    times = list(recent.order_by("at").values_list("at", flat=True))
    if len(times) < limit.limit:
        return None
    frees = times[len(times) - limit.limit] + limit.window  # then fewer than `limit` remain
    return max(1, math.ceil((frees - now).total_seconds()))


def attempt_record(limit: Limit, key: str, *, now: datetime) -> int:
    """Count one attempt of `key` at `now`; returns the attempts now inside the window."""
    require_aware(now, "now")
    digest = _digest(limit.scope, key)
    rows = Attempt.objects.filter(scope=limit.scope, key=digest)
    rows.filter(at__lte=now - limit.window).delete()
    Attempt.objects.create(scope=limit.scope, key=digest, at=now)
    return rows.count()


def attempt_hit(limit: Limit, key: str, *, now: datetime) -> None:
    """Count one attempt; raises `RateLimited` (and counts nothing) if `key` is over its limit."""
    wait = attempt_retry_after(limit, key, now=now)
    if wait is not None:
        raise RateLimited(wait)
    attempt_record(limit, key, now=now)


def attempts_clear(limit: Limit, key: str) -> None:
    Attempt.objects.filter(scope=limit.scope, key=_digest(limit.scope, key)).delete()


# --- login lockout ----------------------------------------------------------------------------


def _login_limits() -> tuple[Limit, Limit]:
    window: timedelta = settings.LOGIN_FAILURE_WINDOW
    return (Limit("login.account", settings.LOGIN_FAILURES_PER_ACCOUNT, window),
            Limit("login.client", settings.LOGIN_FAILURES_PER_CLIENT, window))


def _account(username: str) -> str:
    return username.casefold()  # "Aigerim" and "aigerim" count as one account


def login_retry_after(*, username: str, client: str, now: datetime) -> int | None:
    """Seconds until a login for `username` from `client` is allowed again, or None if it is now.

    Whether the user exists plays no part (no account enumeration).
    """
    account, by_client = _login_limits()
    waits = [w for w in (attempt_retry_after(account, _account(username), now=now),
                         attempt_retry_after(by_client, client, now=now)) if w is not None]
    return max(waits) if waits else None


@transaction.atomic
def login_failed(*, username: str, client: str, now: datetime) -> bool:
    """Count a failed login; returns True, and audits `auth.lockout`, when it locks the account
    or the client (its count reached the limit)."""
    locked = False
    for limit, key, scope in zip(_login_limits(), (_account(username), client), ("account", "client"),
                                 strict=True):
        if attempt_record(limit, key, now=now) == limit.limit:
            locked = True
            audit_record(actor=None, action="auth.lockout", at=now,
                         data={"scope": scope, "username": username[:150], "client": client,
                               "failures": limit.limit, "window_seconds": int(limit.window.total_seconds())})
    return locked


def login_succeeded(*, username: str) -> None:
    """A successful login forgets the account's failures (not the client's)."""
    attempts_clear(_login_limits()[0], _account(username))
