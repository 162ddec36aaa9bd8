"""The member record (phiếu đảng viên), its life events, and the membership periods derived from
them."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.organization.models import Organization, Person

from .choices import DisciplineForm, EventKind, Gender


class Member(PartyRecord):
    """A Party member's record: the items of the phiếu đảng viên the committee keeps (rules.md §9.4:
    1–4, 6–9, 11, 12, 14, 17–20, 26, optionally 29–30) and the identifiers of §9.2.

    Name, date of birth and the official cell live on the Person; the admission dates, status and
    Party age come from the events (MemberEvent), never typed here.
    """

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    other_names = models.CharField(_("other names"), max_length=150, blank=True)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("place of residence"), max_length=255, blank=True)
    ethnicity = models.CharField(_("ethnic group"), max_length=64, blank=True)
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    introducers = models.TextField(_("introducers"), blank=True)
    youth_union_date = models.DateField(_("joined the Youth Union"), null=True, blank=True)
    general_education = models.CharField(_("general education"), max_length=32, blank=True)
    professional_education = models.CharField(_("professional qualification"), max_length=255, blank=True)
    political_theory = models.CharField(_("political theory"), max_length=64, blank=True)
    foreign_languages = models.CharField(_("foreign languages"), max_length=255, blank=True)
    it_level = models.CharField(_("IT level"), max_length=64, blank=True)
    health = models.CharField(_("health"), max_length=255, blank=True)
    war_invalid = models.CharField(_("war invalid category"), max_length=64, blank=True)
    martyr_family = models.BooleanField(_("family of a martyr"), default=False)
    merit_family = models.BooleanField(_("family of people with merit"), default=False)
    citizen_id = models.CharField(_("citizen ID"), max_length=12, blank=True, db_index=True)
    record_number = models.CharField(_("record number"), max_length=16, blank=True)
    card_number = models.CharField(_("Party card number"), max_length=32, blank=True, db_index=True)
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    family = models.TextField(_("family relations"), blank=True)
    economy = models.TextField(_("economic situation"), blank=True)
    # Derived from the events by the service (members.services.member_rebuild), for lists and filters.
    first_decision_on = models.DateField(null=True, blank=True, editable=False)
    party_age_origin = models.DateField(null=True, blank=True, editable=False)

    scope_path_lookup = "person__organization__path"
    scope_person_lookup = "person_id"

    # Personal data shown only to those who keep the record, and logged when shown.
    SENSITIVE_FIELDS = ("citizen_id", "health", "war_invalid", "family", "economy")

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~Q(citizen_id="") & Q(deleted_at__isnull=True),
                name="member_citizen_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.person.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])


class MemberEvent(PartyRecord):
    """A dated life event with its document: admission, ceremony, recognition, transfers,
    exemption, suspension, discipline, death, removal, re-admission."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    temporary = models.BooleanField(_("temporary"), default=False)
    other_organization = models.CharField(_("from / to (outside)"), max_length=255, blank=True)
    discipline_form = models.CharField(
        _("discipline form"), max_length=16, choices=DisciplineForm.choices, blank=True
    )
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    official_duty = models.BooleanField(_("related to official duty"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    annulled = models.BooleanField(_("annulled"), default=False)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)

    scope_path_lookup = "member__person__organization__path"
    scope_person_lookup = "member__person_id"

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="member_event_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class MembershipPeriod(models.Model):
    """Derived: a stretch of active membership at one official cell, rebuilt from the events by
    members.services; what the lists and the metrics query. Not a Party record (no history)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    cell = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True)  # exclusive: the date of the exit or of the move
    admitted_on = models.DateField(null=True)
    recognised_on = models.DateField(null=True)
    official_on = models.DateField(null=True)
    end_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["start", "end"], name="period_dates_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.start} – {self.end or '…'}"
