"""Member development's section on an organisation's page: the candidates on their way by step, this
year's pool and those admitted, the steps overdue and the probations ending within 30 days, only
those the user sees; bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import metrics
from dangvu.core.periods import today
from dangvu.development import rules, services
from dangvu.development.choices import Step
from dangvu.development.panels import development_panel
from dangvu.members.rules import add_months
from dangvu.testing import make_org, panel_of

from . import factories as f

pytestmark = pytest.mark.django_db


def _panel(user, org):
    return panel_of(development_panel, user, org).context


def _page(as_user, user, code: str) -> str:
    return as_user(user).get(reverse("organization:detail", args=[code])).content.decode()


def _soon() -> f.Way:
    """A way whose 12 months of probation end in 10 days."""
    ceremony = add_months(today() + timedelta(days=10), -12)
    return f.way(recognised=ceremony + timedelta(days=400))


def _awaiting_decision(world, cell, name: str):
    """A candidate whose committee resolved over a year ago: the decision is overdue."""
    return f.advance(world, f.candidate(world, cell, name), Step.COMMITTEE_VOTE)


@pytest.fixture
def pipeline(world):
    at = _soon()
    found = {
        "overdue_a": _awaiting_decision(world, world.cell_a, "Nguyễn Văn An"),
        "overdue_b": _awaiting_decision(world, world.cell_b, "Trần Thị Bình"),
        "ending": f.advance(
            world, f.candidate(world, world.cell_a, "Lê Văn Cường", at=at), Step.NEW_MEMBER_CLASS, at
        ),
        "listed": f.candidate(world, world.cell_a, "Phạm Thị Dung"),
        "done": f.advance(world, f.candidate(world, world.cell_b, "Võ Văn Em"), Step.RECOGNISED),
    }
    return found


def test_the_office_reads_every_cells_candidates_on_the_committees_page(as_user, world, pipeline):
    panel = _panel(world.office, world.root)
    assert panel["on_their_way"] == 4  # the member recognised is no longer on their way
    assert dict(panel["steps"]) == {
        Step(Step.SYMPATHISER).label: 1,
        Step(Step.COMMITTEE_VOTE).label: 2,
        Step(Step.NEW_MEMBER_CLASS).label: 1,
    }
    assert [line.candidate.full_name for line in panel["overdue"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert {line.step for line in panel["overdue"]} == {Step.DECISION}
    assert panel["overdue_count"] == 2
    ending = pipeline["ending"]
    ceremony = ending.steps.get(step=Step.CEREMONY).date
    assert [(line.candidate, line.on) for line in panel["ending"]] == [
        (ending, rules.probation_end(ceremony))
    ]
    # This year's pool as the metric counts it: the two awaiting their decision (certificates still
    # valid); the one admitted last year and the listed one without a certificate are not in it.
    figures = metrics.annual_document(organization=world.root, year=today().year, as_of=None, on=today())
    pool = figures["metrics"]["development.pool"]["value"]
    admitted = figures["metrics"]["development.admitted_from_pool"]["numerator"]
    assert (panel["pool"].pool, panel["pool"].admitted) == (pool, admitted)
    assert pool >= 2
    page = _page(as_user, world.office, "DU")
    assert 'id="development-panel"' in page
    assert reverse("development:candidates", args=["DU"]) in page
    assert pipeline["overdue_b"].get_absolute_url() in page and ending.get_absolute_url() in page
    # The office lists candidates for any cell from the committee's page (it chooses the cell).
    assert reverse("development:candidate_create", args=["DU"]) in page


def test_a_secretary_sees_only_their_cells_candidates(as_user, world, pipeline):
    panel = _panel(world.secretary_a, world.cell_a)
    assert panel["on_their_way"] == 3
    assert [line.candidate.full_name for line in panel["overdue"]] == ["Nguyễn Văn An"]
    assert panel["pool"].pool == 1  # CB-A's candidate awaiting the decision
    assert panel["can_keep"]
    page = _page(as_user, world.secretary_a, "CB-A")
    section = page.split('id="development-panel"')[1]
    assert "Nguyễn Văn An" in section and "Lê Văn Cường" in section
    assert "Trần Thị Bình" not in section and "Võ Văn Em" not in page
    assert reverse("development:candidate_create", args=["CB-A"]) in section
    # The whole committee read with the secretary's scope is still only their cell.
    assert _panel(world.secretary_a, world.root)["on_their_way"] == 3


def test_the_leader_reads_the_section_without_the_listing_link(as_user, world, pipeline):
    page = _page(as_user, world.leader, "CB-A")
    section = page.split('id="development-panel"')[1]
    assert "Nguyễn Văn An" in section
    assert reverse("development:candidate_create", args=["CB-A"]) not in section


def test_a_removed_candidate_leaves_the_lists_but_not_the_years_pool(world, pipeline):
    before = _panel(world.office, world.root)
    candidate = pipeline["overdue_a"]
    services.step_record(
        actor=world.office,
        candidate=candidate,
        expected_version=candidate.version,
        step=Step.REMOVED,
        on=today(),
    )
    after = _panel(world.office, world.root)
    assert after["on_their_way"] == before["on_their_way"] - 1
    assert [line.candidate.full_name for line in after["overdue"]] == ["Trần Thị Bình"]
    assert after["pool"].pool == before["pool"].pool


def test_an_empty_cell_says_so(as_user, world):
    panel = _panel(world.secretary_a, world.cell_a)
    assert (panel["on_their_way"], panel["pool"].pool, panel["overdue_count"]) == (0, 0, 0)
    assert panel["pool"].admitted_percent is None
    assert 'id="development-panel"' in _page(as_user, world.secretary_a, "CB-A")


def test_the_section_costs_the_same_queries_for_one_candidate_and_for_twenty(as_user, world):
    _awaiting_decision(world, world.cell_c, "Nguyễn Văn Một")
    client = as_user(world.office)
    panel_of(development_panel, world.office, world.partial)
    client.get(reverse("organization:detail", args=["DBBP"]))
    with CaptureQueriesContext(connection) as one:
        panel_of(development_panel, world.office, world.partial)
    with CaptureQueriesContext(connection) as page_one:
        client.get(reverse("organization:detail", args=["DBBP"]))
    cells = [make_org(world.admin, f"CB-Q{n:02}", parent=world.partial) for n in range(19)]
    for number, cell in enumerate(cells):
        candidate = _awaiting_decision(world, cell, f"Trần Văn Số {number:02}")
        if number % 2:
            f.advance(world, candidate, Step.DECISION)
    with CaptureQueriesContext(connection) as many:
        panel = panel_of(development_panel, world.office, world.partial).context
    with CaptureQueriesContext(connection) as page_many:
        client.get(reverse("organization:detail", args=["DBBP"]))
    assert panel["on_their_way"] == 20 and panel["overdue_count"] == 20
    assert len(panel["overdue"]) == 5
    assert len(many) == len(one)
    assert len(page_many) == len(page_one)
