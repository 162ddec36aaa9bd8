"""The `badges.*` and `commendations.*` figures explain themselves (issue 11): the awards, the badges
due and the commendations behind them, from the same reads as the figures, in a fixed number of
queries whatever the subtree's size. Fixtures: test_metrics' awards, test_selectors' budget,
test_commendations' register."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.badges import services
from dangvu.core import metrics
from dangvu.core.metrics import Detail, MetricContext
from dangvu.core.periods import Year, today
from dangvu.testing import make_member, make_org

from . import factories
from .test_commendations import _add
from .test_selectors import _budget_fixture

pytestmark = pytest.mark.django_db

AWARD_KEYS = ("badges.awarded", "badges.reward_total_vnd")
FORECAST_KEYS = (
    "badges.due_next_year",
    "badges.due_next_year_without_amount",
    "badges.reward_forecast_next_year_vnd",
)
COMMENDATION_KEYS = ("commendations.collective", "commendations.individual")
MONEY = {"badges.reward_total_vnd", "badges.reward_forecast_next_year_vnd"}


def _ctx(org, year: int, as_of: date | None = None) -> MetricContext:
    return MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))


def _detail(key: str, ctx: MetricContext) -> Detail:
    """The detail, after checking it adds up to the figure: its length, or its money."""
    found = metrics.detail(key, ctx)
    value = metrics.get(key).compute(ctx)["value"]
    assert found is not None and found.out_of is None
    if key in MONEY:
        assert sum(e.amount or 0 for e in found.counted) == value
    else:
        assert len(found.counted) == value
    return found


def _awards(world):
    f = factories
    before = f.member(world, world.cell_a, "Trước Tháng Bảy", date(1993, 12, 1))
    after = f.member(world, world.cell_b, "Sau Tháng Bảy", date(1994, 6, 1))
    uncosted = f.member(world, world.cell_a, "Bốn Lăm Năm", date(1979, 1, 10))
    last_year = f.member(world, world.cell_a, "Năm Trước", date(1993, 1, 10))
    services.award_record(actor=world.office, member=before, years=30, awarded_on=date(2024, 1, 15))
    services.award_record(actor=world.office, member=after, years=30, awarded_on=date(2024, 8, 1))
    services.award_record(actor=world.office, member=uncosted, years=45, awarded_on=date(2024, 2, 3))
    services.award_record(actor=world.office, member=last_year, years=30, awarded_on=date(2023, 11, 7))


def test_the_awards_of_a_year_and_their_money(world):
    _awards(world)
    ctx = _ctx(world.root, 2024)
    awarded = _detail("badges.awarded", ctx)
    assert sorted((e.name, e.cell) for e in awarded.counted) == [
        ("Bốn Lăm Năm", "Chi bộ A"),
        ("Sau Tháng Bảy", "Chi bộ B"),
        ("Trước Tháng Bảy", "Chi bộ A"),
    ]
    with translation.override("en"):
        money = _detail("badges.reward_total_vnd", ctx)
    assert sorted((e.name, e.amount, e.note) for e in money.counted) == [
        ("Bốn Lăm Năm", None, "45-year badge awarded on 03/02/2024; no coefficient set: adds nothing"),
        ("Sau Tháng Bảy", 3_510_000, "30-year badge awarded on 01/08/2024"),
        ("Trước Tháng Bảy", 2_700_000, "30-year badge awarded on 15/01/2024"),
    ]
    cell_a = _detail("badges.reward_total_vnd", _ctx(world.cell_a, 2024))
    assert sorted(e.name for e in cell_a.counted) == ["Bốn Lăm Năm", "Trước Tháng Bảy"]
    early = _detail("badges.awarded", _ctx(world.root, 2024, date(2024, 6, 30)))
    assert sorted(e.name for e in early.counted) == ["Bốn Lăm Năm", "Trước Tháng Bảy"]
    assert [e.name for e in _detail("badges.awarded", _ctx(world.root, 2023)).counted] == ["Năm Trước"]


def test_next_years_badges_and_their_money(world):
    year = today().year
    _budget_fixture(world, year)
    ctx = _ctx(world.root, year, today())
    due = _detail("badges.due_next_year", ctx)
    assert [(e.name, e.cell, e.amount) for e in due.counted] == [
        ("A Ba Mươi", "Chi bộ A", 3_510_000),
        ("B Bốn Mươi", "Chi bộ B", 4_680_000),
        ("A Bốn Lăm", "Chi bộ A", None),
        ("B Năm Mươi", "Chi bộ B", 7_020_000),
    ]
    assert [e.name for e in _detail("badges.due_next_year_without_amount", ctx).counted] == ["A Bốn Lăm"]
    with translation.override("en"):
        forecast = _detail("badges.reward_forecast_next_year_vnd", ctx)
    assert [e.amount for e in forecast.counted] == [3_510_000, 4_680_000, None, 7_020_000]
    assert forecast.counted[2].note.endswith("no coefficient set: not in the forecast")
    cell_b = _detail("badges.due_next_year", _ctx(world.cell_b, year, today()))
    assert [e.name for e in cell_b.counted] == ["B Bốn Mươi", "B Năm Mươi"]


def test_the_commendations_of_the_year(world):
    year = today().year - 1
    moved = make_member(world.admin, world.cell_a, "Người Chuyển Đi")
    stays = make_member(world.admin, world.cell_c, "Người Ở Lại")
    _add(world, decided_on=date(year, 3, 1))
    _add(world, organization=world.cell_c, decided_on=date(year, 12, 31))
    _add(world, organization=world.partial, decided_on=date(year, 5, 1))
    _add(world, organization=world.cell_b, decided_on=date(year - 1, 12, 31))  # another year
    _add(world, member=moved, decided_on=date(year, 2, 1))
    _add(world, member=stays, organization=world.cell_c, decided_on=date(year, 6, 1))
    ctx = _ctx(world.root, year)
    with translation.override("en"):
        collective = _detail("commendations.collective", ctx)
    assert sorted(e.name for e in collective.counted) == ["Chi bộ A", "Chi bộ C", "Đảng bộ bộ phận P"]
    first = next(e for e in collective.counted if e.name == "Chi bộ A")
    assert first.note.endswith(f"by Đảng ủy Thử nghiệm, 01/03/{year}") and first.url == "/to-chuc/CB-A/"
    individual = _detail("commendations.individual", ctx)
    assert sorted((e.name, e.cell) for e in individual.counted) == [
        ("Người Chuyển Đi", "Chi bộ A"),
        ("Người Ở Lại", "Chi bộ C"),
    ]
    partial = _detail("commendations.individual", _ctx(world.partial, year))
    assert [(e.name, e.path) for e in partial.counted] == [("Người Ở Lại", world.cell_c.path)]


def _queries(ctx: MetricContext, keys) -> dict[str, int]:
    counts = {}
    for key in keys:
        with CaptureQueriesContext(connection) as captured:
            metrics.detail(key, ctx)
        counts[key] = len(captured)
    return counts


def test_details_cost_the_same_queries_for_one_cell_and_for_many(world):
    year = today().year
    last = year - 1

    def grow(cell, name: str, i: int) -> None:
        factories.reaching(world, cell, f"{name} Tới", 30 + 10 * (i % 2), date(year + 1, 3, 1))
        awarded = factories.member(world, cell, f"{name} Đã Tặng", date(year - 31, 1, 1))
        services.award_record(actor=world.office, member=awarded, years=30, awarded_on=date(year, 1, 1))
        _add(world, organization=cell, decided_on=date(last, 6, 1))
        _add(world, member=awarded, organization=cell, decided_on=date(last, 6, 1))

    grow(world.cell_b, "Một", 0)
    keys = AWARD_KEYS + FORECAST_KEYS
    # Fresh contexts: the forecast keys share a budget per context, computed on first use.
    one = _queries(_ctx(world.cell_b, year, today()), keys)
    one_commendations = _queries(_ctx(world.cell_b, last), COMMENDATION_KEYS)
    for i in range(1, 5):
        grow(make_org(world.admin, f"CB-N{i}", parent=world.partial), f"Người {i}", i)
    ctx = _ctx(world.root, year, today())
    many = _queries(ctx, keys)
    assert len(_detail("badges.due_next_year", _ctx(world.root, year, today())).counted) == 5
    assert len(_detail("badges.awarded", ctx).counted) == 5
    assert len(_detail("commendations.individual", _ctx(world.root, last)).counted) == 5
    assert many == one
    assert (
        _queries(_ctx(world.root, last), COMMENDATION_KEYS)
        == one_commendations
        == {
            "commendations.collective": 1,
            "commendations.individual": 1,
        }
    )
