from __future__ import annotations

from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "saylau.web.voting"
    label = "voting"

    def ready(self) -> None:
        from saylau.web.voting.messages import register

        register()
