"""Admin: results change only through the app's services (audited, on the board); read-only here."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.results.models import (
    BallotDefinition,
    CommissionSigningKey,
    ElectionOutcome,
    PartySeats,
    ProtocolDocument,
    ResultProtocol,
)


@admin.register(BallotDefinition)
class BallotDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["election", "question", "created_at"]


@admin.register(ResultProtocol)
class ResultProtocolAdmin(ReadOnlyAdmin):
    list_display = ["election", "level", "unit", "parent_unit", "sha256", "created_at"]
    list_filter = ["level"]


@admin.register(ElectionOutcome)
class ElectionOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["election", "second_round", "runoff_election", "created_at"]


@admin.register(PartySeats)
class PartySeatsAdmin(ReadOnlyAdmin):
    list_display = ["election", "party", "seats"]


@admin.register(CommissionSigningKey)
class CommissionSigningKeyAdmin(ReadOnlyAdmin):
    list_display = ["commission", "name", "registered_at"]


@admin.register(ProtocolDocument)
class ProtocolDocumentAdmin(ReadOnlyAdmin):
    list_display = ["protocol", "language", "commission", "signed_at"]
