"""The `observer` and `party` groups: their members have those roles (core.access.role_of)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

GROUPS = ("observer", "party")  # core.access.OBSERVER_GROUP, PARTY_GROUP, frozen here as migrations must be


def create_groups(apps: Any, schema_editor: Any) -> None:
    for name in GROUPS:
        apps.get_model("auth", "Group").objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_attempt")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
