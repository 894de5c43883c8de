"""Context for the base template: the language switcher's links and the user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from saylau.web.core.access import Role, role_of


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    """The language's name in itself: Қазақша, Русский, English."""
    url: str
    current: bool


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """This page in each language (the URL prefix chooses the language; no JavaScript, no POST)."""
    active = get_language()
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        links.append(LanguageLink(code, name, f"{url}?{query}" if query else url, code == active))
    return links


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "language_links": language_links(request),
        "user_role": role_of(user) if user is not None else Role.ANONYMOUS,
    }
