"""Forms of the credentials workspace and of the polling station; errors linked to their inputs and
naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from saylau.board.errors import BoardError
from saylau.board.note import parse_vkey
from saylau.web.candidates.forms import LinkedErrors
from saylau.web.credentials.models import CHANNEL_CHOICES, LANGUAGE_CHOICES
from saylau.web.voters.forms import WhereForm

FILE_MAX_BYTES = 256 * 1024 * 1024
"""An upload bundle of a large election (a region's precincts) can be large."""
RECORD_MAX_BYTES = 64 * 1024


class CaKeyForm(LinkedErrors):
    vkey = forms.CharField(label=_("Public key of the credential authority (the text of ca.vkey)"), max_length=400)

    def clean_vkey(self) -> str:
        text = str(self.cleaned_data["vkey"]).strip()
        try:
            parse_vkey(text)
        except (BoardError, ValueError):
            raise forms.ValidationError(_("“%(field)s”: this is not a public key made by “saylau ca init”."),
                                        params={"field": self.fields["vkey"].label}) from None
        return text


class _JsonFileForm(LinkedErrors):
    limit = FILE_MAX_BYTES
    file = forms.FileField(error_messages={"required": _("Choose a file to upload."),
                                           "empty": _("The submitted file is empty."),
                                           "invalid": _("No file was submitted.")})

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        label = self.fields["file"].label
        if upload.size is None or upload.size > self.limit:
            raise forms.ValidationError(_("“%(field)s”: the file is too large."), params={"field": label})
        data: bytes = upload.read()
        if not data.lstrip().startswith(b"{"):
            raise forms.ValidationError(_("“%(field)s”: this is not a JSON file made by “saylau ca”."),
                                        params={"field": label})
        return data


class UploadForm(_JsonFileForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Signed public credential lists (upload.json)")


class ReplacementForm(_JsonFileForm):
    limit = RECORD_MAX_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Replacement record (from “saylau ca replace”)")


class PrecinctChannelForm(LinkedErrors):
    precinct = forms.ChoiceField(label=_("Precinct"), error_messages={
        "required": _("This field is required."), "invalid_choice": _("Choose one of the precincts.")})
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES, error_messages={
        "required": _("This field is required."), "invalid_choice": _("Choose one of the channels.")})

    def __init__(self, *args: Any, precincts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["precinct"].choices = precincts  # type: ignore[attr-defined]


class VoterChannelForm(WhereForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES, error_messages={
        "required": _("This field is required."), "invalid_choice": _("Choose one of the channels.")})
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LANGUAGE_CHOICES, error_messages={
        "required": _("This field is required."), "invalid_choice": _("Choose one of the languages.")})


class StationForm(WhereForm):
    """The voter's IIN and date of birth, typed by the commission member."""
