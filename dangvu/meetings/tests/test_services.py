"""Writes of study and meetings, through the services as users make them: who owes a document (judged
on the day it was set, and again when a member's record changes), who a session invites by its kind,
the rules a session must keep, the attendance sheet (all or nothing, version-checked), the invitee's
reply, cancelling, the minutes, the office's settings, the notifications and the history rows.

Every date is built from today, so the tests pass on any day of any year.
"""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.core.audit import StaleVersionError
from dangvu.core.models import Notification
from dangvu.meetings import rules, selectors, services
from dangvu.meetings.choices import Attendance, DocumentKind, Invitees, Reply, SessionKind, SessionState
from dangvu.meetings.models import Invitation, MeetingSettings, Session, StudyDocument, StudyObligation
from dangvu.meetings.tests.factories import make_session, mark_all, members_of, set_document, today
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.organization.choices import SeatRole
from dangvu.testing import make_member, make_person, make_seat, member_of_persona

pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------------------------- builders


def admitted_on(world, cell, name: str, ceremony: date) -> Member:
    """A probationary member whose ceremony (the start of membership) was on `ceremony`."""
    return make_member(
        world.admin, cell, name, decision=ceremony - timedelta(days=10), ceremony=ceremony, recognition=None
    )


def exempt(world, member: Member, start: date, end: date | None = None) -> MemberEvent:
    return member_services.event_add(
        actor=world.office, member=member, kind=EventKind.EXEMPTION, date=start, end_date=end
    )


def owers(document: StudyDocument) -> set[int]:
    return set(StudyObligation.objects.filter(document=document).values_list("member_id", flat=True))


def invited(session: Session) -> set[int]:
    return set(session.invitations.values_list("person_id", flat=True))


def invitation_of(session: Session, person) -> Invitation:
    return session.invitations.get(person=person)


def marks(session: Session, status: str = Attendance.PRESENT, **by_person) -> list[services.Mark]:
    """A sheet marking everyone `status`, except `by_person` {str(person id): (status, reason)}."""
    rows = []
    for invitation in session.invitations.order_by("pk"):
        chosen, reason = by_person.get(str(invitation.person_id), (status, ""))
        rows.append(services.Mark(invitation.pk, chosen, reason))
    return rows


def sheet(session: Session) -> list[tuple[int, str, str]]:
    return list(session.invitations.order_by("pk").values_list("person_id", "attendance", "reason"))


def studied(member: Member) -> bool:
    return not selectors.documents_owed(member, today())


# ---------------------------------------------------------------------------- who owes a document


def test_every_active_member_of_the_subtree_owes_a_document_set_for_it(world):
    a = members_of(world, world.cell_a, 2)
    b = members_of(world, world.cell_b, 1)
    c = members_of(world, world.cell_c, 1)
    for_partial = set_document(world, organization=world.partial, title="Kết luận của Đảng ủy bộ phận")
    for_all = set_document(world)
    assert owers(for_all) == {m.pk for m in a + b + c}
    assert owers(for_partial) == {c[0].pk}
    assert dict(StudyObligation.objects.filter(document=for_all).values_list("member_id", "cell_id")) == {
        a[0].pk: world.cell_a.pk,
        a[1].pk: world.cell_a.pk,
        b[0].pk: world.cell_b.pk,
        c[0].pk: world.cell_c.pk,
    }
    assert {d.pk for d in selectors.documents_owed(c[0], today())} == {for_partial.pk, for_all.pk}


def test_a_member_admitted_after_the_document_was_set_owes_nothing_for_it(world):
    old = members_of(world, world.cell_a, 1)[0]
    document = set_document(world, set_on=today() - timedelta(days=30))
    newcomer = admitted_on(world, world.cell_a, "Trần Văn Mới", ceremony=today() - timedelta(days=10))
    assert owers(document) == {old.pk}
    assert selectors.documents_owed(newcomer, today()) == []
    # The member's record changes later (recognition, a move...): still nothing owed.
    member_services.event_add(
        actor=world.office, member=newcomer, kind=EventKind.CELL_TRANSFER, date=today(), cell=world.cell_b
    )
    assert owers(document) == {old.pk}


def test_a_member_admitted_on_the_day_it_was_set_owes_it(world):
    set_on = today() - timedelta(days=5)
    member = admitted_on(world, world.cell_a, "Lê Thị Cùng Ngày", ceremony=set_on)
    document = set_document(world, set_on=set_on)
    assert owers(document) == {member.pk}


def test_exempt_on_the_day_it_was_set_owes_nothing_and_exempt_later_still_owes(world):
    set_on = today() - timedelta(days=20)
    until_set_day, from_next_day, ordinary = members_of(world, world.cell_a, 3)
    # An exemption from A to B covers both A and B (metrics.md).
    exempt(world, until_set_day, set_on - timedelta(days=60), set_on)
    exempt(world, from_next_day, set_on + timedelta(days=1))
    document = set_document(world, set_on=set_on)
    assert owers(document) == {from_next_day.pk, ordinary.pk}


def test_an_exemption_recorded_after_the_document_is_judged_on_the_day_it_was_set(world):
    """The rebuild hook (members.services.periods_rebuilt) judges again when the record changes."""
    set_on = today() - timedelta(days=20)
    on_set_day, later = members_of(world, world.cell_a, 2)
    document = set_document(world, set_on=set_on)
    assert owers(document) == {on_set_day.pk, later.pk}
    event = exempt(world, on_set_day, set_on - timedelta(days=3))
    exempt(world, later, set_on + timedelta(days=2))
    assert owers(document) == {later.pk}
    assert selectors.documents_owed(on_set_day, today()) == []
    # The exemption was a mistake: deleting it gives the obligation back.
    member_services.event_delete(actor=world.office, event=event, expected_version=event.version)
    assert owers(document) == {on_set_day.pk, later.pk}


def test_a_member_recorded_later_with_an_admission_before_the_set_day_owes_it(world):
    document = set_document(world, set_on=today() - timedelta(days=10))
    assert owers(document) == set()
    # The record is opened now, with an admission in 2010: the member was active on the set day.
    member = members_of(world, world.cell_b, 1)[0]
    assert list(StudyObligation.objects.filter(document=document).values_list("member_id", "cell_id")) == [
        (member.pk, world.cell_b.pk)
    ]
    assert [d.pk for d in selectors.documents_owed(member, today())] == [document.pk]


def test_a_member_of_a_cell_outside_the_scope_owes_nothing(world):
    in_c = members_of(world, world.cell_c, 1)[0]
    in_a = members_of(world, world.cell_a, 1)[0]
    document = set_document(world, organization=world.partial, set_on=today() - timedelta(days=3))
    assert owers(document) == {in_c.pk}
    assert selectors.documents_owed(in_a, today()) == []


def test_a_member_who_leaves_after_the_set_day_still_owes_it(world):
    set_on = today() - timedelta(days=15)
    member = members_of(world, world.cell_a, 1)[0]
    document = set_document(world, set_on=set_on)
    member_services.event_add(
        actor=world.office, member=member, kind=EventKind.TRANSFER_OUT, date=set_on + timedelta(days=5)
    )
    assert owers(document) == {member.pk}


def test_a_member_moved_between_cells_of_the_subtree_owes_once_and_studies_at_the_new_cell(world):
    set_on = today() - timedelta(days=20)
    mover = members_of(world, world.cell_a, 1, prefix="Chuyển")[0]
    stays = members_of(world, world.cell_b, 1, prefix="Ở lại")[0]
    document = set_document(world, set_on=set_on)
    member_services.event_add(
        actor=world.office,
        member=mover,
        kind=EventKind.CELL_TRANSFER,
        date=set_on + timedelta(days=5),
        cell=world.cell_b,
    )
    # Owed once, where the member was on the day it was set.
    assert list(StudyObligation.objects.filter(member=mover).values_list("document_id", "cell_id")) == [
        (document.pk, world.cell_a.pk)
    ]
    # Cell B studies it: the member, now at B, is invited and their presence there counts.
    study = make_session(world, world.cell_b, SessionKind.STUDY, documents=[document], actor=world.office)
    assert invited(study) == {mover.person_id, stays.person_id}
    mark_all(world, study)
    assert studied(mover) and studied(stays)
    progress = selectors.document_progress(document, under=world.root, as_of=today())
    assert sum(row.owed for row in progress) == 2 and sum(row.studied for row in progress) == 2


def test_a_member_who_moved_is_invited_to_the_catch_up_of_their_new_cell_not_the_old_one(world):
    set_on = today() - timedelta(days=20)
    mover = members_of(world, world.cell_a, 1, prefix="Chuyển")[0]
    document = set_document(world, set_on=set_on)
    member_services.event_add(
        actor=world.office,
        member=mover,
        kind=EventKind.CELL_TRANSFER,
        date=set_on + timedelta(days=5),
        cell=world.cell_b,
    )
    old_cell = make_session(world, world.cell_a, SessionKind.CATCH_UP, documents=[document])
    new_cell = make_session(world, world.cell_b, SessionKind.CATCH_UP, documents=[document])
    assert invited(old_cell) == set()
    assert invited(new_cell) == {mover.person_id}


def test_an_excused_absence_is_not_a_study_and_a_catch_up_is_counted_once(world):
    present, excused, unexcused = members_of(world, world.cell_a, 3)
    document = set_document(world, set_on=today() - timedelta(days=10))
    study = make_session(
        world, world.root, SessionKind.STUDY, documents=[document], held_on=today() - timedelta(days=2)
    )
    mark_all(
        world,
        study,
        **{str(excused.person_id): Attendance.EXCUSED, str(unexcused.person_id): Attendance.UNEXCUSED},
    )
    assert studied(present) and not studied(excused) and not studied(unexcused)
    # The catch-up invites those who still owe it, the excused one included.
    catch_up = make_session(world, world.cell_a, SessionKind.CATCH_UP, documents=[document])
    assert catch_up.invitees == Invitees.STILL_OWING
    assert invited(catch_up) == {excused.person_id, unexcused.person_id}
    # The one who studied comes too: a second presence changes nothing.
    services.invitees_add(actor=world.office, session=catch_up, person_ids=[present.person_id])
    mark_all(world, catch_up, **{str(unexcused.person_id): Attendance.UNEXCUSED})
    [row] = selectors.document_progress(document, under=world.root, as_of=today())
    assert (row.owed, row.studied, row.not_studied) == (3, 2, [unexcused])
    # A second catch-up for the one still owing.
    second = make_session(world, world.cell_a, SessionKind.CATCH_UP, documents=[document])
    assert invited(second) == {unexcused.person_id}


def test_a_study_counts_only_once_held(world):
    member = members_of(world, world.cell_a, 1)[0]
    document = set_document(world)
    make_session(world, world.cell_a, SessionKind.STUDY, documents=[document])
    assert not studied(member)  # invited, not marked yet
    assert [d.pk for d in selectors.documents_owed(member, today())] == [document.pk]


def test_a_new_set_day_judges_again_who_owes_the_document(world):
    newcomer = admitted_on(world, world.cell_a, "Ngô Văn Mới", ceremony=today() - timedelta(days=10))
    document = set_document(world, set_on=today() - timedelta(days=20))
    assert owers(document) == set()
    services.document_update(
        actor=world.office, document=document, expected_version=document.version, set_on=today()
    )
    assert owers(document) == {newcomer.pk}
    assert document.history.latest().history_user == world.office


def test_document_dates_are_checked_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        set_document(world, set_on=today() + timedelta(days=1))
    assert "set_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        set_document(world, set_on=today(), study_by=today() - timedelta(days=1))
    assert "study_by" in refused.value.message_dict
    assert not StudyDocument.all_objects.exists()


def test_a_document_file_that_is_not_what_it_claims_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        services.document_create(
            actor=world.office,
            organization=world.root,
            kind=DocumentKind.DIRECTIVE,
            title="Chỉ thị",
            set_on=today(),
            study_by=today(),
            file=SimpleUploadedFile("chi-thi.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "file" in refused.value.message_dict
    assert not StudyDocument.all_objects.exists()
    document = services.document_create(
        actor=world.office,
        organization=world.root,
        kind=DocumentKind.DIRECTIVE,
        title="  Chỉ   thị  ",
        set_on=today(),
        study_by=today(),
        file=SimpleUploadedFile("chi-thi.pdf", b"%PDF-1.4 ..."),
    )
    assert document.title == "Chỉ thị" and document.file_name == "chi-thi.pdf"
    assert "chi-thi" not in document.file.name  # stored under a random name


def test_a_new_file_for_a_document_is_stored_and_recorded(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = set_document(world)
    services.document_update(
        actor=world.office,
        document=document,
        expected_version=document.version,
        file=SimpleUploadedFile("nghi-quyet.pdf", b"%PDF-1.4 ..."),
    )
    stored = StudyDocument.objects.get(pk=document.pk)
    assert stored.file_name == "nghi-quyet.pdf" and stored.file.name.startswith("meetings/documents/")
    assert stored.file.read() == b"%PDF-1.4 ..."
    assert stored.version == 2 and stored.history.latest().history_user == world.office


def test_members_with_a_login_are_told_of_a_document_to_study(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    members_of(world, world.cell_a, 1)
    document = set_document(world)
    [told] = Notification.objects.filter(kind="meetings.document")
    assert told.recipient == world.member_a and document.title in told.subject


def test_a_deleted_document_is_owed_by_nobody(world):
    member = members_of(world, world.cell_a, 1)[0]
    document = set_document(world)
    services.document_delete(actor=world.office, document=document, expected_version=document.version)
    assert selectors.documents_owed(member, today()) == []
    assert StudyDocument.all_objects.get().history.latest().history_user == world.office


# ------------------------------------------------------------------------------ invitees by kind


@pytest.mark.parametrize("kind", [SessionKind.REGULAR, SessionKind.THEMATIC, SessionKind.EXTRAORDINARY])
def test_a_cell_meeting_invites_the_cells_active_members_not_exempt(world, kind):
    a = members_of(world, world.cell_a, 3)
    members_of(world, world.cell_b, 2)
    exempt(world, a[2], today() - timedelta(days=100))
    gone = members_of(world, world.cell_a, 1, prefix="Đã chuyển")[0]
    member_services.event_add(
        actor=world.office, member=gone, kind=EventKind.TRANSFER_OUT, date=today() - timedelta(days=1)
    )
    session = make_session(world, world.cell_a, kind, actor=world.secretary_a)
    assert session.invitees == Invitees.CELL_MEMBERS
    assert invited(session) == {a[0].person_id, a[1].person_id}


def test_a_study_at_the_committee_invites_the_members_of_its_subtree(world):
    everyone = [
        *members_of(world, world.cell_a, 2),
        *members_of(world, world.cell_b, 1),
        *members_of(world, world.cell_c, 1),
    ]
    document = set_document(world)
    at_root = make_session(world, world.root, SessionKind.STUDY, documents=[document])
    at_partial = make_session(world, world.partial, SessionKind.STUDY, documents=[document])
    at_cell = make_session(world, world.cell_b, SessionKind.STUDY, documents=[document])
    assert at_root.invitees == Invitees.SUBTREE_MEMBERS
    assert invited(at_root) == {m.person_id for m in everyone}
    assert invited(at_partial) == {everyone[3].person_id}
    assert at_cell.invitees == Invitees.CELL_MEMBERS and invited(at_cell) == {everyone[2].person_id}


def test_a_training_course_invites_the_current_committee_seats_of_the_subtree_not_inspection(world):
    start = today() - timedelta(days=400)
    deputy = make_person(world.admin, world.root, "Đỗ Văn Phó Bí Thư")
    make_seat(world.admin, deputy, world.root, SeatRole.DEPUTY_SECRETARY, start=start)
    chi_uy_c = make_person(world.admin, world.cell_c, "Bùi Thị Chi Ủy")
    make_seat(world.admin, chi_uy_c, world.cell_c, SeatRole.COMMITTEE_MEMBER, start=start)
    inspector = make_person(world.admin, world.root, "Mai Văn Kiểm Tra")
    make_seat(world.admin, inspector, world.root, SeatRole.INSPECTION_MEMBER, start=start)
    former = make_person(world.admin, world.cell_b, "Cao Văn Hết Nhiệm Kỳ")
    make_seat(world.admin, former, world.cell_b, start=start, end=today() - timedelta(days=1))
    members_of(world, world.cell_a, 2)
    course = make_session(world, world.root, SessionKind.TRAINING, place="Hội trường")
    assert course.invitees == Invitees.COMMITTEE_MEMBERS
    assert invited(course) == {world.secretary_a_person.pk, deputy.pk, chi_uy_c.pk}
    by_partial = make_session(world, world.partial, SessionKind.TRAINING)
    assert invited(by_partial) == {chi_uy_c.pk}


def test_a_conference_invites_only_those_chosen(world):
    a = members_of(world, world.cell_a, 3)
    conference = make_session(
        world, world.root, SessionKind.CONFERENCE, person_ids=[a[0].person_id, world.secretary_a_person.pk]
    )
    assert conference.invitees == Invitees.CHOSEN
    assert invited(conference) == {a[0].person_id, world.secretary_a_person.pk}
    services.invitees_refresh(actor=world.office, session=conference)
    assert invited(conference) == {a[0].person_id, world.secretary_a_person.pk}


def test_chosen_people_are_added_to_those_the_kind_invites(world):
    a = members_of(world, world.cell_a, 2)
    meeting = make_session(
        world, world.cell_a, SessionKind.REGULAR, person_ids=[world.office.person.pk], actor=world.secretary_a
    )
    # The office's person stands at the root, above the cell: the higher committee's guest.
    assert invited(meeting) == {a[0].person_id, a[1].person_id, world.office.person.pk}


def test_nobody_outside_the_organisers_reach_is_invited_and_nothing_is_written(world):
    in_a = members_of(world, world.cell_a, 1)[0]
    members_of(world, world.cell_c, 1)
    with pytest.raises(ValidationError):
        make_session(world, world.cell_c, SessionKind.REGULAR, person_ids=[in_a.person_id])
    with pytest.raises(ValidationError):
        make_session(world, world.partial, SessionKind.CONFERENCE, person_ids=[in_a.person_id])
    assert not Session.all_objects.exists() and not Invitation.all_objects.exists()
    meeting = make_session(world, world.cell_c, SessionKind.REGULAR)
    before = invited(meeting)
    with pytest.raises(ValidationError):
        services.invitees_add(actor=world.office, session=meeting, person_ids=[in_a.person_id])
    assert invited(meeting) == before


def test_refreshing_invites_a_member_who_joined_since_and_keeps_the_others(world):
    first = members_of(world, world.cell_a, 1)[0]
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=3))
    invitation = invitation_of(meeting, first.person)
    services.invitation_reply(
        actor=world.office, invitation=invitation, reply=Reply.COMING, expected_version=invitation.version
    )
    joined = members_of(world, world.cell_a, 1, prefix="Mới vào")[0]
    assert services.invitees_refresh(actor=world.office, session=meeting) == 1
    assert invited(meeting) == {first.person_id, joined.person_id}
    assert invitation_of(meeting, first.person).reply == Reply.COMING


def test_an_invitation_is_withdrawn_only_before_attendance_is_marked(world):
    a = members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    withdrawn = invitation_of(meeting, a[0].person)
    services.invitation_remove(actor=world.office, invitation=withdrawn, expected_version=withdrawn.version)
    assert invited(meeting) == {a[1].person_id}
    mark_all(world, meeting)
    kept = invitation_of(meeting, a[1].person)
    with pytest.raises(ValidationError):
        services.invitation_remove(actor=world.office, invitation=kept, expected_version=kept.version)
    assert invited(meeting) == {a[1].person_id}


def test_invitees_with_a_login_are_told_of_the_invitation(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    members_of(world, world.cell_a, 1)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=2))
    [told] = Notification.objects.filter(kind="meetings.invitation")
    assert told.recipient == world.member_a
    assert f"{meeting.held_on:%d/%m/%Y}" in told.subject
    quiet = make_session(world, world.cell_a, SessionKind.THEMATIC, notify=False)
    assert not Notification.objects.filter(key__endswith=f".{quiet.pk}").exists()


# ---------------------------------------------------------------------------------- session rules


@pytest.mark.parametrize(
    ("where", "kind", "documents", "field"),
    [
        ("cell_a", SessionKind.CONFERENCE, False, "kind"),
        ("root", SessionKind.REGULAR, False, "kind"),
        ("partial", SessionKind.THEMATIC, False, "kind"),
        ("root", SessionKind.STUDY, False, "documents"),
        ("cell_a", SessionKind.CATCH_UP, False, "documents"),
        ("root", SessionKind.TRAINING, True, "documents"),
        ("root", "picnic", False, "kind"),
    ],
)
def test_a_session_that_breaks_a_rule_is_refused_with_a_message_and_nothing_is_written(
    world, where, kind, documents, field
):
    members_of(world, world.cell_a, 2)
    document = set_document(world)
    with pytest.raises(ValidationError) as refused:
        make_session(world, getattr(world, where), kind, documents=[document] if documents else [])
    assert refused.value.message_dict[field][0]
    assert not Session.all_objects.exists() and not Invitation.all_objects.exists()
    assert not Session.history.exists()


def test_a_cell_cannot_study_a_document_set_for_another_subtree(world):
    document = set_document(world, organization=world.partial)
    with pytest.raises(ValidationError) as refused:
        make_session(world, world.cell_a, SessionKind.STUDY, documents=[document])
    assert "documents" in refused.value.message_dict
    # The partial committee's own cell may.
    make_session(world, world.cell_c, SessionKind.STUDY, documents=[document])


def test_a_session_and_its_invitations_are_in_the_history_with_their_actor(world):
    members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, actor=world.secretary_a)
    assert meeting.history.get().history_user == world.secretary_a
    assert {h.history_user for h in Invitation.history.all()} == {world.secretary_a}
    assert Invitation.history.count() == 2


def test_a_moved_session_tells_its_invitees(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=2))
    services.session_update(
        actor=world.secretary_a,
        session=meeting,
        expected_version=meeting.version,
        starts_at=time(14, 0),
        place="  Nhà   văn hóa ",
    )
    meeting.refresh_from_db()
    assert meeting.place == "Nhà văn hóa" and meeting.history.latest().history_user == world.secretary_a
    [told] = Notification.objects.filter(kind="meetings.changed")
    assert told.recipient == world.member_a and "14:00" in told.subject
    with pytest.raises(StaleVersionError):
        services.session_update(
            actor=world.office, session=meeting, expected_version=meeting.version - 1, place="Khác"
        )


# ------------------------------------------------------------------------------------ attendance


def test_marking_attendance_records_every_row_and_the_session_is_held(world):
    a = members_of(world, world.cell_a, 3)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    changed = services.attendance_mark(
        actor=world.secretary_a,
        session=meeting,
        marks=marks(
            meeting,
            **{
                str(a[1].person_id): (Attendance.EXCUSED, "  Ốm,   nằm viện "),
                str(a[2].person_id): (Attendance.UNEXCUSED, ""),
            },
        ),
        expected_version=meeting.version,
    )
    assert changed == 3
    meeting.refresh_from_db()
    assert meeting.state == SessionState.HELD
    assert sorted(sheet(meeting)) == sorted(
        [
            (a[0].person_id, Attendance.PRESENT, ""),
            (a[1].person_id, Attendance.EXCUSED, "Ốm, nằm viện"),
            (a[2].person_id, Attendance.UNEXCUSED, ""),
        ]
    )
    assert meeting.history.latest().history_user == world.secretary_a
    for invitation in meeting.invitations.all():
        assert invitation.history.latest().history_user == world.secretary_a


@pytest.mark.parametrize(
    "bad",
    [
        (Attendance.EXCUSED, ""),  # an excused absence needs a reason
        ("maybe", ""),  # not a status
    ],
)
def test_one_bad_row_refuses_the_whole_sheet_and_changes_nothing(world, bad):
    a = members_of(world, world.cell_a, 3)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    before, version, history = sheet(meeting), meeting.version, Invitation.history.count()
    with pytest.raises(ValidationError) as refused:
        services.attendance_mark(
            actor=world.secretary_a,
            session=meeting,
            marks=marks(meeting, **{str(a[2].person_id): bad}),
            expected_version=meeting.version,
        )
    assert a[2].person.full_name in refused.value.messages[0]
    meeting.refresh_from_db()
    assert sheet(meeting) == before and meeting.version == version and meeting.state == SessionState.PLANNED
    assert Invitation.history.count() == history


def test_a_row_of_another_session_refuses_the_sheet(world):
    members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    other = make_session(world, world.cell_a, SessionKind.THEMATIC)
    stray = other.invitations.first()
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=world.secretary_a,
            session=meeting,
            marks=[*marks(meeting), services.Mark(stray.pk, Attendance.PRESENT)],
            expected_version=meeting.version,
        )
    assert {row[1] for row in sheet(meeting)} == {""} and {row[1] for row in sheet(other)} == {""}


def test_an_excused_absence_takes_the_reason_of_the_reply(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    other = members_of(world, world.cell_a, 1)[0]
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)  # today: the reply is still open
    invitation = invitation_of(meeting, member.person)
    services.invitation_reply(
        actor=world.member_a,
        invitation=invitation,
        reply=Reply.EXCUSED,
        reason="Đi công tác Hà Nội",
        expected_version=invitation.version,
    )
    meeting.refresh_from_db()
    services.attendance_mark(
        actor=world.secretary_a,
        session=meeting,
        marks=marks(meeting, **{str(member.person_id): (Attendance.EXCUSED, "")}),
        expected_version=meeting.version,
    )
    assert invitation_of(meeting, member.person).reason == "Đi công tác Hà Nội"
    assert invitation_of(meeting, other.person).attendance == Attendance.PRESENT


def test_a_second_sheet_read_at_the_same_version_is_refused(world):
    a = members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    read_at = meeting.version
    services.attendance_mark(
        actor=world.secretary_a, session=meeting, marks=marks(meeting), expected_version=read_at
    )
    after_first = sheet(meeting)
    # The second secretary's form was read before the first save; even the same marks are refused.
    for second in (marks(meeting), marks(meeting, **{str(a[0].person_id): (Attendance.UNEXCUSED, "")})):
        with pytest.raises(StaleVersionError):
            services.attendance_mark(
                actor=world.office, session=meeting, marks=second, expected_version=read_at
            )
    assert sheet(meeting) == after_first


def test_a_sheet_corrected_at_the_new_version_changes_only_what_differs(world):
    a = members_of(world, world.cell_a, 3)
    meeting = mark_all(world, make_session(world, world.cell_a, SessionKind.REGULAR))
    changed = services.attendance_mark(
        actor=world.office,
        session=meeting,
        marks=marks(meeting, **{str(a[0].person_id): (Attendance.EXCUSED, "Ốm")}),
        expected_version=meeting.version,
    )
    assert changed == 1
    assert invitation_of(meeting, a[0].person).history.latest().history_user == world.office
    assert (
        invitation_of(meeting, a[1].person).history.latest().history_user == world.office
    )  # the first sheet


def test_attendance_cannot_be_marked_before_the_day_of_the_session(world):
    members_of(world, world.cell_a, 1)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=world.secretary_a, session=meeting, marks=marks(meeting), expected_version=meeting.version
        )
    meeting.refresh_from_db()
    assert meeting.state == SessionState.PLANNED and {row[1] for row in sheet(meeting)} == {""}


def test_attendance_of_a_cancelled_session_is_refused(world):
    members_of(world, world.cell_a, 1)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    services.session_cancel(actor=world.office, session=meeting, expected_version=meeting.version)
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=world.secretary_a, session=meeting, marks=marks(meeting), expected_version=meeting.version
        )


# ------------------------------------------------------------------------------------- the reply


def test_an_invitee_confirms_or_asks_to_be_excused_before_the_session(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=3))
    invitation = invitation_of(meeting, member.person)
    services.invitation_reply(
        actor=world.member_a, invitation=invitation, reply=Reply.COMING, expected_version=invitation.version
    )
    assert invitation.reply == Reply.COMING and invitation.replied_at is not None
    with pytest.raises(ValidationError) as refused:
        services.invitation_reply(
            actor=world.member_a,
            invitation=invitation,
            reply=Reply.EXCUSED,
            reason="   ",
            expected_version=invitation.version,
        )
    assert "reason" in refused.value.message_dict
    invitation.refresh_from_db()
    assert invitation.reply == Reply.COMING
    services.invitation_reply(
        actor=world.member_a,
        invitation=invitation,
        reply=Reply.EXCUSED,
        reason="Đi khám bệnh",
        expected_version=invitation.version,
    )
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_reason) == (Reply.EXCUSED, "Đi khám bệnh")
    assert [h.history_user for h in invitation.history.order_by("history_id")][-2:] == [world.member_a] * 2
    # Changing one's mind back clears the reason.
    services.invitation_reply(
        actor=world.member_a,
        invitation=invitation,
        reply=Reply.COMING,
        reason="Đi khám bệnh",
        expected_version=invitation.version,
    )
    assert invitation.reply_reason == ""


def test_a_reply_read_at_an_old_version_is_refused(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=3))
    invitation = invitation_of(meeting, member.person)
    read_at = invitation.version
    services.invitation_reply(
        actor=world.member_a, invitation=invitation, reply=Reply.COMING, expected_version=read_at
    )
    with pytest.raises(StaleVersionError):
        services.invitation_reply(
            actor=world.member_a,
            invitation=invitation,
            reply=Reply.EXCUSED,
            reason="Bận",
            expected_version=read_at,
        )


def test_an_excuse_tells_the_cells_committee(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=1))
    invitation = invitation_of(meeting, member.person)
    services.invitation_reply(
        actor=world.member_a,
        invitation=invitation,
        reply=Reply.EXCUSED,
        reason="Con ốm",
        expected_version=invitation.version,
    )
    [told] = Notification.objects.filter(kind="meetings.excuse")
    # The reason (often health) stays on the session's page: it is not e-mailed.
    assert told.recipient == world.secretary_a and "Con ốm" not in told.subject + told.body
    assert world.member_a_person.full_name in told.subject and told.url == meeting.get_absolute_url()


def test_an_excuse_from_a_committees_session_tells_the_office(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    document = set_document(world)
    study = make_session(
        world, world.root, SessionKind.STUDY, documents=[document], held_on=today() + timedelta(days=1)
    )
    invitation = invitation_of(study, member.person)
    services.invitation_reply(
        actor=world.member_a,
        invitation=invitation,
        reply=Reply.EXCUSED,
        reason="Trực cơ quan",
        expected_version=invitation.version,
    )
    assert list(Notification.objects.filter(kind="meetings.excuse").values_list("recipient", flat=True)) == [
        world.office.pk
    ]


def test_a_confirmation_tells_nobody(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=1))
    invitation = invitation_of(meeting, member.person)
    services.invitation_reply(
        actor=world.member_a, invitation=invitation, reply=Reply.COMING, expected_version=invitation.version
    )
    assert not Notification.objects.filter(kind="meetings.excuse").exists()


def test_after_the_day_of_the_session_the_reply_is_refused(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() - timedelta(days=1))
    invitation = invitation_of(meeting, member.person)
    with pytest.raises(ValidationError):
        services.invitation_reply(
            actor=world.member_a,
            invitation=invitation,
            reply=Reply.COMING,
            expected_version=invitation.version,
        )
    invitation.refresh_from_db()
    assert invitation.reply == "" and invitation.version == 1


def test_once_attendance_is_marked_the_reply_is_closed(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = mark_all(world, make_session(world, world.cell_a, SessionKind.REGULAR))
    invitation = invitation_of(meeting, member.person)
    with pytest.raises(ValidationError):
        services.invitation_reply(
            actor=world.member_a,
            invitation=invitation,
            reply=Reply.EXCUSED,
            reason="Muộn",
            expected_version=invitation.version,
        )


def test_a_reply_that_is_not_a_choice_is_refused(world):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=1))
    invitation = invitation_of(meeting, member.person)
    with pytest.raises(ValidationError) as refused:
        services.invitation_reply(
            actor=world.member_a, invitation=invitation, reply="maybe", expected_version=invitation.version
        )
    assert "reply" in refused.value.message_dict


# ------------------------------------------------------------------------------------- cancelling


def test_a_cancelled_session_tells_its_invitees_and_is_in_the_history(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=4))
    services.session_cancel(actor=world.secretary_a, session=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.state == SessionState.CANCELLED
    last = meeting.history.latest()
    assert (last.history_user, last.history_change_reason) == (world.secretary_a, "cancelled")
    [told] = Notification.objects.filter(kind="meetings.cancelled")
    assert told.recipient == world.member_a
    # A cancelled session takes no more invitees.
    with pytest.raises(ValidationError):
        services.invitees_refresh(actor=world.office, session=meeting)


def test_a_session_with_attendance_marked_cannot_be_cancelled(world):
    members_of(world, world.cell_a, 2)
    meeting = mark_all(world, make_session(world, world.cell_a, SessionKind.REGULAR))
    with pytest.raises(ValidationError):
        services.session_cancel(actor=world.office, session=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.state == SessionState.HELD


def test_cancelling_from_a_stale_form_is_refused(world):
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    with pytest.raises(StaleVersionError):
        services.session_cancel(actor=world.office, session=meeting, expected_version=meeting.version + 1)
    meeting.refresh_from_db()
    assert meeting.state == SessionState.PLANNED


# ---------------------------------------------------------------------------------------- minutes


def test_the_minutes_are_kept_on_the_session_which_is_then_held(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    members_of(world, world.cell_a, 2)
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    services.minutes_save(
        actor=world.secretary_a,
        session=meeting,
        expected_version=meeting.version,
        chair=" Nguyễn  Văn Bí Thư ",
        recorder="Hoàng Thị Thư Ký",
        minutes="Kiểm điểm công tác tháng.\n",
        resolution="Tập trung hoàn thành kế hoạch.",
        duration_minutes=95,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7 ..."),
    )
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.recorder, meeting.minutes) == (
        "Nguyễn Văn Bí Thư",
        "Hoàng Thị Thư Ký",
        "Kiểm điểm công tác tháng.",
    )
    assert meeting.state == SessionState.HELD and meeting.duration_minutes == 95
    assert meeting.minutes_file_name == "bien-ban.pdf" and meeting.minutes_file.name.endswith(".pdf")
    last = meeting.history.latest()
    assert (last.history_user, last.history_change_reason) == (world.secretary_a, "minutes")


def test_minutes_are_refused_before_the_day_from_a_stale_form_or_with_a_bad_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    later = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() + timedelta(days=1))
    fields = {"chair": "A", "recorder": "B", "minutes": "C", "resolution": "D"}
    with pytest.raises(ValidationError):
        services.minutes_save(
            actor=world.secretary_a, session=later, expected_version=later.version, **fields
        )
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR)
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(
            actor=world.secretary_a,
            session=meeting,
            expected_version=meeting.version,
            file=SimpleUploadedFile("bien-ban.exe", b"MZ\x90\x00"),
            **fields,
        )
    assert "minutes_file" in refused.value.message_dict
    services.minutes_save(
        actor=world.secretary_a, session=meeting, expected_version=meeting.version, **fields
    )
    with pytest.raises(StaleVersionError):
        services.minutes_save(
            actor=world.office, session=meeting, expected_version=meeting.version - 1, **fields
        )
    meeting.refresh_from_db()
    assert meeting.chair == "A" and meeting.version == 2


# --------------------------------------------------------------------------------------- settings


def test_the_offices_settings_are_saved_once_and_then_version_checked(world):
    saved = services.settings_save(
        actor=world.office,
        organization=world.root,
        thematic_every_months=6,
        min_minutes=120,
        expected_version=None,
    )
    assert saved.history.get().history_user == world.office
    assert selectors.settings_for(world.cell_c).thematic_every_months == 6
    # A second form that read no settings, and a form read at an old version, are both stale.
    with pytest.raises(StaleVersionError):
        services.settings_save(
            actor=world.office,
            organization=world.root,
            thematic_every_months=3,
            min_minutes=90,
            expected_version=None,
        )
    services.settings_save(
        actor=world.office,
        organization=world.root,
        thematic_every_months=12,
        min_minutes=90,
        expected_version=saved.version,
    )
    with pytest.raises(StaleVersionError):
        services.settings_save(
            actor=world.office,
            organization=world.root,
            thematic_every_months=3,
            min_minutes=90,
            expected_version=saved.version - 1,
        )
    current = MeetingSettings.objects.get()
    assert (current.thematic_every_months, current.min_minutes, current.version) == (12, 90, 2)


@pytest.mark.parametrize(
    ("every", "minutes", "field"), [(5, 90, "thematic_every_months"), (3, 10, "min_minutes")]
)
def test_settings_out_of_range_are_refused(world, every, minutes, field):
    with pytest.raises(ValidationError) as refused:
        services.settings_save(
            actor=world.office,
            organization=world.root,
            thematic_every_months=every,
            min_minutes=minutes,
            expected_version=None,
        )
    assert field in refused.value.message_dict
    assert not MeetingSettings.objects.exists()


def test_when_shows_the_time_when_there_is_one(world):
    day = today()
    meeting = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=day, starts_at=time(7, 30))
    assert meeting.when == f"07:30 {day:%d/%m/%Y}"
    meeting.starts_at = None
    assert meeting.when == f"{day:%d/%m/%Y}"


def test_the_settings_choices_are_the_rules_frequencies():
    field = MeetingSettings._meta.get_field("thematic_every_months")
    assert tuple(value for value, _label in field.choices) == rules.THEMATIC_EVERY_MONTHS
    assert field.default == rules.DEFAULT_THEMATIC_EVERY_MONTHS
