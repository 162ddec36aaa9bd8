"""The programme's section on an organisation's page: the year's items, the open and overdue remedial
actions, the late tasks and the proposals waiting for an answer (only what the user sees), the
regulation reviews; what the office and a cell's secretary read there, and bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.periods import today
from dangvu.programme import services
from dangvu.programme.choices import ItemState, NoteKind
from dangvu.programme.panels import programme_panel
from dangvu.testing import make_org, panel_of

from . import factories as f

pytestmark = pytest.mark.django_db


def _panel(user, org):
    return panel_of(programme_panel, user, org).context


def _page(as_user, user, code: str) -> str:
    return as_user(user).get(reverse("organization:detail", args=[code])).content.decode()


def _year_of_work(world, organization, cells, of=None):
    """For each cell: an item concerning it concluded with a remedial action 3 days overdue and one due
    later, a late task of the organisation's plan, a proposal 20 days old without an answer."""
    programme, plan = of or (f.programme(world, organization), f.plan(world, organization))
    for cell in cells:
        item = f.item(world, programme, subject_cell=cell)
        overdue = f.action(cell, f"Khắc phục quá hạn {cell.code}", due_in_days=-3)
        f.conclude(world, item, actions=[overdue, f.action(cell, f"Khắc phục sau {cell.code}")])
        task = f.task(
            world, plan, cells=[cell], what=f"Nhiệm vụ trễ {cell.code}", due_on=today() - timedelta(1)
        )
        f.note(
            world,
            task,
            NoteKind.PROPOSAL,
            cell=cell,
            actor=world.office,
            text=f"Kiến nghị {cell.code}",
            raised_on=today() - timedelta(days=20),
        )
    return programme, plan


def test_the_office_reads_the_whole_subtree_on_the_committees_page(as_user, world):
    programme, _plan = _year_of_work(world, world.root, [world.cell_a, world.cell_b])
    f.item(world, programme, subject_cell=world.cell_c)  # planned
    cancelled = f.item(world, programme, subject_cell=world.cell_c)
    services.item_move(
        actor=world.office, item=cancelled, to=ItemState.CANCELLED, expected_version=1, reason="Hoãn"
    )
    f.review(world, world.cell_a)
    panel = _panel(world.office, world.root)
    assert (panel["items"].planned, panel["items"].concluded, panel["items"].concluded_percent) == (3, 2, 67)
    assert panel["actions"] == {"open": 4, "overdue": 2}
    assert {a.action for a in panel["overdue_actions"]} == {
        "Khắc phục quá hạn CB-A",
        "Khắc phục quá hạn CB-B",
    }
    assert panel["late_count"] == 2 and panel["waiting_count"] == 2
    assert panel["reviewed"] == 1
    assert [c.code for c in panel["regulations"].not_reviewed] == ["CB-B", "CB-C"]
    page = _page(as_user, world.office, "DU")
    assert 'id="programme-panel"' in page
    for name in ("programme", "plans", "actions", "regulations", "regulation_create"):
        assert reverse(f"programme:{name}", args=["DU"]) in page
    assert "Nhiệm vụ trễ CB-B" in page and "Kiến nghị CB-B" in page


def test_a_secretary_sees_their_cells_actions_and_late_tasks_not_another_cells(as_user, world):
    _year_of_work(world, world.root, [world.cell_a, world.cell_b])
    panel = _panel(world.secretary_a, world.cell_a)
    # The committee's item on CB-A counts on CB-A's page (concluded today), not the one on CB-B.
    assert (panel["items"].planned, panel["items"].concluded) == (1, 1)
    assert panel["actions"] == {"open": 2, "overdue": 1}
    assert [a.action for a in panel["overdue_actions"]] == ["Khắc phục quá hạn CB-A"]
    assert [t.what for t in panel["late_tasks"]] == ["Nhiệm vụ trễ CB-A"]
    assert [n.text for n in panel["waiting_notes"]] == ["Kiến nghị CB-A"]
    assert panel["regulations"].rows[0].cell == world.cell_a and panel["reviewed"] == 0
    page = _page(as_user, world.secretary_a, "CB-A")
    assert "Nhiệm vụ trễ CB-A" in page and "Khắc phục quá hạn CB-A" in page and "Kiến nghị CB-A" in page
    assert "CB-B" not in page.split('id="programme-panel"')[1]
    assert reverse("programme:regulation_create", args=["CB-A"]) in page  # the chi ủy records its own
    assert 'id="programme-regulations"' in page


def test_a_cells_review_shows_on_its_page(world):
    assert _panel(world.secretary_a, world.cell_a)["reviewed"] == 0
    f.review(world, world.cell_a)
    assert _panel(world.secretary_a, world.cell_a)["reviewed"] == 1


def test_the_leader_reads_the_section_without_the_recording_link(as_user, world):
    page = _page(as_user, world.leader, "DU")
    assert 'id="programme-panel"' in page
    assert reverse("programme:regulations", args=["DU"]) in page
    assert reverse("programme:regulation_create", args=["DU"]) not in page


def test_an_answered_proposal_and_a_done_task_are_no_longer_waiting(world):
    _programme, plan = _year_of_work(world, world.root, [world.cell_a])
    task = plan.tasks.get()
    services.note_answer(actor=world.office, note=task.notes.get(), expected_version=1, answer="Đã cấp")
    services.task_done(
        actor=world.office, task=task, expected_version=task.version, done_on=today(), evidence="Xong"
    )
    panel = _panel(world.office, world.root)
    assert (panel["late_count"], panel["waiting_count"]) == (0, 0)


def test_the_section_costs_the_same_queries_for_one_cell_and_for_twenty(as_user, world):
    work = _year_of_work(world, world.partial, [world.cell_c])
    f.review(world, world.cell_c)
    panel_of(programme_panel, world.office, world.partial)
    client = as_user(world.office)
    client.get(reverse("organization:detail", args=["DBBP"]))
    with CaptureQueriesContext(connection) as one:
        panel_of(programme_panel, world.office, world.partial)
    with CaptureQueriesContext(connection) as page_one:
        client.get(reverse("organization:detail", args=["DBBP"]))
    cells = [make_org(world.admin, f"CB-Q{n:02}", parent=world.partial) for n in range(19)]
    _year_of_work(world, world.partial, cells, of=work)
    for cell in cells:
        f.review(world, cell)
    with CaptureQueriesContext(connection) as many:
        panel = panel_of(programme_panel, world.office, world.partial).context
    with CaptureQueriesContext(connection) as page_many:
        client.get(reverse("organization:detail", args=["DBBP"]))
    assert panel["late_count"] == 20 and panel["waiting_count"] == 20 and panel["reviewed"] == 20
    assert len(panel["late_tasks"]) == len(panel["overdue_actions"]) == 5
    assert len(many) == len(one)
    assert len(page_many) == len(page_one)
