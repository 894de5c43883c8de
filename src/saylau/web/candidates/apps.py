from __future__ import annotations

from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "saylau.web.candidates"
    label = "candidates"

    def ready(self) -> None:
        from saylau.web.candidates.messages import register

        register()
