"""`development.pool` and `development.admitted_from_pool` on the edge cases of the settled reading
"Development" (metrics.md): a certificate expiring during the year, admitted the year before,
admitted on 31/12, removed from the list during the year (in) or before it (out), another cell's
candidates. The year is last year,
so every date is in the past whatever today is."""

from datetime import date, timedelta

import pytest

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year, today
from dangvu.development.choices import Step
from dangvu.development.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> int:
    return today().year - 1


def _way(certified: date, decided: date | None = None) -> factories.Way:
    decided = decided or certified + timedelta(days=120)
    steps = {
        Step.CLASS: certified,
        Step.PROCEDURE: decided - timedelta(days=30),
        Step.CELL_VOTE: decided - timedelta(days=20),
        Step.COMMITTEE_VOTE: decided - timedelta(days=10),
        Step.DECISION: decided,
    }
    return factories.Way(listed=certified - timedelta(days=10), steps=steps)


def _candidate(world, name: str, certified: date, decided: date | None = None, cell=None, removed=None):
    way = _way(certified, decided)
    candidate = factories.candidate(world, cell=cell, name=name, at=way)
    candidate = factories.advance(world, candidate, Step.DECISION if decided else Step.CLASS, way)
    if removed:
        from dangvu.development import services

        services.step_record(
            actor=world.office,
            candidate=candidate,
            expected_version=candidate.version,
            step=Step.REMOVED,
            on=removed,
        )
    return candidate


def _figure(key: str, org, year: int, as_of: date | None = None) -> dict:
    ctx = MetricContext(root_path=org.path, year=Year(year), as_of=as_of or date(year, 12, 31))
    return {m.key: m for m in metrics.implemented()}[key].compute(ctx)


def _build(world, year: int) -> None:
    _candidate(world, "A Hết hạn trong năm", date(year - 5, 3, 15))
    _candidate(world, "B Hết hạn năm trước", date(year - 6, 12, 31))
    _candidate(world, "C Kết nạp năm trước", date(year - 1, 3, 1), decided=date(year - 1, 12, 31))
    _candidate(world, "D Kết nạp ngày cuối năm", date(year - 1, 3, 1), decided=date(year, 12, 31))
    _candidate(world, "E Đưa ra khỏi danh sách", date(year, 6, 1), removed=date(year, 9, 1))
    _candidate(world, "H Đưa ra năm trước", date(year - 2, 6, 1), removed=date(year - 1, 9, 1))
    _candidate(world, "G Chi bộ khác", date(year, 2, 1), cell=world.cell_b)


def test_the_pool_and_the_admitted_of_a_cell(world, year):
    _build(world, year)
    assert _figure("development.pool", world.cell_a, year) == {"value": 3}  # A, D, E
    assert _figure("development.admitted_from_pool", world.cell_a, year) == {
        "numerator": 1,
        "denominator": 3,
        "value": 33.3,
    }
    assert _figure("development.pool", world.root, year) == {"value": 4}  # and G


def test_nothing_after_the_as_of_date_is_seen(world, year):
    _build(world, year)
    mid_year = date(year, 5, 31)
    assert _figure("development.pool", world.cell_a, year, mid_year) == {"value": 2}  # A, D
    assert _figure("development.admitted_from_pool", world.cell_a, year, mid_year)["numerator"] == 0


def test_each_figure_costs_one_query(world, year, django_assert_num_queries):
    _build(world, year)
    for key in ("development.pool", "development.admitted_from_pool"):
        with django_assert_num_queries(1):
            _figure(key, world.root, year)
