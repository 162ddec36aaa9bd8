"""What the programme's figures are made of (issue 11, "each figure explains itself"): for every
key, the entries behind the figure, named in the test, as many as the figure counts; and the same
number of queries for one cell as for several. Built in last year (no time freezing)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year, today
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, RegulationKind, ReviewKind
from dangvu.testing import make_member

from .test_metrics import KEYS, _cancel, _conclude, _figure, _programme, _review

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> int:
    return today().year - 1


def _detail(key: str, org, year: int, as_of: date | None = None) -> metrics.Detail:
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))
    return metrics.detail(key, ctx)


def _item(world, programme, content: str, kind=ItemKind.THEMATIC_INSPECTION, **subject):
    return services.item_add(
        actor=world.office,
        programme=programme,
        kind=kind,
        content=content,
        starts_on=date(programme.year, 3, 1),
        ends_on=date(programme.year, 4, 30),
        **subject,
    )


def _names(entries) -> list[str]:
    return sorted(entry.name for entry in entries)


@pytest.fixture
def items(world, year):
    """The root's programme: cell A concluded, a member of cell A concluded, cell B planned, cell C
    cancelled; the partial committee's own programme: cell C concluded."""
    programme = _programme(world, year)
    member = make_member(world.admin, world.cell_a, "Đảng viên Được Kiểm Tra")
    _conclude(
        world, _item(world, programme, "Kiểm tra chi bộ A", subject_cell=world.cell_a), date(year, 5, 10)
    )
    _conclude(
        world,
        _item(world, programme, "Kiểm tra đảng viên", ItemKind.COMPLIANCE, subject_member=member),
        date(year, 6, 1),
    )
    _item(world, programme, "Giám sát chi bộ B", ItemKind.THEMATIC_SUPERVISION, subject_cell=world.cell_b)
    _cancel(world, _item(world, programme, "Kiểm tra bị hoãn", subject_cell=world.cell_c))
    own = _programme(world, year, world.partial)
    _conclude(world, _item(world, own, "Kiểm tra chi bộ C", subject_cell=world.cell_c), date(year, 7, 1))
    return member


def test_planned_lists_the_items_not_cancelled(world, year, items):
    found = _detail("inspection.planned", world.root, year)
    assert len(found.counted) == _figure("inspection.planned", world.root, year)["value"] == 4
    assert _names(found.counted) == [
        "Giám sát chi bộ B",
        "Kiểm tra chi bộ A",
        "Kiểm tra chi bộ C",
        "Kiểm tra đảng viên",
    ]
    assert found.out_of is None
    # Listed at the organisation whose programme it is, with the page of the item.
    own = next(e for e in found.counted if e.name == "Kiểm tra chi bộ C")
    assert (own.kind, own.path, own.cell) == ("other", world.partial.path, world.partial.name)
    assert own.url.startswith("/") and "Chi bộ C" in own.note


def test_completed_lists_the_concluded_items_with_their_date(world, year, items):
    found = _detail("inspection.completed", world.root, year)
    assert len(found.counted) == _figure("inspection.completed", world.root, year)["value"] == 3
    assert _names(found.counted) == ["Kiểm tra chi bộ A", "Kiểm tra chi bộ C", "Kiểm tra đảng viên"]
    member_item = next(e for e in found.counted if e.name == "Kiểm tra đảng viên")
    assert "Đảng viên Được Kiểm Tra" in member_item.note and f"01/06/{year}" in member_item.note
    # As of 31/05 the member's item is not concluded yet.
    before = _detail("inspection.completed", world.root, year, date(year, 5, 31))
    assert _names(before.counted) == ["Kiểm tra chi bộ A"]


def test_completed_pct_lists_the_completed_out_of_the_planned(world, year, items):
    found = _detail("inspection.completed_pct", world.root, year)
    figure = _figure("inspection.completed_pct", world.root, year)
    assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]) == (3, 4)
    assert _names(found.counted) == ["Kiểm tra chi bộ A", "Kiểm tra chi bộ C", "Kiểm tra đảng viên"]
    assert _names(found.out_of) == _names(_detail("inspection.planned", world.root, year).counted)
    partial = _detail("inspection.completed_pct", world.partial, year)
    assert (_names(partial.counted), _names(partial.out_of)) == (["Kiểm tra chi bộ C"], ["Kiểm tra chi bộ C"])


def test_cells_inspected_lists_each_cell_once_with_its_items(world, year, items):
    found = _detail("inspection.cells_inspected", world.root, year)
    assert len(found.counted) == _figure("inspection.cells_inspected", world.root, year)["value"] == 2
    assert _names(found.counted) == ["Chi bộ A", "Chi bộ C"]
    cell_a = next(e for e in found.counted if e.name == "Chi bộ A")
    assert (cell_a.kind, cell_a.path) == ("cell", world.cell_a.path)
    assert "Kiểm tra chi bộ A" in cell_a.note and "Đảng viên Được Kiểm Tra" in cell_a.note
    assert _names(_detail("inspection.cells_inspected", world.partial, year).counted) == ["Chi bộ C"]


def test_regulations_lists_the_cells_that_reviewed_out_of_the_cells(world, year):
    _review(world, world.cell_a, date(year, 2, 1), review=ReviewKind.AMENDED)
    _review(world, world.cell_b, date(year, 2, 1), RegulationKind.COORDINATION)  # alone: not counted
    _review(world, world.cell_c, date(year - 1, 12, 30))  # the year before
    found = _detail("regulations.cells_reviewed_pct", world.root, year)
    figure = _figure("regulations.cells_reviewed_pct", world.root, year)
    assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]) == (1, 3)
    assert _names(found.counted) == ["Chi bộ A"]
    assert _names(found.out_of) == ["Chi bộ A", "Chi bộ B", "Chi bộ C"]
    assert f"01/02/{year}" in found.counted[0].note
    not_reviewed = next(e for e in found.out_of if e.name == "Chi bộ B")
    assert not_reviewed.note and f"01/02/{year}" not in not_reviewed.note


@pytest.mark.parametrize("key", KEYS)
def test_a_detail_costs_as_many_queries_for_one_cell_as_for_several(world, year, items, key):
    for cell in (world.cell_a, world.cell_b, world.cell_c):
        _review(world, cell, date(year, 3, 1))
    counts = []
    for org in (world.partial, world.root):  # one cell (C); three cells
        with CaptureQueriesContext(connection) as queries:
            found = _detail(key, org, year)
        assert found.counted
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2
