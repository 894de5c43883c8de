"""The login forms: Saylau's own labels and messages (Django's Kazakh catalogue lacks them),
and the login lockout (`core.services.login_*`, limits in settings) on both the site's login
and the admin's, which share the counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saylau.web.core.access import client_address
from saylau.web.core.services import login_failed, login_retry_after, login_succeeded

clock: Callable[[], datetime] = timezone.now
"""The forms' clock (tests replace it); the services take the time as a parameter."""

LOCKED = _("Too many failed attempts to log in. Logging in is paused for a while: try again later.")


class LockoutMixin(AuthenticationForm):
    """`clean` refuses while locked (the same message whether the account exists or not, and
    even with the right password), counts each failure, and forgets the account's failures on
    a success."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        client = client_address(self.request) if self.request is not None else "unknown"
        now = clock()
        if login_retry_after(username=username, client=client, now=now) is not None:
            raise forms.ValidationError(LOCKED, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username=username, client=client, now=now)
            raise
        login_succeeded(username=username)
        return cleaned


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login, with the lockout."""


class LoginForm(LockoutMixin):
    error_messages = {
        "invalid_login": _("The user name or password is incorrect."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Django passes request= and data
        # No autofocus: the page starts at the top, as every page does, so that the skip link,
        # the heading and the instructions come first for keyboard and screen-reader users.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        required = {"required": _("This field is required.")}
        self.fields["username"].error_messages.update(required)
        self.fields["password"].error_messages.update(required)


class LinkedErrorsForm(forms.Form):
    """aria-describedby names the help and the error of each input; aria-invalid marks errors.
    The base of every Saylau form whose template links errors to their fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._link_errors()

    def full_clean(self) -> None:
        super().full_clean()
        self._link_errors()

    def _link_errors(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = [f"{bound.auto_id}_helptext"] if field.help_text else []
            cleaned = getattr(self, "_errors", None)  # only once cleaned: linking must not trigger cleaning
            if cleaned is not None and name in cleaned:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
