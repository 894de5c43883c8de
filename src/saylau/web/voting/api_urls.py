from __future__ import annotations

from django.urls import path

from saylau.web.voting import api

app_name = "voting_api"
urlpatterns = [
    path("<slug:code>/<slug:precinct>/ballots", api.cast_view, name="cast"),
    path("<slug:code>/audited", api.audited_view, name="audited"),
]
