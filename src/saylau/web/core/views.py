"""Account pages (login, logout, profile) and the error pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from saylau.web.core.access import EVERYONE, SIGNED_IN, access, role_of
from saylau.web.core.forms import LoginForm
from saylau.web.core.labels import ROLE_LABELS

login = access(EVERYONE, methods=("GET", "HEAD", "POST"))(auth_views.LoginView.as_view(
    template_name="core/login.html", form_class=LoginForm, redirect_authenticated_user=True))

logout = access(SIGNED_IN, methods=("POST",))(auth_views.LogoutView.as_view())


@access(SIGNED_IN)
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {"role_label": ROLE_LABELS[role_of(request.user)]})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("The form has expired or did not come from this site. Reload the page and try again.")
    return render(request, "403.html", {"message": message}, status=403)
