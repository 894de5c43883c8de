from __future__ import annotations

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "saylau.web.elections"
    label = "elections"
