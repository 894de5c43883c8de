"""The `commission` group: its members have the commission role (core.access.role_of)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

COMMISSION_GROUP = "commission"  # core.access.COMMISSION_GROUP, frozen here as migrations must be


def create_group(apps: Any, schema_editor: Any) -> None:
    apps.get_model("auth", "Group").objects.get_or_create(name=COMMISSION_GROUP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
