"""Admin: the ceremonies change only through the app's services (audited, on the board); read-only here."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.ceremony.models import KeyCeremony, PartialDecryption, PrecinctRecord, Trustee
from saylau.web.core.admin_site import ReadOnlyAdmin


@admin.register(KeyCeremony)
class KeyCeremonyAdmin(ReadOnlyAdmin):
    list_display = ["election", "kind", "threshold", "size", "trustees_sha256", "completed_at"]


@admin.register(Trustee)
class TrusteeAdmin(ReadOnlyAdmin):
    list_display = ["ceremony", "index", "name", "certificate_at", "polynomial_at", "voutput_at", "public_key_at"]


@admin.register(PrecinctRecord)
class PrecinctRecordAdmin(ReadOnlyAdmin):
    list_display = ["ceremony", "precinct", "state", "num_tallied", "encrypted_tally", "decrypted_at"]
    list_filter = ["state"]


@admin.register(PartialDecryption)
class PartialDecryptionAdmin(ReadOnlyAdmin):
    list_display = ["record", "trustee", "uploaded_at"]
