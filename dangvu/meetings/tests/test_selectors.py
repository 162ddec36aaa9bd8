"""Reads of study and meetings: what each persona may see and organise, a member's documents and
sessions, a document's progress per cell, a cell's year (months held and missing, thematic meetings
under the office's setting, attendance) and the 3-month flag; each list in a fixed number of queries.

The year-long figures are built on last year (every month of it has ended, whatever today is); the
rest on dates relative to today.
"""

from datetime import date, timedelta

import pytest
from django.http import Http404

from dangvu.core.access import MANAGE, RECORDS, VIEW, scope_for
from dangvu.meetings import selectors, services
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.meetings.tests.factories import make_session, mark_all, members_of, set_document, today
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member, make_org, member_of_persona

pytestmark = pytest.mark.django_db

LAST_YEAR = today().year - 1


def meeting_on(world, cell, day: date, kind=SessionKind.REGULAR, marked: dict | None = None):
    """A cell meeting on `day`, marked: everyone present except `marked` {Member: status}."""
    session = make_session(world, cell, kind, held_on=day, notify=False)
    return mark_all(world, session, **{str(m.person_id): status for m, status in (marked or {}).items()})


def year_of(cell, as_of: date | None = None, year: int = LAST_YEAR) -> selectors.CellYear:
    [found] = selectors.cells_years([cell], year, as_of or today())
    return found


# ------------------------------------------------------------------------------------------ access


@pytest.mark.parametrize(
    ("persona", "cell_a", "cell_b", "root"),
    [
        ("office", True, True, True),
        ("secretary_a", True, False, False),
        ("leader", False, False, False),
        ("inspection", False, False, False),
        ("member_a", False, False, False),
        ("stranger", False, False, False),
    ],
)
def test_who_may_organise_sessions_and_mark_attendance(world, persona, cell_a, cell_b, root):
    scope = scope_for(getattr(world, persona))
    assert selectors.can_organise(scope, world.cell_a) is cell_a
    assert selectors.can_organise(scope, world.cell_b) is cell_b
    assert selectors.can_organise(scope, world.root) is root


def test_a_secretary_sees_the_documents_set_for_their_cell_from_above_not_elsewhere(world):
    for_all = set_document(world, title="Của Đảng ủy")
    for_partial = set_document(world, organization=world.partial, title="Của Đảng ủy bộ phận")
    own = set_document(world, organization=world.cell_a, title="Của chi bộ A")
    seen = {
        persona: set(
            selectors.documents_visible(scope_for(getattr(world, persona))).values_list("pk", flat=True)
        )
        for persona in ("office", "leader", "secretary_a", "member_b", "stranger")
    }
    assert seen["office"] == seen["leader"] == {for_all.pk, for_partial.pk, own.pk}
    assert seen["secretary_a"] == {for_all.pk, own.pk}
    assert seen["member_b"] == seen["stranger"] == set()
    secretary = scope_for(world.secretary_a)
    assert selectors.document_get(secretary, for_all.pk) == for_all
    with pytest.raises(Http404):
        selectors.document_get(secretary, for_partial.pk)
    # Only the office of the organisation that set it may change it.
    with pytest.raises(Http404):
        selectors.document_get(secretary, for_all.pk, MANAGE)
    assert selectors.document_get(scope_for(world.office), for_all.pk, MANAGE) == for_all


def test_a_member_sees_the_documents_they_owe(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    owed = set_document(world, title="Phải học")
    set_document(world, organization=world.partial, title="Không liên quan")
    assert list(selectors.documents_visible(scope_for(world.member_a))) == [owed]


def test_documents_for_an_organisation_are_those_set_for_it_or_under_it_by_deadline_year(world):
    this_year = set_document(world, study_by=date(today().year, 12, 31), set_on=date(today().year, 1, 1))
    last_year = set_document(world, set_on=date(LAST_YEAR, 3, 1), study_by=date(LAST_YEAR, 4, 1))
    own = set_document(world, organization=world.cell_a, title="Của chi bộ A")
    set_document(world, organization=world.partial, title="Của P")
    assert set(selectors.documents_for(world.cell_a)) == {this_year, last_year, own}
    assert list(selectors.documents_for(world.cell_a, LAST_YEAR)) == [last_year]
    assert len(selectors.documents_for(world.root)) == 4


def test_sessions_are_seen_within_the_scope_with_their_counts(world):
    a = members_of(world, world.cell_a, 3)
    members_of(world, world.cell_b, 2)
    held = meeting_on(world, world.cell_a, today(), marked={a[0]: Attendance.UNEXCUSED})
    planned_b = make_session(world, world.cell_b, held_on=today() + timedelta(days=5), notify=False)
    by_office = scope_for(world.office)
    rows = {s.pk: (s.invited, s.present, s.marked) for s in selectors.sessions_in(by_office, world.root)}
    assert rows == {held.pk: (3, 2, 3), planned_b.pk: (2, 0, 0)}
    secretary = scope_for(world.secretary_a)
    assert [s.pk for s in selectors.sessions_in(secretary, world.root)] == [held.pk]
    assert list(selectors.sessions_in(scope_for(world.stranger), world.root)) == []
    assert [s.pk for s in selectors.sessions_in(by_office, world.root, kind=SessionKind.REGULAR)] == [
        planned_b.pk,
        held.pk,
    ]
    assert selectors.session_get(secretary, held.pk, RECORDS) == held
    with pytest.raises(Http404):
        selectors.session_get(secretary, planned_b.pk)
    with pytest.raises(Http404):
        selectors.session_get(scope_for(world.leader), held.pk, RECORDS)
    assert selectors.session_get(scope_for(world.leader), held.pk, VIEW) == held


def test_sessions_in_costs_one_query_whatever_their_number(world, django_assert_num_queries):
    members_of(world, world.cell_a, 2)
    make_session(world, world.cell_a, notify=False)
    scope = scope_for(world.office)
    with django_assert_num_queries(1):
        one = list(selectors.sessions_in(scope, world.root))
    for days in range(1, 4):
        make_session(world, world.cell_a, SessionKind.THEMATIC, held_on=today() - timedelta(days=days))
    with django_assert_num_queries(1):
        many = list(selectors.sessions_in(scope, world.root))
    assert (len(one), len(many)) == (1, 4)


def test_the_invitees_are_listed_by_given_name(world, django_assert_num_queries):
    for name in ("Trần Thị Chi", "Nguyễn Văn An", "Lê Bình"):
        make_member(world.admin, world.cell_a, name)
    meeting = make_session(world, world.cell_a, notify=False)
    with django_assert_num_queries(1):
        names = [i.person.full_name for i in selectors.invitations_of(meeting)]
    assert names == ["Nguyễn Văn An", "Lê Bình", "Trần Thị Chi"]


def test_a_member_reaches_only_their_own_invitation(world):
    member_of_persona(world, world.member_a_person, world.cell_a)
    other = members_of(world, world.cell_a, 1)[0]
    meeting = make_session(world, world.cell_a, notify=False)
    own = meeting.invitations.get(person=world.member_a_person)
    theirs = meeting.invitations.get(person=other.person)
    assert selectors.invitation_own(scope_for(world.member_a), own.pk) == own
    with pytest.raises(Http404):
        selectors.invitation_own(scope_for(world.member_a), theirs.pk)
    with pytest.raises(Http404):  # even the office answers for nobody else here
        selectors.invitation_own(scope_for(world.office), own.pk)


# ---------------------------------------------------------------------------- the member's page


def test_upcoming_lists_the_planned_sessions_from_today_soonest_first(world, django_assert_num_queries):
    member_of_persona(world, world.member_a_person, world.cell_a)
    document = set_document(world)
    person = world.member_a_person
    later = make_session(world, world.cell_a, held_on=today() + timedelta(days=9), notify=False)
    study = make_session(
        world, world.cell_a, SessionKind.STUDY, documents=[document], held_on=today() + timedelta(days=2)
    )
    now = make_session(world, world.cell_a, SessionKind.THEMATIC, held_on=today(), notify=False)
    past = make_session(world, world.cell_a, held_on=today() - timedelta(days=1), notify=False)
    cancelled = make_session(world, world.cell_a, held_on=today() + timedelta(days=3), notify=False)
    services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    with django_assert_num_queries(2):
        found = selectors.upcoming(person, today())
        documents = [list(i.session.documents.all()) for i in found]
    assert [i.session for i in found] == [now, study, later]
    assert documents == [[], [document], []]
    assert past not in [i.session for i in found]


def test_the_attendance_history_shows_the_years_sessions_that_took_place(world, django_assert_num_queries):
    member = member_of_persona(world, world.member_a_person, world.cell_a)
    person = world.member_a_person
    days = [today() - timedelta(days=n) for n in (0, 1, 2)]
    if days[-1].year != today().year:  # early January: keep the three days in this year
        days = [today()] * 3
    present = meeting_on(world, world.cell_a, days[2])
    absent = meeting_on(
        world, world.cell_a, days[1], SessionKind.THEMATIC, marked={member: Attendance.EXCUSED}
    )
    not_marked = make_session(world, world.cell_a, SessionKind.EXTRAORDINARY, held_on=days[0], notify=False)
    cancelled = make_session(world, world.cell_a, held_on=days[0], notify=False)
    services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    make_session(world, world.cell_a, held_on=today() + timedelta(days=1), notify=False)
    make_session(world, world.cell_a, held_on=date(LAST_YEAR, 6, 1), notify=False)
    with django_assert_num_queries(1):
        rows = [
            (i.session, i.attendance, i.reason)
            for i in selectors.attendance_history(person, today().year, today())
        ]
    assert {r[0] for r in rows} == {present, absent, not_marked}
    assert rows[-1] == (present, Attendance.PRESENT, "")
    assert (absent, Attendance.EXCUSED, "ốm") in rows


# ------------------------------------------------------------------------------------------ study


def test_studied_pairs_count_presence_at_held_study_sessions_by_the_as_of_date(world):
    a, b, c = members_of(world, world.cell_a, 3)
    document = set_document(world, set_on=today() - timedelta(days=10))
    study = make_session(
        world, world.cell_a, SessionKind.STUDY, documents=[document], held_on=today() - timedelta(days=3)
    )
    mark_all(world, study, **{str(b.person_id): Attendance.EXCUSED, str(c.person_id): Attendance.UNEXCUSED})
    make_session(world, world.cell_a, SessionKind.STUDY, documents=[document])  # today, not marked
    assert selectors.studied_pairs(None, [document.pk], today()) == {(a.person_id, document.pk)}
    assert selectors.studied_pairs([b.person_id], [document.pk], today()) == set()
    assert selectors.studied_pairs(None, [document.pk], today() - timedelta(days=4)) == set()


def test_studied_pairs_give_the_same_answer_for_a_long_list_of_people(world, monkeypatch):
    """Past a number of people the presences are read for the documents and filtered in Python
    (a long IN list is slower): the answer is the same."""
    a, b = members_of(world, world.cell_a, 2)
    (other,) = members_of(world, world.cell_b, 1)
    document = set_document(world, set_on=today() - timedelta(days=10))
    mark_all(world, make_session(world, world.root, SessionKind.STUDY, documents=[document]))
    short = selectors.studied_pairs([a.person_id, b.person_id], [document.pk], today())
    monkeypatch.setattr(selectors, "_PEOPLE_IN_QUERY", 1)
    assert selectors.studied_pairs([a.person_id, b.person_id], [document.pk], today()) == short
    assert short == {(a.person_id, document.pk), (b.person_id, document.pk)}  # not `other`


def test_still_owing_is_who_owes_and_has_not_studied_among_the_active_members_under(world):
    a = members_of(world, world.cell_a, 2)
    b = members_of(world, world.cell_b, 1)[0]
    document = set_document(world, set_on=today() - timedelta(days=10))
    study = make_session(world, world.cell_a, SessionKind.STUDY, documents=[document])
    mark_all(world, study, **{str(a[1].person_id): Attendance.UNEXCUSED})
    member_services.event_add(
        actor=world.office, member=b, kind=EventKind.TRANSFER_OUT, date=today() - timedelta(days=1)
    )
    assert selectors.still_owing([document], under=world.root, on=today()) == {a[1].person_id}
    # The member who left still owes it (metrics.md), but is no longer there to invite.
    assert selectors.still_owing([document], under=world.root, on=today() - timedelta(days=2)) == {
        a[0].person_id,  # the study had not taken place yet on that day
        a[1].person_id,
        b.person_id,
    }
    assert selectors.still_owing([document], under=world.cell_b, on=today()) == set()


def test_document_progress_per_cell_names_who_has_not_studied(world, django_assert_num_queries):
    a = members_of(world, world.cell_a, 3)
    b = members_of(world, world.cell_b, 2)
    members_of(world, world.cell_c, 1)  # studies it at the root's session
    document = set_document(world, set_on=today() - timedelta(days=5))
    study = make_session(world, world.root, SessionKind.STUDY, documents=[document])
    mark_all(
        world,
        study,
        **{str(a[0].person_id): Attendance.EXCUSED, **{str(m.person_id): Attendance.UNEXCUSED for m in b}},
    )
    with django_assert_num_queries(2):
        progress = selectors.document_progress(document, under=world.root, as_of=today())
        names = [[m.person.full_name for m in row.not_studied] for row in progress]
    by_cell = {row.cell.code: (row.owed, row.studied, row.percent) for row in progress}
    assert by_cell == {"CB-A": (3, 2, 67), "CB-B": (2, 0, 0), "CB-C": (1, 1, 100)}
    assert names[[row.cell.code for row in progress].index("CB-A")] == [a[0].person.full_name]
    assert [
        row.cell.code for row in selectors.document_progress(document, under=world.partial, as_of=today())
    ] == ["CB-C"]


def test_documents_owed_lists_what_is_left_by_deadline(world, django_assert_num_queries):
    member = members_of(world, world.cell_a, 1)[0]
    late = set_document(world, set_on=today() - timedelta(days=3), study_by=today() + timedelta(days=40))
    soon = set_document(world, set_on=today() - timedelta(days=3), study_by=today() + timedelta(days=5))
    done = set_document(world, set_on=today() - timedelta(days=3), study_by=today() + timedelta(days=20))
    mark_all(world, make_session(world, world.cell_a, SessionKind.STUDY, documents=[done]))
    with django_assert_num_queries(2):
        owed = selectors.documents_owed(member, today())
    assert owed == [soon, late]


# ------------------------------------------------------------------------------------- a cell's year


def test_a_cells_year_counts_regular_meetings_held_per_month(world):
    x, y = members_of(world, world.cell_a, 2)
    meeting_on(world, world.cell_a, date(LAST_YEAR, 1, 10), marked={y: Attendance.UNEXCUSED})
    meeting_on(world, world.cell_a, date(LAST_YEAR, 2, 10))
    meeting_on(world, world.cell_a, date(LAST_YEAR, 2, 25))  # a second one counts once
    make_session(world, world.cell_a, held_on=date(LAST_YEAR, 3, 10), notify=False)  # never marked
    meeting_on(world, world.cell_a, date(LAST_YEAR, 4, 10), SessionKind.THEMATIC)  # not a regular one
    meeting_on(world, world.cell_a, date(LAST_YEAR, 5, 10), SessionKind.EXTRAORDINARY)
    cancelled = make_session(world, world.cell_a, held_on=date(LAST_YEAR, 6, 10), notify=False)
    services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    found = year_of(world.cell_a)
    assert found.months_due == [(LAST_YEAR, m) for m in range(1, 13)]
    assert found.months_held == {(LAST_YEAR, 1), (LAST_YEAR, 2)}
    assert found.months_missing == [(LAST_YEAR, m) for m in range(3, 13)]
    # Attendance over the marked invitees of the held cell meetings: 9 of 10.
    assert (found.present, found.invited, found.attendance_percent) == (9, 10, 90)
    # As of the end of June only the first six months are due.
    assert year_of(world.cell_a, date(LAST_YEAR, 6, 30)).months_missing == [
        (LAST_YEAR, m) for m in range(3, 7)
    ]


def test_a_cell_without_meetings_misses_every_month_and_has_no_rate(world):
    found = year_of(world.cell_b)
    assert len(found.months_missing) == 12 and found.months_held == set()
    assert found.thematic_missing == [1, 2, 3, 4]
    assert found.attendance_percent is None and found.flagged == []


def test_a_cell_founded_during_the_year_owes_the_months_from_its_founding(world):
    young = make_org(world.admin, "CB-D", parent=world.root, active_from=date(LAST_YEAR, 9, 15))
    closed = make_org(
        world.admin,
        "CB-E",
        parent=world.root,
        active_from=date(2000, 1, 1),
        active_to=date(LAST_YEAR - 1, 6, 30),
    )
    assert year_of(young).months_due == [(LAST_YEAR, m) for m in (9, 10, 11, 12)]
    cells = [c.code for c in selectors.cells_under(world.root, LAST_YEAR)]
    assert cells == ["CB-A", "CB-B", "CB-C", "CB-D"]
    assert "CB-D" not in [c.code for c in selectors.cells_under(world.root, LAST_YEAR - 1)]
    assert "CB-E" in [c.code for c in selectors.cells_under(world.root, LAST_YEAR - 1)]
    assert closed not in selectors.cells_under(world.root, LAST_YEAR)


def test_thematic_meetings_missing_follow_the_offices_setting(world):
    members_of(world, world.cell_c, 1)
    meeting_on(world, world.cell_c, date(LAST_YEAR, 4, 20), SessionKind.THEMATIC)
    meeting_on(world, world.cell_c, date(LAST_YEAR, 5, 20))  # a regular one is not thematic
    assert year_of(world.cell_c).thematic_missing == [1, 3, 4]  # quarterly by default
    settings = services.settings_save(
        actor=world.office,
        organization=world.root,
        thematic_every_months=6,
        min_minutes=90,
        expected_version=None,
    )
    assert year_of(world.cell_c).thematic_missing == [2]
    # The nearest organisation above the cell with settings decides.
    services.settings_save(
        actor=world.office,
        organization=world.partial,
        thematic_every_months=12,
        min_minutes=90,
        expected_version=None,
    )
    assert year_of(world.cell_c).thematic_missing == []
    assert selectors.settings_for(world.cell_a) == settings
    assert selectors.settings_for(world.cell_c).thematic_every_months == 12
    # Before the end of the first period nothing is missing yet.
    assert year_of(world.cell_a, date(LAST_YEAR, 6, 29)).thematic_missing == []


def test_without_settings_the_product_defaults_decide(world):
    found = selectors.settings_for(world.cell_a)
    assert (found.pk, found.thematic_every_months, found.min_minutes) == (None, 3, 90)


def test_a_cells_year_costs_four_queries_whatever_the_number_of_cells(world, django_assert_num_queries):
    for cell in (world.cell_a, world.cell_b, world.cell_c):
        x = members_of(world, cell, 2)[0]
        for month in (1, 2, 3):
            meeting_on(world, cell, date(LAST_YEAR, month, 5), marked={x: Attendance.UNEXCUSED})
    with django_assert_num_queries(4):
        one = selectors.cells_years([world.cell_a], LAST_YEAR, today())
    cells = selectors.cells_under(world.root, LAST_YEAR)
    with django_assert_num_queries(4):
        many = selectors.cells_years(cells, LAST_YEAR, today())
    assert len(one) == 1 and len(many) == 3
    assert all(len(found.flagged) == 1 for found in many)


# ------------------------------------------------------------------------------ the 3-month flag


def test_absent_without_a_reason_in_three_months_of_a_year_is_flagged_for_the_cell(world):
    three, two, excused, _present = members_of(world, world.cell_a, 4)
    meeting_on(
        world,
        world.cell_a,
        date(LAST_YEAR, 1, 10),
        marked={three: Attendance.UNEXCUSED, two: Attendance.UNEXCUSED, excused: Attendance.EXCUSED},
    )
    meeting_on(  # a second absence in January: still one month
        world,
        world.cell_a,
        date(LAST_YEAR, 1, 24),
        SessionKind.EXTRAORDINARY,
        marked={two: Attendance.UNEXCUSED},
    )
    meeting_on(
        world,
        world.cell_a,
        date(LAST_YEAR, 3, 10),
        marked={three: Attendance.UNEXCUSED, two: Attendance.UNEXCUSED, excused: Attendance.EXCUSED},
    )
    meeting_on(  # a thematic meeting is a meeting of the cell too
        world,
        world.cell_a,
        date(LAST_YEAR, 7, 15),
        SessionKind.THEMATIC,
        marked={three: Attendance.UNEXCUSED},
    )
    meeting_on(world, world.cell_a, date(LAST_YEAR, 8, 10), marked={excused: Attendance.EXCUSED})
    # A study session is not a cell meeting: no month counted for `two` there.
    document = set_document(world, set_on=date(LAST_YEAR, 8, 1), study_by=date(LAST_YEAR, 9, 30))
    study = make_session(
        world, world.cell_a, SessionKind.STUDY, documents=[document], held_on=date(LAST_YEAR, 9, 5)
    )
    mark_all(world, study, **{str(two.person_id): Attendance.UNEXCUSED})
    flags = selectors.flagged([world.cell_a.pk], LAST_YEAR, date(LAST_YEAR, 12, 31))
    assert flags == {world.cell_a.pk: [(three.person, [1, 3, 7])]}
    assert year_of(world.cell_a).flagged == [(three.person, [1, 3, 7])]
    # As of the end of June only two months are seen: not yet.
    assert selectors.flagged([world.cell_a.pk], LAST_YEAR, date(LAST_YEAR, 6, 30)) == {}
    # The next year starts afresh.
    assert selectors.flagged([world.cell_a.pk], today().year, today()) == {}


def test_the_flag_is_given_for_each_cell_and_sorted_by_given_name(world):
    first = make_member(world.admin, world.cell_a, "Trần Văn Bảo")
    second = make_member(world.admin, world.cell_a, "Phạm Thị Ánh")
    elsewhere = members_of(world, world.cell_b, 1)[0]
    for month in (2, 4, 6):
        meeting_on(
            world,
            world.cell_a,
            date(LAST_YEAR, month, 1),
            marked={first: Attendance.UNEXCUSED, second: Attendance.UNEXCUSED},
        )
        meeting_on(world, world.cell_b, date(LAST_YEAR, month, 1), marked={elsewhere: Attendance.UNEXCUSED})
    flags = selectors.flagged([world.cell_a.pk, world.cell_b.pk], LAST_YEAR, date(LAST_YEAR, 12, 31))
    assert [p.full_name for p, _m in flags[world.cell_a.pk]] == ["Phạm Thị Ánh", "Trần Văn Bảo"]
    assert flags[world.cell_b.pk] == [(elsewhere.person, [2, 4, 6])]


def test_absences_marked_excused_are_not_counted(world):
    member = members_of(world, world.cell_a, 1)[0]
    for month in (1, 2, 3):
        meeting_on(world, world.cell_a, date(LAST_YEAR, month, 8), marked={member: Attendance.EXCUSED})
    assert selectors.flagged([world.cell_a.pk], LAST_YEAR, date(LAST_YEAR, 12, 31)) == {}
