"""Read-only admin of the public side of credentials. Voter references, channels and ballot issues
are not shown in the admin at all (they touch voters; services alone write them)."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.core.admin_site import ReadOnlyAdmin
from saylau.web.credentials.models import (
    AudioClip,
    CertificationAuthorityKey,
    CredentialSet,
    PublicCredential,
)


@admin.register(CertificationAuthorityKey)
class CertificationAuthorityKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "election", "registered_at"]


@admin.register(CredentialSet)
class CredentialSetAdmin(ReadOnlyAdmin):
    list_display = ["election", "precinct", "channel", "count", "sha256", "uploaded_at", "fixed_at"]
    list_filter = ["channel"]


@admin.register(PublicCredential)
class PublicCredentialAdmin(ReadOnlyAdmin):
    list_display = ["value", "credential_set", "revoked_at"]


@admin.register(AudioClip)
class AudioClipAdmin(ReadOnlyAdmin):
    list_display = ["election", "language", "answer_index", "sha256"]
