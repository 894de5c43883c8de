"""Forms of nominations, documents, commission decisions, party lists and mandates.

Plain HTML controls only (keyboard-complete): each input is labelled, yes/no/no-evidence
questions are radio groups in a fieldset with a legend, and every error is linked to its
input with aria-describedby (`LinkedErrors`); the templates put an error summary at the top
whose links lead to the inputs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import InvalidIin
from saylau.domain.iin import parse_iin
from saylau.domain.parties import MandateEndReason
from saylau.web.candidates.models import (
    CITIZENSHIP_LABELS,
    EDUCATION_LABELS,
    END_REASON_LABELS,
    Candidate,
    DocumentKind,
    ListEntry,
    Party,
)
from saylau.web.core.forms import LinkedErrorsForm
from saylau.web.core.uploads import UploadField
from saylau.web.voters.forms import IIN_PROBLEMS

REQUIRED = {"required": _("This field is required.")}
DATE_ERRORS = {"required": _("This field is required."),
               "invalid": _("Enter the date as year-month-day, for example 1990-05-17.")}
YES, NO, UNKNOWN = "yes", "no", ""
TRISTATE = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("No evidence yet"))]


def _tristate(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=TRISTATE, required=False, initial=UNKNOWN,
        coerce=lambda v: {YES: True, NO: False}.get(v), empty_value=None, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers.")})


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages=DATE_ERRORS)


class LinkedErrors(LinkedErrorsForm):
    """`core.forms.LinkedErrorsForm` with the candidates catalogue's "required" message and an
    error summary for the top of the page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED["required"]

    def error_summary(self) -> list[dict[str, str]]:
        """Each error with the id of its input (for the summary's links); form-wide errors without."""
        out = []
        for name, errors in self.errors.items():
            for error in errors:
                if name == "__all__":
                    out.append({"id": "", "label": "", "message": str(error)})
                else:
                    bound = self[name]
                    target = bound.auto_id
                    if isinstance(self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                        target = f"{bound.auto_id}_0"
                    out.append({"id": target, "label": str(self.fields[name].label), "message": str(error)})
        return out


GROUPS = {
    "person": ("party", "iin", "surname", "given_name", "patronymic", "birth_date"),
    "evidence": ("citizenship", "resident_since", "education", "public_service_years",
                 "state_language_exam_passed", "medical_exam_passed"),
    "bars": ("has_unexpunged_criminal_record", "has_corruption_offence", "declared_legally_incapable",
             "serving_prison_sentence"),
    "list": ("is_party_member", "is_woman", "is_youth", "has_disability"),
    "texts": ("biography_kk", "biography_ru", "biography_en", "platform_kk", "platform_ru", "platform_en"),
}
DOCUMENT_FIELDS = {f"doc_{kind.value}": kind for kind in DocumentKind}


class NominationForm(LinkedErrors):
    party: forms.ModelChoiceField[Party] = forms.ModelChoiceField(
        label=_("Nominating party"), queryset=Party.objects.none(), required=False,
                                   empty_label=None,
                                   error_messages={"invalid_choice": _("Choose a party you represent.")})
    iin = forms.CharField(label=_("IIN of the nominee"), max_length=12,
                          help_text=_("12 digits. Saylau keeps only a keyed hash of it, never the number itself."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    surname = forms.CharField(label=_("Surname"), max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "family-name"}))
    given_name = forms.CharField(label=_("Given name"), max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "given-name"}))
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "additional-name"}))
    birth_date = _date(_("Date of birth"))
    citizenship = forms.ChoiceField(
        label=_("Citizenship"), required=False, widget=forms.RadioSelect,
        choices=[*((k.value, v) for k, v in CITIZENSHIP_LABELS.items()), ("", _("No evidence yet"))],
        error_messages={"invalid_choice": _("Choose one of the answers.")})
    resident_since = _date(_("Permanently resident in Kazakhstan since"), required=False,
                           help_text=_("Leave empty if there is no evidence yet."))
    education = forms.ChoiceField(
        label=_("Education"), required=False, widget=forms.RadioSelect,
        choices=[*((k.value, v) for k, v in EDUCATION_LABELS.items()), ("", _("No evidence yet"))],
        error_messages={"invalid_choice": _("Choose one of the answers.")})
    public_service_years = forms.IntegerField(
        label=_("Completed years in the public service or elected state office"), required=False,
        min_value=0, max_value=80, help_text=_("Leave empty if there is no evidence yet."),
        error_messages={"invalid": _("Enter a whole number of years."),
                        "min_value": _("Enter a whole number of years from 0 to 80."),
                        "max_value": _("Enter a whole number of years from 0 to 80.")})
    state_language_exam_passed = _tristate(_("State-language examination passed"),
                                           _("The conclusion of the linguistic commission, where the office requires it."))
    medical_exam_passed = _tristate(_("Medical examination passed"))
    has_unexpunged_criminal_record = _tristate(_("Has a criminal record that is not expunged or lifted"))
    has_corruption_offence = _tristate(_("Found guilty by a court of a corruption crime or offence"))
    declared_legally_incapable = _tristate(_("Declared legally incapable by a court"))
    serving_prison_sentence = _tristate(_("Serving a prison sentence"))
    is_party_member = _tristate(_("Member of the nominating party"))
    is_woman = forms.BooleanField(label=_("Woman"), required=False)
    is_youth = forms.BooleanField(label=_("Young person (as the law on youth defines it)"), required=False)
    has_disability = forms.BooleanField(label=_("Person with a disability"), required=False)
    biography_kk = forms.CharField(label=_("Biography (Kazakh)"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4, "lang": "kk"}))
    biography_ru = forms.CharField(label=_("Biography (Russian)"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4, "lang": "ru"}))
    biography_en = forms.CharField(label=_("Biography (English)"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4, "lang": "en"}))
    platform_kk = forms.CharField(label=_("Election platform (Kazakh)"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 4, "lang": "kk"}))
    platform_ru = forms.CharField(label=_("Election platform (Russian)"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 4, "lang": "ru"}))
    platform_en = forms.CharField(label=_("Election platform (English)"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 4, "lang": "en"}))

    def __init__(self, *args: Any, parties: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in DOCUMENT_FIELDS.items():
            self.fields[name] = UploadField(label=kind.label, required=False,
                                            help_text=_("PDF, PNG or JPEG."))
        if parties is None:
            del self.fields["party"]
            del self.fields["is_party_member"]
        else:
            party_field = self.fields["party"]
            assert isinstance(party_field, forms.ModelChoiceField)
            party_field.queryset = parties
            party_field.required = True
        self._link_errors()

    def clean_iin(self) -> str:
        text: str = self.cleaned_data["iin"]
        try:
            parse_iin(text)
        except InvalidIin as bad:
            raise forms.ValidationError(IIN_PROBLEMS[bad.problem], code=bad.problem.value) from None
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        iin, born = data.get("iin"), data.get("birth_date")
        if iin and isinstance(born, date) and parse_iin(iin).birth_date != born:
            self.add_error("birth_date", _("The date of birth does not match the IIN."))
        return data

    def documents(self) -> list[tuple[str, Any]]:
        return [(kind.value, self.cleaned_data[name]) for name, kind in DOCUMENT_FIELDS.items()
                if self.cleaned_data.get(name)]

    def groups(self) -> dict[str, list[forms.BoundField]]:
        return {group: [self[n] for n in names if n in self.fields] for group, names in GROUPS.items()} | {
            "documents": [self[n] for n in DOCUMENT_FIELDS]}


class DocumentForm(LinkedErrors):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices,
                             error_messages={"invalid_choice": _("Choose the kind of document.")})
    file = UploadField(label=_("File"), help_text=_("PDF, PNG or JPEG."))


class ConfirmForm(LinkedErrors):
    confirm = forms.BooleanField(label=_("I confirm"), required=True,
                                 error_messages={"required": _("Tick the box to confirm.")})


DECISIONS = [("register", _("Register the candidate")), ("refuse", _("Refuse registration"))]


class DecisionForm(LinkedErrors):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"invalid_choice": _("Choose a decision.")})
    rules = forms.MultipleChoiceField(
        label=_("Rules on which registration is refused"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("A refusal must cite at least one rule; the unmet rules are ticked in advance."),
        error_messages={"invalid_choice": _("Choose rules of this election's rule pack.")})
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, rules: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        rules_field = self.fields["rules"]
        assert isinstance(rules_field, forms.MultipleChoiceField)
        rules_field.choices = rules
        self.fields["decision"].error_messages["required"] = _("Choose a decision.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal."))
        return data


class ListAddForm(LinkedErrors):
    candidate = forms.ModelChoiceField(label=_("Candidate to add"), queryset=Candidate.objects.none(),
                                       empty_label=None,
                                       error_messages={"invalid_choice": _("Choose one of the party's candidates.")})


class ListRemoveForm(LinkedErrors):
    entry = forms.ModelChoiceField(label=_("Name to remove"), queryset=ListEntry.objects.none(),
                                   error_messages={"invalid_choice": _("Choose a name on the list.")})


class AwardForm(LinkedErrors):
    candidate = forms.ModelChoiceField(label=_("Deputy chosen by the party"), queryset=Candidate.objects.none(),
                                       empty_label=None,
                                       error_messages={"invalid_choice": _("Choose a candidate of a registered list.")})


class EndForm(LinkedErrors):
    reason = forms.ChoiceField(label=_("Ground"), widget=forms.RadioSelect,
                               choices=[(k.value, v) for k, v in END_REASON_LABELS.items()
                                        if k is not MandateEndReason.PARTY_CEASED],
                               error_messages={"invalid_choice": _("Choose the ground.")})
    act = forms.CharField(label=_("Act of the commission"), max_length=300,
                          help_text=_("The number and date of the commission's resolution."))


class CeaseForm(LinkedErrors):
    on = _date(_("The party ceased on"))
    act = forms.CharField(label=_("Act of the commission"), max_length=300,
                          help_text=_("The number and date of the commission's resolution."))
