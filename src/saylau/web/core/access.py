"""Who may use which view: four roles, a declaration on every view, and a default-deny middleware.

Every view declares its access with `@access(roles, methods=...)`. `AccessMiddleware` applies
the declaration before the view runs, and refuses any view that has none (403) — so a route
added without a declaration is closed, not open. Third-party URL namespaces get a policy
here (`NAMESPACE_ACCESS`) or are delegated to their own check (`DELEGATED_NAMESPACES`).

Refusals: an anonymous visitor is sent to the login page; a signed-in user without the role
gets 403; a method the view does not declare gets 405.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

logger = logging.getLogger("saylau.web.access")

COMMISSION_GROUP = "commission"
"""Members of an election commission (kept in step with their memberships by the commissions app);
which elections each may act on is the commissions app's scoping (`commissions.selectors`)."""
OBSERVER_GROUP = "observer"
"""Accredited observers (kept in step with their accreditations by the observers app)."""
PARTY_GROUP = "party"
"""Authorised representatives of a political party (kept in step by the candidates app)."""


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"
    """Signed in, no other role (may nominate themself as a candidate)."""
    PARTY = "party"
    """Represents a political party: nominates its candidates and lists."""
    OBSERVER = "observer"
    """An accredited observer: the read-only portal and incident reports."""
    COMMISSION = "commission"
    SUPERUSER = "superuser"
    """The operator: Django admin only. Not a commission member: a superuser cannot act on an election."""


EVERYONE = frozenset(Role)
SIGNED_IN = frozenset(Role) - {Role.ANONYMOUS}
READ = frozenset({"GET", "HEAD"})


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role:
    if not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if getattr(user, "is_superuser", False):
        return Role.SUPERUSER
    groups = getattr(user, "groups", None)
    names = set(groups.values_list("name", flat=True)) if groups is not None else set()
    for group, role in ((COMMISSION_GROUP, Role.COMMISSION), (OBSERVER_GROUP, Role.OBSERVER),
                        (PARTY_GROUP, Role.PARTY)):
        if group in names:  # one role per user; a commission member's duties come first
            return role
    return Role.CITIZEN


@dataclass(frozen=True, slots=True)
class Access:
    roles: frozenset[Role]
    methods: frozenset[str]


ACCESS_ATTR = "saylau_access"
V = TypeVar("V", bound=Callable[..., Any])


def access(roles: Iterable[Role], *, methods: Iterable[str] = READ) -> Callable[[V], V]:
    """Declare who may call a view and with which HTTP methods (enforced by AccessMiddleware)."""
    policy = Access(frozenset(roles), frozenset(m.upper() for m in methods))

    def mark(view: V) -> V:
        setattr(view, ACCESS_ATTR, policy)
        return view

    return mark


NAMESPACE_ACCESS: dict[str, Access] = {
    "api": Access(EVERYONE, READ),  # the open-data API is public and read-only
}
DELEGATED_NAMESPACES = {
    "admin": "core.admin_site.SaylauAdminSite.has_permission admits active superusers only",
}


def access_of(view: Callable[..., Any], namespaces: Iterable[str]) -> Access | None:
    """The declared policy of a resolved view; None for a delegated namespace.

    Raises `LookupError` when there is no declaration at all (the middleware refuses such views).
    """
    declared = getattr(view, ACCESS_ATTR, None)
    if isinstance(declared, Access):
        return declared
    top = next(iter(namespaces), "")
    if top in NAMESPACE_ACCESS:
        return NAMESPACE_ACCESS[top]
    if top in DELEGATED_NAMESPACES:
        return None
    raise LookupError(f"view {getattr(view, '__qualname__', view)!r} declares no access")


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: object,
                     kwargs: object) -> HttpResponse | None:
        match = request.resolver_match
        try:
            policy = access_of(view, match.namespaces if match else ())
        except LookupError:
            logger.error("refused %s: no access declaration on its view", request.path)
            raise PermissionDenied from None
        if policy is None:
            return None
        if request.method not in policy.methods:
            return HttpResponseNotAllowed(sorted(policy.methods))
        if policy.roles == EVERYONE:
            return None  # nobody to tell apart: the session and the user are not even loaded
        role = role_of(request.user)
        if role in policy.roles:
            return None
        if role is Role.ANONYMOUS:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied


def client_address(request: HttpRequest) -> str:
    """The client's address for per-client rate limits: REMOTE_ADDR (behind a proxy, the proxy
    must set it to the real client, e.g. with a trusted-proxy middleware; it is not read from
    X-Forwarded-For here, which any client can forge)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
