from __future__ import annotations

from django.urls import path

from saylau.web.territory import views

app_name = "territory"
urlpatterns = [
    path("territory/", views.unit_list, name="units"),
    path("territory/<slug:unit>/", views.unit_precincts, name="precincts"),
    path("precincts/<slug:precinct>/", views.precinct_detail, name="precinct"),
]
