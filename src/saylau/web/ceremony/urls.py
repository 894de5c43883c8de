from __future__ import annotations

from django.urls import path

from saylau.web.ceremony import views

app_name = "ceremony"
urlpatterns = [
    path("elections/<slug:code>/ceremony/", views.status, name="status"),
    path("elections/<slug:code>/ceremony/certs.jsons", views.certificates, name="certificates"),
    path("elections/<slug:code>/ceremony/trustees.json", views.trustees_json, name="trustees_json"),
    path("elections/<slug:code>/ceremony/setup/", views.setup, name="setup"),
    path("elections/<slug:code>/ceremony/tally/", views.tally, name="tally"),
    path("elections/<slug:code>/ceremony/trustee/", views.workspace, name="workspace"),
    path("elections/<slug:code>/ceremony/trustee/upload/<slug:ceremony_step>/", views.upload, name="upload"),
    path("elections/<slug:code>/ceremony/trustee/vinput.json", views.vinput, name="vinput"),
    path("elections/<slug:code>/ceremony/trustee/tallies.zip", views.bundle, name="bundle"),
]
