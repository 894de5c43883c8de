"""Forms of the ceremonies: the setup (trustees and threshold) and a trustee's upload (a JSON text
file written by the `saylau` command of the step). Errors name the field and are linked to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from saylau.web.candidates.forms import LinkedErrors


class TrusteeChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return user.get_full_name() or user.get_username()


class SetupForm(LinkedErrors):
    trustees = TrusteeChoice(
        label=_("Trustees"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the commissions that cover this election. They are numbered in the order shown."),
        error_messages={"invalid_choice": _("“Trustees”: choose among the members listed."),
                        "invalid_pk_value": _("“Trustees”: choose among the members listed.")})
    threshold = forms.IntegerField(
        label=_("Threshold: how many trustees are needed to decrypt"), min_value=1, initial=1,
        error_messages={"invalid": _("“Threshold”: enter a whole number."),
                        "min_value": _("“Threshold”: enter a number of 1 or more.")})

    def __init__(self, *args: Any, users: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["trustees"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in users or []])
        order = {u.pk: i for i, u in enumerate(users or [])}
        field.choices = [(u.pk, u.get_full_name() or u.get_username()) for u in sorted(
            field.queryset, key=lambda u: order[u.pk])]
        self.order = order

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("trustees")
        threshold = data.get("threshold")
        if chosen is not None and threshold is not None and threshold > len(chosen):
            self.add_error("threshold", _("“Threshold”: it cannot exceed the number of trustees chosen."))
        if chosen is not None:
            data["trustees"] = sorted(chosen, key=lambda u: self.order.get(u.pk, 0))
        return data


class UploadForm(LinkedErrors):
    file = forms.FileField(label=_("File made by the saylau command"),
                           error_messages={"empty": _("“File”: the submitted file is empty."),
                                           "invalid": _("“File”: no file was submitted."),
                                           "missing": _("“File”: no file was submitted.")})

    def clean_file(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is None or upload.size > int(settings.UPLOAD_MAX_BYTES):
            raise forms.ValidationError(_("“File”: the file is too large."))
        try:
            return b"".join(upload.chunks()).decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("“File”: the file is not UTF-8 text.")) from None
