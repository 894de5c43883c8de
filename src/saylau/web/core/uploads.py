"""Uploaded documents: checked by content and name, stored by SHA-256, served as attachments.

`UploadField(kinds=...)` is the form field: it refuses, with a message in the user's language
that names the field, a file that is empty, larger than `settings.UPLOAD_MAX_BYTES`, whose
extension is not one of the kinds', or whose first bytes are not that kind's signature (a
renamed executable is not a PDF). `store_upload` writes the bytes once under
`settings.UPLOAD_DIR/<aa>/<sha256>` (atomically, fsynced) and adds a `StoredFile` row;
identical uploads share their bytes. `open_upload` re-checks the hash when it reads.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from saylau.board.store import fsync_dir
from saylau.domain.election import require_aware
from saylau.web.core.models import StoredFile


@dataclass(frozen=True, slots=True)
class Kind:
    media_type: str
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]


KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (".pdf",), (b"%PDF-",)),
    "png": Kind("image/png", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": Kind("image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}


def _kind_of(upload: UploadedFile, kinds: tuple[str, ...]) -> Kind | None:
    name = (upload.name or "").lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for key in kinds:
        kind = KINDS[key]
        if name.endswith(kind.extensions) and head.startswith(kind.signatures):
            return kind
    return None


class UploadField(forms.FileField):
    """A file field that accepts only `kinds` (keys of `KINDS`) up to `max_bytes`."""

    default_error_messages = {  # Saylau's own, translated (Django's Kazakh catalogue lacks some)
        "required": _("Choose a file to upload."),
        "invalid": _("No file was submitted: check the form's encoding type."),
        "missing": _("No file was submitted."),
        "empty": _("The submitted file is empty."),
        "contradiction": _("Either submit a file or tick the clear box, not both."),
        "max_length": _("The file name is too long."),
    }

    def __init__(self, *, kinds: tuple[str, ...] = ("pdf", "png", "jpeg"), max_bytes: int | None = None,
                 **kwargs: Any) -> None:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown upload kinds {sorted(unknown)}")
        self.kinds = kinds
        self.max_bytes = max_bytes
        extensions = ",".join(e for k in kinds for e in KINDS[k].extensions)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": extensions}))
        super().__init__(**kwargs)

    @property
    def limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else int(settings.UPLOAD_MAX_BYTES)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return upload
        label = self.label or _("File")
        if upload.size is None or upload.size == 0:
            raise forms.ValidationError(_("“%(field)s”: the file is empty."), code="empty",
                                        params={"field": label})
        if upload.size > self.limit:
            raise forms.ValidationError(
                _("“%(field)s”: the file is larger than %(limit)s."), code="too_large",
                params={"field": label, "limit": filesizeformat(self.limit)})
        if _kind_of(upload, self.kinds) is None:
            names = ", ".join(k.upper() for k in self.kinds)
            raise forms.ValidationError(
                _("“%(field)s”: only these file types are accepted: %(kinds)s. The file's name "
                  "and content must both be of that type."), code="type",
                params={"field": label, "kinds": names})
        return upload


def _path(sha256: str) -> Path:
    return Path(settings.UPLOAD_DIR) / sha256[:2] / sha256


def store_upload(upload: UploadedFile, *, kinds: tuple[str, ...] = ("pdf", "png", "jpeg"),
                 at: datetime) -> StoredFile:
    """Store a file that passed `UploadField` (checked again here) and record it."""
    require_aware(at, "at")
    kind = _kind_of(upload, kinds)
    if kind is None or not upload.size:
        raise ValueError("store_upload takes only files accepted by UploadField")
    digest = hashlib.sha256()
    directory = Path(settings.UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = _path(digest.hexdigest())
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.chmod(tmp, 0o640)
            os.replace(tmp, target)
            fsync_dir(target.parent)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    name = os.path.basename((upload.name or "file").replace("\\", "/"))[:255] or "file"
    return StoredFile.objects.create(sha256=digest.hexdigest(), size=upload.size, media_type=kind.media_type,
                                     name=name, uploaded_at=at)


class UploadDamaged(Exception):
    """The stored bytes no longer match their hash."""


def open_upload(stored: StoredFile) -> IO[bytes]:
    """The stored bytes, checked against their SHA-256 first."""
    path = _path(stored.sha256)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    if digest.hexdigest() != stored.sha256:
        raise UploadDamaged(f"stored file {stored.pk} does not match its SHA-256")
    return open(path, "rb")


def attachment(body: bytes, name: str, content_type: str) -> HttpResponse:
    """A download of `body` named `name`: never rendered inline, never sniffed."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(stored: StoredFile) -> Any:
    """A FileResponse for `stored` as an attachment, never rendered inline by the browser."""
    from django.http import FileResponse

    response = FileResponse(open_upload(stored), as_attachment=True, filename=stored.name,
                            content_type=stored.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
