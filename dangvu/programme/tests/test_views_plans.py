"""Pages of the action plans: who sees and who writes what (allowed and denied, with the world's
personas), the cells' notes and the organisation's answers, refusals shown with nothing written, a
stale form refused, and bounded queries on the list and on a plan."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.periods import today
from dangvu.meetings.tests.factories import set_document
from dangvu.programme.choices import NoteKind, TaskState
from dangvu.programme.models import ActionPlan, Note, Task

from . import factories as f

pytestmark = pytest.mark.django_db


def _plan_for_a(world, **extra):
    """A plan of the committee with one task given to cells A and B."""
    plan = f.plan(world, **extra)
    task = f.task(world, plan, cells=[world.cell_a, world.cell_b])
    return plan, task


def _plan_for_b(world):
    plan = f.plan(world, title="Kế hoạch chỉ cho chi bộ B")
    return plan, f.task(world, plan, cells=[world.cell_b])


def _day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


# ------------------------------------------------------------------------------------- the list


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_sees_the_list(as_user, world, persona, code, status):
    response = as_user(getattr(world, persona)).get(reverse("programme:plans", args=[code]))
    assert response.status_code == status


def test_the_cell_sees_the_committees_plans_that_give_it_work_and_no_other(as_user, world):
    given, _task = _plan_for_a(world, title="Kế hoạch giao chi bộ A")
    _plan_for_b(world)
    response = as_user(world.secretary_a).get(reverse("programme:plans", args=["CB-A"]))
    assert [p.pk for p in response.context["plans"]] == [given.pk]
    assert "Kế hoạch chỉ cho chi bộ B" not in response.content.decode()


def test_the_list_counts_open_done_late_tasks_and_proposals_waiting(as_user, world):
    plan, task = _plan_for_a(world)
    f.task(world, plan, cells=[world.cell_a], due_on=today() - timedelta(days=5))  # late
    done = f.task(world, plan, what="Tổ chức hội nghị")
    from dangvu.programme import services

    services.task_done(
        actor=world.office, task=done, expected_version=done.version, done_on=today(), evidence="Biên bản"
    )
    f.note(world, task, kind=NoteKind.PROPOSAL)
    f.note(world, task, kind=NoteKind.PROGRESS, text="Đã quán triệt")
    f.note(world, task, kind=NoteKind.DIFFICULTY, cell=world.cell_b, actor=world.office)
    response = as_user(world.office).get(reverse("programme:plans", args=["DU"]))
    [row] = response.context["plans"]
    assert (row.open_tasks, row.done_tasks, row.late_tasks, row.waiting_notes) == (2, 1, 1, 2)
    # CB-A's secretary counts what they see of it: the tasks given to CB-A and CB-A's notes.
    response = as_user(world.secretary_a).get(reverse("programme:plans", args=["CB-A"]))
    [row] = response.context["plans"]
    assert (row.open_tasks, row.done_tasks, row.late_tasks, row.waiting_notes) == (2, 0, 1, 1)


def test_the_list_filters_by_the_year_of_adoption(as_user, world):
    last_year = f.plan(world, title="Năm trước", adopted_on=date(today().year - 1, 6, 1))
    this_year = f.plan(world, title="Năm nay", adopted_on=today())
    url = reverse("programme:plans", args=["DU"])
    client = as_user(world.office)
    assert {p.pk for p in client.get(url).context["plans"]} == {last_year.pk, this_year.pk}
    older = client.get(url, {"nam": today().year - 1})
    assert [p.pk for p in older.context["plans"]] == [last_year.pk]
    for bad in ("abc", "-1", "99999", "2024'"):
        response = client.get(url, {"nam": bad})
        assert response.status_code == 200 and len(response.context["plans"]) == 2


def test_only_who_plans_is_offered_to_set_a_plan(as_user, world):
    create = reverse("programme:plan_create", args=["DU"])
    assert create in as_user(world.office).get(reverse("programme:plans", args=["DU"])).content.decode()
    assert create not in as_user(world.leader).get(reverse("programme:plans", args=["DU"])).content.decode()
    page = as_user(world.secretary_a).get(reverse("programme:plans", args=["CB-A"])).content.decode()
    assert reverse("programme:plan_create", args=["CB-A"]) in page  # the cell's own plans


def test_the_list_costs_the_same_queries_for_one_plan_and_for_twenty(as_user, world):
    document = set_document(world)
    plan, task = _plan_for_a(world, document=document)
    f.note(world, task)
    client = as_user(world.office)
    url = reverse("programme:plans", args=["DU"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        other, other_task = _plan_for_a(world, title=f"Kế hoạch {n}", document=document)
        f.task(world, other, cells=[world.cell_b])
        f.note(world, other_task)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["plans"]) == 20
    assert len(many) == len(one)


# ------------------------------------------------------------------------------- a new plan


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_may_set_a_plan(as_user, world, persona, code, status):
    response = as_user(getattr(world, persona)).get(reverse("programme:plan_create", args=[code]))
    assert response.status_code == status


def test_the_office_sets_a_plan_carrying_out_a_document(as_user, world):
    document = set_document(world)
    url = reverse("programme:plan_create", args=["DU"])
    client = as_user(world.office)
    assert client.get(url).context["form"].initial["adopted_on"] == today()
    data = {"title": "Kế hoạch thực hiện NQ 57", "number": "15-KH/ĐU", "adopted_on": _day(today())}
    response = client.post(url, data | {"document": document.pk})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.organization, plan.document, plan.number) == (world.root, document, "15-KH/ĐU")


def test_a_plan_refused_is_shown_on_the_form_and_nothing_is_written(as_user, world):
    other_cell_document = set_document(world, organization=world.cell_b, title="Của chi bộ B")
    client = as_user(world.secretary_a)
    url = reverse("programme:plan_create", args=["CB-A"])
    base = {"title": "Kế hoạch của chi bộ", "adopted_on": _day(today())}
    for bad in (
        {"title": " "},
        {"adopted_on": _day(today() + timedelta(days=1))},
        {"adopted_on": "31/02/2020"},
        {"document": other_cell_document.pk},  # not offered: another cell's document
        {"document": "x"},
    ):
        response = client.post(url, base | bad)
        assert response.status_code == 400, bad
    assert not ActionPlan.objects.exists()


# ---------------------------------------------------------------------------------- one plan


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("inspection", 200),
        ("secretary_a", 200),
        ("member_a", 404),
        ("stranger", 404),
    ],
)
def test_who_sees_a_plan_giving_work_to_cell_a(as_user, world, persona, status):
    plan, _task = _plan_for_a(world)
    response = as_user(getattr(world, persona)).get(plan.get_absolute_url())
    assert response.status_code == status


def test_a_secretary_does_not_see_a_plan_that_gives_their_cell_no_work(as_user, world):
    plan, _task = _plan_for_b(world)
    assert as_user(world.secretary_a).get(plan.get_absolute_url()).status_code == 404


def test_the_secretary_sees_their_cells_tasks_and_notes_and_writes_only_there(as_user, world):
    plan, task = _plan_for_a(world)
    other = f.task(world, plan, what="Việc riêng của chi bộ B", cells=[world.cell_b])
    f.note(world, task, text="Kiến nghị của chi bộ A")
    f.note(world, task, cell=world.cell_b, actor=world.office, text="Khó khăn của chi bộ B")
    response = as_user(world.secretary_a).get(plan.get_absolute_url())
    page = response.content.decode()
    # The task shared with B, with A's note only; not B's own task nor B's note.
    assert "Kiến nghị của chi bộ A" in page
    assert "Việc riêng của chi bộ B" not in page and "Khó khăn của chi bộ B" not in page
    assert reverse("programme:note_create", args=[task.pk]) in page
    assert reverse("programme:note_create", args=[other.pk]) not in page
    office = as_user(world.office).get(plan.get_absolute_url()).content.decode()
    assert "Việc riêng của chi bộ B" in office and "Khó khăn của chi bộ B" in office
    assert reverse("programme:task_create", args=[plan.pk]) not in page
    assert reverse("programme:task_edit", args=[task.pk]) not in page


def test_the_leader_reads_a_plan_without_any_button(as_user, world):
    plan, task = _plan_for_a(world)
    note = f.note(world, task)
    page = as_user(world.leader).get(plan.get_absolute_url()).content.decode()
    for url in (
        reverse("programme:task_create", args=[plan.pk]),
        reverse("programme:task_edit", args=[task.pk]),
        reverse("programme:task_done", args=[task.pk]),
        reverse("programme:note_create", args=[task.pk]),
        reverse("programme:note_answer", args=[note.pk]),
    ):
        assert url not in page
    office = as_user(world.office).get(plan.get_absolute_url()).content.decode()
    assert reverse("programme:note_answer", args=[note.pk]) in office


def test_a_late_task_and_a_proposal_waiting_are_marked(as_user, world):
    plan = f.plan(world)
    late = f.task(world, plan, cells=[world.cell_a], due_on=today() - timedelta(days=1))
    on_time = f.task(world, plan, what="Chưa đến hạn", cells=[world.cell_a])
    waiting = f.note(world, on_time, kind=NoteKind.DIFFICULTY)
    response = as_user(world.office).get(plan.get_absolute_url())
    rows = {row["task"].pk: row for row in response.context["rows"]}
    assert rows[late.pk]["late"] and not rows[on_time.pk]["late"]
    page = response.content.decode()
    assert f'class="plan-task task-late" id="task-{late.pk}"' in page
    assert f'id="note-{waiting.pk}" class="note-waiting"' in page


def test_a_plan_costs_the_same_queries_for_one_task_and_for_many(as_user, world):
    plan, task = _plan_for_a(world)
    f.note(world, task)
    client = as_user(world.secretary_a)
    client.get(plan.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        assert client.get(plan.get_absolute_url()).status_code == 200
    for n in range(6):
        more = f.task(world, plan, what=f"Nhiệm vụ {n}", cells=[world.cell_a, world.cell_b, world.cell_c])
        f.note(world, more)
        f.note(world, more, kind=NoteKind.PROGRESS, cell=world.cell_b, actor=world.office)
    with CaptureQueriesContext(connection) as many:
        response = client.get(plan.get_absolute_url())
    assert len(response.context["rows"]) == 7
    assert len(many) == len(one)


# ---------------------------------------------------------------------------------- the tasks


@pytest.mark.parametrize(("persona", "status"), [("office", 200), ("leader", 404), ("secretary_a", 404)])
def test_who_may_add_a_task(as_user, world, persona, status):
    plan, _task = _plan_for_a(world)
    response = as_user(getattr(world, persona)).get(reverse("programme:task_create", args=[plan.pk]))
    assert response.status_code == status


def test_the_office_gives_a_task_to_cells(as_user, world):
    plan = f.plan(world)
    url = reverse("programme:task_create", args=[plan.pk])
    client = as_user(world.office)
    offered = list(client.get(url).context["form"].fields["cells"].queryset)
    assert offered == [world.cell_a, world.cell_b, world.cell_c]  # by code
    due = today() + timedelta(days=20)
    data = {"what": "Quán triệt NQ", "responsible": "Ban Tuyên giáo", "due_on": _day(due)}
    response = client.post(url, data | {"cells": [world.cell_a.pk, world.cell_c.pk]})
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    task = Task.objects.get()
    assert (task.what, task.due_on, set(task.cells.all())) == (
        "Quán triệt NQ",
        due,
        {world.cell_a, world.cell_c},
    )


def test_a_task_refused_is_shown_on_the_form_and_nothing_is_written(as_user, world):
    plan = f.plan(world, adopted_on=today() - timedelta(days=10))
    url = reverse("programme:task_create", args=[plan.pk])
    client = as_user(world.office)
    for bad in (
        {"what": "  "},
        {"due_on": _day(today() - timedelta(days=11))},  # before the plan
        {"cells": [world.root.pk]},
        {"cells": ["abc"]},
        {"cells": ["9" * 25]},  # a forged id beyond the database's integers
    ):
        response = client.post(url, {"what": "Việc", "due_on": _day(today())} | bad)
        assert response.status_code == 400, bad
    assert not Task.objects.exists()


@pytest.mark.parametrize("name", ["task_edit", "task_done", "task_drop"])
@pytest.mark.parametrize(
    ("persona", "status"), [("office", 200), ("leader", 404), ("inspection", 404), ("secretary_a", 404)]
)
def test_who_may_change_a_task(as_user, world, name, persona, status):
    _plan, task = _plan_for_a(world)
    response = as_user(getattr(world, persona)).get(reverse(f"programme:{name}", args=[task.pk]))
    assert response.status_code == status


def test_the_office_changes_a_task_and_a_stale_form_is_refused(as_user, world):
    _plan, task = _plan_for_a(world)
    url = reverse("programme:task_edit", args=[task.pk])
    client = as_user(world.office)
    data = {"what": "Quán triệt và triển khai", "cells": [world.cell_a.pk], "due_on": _day(task.due_on)}
    response = client.post(url, data | {"version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.what == "Quán triệt và triển khai" and list(task.cells.all()) == [world.cell_a]
    stale = client.post(url, data | {"what": "Bản cũ", "version": task.version - 1}, follow=True)
    task.refresh_from_db()
    assert task.what == "Quán triệt và triển khai"
    assert any(m.level_tag == "error" for m in stale.context["messages"])


def test_the_office_marks_a_task_done_with_its_evidence(as_user, world):
    plan, task = _plan_for_a(world)
    url = reverse("programme:task_done", args=[task.pk])
    client = as_user(world.office)
    assert client.get(url).context["form"].initial["done_on"] == today()
    refused = client.post(url, {"done_on": _day(today()), "evidence": " ", "version": task.version})
    assert refused.status_code == 400
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    done = client.post(
        url, {"done_on": _day(today()), "evidence": "Biên bản hội nghị", "version": task.version}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.done_on, task.evidence) == (TaskState.DONE, today(), "Biên bản hội nghị")
    again = client.post(url, {"done_on": _day(today()), "evidence": "Lần nữa", "version": task.version})
    assert again.status_code == 400  # closed: the service refuses


def test_the_office_drops_a_task_with_a_reason(as_user, world):
    plan, task = _plan_for_a(world)
    url = reverse("programme:task_drop", args=[task.pk])
    client = as_user(world.office)
    assert client.post(url, {"reason": "", "version": task.version}).status_code == 400
    assert client.post(url, {"reason": "Không còn phù hợp", "version": task.version}).status_code == 302
    task.refresh_from_db()
    assert (task.state, task.drop_reason) == (TaskState.DROPPED, "Không còn phù hợp")
    assert "Không còn phù hợp" in as_user(world.leader).get(plan.get_absolute_url()).content.decode()


# ----------------------------------------------------------------------------------- the notes


def test_the_secretary_writes_a_note_for_their_cell(as_user, world):
    plan, task = _plan_for_a(world)
    url = reverse("programme:note_create", args=[task.pk])
    client = as_user(world.secretary_a)
    form = client.get(url).context["form"]
    assert [c for c, _label in form.fields["cell"].choices] == [
        world.cell_a.pk
    ]  # not cell B, on the same task
    data = {
        "cell": world.cell_a.pk,
        "kind": NoteKind.DIFFICULTY,
        "text": "Thiếu tài liệu",
        "raised_on": _day(today()),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    note = Note.objects.get()
    assert (note.cell, note.kind, note.text, note.raised_on) == (
        world.cell_a,
        "difficulty",
        "Thiếu tài liệu",
        today(),
    )


def test_the_secretary_cannot_write_for_another_cell(as_user, world):
    _plan, task = _plan_for_a(world)
    client = as_user(world.secretary_a)
    data = {"cell": world.cell_b.pk, "kind": NoteKind.PROGRESS, "text": "Đã xong", "raised_on": _day(today())}
    assert client.post(reverse("programme:note_create", args=[task.pk]), data).status_code == 400
    _plan_b, task_b = _plan_for_b(world)
    assert client.get(reverse("programme:note_create", args=[task_b.pk])).status_code == 404
    assert client.post(reverse("programme:note_create", args=[task_b.pk]), data).status_code == 404
    assert not Note.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "inspection", "member_a", "stranger"])
def test_who_reads_cannot_write_a_note(as_user, world, persona):
    _plan, task = _plan_for_a(world)
    response = as_user(getattr(world, persona)).get(reverse("programme:note_create", args=[task.pk]))
    assert response.status_code == 404


def test_a_note_refused_is_shown_on_the_form_and_nothing_is_written(as_user, world):
    plan, task = _plan_for_a(world)
    url = reverse("programme:note_create", args=[task.pk])
    client = as_user(world.secretary_a)
    base = {
        "cell": world.cell_a.pk,
        "kind": NoteKind.PROGRESS,
        "text": "Đã triển khai",
        "raised_on": _day(today()),
    }
    for bad in (
        {"text": " "},
        {"kind": "other"},
        {"raised_on": _day(today() + timedelta(days=1))},
        {"raised_on": _day(plan.adopted_on - timedelta(days=1))},
    ):
        assert client.post(url, base | bad).status_code == 400, bad
    from dangvu.programme import services

    services.task_drop(actor=world.office, task=task, expected_version=task.version, reason="Thôi")
    assert client.post(url, base).status_code == 400  # a closed task takes no note
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office", 200), ("leader", 404), ("inspection", 404), ("secretary_a", 404), ("stranger", 404)],
)
def test_who_may_answer(as_user, world, persona, status):
    _plan, task = _plan_for_a(world)
    note = f.note(world, task)
    response = as_user(getattr(world, persona)).get(reverse("programme:note_answer", args=[note.pk]))
    assert response.status_code == status


def test_a_proposal_answered_shows_the_answer_and_its_date_to_the_cell(as_user, world):
    plan, task = _plan_for_a(world)
    note = f.note(world, task, text="Đề nghị cấp tài liệu")
    url = reverse("programme:note_answer", args=[note.pk])
    response = as_user(world.office).post(url, {"answer": "Đã gửi tài liệu", "version": note.version})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.answer, note.answered_on) == ("Đã gửi tài liệu", today())
    page = as_user(world.secretary_a).get(plan.get_absolute_url()).content.decode()
    assert "Đã gửi tài liệu" in page and today().strftime("%d/%m/%Y") in page
    assert 'class="note-waiting"' not in page


def test_an_answer_refused_or_stale_changes_nothing(as_user, world):
    _plan, task = _plan_for_a(world)
    progress = f.note(world, task, kind=NoteKind.PROGRESS, text="Đã quán triệt")
    proposal = f.note(world, task)
    client = as_user(world.office)
    refused = client.post(
        reverse("programme:note_answer", args=[progress.pk]), {"answer": "Tốt", "version": 1}
    )
    assert refused.status_code == 400  # only a difficulty or a proposal is answered
    url = reverse("programme:note_answer", args=[proposal.pk])
    assert client.post(url, {"answer": " ", "version": proposal.version}).status_code == 400
    stale = client.post(url, {"answer": "Trả lời", "version": proposal.version + 1}, follow=True)
    assert any(m.level_tag == "error" for m in stale.context["messages"])
    progress.refresh_from_db()
    proposal.refresh_from_db()
    assert progress.answer == "" and proposal.answered_on is None


@pytest.mark.parametrize("persona", ["leader", "inspection", "stranger"])
def test_a_reader_s_forged_posts_are_404_and_write_nothing(as_user, world, persona):
    plan, task = _plan_for_a(world)
    note = f.note(world, task)
    client = as_user(getattr(world, persona))
    day = _day(today())
    posts = [
        (reverse("programme:plan_create", args=["DU"]), {"title": "Kế hoạch giả", "adopted_on": day}),
        (reverse("programme:task_create", args=[plan.pk]), {"what": "Việc giả", "due_on": day}),
        (reverse("programme:task_edit", args=[task.pk]), {"what": "Sửa giả", "version": task.version}),
        (reverse("programme:task_done", args=[task.pk]), {"done_on": day, "evidence": "x", "version": 1}),
        (reverse("programme:task_drop", args=[task.pk]), {"reason": "x", "version": task.version}),
        (
            reverse("programme:note_create", args=[task.pk]),
            {"cell": world.cell_a.pk, "kind": "progress", "text": "x"},
        ),
        (
            reverse("programme:note_answer", args=[note.pk]),
            {"answer": "Trả lời giả", "version": note.version},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert list(ActionPlan.objects.values_list("title", flat=True)) == [plan.title]
    assert list(Task.objects.values_list("what", "state")) == [(task.what, TaskState.OPEN)]
    assert list(Note.objects.values_list("text", "answer")) == [(note.text, "")]
