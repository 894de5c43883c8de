from __future__ import annotations

from django.urls import path

from saylau.web.commissions import views

app_name = "commissions"
urlpatterns = [
    path("commissions/", views.commission_list, name="list"),
    path("commissions/workspace/", views.workspace, name="workspace"),
    path("commissions/<slug:commission>/", views.commission_detail, name="detail"),
]
