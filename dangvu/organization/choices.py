"""Kinds of Party organisation, committee roles and account roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Kinds of Party organisation (Điều lệ Đảng; QĐ 294 point 6.3, rules.md §9.6)."""

    UPPER_PROVINCE = "upper_province", _("Party organisation above grassroots (province level)")
    UPPER_DISTRICT = "upper_district", _("Party organisation above grassroots (district level)")
    UPPER_COMMUNE = "upper_commune", _("Party organisation above grassroots (commune level)")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots Party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots Party cell")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial Party committee")
    ATTACHED_CELL = "attached_cell", _("Attached Party cell")


CELL_KINDS = frozenset({OrgKind.GRASSROOTS_CELL, OrgKind.ATTACHED_CELL})
UPPER_KINDS = frozenset({OrgKind.UPPER_PROVINCE, OrgKind.UPPER_DISTRICT, OrgKind.UPPER_COMMUNE})


class SeatRole(models.TextChoices):
    """Seats on a Party committee (cấp ủy) or on its inspection commission (ủy ban kiểm tra)."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    STANDING_MEMBER = "standing_member", _("Standing committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    INSPECTION_CHAIR = "inspection_chair", _("Chair of the inspection commission")
    INSPECTION_DEPUTY_CHAIR = "inspection_deputy_chair", _("Deputy chair of the inspection commission")
    INSPECTION_MEMBER = "inspection_member", _("Inspection commission member")


INSPECTION_ROLES = frozenset(
    {SeatRole.INSPECTION_CHAIR, SeatRole.INSPECTION_DEPUTY_CHAIR, SeatRole.INSPECTION_MEMBER}
)
COMMITTEE_ROLES = frozenset(set(SeatRole) - INSPECTION_ROLES)


class AccessRole(models.TextChoices):
    """Roles the office grants on a subtree. Secretaries and members get theirs from their records."""

    OFFICE = "office", _("Office administrator")
    LEADER = "leader", _("Leader (read only)")
    INSPECTION = "inspection", _("Inspection commission")
