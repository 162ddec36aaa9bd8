"""`development.pool` and `development.admitted_from_pool` explain themselves (issue 11): the
candidates behind them, from the same pool as the figure, in one query whatever the subtree's size.
The fixture is test_metrics' (last year, so every date is in the past)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year, today
from dangvu.testing import make_org

from .test_metrics import _build, _candidate

pytestmark = pytest.mark.django_db
KEYS = ("development.pool", "development.admitted_from_pool")


@pytest.fixture
def year() -> int:
    return today().year - 1


def _ctx(org, year: int, as_of: date | None = None) -> MetricContext:
    return MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))


def test_the_pool_lists_its_candidates(world, year):
    _build(world, year)
    ctx = _ctx(world.cell_a, year)
    found = metrics.detail("development.pool", ctx)
    assert found.out_of is None
    assert len(found.counted) == metrics.get("development.pool").compute(ctx)["value"]
    assert [(e.name, e.cell, e.kind) for e in found.counted] == [
        ("A Hết hạn trong năm", "Chi bộ A", "other"),
        ("D Kết nạp ngày cuối năm", "Chi bộ A", "other"),
        ("E Đưa ra khỏi danh sách", "Chi bộ A", "other"),
    ]
    assert all(e.path == world.cell_a.path and e.url for e in found.counted)
    root = metrics.detail("development.pool", _ctx(world.root, year))
    assert sorted(e.name for e in root.counted) == [
        "A Hết hạn trong năm",
        "D Kết nạp ngày cuối năm",
        "E Đưa ra khỏi danh sách",
        "G Chi bộ khác",
    ]


def test_the_admitted_of_the_pool_out_of_the_pool(world, year):
    _build(world, year)
    ctx = _ctx(world.cell_a, year)
    figure = metrics.get("development.admitted_from_pool").compute(ctx)
    with translation.override("en"):
        found = metrics.detail("development.admitted_from_pool", ctx)
    assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]) == (1, 3)
    assert [(e.name, e.note) for e in found.counted] == [
        ("D Kết nạp ngày cuối năm", f"admission decision of 31/12/{year}")
    ]
    assert [e.name for e in found.out_of] == [
        "A Hết hạn trong năm",
        "D Kết nạp ngày cuối năm",
        "E Đưa ra khỏi danh sách",
    ]
    assert found.out_of[0].note == f"awareness-class certificate of 15/03/{year - 5}"
    # Nothing after the as-of date is seen: D's decision is not yet taken at mid-year.
    mid_year = metrics.detail("development.admitted_from_pool", _ctx(world.cell_a, year, date(year, 5, 31)))
    assert (mid_year.counted, [e.name for e in mid_year.out_of]) == (
        [],
        ["A Hết hạn trong năm", "D Kết nạp ngày cuối năm"],
    )


def _queries(ctx: MetricContext) -> dict[str, int]:
    counts = {}
    for key in KEYS:
        with CaptureQueriesContext(connection) as captured:
            metrics.detail(key, ctx)
        counts[key] = len(captured)
    return counts


def test_details_cost_one_query_for_one_cell_and_for_many(world, year):
    _build(world, year)
    one = _queries(_ctx(world.cell_b, year))
    for i in range(3):
        cell = make_org(world.admin, f"CB-N{i}", parent=world.root)
        _candidate(world, f"N{i} Mới", date(year, 3, 1), cell=cell)
    many = _queries(_ctx(world.root, year))
    assert len(metrics.detail("development.pool", _ctx(world.root, year)).counted) == 7
    assert many == one == {key: 1 for key in KEYS}
