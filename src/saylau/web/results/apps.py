from __future__ import annotations

from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "saylau.web.results"
    label = "results"

    def ready(self) -> None:
        from saylau.web.results.messages import register

        register()
