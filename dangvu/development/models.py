"""Member development (issue 9; rules.md §3): the candidates (quần chúng) a cell builds up, each
step of their way to admission and recognition as an official member, the papers of their dossier,
and the office's time limits.

A candidate is not a member: their record is here until the admission decision, which opens the
member's record (members.Member, with its events) without retyping; the ceremony and the
recognition are then events on that record too. Steps are facts, dated, each with its document;
the candidate's current step is kept on the candidate for the lists (derived by the services)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.members.choices import Gender
from dangvu.members.models import Member, MemberEvent
from dangvu.organization.models import Organization

from .choices import Paper, Step


class Candidate(PartyRecord):
    """A person the cell builds up towards admission (rules.md §3.1–§3.2)."""

    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="candidates"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=32, blank=True)
    helper = models.ForeignKey(
        Member,
        verbose_name=_("member assigned to help"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introducers = models.TextField(_("introducers"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Derived by the services from the steps: where the candidate is, since when.
    step = models.CharField(_("step"), max_length=32, choices=Step.choices, editable=False)
    step_on = models.DateField(_("since"), editable=False)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacy", editable=False
    )

    scope_path_lookup = "cell__path"

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["sort_key", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("development:candidate", args=[self.pk])


class StepRecord(PartyRecord):
    """One step of a candidate's way (rules.md §3.1), dated, with its document; a vote keeps its
    count (§3.4); a decision's step may be extended by 15 working days (§3.5)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    issuing_body = models.CharField(_("issued by"), max_length=255, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    votes_of = models.PositiveSmallIntegerField(_("of"), null=True, blank=True)
    extended = models.BooleanField(_("time limit extended by 15 working days"), default=False)
    received_on = models.DateField(_("decision received on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    event = models.ForeignKey(
        MemberEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_path_lookup = "candidate__cell__path"

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "step"], condition=Q(deleted_at__isnull=True), name="step_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date:%d/%m/%Y}"


class DossierPaper(PartyRecord):
    """A paper of the admission dossier and the day it was made (rules.md §9.3; valid 12 months
    for those in rules.EXPIRING, §3.3)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="papers")
    paper = models.CharField(_("paper"), max_length=24, choices=Paper.choices)
    made_on = models.DateField(_("made on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope_path_lookup = "candidate__cell__path"

    class Meta:
        verbose_name = _("dossier paper")
        verbose_name_plural = _("dossier papers")
        ordering = ["paper", "-made_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "paper"], condition=Q(deleted_at__isnull=True), name="paper_once"
            )
        ]


class DevelopmentSettings(PartyRecord):
    """The time limits of §3.5 in working days, for the cells under `organization` (national
    defaults; a province such as Hanoi sets stricter ones). The nearest organisation above a cell
    with settings decides for it."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="development_settings",
        verbose_name=_("organisation"),
    )
    admission_decision_days = models.PositiveSmallIntegerField(_("admission decided within"), default=45)
    recognition_decision_days = models.PositiveSmallIntegerField(_("recognition decided within"), default=30)
    extension_days = models.PositiveSmallIntegerField(_("extension in special cases"), default=15)
    ceremony_days = models.PositiveSmallIntegerField(_("ceremony held within"), default=30)
    recognition_consideration_days = models.PositiveSmallIntegerField(
        _("recognition considered within, after probation"), default=30
    )

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("development settings")
        verbose_name_plural = _("development settings")
