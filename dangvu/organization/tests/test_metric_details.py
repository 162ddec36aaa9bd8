"""cells.total and committee.part_time_pct explain themselves (issue 11): the cells and the
committee members behind them, from the same querysets, in one query whatever the subtree's size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.organization.choices import SeatRole
from dangvu.testing import make_org, make_person, make_seat

pytestmark = pytest.mark.django_db
KEYS = ("cells.total", "committee.part_time_pct")


def _ctx(org, year: int, as_of: date | None = None) -> MetricContext:
    return MetricContext(org.path, Year(year), as_of or date(year, 12, 31))


def test_the_cells_active_in_the_year(world):
    make_org(world.admin, "CB-NEW", parent=world.root, active_from=date(2024, 12, 31), name="Chi bộ Mới")
    make_org(world.admin, "CB-OLD", parent=world.partial, active_to=date(2023, 12, 31), name="Chi bộ Cũ")
    ctx = _ctx(world.root, 2024)
    found = metrics.detail("cells.total", ctx)
    assert found.out_of is None and len(found.counted) == metrics.get("cells.total").compute(ctx)["value"]
    assert [(e.name, e.kind) for e in found.counted] == [
        ("Chi bộ A", "cell"),
        ("Chi bộ B", "cell"),
        ("Chi bộ C", "cell"),
        ("Chi bộ Mới", "cell"),
    ]
    assert found.counted[0].path == world.cell_a.path and found.counted[0].url == "/to-chuc/CB-A/"
    assert [
        e.name for e in metrics.detail("cells.total", _ctx(world.root, 2024, date(2024, 8, 31))).counted
    ] == [
        "Chi bộ A",
        "Chi bộ B",
        "Chi bộ C",
    ]


def test_part_time_committee_members_each_once(world):
    # The secretary of cell A also holds a full-time seat on the root committee: not part-time.
    make_seat(
        world.admin, world.secretary_a_person, world.root, role=SeatRole.COMMITTEE_MEMBER, part_time=False
    )
    for i in range(3):
        person = make_person(world.admin, world.cell_b, f"Lê Văn Số {i}")
        make_seat(
            world.admin,
            person,
            world.cell_b,
            role=SeatRole.SECRETARY if i == 0 else SeatRole.COMMITTEE_MEMBER,
        )
    ctx = _ctx(world.root, 2025)
    figure = metrics.get("committee.part_time_pct").compute(ctx)
    with translation.override("en"):
        found = metrics.detail("committee.part_time_pct", ctx)
    assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]) == (3, 4)
    assert sorted((e.name, e.cell, e.note) for e in found.out_of) == [
        ("Lê Văn Số 0", "Chi bộ B", "part-time in every committee seat"),
        ("Lê Văn Số 1", "Chi bộ B", "part-time in every committee seat"),
        ("Lê Văn Số 2", "Chi bộ B", "part-time in every committee seat"),
        ("Nguyễn Văn Bí Thư", "Chi bộ A", "full-time in a committee seat"),
    ]
    assert sorted(e.name for e in found.counted) == ["Lê Văn Số 0", "Lê Văn Số 1", "Lê Văn Số 2"]
    # Within cell A alone, the secretary's only seat there is part-time.
    cell_a = metrics.detail("committee.part_time_pct", _ctx(world.cell_a, 2025))
    assert [e.name for e in cell_a.counted] == [e.name for e in cell_a.out_of] == ["Nguyễn Văn Bí Thư"]


def _queries(ctx: MetricContext) -> dict[str, int]:
    counts = {}
    for key in KEYS:
        with CaptureQueriesContext(connection) as captured:
            metrics.detail(key, ctx)
        counts[key] = len(captured)
    return counts


def test_details_cost_one_query_for_one_cell_and_for_many(world):
    one = _queries(_ctx(world.cell_a, 2025))
    for i in range(4):
        cell = make_org(world.admin, f"CB-N{i}", parent=world.partial)
        make_seat(world.admin, make_person(world.admin, cell, f"Bí Thư {i}"), cell, part_time=i % 2 == 0)
    many = _queries(_ctx(world.root, 2025))
    assert len(metrics.detail("committee.part_time_pct", _ctx(world.root, 2025)).out_of) == 5
    assert many == one == {"cells.total": 1, "committee.part_time_pct": 1}
