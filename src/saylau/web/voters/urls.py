from __future__ import annotations

from django.urls import path

from saylau.web.voters import views

app_name = "voters"
urlpatterns = [
    path("where-do-i-vote/", views.where_do_i_vote_view, name="where"),
]
