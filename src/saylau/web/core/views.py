"""Account pages (login, logout, profile), the display preferences, and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from saylau.web.core.access import EVERYONE, SIGNED_IN, access, role_of
from saylau.web.core.context_processors import DISPLAY_CLASSES, DISPLAY_COOKIE, display_flags
from saylau.web.core.forms import LoginForm
from saylau.web.core.labels import ROLE_LABELS

login = access(EVERYONE, methods=("GET", "HEAD", "POST"))(auth_views.LoginView.as_view(
    template_name="core/login.html", form_class=LoginForm, redirect_authenticated_user=True))

logout = access(SIGNED_IN, methods=("POST",))(auth_views.LogoutView.as_view())


@access(SIGNED_IN)
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {"role_label": ROLE_LABELS[role_of(request.user)]})


DISPLAY_COOKIE_AGE = 365 * 24 * 3600


@access(EVERYONE, methods=("POST",))
@csrf_protect
def display(request: HttpRequest) -> HttpResponse:
    """Turn high contrast or large text on or off (`contrast=on|off`, `text=on|off`), kept in a
    cookie, then go back to `next` (a page of this site only; else the home page)."""
    flags = set(display_flags(request))
    for flag in DISPLAY_CLASSES:
        choice = request.POST.get(flag)
        if choice == "on":
            flags.add(flag)
        elif choice == "off":
            flags.discard(flag)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("elections:list")
    response = HttpResponseRedirect(target)
    response.status_code = 303  # See Other: the page is fetched again with GET
    if flags:
        response.set_cookie(DISPLAY_COOKIE, ".".join(sorted(flags)), max_age=DISPLAY_COOKIE_AGE,
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
    else:
        response.delete_cookie(DISPLAY_COOKIE, samesite="Lax")
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("The form has expired or did not come from this site. Reload the page and try again.")
    return render(request, "403.html", {"message": message}, status=403)
