"""Writes of the action plans (issue 8, point 1): an organisation turns a resolution or directive into
a plan of tasks; the cells that carry a task out report their progress and raise difficulties or
proposals (kiến nghị), which the organisation answers. Each write is one transaction, audited; a
difficulty or a proposal, and its answer, tell the other side through the notification machinery."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.core.audit import save_audited, update_versioned
from dangvu.meetings.models import StudyDocument
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from ..choices import NoteKind, TaskState
from ..models import ActionPlan, Note, Task
from .items import one_line

RAISED = frozenset({NoteKind.DIFFICULTY, NoteKind.PROPOSAL})  # what the organisation answers


# ------------------------------------------------------------------------------------ the plan


@transaction.atomic
def plan_create(
    *,
    actor,
    organization: Organization,
    title: str,
    adopted_on: date,
    number: str = "",
    document: StudyDocument | None = None,
) -> ActionPlan:
    """The action plan of a committee or a cell, optionally carrying out a document to study that
    applies to it: set by the organisation itself or one above it, or set by one under it."""
    if not one_line(title):
        raise ValidationError({"title": _("Write the title of the action plan.")})
    if adopted_on > periods.today():
        raise ValidationError({"adopted_on": _("An action plan is adopted today or on a past day.")})
    if document is not None and not (
        organization.path.startswith(document.organization.path)
        or document.organization.path.startswith(organization.path)
    ):
        raise ValidationError(
            {
                "document": _("Choose a document set for %(org)s, above it or under it.")
                % {"org": organization}
            }
        )
    plan = ActionPlan(
        organization=organization,
        document=document,
        title=one_line(title),
        number=number.strip(),
        adopted_on=adopted_on,
    )
    save_audited(plan, actor=actor, reason="action plan adopted")
    return plan


# ----------------------------------------------------------------------------------- the tasks


def _check_cells(plan: ActionPlan, cells: Iterable[Organization]) -> list[Organization]:
    cells = list(dict.fromkeys(cells))
    root = plan.organization
    for cell in cells:
        if not (cell.is_cell and cell.path.startswith(root.path)):
            raise ValidationError({"cells": _("Choose cells of %(org)s.") % {"org": root}})
    return cells


def _check_due(plan: ActionPlan, due_on: date | None) -> None:
    if due_on is not None and due_on < plan.adopted_on:
        raise ValidationError({"due_on": _("A task falls due on or after the day its plan was adopted.")})


def _check_open(task: Task) -> None:
    if task.state != TaskState.OPEN:
        raise ValidationError(_("This task is closed: it was done or dropped."))


@transaction.atomic
def task_add(
    *,
    actor,
    plan: ActionPlan,
    what: str,
    responsible: str = "",
    cells: Iterable[Organization] = (),
    due_on: date | None = None,
) -> Task:
    """A task of the plan: what, who answers for it, the cells of the organisation that carry it
    out, by when."""
    if not what.strip():
        raise ValidationError({"what": _("Write what the task is.")})
    cells = _check_cells(plan, cells)
    _check_due(plan, due_on)
    task = Task(plan=plan, what=what.strip(), responsible=one_line(responsible), due_on=due_on)
    save_audited(task, actor=actor, reason=f"task added; {_cells_reason(cells)}")
    task.cells.set(cells)
    return task


def _cells_reason(cells: Iterable[Organization]) -> str:
    """The task's cells live in their own table, which keeps no history: the history row of the
    task names them, so that who carries out a task is audited like its other fields."""
    return "cells: " + (", ".join(sorted(c.code for c in cells)) or "none")


EDITABLE = frozenset({"what", "responsible", "cells", "due_on"})


@transaction.atomic
def task_update(*, actor, task: Task, expected_version: int, **changes) -> Task:
    """Change what an open task is, who answers for it, its cells or its due date. A cell that has
    written on the task stays on it (its notes would lose their task)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"task_update cannot change {', '.join(sorted(unknown))}")
    _check_open(task)
    fields = _task_fields(task, changes)
    cells = _check_kept_cells(task, changes["cells"]) if "cells" in changes else None
    cells_changed = cells is not None and {c.pk for c in cells} != set(
        task.cells.values_list("pk", flat=True)
    )
    # The cells live in their own table: a change of cells alone still claims a new version.
    update_versioned(
        task,
        actor=actor,
        expected_version=expected_version,
        changes=fields,
        reason=f"task changed; {_cells_reason(cells)}" if cells_changed else "task changed",
        touch=cells_changed,
    )
    if cells_changed:
        task.cells.set(cells)
    return task


def _task_fields(task: Task, changes: dict) -> dict:
    fields = {}
    if "what" in changes:
        if not changes["what"].strip():
            raise ValidationError({"what": _("Write what the task is.")})
        fields["what"] = changes["what"].strip()
    if "responsible" in changes:
        fields["responsible"] = one_line(changes["responsible"])
    if "due_on" in changes:
        _check_due(task.plan, changes["due_on"])
        fields["due_on"] = changes["due_on"]
    return fields


def _check_kept_cells(task: Task, cells: Iterable[Organization]) -> list[Organization]:
    cells = _check_cells(task.plan, cells)
    writing = task.notes.exclude(cell_id__in=[c.pk for c in cells]).select_related("cell").first()
    if writing is not None:
        raise ValidationError(
            {"cells": _("%(cell)s has written on this task: it stays on it.") % {"cell": writing.cell}}
        )
    return cells


@transaction.atomic
def task_done(*, actor, task: Task, expected_version: int, done_on: date, evidence: str) -> Task:
    """An open task reported done, with its evidence (the document, the result)."""
    _check_open(task)
    if done_on > periods.today():
        raise ValidationError({"done_on": _("Report a task done today or on a past day.")})
    if done_on < task.plan.adopted_on:
        raise ValidationError({"done_on": _("A task is done on or after the day its plan was adopted.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Write the evidence that the task is done.")})
    return update_versioned(
        task,
        actor=actor,
        expected_version=expected_version,
        changes={"state": TaskState.DONE, "done_on": done_on, "evidence": evidence.strip()},
        reason="task done",
    )


@transaction.atomic
def task_drop(*, actor, task: Task, expected_version: int, reason: str) -> Task:
    """An open task given up, with the reason."""
    _check_open(task)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the task is dropped.")})
    return update_versioned(
        task,
        actor=actor,
        expected_version=expected_version,
        changes={"state": TaskState.DROPPED, "done_on": None, "drop_reason": reason.strip()},
        reason="task dropped",
    )


# ----------------------------------------------------------------------------------- the notes


@transaction.atomic
def note_add(
    *,
    actor,
    task: Task,
    cell: Organization,
    kind: str,
    text: str,
    raised_on: date | None = None,
) -> Note:
    """A cell of an open task reports its progress or raises a difficulty or a proposal; a
    difficulty or a proposal tells the plan's organisation (its office and its committee)."""
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Choose whether this is progress, a difficulty or a proposal.")})
    if not task.cells.filter(pk=cell.pk).exists():
        raise ValidationError({"cell": _("%(cell)s does not carry out this task.") % {"cell": cell}})
    _check_open(task)
    if not text.strip():
        raise ValidationError({"text": _("Write the progress, the difficulty or the proposal.")})
    raised_on = raised_on or periods.today()
    if raised_on > periods.today():
        raise ValidationError({"raised_on": _("A note is dated today or on a past day.")})
    if raised_on < task.plan.adopted_on:
        raise ValidationError({"raised_on": _("A note is dated on or after the day its plan was adopted.")})
    note = Note(task=task, cell=cell, kind=kind, text=text.strip(), raised_on=raised_on)
    save_audited(note, actor=actor, reason=f"{kind} noted")
    if kind in RAISED:
        _notify_raised(note)
    return note


def _notify_raised(note: Note) -> int:
    organization = note.task.plan.organization
    committee = org_selectors.committee_users([organization.pk], periods.today()).get(organization.pk, [])
    subjects = {
        NoteKind.DIFFICULTY: _("%(cell)s raises a difficulty on the plan %(plan)s"),
        NoteKind.PROPOSAL: _("%(cell)s makes a proposal on the plan %(plan)s"),
    }
    return notifications.notify(
        recipients=[*org_selectors.office_users(organization), *committee],
        kind=f"programme.{note.kind}",
        key=f"programme.note.{note.pk}",
        subject=subjects[note.kind] % {"cell": note.cell, "plan": note.task.plan},
        body=note.text,
        url=note.task.plan.get_absolute_url(),
        scope_path=organization.path,
    )


@transaction.atomic
def note_answer(*, actor, note: Note, expected_version: int, answer: str) -> Note:
    """The organisation answers a cell's difficulty or proposal, dated today, and tells the cell's
    committee. A corrected answer is dated and told again (one message per answer)."""
    if note.kind not in RAISED:
        raise ValidationError(_("Only a difficulty or a proposal is answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    update_versioned(
        note,
        actor=actor,
        expected_version=expected_version,
        changes={"answer": answer.strip(), "answered_on": periods.today()},
        reason="answered",
    )
    _notify_answer(note)
    return note


def _notify_answer(note: Note) -> int:
    plan = note.task.plan
    return notifications.notify(
        recipients=org_selectors.committee_users([note.cell_id], periods.today()).get(note.cell_id, []),
        kind="programme.answer",
        key=f"programme.answer.{note.pk}.{note.version}",
        subject=_("%(org)s answered on the plan %(plan)s") % {"org": plan.organization, "plan": plan},
        body=note.answer,
        url=plan.get_absolute_url(),
        scope_path=note.cell.path,
    )
