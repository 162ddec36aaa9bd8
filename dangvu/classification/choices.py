"""Choices of the annual review and quality classification (rules.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four quality levels (rules.md §1.3; QĐ 366 Điều 10, 11; the same four under QĐ 124)."""

    EXCELLENT = "excellent", _("Excellent (completed tasks excellently)")
    GOOD = "good", _("Good (completed tasks well)")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


class CapBase(models.TextChoices):
    """What the 20% cap on "excellent" is a share of (rules.md §1.4; UNCONFIRMED, default A)."""

    A = "A", _("Reading A: those finally rated exactly good")
    B = "B", _("Reading B: all those qualifying at good or above")


class Grouping(models.TextChoices):
    """Which group of comparable subjects the cap is counted over (rules.md §1.4; a local choice)."""

    PER_COMMITTEE = "per_committee", _("Across the whole Party Committee")
    PER_CELL = "per_cell", _("Per cell")
    CUSTOM = "custom", _("Per custom group")


class Exclusion(models.TextChoices):
    """Why a member is not reviewed this year (rules.md §1.2; QĐ 366 Điều 5 khoản 2)."""

    EXEMPT = "exempt", _("Exempt from Party work and meetings")
    SUSPENDED = "suspended", _("Party activity suspended")
    ADMITTED_RECENTLY = "admitted_recently", _("Admitted less than 6 months before the review")


class CountFrom(models.TextChoices):
    """Where the 6 months since admission run from (rules.md §1.2; UNCONFIRMED, default decision)."""

    DECISION = "decision", _("the admission decision")
    CEREMONY = "ceremony", _("the admission ceremony")


class Stage(models.TextChoices):
    """How far a rating has gone in the order of rules.md §1.6: self-rating, proposal, decision."""

    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    PROPOSED = "proposed", _("Proposed by the cell")
    DECIDED = "decided", _("Decided")


# The allowed cap rates (rules.md §1.4): 20%, or 25% when the competent level grants the exception.
CAP_RATES = (("0.20", "20%"), ("0.25", _("25% (exception for outstanding achievements)")))

# The triggers a person states (rules.md §1.3 (a), (c), (d), (e)); (b) is read from the member's
# discipline records.
MANUAL_MEMBER_TRIGGERS = ("degraded", "forbidden_acts", "example_breach", "most_tasks_not_completed")
# A collective's: all but the discipline of a member of the leadership, read from the records.
MANUAL_CELL_TRIGGERS = (
    "personnel_wrongdoing",
    "disunity",
    "post_buying",
    "member_degraded",
    "tasks_below_70_percent",
)
