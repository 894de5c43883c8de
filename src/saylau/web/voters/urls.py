from __future__ import annotations

from django.urls import path

from saylau.web.voters import views

app_name = "voters"
urlpatterns = [
    path("where-do-i-vote/", views.where_do_i_vote_view, name="where"),
    path("roll/import/", views.roll_import_view, name="roll_import"),
    path("roll/imports/<int:roll_import>/", views.roll_import_result, name="roll_import_result"),
    path("roll/imports/<int:roll_import>/errors.csv", views.roll_import_errors_csv, name="roll_import_errors"),
]
