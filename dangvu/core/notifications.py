"""Notifications: one message per user and key, shown in the app and e-mailed when there is an address.

`notify()` is what the apps call (reminders, requests that need someone's action). It is idempotent:
a (recipient, key) pair is created once, whoever calls and however often, so a periodic job may run
twice or in two processes at once. `deliver_pending()` sends the e-mails; the scheduler calls it.

Delivery never sends one message twice and never loses one:

1. a batch is *claimed* with one conditional UPDATE (due, not claimed by a live claim) that marks the
   rows "sending", stamps a random claim token and a claim deadline, and counts the attempt;
2. each claimed row is sent with Django's e-mail; the outcome is written back;
3. a process that dies between 1 and 2 leaves its rows "sending" with a claim that runs out: the next
   delivery after `CLAIM_SECONDS` claims them again (at most one message may then go twice, never
   none).

A failed send is retried after 5, 15, 60 and 240 minutes; after `MAX_ATTEMPTS` it is marked failed
and shown to the office on the delivery failures page, where it can be retried by hand.
"""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit import save_audited
from .models import EmailStatus, Notification, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (5, 15, 60, 240)  # after the 1st, 2nd, 3rd and 4th failure
CLAIM_SECONDS = 600  # a claim older than this belongs to a process that died


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery run did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed, will be tried again later
    failed: int = 0  # failed for good (MAX_ATTEMPTS reached)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    scope_path: str = "",
) -> int:
    """Create one in-app notification per recipient unless (recipient, key) exists; queue its e-mail.
    Returns how many were created. Safe under concurrency: the database's unique (recipient, key)
    skips a pair that exists, even one inserted by another process at the same moment.

    `url` is a path inside the site ("/bao-cao/12/"); `scope_path` is the path of the organisation the
    message concerns, so that the office sees its delivery failures. Inactive users get nothing.
    """
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("a notification links to a path of this site, e.g. /bao-cao/12/")
    users = {u.pk: u for u in recipients if u.is_active}
    if not users:
        return 0
    now = timezone.now()
    token = secrets.token_hex(16)
    rows = [
        Notification(
            recipient=user,
            kind=kind[:64],
            key=key,
            subject=subject[:255],
            body=body,
            url=url,
            scope_path=scope_path,
            created_at=now,
            email_status=EmailStatus.PENDING if user.email else EmailStatus.NONE,
            next_attempt_at=now if user.email else None,
            claim_token=token,
        )
        for user in users.values()
    ]
    # A conflict (the same key already sent to that user, maybe by another process this very moment)
    # is skipped by the database; the token counts what this call inserted.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(recipient__in=list(users), key=key, claim_token=token).count()


def threshold(days_left: int, days: tuple[int, ...]) -> int | None:
    """The reminder a deadline `days_left` away is at (days: settings.DANGVU_REMINDER_DAYS): the
    smallest configured day count not below it (with 3 and 1: 3 and 2 days left → 3, 1 and 0 → 1),
    or None when none applies yet. Part of a reminder's key: each is sent once."""
    reached = [d for d in days if 0 <= days_left <= d]
    return min(reached) if reached else None


def deliver_pending(now: datetime | None = None, limit: int = 200) -> "DeliveryResult":
    """Send the e-mails that are due, at most `limit`; safe to run in several processes at once."""
    now = now or timezone.now()
    due = Notification.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:limit])
    return _deliver(ids, now)


def _due(now: datetime) -> Q:
    return Q(email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _deliver(ids: list[int], now: datetime) -> DeliveryResult:
    if not ids:
        return DeliveryResult()
    claimed = _claim(ids, now)
    sent = retrying = failed = 0
    for notification in claimed:
        outcome = _send(notification, now)
        sent += outcome == EmailStatus.SENT
        retrying += outcome == EmailStatus.PENDING
        failed += outcome == EmailStatus.FAILED
    return DeliveryResult(claimed=len(claimed), sent=sent, retrying=retrying, failed=failed)


def _claim(ids: list[int], now: datetime) -> list[Notification]:
    """Take the rows among `ids` that are still due: the WHERE is checked again under the row lock,
    so of two processes claiming the same row only one gets it."""
    token = secrets.token_hex(16)
    Notification.objects.filter(_due(now), pk__in=ids).update(
        email_status=EmailStatus.SENDING,
        claim_token=token,
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        email_attempts=F("email_attempts") + 1,
    )
    claimed = Notification.objects.filter(pk__in=ids, claim_token=token)
    return list(claimed.select_related("recipient").order_by("pk"))


def _send(notification: Notification, now: datetime) -> str:
    """Send one claimed message and write the outcome back; returns the new e-mail status."""
    mine = Notification.objects.filter(pk=notification.pk, claim_token=notification.claim_token)
    address = notification.recipient.email
    if not address:  # the address was removed since: in-app only
        mine.update(email_status=EmailStatus.NONE, next_attempt_at=None, claimed_until=None)
        return EmailStatus.NONE
    try:
        subject, text = _email_text(notification)
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    except Exception as exc:  # any failure of the mail system: recorded on the row and retried
        status = EmailStatus.FAILED if notification.email_attempts >= MAX_ATTEMPTS else EmailStatus.PENDING
        delay = BACKOFF_MINUTES[min(notification.email_attempts, len(BACKOFF_MINUTES)) - 1]
        error = f"{type(exc).__name__}: {exc}"[:1000]
        mine.update(
            email_status=status,
            email_error=f"{address}: {error}",
            next_attempt_at=now + timedelta(minutes=delay),
            claimed_until=None,
        )
        logger.warning("notification %s: e-mail failed (%s)", notification.pk, type(exc).__name__)
        return status
    mine.update(
        email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_error="", claimed_until=None
    )
    return EmailStatus.SENT


def _email_text(notification: Notification) -> tuple[str, str]:
    """The e-mail in the recipient's language: the subject, the body and the link to the page."""
    with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
        parts = [notification.body.strip()] if notification.body.strip() else []
        if notification.url:
            parts.append(_("Open: %(link)s") % {"link": settings.DANGVU_SITE_URL + notification.url})
        parts.append(
            _("This message was sent by dangvu. Your notifications: %(link)s") % {"link": _list_url()}
        )
        return " ".join(notification.subject.split()), "\n\n".join(parts)


def _list_url() -> str:
    return settings.DANGVU_SITE_URL + reverse("core:notifications")


# ------------------------------------------------------------------------------------ the user's side


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification: Notification) -> None:
    """The user opened it. Their own read mark only: no history row."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def retry(*, actor, notification: Notification) -> None:
    """The office asks for a failed or retrying e-mail to be sent again now (one more attempt when it
    had failed for good). Audited with the actor."""
    if notification.email_status not in {EmailStatus.PENDING, EmailStatus.FAILED}:
        return
    notification.email_status = EmailStatus.PENDING
    notification.next_attempt_at = timezone.now()
    notification.claimed_until = None
    if notification.email_attempts >= MAX_ATTEMPTS:
        notification.email_attempts = MAX_ATTEMPTS - 1
    save_audited(
        notification,
        actor=actor,
        reason="e-mail retry",
        update_fields=["email_status", "next_attempt_at", "claimed_until", "email_attempts"],
    )


def retry_now(*, actor, notification: Notification) -> DeliveryResult:
    """`retry`, then try the delivery at once (outside the transaction: the e-mail is not rolled back)."""
    retry(actor=actor, notification=notification)
    return _deliver([notification.pk], timezone.now())
