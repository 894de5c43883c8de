from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.territory.models import TerritorialUnit


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "kind", "parent", "name_kk"]
    list_filter = ["level"]
