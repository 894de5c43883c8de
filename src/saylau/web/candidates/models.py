"""Parties, candidates and their evidence, party lists and mandates, as rows.

No rules here: the nomination lifecycle is `saylau.domain.nomination`, eligibility
`saylau.domain.eligibility`, lists and the imperative mandate `saylau.domain.parties`;
`mapping` converts, `services` decide, audit and publish.

A candidate's IIN is never stored: `identity_digest` is its HMAC under `settings.IIN_KEY`
(like the voter roll), used only to keep one active nomination per person per election.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saylau.domain.eligibility import Citizenship, Education
from saylau.domain.nomination import NominationStatus, NominatorKind, WithdrawnBy
from saylau.domain.parties import MandateEndReason
from saylau.web.core.models import StoredFile
from saylau.web.elections.models import Election

STATUS_LABELS = {
    NominationStatus.NOMINATED: _("Nominated"),
    NominationStatus.DOCUMENTS_SUBMITTED: _("Documents submitted"),
    NominationStatus.REGISTERED: _("Registered"),
    NominationStatus.REFUSED: _("Registration refused"),
    NominationStatus.WITHDRAWN: _("Withdrawn"),
}
NOMINATOR_LABELS = {
    NominatorKind.POLITICAL_PARTY: _("Political party"),
    NominatorKind.PUBLIC_ASSOCIATION: _("Public association"),
    NominatorKind.REPUBLICAN_PUBLIC_ASSOCIATION: _("Republican public association"),
    NominatorKind.SELF: _("Self-nomination"),
}
CITIZENSHIP_LABELS = {
    Citizenship.BY_BIRTH: _("Citizen of Kazakhstan by birth"),
    Citizenship.CITIZEN: _("Citizen of Kazakhstan"),
    Citizenship.NONE: _("Not a citizen of Kazakhstan"),
}
EDUCATION_LABELS = {
    Education.HIGHER: _("Higher education"),
    Education.SECONDARY_SPECIAL: _("Technical and vocational education"),
    Education.SECONDARY: _("Secondary education"),
    Education.NONE: _("No completed education"),
}
WITHDRAWN_BY_LABELS = {WithdrawnBy.CANDIDATE: _("the candidate"), WithdrawnBy.NOMINATOR: _("the nominator")}
END_REASON_LABELS = {
    MandateEndReason.LEFT_PARTY: _("Left the party"),
    MandateEndReason.EXPELLED: _("Expelled from the party"),
    MandateEndReason.PARTY_CEASED: _("The party ceased to exist"),
}


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    EDUCATION = "education", _("Education diploma")
    RESIDENCE = "residence", _("Proof of residence")
    PUBLIC_SERVICE = "public_service", _("Record of public service")
    LANGUAGE_EXAM = "language_exam", _("Conclusion of the linguistic commission")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record certificate")
    MEDICAL = "medical", _("Medical certificate")
    TAX_DECLARATION = "tax_declaration", _("Income and asset declaration")
    PARTY_DECISION = "party_decision", _("Decision of the party's governing body")
    PLATFORM = "platform", _("Election programme")


PUBLIC_DOCUMENT_KINDS = frozenset({DocumentKind.PLATFORM.value})
"""Documents published with the candidate's page. The rules summary does not list which
documents the law publishes; only the election programme is published until that is
confirmed (every other document is seen by the commission and the candidate's side only)."""


class Party(models.Model):
    name_kk = models.CharField(_("Name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("Name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("Name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("Short name"), max_length=64)
    registered_on = models.DateField(_("Registered on"))
    """The party's state registration: it orders parties for the `registered_earlier` tie-break."""
    ceased_on = models.DateField(_("Ceased on"), null=True, blank=True)
    representatives = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("Representatives"),
                                             blank=True, related_name="represented_parties")

    class Meta:
        verbose_name = _("Political party")
        verbose_name_plural = _("Political parties")
        ordering = ["registered_on", "id"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("candidates:party", kwargs={"party": self.pk})


class Candidate(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="candidates")
    surname = models.CharField(_("Surname"), max_length=100)
    given_name = models.CharField(_("Given name"), max_length=100)
    patronymic = models.CharField(_("Patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("Date of birth"))
    identity_digest = models.CharField(_("IIN (keyed hash)"), max_length=64)
    nominator_kind = models.CharField(_("Nominated by"), max_length=40,
                                      choices=[(k.value, v) for k, v in NOMINATOR_LABELS.items()])
    party = models.ForeignKey(Party, verbose_name=_("Political party"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="candidates")
    on_list = models.BooleanField(_("On the party list"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Candidate's account"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="candidacies")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Filed by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("Status"), max_length=32, default=NominationStatus.NOMINATED.value,
                              choices=[(k.value, v) for k, v in STATUS_LABELS.items()])
    # what the evidence establishes (eligibility.CandidateProfile); None: no evidence
    citizenship = models.CharField(_("Citizenship"), max_length=16, blank=True,
                                   choices=[(k.value, v) for k, v in CITIZENSHIP_LABELS.items()])
    resident_since = models.DateField(_("Permanently resident in Kazakhstan since"), null=True, blank=True)
    education = models.CharField(_("Education"), max_length=32, blank=True,
                                 choices=[(k.value, v) for k, v in EDUCATION_LABELS.items()])
    public_service_years = models.PositiveSmallIntegerField(_("Years in the public service"), null=True, blank=True)
    state_language_exam_passed = models.BooleanField(_("State-language examination passed"), null=True, blank=True)
    has_unexpunged_criminal_record = models.BooleanField(_("Criminal record not expunged"), null=True, blank=True)
    has_corruption_offence = models.BooleanField(_("Found guilty of a corruption offence"), null=True, blank=True)
    declared_legally_incapable = models.BooleanField(_("Declared legally incapable"), null=True, blank=True)
    serving_prison_sentence = models.BooleanField(_("Serving a prison sentence"), null=True, blank=True)
    medical_exam_passed = models.BooleanField(_("Medical examination passed"), null=True, blank=True)
    is_party_member = models.BooleanField(_("Member of the nominating party"), null=True, blank=True)
    is_woman = models.BooleanField(_("Woman"), default=False)
    is_youth = models.BooleanField(_("Young person"), default=False)
    has_disability = models.BooleanField(_("Person with a disability"), default=False)
    # public texts
    biography_kk = models.TextField(_("Biography (Kazakh)"), blank=True)
    biography_ru = models.TextField(_("Biography (Russian)"), blank=True)
    biography_en = models.TextField(_("Biography (English)"), blank=True)
    platform_kk = models.TextField(_("Election platform (Kazakh)"), blank=True)
    platform_ru = models.TextField(_("Election platform (Russian)"), blank=True)
    platform_en = models.TextField(_("Election platform (English)"), blank=True)
    # the lifecycle
    nominated_at = models.DateTimeField(_("Nominated at"))
    documents_submitted_at = models.DateTimeField(_("Documents submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("Registered at"), null=True, blank=True)
    refused_at = models.DateTimeField(_("Refused at"), null=True, blank=True)
    refusal_rules = models.JSONField(_("Rules cited by the refusal"), default=list, blank=True)
    """[{"rule_id", "reference", "status"}, ...] from the pack at the time of the decision."""
    refusal_reason = models.TextField(_("Reason for the refusal"), blank=True)
    assumed_rules = models.JSONField(_("Rules accepted without evidence"), default=list, blank=True)
    withdrawn_at = models.DateTimeField(_("Withdrawn at"), null=True, blank=True)
    withdrawn_by = models.CharField(_("Withdrawn by"), max_length=16, blank=True,
                                    choices=[(k.value, v) for k, v in WITHDRAWN_BY_LABELS.items()])

    class Meta:
        verbose_name = _("Candidate")
        verbose_name_plural = _("Candidates")
        ordering = ["election", "surname", "given_name", "id"]
        indexes = [models.Index(fields=["election", "identity_digest"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    def get_absolute_url(self) -> str:
        return reverse("candidates:detail", kwargs={"candidate": self.pk})


class CandidateDocument(models.Model):
    candidate = models.ForeignKey(Candidate, verbose_name=_("Candidate"), on_delete=models.PROTECT,
                                  related_name="documents")
    kind = models.CharField(_("Document"), max_length=32, choices=DocumentKind.choices)
    file = models.ForeignKey(StoredFile, verbose_name=_("File"), on_delete=models.PROTECT, related_name="+")
    public = models.BooleanField(_("Published"), default=False)
    uploaded_at = models.DateTimeField(_("Uploaded at"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Uploaded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Candidate's document")
        verbose_name_plural = _("Candidates' documents")
        ordering = ["candidate", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.kind}"


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")


class PartyList(models.Model):
    party = models.ForeignKey(Party, verbose_name=_("Political party"), on_delete=models.PROTECT,
                              related_name="lists")
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="party_lists")
    status = models.CharField(_("Status"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("Registered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Party list")
        verbose_name_plural = _("Party lists")
        constraints = [models.UniqueConstraint(fields=["party", "election"], name="one_list_per_party")]

    def __str__(self) -> str:
        return f"{self.party_id} @ {self.election_id}"


class ListEntry(models.Model):
    party_list = models.ForeignKey(PartyList, verbose_name=_("Party list"), on_delete=models.CASCADE,
                                   related_name="entries")
    position = models.PositiveIntegerField(_("Position"))
    candidate = models.OneToOneField(Candidate, verbose_name=_("Candidate"), on_delete=models.PROTECT,
                                     related_name="list_entry")

    class Meta:
        verbose_name = _("List entry")
        verbose_name_plural = _("List entries")
        ordering = ["party_list", "position"]
        constraints = [models.UniqueConstraint(fields=["party_list", "position"], name="one_name_per_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.candidate_id}"


class Mandate(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="mandates")
    party = models.ForeignKey(Party, verbose_name=_("Political party"), on_delete=models.PROTECT,
                              related_name="mandates")
    holder = models.ForeignKey(Candidate, verbose_name=_("Deputy"), on_delete=models.PROTECT,
                               related_name="mandates")
    started_at = models.DateTimeField(_("Started at"))
    ended_at = models.DateTimeField(_("Ended at"), null=True, blank=True)
    end_reason = models.CharField(_("Ground for the end"), max_length=32, blank=True,
                                  choices=[(k.value, v) for k, v in END_REASON_LABELS.items()])
    end_act = models.CharField(_("Act of the commission"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Mandate")
        verbose_name_plural = _("Mandates")
        ordering = ["election", "party", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.holder_id} ({self.party_id})"


class VacancyStatus(models.TextChoices):
    AWAITING_PARTY = "awaiting_party", _("Awaiting the party's decision")
    FILLED = "filled", _("Filled")
    VACANT = "vacant", _("Vacant until the next election")


class Vacancy(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="vacancies")
    party = models.ForeignKey(Party, verbose_name=_("Political party"), on_delete=models.PROTECT,
                              related_name="vacancies")
    ended_mandate = models.OneToOneField(Mandate, verbose_name=_("Ended mandate"), on_delete=models.PROTECT,
                                         related_name="vacancy")
    opened_at = models.DateTimeField(_("Opened at"))
    policy = models.CharField(_("Vacancy rule"), max_length=64)
    deadline = models.DateTimeField(_("The party decides by"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=VacancyStatus.choices)
    filled_by = models.OneToOneField(Mandate, verbose_name=_("Filled by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="fills")

    class Meta:
        verbose_name = _("Vacancy")
        verbose_name_plural = _("Vacancies")
        ordering = ["election", "opened_at", "id"]

    def __str__(self) -> str:
        return f"vacancy {self.pk} ({self.party_id})"
