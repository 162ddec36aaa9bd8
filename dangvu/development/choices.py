"""Choices of member development (rules.md §3): the steps a candidate (quần chúng) goes through
from the sympathiser list to recognition as an official member, and the papers of the dossier."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Step(models.TextChoices):
    """The statutory steps of the pipeline (rules.md §3.1), in their order. Each is dated and may
    carry its document; a candidate is at the last step recorded."""

    SYMPATHISER = "sympathiser", _("Listed as a Party sympathiser")
    CLASS = "class", _("Party-awareness class passed")
    PROCEDURE = "procedure", _("Allowed to start the admission procedure")
    CELL_VOTE = "cell_vote", _("Cell resolution on admission")
    COMMITTEE_VOTE = "committee_vote", _("Committee resolution on admission")
    DECISION = "decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    NEW_MEMBER_CLASS = "new_member_class", _("New-member class passed")
    RECOGNITION_CELL_VOTE = "recognition_cell_vote", _("Cell resolution on recognition")
    RECOGNITION_COMMITTEE_VOTE = "recognition_committee_vote", _("Committee resolution on recognition")
    RECOGNISED = "recognised", _("Recognised as official member")
    REMOVED = "removed", pgettext_lazy("development", "Removed")


ORDER: tuple[str, ...] = tuple(Step.values[:-1])  # the removal ends the pipeline at any step
CELL_VOTES = frozenset({Step.CELL_VOTE, Step.RECOGNITION_CELL_VOTE})  # the others: the committee's
VOTES = frozenset(
    {Step.CELL_VOTE, Step.COMMITTEE_VOTE, Step.RECOGNITION_CELL_VOTE, Step.RECOGNITION_COMMITTEE_VOTE}
)


class Paper(models.TextChoices):
    """The papers of the admission dossier kept before the decision (rules.md §9.3, "At admission");
    those marked in rules.EXPIRING are valid 12 months (§3.3, HD 06 5.4.a)."""

    APPLICATION = "application", _("Application to join the Party")
    PERSONAL_RECORD = "personal_record", _("Personal record (Mẫu 2-KNĐ) with its verification")
    INTRODUCTION = "introduction", _("Introducer's letter")
    UNION_RESOLUTION = "union_resolution", _("Youth Union or trade-union resolution")
    COMMENTS = "comments", _("Comments of the mass organisations and the residence cell")
