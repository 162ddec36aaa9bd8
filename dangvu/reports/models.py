"""Report requests from the committee to its cells, their rounds, and what each cell submits.

A request (ReportRequest) is asked by an organisation of cells under it; each of its rounds
(ReportRound: a period and its deadline) owes one submission per recipient cell (Submission, made
when the request is made, so a missing report is a row, not an absence). A cell's sending is an
immutable version (SubmissionVersion); the office accepts the latest or returns it with a reason.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.organization.models import Organization

from . import rules
from .choices import PeriodKind, State


class ReportRequest(PartyRecord):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="report_requests", verbose_name=_("requested by")
    )
    title = models.CharField(_("title"), max_length=255)
    instructions = models.TextField(_("instructions"), blank=True)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    requires_file = models.BooleanField(_("a file is required"), default=True)
    form_fields = models.JSONField(_("form items"), default=list, blank=True)  # [{key, label, number}]
    repeats = models.BooleanField(_("repeats"), default=False)
    move_to_working_day = models.BooleanField(
        _("a due date on a day off moves to the next working day"), default=False
    )
    template = models.CharField(max_length=32, blank=True)
    recipients = models.ManyToManyField(Organization, related_name="report_requests_received")

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:request", args=[self.pk])


class ReportRound(PartyRecord):
    """One round of a request: the period it covers and when it closes."""

    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()  # month, quarter or half; 1 for a year
    due_date = models.DateField(_("due date"), db_index=True)
    due_time = models.TimeField(_("due time"), null=True, blank=True)
    closes_at = models.DateTimeField(editable=False, db_index=True)  # rules.deadline

    scope_path_lookup = "request__organization__path"

    class Meta:
        verbose_name = _("report round")
        verbose_name_plural = _("report rounds")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.request.title} — {self.label}"

    @property
    def period(self) -> rules.Period:
        return rules.Period(self.request.period_kind, self.year, self.number)

    @property
    def label(self) -> str:
        return self.period.label or self.due_date.strftime("%d/%m/%Y")

    def get_absolute_url(self) -> str:
        return reverse("reports:round", args=[self.pk])


class Submission(PartyRecord):
    """What one cell owes for one round, and where it stands."""

    round = models.ForeignKey(ReportRound, on_delete=models.PROTECT, related_name="submissions")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="report_submissions")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    first_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_version = models.ForeignKey(
        "SubmissionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField(null=True, editable=False)  # of the accepted version
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    scope_path_lookup = "cell__path"

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cell"],
                condition=Q(deleted_at__isnull=True),
                name="submission_once_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.cell}"

    def get_absolute_url(self) -> str:
        return reverse("reports:submission", args=[self.pk])


def _upload_to(instance: "SubmissionVersion", filename: str) -> str:
    # A random name: the user's file name is kept in `file_name`, never used as a path.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"reports/{instance.submitted_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class SubmissionVersion(models.Model):
    """One sending of a cell's report, never changed afterwards: the file and/or the form."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_upload_to, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    values = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup = "submission__cell__path"

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"
