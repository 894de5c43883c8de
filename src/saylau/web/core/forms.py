"""The login form, with Saylau's own labels and messages (Django's Kazakh catalogue lacks them)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is incorrect."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Django passes request= and data
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        required = {"required": _("This field is required.")}
        self.fields["username"].error_messages.update(required)
        self.fields["password"].error_messages.update(required)
