from __future__ import annotations

from django.urls import path

from saylau.web.candidates import views

app_name = "candidates"
urlpatterns = [
    path("elections/<slug:code>/candidates/", views.candidate_list, name="list"),
    path("elections/<slug:code>/nominate/", views.nominate_view, name="nominate"),
    path("elections/<slug:code>/review/", views.review_queue, name="review_queue"),
    path("elections/<slug:code>/lists/<int:party>/", views.list_edit, name="list_edit"),
    path("elections/<slug:code>/lists/<int:party>/register/", views.list_register, name="list_register"),
    path("elections/<slug:code>/mandates/", views.mandates, name="mandates"),
    path("elections/<slug:code>/mandates/award/", views.mandate_award, name="mandate_award"),
    path("elections/<slug:code>/parties/<int:party>/cease/", views.party_cease, name="party_cease"),
    path("candidates/<int:candidate>/", views.candidate_detail, name="detail"),
    path("candidates/<int:candidate>/manage/", views.manage, name="manage"),
    path("candidates/<int:candidate>/documents/", views.document_upload, name="upload"),
    path("candidates/<int:candidate>/submit/", views.documents_submit, name="submit"),
    path("candidates/<int:candidate>/withdraw/", views.withdraw_view, name="withdraw"),
    path("candidates/<int:candidate>/review/", views.review, name="review"),
    path("candidate-documents/<int:document>/", views.document_download, name="document"),
    path("nominations/", views.my_nominations, name="mine"),
    path("parties/", views.party_index, name="parties"),
    path("parties/<int:party>/", views.party_detail, name="party"),
    path("mandates/<int:mandate>/end/", views.mandate_end, name="mandate_end"),
    path("vacancies/<int:vacancy>/fill/", views.vacancy_fill, name="vacancy_fill"),
]
