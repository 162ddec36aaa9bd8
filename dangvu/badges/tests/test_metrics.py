"""The `badges.*` keys of the metric contract on the settled reading "Badges" (metrics.md): awards
dated in the year, their money at the base salary of the award date (known amounts only), and next
year's forecast at the as-of date's money (the hand-counted fixture of test_selectors)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.badges import services
from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year, today

from . import factories
from .test_selectors import _budget_fixture

pytestmark = pytest.mark.django_db

KEYS = (
    "badges.awarded",
    "badges.reward_total_vnd",
    "badges.due_next_year",
    "badges.due_next_year_without_amount",
    "badges.reward_forecast_next_year_vnd",
)


def _figures(org, year: int, as_of: date | None = None) -> dict:
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))
    found = {m.key: m for m in metrics.implemented()}
    return {key: found[key].compute(ctx)["value"] for key in KEYS}


def test_every_key_is_registered():
    assert set(KEYS) <= {m.key for m in metrics.implemented()}


def test_the_awards_of_a_year_and_their_money(world):
    f = factories
    before = f.member(world, world.cell_a, "Trước Tháng Bảy", date(1993, 12, 1))
    after = f.member(world, world.cell_b, "Sau Tháng Bảy", date(1994, 6, 1))
    uncosted = f.member(world, world.cell_a, "Bốn Lăm Năm", date(1979, 1, 10))
    last_year = f.member(world, world.cell_a, "Năm Trước", date(1993, 1, 10))
    services.award_record(actor=world.office, member=before, years=30, awarded_on=date(2024, 1, 15))
    services.award_record(actor=world.office, member=after, years=30, awarded_on=date(2024, 8, 1))
    services.award_record(actor=world.office, member=uncosted, years=45, awarded_on=date(2024, 2, 3))
    services.award_record(actor=world.office, member=last_year, years=30, awarded_on=date(2023, 11, 7))

    root = _figures(world.root, 2024)
    assert root["badges.awarded"] == 3
    assert (
        root["badges.reward_total_vnd"] == 2_700_000 + 3_510_000
    )  # 1.5 × 1,800,000 + 1.5 × 2,340,000; 45: nothing
    cell_a = _figures(world.cell_a, 2024)
    assert (cell_a["badges.awarded"], cell_a["badges.reward_total_vnd"]) == (2, 2_700_000)
    # nothing after the as-of date is seen
    early = _figures(world.root, 2024, as_of=date(2024, 6, 30))
    assert (early["badges.awarded"], early["badges.reward_total_vnd"]) == (2, 2_700_000)
    assert _figures(world.root, 2023)["badges.reward_total_vnd"] == 1_800_000 * 3 // 2  # 07/11/2023


def test_next_years_forecast(world):
    year = today().year
    _budget_fixture(world, year)
    figures = _figures(world.root, year, as_of=today())
    assert figures["badges.due_next_year"] == 4
    assert figures["badges.due_next_year_without_amount"] == 1  # the 45-year badge
    assert figures["badges.reward_forecast_next_year_vnd"] == 3_510_000 + 4_680_000 + 7_020_000
    cell_b = _figures(world.cell_b, year, as_of=today())
    assert (cell_b["badges.due_next_year"], cell_b["badges.due_next_year_without_amount"]) == (2, 0)


def test_queries_do_not_grow_with_the_subtree(world):
    year = today().year

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _figures(world.root, year, as_of=today())
        return len(captured)

    def awarded(name: str) -> None:
        member = factories.member(world, world.cell_c, name, date(year - 31, 1, 1))
        services.award_record(actor=world.office, member=member, years=30, awarded_on=today())

    awarded("Đã Tặng 0")
    factories.reaching(world, world.cell_a, "Người 0", 30, date(year + 1, 3, 1))
    one = count()
    for i in range(1, 30):
        factories.reaching(
            world, world.cell_a if i % 2 else world.cell_c, f"Người {i}", 40, date(year + 1, 4, 1)
        )
        if i % 5 == 0:
            awarded(f"Đã Tặng {i}")
    figures = _figures(world.root, year, as_of=today())
    assert (figures["badges.due_next_year"], figures["badges.awarded"]) == (30, 6)
    assert count() == one
