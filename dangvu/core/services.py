"""Writes of core: accounts (password reset and change, language choice, API tokens) and the working
calendar. Audited."""

import hashlib
import secrets
from datetime import date

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import save_audited, soft_delete, update_versioned
from .models import ApiToken, CalendarDay, DayKind

# No 0/O, 1/l/I: the password is read off paper by older members.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def printable_password(length: int = 10) -> str:
    """A random initial password that is easy to copy from a printed sheet (50 bits)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


@transaction.atomic
def password_reset(*, actor, user) -> str:
    """A new printed password; the user must change it at the next login."""
    password = printable_password()
    user.set_password(password)
    user.must_change_password = True
    save_audited(
        user, actor=actor, reason="password reset", update_fields=["password", "must_change_password"]
    )
    axes_reset(username=user.username)  # a locked-out user gets in with the new password at once
    return password


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: the forced change is done."""
    if user.must_change_password:
        user.must_change_password = False
        save_audited(user, actor=user, reason="password changed", update_fields=["must_change_password"])


@transaction.atomic
def language_set(*, user, language: str) -> None:
    if language not in {"vi", "en"}:
        raise ValidationError(_("Unknown language."))
    user.language = language
    save_audited(user, actor=user, update_fields=["language"])


TOKEN_PREFIX = "dv_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and only its hash is stored."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the program that will use it."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=plain[:10], key_hash=token_hash(plain))
    save_audited(token, actor=actor, reason="token created")
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor, token) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_audited(token, actor=actor, reason="token revoked", update_fields=["revoked_at"])


# ------------------------------------------------------------------------------------ working calendar


def _check_calendar_day(*, day: date, kind: str, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    errors = {}
    if kind not in DayKind.values:
        errors["kind"] = _("Choose a day off or a working day.")
    elif kind == DayKind.WORK and day.weekday() < 5:
        # rules.md §3.5: Monday to Friday already are working days; only a weekend day is swapped.
        errors["kind"] = _("Only a Saturday or a Sunday can be made a working day.")
    if not name:
        errors["name"] = _("Give the day a name, e.g. “Tết Nguyên Đán”.")
    live = CalendarDay.objects.filter(day=day).exclude(pk=exclude_pk)
    if live.exists():
        errors["day"] = _date_taken()
    if errors:
        raise ValidationError(errors)
    return name[:200]


def _date_taken() -> str:
    return _("This date is already in the calendar: change that entry instead.")


@transaction.atomic
def calendar_day_add(*, actor, day: date, kind: str, name: str) -> CalendarDay:
    """A holiday, a day given in lieu, or a weekend day worked in exchange."""
    name = _check_calendar_day(day=day, kind=kind, name=name)
    entry = CalendarDay(day=day, kind=kind, name=name)
    try:
        with transaction.atomic():
            save_audited(entry, actor=actor, reason="calendar day added")
    except IntegrityError as exc:  # added by someone else a moment ago
        raise ValidationError({"day": _date_taken()}) from exc
    return entry


@transaction.atomic
def calendar_day_update(
    *, actor, calendar_day: CalendarDay, expected_version: int, day: date, kind: str, name: str
) -> CalendarDay:
    name = _check_calendar_day(day=day, kind=kind, name=name, exclude_pk=calendar_day.pk)
    try:
        with transaction.atomic():
            return update_versioned(
                calendar_day,
                actor=actor,
                expected_version=expected_version,
                changes={"day": day, "kind": kind, "name": name},
            )
    except IntegrityError as exc:  # moved to that date by someone else a moment ago
        raise ValidationError({"day": _date_taken()}) from exc


@transaction.atomic
def calendar_day_delete(*, actor, calendar_day: CalendarDay, expected_version: int) -> None:
    """The day becomes an ordinary day of its weekday again; the entry is kept, marked deleted."""
    soft_delete(calendar_day, actor=actor, expected_version=expected_version, reason="calendar day removed")
