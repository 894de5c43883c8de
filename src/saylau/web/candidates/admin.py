"""Admin: parties are entered by the operator from the state register (saved through the
services: audited, published, the `party` group kept in step); everything else changes only
through the app's services and is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from saylau.web.candidates import services
from saylau.web.candidates.models import (
    Candidate,
    CandidateDocument,
    Mandate,
    Party,
    PartyList,
    Vacancy,
)
from saylau.web.core.admin_site import ReadOnlyAdmin


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["short_name", "name_kk", "registered_on", "ceased_on"]
    filter_horizontal = ["representatives"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Party, form: Any, change: bool) -> None:
        services.party_save(actor=request.user if request.user.is_authenticated else None,
                            party=obj, now=timezone.now())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        party: Party = form.instance
        services.party_representatives_set(
            actor=request.user if request.user.is_authenticated else None,
            party=party, users=form.cleaned_data.get("representatives", []), now=timezone.now())


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "election", "nominator_kind", "party", "status"]
    list_filter = ["status", "nominator_kind"]
    exclude = ["identity_digest"]


@admin.register(CandidateDocument)
class CandidateDocumentAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "kind", "public", "uploaded_at"]


@admin.register(PartyList)
class PartyListAdmin(ReadOnlyAdmin):
    list_display = ["party", "election", "status"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["holder", "party", "election", "started_at", "ended_at", "end_reason"]


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["party", "election", "opened_at", "status", "deadline"]
