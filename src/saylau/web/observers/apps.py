from __future__ import annotations

from django.apps import AppConfig


class ObserversConfig(AppConfig):
    name = "saylau.web.observers"
    label = "observers"

    def ready(self) -> None:
        from saylau.web.core.errors import MESSAGES
        from saylau.web.observers.errors import OBSERVER_MESSAGES

        MESSAGES.update(OBSERVER_MESSAGES)
