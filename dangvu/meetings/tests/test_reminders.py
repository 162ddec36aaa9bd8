"""The reminders of study and meetings: each is sent once when due, never twice, and not before."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangvu.core.audit import save_audited
from dangvu.core.models import Notification
from dangvu.meetings import reminders, services
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.testing import make_person, make_seat, make_user

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _with_login(world, member, username: str):
    member.person.user = make_user(username, first_name=member.person.full_name)
    save_audited(member.person, actor=world.admin, update_fields=["user"])
    return member.person.user


# ------------------------------------------------------------------------------ the day before


def test_the_invitees_are_reminded_the_day_before_once(world):
    tomorrow = today() + timedelta(days=1)
    session = make_session(world, world.cell_a, held_on=tomorrow, person_ids=[world.member_a_person.pk])
    assert reminders.sessions_tomorrow(today()) == 1
    sent = Notification.objects.get(kind="meetings.reminder")
    assert sent.recipient == world.member_a and sent.key == f"meetings.reminder.{session.pk}"
    assert reminders.sessions_tomorrow(today()) == 0


def test_no_reminder_two_days_before_nor_for_a_cancelled_session(world):
    make_session(
        world, world.cell_a, held_on=today() + timedelta(days=2), person_ids=[world.member_a_person.pk]
    )
    cancelled = make_session(
        world, world.cell_a, held_on=today() + timedelta(days=1), person_ids=[world.member_a_person.pk]
    )
    services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    assert reminders.sessions_tomorrow(today()) == 0
    assert _told("meetings.reminder") == []


# ------------------------------------------------------------------------------ documents due


@pytest.fixture
def owing(world, settings):
    """Two members of cell A with logins; a third without; a document due in 3 days."""
    settings.DANGVU_REMINDER_DAYS = (3, 1)
    first, second, third = members_of(world, world.cell_a, 3)
    _with_login(world, first, "dv1")
    _with_login(world, second, "dv2")
    document = set_document(world, set_on=today(), study_by=today() + timedelta(days=3))
    return first, second, third, document


def test_members_who_still_owe_a_document_are_reminded_at_each_threshold_once(world, owing):
    first, _second, _third, document = owing
    study = make_session(world, world.root, SessionKind.STUDY, documents=[document])
    mark_all(
        world, study, **{str(first.person_id): Attendance.PRESENT, str(_second.person_id): Attendance.EXCUSED}
    )
    # dv1 studied; dv2 was excused: still owes it; the third has no login.
    assert reminders.documents_due(today()) == 1
    assert _told("meetings.study_due") == ["dv2"]
    assert reminders.documents_due(today()) == 0
    assert reminders.documents_due(today() + timedelta(days=1)) == 0  # 2 days left: still the 3-day one
    assert reminders.documents_due(today() + timedelta(days=2)) == 1  # 1 day left
    assert reminders.documents_due(today() + timedelta(days=2)) == 0
    assert _told("meetings.study_due") == ["dv2", "dv2"]


def test_no_study_reminder_long_before_the_deadline(world, owing):
    assert reminders.documents_due(today() - timedelta(days=5)) == 0
    assert _told("meetings.study_due") == []


# ------------------------------------------------------------------------------ unmarked attendance


def test_the_cells_committee_is_asked_to_mark_a_past_session_once(world):
    members_of(world, world.cell_a, 2)
    yesterday = today() - timedelta(days=1)
    session = make_session(world, world.cell_a, held_on=yesterday, notify=False)
    assert reminders.attendance_unmarked(today()) == 1
    sent = Notification.objects.get(kind="meetings.unmarked")
    assert sent.recipient == world.secretary_a and sent.url.endswith(f"/{session.pk}/diem-danh/")
    assert reminders.attendance_unmarked(today()) == 0


def test_a_committees_session_unmarked_tells_its_office(world):
    make_session(
        world,
        world.root,
        SessionKind.CONFERENCE,
        held_on=today() - timedelta(days=2),
        notify=False,
        person_ids=[world.member_b_person.pk],
    )
    assert reminders.attendance_unmarked(today()) == 1
    assert _told("meetings.unmarked") == ["office"]


def test_no_request_to_mark_a_marked_a_future_a_cancelled_or_an_old_session(world):
    members_of(world, world.cell_a, 2)
    marked = make_session(world, world.cell_a, held_on=today() - timedelta(days=1), notify=False)
    mark_all(world, marked)
    make_session(world, world.cell_a, held_on=today(), notify=False)  # today: not past yet
    make_session(world, world.cell_a, held_on=today() - timedelta(days=40), notify=False)
    cancelled = make_session(world, world.cell_a, held_on=today() - timedelta(days=3), notify=False)
    services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    assert reminders.attendance_unmarked(today()) == 0


# ------------------------------------------------------------------------------ last month's meeting


def test_a_cell_without_a_regular_meeting_last_month_is_told_from_the_6th(world):
    secretary_b = make_person(world.admin, world.cell_b, "Trần Văn Bí Thư B", "secretary_b")
    make_seat(world.admin, secretary_b, world.cell_b)
    members_of(world, world.cell_a, 1)
    members_of(world, world.cell_b, 1)
    first_of_month = today().replace(day=1)
    last_month = first_of_month - timedelta(days=20)
    mark_all(world, make_session(world, world.cell_a, held_on=last_month, notify=False))
    # Cell B held only a thematic meeting: that does not stand for the regular one.
    mark_all(world, make_session(world, world.cell_b, SessionKind.THEMATIC, held_on=last_month, notify=False))
    assert reminders.meetings_missing(first_of_month.replace(day=5)) == 0  # not yet
    sixth = first_of_month.replace(day=6)
    assert reminders.meetings_missing(sixth) == 1
    assert _told("meetings.missing") == ["secretary_b"]
    assert f"{last_month:%m/%Y}" in Notification.objects.get(kind="meetings.missing").subject
    assert reminders.meetings_missing(sixth + timedelta(days=3)) == 0


# ------------------------------------------------------------------------------ the 3-month flag


def test_the_cell_is_told_once_when_a_member_is_absent_without_reason_in_3_months(world):
    year = today().year - 1
    on = date(year, 12, 20)
    (member,) = members_of(world, world.cell_a, 1)
    for month in (3, 5):
        session = make_session(world, world.cell_a, held_on=date(year, month, 10), notify=False)
        mark_all(world, session, Attendance.UNEXCUSED)
    excused = make_session(world, world.cell_a, held_on=date(year, 6, 10), notify=False)
    mark_all(world, excused, Attendance.EXCUSED)  # with a reason: not counted
    assert reminders.absences_flagged(on) == 0
    third = make_session(world, world.cell_a, held_on=date(year, 9, 10), notify=False)
    mark_all(world, third, Attendance.UNEXCUSED)
    assert reminders.absences_flagged(on) == 1
    sent = Notification.objects.get(kind="meetings.flagged")
    assert sent.recipient == world.secretary_a and member.person.full_name in sent.subject
    assert "3, 5, 9" in sent.subject
    assert reminders.absences_flagged(on) == 0


# ------------------------------------------------------------------------------ the periodic job


def test_the_periodic_job_sends_nothing_twice(world, settings):
    settings.DANGVU_REMINDER_DAYS = (3, 1)
    members_of(world, world.cell_a, 2)
    make_session(
        world, world.cell_a, held_on=today() + timedelta(days=1), person_ids=[world.member_a_person.pk]
    )
    make_session(world, world.cell_a, held_on=today() - timedelta(days=1), notify=False)
    now = timezone.now()
    assert reminders.remind(now) >= 2
    assert reminders.remind(now) == 0
