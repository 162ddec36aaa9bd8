"""The figures of study, training and meetings (shared/spec/metrics.md, `study.*`, `training.*`,
`meetings.*` and the settled readings). Dates are relative to today; tests that need whole months
use last year."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.meetings import selectors
from dangvu.meetings.choices import Attendance, Invitees, SessionKind
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.organization.choices import OrgKind, SeatRole
from dangvu.testing import make_member, make_org, make_person, make_seat

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db

KEYS = (
    "study.documents",
    "study.members_studied_pct",
    "training.committee_members_trained_pct",
    "meetings.cell_meetings_held_pct",
    "meetings.conference_attendance_pct",
)


def _figure(key: str, org, *, year: int | None = None, as_of: date | None = None) -> dict:
    year = year or today().year
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or Year(year).default_as_of(today()))
    return next(m for m in metrics.implemented() if m.key == key).compute(ctx)


def _value(key: str, org, **kwargs):
    return _figure(key, org, **kwargs)["value"]


def _end_of_year() -> date:
    return date(today().year, 12, 31)


def _mark(world, session, statuses: dict) -> None:
    """Mark the invitees named by person id; the others present."""
    mark_all(world, session, **{str(person_id): status for person_id, status in statuses.items()})


# ---------------------------------------------------------------------------------- documents


def test_the_documents_of_the_year_are_those_due_in_it_whose_scope_reaches_a_cell_of_the_subtree(world):
    day = today()
    set_document(world, set_on=day, study_by=_end_of_year(), title="Của Đảng bộ")
    set_document(world, organization=world.cell_b, set_on=day, study_by=_end_of_year(), title="Của chi bộ B")
    set_document(world, set_on=day, study_by=date(day.year + 1, 1, 15), title="Hạn năm sau")
    assert _value("study.documents", world.root) == 2
    assert _value("study.documents", world.cell_a) == 1  # the root's reaches cell A; B's does not
    assert _value("study.documents", world.cell_b) == 2
    assert _value("study.documents", world.partial) == 1
    assert _value("study.documents", world.root, year=day.year + 1, as_of=date(day.year + 1, 12, 31)) == 1


def test_a_document_set_after_the_as_of_date_is_not_seen(world):
    set_document(world, set_on=today(), study_by=_end_of_year())
    assert _value("study.documents", world.root, as_of=today() - timedelta(days=1)) == 0
    assert _value("study.documents", world.root, as_of=today()) == 1


def test_a_document_set_above_an_empty_subtree_counts_nothing(world):
    empty = make_org(world.admin, "DBBP-2", OrgKind.PARTIAL_COMMITTEE, parent=world.root, name="Không chi bộ")
    set_document(world, set_on=today(), study_by=_end_of_year())
    assert _value("study.documents", empty) == 0


# ---------------------------------------------------------------------------------- studied


@pytest.fixture
def study(world):
    """A document set 20 days ago for the whole committee, studied 10 days ago at the committee;
    a catch-up 2 days ago organised by cell B."""
    day = today()
    set_on = day - timedelta(days=20)
    a1, a2 = members_of(world, world.cell_a, 2)
    (b1,) = members_of(world, world.cell_b, 1)
    document = set_document(world, set_on=set_on, study_by=_end_of_year())
    return {"day": day, "set_on": set_on, "a1": a1, "a2": a2, "b1": b1, "document": document}


def _study_session(world, documents, held_on, statuses, organization=None, **extra):
    session = make_session(
        world, organization or world.root, SessionKind.STUDY, documents=documents, held_on=held_on, **extra
    )
    _mark(world, session, statuses)
    return session


def test_members_who_studied_every_document_over_those_who_owe_one(world, study):
    a2, b1 = study["a2"], study["b1"]
    _study_session(
        world,
        [study["document"]],
        study["day"] - timedelta(days=10),
        {a2.person_id: Attendance.EXCUSED, b1.person_id: Attendance.UNEXCUSED},
    )
    # An excused absence is not a study.
    assert _figure("study.members_studied_pct", world.root) == {
        "numerator": 1,
        "denominator": 3,
        "value": 33.3,
    }
    assert _value("study.members_studied_pct", world.cell_a) == 50.0
    assert _value("study.members_studied_pct", world.cell_b) == 0.0
    assert _value("study.members_studied_pct", world.partial) is None  # nobody owes anything there


def test_a_catch_up_organised_elsewhere_counts_by_the_as_of_date(world, study):
    a2, day = study["a2"], study["day"]
    _study_session(world, [study["document"]], day - timedelta(days=10), {a2.person_id: Attendance.EXCUSED})
    catch_up = make_session(
        world,
        world.cell_b,  # not a2's cell
        SessionKind.CATCH_UP,
        documents=[study["document"]],
        held_on=day - timedelta(days=2),
        invitees=Invitees.CHOSEN,
        person_ids=[a2.person_id],
    )
    mark_all(world, catch_up)
    assert _value("study.members_studied_pct", world.cell_a) == 100.0
    # Seen as it stood before the catch-up:
    assert _value("study.members_studied_pct", world.cell_a, as_of=day - timedelta(days=3)) == 50.0
    # A second session for the same document changes nothing.
    _study_session(world, [study["document"]], day, {})
    assert _figure("study.members_studied_pct", world.root)["numerator"] == 3


def test_a_member_admitted_after_the_document_was_set_owes_nothing(world, study):
    day = study["day"]
    make_member(
        world.admin,
        world.cell_a,
        "Đảng viên Mới Kết Nạp",
        decision=day - timedelta(days=15),
        ceremony=day - timedelta(days=12),
        recognition=None,
    )
    _study_session(world, [study["document"]], day - timedelta(days=10), {})
    assert _figure("study.members_studied_pct", world.cell_a)["denominator"] == 2


def test_a_member_exempt_when_the_document_was_set_owes_nothing_even_if_the_exemption_ended(world, study):
    day, a2 = study["day"], study["a2"]
    member_services.event_add(
        actor=world.admin,
        member=a2,
        kind=EventKind.EXEMPTION,
        date=study["set_on"] - timedelta(days=30),
        end_date=study["set_on"] + timedelta(days=1),
        reason="Ốm dài ngày",
    )
    _study_session(world, [study["document"]], day - timedelta(days=10), {a2.person_id: Attendance.UNEXCUSED})
    assert _figure("study.members_studied_pct", world.cell_a) == {
        "numerator": 1,
        "denominator": 1,
        "value": 100.0,
    }


def test_a_member_who_moved_counts_at_the_new_cell_and_owes_what_was_set_where_they_were(world, study):
    day, b1 = study["day"], study["b1"]
    # Set by cell B alone, while b1 was there; b1 then moved to cell A.
    own = set_document(
        world,
        organization=world.cell_b,
        set_on=study["set_on"],
        study_by=_end_of_year(),
        title="Của chi bộ B",
    )
    member_services.event_add(
        actor=world.admin,
        member=b1,
        kind=EventKind.CELL_TRANSFER,
        date=day - timedelta(days=15),
        cell=world.cell_a,
    )
    _study_session(world, [study["document"]], day - timedelta(days=10), {})
    # Counted once, at cell A, owing both documents: the committee's one studied, cell B's not.
    assert _figure("study.members_studied_pct", world.cell_a) == {
        "numerator": 2,
        "denominator": 3,
        "value": 66.7,
    }
    assert _figure("study.members_studied_pct", world.cell_b)["denominator"] == 0
    assert _figure("study.members_studied_pct", world.root)["denominator"] == 3
    _study_session(
        world,
        [own],
        day - timedelta(days=1),
        {},
        organization=world.cell_b,
        invitees=Invitees.CHOSEN,
        person_ids=[b1.person_id],
    )
    assert _value("study.members_studied_pct", world.cell_a) == 100.0


def test_the_cells_study_adds_up_to_the_organisations_figure(world, study):
    """The summary's per-cell study (selectors.study_per_cell) counts each member where the figure
    does: b1, who owes cell B's document and moved to cell A, counts at A only."""
    day, b1 = study["day"], study["b1"]
    set_document(world, organization=world.cell_b, set_on=study["set_on"], study_by=_end_of_year(), title="B")
    member_services.event_add(
        actor=world.admin,
        member=b1,
        kind=EventKind.CELL_TRANSFER,
        date=day - timedelta(days=15),
        cell=world.cell_a,
    )
    _study_session(
        world, [study["document"]], day - timedelta(days=10), {study["a2"].person_id: Attendance.EXCUSED}
    )
    cells = selectors.cells_under(world.root, day.year)
    per_cell = selectors.study_per_cell(cells, day.year, day)
    figure = _figure("study.members_studied_pct", world.root)
    assert sum(c.owed for c in per_cell.values()) == figure["denominator"] == 3
    assert sum(c.studied for c in per_cell.values()) == figure["numerator"] == 1
    assert (per_cell[world.cell_a.pk].owed, per_cell[world.cell_b.pk].owed) == (3, 0)


def test_the_study_figure_costs_a_fixed_number_of_queries(world, study, django_assert_max_num_queries):
    _study_session(world, [study["document"]], study["day"] - timedelta(days=10), {})
    with django_assert_max_num_queries(3):
        _figure("study.members_studied_pct", world.root)
    members_of(world, world.cell_c, 5)
    set_document(world, set_on=study["day"], study_by=_end_of_year(), title="Thêm một văn bản")
    with django_assert_max_num_queries(3):
        _figure("study.members_studied_pct", world.root)


# ---------------------------------------------------------------------------------- training


def test_committee_members_trained_count_once_without_inspection_seats(world):
    both = make_person(world.admin, world.root, "Đỗ Văn Hai Ghế")
    make_seat(world.admin, both, world.root, SeatRole.COMMITTEE_MEMBER)
    make_seat(world.admin, both, world.cell_b, SeatRole.SECRETARY)
    inspector = make_person(world.admin, world.root, "Phan Thị Kiểm Tra")
    make_seat(world.admin, inspector, world.root, SeatRole.INSPECTION_MEMBER)
    day = today()
    training = make_session(world, world.root, SessionKind.TRAINING, held_on=day)
    assert {i.person_id for i in training.invitations.all()} == {world.secretary_a_person.pk, both.pk}
    _mark(world, training, {both.pk: Attendance.EXCUSED})
    assert _figure("training.committee_members_trained_pct", world.root) == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }
    # The inspection seat does not make a committee member, trained or not.
    training2 = make_session(
        world, world.root, SessionKind.TRAINING, held_on=day, invitees=Invitees.CHOSEN, person_ids=[both.pk]
    )
    mark_all(world, training2)
    assert _figure("training.committee_members_trained_pct", world.root)["numerator"] == 2
    # Trained at the committee's course, counted for cell B, whose secretary they are.
    assert _value("training.committee_members_trained_pct", world.cell_b) == 100.0
    # Not before the day of the course.
    assert _value("training.committee_members_trained_pct", world.root, as_of=day - timedelta(days=1)) == 0.0


def test_a_training_course_organised_outside_the_subtree_counts(world):
    course = make_session(world, world.root, SessionKind.TRAINING, held_on=today())
    mark_all(world, course)
    assert _value("training.committee_members_trained_pct", world.cell_a) == 100.0
    assert _value("training.committee_members_trained_pct", world.cell_c) is None  # no committee there


# ---------------------------------------------------------------------------------- cell meetings


@pytest.fixture
def last_year(world):
    """Partial committee P last year: cell C active all year, cell D founded on 15/07."""
    year = today().year - 1
    cell_d = make_org(
        world.admin, "CB-D", parent=world.partial, name="Chi bộ D", active_from=date(year, 7, 15)
    )
    return year, world.cell_c, cell_d


def _meeting(world, cell, day: date, kind=SessionKind.REGULAR, held: bool = True):
    session = make_session(world, cell, kind, held_on=day)
    if held:
        mark_all(world, session)
    return session


def test_cell_months_with_a_regular_meeting_held_over_cell_months(world, last_year):
    year, cell_c, cell_d = last_year
    for month in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11):
        _meeting(world, cell_c, date(year, month, 10))
    _meeting(world, cell_c, date(year, 3, 25))  # a second one in March counts once
    _meeting(world, cell_c, date(year, 5, 10), SessionKind.THEMATIC)  # not a regular meeting
    _meeting(world, cell_c, date(year, 12, 10), held=False)  # planned, never marked
    _meeting(world, cell_d, date(year, 8, 5))
    _meeting(world, cell_d, date(year, 9, 5))
    # Cell C: 10 of 12 months; cell D, active from July: 2 of 6.
    assert _figure("meetings.cell_meetings_held_pct", world.partial, year=year) == {
        "numerator": 12,
        "denominator": 18,
        "value": 66.7,
    }
    # As of 30/06, only the months ended by then, and cell D is not founded yet.
    assert _figure("meetings.cell_meetings_held_pct", world.partial, year=year, as_of=date(year, 6, 30)) == {
        "numerator": 5,
        "denominator": 6,
        "value": 83.3,
    }


def test_a_cell_dissolved_during_the_year_owes_its_months_until_then(world):
    year = today().year - 1
    cell = make_org(world.admin, "CB-E", parent=world.partial, name="Chi bộ E", active_to=date(year, 2, 1))
    _meeting(world, cell, date(year, 1, 20))
    assert _figure("meetings.cell_meetings_held_pct", cell, year=year) == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }


def test_the_meetings_figure_costs_a_fixed_number_of_queries(world, last_year, django_assert_num_queries):
    year, cell_c, cell_d = last_year
    _meeting(world, cell_c, date(year, 1, 10))
    with django_assert_num_queries(2):
        _figure("meetings.cell_meetings_held_pct", world.root, year=year)
    _meeting(world, cell_d, date(year, 8, 10))
    _meeting(world, world.cell_a, date(year, 8, 10))
    with django_assert_num_queries(2):
        _figure("meetings.cell_meetings_held_pct", world.root, year=year)


# ---------------------------------------------------------------------------------- conferences


def test_conference_attendance_counts_an_exempt_invitee_only_if_present(world):
    day = today()
    present, excused, unexcused, exempt_absent, exempt_present = members_of(world, world.cell_a, 5)
    for member in (exempt_absent, exempt_present):
        member_services.event_add(
            actor=world.admin,
            member=member,
            kind=EventKind.EXEMPTION,
            date=day - timedelta(days=400),
            reason="Tuổi cao",
        )
    people = [m.person_id for m in (present, excused, unexcused, exempt_absent, exempt_present)]
    conference = make_session(
        world,
        world.root,
        SessionKind.CONFERENCE,
        held_on=day,
        person_ids=[*people, world.member_a_person.pk],  # member_a has no member record
    )
    _mark(
        world,
        conference,
        {
            excused.person_id: Attendance.EXCUSED,
            unexcused.person_id: Attendance.UNEXCUSED,
            exempt_absent.person_id: Attendance.EXCUSED,
        },
    )
    # Present: present, exempt_present, member_a; invitees: those and excused, unexcused.
    assert _figure("meetings.conference_attendance_pct", world.root) == {
        "numerator": 3,
        "denominator": 5,
        "value": 60.0,
    }
    # Convened by the committee above: not a conference of partial committee P.
    assert _value("meetings.conference_attendance_pct", world.partial) is None
    assert _value("meetings.conference_attendance_pct", world.root, as_of=day - timedelta(days=1)) is None


def test_an_exemption_ended_before_the_conference_does_not_excuse(world):
    day = today()
    (member,) = members_of(world, world.cell_a, 1)
    member_services.event_add(
        actor=world.admin,
        member=member,
        kind=EventKind.EXEMPTION,
        date=day - timedelta(days=400),
        end_date=day - timedelta(days=1),
        reason="Ốm",
    )
    conference = make_session(
        world, world.root, SessionKind.CONFERENCE, held_on=day, person_ids=[member.person_id]
    )
    _mark(world, conference, {member.person_id: Attendance.EXCUSED})
    assert _figure("meetings.conference_attendance_pct", world.root) == {
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
    }


def test_a_planned_conference_counts_nothing(world):
    (member,) = members_of(world, world.cell_a, 1)
    make_session(world, world.root, SessionKind.CONFERENCE, held_on=today(), person_ids=[member.person_id])
    assert _value("meetings.conference_attendance_pct", world.root) is None


# ---------------------------------------------------------------------------------- the annual document


def test_the_annual_document_has_the_five_figures(world, capsys):
    year = today().year
    call_command("report", "annual", "--year", str(year), "--org", "DU", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    for key in KEYS:
        assert key in document["metrics"]
    assert document["metrics"]["study.documents"] == {"value": 0}
    assert document["metrics"]["meetings.conference_attendance_pct"]["value"] is None
