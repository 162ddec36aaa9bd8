"""Each member figure explains itself (issue 11): the detail lists the members the figure counts,
from the same querysets, in a fixed number of queries whatever the subtree's size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.members import services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member, make_org

pytestmark = pytest.mark.django_db
K = EventKind
KEYS = (
    "members.total",
    "members.probationary",
    "members.exempt",
    "members.admitted",
    "members.recognised_official",
)


def _ctx(org, year: int, as_of: date | None = None) -> MetricContext:
    return MetricContext(org.path, Year(year), as_of or date(year, 12, 31))


def _detail(key: str, ctx: MetricContext) -> list[tuple[str, str]]:
    """(name, cell) of the entries, after checking they add up to the figure."""
    found = metrics.detail(key, ctx)
    assert found is not None and found.out_of is None
    assert len(found.counted) == metrics.get(key).compute(ctx)["value"]
    assert all(e.kind == "member" and e.url.startswith("/") for e in found.counted)
    return [(e.name, e.cell) for e in found.counted]


@pytest.fixture
def members(world):
    """Một (cell A, official), Hai (cell A, admitted 2024, probationary), Ba (cell B, exempt in
    2024), Sáu (admitted 2024 at cell A, recognised 2025, moved to cell C in 2025)."""
    make_member(world.office, world.cell_a, "Một")
    make_member(
        world.office,
        world.cell_a,
        "Hai",
        decision=date(2024, 5, 1),
        ceremony=date(2024, 6, 1),
        recognition=None,
    )
    old = make_member(world.office, world.cell_b, "Ba")
    services.event_add(
        actor=world.office, member=old, kind=K.EXEMPTION, date=date(2024, 1, 1), end_date=date(2024, 12, 31)
    )
    moved = make_member(
        world.office,
        world.cell_a,
        "Sáu",
        decision=date(2024, 3, 1),
        ceremony=date(2024, 3, 20),
        recognition=date(2025, 3, 25),
    )
    services.event_add(
        actor=world.office, member=moved, kind=K.CELL_TRANSFER, date=date(2025, 6, 1), cell=world.cell_c
    )
    return world


def test_every_member_key_has_a_detail():
    assert all(
        metrics.detail(key, MetricContext("/none/", Year(2024), date(2024, 12, 31))) is not None
        for key in KEYS
    )


def test_the_members_on_the_as_of_date(members):
    w = members
    ctx = _ctx(w.root, 2024)
    assert sorted(_detail("members.total", ctx)) == [
        ("Ba", "Chi bộ B"),
        ("Hai", "Chi bộ A"),
        ("Một", "Chi bộ A"),
        ("Sáu", "Chi bộ A"),
    ]
    assert sorted(_detail("members.probationary", ctx)) == [("Hai", "Chi bộ A"), ("Sáu", "Chi bộ A")]
    assert _detail("members.exempt", ctx) == [("Ba", "Chi bộ B")]
    assert _detail("members.exempt", _ctx(w.root, 2025)) == []
    # Sáu has moved to cell C by the end of 2025.
    assert sorted(_detail("members.total", _ctx(w.partial, 2025))) == [("Sáu", "Chi bộ C")]


def test_the_decisions_of_the_year_at_the_attributed_cell(members):
    w = members
    with translation.override("en"):
        found = metrics.detail("members.admitted", _ctx(w.cell_a, 2024))
    assert [(e.name, e.cell, e.path, e.note) for e in found.counted] == [
        ("Hai", "Chi bộ A", w.cell_a.path, "admission decision of 01/05/2024"),
        ("Sáu", "Chi bộ A", w.cell_a.path, "admission decision of 01/03/2024"),
    ]
    # Sáu's decisions follow him to cell C, his official cell on the as-of date.
    assert _detail("members.admitted", _ctx(w.partial, 2025)) == []
    assert _detail("members.recognised_official", _ctx(w.partial, 2025)) == [("Sáu", "Chi bộ C")]
    assert _detail("members.recognised_official", _ctx(w.cell_a, 2025)) == []
    assert _detail("members.admitted", _ctx(w.partial, 2024, date(2024, 12, 31))) == []


def _queries(ctx: MetricContext) -> dict[str, int]:
    counts = {}
    for key in KEYS:
        with CaptureQueriesContext(connection) as captured:
            metrics.detail(key, ctx)
        counts[key] = len(captured)
    return counts


def test_details_cost_the_same_queries_for_one_cell_and_for_many(members):
    w = members
    one = _queries(_ctx(w.cell_b, 2024))
    for i in range(4):
        cell = make_org(w.admin, f"CB-N{i}", parent=w.root)
        make_member(
            w.office, cell, f"Mới {i}", decision=date(2024, 2, 1), ceremony=date(2024, 3, 1), recognition=None
        )
    many = _queries(_ctx(w.root, 2024))
    assert len(metrics.detail("members.total", _ctx(w.root, 2024)).counted) == 8
    assert many == one
    assert all(n == 1 for n in one.values())
