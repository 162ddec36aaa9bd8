"""Builders shared by the meetings tests: members of the world's cells, a document set by the office
and sessions made through the services as users would. Dates are relative to today (there is no
time freezing)."""

from datetime import timedelta

from dangvu.core.periods import today
from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, DocumentKind, SessionKind
from dangvu.meetings.models import Session, StudyDocument
from dangvu.testing import make_member


def members_of(world, cell, count: int, prefix: str = "Đảng viên"):
    """`count` members of `cell`, admitted long ago."""
    return [make_member(world.admin, cell, f"{prefix} {cell.code} {n}") for n in range(1, count + 1)]


def set_document(
    world, *, organization=None, set_on=None, study_by=None, title="Nghị quyết số 1"
) -> StudyDocument:
    set_on = set_on or today()
    return services.document_create(
        actor=world.office,
        organization=organization or world.root,
        kind=DocumentKind.RESOLUTION,
        number="01-NQ/TW",
        issuer="Ban Chấp hành Trung ương",
        title=title,
        set_on=set_on,
        study_by=study_by or set_on + timedelta(days=30),
    )


def make_session(
    world, organization, kind=SessionKind.REGULAR, *, held_on=None, actor=None, **extra
) -> Session:
    return services.session_create(
        actor=actor or world.office,
        organization=organization,
        kind=kind,
        held_on=held_on or today(),
        **extra,
    )


def mark_all(world, session: Session, attendance: str = Attendance.PRESENT, *, actor=None, **by_person):
    """Mark every invitee `attendance`, except those named in `by_person` (str(person id) → status);
    an excused absence gets a reason."""
    marks = []
    for invitation in session.invitations.all():
        status = by_person.get(str(invitation.person_id), attendance)
        marks.append(services.Mark(invitation.pk, status, "ốm" if status == Attendance.EXCUSED else ""))
    services.attendance_mark(
        actor=actor or world.office, session=session, marks=marks, expected_version=session.version
    )
    session.refresh_from_db()
    return session
