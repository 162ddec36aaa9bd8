"""Reads of the inspection and supervision programme, always from the user's scope.

Who sees an item: whoever sees the organisation whose programme it is, and the cell it concerns, whose
member it concerns (the cell manages its members and takes part in their inspection), or that carries
out one of its remedial actions (a cell's secretary sees their cell's items). Who runs a
programme (adds items, moves and concludes them): the inspection commission (INSPECT) and the office
(MANAGE) of the organisation; for a cell's own programme, its chi ủy (RECORDS). Who reports a
remedial action done: the chi ủy of the cell that carries it out (RECORDS)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from dangvu.core import access
from dangvu.core.access import INSPECT, MANAGE, RECORDS, VIEW, Scope
from dangvu.core.metrics import percent
from dangvu.members.models import Member
from dangvu.organization.models import Organization
from dangvu.organization.selectors import ancestor_paths, cells_active, organization_get

from . import rules
from .choices import ItemState, NoteKind, RegulationKind, TaskState
from .models import ActionPlan, Item, Note, Programme, RegulationReview, RemedialAction, Task


def can_run(scope: Scope, organization: Organization) -> bool:
    """Whether the user runs the programme of `organization`."""
    return scope.covers(organization.path, INSPECT) or (
        organization.is_cell and scope.covers(organization.path, RECORDS)
    )


def organization_run(scope: Scope, code: str) -> Organization:
    """The organisation whose programme the user runs (can_run), or 404: a reader may not write."""
    organization = organization_get(scope, code)
    if not can_run(scope, organization):
        raise Http404
    return organization


def item_run(scope: Scope, pk: int) -> Item:
    """An item of a programme the user runs, or 404."""
    item = item_get(scope, pk)
    if not can_run(scope, item.programme.organization):
        raise Http404
    return item


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


def _concerning_q(path: str) -> Q:
    """Items of a programme under `path`, or concerning a cell under it (as subject, through a
    member it concerns, or carrying out one of its remedial actions)."""
    return (
        Q(programme__organization__path__startswith=path)
        | Q(subject_cell__path__startswith=path)
        | Q(subject_member__person__organization__path__startswith=path)
        | Q(actions__owner__path__startswith=path, actions__deleted_at__isnull=True)
    )


def _items_q(scope: Scope) -> Q:
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= _concerning_q(path)
    return condition


def items_visible(scope: Scope) -> QuerySet[Item]:
    items = Item.objects.select_related("programme__organization", "subject_cell", "subject_member__person")
    if scope.is_system:
        return items
    return items.filter(pk__in=Item.objects.filter(_items_q(scope)).values("pk"))


def item_get(scope: Scope, pk: int) -> Item:
    """An item the user sees, or 404: the same answer whether it is missing or out of reach."""
    return access.get_for_user_or_404(items_visible(scope), access.SYSTEM_SCOPE, pk=pk)


def items_in(
    scope: Scope, organization: Organization, year: int, *, state: str = "", kind: str = ""
) -> QuerySet[Item]:
    """The items of a year the user sees that belong to the organisation's page: those of the
    programmes of the organisation and of those under it, and those of programmes above it that
    concern it (its cell or one of its members is the subject, or it or one of its cells carries out
    a remedial action); by programme, then period. One query, however many items."""
    concerning = Item.objects.filter(_concerning_q(organization.path)).values("pk")
    items = items_visible(scope).filter(pk__in=concerning, programme__year=year)
    if state:
        items = items.filter(state=state)
    if kind:
        items = items.filter(kind=kind)
    return items.order_by("programme__organization__path", "starts_on", "pk")


def programme_of(organization: Organization, year: int) -> Programme | None:
    """The organisation's programme of the year, if it is open."""
    return Programme.objects.filter(organization=organization, year=year).first()


def programme_items(programme: Programme) -> list[Item]:
    """The programme's items not cancelled, with their subjects, by start date: one query."""
    return list(
        Item.objects.filter(programme=programme)
        .exclude(state=ItemState.CANCELLED)
        .select_related("subject_cell", "subject_member__person__organization")
        .order_by("starts_on", "pk")
    )


@dataclass(frozen=True)
class ItemTotals:
    planned: int
    concluded: int

    @property
    def concluded_percent(self) -> int | None:
        return percent(self.concluded, self.planned)


def item_totals(items: QuerySet[Item], as_of: date) -> ItemTotals:
    """Of `items`, those planned (not cancelled: rules.counts_as_planned) and those concluded by
    `as_of` (rules.completed), as inspection.planned and inspection.completed count. One query."""
    counts = items.exclude(state=ItemState.CANCELLED).aggregate(
        planned=Count("pk"),
        concluded=Count(
            "pk", filter=Q(state=ItemState.CONCLUDED, concluded_on__isnull=False, concluded_on__lte=as_of)
        ),
    )
    return ItemTotals(**counts)


def item_counts(programme: Programme, as_of: date) -> dict:
    """The programme's item_totals, with the share completed in % (None with nothing planned)."""
    totals = item_totals(Item.objects.filter(programme=programme), as_of)
    return {"planned": totals.planned, "concluded": totals.concluded, "pct": totals.concluded_percent}


def subject_members(organization: Organization) -> QuerySet[Member]:
    """The members kept in the subtree an item may concern, in Vietnamese name order."""
    return (
        Member.objects.filter(person__organization__path__startswith=organization.path)
        .select_related("person__organization")
        .order_by("person__sort_key", "pk")
    )


def actions_visible(scope: Scope) -> QuerySet[RemedialAction]:
    """The remedial actions the user sees: all those of the items of the programmes they see, and
    those carried out by an organisation they see (a cell's secretary: their cell's, not another
    cell's on the same item)."""
    actions = RemedialAction.objects.select_related("item__programme__organization", "owner")
    if scope.is_system:
        return actions
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= Q(item__programme__organization__path__startswith=path) | Q(owner__path__startswith=path)
    return actions.filter(condition)


def action_get(scope: Scope, pk: int) -> RemedialAction:
    """A remedial action the user sees, or 404."""
    return access.get_for_user_or_404(actions_visible(scope), access.SYSTEM_SCOPE, pk=pk)


def actions_of_item(scope: Scope, item: Item) -> QuerySet[RemedialAction]:
    """The remedial actions of an item the user sees, soonest due first."""
    return actions_visible(scope).filter(item=item).order_by("due_on", "pk")


def actions_carried_by(scope: Scope, organization: Organization) -> QuerySet[RemedialAction]:
    """The remedial actions carried out by the organisation and its cells that the user sees: open
    ones first (soonest due first), then the others (latest done first)."""
    return (
        actions_visible(scope)
        .filter(owner__path__startswith=organization.path)
        .select_related("item__subject_cell", "item__subject_member__person")
        .annotate(closed=Case(When(state=TaskState.OPEN, then=Value(0)), default=Value(1)))
        .order_by("closed", "due_on", F("done_on").desc(nulls_last=True), "pk")
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


def tasks_with_notes() -> QuerySet[Task]:
    """Tasks soonest due first, with their cells (by code) and their notes (oldest first): two
    queries more, however many tasks."""
    return Task.objects.prefetch_related(
        Prefetch("cells", queryset=Organization.objects.order_by("code")),
        Prefetch("notes", queryset=Note.objects.select_related("cell").order_by("raised_on", "pk")),
    ).order_by("due_on", "pk")


def tasks_of(plan: ActionPlan) -> QuerySet[Task]:
    """The tasks of a plan with their cells and their notes: three queries, however many tasks."""
    return tasks_with_notes().filter(plan=plan).select_related("plan__organization")


@dataclass(frozen=True)
class SeenTask:
    task: Task
    notes: list[Note]


def seen_tasks(scope: Scope, plan: ActionPlan, tasks) -> list[SeenTask]:
    """What the user sees of a plan's tasks (read with tasks_with_notes; no query): all of them with
    all their notes when they see the plan's organisation; otherwise, as a cell's secretary sees a
    plan above, the tasks given to a cell they see and those cells' notes, not the other cells'."""
    whole = scope.covers(plan.organization.path, VIEW)
    return [
        SeenTask(task, [n for n in task.notes.all() if whole or scope.covers(n.cell.path, VIEW)])
        for task in tasks
        if whole or any(scope.covers(cell.path, VIEW) for cell in task.cells.all())
    ]


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
        .prefetch_related(Prefetch("cells", queryset=Organization.objects.order_by("code")))
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


def task_get(scope: Scope, pk: int) -> Task:
    """A task of a plan the user sees, or 404 (with its plan and the plan's organisation)."""
    tasks = Task.objects.filter(plan__in=plans_visible(scope)).select_related("plan__organization")
    return access.get_for_user_or_404(tasks, access.SYSTEM_SCOPE, pk=pk)


def note_get(scope: Scope, pk: int) -> Note:
    """A note on a task of a plan the user sees, or 404."""
    notes = Note.objects.filter(task__plan__in=plans_visible(scope), task__deleted_at__isnull=True)
    return access.get_for_user_or_404(
        notes.select_related("cell", "task__plan__organization"), access.SYSTEM_SCOPE, pk=pk
    )


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def _seen_q(scope: Scope, plan: str, cells: Q) -> Q:
    """seen_tasks in the database: of a plan whose organisation the user sees, everything;
    otherwise what `cells` (a condition on the user's VIEW paths) keeps."""
    if scope.is_system:
        return Q()
    seen = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        seen |= Q(**{f"{plan}organization__path__startswith": path})
    return seen | cells


def with_counts(plans: QuerySet[ActionPlan], today: date, scope: Scope) -> QuerySet[ActionPlan]:
    """The plans with the counts of the tasks the user sees (seen_tasks) open, done and late
    (rules.overdue) and of the difficulties and proposals waiting for an answer: one query however
    many plans."""
    given = _tasks_for_cells_seen(scope, "/").values("pk")
    tasks = Task.objects.filter(_seen_q(scope, "plan__", Q(pk__in=given)))
    cell_seen = Q(pk__in=[])
    for path in () if scope.is_system else scope.paths_for(VIEW):
        cell_seen |= Q(cell__path__startswith=path)
    waiting = Note.objects.filter(
        _seen_q(scope, "task__plan__", cell_seen),
        kind__in=[NoteKind.DIFFICULTY, NoteKind.PROPOSAL],
        answered_on__isnull=True,
        task__deleted_at__isnull=True,
    )
    return plans.annotate(
        open_tasks=_count(tasks.filter(state=TaskState.OPEN), "plan"),
        done_tasks=_count(tasks.filter(state=TaskState.DONE), "plan"),
        late_tasks=_count(tasks.filter(state=TaskState.OPEN, due_on__lt=today), "plan"),
        waiting_notes=_count(waiting, "task__plan"),
    )


# ---------------------------------------------------------------------------- regulation reviews
# Who sees a cell's reviews: whoever sees the cell. Who records (and deletes) them: the cell's chi ủy
# (RECORDS on the cell) and the office above it (MANAGE).


def can_record_review(scope: Scope, cell: Organization) -> bool:
    """Whether the user records (and deletes) the regulation reviews of `cell`."""
    return cell.is_cell and scope.covers(cell.path, RECORDS)


def cells_to_record(scope: Scope, organization: Organization, today: date) -> QuerySet[Organization]:
    """The cells of the subtree the user records reviews for, active on a day since 1 January of
    last year (a review of last year may still be entered late), by code."""
    cells = cells_active(organization.path, date(today.year - 1, 1, 1), today)
    return access.restrict(cells, scope, RECORDS)


def review_get(scope: Scope, pk: int, action: str = VIEW) -> RegulationReview:
    """A review the user reaches for `action`, or 404: the same answer whether missing or forbidden."""
    return access.get_for_user_or_404(RegulationReview.objects.select_related("cell"), scope, action, pk=pk)


@dataclass
class CellRegulations:
    """One cell's reviews of a year: of its working regulations and of its coordination rules."""

    cell: Organization
    working: list[RegulationReview] = field(default_factory=list)
    coordination: list[RegulationReview] = field(default_factory=list)
    reviewed: bool = False  # the working regulations, as regulations.cells_reviewed_pct counts them


@dataclass
class RegulationRegister:
    year: int
    rows: list[CellRegulations]

    @property
    def reviewed(self) -> int:
        return sum(row.reviewed for row in self.rows)

    @property
    def not_reviewed(self) -> list[Organization]:
        return [row.cell for row in self.rows if not row.reviewed]


def regulation_register(
    scope: Scope, organization: Organization, year: int, as_of: date
) -> RegulationRegister:
    """The cells of the subtree active during the year (by code) with their reviews of the year, as
    regulations.cells_reviewed_pct reads them (metrics.md "Regulations"): cells active on a day of
    the year up to the as-of date, reviews dated in the year by then, only the working regulations
    counting. Two queries, however many cells."""
    first, last = date(year, 1, 1), min(as_of, date(year, 12, 31))
    rows = {
        cell.pk: CellRegulations(cell)
        for cell in access.restrict(cells_active(organization.path, first, last), scope)
    }
    reviews = RegulationReview.objects.filter(
        cell_id__in=list(rows), reviewed_on__gte=first, reviewed_on__lte=last
    ).order_by("reviewed_on", "pk")
    for review in reviews:
        row = rows[review.cell_id]
        review.cell = row.cell  # already read: no query per review
        (row.working if review.regulation == RegulationKind.WORKING else row.coordination).append(review)
    counted = rules.cells_with_regulations_reviewed(
        (
            rules.Review(row.cell.path, r.regulation, r.reviewed_on)
            for row in rows.values()
            for r in row.working
        ),
        year,
        as_of,
    )
    for row in rows.values():
        row.reviewed = row.cell.path in counted
    return RegulationRegister(year=year, rows=list(rows.values()))
