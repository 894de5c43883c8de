from __future__ import annotations

from django.apps import AppConfig


class CeremonyConfig(AppConfig):
    name = "saylau.web.ceremony"
    label = "ceremony"

    def ready(self) -> None:
        from saylau.web.ceremony.messages import register

        register()
