from __future__ import annotations

from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "saylau.web.voters"
    label = "voters"

    def ready(self) -> None:
        from saylau.web.voters.messages import register

        register()
