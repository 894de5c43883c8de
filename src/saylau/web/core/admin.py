"""The audit log in the Django admin: read-only. Admin changes are audited through `core.signals`;
models whose changes must go through a service are registered read-only by their apps."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "action", "object_id"]
