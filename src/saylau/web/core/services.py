"""Writes of the core app: the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth.models import User
from django.db import models

from saylau.domain.election import require_aware
from saylau.web.core.models import AuditEntry


def audit_record(*, actor: User | None, action: str, at: datetime,
                 target: models.Model | None = None,
                 data: Mapping[str, object] | None = None) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it records. Requires aware `at`."""
    require_aware(at, "at")
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=dict(data or {}),
    )
