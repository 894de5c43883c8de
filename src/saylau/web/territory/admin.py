from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.territory.models import Precinct, TerritorialUnit


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "kind", "parent", "name_kk"]
    list_filter = ["level"]


@admin.register(Precinct)
class PrecinctAdmin(ReadOnlyAdmin):
    list_display = ["code", "number", "territory", "accessible", "address_kk"]
    list_filter = ["accessible"]
