from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.observers.models import Incident, IncidentFile, ObserverAccreditation


@admin.register(ObserverAccreditation)
class ObserverAccreditationAdmin(ReadOnlyAdmin):
    list_display = ["election", "organisation", "kind", "status", "requested_at", "decided_at"]
    list_filter = ["kind", "status"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "election", "title", "status", "created_at", "due_at", "resolution"]
    list_filter = ["status", "resolution"]


@admin.register(IncidentFile)
class IncidentFileAdmin(ReadOnlyAdmin):
    list_display = ["incident", "stored"]
