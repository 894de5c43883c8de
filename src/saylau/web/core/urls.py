from __future__ import annotations

from django.urls import path

from saylau.web.core import views

app_name = "core"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("display/", views.display, name="display"),
]
