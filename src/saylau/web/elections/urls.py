from __future__ import annotations

from django.urls import path

from saylau.web.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("elections/<slug:code>/", views.election_detail, name="detail"),
    path("elections/<slug:code>/advance/", views.election_advance_view, name="advance"),
]
