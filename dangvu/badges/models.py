"""Party badges (issue 10; rules.md §2) and the commendations register (§1.10).

The register of awards (sổ tặng Huy hiệu Đảng) holds each badge awarded to a member: the decision,
its date (the award date, which decides the money), the badge's number, whether it was handed over
and what was paid. The money follows two dated tables the office keeps: the base salary (mức lương
cơ sở) and the badges' coefficients (national, and the committee's own for the badges the centre
sets no amount for: 45, 85, 90 years). A gravely ill member's early award needs the illness
recorded (health data: shown only to who keeps the member's record). The batch windows and the
other local choices are the committee's settings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from .choices import BADGE_YEARS, CommendationForm, Early


def hanoi_batches() -> list[list[int]]:
    """The default windows (rules.HANOI_BATCHES) as [month, day, first month] rows."""
    from . import rules

    return [[b.month, b.day, b.first_month] for b in rules.HANOI_BATCHES]


class BaseSalary(PartyRecord):
    """The base salary (mức lương cơ sở) from a day, by decree (rules.md §2.6)."""

    starts_on = models.DateField(_("in force from"))
    amount = models.PositiveIntegerField(_("amount (VND a month)"))
    decree = models.CharField(_("decree"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["starts_on"], condition=Q(deleted_at__isnull=True), name="base_salary_once_a_day"
            )
        ]


class Coefficient(PartyRecord):
    """How many base salaries go with a badge from a day (rules.md §2.5): national when no
    organisation is named; a committee's own otherwise (for it and under it: the nearest wins).
    A badge with no row has no amount ("needs the local amount"), never 0."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="badge_coefficients",
    )
    years = models.PositiveSmallIntegerField(_("badge"), choices=BADGE_YEARS)
    starts_on = models.DateField(_("in force from"))
    value = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=255, blank=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("badge coefficient")
        verbose_name_plural = _("badge coefficients")
        ordering = ["years", "starts_on"]
        # One value per badge and day, nationally and for each organisation (two constraints: SQLite
        # has no NULLS NOT DISTINCT).
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "years", "starts_on"],
                condition=Q(deleted_at__isnull=True, organization__isnull=False),
                name="coefficient_once",
            ),
            models.UniqueConstraint(
                fields=["years", "starts_on"],
                condition=Q(deleted_at__isnull=True, organization__isnull=True),
                name="national_coefficient_once",
            ),
        ]


class BadgeSettings(PartyRecord):
    """A committee's local choices (rules.md "Product defaults"): the batch windows (Hanoi's by
    default), the province's symbol on badge numbers, and whether the wait after a discipline runs
    from its effective date (default) or its decision. The nearest organisation above decides."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="badge_settings", verbose_name=_("organisation")
    )
    batches = models.JSONField(_("award batches"), default=hanoi_batches)
    province_symbol = models.CharField(_("province symbol"), max_length=4, blank=True)
    wait_from_effective_date = models.BooleanField(
        _("wait counted from the discipline's effective date"), default=True
    )

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("badge settings")
        verbose_name_plural = _("badge settings")


class Illness(PartyRecord):
    """That a member is gravely ill, recorded for an early award (rules.md §2.1), with its evidence
    (the medical record): health data, least privilege."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("recorded on"))
    evidence = models.CharField(_("evidence"), max_length=255, blank=True)

    scope_path_lookup = "member__person__organization__path"

    class Meta:
        verbose_name = _("grave illness")
        verbose_name_plural = _("grave illnesses")


class Award(PartyRecord):
    """A badge awarded to a member: a line of the badge register (sổ tặng Huy hiệu Đảng)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badge_awards")
    years = models.PositiveSmallIntegerField(_("badge"), choices=BADGE_YEARS)
    awarded_on = models.DateField(_("award date"))  # the decision's date: it decides the money
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    batch = models.DateField(_("batch"), null=True, blank=True)
    early = models.CharField(_("early award"), max_length=16, choices=Early.choices, blank=True)
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    money_paid = models.PositiveIntegerField(_("money paid (VND)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup = "member__person__organization__path"

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-awarded_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "years"], condition=Q(deleted_at__isnull=True), name="award_once"
            )
        ]


class Proposal(PartyRecord):
    """A member proposed for a badge in a batch (rules.md §2.3), with the papers of the dossier at
    hand (choices.Paper codes; rules.papers_missing says the rest). Once per member and badge: a
    member moved to another batch keeps one proposal. The award, when decided, goes to the
    register (Award)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badge_proposals")
    years = models.PositiveSmallIntegerField(_("badge"), choices=BADGE_YEARS)
    batch = models.DateField(_("batch"))
    early = models.CharField(_("early award"), max_length=16, choices=Early.choices, blank=True)
    papers = models.JSONField(_("papers at hand"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup = "member__person__organization__path"

    class Meta:
        verbose_name = _("badge proposal")
        verbose_name_plural = _("badge proposals")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "years"], condition=Q(deleted_at__isnull=True), name="proposal_once"
            )
        ]


class Commendation(PartyRecord):
    """A certificate or merit for an organisation or a member (rules.md §1.10): its form, who
    issued it, the decision, the reason and the money where the rules set it. `organization` is the
    organisation commended, or the member's cell when a member is (for who sees it)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="commendations"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("form"), max_length=16, choices=CommendationForm.choices)
    issuer = models.CharField(_("issued by"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    rated_year = models.PositiveSmallIntegerField(_("for the rating of"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("money (VND)"), null=True, blank=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decided_on", "pk"]
