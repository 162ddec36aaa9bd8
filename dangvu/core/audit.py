"""The one helper that records who changed what.

History rows come from django-simple-history. The actor is never guessed from a thread-local: every
service passes it explicitly, whether the write comes from a page, the API or a command
(`system_actor()` for commands run without a user).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

SYSTEM_USERNAME = "system"


class StaleVersionError(Exception):
    """The record changed since the form (or API client) read it; nothing was written."""

    def __init__(self, current_version: int):
        super().__init__(
            _("Someone else changed this record in the meantime. Reload it and make your change again.")
        )
        self.current_version = current_version


def system_actor():
    """The account that stands for management commands run without a named user."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Hệ thống"},
    )
    return user


def save_audited(instance: models.Model, *, actor, reason: str = "", update_fields=None) -> None:
    """Save and leave a history row that names the actor."""
    instance._history_user = actor  # read by simple-history's post_save handler
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=update_fields)


@transaction.atomic
def update_versioned(
    instance: models.Model,
    *,
    actor,
    expected_version: int,
    changes: dict[str, Any],
    reason: str = "",
    touch: bool = False,
) -> models.Model:
    """Apply `changes` only if the row is still at `expected_version`, else raise StaleVersionError.

    The conditional UPDATE takes the row's write lock, so two concurrent saves of the same version
    cannot both succeed. `touch` claims a new version even when the row's own fields do not change:
    for a write that changes rows under it (a session's attendance), so that a second form read at
    the same version is refused.
    """
    model = type(instance)
    changes = {f: v for f, v in changes.items() if getattr(instance, f) != v}
    if not changes and not touch:  # nothing to write: only check that the form was not stale
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current != expected_version:
            raise StaleVersionError(current or 0)
        return instance
    claimed = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise StaleVersionError(current or 0)
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.version = expected_version + 1
    save_audited(instance, actor=actor, reason=reason, update_fields=[*changes, "version", "updated_at"])
    return instance


def soft_delete(instance: models.Model, *, actor, expected_version: int, reason: str = "") -> None:
    """Party records are never removed from the database: they are marked deleted and audited."""
    update_versioned(
        instance,
        actor=actor,
        expected_version=expected_version,
        changes={"deleted_at": timezone.now()},
        reason=reason or "deleted",
    )


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a record's history as shown on its page: who, when, what, before → after."""

    when: datetime
    actor: str
    kind: str  # "+", "~", "-"
    reason: str
    changes: tuple[Change, ...]


IGNORED_FIELDS = {"version", "updated_at", "created_at"}


def history_entries(instance: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """The record's history, newest first, each entry diffed against the one before it."""
    rows = list(instance.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        if len(entries) == limit:
            break
        changes: tuple[Change, ...] = ()
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=IGNORED_FIELDS)
            changes = tuple(
                Change(c.field, _field_label(instance, c.field), c.old, c.new) for c in delta.changes
            )
        user = newer.history_user
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                actor=(user.get_full_name() or user.username) if user else "—",
                kind=newer.history_type,
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _field_label(instance: models.Model, name: str) -> str:
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field removed since the row was written
        return name


def personal_data_shown(*, user, record: models.Model, path: str) -> None:
    """Log that `user` was shown the sensitive personal data of `record` (least privilege: only
    those who keep the record see it, and every showing is kept)."""
    from .models import PersonalDataAccess

    PersonalDataAccess.objects.create(user=user, record=f"{record._meta.label}:{record.pk}", path=path[:255])
