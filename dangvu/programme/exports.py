"""The year's work programme as Excel workbooks (issue 8, point 4): the inspection and supervision
programme with its remedial actions, the action plans with their tasks and the cells' notes, and
the register of the cells' regulation reviews. Each reads what the user sees on the organisation's
pages, in a fixed number of queries; every text a spreadsheet would run as a formula is neutralised
(core.spreadsheets.add_table)."""

from datetime import date

from django.db.models import Prefetch
from django.utils import translation

from dangvu.core.access import Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.members.choices import DisciplineForm
from dangvu.organization.models import Organization

from . import selectors
from .choices import ItemKind, ItemState, NoteKind, RegulationKind, Result, ReviewKind, TaskState
from .models import ActionPlan, Item, Note, RegulationReview, RemedialAction, Task

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
ITEM_SHEET, ACTION_SHEET = "Kiểm tra, giám sát", "Việc khắc phục"
ITEM_HEADERS = (
    "Chương trình của",
    "Loại công việc",
    "Đối tượng",
    "Nội dung",
    "Từ ngày",
    "Đến ngày",
    "Số quyết định, kế hoạch",
    "Người phụ trách",
    "Tình trạng",
    "Ngày kết luận",
    "Kết quả",
    "Kết luận",
    "Kỷ luật",
)
ACTION_HEADERS = (
    "Nội dung kiểm tra, giám sát",
    "Đối tượng",
    "Việc khắc phục",
    "Đơn vị thực hiện",
    "Hạn",
    "Tình trạng",
    "Ngày hoàn thành",
    "Báo cáo",
)
PLAN_SHEET, NOTE_SHEET = "Kế hoạch", "Báo cáo, kiến nghị"
PLAN_HEADERS = (
    "Kế hoạch",
    "Số, ký hiệu",
    "Đơn vị ban hành",
    "Ngày ban hành",
    "Văn bản thực hiện",
    "Nhiệm vụ",
    "Người chịu trách nhiệm",
    "Chi bộ thực hiện",
    "Hạn",
    "Tình trạng",
    "Ngày hoàn thành",
    "Kết quả, minh chứng",
)
NOTE_HEADERS = (
    "Kế hoạch",
    "Nhiệm vụ",
    "Chi bộ",
    "Loại",
    "Nội dung",
    "Ngày gửi",
    "Trả lời",
    "Ngày trả lời",
)
REGISTER_SHEET, REVIEW_SHEET = "Rà soát quy chế", "Các lần rà soát"
NOT_REVIEWED = "Chưa rà soát"
REGISTER_HEADERS = (
    "Mã",
    "Chi bộ",
    "Quy chế làm việc",
    "Ngày (quy chế làm việc)",
    "Văn bản (quy chế làm việc)",
    "Quy chế phối hợp",
    "Ngày (quy chế phối hợp)",
    "Văn bản (quy chế phối hợp)",
)
REVIEW_HEADERS = ("Mã", "Chi bộ", "Quy chế", "Việc đã làm", "Ngày", "Văn bản", "Ghi chú")


def _labels(*choices) -> dict[str, str]:
    """The choices' Vietnamese labels, whoever downloads the file."""
    with translation.override("vi"):
        return {value: str(label) for c in choices for value, label in c.choices}


# ---------------------------------------------------------------------------- the programme


def _subject(item: Item) -> str:
    if item.subject_member_id:
        return item.subject_member.person.full_name
    return item.subject_cell.name if item.subject_cell_id else ""


def programme_file(scope: Scope, organization: Organization, year: int) -> tuple[str, bytes]:
    """The items of the year on the organisation's page that the user sees (selectors.items_in) and
    their remedial actions the user sees: two queries, however many items and actions."""
    items = list(selectors.items_in(scope, organization, year))
    actions = (
        selectors.actions_visible(scope)
        .filter(item__in=[item.pk for item in items])
        .order_by("item__programme__organization__path", "item__starts_on", "item_id", "due_on", "pk")
    )
    by_pk = {item.pk: item for item in items}
    labels = _labels(ItemKind, ItemState, Result, DisciplineForm, TaskState)
    item_rows = [_item_row(item, labels) for item in items]
    action_rows = [_action_row(action, by_pk[action.item_id], labels) for action in actions]
    data = write_tables([(ITEM_SHEET, ITEM_HEADERS, item_rows), (ACTION_SHEET, ACTION_HEADERS, action_rows)])
    return f"kiem-tra-giam-sat-{year}-{organization.code}.xlsx", data


def _item_row(item: Item, labels: dict[str, str]) -> list:
    state = labels[item.state]
    if item.state == ItemState.CANCELLED and item.cancel_reason:
        state = f"{state}: {item.cancel_reason}"
    return [
        item.programme.organization.name,
        labels[item.kind],
        _subject(item),
        item.content,
        item.starts_on,
        item.ends_on,
        item.decision_number,
        item.responsible,
        state,
        item.concluded_on,
        labels.get(item.result, ""),
        item.conclusion,
        labels.get(item.discipline_form, ""),
    ]


def _action_row(action: RemedialAction, item: Item, labels: dict[str, str]) -> list:
    return [
        item.content,
        _subject(item),
        action.action,
        action.owner.name,
        action.due_on,
        labels[action.state],
        action.done_on,
        action.report,
    ]


# ---------------------------------------------------------------------------- the action plans


def plans_file(scope: Scope, organization: Organization, year: int) -> tuple[str, bytes]:
    """The plans on the organisation's page adopted in the year (selectors.plans_in), one row per
    task (a plan without tasks: one row), and the cells' progress reports, difficulties and
    proposals. Of a plan above that gives one of their cells work, the user gets the tasks and
    notes of the cells they see. Four queries, however many plans, tasks and notes."""
    plans = (
        selectors.plans_in(scope, organization)
        .filter(adopted_on__year=year)
        .prefetch_related(Prefetch("tasks", queryset=selectors.tasks_with_notes()))
    )
    labels = _labels(TaskState, NoteKind)
    plan_rows, note_rows = [], []
    for plan in plans:
        shown = selectors.seen_tasks(scope, plan, plan.tasks.all())
        plan_rows.extend(_task_row(plan, task, labels) for task in [seen.task for seen in shown] or [None])
        for seen in shown:
            note_rows.extend(_note_row(plan, seen.task, note, labels) for note in seen.notes)
    data = write_tables([(PLAN_SHEET, PLAN_HEADERS, plan_rows), (NOTE_SHEET, NOTE_HEADERS, note_rows)])
    return f"ke-hoach-{year}-{organization.code}.xlsx", data


def _task_row(plan: ActionPlan, task: Task | None, labels: dict[str, str]) -> list:
    heading = [
        plan.title,
        plan.number,
        plan.organization.name,
        plan.adopted_on,
        " ".join(filter(None, (plan.document.number, plan.document.title))) if plan.document_id else "",
    ]
    if task is None:
        return heading + [""] * 7
    state = labels[task.state]
    if task.state == TaskState.DROPPED and task.drop_reason:
        state = f"{state}: {task.drop_reason}"
    return heading + [
        task.what,
        task.responsible,
        ", ".join(cell.name for cell in task.cells.all()),
        task.due_on,
        state,
        task.done_on,
        task.evidence,
    ]


def _note_row(plan: ActionPlan, task: Task, note: Note, labels: dict[str, str]) -> list:
    return [
        plan.title,
        task.what,
        note.cell.name,
        labels[note.kind],
        note.text,
        note.raised_on,
        note.answer,
        note.answered_on,
    ]


# ----------------------------------------------------------------------- the regulation register


def regulations_file(scope: Scope, organization: Organization, year: int, today: date) -> tuple[str, bytes]:
    """One row per cell of the subtree active in the year: its latest review of the year of its
    working regulations and of its coordination rules, or "Chưa rà soát"; and every review of the
    year. Two queries (selectors.regulation_register)."""
    register = selectors.regulation_register(scope, organization, year, today)
    labels = _labels(ReviewKind)
    with translation.override("vi"):
        working, coordination = (str(label) for _v, label in RegulationKind.choices)
    cell_rows, review_rows = [], []
    for row in register.rows:
        cell_rows.append(
            [row.cell.code, row.cell.name, *_latest(row.working, labels), *_latest(row.coordination, labels)]
        )
        for regulation, reviews in ((working, row.working), (coordination, row.coordination)):
            review_rows.extend(_review_row(row.cell, regulation, r, labels) for r in reviews)
    data = write_tables(
        [(REGISTER_SHEET, REGISTER_HEADERS, cell_rows), (REVIEW_SHEET, REVIEW_HEADERS, review_rows)]
    )
    return f"ra-soat-quy-che-{year}-{organization.code}.xlsx", data


def _latest(reviews: list[RegulationReview], labels: dict[str, str]) -> list:
    if not reviews:
        return [NOT_REVIEWED, None, ""]
    last = reviews[-1]  # the register lists them oldest first
    return [labels[last.review], last.reviewed_on, last.document_number]


def _review_row(
    cell: Organization, regulation: str, review: RegulationReview, labels: dict[str, str]
) -> list:
    return [
        cell.code,
        cell.name,
        regulation,
        labels[review.review],
        review.reviewed_on,
        review.document_number,
        review.note,
    ]
