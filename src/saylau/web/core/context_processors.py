"""Context for the base template: the language switcher's links, the user's role, and the
display preferences (high contrast, large text) that the base template turns into classes
on <html>, server-side, so they work without JavaScript."""

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


DISPLAY_COOKIE = "saylau_display"
"""The display preferences: the set flags of `DISPLAY_CLASSES`, joined with dots ("contrast.text")."""
DISPLAY_CLASSES = {"contrast": "contrast-high", "text": "text-large"}
"""Each display flag and the class it puts on <html> (styled in core/static/saylau/site.css)."""


@dataclass(frozen=True, slots=True)
class Display:
    contrast: bool
    """High contrast (the site also follows the system's `prefers-contrast: more`)."""
    text: bool
    """Large text."""

    @property
    def classes(self) -> str:
        return " ".join(DISPLAY_CLASSES[flag] for flag in DISPLAY_CLASSES if getattr(self, flag))


def display_flags(request: HttpRequest) -> frozenset[str]:
    """The known flags in the display cookie (anything else in it is ignored)."""
    return frozenset(DISPLAY_CLASSES).intersection(request.COOKIES.get(DISPLAY_COOKIE, "").split("."))


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    flags = display_flags(request)
    return {
        "language_links": language_links(request),
        "user_role": role_of(user) if user is not None else Role.ANONYMOUS,
        "display": Display(contrast="contrast" in flags, text="text" in flags),
    }
