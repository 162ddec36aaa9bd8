"""Each classification figure explains itself: the members or cells behind it, on the small world of
test_metrics.py (its `rated` fixture: the campaign reviews this year, everything decided today)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year

from . import test_metrics
from .factories import this_year

pytestmark = pytest.mark.django_db
rated = test_metrics.rated  # the fixture, shared

KEYS = [k for k in metrics.CATALOGUE if k.startswith("classification.")]
A = [f"Đảng viên CB-A {i:02d}" for i in range(1, 8)]
B1, C1 = "Đảng viên CB-B 01", "Đảng viên CB-C 01"
RATED = [*A, B1, C1]


def _ctx(org, as_of=None) -> MetricContext:
    year = Year(this_year())
    return MetricContext(org.path, year, as_of or year.default_as_of(timezone.localdate()))


def _names(entries) -> list[str]:
    """The entries' names, sorted here: the detail's own order (cell, then the Vietnamese name order,
    given name first) is not what these numbered test names show."""
    return sorted(entry.name for entry in entries)


def _check_against_figure(key: str, ctx: MetricContext) -> metrics.Detail:
    """The detail of `key` has as many entries as its figure: the count, or the ratio's parts."""
    figure = metrics.get(key).compute(ctx)
    found = metrics.detail(key, ctx)
    if "numerator" in figure:
        assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]), key
    else:
        assert found.out_of is None and len(found.counted) == figure["value"], key
    return found


def test_every_classification_key_lists_as_many_entries_as_its_figure(world, rated):
    for org in (world.root, world.cell_a, world.partial):
        ctx = _ctx(org)
        for key in KEYS:
            _check_against_figure(key, ctx)


def test_the_members_behind_each_rating_and_ratio(world, rated):
    ctx = _ctx(world.root)
    counted = {key: _names(_check_against_figure(key, ctx).counted) for key in KEYS}
    assert counted["classification.members.excellent"] == [A[0]]
    # The member who left after the decision (A 07) is listed at the cell that rated them.
    assert counted["classification.members.good"] == [A[1], A[2], A[3], A[6], B1, C1]
    assert counted["classification.members.completed"] == [A[4]]
    assert counted["classification.members.not_completed"] == [A[5]]
    assert counted["classification.members.not_reviewed"] == [
        "Mới Kết Nạp",
        "Được Miễn",
    ]  # sorted by code point: Đ after M
    assert counted["classification.members.good_or_above_pct"] == [*A[:4], A[6], B1, C1]
    assert counted["classification.members.completed_or_above_pct"] == [*A[:5], A[6], B1, C1]
    good_pct = metrics.detail("classification.members.good_pct", ctx)
    assert _names(good_pct.out_of) == RATED  # C 02, only self-assessed, is in no bucket


def test_a_member_entry_names_the_cell_the_rating_and_the_record(world, rated):
    with translation.override("en"):
        found = metrics.detail("classification.members.excellent", _ctx(world.root)).counted[0]
        excluded = metrics.detail("classification.members.not_reviewed", _ctx(world.partial)).counted
    assert (found.kind, found.cell, found.path) == ("member", "Chi bộ A", world.cell_a.path)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert found.note == f"Final rating: Excellent (completed tasks excellently), decided on {today}"
    assert found.url.startswith("/") and found.url.endswith("/")
    assert sorted((e.name, e.cell, e.note) for e in excluded) == [
        ("Mới Kết Nạp", "Chi bộ C", "Admitted less than 6 months before the review"),
        ("Được Miễn", "Chi bộ C", "Exempt from Party work and meetings"),
    ]


def test_the_cells_behind_each_rating_and_ratio(world, rated):
    ctx = _ctx(world.root)
    counted = {key: _names(_check_against_figure(key, ctx).counted) for key in KEYS}
    assert counted["classification.cells.excellent"] == []
    assert counted["classification.cells.good"] == ["Chi bộ A"]
    assert counted["classification.cells.completed"] == ["Chi bộ B"]
    assert counted["classification.cells.not_completed"] == ["Chi bộ CB-E"]
    # C is unrated (a member not decided); D, dissolved last year, is not listed.
    assert counted["classification.cells.unrated"] == ["Chi bộ C"]
    assert counted["classification.cells.completed_or_above_pct"] == ["Chi bộ A", "Chi bộ B"]
    whole = metrics.detail("classification.cells.good_pct", ctx).out_of
    assert _names(whole) == ["Chi bộ A", "Chi bộ B", "Chi bộ CB-E"]
    assert {(e.kind, e.cell, e.path) for e in whole[:1]} == {("cell", "", world.cell_a.path)}


def test_a_rating_decided_after_the_as_of_date_is_not_listed(world, rated):
    ctx = _ctx(world.root, timezone.localdate() - timedelta(days=1))
    assert metrics.detail("classification.members.good", ctx).counted == []
    assert _names(metrics.detail("classification.cells.unrated", ctx).counted) == [
        "Chi bộ A",
        "Chi bộ B",
        "Chi bộ C",
        "Chi bộ CB-E",
    ]


def _queries(org) -> int:
    ctx = _ctx(org)  # a fresh context: nothing read yet
    with CaptureQueriesContext(connection) as queries:
        for key in KEYS:
            metrics.detail(key, ctx)
    return len(queries)


def test_the_details_take_as_many_queries_for_one_cell_as_for_several(world, rated):
    """The partial committee holds one cell (C), the root four; both have members not reviewed."""
    # Ratings, campaigns, the campaign's roster, cells; the names of those not reviewed and their cells.
    assert _queries(world.partial) == _queries(world.root) == 6
