"""The Django admin site: superusers only; and `ReadOnlyAdmin` for models that change through services.

Kept apart from `core.admin` (which registers models): the admin's default site is resolved
by importing this module, and a module that registered models while being imported that way
would register them on a discarded instance.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saylau.web.core.forms import AdminLoginForm


class SaylauAdminSite(admin.AdminSite):
    site_header = "Saylau"
    site_title = "Saylau"
    login_form = AdminLoginForm  # the login lockout applies here too

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_superuser", False))


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic over any model
    """View only: changes go through the app's services, which validate and audit them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
