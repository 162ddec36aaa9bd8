"""Accounts and the base every Party record inherits: a version, soft deletion and history."""

from django.contrib.auth.models import AbstractUser
from django.db import models
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
