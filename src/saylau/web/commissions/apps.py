from __future__ import annotations

from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "saylau.web.commissions"
    label = "commissions"

    def ready(self) -> None:
        from saylau.web.commissions.messages import register

        register()
