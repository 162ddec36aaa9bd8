"""The classification keys of shared/spec/metrics.md, with its settled readings, on a small world
counted by hand. Every date is relative to today: the campaign reviews this year."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.classification import services
from dangvu.classification.choices import Level
from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member, make_org

from .factories import SCORES, decide_all, make_members, open_campaign, propose_all, this_year

pytestmark = pytest.mark.django_db
E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED


def _figures(org, year=None, as_of=None) -> dict:
    """The classification keys for the organisation's subtree: counts as numbers, ratios as
    (numerator, denominator, value)."""
    year = year or this_year()
    ctx = MetricContext(org.path, Year(year), as_of or Year(year).default_as_of(timezone.localdate()))
    found = {}
    for metric in metrics.implemented():
        if metric.key.startswith("classification."):
            value = metric.compute(ctx)
            key = metric.key.removeprefix("classification.")
            found[key] = value["value"] if metric.kind == metrics.COUNT else tuple(value.values())
    return found


def _members(figures: dict) -> tuple:
    return tuple(figures[f"members.{b}"] for b in ("excellent", "good", "completed", "not_completed"))


def _cells(figures: dict) -> tuple:
    return tuple(
        figures[f"cells.{b}"] for b in ("excellent", "good", "completed", "not_completed", "unrated")
    )


def _rate_cell(world, campaign, cell, level):
    rating = services.cell_self_assess(
        actor=world.office, campaign=campaign, cell=cell, score=SCORES[level], level=level
    )
    return services.cell_decide(
        actor=world.office, rating=rating, level=level, expected_version=rating.version
    )


@pytest.fixture
def rated(world):
    """This year's campaign on DU, review date today, everything decided today:
    - CB-A: 1 excellent, 3 good, 1 completed, 1 not completed, and 1 good who has left since;
    - CB-B: 1 good; CB-C (under the partial committee P): 1 good, 1 self-assessed only (no bucket),
      1 admitted two months ago and 1 exempt (not reviewed);
    cells: CB-A good, CB-B completed, CB-E (no members) not completed, CB-C unrated (a member is
    not decided), CB-D dissolved last year (not counted)."""
    today = timezone.localdate()
    make_org(world.admin, "CB-D", parent=world.root, active_to=date(today.year - 1, 6, 30))
    cell_e = make_org(world.admin, "CB-E", parent=world.root)
    a = make_members(world, world.cell_a, 7)
    make_members(world, world.cell_b, 1)
    c = make_members(world, world.cell_c, 2)
    make_member(
        world.admin,
        world.cell_c,
        "Mới Kết Nạp",
        decision=today - timedelta(days=62),
        ceremony=today - timedelta(days=50),
        recognition=None,
    )
    exempt = make_member(world.admin, world.cell_c, "Được Miễn")
    member_services.event_add(
        actor=world.admin, member=exempt, kind=EventKind.EXEMPTION, date=date(2020, 1, 1)
    )
    campaign = open_campaign(world, review_date=today)
    ratings = propose_all(
        world, campaign, world.cell_a, {a[0]: E, a[1]: G, a[2]: G, a[3]: G, a[4]: C, a[5]: N, a[6]: G}
    )
    ratings += propose_all(world, campaign, world.cell_b, G)
    ratings += propose_all(world, campaign, world.cell_c, {c[0]: G})
    decide_all(world, campaign, ratings)
    services.member_self_assess(actor=world.office, campaign=campaign, member=c[1], score=SCORES[G], level=G)
    member_services.event_add(
        actor=world.admin,
        member=a[6],
        kind=EventKind.TRANSFER_OUT,
        date=today,
        other_organization="Đảng bộ Bộ Khoa học và Công nghệ",
    )
    _rate_cell(world, campaign, world.cell_a, G)
    _rate_cell(world, campaign, world.cell_b, C)
    _rate_cell(world, campaign, cell_e, N)
    return campaign


def test_members_by_final_rating_with_the_ratios_over_those_rated(world, rated):
    figures = _figures(world.root)
    # 9 rated: a member who left after the decision still counts; the one only self-assessed does not.
    assert _members(figures) == (1, 6, 1, 1)
    assert figures["members.not_reviewed"] == 2  # admitted two months ago, and exempt
    assert figures["members.good_pct"] == (6, 9, 66.7)
    assert figures["members.good_or_above_pct"] == (7, 9, 77.8)
    assert figures["members.completed_or_above_pct"] == (8, 9, 88.9)


def test_a_subtree_counts_the_ratings_its_cells_recorded(world, rated):
    cell_a = _figures(world.cell_a)
    assert _members(cell_a) == (1, 4, 1, 1)  # the member who left is counted at the cell they left
    assert cell_a["members.not_reviewed"] == 0
    partial = _figures(world.partial)
    assert _members(partial) == (0, 1, 0, 0)
    assert partial["members.not_reviewed"] == 2  # judged by the committee's campaign above P
    assert partial["members.good_pct"] == (1, 1, 100.0)


def test_cells_by_final_rating_and_the_unrated(world, rated):
    figures = _figures(world.root)
    # A good, B completed, E not completed; C unrated; D dissolved before the year: not counted.
    assert _cells(figures) == (0, 1, 1, 1, 1)
    assert figures["cells.good_pct"] == (1, 3, 33.3)
    assert figures["cells.completed_or_above_pct"] == (2, 3, 66.7)
    assert _cells(_figures(world.partial)) == (0, 0, 0, 0, 1)


def test_a_rating_decided_after_the_as_of_date_is_not_counted(world, rated):
    today = timezone.localdate()
    before = _figures(world.root, this_year(), today - timedelta(days=1))
    assert _members(before) == (0, 0, 0, 0) and before["members.good_pct"] == (0, 0, None)
    assert _cells(before) == (0, 0, 0, 0, 4)  # every cell active in the year, none rated yet
    assert _members(_figures(world.root, this_year(), today)) == (1, 6, 1, 1)


def test_last_years_review_decided_this_year_counts_only_as_of_today(world):
    """A past year's ratings decided late (in January, say) are not the year's figures as they
    stood on 31/12; they are as of the day they were decided."""
    year = this_year() - 1
    campaign = services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=year,
        start=date(year, 12, 1),
        end=date(year, 12, 31),
        notify=False,
    )
    make_members(world, world.cell_b, 1)
    decide_all(world, campaign, propose_all(world, campaign, world.cell_b, G))
    assert _members(_figures(world.root, year)) == (0, 0, 0, 0)
    assert _members(_figures(world.root, year, timezone.localdate())) == (0, 1, 0, 0)
    assert _members(_figures(world.root)) == (0, 0, 0, 0)  # not this year's


def test_no_campaign_no_members_counted_and_every_active_cell_unrated(world):
    make_members(world, world.cell_a, 2)
    figures = _figures(world.root)
    assert _members(figures) == (0, 0, 0, 0) and figures["members.not_reviewed"] == 0
    assert _cells(figures) == (0, 0, 0, 0, 3)


def test_the_articles_figures_46_of_59_cells_good_78_percent_6_excellent(world):
    """ "100% of cells completed their tasks or better, 46 cells good (78%), 6 excellent"; the
    figures of a large subtree take as many queries as those of a small one."""
    campaign = open_campaign(world)
    small = _queries(world.root)
    extra = [make_org(world.admin, f"CB-{n:02d}", parent=world.root) for n in range(56)]
    cells = [world.cell_a, world.cell_b, world.cell_c, *extra]
    for cell in cells[:46]:
        _rate_cell(world, campaign, cell, G)
    for cell in cells[46:52]:  # the cap: 20% of 46 rated good allows 9
        _rate_cell(world, campaign, cell, E)
    for cell in cells[52:]:
        _rate_cell(world, campaign, cell, C)
    figures = _figures(world.root)
    assert _cells(figures) == (6, 46, 7, 0, 0)
    assert figures["cells.good_pct"] == (46, 59, 78.0)
    assert figures["cells.good_or_above_pct"] == (52, 59, 88.1)
    assert figures["cells.completed_or_above_pct"] == (59, 59, 100.0)
    assert _queries(world.root) == small


def _queries(org) -> int:
    with CaptureQueriesContext(connection) as queries:
        _figures(org)
    return len(queries)


def test_the_figures_of_one_context_are_read_once(world, rated):
    """The annual document asks every key with one context: the classification keys share their
    reads (one for the cells, one for the ratings, one for the campaigns, one per campaign)."""
    assert _queries(world.root) == 4


def test_the_annual_document_lists_every_classification_key(world, rated):
    document = metrics.annual_document(
        organization=world.root, year=this_year(), as_of=None, on=timezone.localdate()
    )
    keys = [k for k in metrics.CATALOGUE if k.startswith("classification.")]
    assert len(keys) == 16 and all(k in document["metrics"] for k in keys)
    assert document["metrics"]["classification.members.excellent"] == {"value": 1}
    assert document["metrics"]["classification.cells.good_pct"] == {
        "numerator": 1,
        "denominator": 3,
        "value": 33.3,
    }
