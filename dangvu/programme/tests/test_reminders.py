"""The programme's reminders: an overdue remedial action, a late task and an unanswered difficulty
or proposal are each told once when due, never twice, and not before. Dates relative to today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangvu.core.audit import save_audited
from dangvu.core.models import Notification
from dangvu.core.periods import today
from dangvu.programme import reminders, rules, services
from dangvu.programme.choices import ItemKind, NoteKind, Result, TaskState
from dangvu.programme.models import ActionPlan, Note, Task

pytestmark = pytest.mark.django_db


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _action(world, due_on):
    day = today()
    programme = services.programme_open(actor=world.office, organization=world.root, year=day.year)
    item = services.item_add(
        actor=world.office,
        programme=programme,
        kind=ItemKind.THEMATIC_INSPECTION,
        content="Kiểm tra chuyên đề",
        starts_on=day,
        ends_on=day,
        subject_cell=world.cell_a,
    )
    item = services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=day,
        conclusion="Còn thiếu sót",
        result=Result.SHORTCOMINGS,
        actions=[services.Action("Bổ sung sổ ghi biên bản", world.cell_a, due_on)],
    )
    return item.actions.get()


def test_an_overdue_remedial_action_is_told_to_the_cell_committee_once(world):
    action = _action(world, today() - timedelta(days=1))
    assert reminders.actions_overdue(today()) == 1
    sent = Notification.objects.get(kind="programme.action_overdue")
    assert sent.recipient == world.secretary_a and sent.key == f"programme.action_overdue.{action.pk}"
    assert reminders.actions_overdue(today()) == 0
    assert reminders.remind(timezone.now()) == 0


def test_no_reminder_for_an_action_due_today_or_done(world):
    _action(world, today())
    assert reminders.actions_overdue(today()) == 0
    late = _action_in_other_programme(world)
    services.action_done(
        actor=world.secretary_a,
        action=late,
        expected_version=late.version,
        done_on=today(),
        report="Đã bổ sung",
    )
    assert reminders.actions_overdue(today()) == 0
    assert _told("programme.action_overdue") == []


def _action_in_other_programme(world):
    day = today()
    programme = services.programme_open(actor=world.office, organization=world.cell_a, year=day.year)
    item = services.item_add(
        actor=world.office,
        programme=programme,
        kind=ItemKind.THEMATIC_SUPERVISION,
        content="Giám sát chuyên đề",
        starts_on=day,
        ends_on=day,
        subject_cell=world.cell_a,
    )
    item = services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=day,
        conclusion="Còn thiếu sót",
        result=Result.SHORTCOMINGS,
        actions=[services.Action("Sửa quy chế", world.cell_a, day - timedelta(days=3))],
    )
    return item.actions.get()


# ------------------------------------------------------------------------------ action plans


def _task(world, due_on, state=TaskState.OPEN):
    plan = ActionPlan(organization=world.root, title="Kế hoạch thực hiện Nghị quyết", adopted_on=today())
    save_audited(plan, actor=world.office)
    task = Task(plan=plan, what="Quán triệt nghị quyết", due_on=due_on, state=state)
    save_audited(task, actor=world.office)
    task.cells.set([world.cell_a, world.cell_b])
    return task


def test_a_late_task_is_told_to_the_office_and_the_cells_committees_once(world):
    task = _task(world, today() - timedelta(days=2))
    _task(world, today())  # due today: not late
    _task(world, today() - timedelta(days=5), TaskState.DONE)
    assert reminders.tasks_overdue(today()) == 2
    assert _told("programme.task_overdue") == ["office", "secretary_a"]
    assert set(Notification.objects.values_list("key", flat=True)) == {f"programme.task_overdue.{task.pk}"}
    assert reminders.tasks_overdue(today()) == 0


def _note(world, task, kind, days_ago: int, answered: bool = False):
    raised = today() - timedelta(days=days_ago)
    note = Note(
        task=task,
        cell=world.cell_a,
        kind=kind,
        text="Đề nghị hướng dẫn cách làm",
        raised_on=raised,
        answer="Đã hướng dẫn" if answered else "",
        answered_on=today() if answered else None,
    )
    save_audited(note, actor=world.secretary_a)
    return note


def test_a_proposal_unanswered_past_the_answer_days_is_told_to_the_office_once(world):
    task = _task(world, today() + timedelta(days=30))
    late = _note(world, task, NoteKind.PROPOSAL, rules.ANSWER_DAYS + 1)
    _note(world, task, NoteKind.DIFFICULTY, rules.ANSWER_DAYS)  # not more than the days yet
    _note(world, task, NoteKind.DIFFICULTY, rules.ANSWER_DAYS + 5, answered=True)
    _note(world, task, NoteKind.PROGRESS, rules.ANSWER_DAYS + 5)  # a progress report needs no answer
    assert reminders.notes_unanswered(today()) == 1
    sent = Notification.objects.get(kind="programme.note_unanswered")
    assert sent.recipient == world.office and sent.key == f"programme.note_unanswered.{late.pk}"
    assert reminders.notes_unanswered(today()) == 0
    # The next day, the difficulty is due in turn.
    assert reminders.notes_unanswered(today() + timedelta(days=1)) == 1


def test_the_job_is_registered_with_the_scheduler():
    from dangvu.core import scheduler

    assert scheduler._periodic["programme.remind"] is reminders.remind
