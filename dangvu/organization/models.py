"""The Party organisation tree, the people in it, committee seats and granted roles."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord

from .choices import CELL_KINDS, INSPECTION_ROLES, AccessRole, OrgKind, SeatRole


class Organization(PartyRecord):
    """A Party organisation: a đảng bộ or a chi bộ at any level.

    `path` is a materialised path of random segments, one per level ("/9f3a01c2/5b7e9d10/"): a
    subtree is one indexed `path LIKE '/9f3a01c2/%'` query, and every figure of the product is
    computed over subtrees.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, unique=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)

    scope_path_lookup = "path"

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any collation.
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="org_active_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organization:detail", args=[self.code])

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or self.active_to >= day
        )


class Person(PartyRecord):
    """A person the system knows: a committee member now, a Party member once member records exist.

    `organization` is the organisation that keeps the person's record; it decides who may see it.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("keeping organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    scope_path_lookup = "organization__path"
    scope_person_lookup = "pk"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.full_name


class CommitteeSeat(PartyRecord):
    """A seat on a Party committee (cấp ủy) or its inspection commission, for a term."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("position"), max_length=32, choices=SeatRole.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)
    part_time = models.BooleanField(_("part-time"), default=True)

    scope_path_lookup = "organization__path"
    scope_person_lookup = "person_id"

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="seat_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def is_inspection(self) -> bool:
        return self.role in INSPECTION_ROLES

    def is_current_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class RoleGrant(PartyRecord):
    """A role the office granted to a login on a subtree; revoking it is a soft delete."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=32, choices=AccessRole.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="role_grants",
    )

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
