"""Choices of the year's work programme: inspection and supervision items (rules.md §4), their
conclusions, the remedial actions and action-plan tasks that follow, and the review of a cell's
regulations (metrics.md "Regulations")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemKind(models.TextChoices):
    """The kinds of inspection and supervision work (Điều lệ chương VII; QĐ 296-QĐ/TW; rules.md §4.1)."""

    COMPLIANCE = "compliance", _("Inspection of members' compliance")
    THEMATIC_INSPECTION = "thematic_inspection", _("Thematic inspection")
    SIGNS_OF_VIOLATION = "signs_of_violation", _("Inspection on signs of violation")
    ONGOING_SUPERVISION = "ongoing_supervision", _("Ongoing supervision")
    THEMATIC_SUPERVISION = "thematic_supervision", _("Thematic supervision")
    DENUNCIATION = "denunciation", _("Handling a denunciation")
    DISCIPLINE = "discipline", _("Considering and applying discipline")


INSPECTION_KINDS = frozenset({ItemKind.COMPLIANCE, ItemKind.THEMATIC_INSPECTION, ItemKind.SIGNS_OF_VIOLATION})
SUPERVISION_KINDS = frozenset({ItemKind.ONGOING_SUPERVISION, ItemKind.THEMATIC_SUPERVISION})


class ItemState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("programme item", "Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    CANCELLED = "cancelled", _("Cancelled")


class Result(models.TextChoices):
    """The result a conclusion states (rules.md §4.2, "Record fields to store")."""

    NO_VIOLATION = "no_violation", _("No violation")
    SHORTCOMINGS = "shortcomings", _("Shortcomings")
    VIOLATION_NO_DISCIPLINE = "violation_no_discipline", _("Violation, not to the point of discipline")
    VIOLATION_DISCIPLINE = "violation_discipline", _("Violation, discipline proposed")


class TaskState(models.TextChoices):
    """An action-plan task or a remedial action: open until done, or dropped with a reason."""

    OPEN = "open", pgettext_lazy("task", "Open")
    DONE = "done", pgettext_lazy("task", "Done")
    DROPPED = "dropped", pgettext_lazy("task", "Dropped")


class NoteKind(models.TextChoices):
    """What a cell writes on a task of an action plan."""

    PROGRESS = "progress", _("Progress report")
    DIFFICULTY = "difficulty", _("Difficulty")
    PROPOSAL = "proposal", _("Proposal")


class RegulationKind(models.TextChoices):
    WORKING = "working", _("Working regulations")
    COORDINATION = "coordination", _("Coordination rules")


class ReviewKind(models.TextChoices):
    REVIEWED = "reviewed", pgettext_lazy("regulations", "Reviewed")
    AMENDED = "amended", pgettext_lazy("regulations", "Amended")
    ISSUED = "issued", pgettext_lazy("regulations", "Newly issued")
