"""Choices of targets (shared/spec/metrics.md "Targets")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Op(models.TextChoices):
    """How a target compares the published figure with its value."""

    AT_LEAST = ">=", _("at least (≥)")
    MORE_THAN = ">", _("more than (>)")
    AT_MOST = "<=", _("at most (≤)")
    LESS_THAN = "<", _("less than (<)")
    EQUAL = "=", _("exactly (=)")
