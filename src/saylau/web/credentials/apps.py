from __future__ import annotations

from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "saylau.web.credentials"
    label = "credentials"

    def ready(self) -> None:
        from saylau.web.credentials.messages import register
        from saylau.web.credentials.privacy import install

        register()
        install()
