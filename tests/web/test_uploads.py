"""Uploaded documents (core.uploads): checked by content and name, stored by hash, served safely."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from saylau.web.core.models import StoredFile
from saylau.web.core.uploads import (
    UploadDamaged,
    UploadField,
    download_response,
    open_upload,
    store_upload,
)
from tests.web.conftest import CALLED

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 50


class EvidenceForm(forms.Form):
    document = UploadField(label="Diploma", kinds=("pdf", "png"), max_bytes=1000)


def _form(name: str, data: bytes) -> EvidenceForm:
    return EvidenceForm(data={}, files={"document": SimpleUploadedFile(name, data)})


@pytest.fixture(autouse=True)
def _upload_dir(tmp_path: Path) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.mark.parametrize(("name", "data"), [("d.pdf", PDF), ("scan.PNG", PNG)])
def test_accepted(name: str, data: bytes) -> None:
    assert _form(name, data).is_valid()


@pytest.mark.parametrize(("name", "data", "code"), [
    ("d.pdf", b"", "empty"),
    ("d.pdf", PDF + b"x" * 1000, "too_large"),
    ("d.exe", PDF, "type"),            # right content, wrong name
    ("d.pdf", b"MZ\x90\0" + b"x" * 50, "type"),  # an executable renamed to .pdf
    ("d.jpg", b"\xff\xd8\xff\xe0" + b"x" * 10, "type"),  # a kind this field does not take
])
def test_refused_with_a_message_naming_the_field(name: str, data: bytes, code: str) -> None:
    form = _form(name, data)
    assert not form.is_valid()
    error = form.errors.as_data()["document"][0]
    assert error.code == code or (code == "empty" and error.code in ("empty", "invalid"))
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            text = " ".join(_form(name, data).errors["document"])
            assert text and ("Diploma" in text or code == "empty")


def test_stored_by_hash_once_and_read_back_checked() -> None:
    first = store_upload(SimpleUploadedFile("a.pdf", PDF), at=CALLED)
    second = store_upload(SimpleUploadedFile("../../etc/b.pdf", PDF), at=CALLED)
    assert first.sha256 == second.sha256 == hashlib.sha256(PDF).hexdigest()
    assert second.name == "b.pdf"  # never a path
    files = [p for p in Path(settings.UPLOAD_DIR).rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name == first.sha256
    with open_upload(first) as f:
        assert f.read() == PDF
    assert StoredFile.objects.count() == 2


def test_a_damaged_file_is_never_served() -> None:
    stored = store_upload(SimpleUploadedFile("a.pdf", PDF), at=CALLED)
    path = next(p for p in Path(settings.UPLOAD_DIR).rglob(stored.sha256))
    path.write_bytes(PDF + b"tampered")
    with pytest.raises(UploadDamaged):
        open_upload(stored)


def test_downloads_are_attachments_that_are_never_sniffed() -> None:
    stored = store_upload(SimpleUploadedFile("diploma.pdf", PDF), at=CALLED)
    response = download_response(stored)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_store_refuses_what_the_field_would_refuse() -> None:
    with pytest.raises(ValueError):
        store_upload(SimpleUploadedFile("a.pdf", b"MZ"), at=CALLED)


def test_an_oversized_request_is_refused_before_it_is_read(client: object) -> None:
    from django.test import Client

    big = settings.MAX_REQUEST_BYTES + 1
    response = Client().post("/kk/accounts/login/", data=b"x", content_type="application/octet-stream",
                             CONTENT_LENGTH=str(big))
    assert response.status_code == 413
    assert "<h1>" in response.content.decode()
    bad = Client().post("/kk/accounts/login/", data=b"x", content_type="text/plain", CONTENT_LENGTH="-5")
    assert bad.status_code == 413
