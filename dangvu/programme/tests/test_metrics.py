"""The programme's figures (metrics.md `inspection.*`, `regulations.cells_reviewed_pct`) with the
settled readings' edge cases. Built in last year, so that every date is in the past whatever today
is (no time freezing)."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year, today
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, ItemState, RegulationKind, Result, ReviewKind
from dangvu.testing import make_member, make_org

pytestmark = pytest.mark.django_db

KEYS = (
    "inspection.planned",
    "inspection.completed",
    "inspection.completed_pct",
    "inspection.cells_inspected",
    "regulations.cells_reviewed_pct",
)


@pytest.fixture
def year() -> int:
    return today().year - 1


def _figure(key: str, org, year: int, as_of: date | None = None) -> dict:
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))
    return {m.key: m for m in metrics.implemented()}[key].compute(ctx)


def _value(key: str, org, year: int, as_of: date | None = None):
    return _figure(key, org, year, as_of)["value"]


def _programme(world, year: int, organization=None):
    return services.programme_open(actor=world.office, organization=organization or world.root, year=year)


def _item(world, programme, kind=ItemKind.THEMATIC_INSPECTION, **subject):
    year = programme.year
    return services.item_add(
        actor=world.office,
        programme=programme,
        kind=kind,
        content="Kiểm tra việc thực hiện nghị quyết",
        starts_on=date(year, 3, 1),
        ends_on=date(year, 4, 30),
        **subject,
    )


def _conclude(world, item, on: date, result=Result.NO_VIOLATION):
    return services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=on,
        conclusion="Chi bộ thực hiện tốt",
        result=result,
    )


def _cancel(world, item):
    return services.item_move(
        actor=world.office, item=item, to=ItemState.CANCELLED, expected_version=item.version, reason="Hoãn"
    )


# ------------------------------------------------------------------------------ planned, completed


def test_planned_excludes_cancelled_items_and_completed_counts_the_concluded(world, year):
    programme = _programme(world, year)
    done = _conclude(world, _item(world, programme, subject_cell=world.cell_a), date(year, 5, 10))
    _item(world, programme, subject_cell=world.cell_b)
    _cancel(world, _item(world, programme, subject_cell=world.cell_c))
    assert done.state == ItemState.CONCLUDED
    assert _value("inspection.planned", world.root, year) == 2
    assert _value("inspection.completed", world.root, year) == 1
    assert _figure("inspection.completed_pct", world.root, year) == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }


def test_a_conclusion_after_the_as_of_date_is_not_seen(world, year):
    programme = _programme(world, year)
    _conclude(world, _item(world, programme, subject_cell=world.cell_a), date(year, 6, 15))
    before = date(year, 6, 14)
    assert _value("inspection.completed", world.root, year, before) == 0
    assert _value("inspection.cells_inspected", world.root, year, before) == 0
    assert _value("inspection.completed", world.root, year, date(year, 6, 15)) == 1
    assert _value("inspection.cells_inspected", world.root, year, date(year, 6, 15)) == 1


def test_the_programmes_of_the_subtree_count_and_not_those_of_other_years_or_above(world, year):
    _item(world, _programme(world, year, world.partial), subject_cell=world.cell_c)
    _item(world, _programme(world, year - 1), subject_cell=world.cell_a)
    _item(world, _programme(world, year), subject_cell=world.cell_c)
    assert _value("inspection.planned", world.partial, year) == 1
    assert _value("inspection.planned", world.root, year) == 2
    assert _value("inspection.planned", world.cell_a, year) == 0
    assert _figure("inspection.completed_pct", world.cell_a, year)["value"] is None


# ------------------------------------------------------------------------------ cells inspected


def test_a_cell_counts_once_when_several_items_concern_it_or_its_members(world, year):
    programme = _programme(world, year)
    first = make_member(world.admin, world.cell_a, "Đảng viên Một")
    second = make_member(world.admin, world.cell_a, "Đảng viên Hai")
    for subject in ({"subject_cell": world.cell_a}, {"subject_member": first}, {"subject_member": second}):
        _conclude(world, _item(world, programme, kind=ItemKind.COMPLIANCE, **subject), date(year, 5, 2))
    _conclude(world, _item(world, programme, subject_cell=world.cell_b), date(year, 5, 3))
    assert _value("inspection.cells_inspected", world.root, year) == 2
    assert _value("inspection.cells_inspected", world.cell_a, year) == 1


def test_only_items_concluded_in_the_year_count_from_any_programme(world, year):
    # An item of last year's programme concluded this year counts; one concluded the year before
    # does not; a planned one does not; a cell's own programme counts for the root.
    earlier = _programme(world, year - 1)
    _conclude(world, _item(world, earlier, subject_cell=world.cell_a), date(year, 1, 20))
    _conclude(world, _item(world, earlier, subject_cell=world.cell_b), date(year - 1, 12, 20))
    _item(world, _programme(world, year), subject_cell=world.cell_b)
    own = _programme(world, year, world.cell_c)
    _conclude(world, _item(world, own, subject_cell=world.cell_c), date(year, 8, 1))
    assert _value("inspection.cells_inspected", world.root, year) == 2
    assert _value("inspection.cells_inspected", world.partial, year) == 1


def test_a_member_who_moved_counts_at_the_new_cell(world, year):
    member = make_member(world.admin, world.cell_a, "Đảng viên Chuyển")
    _conclude(
        world,
        _item(world, _programme(world, year), subject_member=member, kind=ItemKind.COMPLIANCE),
        date(year, 5, 1),
    )
    member_services.event_add(
        actor=world.office,
        member=member,
        kind=EventKind.CELL_TRANSFER,
        date=date(year, 9, 1),
        cell=world.cell_c,
    )
    assert _value("inspection.cells_inspected", world.partial, year) == 1
    assert _value("inspection.cells_inspected", world.cell_a, year) == 0
    # As it stood before the move, the member was at cell A.
    assert _value("inspection.cells_inspected", world.cell_a, year, date(year, 8, 31)) == 1


def test_a_committee_subject_counts_no_cell(world, year):
    item = _item(world, _programme(world, year), kind=ItemKind.ONGOING_SUPERVISION)
    _conclude(world, item, date(year, 12, 20))
    assert _value("inspection.completed", world.root, year) == 1
    assert _value("inspection.cells_inspected", world.root, year) == 0


def test_the_cells_inspected_figure_costs_one_query(world, year, django_assert_num_queries):
    programme = _programme(world, year)
    for index in range(3):
        member = make_member(world.admin, world.cell_a, f"Đảng viên {index}")
        _conclude(world, _item(world, programme, subject_member=member), date(year, 5, 1))
    _conclude(world, _item(world, programme, subject_cell=world.cell_b), date(year, 5, 1))
    with django_assert_num_queries(1):
        assert _value("inspection.cells_inspected", world.root, year) == 2
    with django_assert_num_queries(2):
        _value("inspection.completed_pct", world.root, year)


# ------------------------------------------------------------------------------ regulations


def _review(world, cell, day: date, regulation=RegulationKind.WORKING, review=ReviewKind.REVIEWED):
    return services.regulation_review_record(
        actor=world.office, cell=cell, regulation=regulation, review=review, reviewed_on=day
    )


def test_only_working_regulations_reviewed_in_the_year_by_the_as_of_date_count(world, year):
    _review(world, world.cell_a, date(year, 2, 1))
    _review(world, world.cell_b, date(year, 2, 1), RegulationKind.COORDINATION)  # alone: not counted
    _review(world, world.cell_c, date(year - 1, 12, 30), review=ReviewKind.AMENDED)  # the year before
    assert _figure("regulations.cells_reviewed_pct", world.root, year) == {
        "numerator": 1,
        "denominator": 3,
        "value": 33.3,
    }
    _review(world, world.cell_c, date(year, 10, 1), review=ReviewKind.ISSUED)
    assert _value("regulations.cells_reviewed_pct", world.root, year) == 66.7
    assert _value("regulations.cells_reviewed_pct", world.root, year, date(year, 9, 30)) == 33.3


def test_a_cell_dissolved_during_the_year_stays_in_the_denominator(
    world, year, django_assert_max_num_queries
):
    make_org(world.admin, "CB-D", parent=world.root, active_to=date(year, 6, 30))
    make_org(world.admin, "CB-E", parent=world.root, active_to=date(year - 1, 6, 30))  # gone before
    for cell in (world.cell_a, world.cell_b, world.cell_c):
        _review(world, cell, date(year, 3, 1))
    with django_assert_max_num_queries(2):
        figure = _figure("regulations.cells_reviewed_pct", world.root, year)
    assert figure == {"numerator": 3, "denominator": 4, "value": 75.0}


# ------------------------------------------------------------------------------ the annual document


def test_the_annual_document_has_the_five_keys(world, year, capsys):
    _conclude(world, _item(world, _programme(world, year), subject_cell=world.cell_a), date(year, 5, 1))
    call_command("report", "annual", "--year", str(year), "--org", "DU", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    for key in KEYS:
        assert key in document["metrics"]
    assert document["metrics"]["inspection.cells_inspected"] == {"value": 1}
    assert document["metrics"]["inspection.completed_pct"]["value"] == 100.0
    assert document["metrics"]["regulations.cells_reviewed_pct"]["value"] == 0.0
