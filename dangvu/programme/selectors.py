"""Reads of the inspection and supervision programme, always from the user's scope.

Who sees an item: whoever sees the organisation whose programme it is, and the cell it concerns or
that carries out one of its remedial actions (a cell's secretary sees their cell's items). Who runs a
programme (adds items, moves and concludes them): the inspection commission (INSPECT) and the office
(MANAGE) of the organisation; for a cell's own programme, its chi ủy (RECORDS). Who reports a
remedial action done: the chi ủy of the cell that carries it out (RECORDS)."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from dangvu.core import access
from dangvu.core.access import INSPECT, MANAGE, RECORDS, VIEW, Scope
from dangvu.organization.models import Organization
from dangvu.organization.selectors import ancestor_paths

from . import rules
from .choices import NoteKind, TaskState
from .models import ActionPlan, Item, Note, Programme, RemedialAction, Task


def can_run(scope: Scope, organization: Organization) -> bool:
    """Whether the user runs the programme of `organization`."""
    return scope.covers(organization.path, INSPECT) or (
        organization.is_cell and scope.covers(organization.path, RECORDS)
    )


def can_report(scope: Scope, action: RemedialAction) -> bool:
    """Whether the user reports a remedial action done: the chi ủy of the cell carrying it out, or
    the office above it."""
    return scope.covers(action.owner.path, RECORDS)


def programmes_in(scope: Scope, organization: Organization) -> QuerySet[Programme]:
    """The programmes of the organisation and of those under it, latest year first."""
    return (
        access.restrict(Programme.objects, scope)
        .filter(organization__path__startswith=organization.path)
        .select_related("organization")
        .order_by("-year", "organization__path")
    )


def programme_get(scope: Scope, pk: int) -> Programme:
    return access.get_for_user_or_404(Programme.objects.select_related("organization"), scope, pk=pk)


def _items_q(scope: Scope) -> Q:
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= (
            Q(programme__organization__path__startswith=path)
            | Q(subject_cell__path__startswith=path)
            | Q(actions__owner__path__startswith=path, actions__deleted_at__isnull=True)
        )
    return condition


def items_visible(scope: Scope) -> QuerySet[Item]:
    items = Item.objects.select_related("programme__organization", "subject_cell", "subject_member__person")
    if scope.is_system:
        return items
    return items.filter(pk__in=Item.objects.filter(_items_q(scope)).values("pk"))


def item_get(scope: Scope, pk: int) -> Item:
    """An item the user sees, or 404: the same answer whether it is missing or out of reach."""
    return access.get_for_user_or_404(items_visible(scope), access.SYSTEM_SCOPE, pk=pk)


def actions_of_cell(scope: Scope, cell: Organization) -> QuerySet[RemedialAction]:
    """The open remedial actions a cell carries out, soonest due first (for its page)."""
    return (
        RemedialAction.objects.filter(owner=cell, state=TaskState.OPEN, item__in=items_visible(scope))
        .select_related("item__programme__organization", "owner")
        .order_by("due_on", "pk")
    )


# -------------------------------------------------------------------------------- action plans
# Who sees an action plan: whoever sees its organisation, and whoever sees a cell that one of its
# tasks gives work to (a cell's secretary sees the plans above that give their cell work). Who sets
# a plan, its tasks and answers the cells' notes: the office (MANAGE) of the organisation, or for a
# cell's own plan its chi ủy (RECORDS). Who writes a cell's notes: the cell's chi ủy (RECORDS).


def can_plan(scope: Scope, organization: Organization) -> bool:
    """Whether the user sets the action plans of `organization` and answers the cells' notes."""
    return scope.covers(organization.path, MANAGE) or (
        organization.is_cell and scope.covers(organization.path, RECORDS)
    )


def can_note(scope: Scope, cell: Organization) -> bool:
    """Whether the user writes progress, difficulties and proposals for `cell`."""
    return scope.covers(cell.path, RECORDS)


def _tasks_for_cells_seen(scope: Scope, under: str) -> QuerySet[Task]:
    """Tasks with a cell under `under` that the user sees: one cell satisfies both (one join)."""
    seen = Q() if scope.is_system else Q(pk__in=[])
    for path in () if scope.is_system else scope.paths_for(VIEW):
        seen |= Q(cells__path__startswith=path)
    return Task.objects.filter(Q(cells__path__startswith=under) & seen)


def plans_visible(scope: Scope) -> QuerySet[ActionPlan]:
    plans = ActionPlan.objects.select_related("organization", "document")
    if scope.is_system:
        return plans
    own = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        own |= Q(organization__path__startswith=path)
    return plans.filter(own | Q(pk__in=_tasks_for_cells_seen(scope, "/").values("plan_id")))


def plans_in(scope: Scope, organization: Organization) -> QuerySet[ActionPlan]:
    """The plans of the organisation and of those under it, and the plans above it that give one
    of its cells (that the user sees) a task; latest adopted first."""
    above = [p for p in ancestor_paths(organization.path) if p != organization.path]
    giving_work = _tasks_for_cells_seen(scope, organization.path).values("plan_id")
    return (
        plans_visible(scope)
        .filter(
            Q(organization__path__startswith=organization.path)
            | Q(organization__path__in=above, pk__in=giving_work)
        )
        .order_by("-adopted_on", "pk")
    )


def plan_get(scope: Scope, pk: int) -> ActionPlan:
    """A plan the user sees, or 404: the same answer whether it is missing or out of reach."""
    return access.get_for_user_or_404(plans_visible(scope), access.SYSTEM_SCOPE, pk=pk)


def tasks_of(plan: ActionPlan) -> QuerySet[Task]:
    """The tasks of a plan with their cells and their notes (oldest first): three queries,
    however many tasks."""
    return (
        Task.objects.filter(plan=plan)
        .select_related("plan__organization")
        .prefetch_related(
            Prefetch("cells", queryset=Organization.objects.order_by("path")),
            Prefetch("notes", queryset=Note.objects.select_related("cell").order_by("raised_on", "pk")),
        )
        .order_by("due_on", "pk")
    )


def _concerning(root_path: str, plan: str, cell: Q) -> Q:
    return Q(**{f"{plan}organization__path__startswith": root_path}) | cell


def overdue_tasks(root_path: str, today: date) -> QuerySet[Task]:
    """The open tasks past their due date (rules.overdue) of the plans of the subtree, or given to
    one of its cells; soonest due first. For the organisation's page and the reminders."""
    given = Task.objects.filter(cells__path__startswith=root_path).values("pk")
    return (
        Task.objects.filter(
            _concerning(root_path, "plan__", Q(pk__in=given)),
            state=TaskState.OPEN,
            due_on__lt=today,
            plan__deleted_at__isnull=True,
        )
        .select_related("plan__organization")
        .prefetch_related(Prefetch("cells", queryset=Organization.objects.order_by("path")))
        .order_by("due_on", "pk")
    )


def unanswered_notes(root_path: str, today: date, days: int = rules.ANSWER_DAYS) -> QuerySet[Note]:
    """The difficulties and proposals left without an answer for more than `days` days
    (rules.unanswered) on the plans of the subtree, or raised by one of its cells; oldest first."""
    return (
        Note.objects.filter(
            _concerning(root_path, "task__plan__", Q(cell__path__startswith=root_path)),
            kind__in=[NoteKind.DIFFICULTY, NoteKind.PROPOSAL],
            answered_on__isnull=True,
            raised_on__lt=today - timedelta(days=days),
            task__deleted_at__isnull=True,
            task__plan__deleted_at__isnull=True,
        )
        .select_related("cell", "task__plan__organization")
        .order_by("raised_on", "pk")
    )
