"""Reminders of the year's work programme, run by the scheduler (core.scheduler, job
`programme.remind`):

- the committee of the organisation that carries out a remedial action, once it is open past its
  due date;
- an action plan's open task past its due date: the plan organisation's office and the committees
  of the cells carrying it out;
- a cell's difficulty or proposal left unanswered for more than rules.ANSWER_DAYS days: the plan
  organisation's office, which answers it.

Every notification has a key per action, task or note: running this twice sends nothing twice
(core.notifications).
"""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications
from dangvu.organization import selectors as org_selectors

from . import rules
from .choices import NoteKind, TaskState
from .models import Note, RemedialAction, Task


def remind(now: datetime) -> int:
    """Send the reminders due at `now`; returns how many notifications were created."""
    today = timezone.localdate(now)
    return actions_overdue(today) + tasks_overdue(today) + notes_unanswered(today)


def _offices():
    """The office users of an organisation, read once per organisation."""
    found: dict[int, list] = {}

    def of(organization) -> list:
        if organization.pk not in found:
            found[organization.pk] = org_selectors.office_users(organization)
        return found[organization.pk]

    return of


def actions_overdue(today: date) -> int:
    """Each open remedial action past its due date: the owner's committee is told once (key
    programme.action_overdue.<action>)."""
    actions = [
        action
        for action in RemedialAction.objects.filter(
            state=TaskState.OPEN,
            due_on__lt=today,
            item__deleted_at__isnull=True,
            item__programme__deleted_at__isnull=True,
        )
        .select_related("owner", "item")
        .order_by("due_on", "pk")
        if rules.overdue(action.state, action.due_on, today)
    ]
    if not actions:
        return 0
    users = org_selectors.committee_users(list({a.owner_id for a in actions}), today)
    created = 0
    for action in actions:
        created += notifications.notify(
            recipients=users.get(action.owner_id, []),
            kind="programme.action_overdue",
            key=f"programme.action_overdue.{action.pk}",
            subject=_("%(org)s: the remedial action “%(action)s” was due on %(day)s")
            % {"org": action.owner, "action": action, "day": f"{action.due_on:%d/%m/%Y}"},
            url=reverse("programme:action_done", args=[action.pk]),
            scope_path=action.owner.path,
        )
    return created


def tasks_overdue(today: date) -> int:
    """Each open task of an action plan past its due date: the plan organisation's office and the
    committees of the task's cells are told once (key programme.task_overdue.<task>)."""
    tasks = [
        task
        for task in Task.objects.filter(state=TaskState.OPEN, due_on__lt=today, plan__deleted_at__isnull=True)
        .select_related("plan__organization")
        .prefetch_related("cells")
        .order_by("due_on", "pk")
        if rules.overdue(task.state, task.due_on, today)
    ]
    if not tasks:
        return 0
    committees = org_selectors.committee_users(list({c.pk for t in tasks for c in t.cells.all()}), today)
    office = _offices()
    created = 0
    for task in tasks:
        organization = task.plan.organization
        recipients = list(office(organization))
        for cell in task.cells.all():
            recipients += [u for u in committees.get(cell.pk, []) if u not in recipients]
        created += notifications.notify(
            recipients=recipients,
            kind="programme.task_overdue",
            key=f"programme.task_overdue.{task.pk}",
            subject=_("Task of “%(plan)s” late since %(day)s: %(task)s")
            % {"plan": task.plan, "day": f"{task.due_on:%d/%m/%Y}", "task": task},
            url=task.plan.get_absolute_url(),
            scope_path=organization.path,
        )
    return created


def notes_unanswered(today: date) -> int:
    """Each difficulty or proposal unanswered for more than rules.ANSWER_DAYS days: the plan
    organisation's office is told once (key programme.note_unanswered.<note>)."""
    notes = [
        note
        for note in Note.objects.filter(
            kind__in=[NoteKind.DIFFICULTY, NoteKind.PROPOSAL],
            answered_on__isnull=True,
            raised_on__lt=today - timedelta(days=rules.ANSWER_DAYS),
            task__deleted_at__isnull=True,
            task__plan__deleted_at__isnull=True,
        )
        .select_related("cell", "task__plan__organization")
        .order_by("raised_on", "pk")
        if rules.unanswered(note.raised_on, note.answered_on, today)
    ]
    office = _offices()
    created = 0
    for note in notes:
        organization = note.task.plan.organization
        created += notifications.notify(
            recipients=office(organization),
            kind="programme.note_unanswered",
            key=f"programme.note_unanswered.{note.pk}",
            subject=_("%(cell)s has waited since %(day)s for an answer: %(note)s")
            % {"cell": note.cell, "day": f"{note.raised_on:%d/%m/%Y}", "note": note},
            url=note.task.plan.get_absolute_url(),
            scope_path=organization.path,
        )
    return created
