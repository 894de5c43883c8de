"""The where-do-I-vote form: IIN and date of birth, each error linked to its input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import IinProblem, InvalidIin
from saylau.domain.iin import parse_iin

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


class WhereForm(forms.Form):
    iin = forms.CharField(label=_("IIN"), help_text=_("Individual identification number: 12 digits."),
                          error_messages={"required": _("This field is required.")},
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(
        label=_("Date of birth"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"required": _("This field is required."),
                        "invalid": _("Enter the date of birth as year-month-day, for example 1990-05-17.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._link_errors()

    def clean_iin(self) -> str:
        text: str = self.cleaned_data["iin"]
        try:
            parse_iin(text)
        except InvalidIin as bad:
            raise forms.ValidationError(IIN_PROBLEMS[bad.problem], code=bad.problem.value) from None
        return text

    def full_clean(self) -> None:
        super().full_clean()
        self._link_errors()

    def _link_errors(self) -> None:
        """aria-describedby names the help and the error of each input; aria-invalid marks errors."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = [f"{bound.auto_id}_helptext"] if field.help_text else []
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
