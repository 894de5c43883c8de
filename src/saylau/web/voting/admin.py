"""Read-only admin of voting (services alone write). Voter passwords are not shown at all."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.voting.models import AuditedTracker, BoothManifest, CastBallot, PrecinctElection


@admin.register(PrecinctElection)
class PrecinctElectionAdmin(ReadOnlyAdmin):
    list_display = ["election", "precinct", "uuid", "ballots", "station_cards_used", "created_at"]


@admin.register(CastBallot)
class CastBallotAdmin(ReadOnlyAdmin):
    list_display = ["tracker", "precinct_election", "height", "leaf"]


@admin.register(AuditedTracker)
class AuditedTrackerAdmin(ReadOnlyAdmin):
    list_display = ["tracker", "election"]


@admin.register(BoothManifest)
class BoothManifestAdmin(ReadOnlyAdmin):
    list_display = ["election", "sha256", "published_at"]
