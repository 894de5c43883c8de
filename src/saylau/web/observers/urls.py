from __future__ import annotations

from django.urls import path

from saylau.web.observers import views

app_name = "observers"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("observers/", views.home, name="home"),
    path("observers/accreditations/<int:accreditation_id>/decide/", views.decide, name="decide"),
    path("observers/incidents/<int:incident_id>/", views.incident, name="incident"),
    path("observers/incidents/<int:incident_id>/answer/", views.incident_answer, name="incident_answer"),
    path("observers/incidents/<int:incident_id>/close/", views.incident_close, name="incident_close"),
    path("observers/incidents/<int:incident_id>/files/<int:file_id>/", views.incident_file, name="incident_file"),
    path("observers/<slug:code>/accreditations/", views.requests, name="requests"),
    path("observers/<slug:code>/portal/", views.portal, name="portal"),
    path("observers/<slug:code>/audit/", views.audit, name="audit"),
    path("observers/<slug:code>/incidents/", views.incidents, name="incidents"),
    path("observers/<slug:code>/incidents/new/", views.incident_new, name="incident_new"),
]
