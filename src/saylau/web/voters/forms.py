"""The where-do-I-vote form (IIN and date of birth) and the roll-import form (commission and CSV file),
each error linked to its input."""

from __future__ import annotations

import codecs
import hashlib
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import IinProblem, InvalidIin
from saylau.domain.iin import parse_iin
from saylau.web.core.forms import LinkedErrorsForm

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

IIN_PROBLEMS: dict[IinProblem, LazyText] = {
    IinProblem.LENGTH: _("The IIN must be exactly 12 digits."),
    IinProblem.NON_DIGIT: _("The IIN may contain only the digits 0 to 9, without spaces or dashes."),
    IinProblem.CENTURY_DIGIT: _("The IIN is not valid: its 7th digit must be from 1 to 6."),
    IinProblem.BIRTH_DATE: _("The IIN is not valid: its first six digits are not a date of birth."),
    IinProblem.FUTURE_BIRTH_DATE: _("The IIN is not valid: it gives a date of birth in the future."),
    IinProblem.CHECK_DIGIT: _("The IIN is not valid: its last (12th) digit does not match the other "
                              "digits. Check it for a typing error."),
    IinProblem.UNISSUABLE: _("The IIN is not valid: no IIN is issued with these digits."),
}
"""A message naming the field for each way an IIN can be wrong (tests pin the list)."""


class WhereForm(LinkedErrorsForm):
    iin = forms.CharField(label=_("IIN"), help_text=_("Individual identification number: 12 digits."),
                          error_messages={"required": _("This field is required.")},
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(
        label=_("Date of birth"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"required": _("This field is required."),
                        "invalid": _("Enter the date of birth as year-month-day, for example 1990-05-17.")})

    def clean_iin(self) -> str:
        text: str = self.cleaned_data["iin"]
        try:
            parse_iin(text)
        except InvalidIin as bad:
            raise forms.ValidationError(IIN_PROBLEMS[bad.problem], code=bad.problem.value) from None
        return text


class RollFileField(forms.FileField):
    """A voter-roll CSV: a `.csv` name, not empty, at most `settings.ROLL_UPLOAD_MAX_BYTES`, UTF-8
    text without NUL bytes. The file is read once, in chunks (never whole into memory), to check
    it; its SHA-256 is left on the upload as `roll_sha256`. (`core.uploads` has no CSV kind.)"""

    default_error_messages = {
        "required": _("Choose the roll file (CSV) to upload."),
        "invalid": _("No file was submitted: check the form's encoding type."),
        "missing": _("No file was submitted."),
        "empty": _("The submitted file is empty."),
        "max_length": _("The file name is too long."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return upload
        label = self.label or _("File")
        limit = int(settings.ROLL_UPLOAD_MAX_BYTES)
        if not upload.size:
            raise forms.ValidationError(_("“%(field)s”: the file is empty."), code="empty", params={"field": label})
        if upload.size > limit:
            raise forms.ValidationError(_("“%(field)s”: the file is larger than %(limit)s."), code="too_large",
                                        params={"field": label, "limit": filesizeformat(limit)})
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(_("“%(field)s”: only CSV files (.csv) are accepted."), code="type",
                                        params={"field": label})
        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8")()
        upload.seek(0)
        try:
            for chunk in upload.chunks():
                digest.update(chunk)
                if b"\x00" in chunk:
                    raise forms.ValidationError(_("“%(field)s”: the file holds binary data, not text."),
                                                code="binary", params={"field": label})
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("“%(field)s”: the file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
                code="encoding", params={"field": label}) from None
        finally:
            upload.seek(0)
        upload.roll_sha256 = digest.hexdigest()  # type: ignore[attr-defined]
        return upload


class RollImportForm(LinkedErrorsForm):
    commission = forms.ChoiceField(label=_("On behalf of the commission"),
                                   error_messages={"required": _("Choose the commission."),
                                                   "invalid_choice": _("Choose the commission.")})
    file = RollFileField(label=_("Roll file (CSV)"),
                         help_text=_("UTF-8 CSV with a header row naming the columns iin, surname, given_name, "
                                     "patronymic (optional), birth_date (YYYY-MM-DD) and precinct (the precinct "
                                     "code)."))

    def __init__(self, *args: Any, commissions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commission"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = commissions
        if len(commissions) == 1:
            field.initial = commissions[0][0]
