"""Values stored in the three languages (`title_kk`, `title_ru`, `title_en`): pick the active one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def localized(obj: models.Model, field: str) -> str:
    """`obj.<field>_<active language>`, falling back to the default language (Kazakh) when empty."""
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (active, settings.LANGUAGE_CODE):
        value = getattr(obj, f"{field}_{code}", "") if code in LANGUAGE_CODES else ""
        if value:
            return str(value)
    return ""
