"""Kinds of life event, statuses and the other choices of a member record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class EventKind(models.TextChoices):
    """Life events of a member (rules.md §9.4, §9.6, §3, §5.2). Status is derived from them."""

    ADMISSION_DECISION = "admission_decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    RECOGNITION = "recognition", _("Recognition as official member")
    READMISSION_DECISION = "readmission_decision", _("Re-admission decision")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    CELL_TRANSFER = "cell_transfer", _("Move to another cell of this organisation")
    EXEMPTION = "exemption", _("Exemption from Party work and meetings")
    SUSPENSION = "suspension", _("Suspension of Party activity")
    DISCIPLINE = "discipline", _("Discipline")
    DEATH = "death", _("Death")
    REMOVAL = "removal", _("Removal from the rolls")


class DisciplineForm(models.TextChoices):
    """Party discipline forms (phiếu đảng viên item 26); expulsion ends the membership."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL = "dismissal", _("Removal from post")
    EXPULSION = "expulsion", _("Expulsion")


class Status(models.TextChoices):
    """A member's status on a date, derived from the events, never typed."""

    AWAITING_CEREMONY = "awaiting_ceremony", _("Admitted, awaiting the ceremony")
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    REMOVED = "removed", _("Removed from the rolls")
    EXPELLED = "expelled", _("Expelled")
    UNKNOWN = "unknown", _("No admission recorded")


ACTIVE_STATUSES = frozenset({Status.PROBATIONARY, Status.OFFICIAL})
LEFT_PARTY_STATUSES = frozenset({Status.REMOVED, Status.EXPELLED})
