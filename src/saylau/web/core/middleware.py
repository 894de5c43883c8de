"""Response headers that Django 5.2's SecurityMiddleware does not set: a Content Security
Policy and a Permissions Policy. Saylau's pages run no inline script or style; the admin
and the API docs (third-party templates) get inline styles only. Also: the request size limit
and the sliding session."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

_BASE = ("default-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'")
CSP = f"{_BASE}; style-src 'self'"
CSP_THIRD_PARTY = f"{_BASE}; style-src 'self' 'unsafe-inline'"
_THIRD_PARTY_NAMESPACES = frozenset({"admin", "api"})

PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        third_party = match is not None and bool(_THIRD_PARTY_NAMESPACES.intersection(match.namespaces))
        response.headers.setdefault("Content-Security-Policy", CSP_THIRD_PARTY if third_party else CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestSizeMiddleware:
    """Refuses a request whose declared body is larger than `settings.MAX_REQUEST_BYTES` with
    413, before Django reads it (uploads are checked again, per field, by `core.uploads`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > settings.MAX_REQUEST_BYTES:
            from django.shortcuts import render

            return render(request, "413.html", status=413)
        return self.get_response(request)


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, with the session's expiry extended by every request that uses
    the session (rather than by every request, as `SESSION_SAVE_EVERY_REQUEST` would): a page that
    shows who is signed in uses it, the voting API — which reads no session — costs no session
    read or write."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            session.modified = True
        return super().process_response(request, response)
