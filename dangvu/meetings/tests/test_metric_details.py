"""What the figures of study, training and meetings are made of (issue 11, "each figure explains
itself"): for every key, the entries behind the figure, named in the test, as many as the figure
counts; and the same number of queries for a subtree of one cell as for one of several. Dates are
relative to today; the cell meetings use last year."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.organization.choices import SeatRole
from dangvu.testing import make_person, make_seat

from . import test_metrics
from .factories import make_session, mark_all, members_of, set_document, today
from .test_metrics import KEYS, _end_of_year, _figure, _mark, _meeting, _study_session

pytestmark = pytest.mark.django_db

# The fixtures of the figures' tests, so that the entries are checked on the same data.
study = test_metrics.study
last_year = test_metrics.last_year


def _detail(key: str, org, *, year: int | None = None, as_of: date | None = None) -> metrics.Detail:
    year = year or today().year
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or Year(year).default_as_of(today()))
    return metrics.detail(key, ctx)


def _names(entries) -> list[str]:
    return sorted(entry.name for entry in entries)


def _ratio_sizes(key: str, org, **kwargs) -> tuple[tuple[int, int], tuple[int, int]]:
    found, figure = _detail(key, org, **kwargs), _figure(key, org, **kwargs)
    return (len(found.counted), len(found.out_of)), (figure["numerator"], figure["denominator"])


# ---------------------------------------------------------------------------------- documents


def test_the_documents_are_listed_at_the_organisation_that_set_them(world):
    day = today()
    set_document(world, set_on=day, study_by=_end_of_year(), title="Của Đảng bộ")
    set_document(world, organization=world.cell_b, set_on=day, study_by=_end_of_year(), title="Của chi bộ B")
    set_document(world, set_on=day, study_by=date(day.year + 1, 1, 15), title="Hạn năm sau")
    found = _detail("study.documents", world.root)
    assert len(found.counted) == _figure("study.documents", world.root)["value"] == 2
    assert _names(found.counted) == ["Của chi bộ B", "Của Đảng bộ"]
    own = next(e for e in found.counted if e.name == "Của chi bộ B")
    assert (own.kind, own.path, own.cell) == ("other", world.cell_b.path, "Chi bộ B")
    assert own.url and f"31/12/{day.year}" in own.note
    # a cell sees the committee's document it studies: listed at the cell, named as set above it
    [above] = _detail("study.documents", world.cell_a).counted
    assert (above.name, above.path, above.cell) == ("Của Đảng bộ", world.cell_a.path, world.root.name)


# ---------------------------------------------------------------------------------- studied


def test_the_members_who_studied_out_of_those_who_owe(world, study):
    a2, b1 = study["a2"], study["b1"]
    _study_session(
        world,
        [study["document"]],
        study["day"] - timedelta(days=10),
        {a2.person_id: Attendance.EXCUSED, b1.person_id: Attendance.UNEXCUSED},
    )
    sizes, figure = _ratio_sizes("study.members_studied_pct", world.root)
    assert sizes == figure == (1, 3)
    found = _detail("study.members_studied_pct", world.root)
    assert _names(found.counted) == ["Đảng viên CB-A 1"]
    assert _names(found.out_of) == ["Đảng viên CB-A 1", "Đảng viên CB-A 2", "Đảng viên CB-B 1"]
    b1_entry = next(e for e in found.out_of if e.name == "Đảng viên CB-B 1")
    assert (b1_entry.kind, b1_entry.cell, b1_entry.path) == ("member", "Chi bộ B", world.cell_b.path)
    assert "1" in b1_entry.note and b1_entry.url


def test_a_member_who_moved_is_listed_at_the_new_cell(world, study):
    day, b1 = study["day"], study["b1"]
    member_services.event_add(
        actor=world.admin,
        member=b1,
        kind=EventKind.CELL_TRANSFER,
        date=day - timedelta(days=15),
        cell=world.cell_a,
    )
    _study_session(world, [study["document"]], day - timedelta(days=10), {})
    found = _detail("study.members_studied_pct", world.cell_a)
    assert _names(found.counted) == ["Đảng viên CB-A 1", "Đảng viên CB-A 2", "Đảng viên CB-B 1"]
    moved = next(e for e in found.out_of if e.name == "Đảng viên CB-B 1")
    assert (moved.cell, moved.path) == ("Chi bộ A", world.cell_a.path)
    assert _detail("study.members_studied_pct", world.cell_b).out_of == []


# ---------------------------------------------------------------------------------- training


def test_the_committee_members_trained_out_of_the_committee_members(world):
    both = make_person(world.admin, world.root, "Đỗ Văn Hai Ghế")
    make_seat(world.admin, both, world.root, SeatRole.COMMITTEE_MEMBER)
    make_seat(world.admin, both, world.cell_b, SeatRole.SECRETARY)
    inspector = make_person(world.admin, world.root, "Phan Thị Kiểm Tra")
    make_seat(world.admin, inspector, world.root, SeatRole.INSPECTION_MEMBER)
    training = make_session(world, world.root, SessionKind.TRAINING, held_on=today())
    _mark(world, training, {both.pk: Attendance.EXCUSED})
    sizes, figure = _ratio_sizes("training.committee_members_trained_pct", world.root)
    assert sizes == figure == (1, 2)
    found = _detail("training.committee_members_trained_pct", world.root)
    assert _names(found.counted) == ["Nguyễn Văn Bí Thư"]
    assert _names(found.out_of) == ["Nguyễn Văn Bí Thư", "Đỗ Văn Hai Ghế"]  # once, with both seats
    two_seats = next(e for e in found.out_of if e.name == "Đỗ Văn Hai Ghế")
    assert "Chi bộ B" in two_seats.note and world.root.name in two_seats.note
    # No member record: listed at the organisation keeping their record.
    trained = found.counted[0]
    assert (trained.cell, trained.path, trained.url) == ("Chi bộ A", world.cell_a.path, "")


def test_a_committee_member_with_a_member_record_is_listed_at_their_cell(world):
    (member,) = members_of(world, world.cell_b, 1)
    make_seat(world.admin, member.person, world.root, SeatRole.COMMITTEE_MEMBER)
    mark_all(world, make_session(world, world.root, SessionKind.TRAINING, held_on=today()))
    found = _detail("training.committee_members_trained_pct", world.root)
    entry = next(e for e in found.counted if e.name == "Đảng viên CB-B 1")
    assert (entry.cell, entry.path) == ("Chi bộ B", world.cell_b.path) and entry.url


# ---------------------------------------------------------------------------------- cell meetings


def test_the_cell_months_held_out_of_the_cell_months_due(world, last_year):
    year, cell_c, cell_d = last_year
    for month in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11):
        _meeting(world, cell_c, date(year, month, 10))
    _meeting(world, cell_c, date(year, 3, 25))  # a second one in March counts once
    _meeting(world, cell_c, date(year, 5, 10), SessionKind.THEMATIC)
    _meeting(world, cell_d, date(year, 8, 5))
    _meeting(world, cell_d, date(year, 9, 5))
    sizes, figure = _ratio_sizes("meetings.cell_meetings_held_pct", world.partial, year=year)
    assert sizes == figure == (12, 18)
    with translation.override("en"):
        found = _detail("meetings.cell_meetings_held_pct", world.partial, year=year)
    held_d = [e.name for e in found.counted if e.cell == "Chi bộ D"]
    assert held_d == [f"Meeting month 08/{year}", f"Meeting month 09/{year}"]
    missed_c = [e.name for e in found.out_of if e.cell == "Chi bộ C" and e not in found.counted]
    assert missed_c == [f"Meeting month 05/{year}", f"Meeting month 12/{year}"]
    march = next(e for e in found.counted if e.cell == "Chi bộ C" and e.name == f"Meeting month 03/{year}")
    assert f"10/03/{year}" in march.note and march.url and march.path == cell_c.path


# ---------------------------------------------------------------------------------- conferences


def test_the_invitees_present_out_of_the_invitees_that_count(world):
    day = today()
    present, excused, exempt_absent, exempt_present = members_of(world, world.cell_a, 4)
    for member in (exempt_absent, exempt_present):
        member_services.event_add(
            actor=world.admin,
            member=member,
            kind=EventKind.EXEMPTION,
            date=day - timedelta(days=400),
            reason="Tuổi cao",
        )
    people = [m.person_id for m in (present, excused, exempt_absent, exempt_present)]
    conference = make_session(
        world, world.root, SessionKind.CONFERENCE, held_on=day, person_ids=[*people, world.member_b_person.pk]
    )
    _mark(
        world,
        conference,
        {excused.person_id: Attendance.EXCUSED, exempt_absent.person_id: Attendance.EXCUSED},
    )
    sizes, figure = _ratio_sizes("meetings.conference_attendance_pct", world.root)
    assert sizes == figure == (3, 4)
    found = _detail("meetings.conference_attendance_pct", world.root)
    assert _names(found.counted) == ["Vũ Văn Đảng Viên", "Đảng viên CB-A 1", "Đảng viên CB-A 4"]
    assert _names(found.out_of) == [
        "Vũ Văn Đảng Viên",
        "Đảng viên CB-A 1",
        "Đảng viên CB-A 2",
        "Đảng viên CB-A 4",
    ]
    no_record = next(e for e in found.out_of if e.name == "Vũ Văn Đảng Viên")
    assert (no_record.cell, no_record.url) == ("Chi bộ B", "")
    excused_entry = next(e for e in found.out_of if e.name == "Đảng viên CB-A 2")
    assert excused_entry.cell == "Chi bộ A" and day.strftime("%d/%m/%Y") in excused_entry.note


# ---------------------------------------------------------------------------------- query counts


@pytest.fixture
def everywhere(world):
    """Something behind every key in cell C (alone under the partial committee) and in cells A and
    B: members who owe a document, committee members with a member record, regular meetings last
    year, conferences convened by the partial committee and by the committee."""
    year, cell_c, day = today().year - 1, world.cell_c, today()
    document = set_document(world, set_on=day - timedelta(days=5), study_by=_end_of_year())
    people = {}
    for cell in (world.cell_a, world.cell_b, cell_c):
        first, second = members_of(world, cell, 2)
        make_seat(world.admin, first.person, cell, SeatRole.DEPUTY_SECRETARY)
        people[cell.pk] = [first.person_id, second.person_id]
        _meeting(world, cell, date(year, 2, 10))
    _study_session(world, [document], day, {})
    mark_all(world, make_session(world, world.root, SessionKind.TRAINING, held_on=day))
    for convener, invited in ((world.partial, people[cell_c.pk]), (world.root, sum(people.values(), []))):
        mark_all(
            world, make_session(world, convener, SessionKind.CONFERENCE, held_on=day, person_ids=invited)
        )
    return year


@pytest.mark.parametrize("key", KEYS)
def test_a_detail_costs_as_many_queries_for_one_cell_as_for_several(world, everywhere, key):
    year = everywhere if key == "meetings.cell_meetings_held_pct" else today().year
    counts = []
    for org in (world.partial, world.root):  # one cell (C); three (A, B and C)
        with CaptureQueriesContext(connection) as queries:
            found = _detail(key, org, year=year)
        assert found.counted
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5
