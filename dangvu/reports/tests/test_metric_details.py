"""Each report figure explains itself: the submissions due from the cells behind it, on the small
world of the metric tests in test_services.py, in a fixed past year."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.reports import services

from .factories import at, make_request, submission_of

pytestmark = pytest.mark.django_db

DUE = date(2025, 3, 25)
KEYS = ("reports.required", "reports.on_time_pct", "reports.missing")


@pytest.fixture
def due(world):
    """A monthly report due 25/03/2025 from cells A, B and C: A sent it on the day and it was accepted,
    B sent it two days late, C sent nothing; a report due in 2024 is another year's."""
    request = make_request(world, due=DUE)
    make_request(world, due=date(2024, 12, 20), title="Năm trước")
    a, b = submission_of(request, world.cell_a), submission_of(request, world.cell_b)
    services.submit(actor=world.secretary_a, submission=a, values={"f1": "1"}, now=at(DUE, 8))
    a.refresh_from_db()
    services.accept(actor=world.office, submission=a, expected_version=a.version, now=at(DUE, 9))
    services.submit(actor=world.office, submission=b, values={"f1": "1"}, now=at(DUE + timedelta(days=2)))
    return request


def _ctx(org, as_of: date = date(2025, 12, 31)) -> MetricContext:
    return MetricContext(root_path=org.path, year=Year(2025), as_of=as_of)


def _check_against_figure(key: str, ctx: MetricContext) -> metrics.Detail:
    figure = metrics.get(key).compute(ctx)
    found = metrics.detail(key, ctx)
    if "numerator" in figure:
        assert (len(found.counted), len(found.out_of)) == (figure["numerator"], figure["denominator"]), key
    else:
        assert found.out_of is None and len(found.counted) == figure["value"], key
    return found


def _cells(entries) -> list[tuple[str, str]]:
    return [(entry.name, entry.cell) for entry in entries]


def test_each_report_figure_lists_the_submissions_behind_it(world, due):
    ctx = _ctx(world.root)
    required = _check_against_figure("reports.required", ctx)
    on_time = _check_against_figure("reports.on_time_pct", ctx)
    missing = _check_against_figure("reports.missing", ctx)
    every = [("Báo cáo tháng", "Chi bộ A"), ("Báo cáo tháng", "Chi bộ B"), ("Báo cáo tháng", "Chi bộ C")]
    assert _cells(required.counted) == every  # the report of 2024 is not listed
    assert _cells(on_time.counted) == [("Báo cáo tháng", "Chi bộ A")]
    assert _cells(on_time.out_of) == every
    assert _cells(missing.counted) == [("Báo cáo tháng", "Chi bộ C")]  # B sent late, but sent


def test_an_entry_is_a_report_of_a_cell_saying_when_it_came(world, due):
    with translation.override("en"):
        entries = metrics.detail("reports.required", _ctx(world.root)).counted
    assert [entry.note for entry in entries] == [
        "Report due 25/03/2025: received on time, 25/03/2025 08:00",
        "Report due 25/03/2025: first received 27/03/2025 09:00, not accepted on time",
        "Report due 25/03/2025: nothing received",
    ]
    a = entries[0]
    assert (a.kind, a.path) == ("other", world.cell_a.path)
    assert a.url == submission_of(due, world.cell_a).get_absolute_url()


def test_as_of_the_due_date_b_had_sent_nothing_yet(world, due):
    ctx = _ctx(world.root, DUE)
    assert _cells(_check_against_figure("reports.missing", ctx).counted) == [
        ("Báo cáo tháng", "Chi bộ B"),
        ("Báo cáo tháng", "Chi bộ C"),
    ]
    # The partial committee's subtree holds only C.
    assert _cells(_check_against_figure("reports.required", _ctx(world.partial)).counted) == [
        ("Báo cáo tháng", "Chi bộ C")
    ]


def test_a_withdrawn_request_lists_nothing(world, due):
    services.request_cancel(actor=world.office, request=due, expected_version=due.version)
    assert metrics.detail("reports.required", _ctx(world.root)).counted == []


def _queries(org) -> int:
    with CaptureQueriesContext(connection) as queries:
        for key in KEYS:
            metrics.detail(key, _ctx(org))
    return len(queries)


def test_the_details_take_one_query_each_for_one_cell_as_for_several(world, due):
    assert _queries(world.partial) == _queries(world.root) == len(KEYS)
