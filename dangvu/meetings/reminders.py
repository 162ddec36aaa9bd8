"""Reminders of study and meetings, run by the scheduler (core.scheduler, job `meetings.remind`):

- the invitees of a planned session, the day before it;
- the members with a login who still owe a document, DANGVU_REMINDER_DAYS before its deadline;
- the organiser's committee (and, for a committee, its office) when a session is past and nobody's
  attendance is marked;
- a cell's committee when last month had no regular meeting held (from the 6th of this month);
- a cell's committee when a member has been absent without a reason from its meetings in 3 months
  of the year (rules.md §5.1): for the cell to consider, never acted on.

Every notification has a key (per session, document and threshold, cell and month, cell and member
and year): running this twice sends nothing twice (core.notifications).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.core.notifications import threshold
from dangvu.members.models import MembershipPeriod
from dangvu.members.selectors import covering
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .choices import SessionKind, SessionState
from .models import Invitation, Session, StudyDocument, StudyObligation

# A session left unmarked is recalled during this many days after it, no older: a first run on a
# database with years of history does not bring up sessions nobody will mark any more.
UNMARKED_WITHIN_DAYS = 30
# The regular meeting of last month is looked for from this day of the month on (the cell may
# record it a few days late).
MISSING_MEETING_FROM_DAY = 6


def remind(now: datetime) -> int:
    """Send the reminders due at `now`; returns how many notifications were created."""
    today = timezone.localdate(now)
    return (
        sessions_tomorrow(today)
        + documents_due(today)
        + attendance_unmarked(today)
        + meetings_missing(today)
        + absences_flagged(today)
    )


def sessions_tomorrow(today: date) -> int:
    """The invitees of each planned session of tomorrow (key meetings.reminder.<session>)."""
    created = 0
    for session in Session.objects.filter(
        state=SessionState.PLANNED, held_on=today + timedelta(days=1)
    ).select_related("organization"):
        created += services.invitees_notify(session, "reminder")
    return created


def documents_due(today: date) -> int:
    """The members with a login, active today, who still owe a document whose deadline is
    DANGVU_REMINDER_DAYS away (with 3 and 1: 3 days before, then 1), once per threshold."""
    days = tuple(settings.DANGVU_REMINDER_DAYS)
    if not days:
        return 0
    documents = list(
        StudyDocument.objects.filter(study_by__gte=today, study_by__lte=today + timedelta(days=max(days)))
        .select_related("organization")
        .order_by("study_by", "pk")
    )
    if not documents:
        return 0
    active = MembershipPeriod.objects.filter(covering(today), member=OuterRef("member_id"))
    owing: dict[int, list] = defaultdict(list)  # document → (person id, user)
    for obligation in (
        StudyObligation.objects.filter(
            Exists(active),
            document__in=documents,
            member__deleted_at__isnull=True,
            member__person__user__is_active=True,
        )
        .select_related("member__person__user")
        .order_by("pk")
    ):
        person = obligation.member.person
        owing[obligation.document_id].append((person.pk, person.user))
    people = {p for found in owing.values() for p, _u in found}
    done = selectors.studied_pairs(people, [d.pk for d in documents], today)
    created = 0
    for document in documents:
        step = threshold((document.study_by - today).days, days)
        users = [user for person, user in owing.get(document.pk, []) if (person, document.pk) not in done]
        if step is None or not users:
            continue
        created += notifications.notify(
            recipients=users,
            kind="meetings.study_due",
            key=f"meetings.study_due.{document.pk}.{step}",
            subject=_("Still to study by %(day)s: %(title)s")
            % {"day": f"{document.study_by:%d/%m/%Y}", "title": document},
            url=reverse("meetings:mine"),
            scope_path=document.organization.path,
        )
    return created


def attendance_unmarked(today: date) -> int:
    """Each session past (yesterday or up to UNMARKED_WITHIN_DAYS before), neither cancelled nor
    marked, with invitees: its organiser's committee is asked to mark the attendance; a committee's
    office too."""
    marked = Invitation.objects.filter(session=OuterRef("pk")).exclude(attendance="")
    invited = Invitation.objects.filter(session=OuterRef("pk"))
    sessions = list(
        Session.objects.filter(
            Exists(invited),
            ~Exists(marked),
            held_on__lt=today,
            held_on__gte=today - timedelta(days=UNMARKED_WITHIN_DAYS),
        )
        .exclude(state=SessionState.CANCELLED)
        .select_related("organization")
        .order_by("held_on", "pk")
    )
    if not sessions:
        return 0
    committees = org_selectors.committee_users(list({s.organization_id for s in sessions}), today)
    users: dict[int, list] = {}  # organiser → who is told (read once per organiser)
    created = 0
    for session in sessions:
        org = session.organization
        if org.pk not in users:
            users[org.pk] = services.organiser_users(org, today, committees)
        created += notifications.notify(
            recipients=users[org.pk],
            kind="meetings.unmarked",
            key=f"meetings.unmarked.{session.pk}",
            subject=_("Mark the attendance of %(session)s, %(when)s")
            % {"session": session, "when": session.when},
            url=reverse("meetings:attendance", args=[session.pk]),
            scope_path=org.path,
        )
    return created


def meetings_missing(today: date) -> int:
    """From the 6th of a month, each cell active last month with no regular meeting held in it:
    its committee is told (key per cell and month)."""
    if today.day < MISSING_MEETING_FROM_DAY:
        return 0
    year, month = rules.previous_month(today)
    first, last = date(year, month, 1), rules.last_day(year, month)
    cells = list(org_selectors.cells_active("/", first, last))
    held = set(
        Session.objects.filter(
            organization__in=cells,
            kind=SessionKind.REGULAR,
            state=SessionState.HELD,
            held_on__gte=first,
            held_on__lte=last,
        ).values_list("organization_id", flat=True)
    )
    missing = [cell for cell in cells if cell.pk not in held]
    if not missing:
        return 0
    users = org_selectors.committee_users([c.pk for c in missing], today)
    created = 0
    for cell in missing:
        created += notifications.notify(
            recipients=users.get(cell.pk, []),
            kind="meetings.missing",
            key=f"meetings.missing.{cell.pk}.{year}-{month:02d}",
            subject=_("%(cell)s: no regular meeting was recorded as held in %(month)s")
            % {"cell": cell, "month": f"{month:02d}/{year}"},
            url=reverse("meetings:sessions", args=[cell.code]),
            scope_path=cell.path,
        )
    return created


def absences_flagged(today: date) -> int:
    """Each member absent without a reason from their cell's meetings in 3 months of this year:
    the cell's committee is told once, for the cell to consider (rules.md §5.1)."""
    cells = list(org_selectors.cells_active("/", periods.Year(today.year).start, today))
    flags = selectors.flagged([c.pk for c in cells], today.year, today)
    if not flags:
        return 0
    users = org_selectors.committee_users(list(flags), today)
    by_id = {c.pk: c for c in cells}
    created = 0
    for cell_id, rows in flags.items():
        cell = by_id[cell_id]
        for person, months in rows:
            created += notifications.notify(
                recipients=users.get(cell_id, []),
                kind="meetings.flagged",
                key=f"meetings.flagged.{cell_id}.{person.pk}.{today.year}",
                subject=_(
                    "%(name)s was absent without a reason from the meetings of %(cell)s in months "
                    "%(months)s of %(year)d: for the cell to consider"
                )
                % {
                    "name": person,
                    "cell": cell,
                    "months": ", ".join(str(m) for m in months),
                    "year": today.year,
                },
                url=reverse("meetings:summary", args=[cell.code]),
                scope_path=cell.path,
            )
    return created
