"""Choices of report requests and submissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """What a report covers (issue: month, quarter, six months, year); ad hoc for a one-off."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Six months")
    YEAR = "year", _("Year")
    ADHOC = "adhoc", _("One-off (no period)")


class State(models.TextChoices):
    """Where a cell's submission stands in the office's hands."""

    OPEN = "open", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned as incomplete")


class Status(models.TextChoices):
    """What the office and the secretary see: the state read against the deadline and the clock."""

    DUE = "due", _("Due")
    MISSING = "missing", _("Missing")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    SUBMITTED_LATE = "submitted_late", _("Submitted late, awaiting review")
    INCOMPLETE = "incomplete", _("Incomplete (returned)")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
