"""The voter roll in the admin: the imports only (counts, never IINs), read-only."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.voters.models import RollImport


@admin.register(RollImport)
class RollImportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "commission", "actor", "at", "rows", "accepted", "refused"]
    exclude = ["precinct_counts"]
