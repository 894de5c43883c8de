from __future__ import annotations

from django.urls import path

from saylau.web.voting import views

app_name = "voting"
urlpatterns = [
    path("vote/<slug:code>/", views.booth_view, name="booth"),
    path("vote/<slug:code>/audit/", views.audit_view, name="audit"),
    path("vote/<slug:code>/verify/", views.verify_view, name="verify"),
    path("vote/<slug:code>/figures/", views.figures_view, name="figures"),
    path("vote/<slug:code>/login/", views.login_view, name="login"),
    path("vote/<slug:code>/login/<slug:backend>/", views.login_view, name="login_with"),
    path("vote/<slug:code>/kiosk/<slug:precinct>/", views.kiosk_view, name="kiosk"),
    path("vote/<slug:code>/manage/", views.manage_view, name="manage"),
]
