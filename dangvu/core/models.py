"""Accounts and the base every Party record inherits: a version, soft deletion and history."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A login. The username is one the office can print: many members have no e-mail address."""

    must_change_password = models.BooleanField(_("must change password"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    # The password hash never goes into history rows.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # A login only stamps last_login: not a change worth a history row.
        if kwargs.get("update_fields") == ["last_login"]:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)


class LiveManager(models.Manager):
    """Hides soft-deleted rows; `all_objects` still sees them."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class PartyRecord(models.Model):
    """Base of every Party record: never hard-deleted, versioned against lost updates, audited.

    `version` grows by one on each change; a write that names an older version is refused
    (see core.audit.update_versioned). History rows (who, when, the whole row) come from
    django-simple-history, with the actor set explicitly by the service.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(inherit=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class PersonalDataAccess(models.Model):
    """Who was shown whose sensitive personal data (citizen ID, health, family), and when."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    record = models.CharField(max_length=64)  # "<app>.<model>:<pk>"
    path = models.CharField(max_length=255)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user} {self.record} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token: the API acts as its user, with the user's scope. Only a hash is kept;
    the token is shown once. Revoked by its user or by the office."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)  # shown in lists, to recognise a token
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DayKind(models.TextChoices):
    OFF = "off", _("Day off")
    WORK = "work", _("Working Saturday or Sunday")


class CalendarDay(PartyRecord):
    """An exception to the Monday-to-Friday week: a public holiday or a day given in lieu ("off"), or
    a weekend day worked in exchange ("work"). Kept by the top office; read by
    `core.periods.work_calendar()` (rules.md §3.5: working days exclude weekends and holidays)."""

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind of day"), max_length=8, choices=DayKind.choices, default=DayKind.OFF)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(deleted_at__isnull=True),
                name="calendarday_live_day_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    NONE = "none", _("No e-mail address")


class Notification(models.Model):
    """One message to one user, shown in the app and, when the user has an address, e-mailed.

    `key` names what the message is about (e.g. "reports.due.42.3"): one user gets each key once, so
    a reminder job may run twice, or in two processes, and still tell nobody twice. The e-mail's
    state is kept here; `core.notifications.deliver_pending` claims rows before sending so that no
    message goes out twice, and a failed one is retried with back-off.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    scope_path = models.CharField(max_length=255, blank=True)  # the organisation it concerns, "" if none
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)  # the error and the address, nothing else
    email_sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Who last wrote the row in bulk: notify() on insert (to count what it created), a delivery when
    # it claims the row (to find what it claimed).
    claim_token = models.CharField(max_length=32, blank=True)
    # Deliveries and read marks are queryset updates (no history); a retry asked by the office is saved
    # with its actor.
    history = HistoricalRecords(excluded_fields=["claim_token", "claimed_until"])

    scope_path_lookup = "scope_path"

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "next_attempt_at"], name="notification_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.key}"

    @property
    def is_retrying(self) -> bool:
        return self.email_status in {EmailStatus.PENDING, EmailStatus.SENDING} and self.email_attempts > 0


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def _job_file_path(job: "Job", filename: str) -> str:
    # A random folder: the file is private, served only through the job's own page.
    return f"jobs/{secrets.token_hex(16)}/{filename}"


class Job(models.Model):
    """A long piece of work a user asked for (a large export), run by the worker with its progress
    shown on its page. Its file is the user's alone and is deleted after `JOB_FILE_DAYS` days."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=255)
    scope_path = models.CharField(max_length=255, blank=True)  # the organisation it reads, "" if none
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.FileField(upload_to=_job_file_path, max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # Progress and results are written by the worker as queryset updates; the request is audited.
    history = HistoricalRecords(excluded_fields=["done", "total", "task_result_id"])

    scope_path_lookup = "scope_path"

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
