"""Commissions and memberships in the admin: read-only (the services check, audit and publish them)."""

from __future__ import annotations

from django.contrib import admin

from saylau.web.commissions.models import Commission, Membership
from saylau.web.core.admin_site import ReadOnlyAdmin


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "territory", "precinct", "parent", "name_kk"]
    list_filter = ["level"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["commission", "user", "role", "start", "end", "revoked_at"]
    list_filter = ["role"]
