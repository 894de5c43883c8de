"""Reads of the core app."""

from __future__ import annotations

from django.db import models

from saylau.web.core.models import AuditEntry, AuditEntryQuerySet


def audit_list(*, target: models.Model | None = None) -> AuditEntryQuerySet:
    """The audit log, oldest first; only the entries about `target` if given."""
    entries = AuditEntry.objects.all()
    if target is not None:
        entries = entries.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
    return entries
