"""Forms of the commission's results steps: a precinct's election record, the second round's
voting days, the commission's public key, and a signature over a PDF protocol. Errors are linked
to their inputs (`candidates.forms.LinkedErrors`) and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from saylau.board.errors import BoardError
from saylau.board.note import parse_vkey
from saylau.record.docsig import HEADER
from saylau.web.candidates.forms import LinkedErrors
from saylau.web.territory.models import Precinct

RECORD_MAX_BYTES = 64 * 1024 * 1024
SIGNATURE_MAX_BYTES = 8 * 1024
DATETIME_ERRORS = {"invalid": _("Enter the date and time as year-month-day hour:minute, for example 2025-04-06 08:00.")}


class RecordForm(LinkedErrors):
    precinct = forms.ModelChoiceField(label=_("Precinct"), queryset=Precinct.objects.none(),
                                      error_messages={"invalid_choice": _("Choose one of the precincts.")})
    ballots_issued = forms.IntegerField(label=_("Ballots issued (credentials or cards handed out)"), min_value=0,
                                        error_messages={"invalid": _("Enter a whole number."),
                                                        "min_value": _("Enter a number of 0 or more.")})
    issued_source = forms.CharField(label=_("Where the number of ballots issued comes from"), max_length=200,
                                    required=False)
    record = forms.FileField(label=_("Election record of the precinct (.bel archive)"),
                             error_messages={"empty": _("The submitted file is empty."),
                                             "invalid": _("No file was submitted.")})

    def clean_record(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["record"]
        if not (upload.name or "").lower().endswith(".bel"):
            raise forms.ValidationError(_("“%(field)s”: only a Belenios archive (.bel) is accepted."),
                                        params={"field": self.fields["record"].label})
        if upload.size is None or upload.size > RECORD_MAX_BYTES:
            raise forms.ValidationError(_("“%(field)s”: the file is too large."),
                                        params={"field": self.fields["record"].label})
        return upload


class RunoffForm(LinkedErrors):
    voting_opens = forms.DateTimeField(label=_("Second round: voting opens"), input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
                                       error_messages=DATETIME_ERRORS)
    voting_closes = forms.DateTimeField(label=_("Second round: voting closes"), input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
                                        error_messages=DATETIME_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("voting_opens"), data.get("voting_closes")
        if opens and closes and closes <= opens:
            self.add_error("voting_closes", _("“%(field)s” must be after the opening.") % {
                "field": self.fields["voting_closes"].label})
        return data


class KeyForm(LinkedErrors):
    vkey = forms.CharField(label=_("Public key of the commission (the text of the .vkey file)"), max_length=400)

    def clean_vkey(self) -> str:
        text = str(self.cleaned_data["vkey"]).strip()
        try:
            parse_vkey(text)
        except (BoardError, ValueError):
            raise forms.ValidationError(_("“%(field)s”: this is not a public key made by “saylau commission "
                                          "keygen”."), params={"field": self.fields["vkey"].label}) from None
        return text


class SignatureForm(LinkedErrors):
    signature = forms.FileField(label=_("Signature file (.sig from “saylau document sign”)"),
                                error_messages={"empty": _("The submitted file is empty."),
                                                "invalid": _("No file was submitted.")})

    def clean_signature(self) -> str:
        upload: UploadedFile = self.cleaned_data["signature"]
        label = self.fields["signature"].label
        if upload.size is None or upload.size > SIGNATURE_MAX_BYTES:
            raise forms.ValidationError(_("“%(field)s”: this is not a document signature."), params={"field": label})
        raw: bytes = upload.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if not text.startswith(HEADER + "\n"):
            raise forms.ValidationError(_("“%(field)s”: this is not a document signature."), params={"field": label})
        return text
