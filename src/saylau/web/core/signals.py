"""Changes made in the Django admin are audited like any other: each admin LogEntry is copied
into the audit log when it is written."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

_ACTIONS = {ADDITION: "admin.addition", CHANGE: "admin.change", DELETION: "admin.deletion"}


def _audit_admin_change(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from saylau.web.core.models import AuditEntry

    ct = instance.content_type
    AuditEntry.objects.create(
        at=instance.action_time,
        actor=instance.user,
        actor_name=instance.user.get_username(),
        action=_ACTIONS.get(instance.action_flag, "admin.unknown"),
        object_type=f"{ct.app_label}.{ct.model}" if ct is not None else "",
        object_id=instance.object_id or "",
        data={"repr": instance.object_repr, "change": instance.change_message},
    )


def connect() -> None:
    post_save.connect(_audit_admin_change, sender=LogEntry, dispatch_uid="saylau-audit-admin")
