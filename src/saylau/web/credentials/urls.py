from __future__ import annotations

from django.urls import path

from saylau.web.credentials import views

app_name = "credentials"
urlpatterns = [
    path("elections/<slug:code>/credentials/", views.manage, name="manage"),
    path("elections/<slug:code>/credentials/ca-key/", views.ca_key, name="ca_key"),
    path("elections/<slug:code>/credentials/channel/precinct/", views.precinct_channel, name="precinct_channel"),
    path("elections/<slug:code>/credentials/channel/voter/", views.voter_channel, name="voter_channel"),
    path("elections/<slug:code>/credentials/roll-export/", views.roll_export, name="roll_export"),
    path("elections/<slug:code>/credentials/upload/", views.upload, name="upload"),
    path("elections/<slug:code>/credentials/replace/", views.replace, name="replace"),
    path("elections/<slug:code>/credentials/audio/", views.audio_generate, name="audio_generate"),
    path("elections/<slug:code>/credentials/<slug:precinct>.json", views.public_list, name="list"),
    path("elections/<slug:code>/station/<slug:precinct>/", views.station, name="station"),
    path("elections/<slug:code>/station/<slug:precinct>/publish/", views.station_publish, name="station_publish"),
    path("audio/<str:sha256>.wav", views.audio, name="audio"),
]
