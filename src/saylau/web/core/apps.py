from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "saylau.web.core"
    label = "core"
    verbose_name = "Saylau"

    def ready(self) -> None:
        from saylau.web.core import signals

        signals.connect()


class SaylauAdminConfig(admin_apps.AdminConfig):
    """Django's admin with `core.admin_site.SaylauAdminSite` (superusers only) as the default site."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "saylau.web.core.admin_site.SaylauAdminSite"
