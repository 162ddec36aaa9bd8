"""The annual review and quality classification: a campaign per year, and the ratings of its
members and cells through the steps of rules.md §1.6 (self-rating, the cell's proposal, the
committee's decision).

Who is reviewed is not stored: it is computed on the campaign's review date from the member records
(selectors.roster). A rating row exists from a member's first step on; a decided rating is what the
metrics count.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from . import rules
from .choices import CapBase, CountFrom, Grouping, Level, Stage

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _score(label):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )


def _user(related_name: str = "+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name
    )


class Campaign(PartyRecord):
    """A year's review opened by a committee for its subtree, with the settings it is judged by
    (rules.md "Product defaults": each UNCONFIRMED point is a setting shown where it decides)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="review_campaigns",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    review_date = models.DateField(_("review date"))  # who is reviewed is judged on this date
    rule_set = models.CharField(_("rules in force"), max_length=32)  # a rules.RuleSet code
    special_unit = models.BooleanField(_("a unit not closing at year end"), default=False)
    cap_base = models.CharField(_("base of the cap"), max_length=1, choices=CapBase.choices, default="A")
    cap_rate = models.DecimalField(_("cap rate"), max_digits=3, decimal_places=2, default=Decimal("0.20"))
    grouping = models.CharField(
        _("cap counted"), max_length=16, choices=Grouping.choices, default=Grouping.PER_COMMITTEE
    )
    custom_groups = models.JSONField(_("custom groups"), default=dict, blank=True)  # {cell code: group}
    count_from = models.CharField(
        _("six months counted from"), max_length=10, choices=CountFrom.choices, default=CountFrom.DECISION
    )
    cell_warning = models.BooleanField(_("warn about a cell rated above its members"), default=True)
    warning_threshold = models.PositiveSmallIntegerField(_("members that trigger the warning"), default=1)
    imported = models.BooleanField(default=False, editable=False)  # made by an import of past ratings

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(deleted_at__isnull=True),
                name="campaign_once_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("classification:campaign", args=[self.pk])

    def sheet_url(self, cell: Organization) -> str:
        """The page where a cell's ratings in this campaign are proposed and decided."""
        return reverse("classification:cell", args=[self.pk, cell.code])

    @property
    def rules(self) -> rules.RuleSet:
        return rules.rule_set_by_code(self.rule_set)

    def group_of(self, cell: Organization) -> str:
        """The group a cell's members are capped in (rules.md §1.4, `grouping`)."""
        if self.grouping == Grouping.PER_CELL:
            return cell.code
        if self.grouping == Grouping.CUSTOM:
            return str(self.custom_groups.get(cell.code, cell.code))
        return ""

    def cap_check(self, levels: Mapping[str, int]) -> "rules.CapResult":
        """The cap on "excellent" (rules.md §1.4) over a group's levels, with this campaign's
        base and rate."""
        return rules.cap_check(
            excellent=levels.get(Level.EXCELLENT, 0),
            good=levels.get(Level.GOOD, 0),
            rate=self.cap_rate,
            base=self.cap_base,
        )

    def cell_group_of(self, cell: Organization) -> str:
        """The group a cell itself is capped in: cells are compared across the committee unless
        custom groups say otherwise (a group of one cell would allow no excellent cell)."""
        return self.group_of(cell) if self.grouping == Grouping.CUSTOM else ""


class MemberRating(PartyRecord):
    """One member's rating in a campaign, at the official cell (rules.md §1.8, 7.6)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="member_ratings")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ratings")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    self_score = _score(_("self-assessed score"))
    self_level = models.CharField(_("self-assessed level"), max_length=16, choices=Level.choices, blank=True)
    self_by = _user()
    self_at = models.DateTimeField(null=True, blank=True)
    self_on_behalf = models.BooleanField(_("recorded by the secretary on the member's behalf"), default=False)
    proposed_score = _score(_("score proposed by the cell"))
    proposed_level = models.CharField(
        _("level proposed by the cell"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_by = _user()
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposal_note = models.TextField(_("note of the cell"), blank=True)
    triggers = models.JSONField(_("stated triggers"), default=list, blank=True)  # MANUAL_MEMBER_TRIGGERS
    decided_level = models.CharField(_("decided level"), max_length=16, choices=Level.choices, blank=True)
    decided_by = _user()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    override_reason = models.TextField(_("reason for deciding against a check"), blank=True)

    scope_path_lookup = "cell__path"
    scope_person_lookup = "member__person_id"

    class Meta:
        verbose_name = _("member rating")
        verbose_name_plural = _("member ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"],
                condition=Q(deleted_at__isnull=True),
                name="member_rated_once_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign.year}"

    def get_absolute_url(self) -> str:
        return reverse("classification:member_rating", args=[self.pk])

    @property
    def score(self) -> Decimal | None:
        """The score the level is checked against: the cell's, else the member's own."""
        return self.proposed_score if self.proposed_score is not None else self.self_score


class CellRating(PartyRecord):
    """A cell's own rating: the chi ủy's self-rating, then the committee's decision (rules.md §1.6),
    which may mark an excellent cell exemplary ("tiêu biểu", §1.10)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cell_ratings")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    self_score = _score(_("self-assessed score"))
    self_level = models.CharField(_("self-assessed level"), max_length=16, choices=Level.choices, blank=True)
    self_by = _user()
    self_at = models.DateTimeField(null=True, blank=True)
    self_note = models.TextField(_("note of the cell"), blank=True)
    triggers = models.JSONField(_("stated triggers"), default=list, blank=True)  # MANUAL_CELL_TRIGGERS
    decided_level = models.CharField(_("decided level"), max_length=16, choices=Level.choices, blank=True)
    exemplary = models.BooleanField(_("exemplary"), default=False)
    decided_by = _user()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    override_reason = models.TextField(_("reason for deciding against a check"), blank=True)

    scope_path_lookup = "cell__path"

    class Meta:
        verbose_name = _("cell rating")
        verbose_name_plural = _("cell ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cell"],
                condition=Q(deleted_at__isnull=True),
                name="cell_rated_once_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cell} — {self.campaign.year}"
