from __future__ import annotations

from django.urls import path

from saylau.web.results import views

app_name = "results"
urlpatterns = [
    path("elections/<slug:code>/results/", views.election_results, name="election"),
    path("elections/<slug:code>/results/unit/<slug:unit>/", views.unit_results, name="unit"),
    path("elections/<slug:code>/results/unit/<slug:unit>/protocol.json", views.protocol_json, name="protocol_json"),
    path("elections/<slug:code>/results/unit/<slug:unit>/protocol.csv", views.protocol_csv, name="protocol_csv"),
    path("elections/<slug:code>/results/unit/<slug:unit>/protocol-<slug:language>.pdf", views.document_pdf,
         name="document"),
    path("elections/<slug:code>/results/unit/<slug:unit>/protocol-<slug:language>.pdf.sig", views.document_signature,
         name="signature"),
    path("results/keys/<int:key>.vkey", views.signing_key, name="key"),
    path("elections/<slug:code>/results/manage/", views.manage, name="manage"),
    path("elections/<slug:code>/results/ballot/", views.ballot_define, name="ballot_define"),
    path("elections/<slug:code>/results/record/", views.record_upload, name="record"),
    path("elections/<slug:code>/results/aggregate/", views.aggregate, name="aggregate"),
    path("elections/<slug:code>/results/runoff/", views.runoff, name="runoff"),
    path("elections/<slug:code>/results/key/", views.key_register, name="key_register"),
    path("elections/<slug:code>/results/unit/<slug:unit>/prepare/<slug:language>/", views.document_prepare,
         name="prepare"),
    path("results/drafts/<int:draft>/protocol.pdf", views.draft_pdf, name="draft"),
    path("results/drafts/<int:draft>/sign/", views.document_sign, name="sign"),
]
