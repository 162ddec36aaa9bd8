"""The shapes of the year's work programme API (api.py): what it reads in, what it answers."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from dangvu.core.periods import FIRST_YEAR, LAST_YEAR
from dangvu.members.choices import DisciplineForm

from . import selectors
from .choices import ItemKind, ItemState, NoteKind, RegulationKind, Result, ReviewKind, TaskState
from .models import ActionPlan, Item, Note, Programme, RemedialAction, Task
from .selectors import CellRegulations

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


def _scope(context):
    return context["request"].scope


class YearFilter(Schema):
    year: Year | None = None


class ItemFilters(Schema):
    year: Year | None = None  # this year when left out
    state: ItemState | None = None
    kind: ItemKind | None = None


class ProgrammeOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    year: int
    number: str
    adopted_on: date | None
    version: int

    @staticmethod
    def resolve_organization_code(obj: Programme) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj: Programme) -> str:
        return obj.organization.name


class ActionOut(Schema):
    id: int
    action: str
    owner_code: str
    owner_name: str
    due_on: date | None
    state: TaskState
    done_on: date | None
    report: str
    can_report: bool  # whether the caller may report it done (POST /remedial-actions/{id}/done)
    version: int

    @staticmethod
    def resolve_owner_code(obj: RemedialAction) -> str:
        return obj.owner.code

    @staticmethod
    def resolve_owner_name(obj: RemedialAction) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_can_report(obj: RemedialAction, context) -> bool:
        return obj.state == TaskState.OPEN and selectors.can_report(_scope(context), obj)


class ItemOut(Schema):
    id: int
    programme_id: int
    organization_code: str  # whose programme it is
    year: int
    kind: ItemKind
    subject_cell_code: str | None
    subject_cell_name: str | None
    subject_member_id: int | None
    subject_member_name: str | None
    content: str
    starts_on: date
    ends_on: date
    decision_number: str
    responsible: str
    state: ItemState
    cancel_reason: str
    result: Result | None
    conclusion: str
    concluded_on: date | None
    discipline_form: DisciplineForm | None
    actions: list[ActionOut]  # those the caller sees, soonest due first
    version: int

    @staticmethod
    def resolve_organization_code(obj: Item) -> str:
        return obj.programme.organization.code

    @staticmethod
    def resolve_year(obj: Item) -> int:
        return obj.programme.year

    @staticmethod
    def resolve_subject_cell_code(obj: Item) -> str | None:
        return obj.subject_cell.code if obj.subject_cell else None

    @staticmethod
    def resolve_subject_cell_name(obj: Item) -> str | None:
        return obj.subject_cell.name if obj.subject_cell else None

    @staticmethod
    def resolve_subject_member_name(obj: Item) -> str | None:
        return obj.subject_member.person.full_name if obj.subject_member else None

    @staticmethod
    def resolve_result(obj: Item) -> str | None:
        return obj.result or None

    @staticmethod
    def resolve_discipline_form(obj: Item) -> str | None:
        return obj.discipline_form or None

    @staticmethod
    def resolve_actions(obj: Item) -> list[RemedialAction]:
        return obj.actions_seen


class CellRef(Schema):
    code: str
    name: str


class NoteOut(Schema):
    id: int
    cell_code: str
    cell_name: str
    kind: NoteKind
    text: str
    raised_on: date
    answer: str
    answered_on: date | None
    version: int

    @staticmethod
    def resolve_cell_code(obj: Note) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_cell_name(obj: Note) -> str:
        return obj.cell.name


class TaskOut(Schema):
    id: int
    what: str
    responsible: str
    cells: list[CellRef]
    due_on: date | None
    state: TaskState
    done_on: date | None
    evidence: str
    drop_reason: str
    notes: list[NoteOut]  # oldest first; a cell's secretary reads their cell's
    version: int

    @staticmethod
    def resolve_cells(obj: Task) -> list:
        return list(obj.cells.all())

    @staticmethod
    def resolve_notes(obj: Task) -> list[Note]:
        return obj.notes_seen  # set by PlanOut.resolve_tasks (selectors.seen_tasks)


class DocumentRef(Schema):
    id: int
    number: str
    title: str


class PlanOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    title: str
    number: str
    adopted_on: date
    document: DocumentRef | None  # the resolution or directive carried out
    tasks: list[TaskOut]  # soonest due first; a cell's secretary reads those given to their cell
    version: int

    @staticmethod
    def resolve_organization_code(obj: ActionPlan) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj: ActionPlan) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_tasks(obj: ActionPlan, context) -> list[Task]:
        """What the caller sees of the plan (selectors.seen_tasks), without a query per task."""
        shown = []
        for seen in selectors.seen_tasks(_scope(context), obj, obj.tasks.all()):
            seen.task.notes_seen = seen.notes
            shown.append(seen.task)
        return shown


class ReviewFilters(Schema):
    year: Year | None = None  # this year when left out
    reviewed: bool | None = None  # false: the cells without a review of their working regulations


class ReviewOut(Schema):
    id: int
    regulation: RegulationKind
    review: ReviewKind
    reviewed_on: date
    document_number: str
    note: str
    version: int


class CellRegulationsOut(Schema):
    cell_code: str
    cell_name: str
    reviewed: bool  # its working regulations reviewed, amended or newly issued in the year
    working: list[ReviewOut]  # oldest first
    coordination: list[ReviewOut]

    @staticmethod
    def resolve_cell_code(obj: CellRegulations) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_cell_name(obj: CellRegulations) -> str:
        return obj.cell.name


class ActionDoneIn(Schema):
    version: int  # the remedial action's, as read
    done_on: date
    report: Annotated[str, Field(max_length=5000)]


class MoveIn(Schema):
    version: int  # the item's, as read
    to: Annotated[ItemState, Field(description="in_progress, cancelled or planned (put back)")]
    reason: Annotated[str, Field(max_length=2000)] = ""  # required to cancel


class ActionIn(Schema):
    action: Annotated[str, Field(max_length=5000)]
    owner_code: Annotated[str, Field(max_length=32)]  # the programme's organisation or one under it
    due_on: date | None = None


class ConcludeIn(Schema):
    version: int  # the item's, as read
    concluded_on: date
    conclusion: Annotated[str, Field(max_length=20000)]
    result: Result
    discipline_form: DisciplineForm | None = None  # with "violation_discipline", for a member
    actions: Annotated[list[ActionIn], Field(max_length=50)] = []
