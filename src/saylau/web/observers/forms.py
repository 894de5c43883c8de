"""Forms of the observers app: every label and message translated, every error naming its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from saylau.domain.observers import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    ORGANISATION_MAX,
    PRECINCT_MAX,
    TITLE_MAX,
    ObserverKind,
)
from saylau.web.core.i18n import localized
from saylau.web.core.uploads import UploadField
from saylau.web.elections.models import Election
from saylau.web.observers.labels import (
    KIND_LABELS,
    REFUSAL_LABELS,
    RESOLUTION_LABELS,
    REVOCATION_LABELS,
)

MAX_FILES = 5


def _format(template: Any, **params: Any) -> str:
    """`template % params`, evaluated when shown (in the language active then)."""
    return str(template) % {k: v if isinstance(v, int) else str(v) for k, v in params.items()}


_lazy_format = lazy(_format, str)
REQUIRED = _("“%(field)s” is required.")


def _required(label: Any) -> dict[str, Any]:
    return {"required": _lazy_format(REQUIRED, field=label),
            "invalid_choice": _lazy_format(_("Choose a value for “%(field)s” from the list."), field=label)}


def _too_long(label: Any, limit: int) -> Any:
    return _lazy_format(_("“%(field)s” is too long: at most %(limit)d characters."), field=label, limit=limit)


class ElectionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "title") or str(obj)


class AccreditationRequestForm(forms.Form):
    election = ElectionChoiceField(queryset=Election.objects.none(), label=_("Election"),
                                      error_messages=_required(_("Election")))
    kind = forms.ChoiceField(label=_("Kind of observer"), choices=[(k.value, v) for k, v in KIND_LABELS.items()],
                             error_messages=_required(_("Kind of observer")))
    organisation = forms.CharField(
        label=_("Organisation"), max_length=ORGANISATION_MAX,
        help_text=_("The party, association, organisation or media outlet that sends you, as on its written mandate."),
        error_messages={**_required(_("Organisation")), "max_length": _too_long(_("Organisation"), ORGANISATION_MAX)})

    def __init__(self, *args: Any, elections: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = elections if elections is not None else Election.objects.all()

    def clean_kind(self) -> ObserverKind:
        return ObserverKind(self.cleaned_data["kind"])


class DecisionForm(forms.Form):
    """Approve, refuse (with a refusal reason) or revoke (with a revocation reason)."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse")), ("revoke", _("Revoke"))],
        error_messages=_required(_("Decision")))
    refusal_reason = forms.ChoiceField(
        label=_("Reason for refusal"), required=False,
        choices=[("", "—"), *((k.value, v) for k, v in REFUSAL_LABELS.items())],
        error_messages=_required(_("Reason for refusal")))
    revocation_reason = forms.ChoiceField(
        label=_("Reason for revocation"), required=False,
        choices=[("", "—"), *((k.value, v) for k, v in REVOCATION_LABELS.items())],
        error_messages=_required(_("Reason for revocation")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == "refuse" and not data.get("refusal_reason"):
            self.add_error("refusal_reason", _format(REQUIRED, field=_("Reason for refusal")))
        if decision == "revoke" and not data.get("revocation_reason"):
            self.add_error("revocation_reason", _format(REQUIRED, field=_("Reason for revocation")))
        return data


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(UploadField):
    """Up to `MAX_FILES` files, each checked by `UploadField`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kinds=("pdf", "png", "jpeg"), **kwargs)
        self.widget = MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                _format(_("“%(field)s”: at most %(limit)d files."), field=self.label, limit=MAX_FILES),
                code="too_many")
        return [super(AttachmentsField, self).clean(upload, initial) for upload in uploads]


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            error_messages={**_required(_("Title")), "max_length": _too_long(_("Title"), TITLE_MAX)})
    precinct = forms.CharField(
        label=_("Precinct number or code"), required=False, max_length=PRECINCT_MAX,
        help_text=_("Leave empty if the incident concerns no single precinct."),
        error_messages={"max_length": _too_long(_("Precinct number or code"), PRECINCT_MAX)})
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where and when, and who saw it."),
        error_messages={**_required(_("Description")),
                        "max_length": _too_long(_("Description"), DESCRIPTION_MAX)})
    attachments = AttachmentsField(label=_("Attachments"), required=False,
                             help_text=_("Up to 5 files: PDF, PNG or JPEG."))


class AnswerForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Resolution"),
                                   choices=[(k.value, v) for k, v in RESOLUTION_LABELS.items()],
                                   widget=forms.RadioSelect, error_messages=_required(_("Resolution")))
    answer = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={**_required(_("Answer")), "max_length": _too_long(_("Answer"), ANSWER_MAX)})
