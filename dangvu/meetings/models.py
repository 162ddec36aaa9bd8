"""Documents to study, sessions with invitations and attendance, and the minutes of a cell's meetings.

A document (StudyDocument) is set by an organisation for its subtree to study by a date; on the day
it is set every member then owes it (StudyObligation, derived, rebuilt from the member records). A
session (Session) of any kind (study, catch-up, training, the cell's meetings, a conference) invites
people (Invitation); each invitation carries the invitee's reply before the session and the
attendance marked after it. A cell meeting's minutes are kept on the session: the resolution book of
rules.md §9.5.
"""

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.members.models import Member
from dangvu.organization.models import Organization, Person

from .choices import CELL_MEETING_KINDS, Attendance, DocumentKind, Invitees, Reply, SessionKind, SessionState


def _random_name(folder: str, filename: str) -> str:
    # A random name: the user's file name is kept apart, never used as a path.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"meetings/{folder}/{uuid.uuid4().hex}{suffix}"


def document_upload_to(instance, filename: str) -> str:
    return _random_name("documents", filename)


def minutes_upload_to(instance, filename: str) -> str:
    return _random_name("minutes", filename)


class StudyDocument(PartyRecord):
    """A resolution, directive, conclusion... that `organization` sets for its subtree to study by
    `study_by`. Who owes it is judged on `set_on` (metrics.md, "Study")."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("studied by"), on_delete=models.PROTECT, related_name="study_documents"
    )
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    set_on = models.DateField(_("set to be studied on"))
    study_by = models.DateField(_("to be studied by"), db_index=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("document to study")
        verbose_name_plural = _("documents to study")
        ordering = ["-study_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(study_by__gte=models.F("set_on")), name="study_by_after_set_on"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("meetings:document", args=[self.pk])


class StudyObligation(models.Model):
    """Derived: `member` owes `document` (active, not exempt and at a cell of its scope on the day it
    was set). Rebuilt by meetings.services from the member records, never typed; not a Party record."""

    document = models.ForeignKey(StudyDocument, on_delete=models.CASCADE, related_name="obligations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="study_obligations")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    scope_path_lookup = "cell__path"
    scope_person_lookup = "member__person_id"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "member"], name="obligation_once")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.document_id}"


class Session(PartyRecord):
    """A study session, catch-up, training course, cell meeting or conference, organised by one
    organisation, with its invitees and, for a cell's meetings, the minutes."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(_("kind of session"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    held_on = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    invitees = models.CharField(_("invitees"), max_length=20, choices=Invitees.choices)
    documents = models.ManyToManyField(
        StudyDocument, verbose_name=_("documents studied"), blank=True, related_name="sessions"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.PLANNED
    )
    # The minutes (rules.md §5.1, §9.5): who chaired and wrote them, what was said and resolved.
    chair = models.CharField(_("chaired by"), max_length=150, blank=True)
    recorder = models.CharField(_("minutes taken by"), max_length=150, blank=True)
    minutes = models.TextField(_("minutes: content and discussion"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    minutes_file = models.FileField(upload_to=minutes_upload_to, blank=True, max_length=255)
    minutes_file_name = models.CharField(max_length=255, blank=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-held_on", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["kind", "held_on"], name="session_kind_day_idx")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:session", args=[self.pk])

    @property
    def is_cell_meeting(self) -> bool:
        return self.kind in CELL_MEETING_KINDS

    @property
    def when(self) -> str:
        """The day and, when set, the time, as notifications and sheets write them: "07:30 15/03/2026"."""
        day = f"{self.held_on:%d/%m/%Y}"
        return f"{self.starts_at:%H:%M} {day}" if self.starts_at else day


class Invitation(PartyRecord):
    """One invitee of a session: their reply before it, the attendance marked after it."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(Person, verbose_name=_("invitee"), on_delete=models.PROTECT, related_name="+")
    reply = models.CharField(_("reply"), max_length=8, choices=Reply.choices, blank=True)
    reply_reason = models.CharField(_("reason given"), max_length=255, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    reason = models.CharField(_("reason for the absence"), max_length=255, blank=True)

    scope_path_lookup = "session__organization__path"
    scope_person_lookup = "person_id"

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(deleted_at__isnull=True), name="invitation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.person}"


class MeetingSettings(PartyRecord):
    """The office's settings for the cells under `organization` (rules.md "Product defaults"): how
    often a cell holds a thematic meeting (UNCONFIRMED under HD 42, default quarterly) and the
    shortest regular meeting before a warning (HD 42: 90 minutes). The nearest organisation above a
    cell that has settings decides for it."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="meeting_settings",
        verbose_name=_("organisation"),
    )
    thematic_every_months = models.PositiveSmallIntegerField(
        _("thematic meetings at least"),
        choices=[
            (1, _("every month")),
            (2, _("every 2 months")),
            (3, _("every quarter")),
            (6, _("every 6 months")),
            (12, _("every year")),
        ],
        default=3,
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest regular meeting (minutes)"), default=90)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return str(self.organization)
