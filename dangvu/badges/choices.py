"""Choices of Party badges and commendations (rules.md §2, §1.10)."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import rules

# Lazy: the label is translated when shown, in the user's language.
BADGE_YEARS = [
    (years, format_lazy(_("{years} years of Party age"), years=years)) for years in rules.MILESTONES
]


class Early(models.TextChoices):
    """Why a badge is awarded before the milestone (§2.1), or not."""

    NO = "", _("At the milestone")
    GRAVELY_ILL = "gravely_ill", _("Early: gravely ill")
    POSTHUMOUS = "posthumous", _("Posthumous")


class CommendationForm(models.TextChoices):
    """The forms of commendation the register keeps (rules.md §1.10)."""

    CERTIFICATE = "certificate", _("Certificate of merit (giấy khen)")
    MERIT = "merit", _("Certificate of merit of the province (bằng khen)")
    OTHER = "other", _("Other commendation")


class Paper(models.TextChoices):
    """The papers of a badge proposal's dossier (rules.md §2.3; rules.PAPERS, rules.EARLY_PAPER)."""

    DECLARATION = "declaration", _("The member's declaration (tờ khai)")
    CELL_RESOLUTION = "cell_resolution", _("The cell's resolution")
    COMMITTEE_RESOLUTION = "committee_resolution", _("The committee's resolution, letter and list")
    PERSONAL_RECORD = "personal_record", _("The original personal record (lý lịch đảng viên)")
    MEDICAL_RECORD = "medical_record", _("The medical record")
    DEATH_EXTRACT = "death_extract", _("The death extract")
