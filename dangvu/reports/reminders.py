"""Reminders of reports, run by the scheduler (core.scheduler): before a deadline to the cells that
have not sent, after it to the cells still missing and to the requesting office.

Every notification has a key naming the submission (or round) and the reminder, so running this
twice, or in two schedulers at once, sends nothing twice (core.notifications)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.organization import selectors as org_selectors

from . import rules
from .choices import State
from .models import ReportRound
from .selectors import live_submissions

OVERDUE_WINDOW = timedelta(days=30)  # older misses are on the pages, not in anyone's inbox


def remind(now: datetime) -> int:
    """Send the reminders due at `now`; returns how many notifications were created."""
    days = tuple(settings.DANGVU_REMINDER_DAYS)
    return _before(now, days) + _after(now)


def _before(now: datetime, days: tuple[int, ...]) -> int:
    if not days:
        return 0
    pending = (
        live_submissions()
        .filter(
            state__in=[State.OPEN, State.RETURNED],
            round__closes_at__gt=now,
            round__closes_at__lte=now + timedelta(days=max(days)),
        )
        .select_related("round__request", "cell")
    )
    created = 0
    submissions = list(pending)
    users = org_selectors.committee_users(list({s.cell_id for s in submissions}), periods.today())
    for submission in submissions:
        threshold = rules.reminder_threshold(submission.round.closes_at, now, days)
        if threshold is None:
            continue
        closes = submission.round.closes_at.astimezone(now.tzinfo)
        created += notifications.notify(
            recipients=users.get(submission.cell_id, []),
            kind="reports.due",
            key=f"reports.due.{submission.pk}.{threshold}",
            subject=_("Report due %(when)s: %(title)s (%(period)s)")
            % {
                "when": closes.strftime("%H:%M %d/%m/%Y"),
                "title": submission.round.request.title,
                "period": submission.round.label,
            },
            url=submission.get_absolute_url(),
            scope_path=submission.cell.path,
        )
    return created


def _after(now: datetime) -> int:
    missing = list(
        live_submissions()
        .filter(state=State.OPEN, round__closes_at__lt=now, round__closes_at__gte=now - OVERDUE_WINDOW)
        .select_related("round__request__organization", "cell")
    )
    users = org_selectors.committee_users(list({s.cell_id for s in missing}), periods.today())
    by_round: dict[int, list] = defaultdict(list)
    created = 0
    for submission in missing:
        by_round[submission.round_id].append(submission)
        created += notifications.notify(
            recipients=users.get(submission.cell_id, []),
            kind="reports.overdue",
            key=f"reports.overdue.{submission.pk}",
            subject=_("Report overdue: %(title)s (%(period)s)")
            % {"title": submission.round.request.title, "period": submission.round.label},
            url=submission.get_absolute_url(),
            scope_path=submission.cell.path,
        )
    offices: dict[int, list] = {}  # per requesting organisation: one query each, not one per round
    for submissions in by_round.values():
        round_: ReportRound = submissions[0].round
        request = round_.request
        if request.organization_id not in offices:
            offices[request.organization_id] = org_selectors.office_users(request.organization)
        created += notifications.notify(
            recipients=offices[request.organization_id],
            kind="reports.overdue_office",
            key=f"reports.overdue_office.{round_.pk}",
            subject=_("%(count)s cells have not sent “%(title)s” (%(period)s)")
            % {"count": len(submissions), "title": request.title, "period": round_.label},
            body=", ".join(s.cell.name for s in submissions[:20]),
            url=round_.get_absolute_url(),
            scope_path=request.organization.path,
        )
    return created
