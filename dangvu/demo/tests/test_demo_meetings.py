"""The demo's study, training and meetings: every demo year has them, with the article's figures."""

from datetime import date

import pytest

from dangvu.core import metrics
from dangvu.core.audit import SYSTEM_USERNAME
from dangvu.core.models import Notification
from dangvu.meetings import selectors
from dangvu.meetings.choices import Attendance, SessionKind, SessionState
from dangvu.meetings.models import Invitation, Session, StudyDocument
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization, Person

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _figures(root, year: int) -> dict:
    document = metrics.annual_document(organization=root, year=year, as_of=None, on=TODAY)
    return document["metrics"]


def test_every_demo_year_has_study_training_meetings_and_conferences_with_the_articles_figures(demo):
    for year in (2023, 2024, 2025, 2026):
        documents = StudyDocument.objects.filter(study_by__year=year)
        assert 4 <= documents.count() <= 8
        assert set(documents.values_list("organization", flat=True)) == {demo.pk}
        for document in documents:
            assert document.sessions.filter(kind=SessionKind.STUDY).exists()
        sessions = Session.objects.filter(held_on__year=year)
        assert sessions.filter(kind=SessionKind.THEMATIC, state=SessionState.HELD).exists()
        assert sessions.filter(kind=SessionKind.TRAINING, state=SessionState.HELD).exists()
        assert sessions.filter(kind=SessionKind.CONFERENCE).count() == 2
        figures = _figures(demo, year)
        assert figures["training.committee_members_trained_pct"]["value"] == 100.0
        assert 90 <= figures["meetings.cell_meetings_held_pct"]["value"] < 100
        assert 75 <= figures["meetings.conference_attendance_pct"]["value"] < 100
        if year < 2026:  # complete years: everyone studied every document
            assert figures["study.members_studied_pct"]["value"] >= 99
            assert sessions.filter(kind=SessionKind.CATCH_UP, state=SessionState.HELD).exists()
    # This year, the latest document is still being caught up with.
    assert 80 <= _figures(demo, 2026)["study.members_studied_pct"]["value"] < 100
    marked = Invitation.objects.exclude(attendance="")
    assert marked.filter(attendance=Attendance.UNEXCUSED).exists()
    excused = marked.filter(attendance=Attendance.EXCUSED)
    assert excused.exists() and not excused.filter(reason="").exists()
    assert marked.filter(attendance=Attendance.PRESENT).count() > 0.85 * marked.count()
    # Written as the services would: a history row naming the system.
    session = Session.objects.filter(kind=SessionKind.REGULAR).first()
    assert session.history.get().history_user.username == SYSTEM_USERNAME
    assert session.invitations.first().history.exists()


def test_the_current_year_has_coming_sessions_for_the_personas_and_one_flagged_member(demo):
    assert not Session.objects.filter(held_on__lt=TODAY, state=SessionState.PLANNED).exists()
    assert not Invitation.objects.filter(session__held_on__gte=TODAY).exclude(attendance="").exists()
    for username in ("dangvien.cb02", "bithu.cb02"):
        person = Person.objects.get(user__username=username)
        assert selectors.upcoming(person, TODAY)
        assert Notification.objects.filter(recipient__username=username, kind="meetings.invitation").exists()
    member = Person.objects.get(user__username="dangvien.cb02").member
    assert selectors.documents_owed(member, TODAY)  # excused from the latest study: a catch-up is coming
    cells = Organization.objects.filter(kind__in=CELL_KINDS)
    flags = selectors.flagged([c.pk for c in cells], 2026, TODAY)
    cell_b02 = Organization.objects.get(code="CB-02")
    assert list(flags) == [cell_b02.pk]
    ((person, months),) = flags[cell_b02.pk]
    assert len(months) == 3 and person.user_id is None
    for year in (2023, 2024, 2025):
        assert not selectors.flagged([c.pk for c in cells], year, date(year, 12, 31))
