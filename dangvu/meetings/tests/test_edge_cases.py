"""What a review of the whole app found: inputs that once raised a server error, invitations beyond
the organiser's reach, reasons of absence shown to readers, and sessions whose record could be made
inconsistent. Each test fails on the code before its fix."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.core.audit import soft_delete
from dangvu.core.periods import today
from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, Invitees, Reply, SessionKind, SessionState
from dangvu.meetings.tests.factories import make_session, mark_all, members_of, set_document
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.organization.choices import OrgKind, SeatRole
from dangvu.testing import make_org, make_seat

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------- no server error


@pytest.mark.parametrize("year", ["²", "9" * 5000, "-1", "20266"])
def test_a_strange_year_in_the_address_shows_this_year(world, as_user, year):
    client = as_user(world.office)
    for name in ("meetings:documents", "meetings:summary", "meetings:sessions"):
        response = client.get(reverse(name, args=["DU"]), {"nam": year})
        assert response.status_code in {200, 400}, name
        assert str(today().year) in response.content.decode(), name


@pytest.mark.parametrize("document", ["²", "9" * 40])
def test_a_strange_document_in_the_create_link_is_ignored(world, as_user, document):
    set_document(world)
    url = reverse("meetings:session_create", args=["DU"])
    response = as_user(world.office).get(url, {"loai": SessionKind.CATCH_UP, "van-ban": document})
    assert response.status_code == 200


# ------------------------------------------------------------------------ whom one may invite


def test_a_cell_cannot_invite_someone_outside_its_committee_or_who_does_not_exist(world):
    outside = make_org(world.admin, "DU-2", OrgKind.GRASSROOTS_COMMITTEE, name="Đảng bộ khác")
    stranger = members_of(world, make_org(world.admin, "CB-X", parent=outside), 1)[0]
    meeting = make_session(world, world.cell_a, held_on=today() + timedelta(days=2))
    for person_id in (stranger.person_id, 987654):
        with pytest.raises(ValidationError):
            services.invitees_add(actor=world.secretary_a, session=meeting, person_ids=[person_id])
    assert not meeting.invitations.exists()


def test_a_cell_may_invite_the_committee_member_who_follows_it(world):
    """rules.md §5.1: the higher-level committee member attends the cell's meeting."""
    meeting = make_session(world, world.cell_a, held_on=today() + timedelta(days=2))
    leader_person = world.leader.person
    assert services.invitees_add(actor=world.secretary_a, session=meeting, person_ids=[leader_person.pk]) == 1


def test_a_cell_may_invite_a_committee_member_who_follows_it_from_any_level_above(world, as_user):
    """rules.md §5.1: the higher-level committee member following the cell attends its meeting,
    even two levels up (cell C under the partial committee P under DU), and the secretary finds them
    in the list although their record is kept above her reach."""
    follower = world.leader.person
    make_seat(world.admin, follower, world.root, SeatRole.COMMITTEE_MEMBER)
    meeting = make_session(world, world.cell_c, held_on=today() + timedelta(days=2))
    assert services.invitees_add(actor=world.office, session=meeting, person_ids=[follower.pk]) == 1
    page = as_user(world.secretary_a).get(reverse("meetings:session_create", args=["CB-A"])).content.decode()
    assert follower.full_name in page
    stranger_seat = make_org(world.admin, "DU-3", OrgKind.GRASSROOTS_COMMITTEE, name="Đảng bộ ngoài")
    outsider = members_of(world, make_org(world.admin, "CB-Y", parent=stranger_seat), 1)[0]
    assert outsider.person.full_name not in page


def test_a_deleted_person_cannot_be_invited(world):
    person = members_of(world, world.cell_a, 1)[0].person
    soft_delete(person, actor=world.admin, expected_version=person.version)
    meeting = make_session(world, world.cell_a, held_on=today() + timedelta(days=2))
    with pytest.raises(ValidationError):
        services.invitees_add(actor=world.office, session=meeting, person_ids=[person.pk])


def test_a_conference_by_rule_calls_exempt_members_too(world):
    """rules.md §5.2: an exempt member is called to the conference and counts only if present."""
    active, exempt = members_of(world, world.cell_a, 2)
    member_services.event_add(
        actor=world.office, member=exempt, kind=EventKind.EXEMPTION, date=today() - timedelta(days=30)
    )
    conference = make_session(world, world.root, SessionKind.CONFERENCE, invitees=Invitees.SUBTREE_MEMBERS)
    regular = make_session(world, world.cell_a)
    assert set(conference.invitations.values_list("person_id", flat=True)) == {
        active.person_id,
        exempt.person_id,
    }
    assert set(regular.invitations.values_list("person_id", flat=True)) == {active.person_id}


# -------------------------------------------------------------------- reasons are not for readers


def test_readers_see_attendance_but_not_the_reasons_given(world, as_user):
    member = members_of(world, world.cell_a, 1)[0]
    meeting = make_session(world, world.cell_a)
    invitation = meeting.invitations.get()
    services.invitation_reply(
        actor=world.admin, invitation=invitation, reply=Reply.EXCUSED, reason="nằm viện", expected_version=1
    )
    mark_all(world, meeting, Attendance.EXCUSED)
    assert "nằm viện" in as_user(world.secretary_a).get(meeting.get_absolute_url()).content.decode()
    leader_page = as_user(world.leader).get(meeting.get_absolute_url()).content.decode()
    assert "Vắng có lý do" in leader_page and "nằm viện" not in leader_page
    sheet = as_user(world.leader).get(reverse("meetings:attendance_export", args=[meeting.pk]))
    cells = {c.value for row in load_workbook(BytesIO(sheet.content)).active.iter_rows() for c in row}
    assert member.person.full_name in cells
    assert not any(isinstance(c, str) and "nằm viện" in c for c in cells)


# ------------------------------------------------------------------ a session's record holds


def test_an_empty_sheet_does_not_record_a_meeting_as_held(world):
    members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a)
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=world.office, session=meeting, marks=[], expected_version=meeting.version
        )
    meeting.refresh_from_db()
    assert meeting.state == SessionState.PLANNED


def test_a_held_session_stays_in_the_past_and_cannot_be_cancelled(world):
    members_of(world, world.cell_a, 1)
    meeting = make_session(world, world.cell_a)
    services.minutes_save(
        actor=world.office,
        session=meeting,
        expected_version=meeting.version,
        chair="Nguyễn Văn Bí Thư",
        recorder="Hoàng Thị Đảng Viên",
        minutes="Nội dung",
        resolution="Nghị quyết",
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.session_update(
            actor=world.office,
            session=meeting,
            expected_version=meeting.version,
            held_on=today() + timedelta(days=60),
        )
    with pytest.raises(ValidationError):
        services.session_cancel(actor=world.office, session=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.held_on) == (SessionState.HELD, today())
