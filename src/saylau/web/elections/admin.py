from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.elections.models import Election


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["code", "type", "stage", "voting_opens", "pack_id"]
    list_filter = ["type", "stage"]
