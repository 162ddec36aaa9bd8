"""Kinds of document the office issues, their states and how their numbers run (rules.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    """What the builder writes. Each kind has a type symbol (rules.TYPE_SYMBOLS) for its number."""

    ANNUAL_REPORT = "annual_report", _("Annual summary report")
    MIDYEAR_REPORT = "midyear_report", _("Six-month review")
    INVITATION = "invitation", _("Meeting invitation")
    MINUTES = "minutes", _("Meeting minutes")
    INSPECTION_PROGRAMME = "inspection_programme", _("Inspection and supervision programme")
    BADGE_LIST = "badge_list", _("Party badge proposal list")


class DocState(models.TextChoices):
    DRAFT = "draft", _("Draft, not issued")
    ISSUED = "issued", _("Issued with its number")


class Numbering(models.TextChoices):
    """rules.md "Product defaults": document numbers restart each year unless set per term."""

    YEAR = "year", _("Restart each year")
    TERM = "term", _("Run through the term")
