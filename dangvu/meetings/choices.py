"""Choices of study, training and meetings (rules.md §5; shared/spec/metrics.md "Meetings", "Study")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    """One mechanism for every session with attendance (issue 7, point 2)."""

    STUDY = "study", _("Study of documents")
    CATCH_UP = "catch_up", _("Catch-up study")
    TRAINING = "training", _("Party-work training course")
    REGULAR = "regular", _("Regular monthly meeting of the cell")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    CONFERENCE = "conference", _("Conference convened by the committee")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with a reason")
    UNEXCUSED = "unexcused", _("Absent without a reason")


class Invitees(models.TextChoices):
    """Who a session invites by default, from its kind."""

    CELL_MEMBERS = "cell_members", _("The members of the cell")
    SUBTREE_MEMBERS = "subtree_members", _("The members of the organisation and everything under it")
    COMMITTEE_MEMBERS = "committee_members", _("The committee members of the organisation and under it")
    STILL_OWING = "still_owing", _("The members who have still to study the documents")
    CHOSEN = "chosen", _("Chosen one by one")


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Reply(models.TextChoices):
    """What an invitee answers before the session (issue 7, point 4)."""

    COMING = "coming", _("Will attend")
    EXCUSED = "excused", _("Asks to be excused")


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")
    CONCLUSION = "conclusion", _("Conclusion")
    REGULATION = "regulation", _("Regulation")
    GUIDANCE = "guidance", _("Guidance")
    OTHER = "other", _("Other document")


STUDY_KINDS = frozenset({SessionKind.STUDY, SessionKind.CATCH_UP})
CELL_MEETING_KINDS = frozenset({SessionKind.REGULAR, SessionKind.THEMATIC, SessionKind.EXTRAORDINARY})
