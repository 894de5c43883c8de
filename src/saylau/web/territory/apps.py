from __future__ import annotations

from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "saylau.web.territory"
    label = "territory"
