"""Rules of the year's work programme: pure functions, no database.

Sources: shared/domain/rules.md §4 (inspection, supervision, discipline) and shared/spec/metrics.md,
"Inspection" and "Regulations" (the settled readings the figures follow). UNCONFIRMED points are
parameters whose default is the long-standing rule (rules.md §4.2, §11): a probationary member may
only be reprimanded or warned; the limitation periods of 22-QĐ/TW (5 and 10 years).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from dangvu.members.choices import DisciplineForm

from .choices import ItemKind, ItemState, RegulationKind, Result, TaskState

# ---------------------------------------------------------------------------- an item's life

MOVES: Mapping[str, frozenset[str]] = {
    ItemState.PLANNED: frozenset({ItemState.IN_PROGRESS, ItemState.CONCLUDED, ItemState.CANCELLED}),
    ItemState.IN_PROGRESS: frozenset({ItemState.CONCLUDED, ItemState.CANCELLED}),
    ItemState.CONCLUDED: frozenset(),
    ItemState.CANCELLED: frozenset({ItemState.PLANNED}),  # put back in the programme
}


def move_problem(state: str, to: str, *, reason: str = "") -> str | None:
    """Why an item cannot go from `state` to `to`, or None (issue 8, point 2: planned, in progress,
    concluded, cancelled with a reason). A concluded item stays concluded: its conclusion is on
    record, and a correction is a new item."""
    if to not in MOVES.get(state, ()):
        return _("An item that is %(state)s cannot become %(to)s.") % {
            "state": ItemState(state).label,
            "to": ItemState(to).label,
        }
    if to == ItemState.CANCELLED and not reason.strip():
        return _("Write why the item is cancelled.")
    return None


def counts_as_planned(state: str) -> bool:
    """inspection.planned counts the items not cancelled (metrics.md "Inspection")."""
    return state != ItemState.CANCELLED


def completed(state: str, concluded_on: date | None, as_of: date) -> bool:
    """inspection.completed: concluded on or before the as-of date (a fact dated after it is not
    seen: metrics.md "Time")."""
    return state == ItemState.CONCLUDED and concluded_on is not None and concluded_on <= as_of


# ------------------------------------------------------------------------------ the conclusion


def conclusion_problems(result: str, discipline: str = "") -> list[str]:
    """What is wrong with a conclusion: a result from the list, and a discipline form only with the
    result "violation, discipline proposed" (rules.md §4.2, the result values)."""
    if result not in Result.values:
        return [_("Choose the result of the conclusion from the list.")]
    if discipline and result != Result.VIOLATION_DISCIPLINE:
        return [_("A discipline goes with the result “violation, discipline proposed”.")]
    if discipline and discipline not in DisciplineForm.values:
        return [_("Choose the form of discipline from the list.")]
    return []


CELL_FORMS = frozenset({DisciplineForm.REPRIMAND, DisciplineForm.WARNING})
PROBATIONARY_FORMS = frozenset({DisciplineForm.REPRIMAND, DisciplineForm.WARNING})


def discipline_problems(
    form: str, *, probationary: bool, by_cell: bool, probationary_forms: frozenset[str] = PROBATIONARY_FORMS
) -> list[str]:
    """Why a discipline cannot be decided as asked (rules.md §4.2): a cell decides only a reprimand
    or a warning (Điều lệ Điều 36) [MED]; a probationary member may only be reprimanded or warned
    (UNCONFIRMED under QĐ 296: `probationary_forms` is the setting)."""
    problems = []
    if by_cell and form not in CELL_FORMS:
        problems.append(_("A cell decides only a reprimand or a warning; propose the rest to the committee."))
    if probationary and form not in probationary_forms:
        problems.append(_("A probationary member may only be reprimanded or warned."))
    return problems


LIMITATION_YEARS: Mapping[str, int | None] = {
    DisciplineForm.REPRIMAND: 5,
    DisciplineForm.WARNING: 10,
    DisciplineForm.DISMISSAL: 10,
    DisciplineForm.EXPULSION: None,  # no limit in the cases the rules name
}


def limitation_ends(
    form: str, violated_on: date, years: Mapping[str, int | None] = LIMITATION_YEARS
) -> date | None:
    """The last day a violation may still be disciplined with `form` (thời hiệu of 22-QĐ/TW: 5 years
    for a reprimand, 10 for a warning or a removal from post; UNCONFIRMED whether QĐ 296 changed
    them: `years` is the setting); None when there is no limit."""
    count = years.get(form)
    if count is None:
        return None
    try:
        return violated_on.replace(year=violated_on.year + count)
    except ValueError:  # 29 February, in a year that has none
        return violated_on.replace(year=violated_on.year + count, day=28)


# ------------------------------------------------------------------------------ cells inspected


@dataclass(frozen=True)
class Subject:
    """Who an item concerned, as inspection.cells_inspected reads it: a cell (its path), or a member
    (the path of the cell they are attributed to), or neither (a committee: no cell)."""

    cell_path: str = ""
    member_cell_path: str = ""

    @property
    def cell(self) -> str:
        return self.cell_path or self.member_cell_path


def cells_inspected(concluded: Iterable[Subject], root_path: str) -> set[str]:
    """The cells of the subtree that were, or whose member was, the subject of a concluded item
    (metrics.md "Inspection"): several items about one cell or its members count it once; a subject
    that is not a cell or a member counts no cell."""
    return {s.cell for s in concluded if s.cell and s.cell.startswith(root_path)}


def subject_problem(kind: str, *, has_cell: bool, has_member: bool) -> str | None:
    """An item concerns one cell or one member, never both; ongoing supervision may concern the
    whole organisation (rules.md §4.2: "chi ủy over all members")."""
    if has_cell and has_member:
        return _("An item concerns a cell or a member, not both.")
    if not has_cell and not has_member and kind != ItemKind.ONGOING_SUPERVISION:
        return _("Choose the cell or the member the item concerns.")
    return None


# ------------------------------------------------------------------- the compliance window


def compliance_window(year: int) -> tuple[date, date]:
    """The window the sample programme suggests for inspecting members' compliance: from the end of
    the first quarter to the end of the third (rules.md §4.2, HD 01-HD/UBKTTU 2017) [MED, sample]."""
    return date(year, 3, 1), date(year, 9, 30)


def outside_compliance_window(kind: str, start: date, end: date) -> bool:
    """A warning, never a refusal: a compliance inspection planned outside the suggested window."""
    if kind != ItemKind.COMPLIANCE:
        return False
    first, last = compliance_window(start.year)
    return start < first or end > last


# ------------------------------------------------------------- tasks, remedial actions, proposals


def overdue(state: str, due_on: date | None, today: date) -> bool:
    """An open task or remedial action past its due date (issue 8: late tasks show and are
    reminded)."""
    return state == TaskState.OPEN and due_on is not None and due_on < today


ANSWER_DAYS = 15  # a product default: no rule found sets the time to answer a cell's proposal


def unanswered(raised_on: date, answered_on: date | None, today: date, days: int = ANSWER_DAYS) -> bool:
    """A cell's difficulty or proposal (kiến nghị) left without an answer for more than `days`
    days (issue 8, point 1; the setting, 15 by default)."""
    return answered_on is None and (today - raised_on).days > days


# ---------------------------------------------------------------------------------- regulations


@dataclass(frozen=True)
class Review:
    cell_path: str
    kind: str  # RegulationKind
    reviewed_on: date


def cells_with_regulations_reviewed(reviews: Iterable[Review], year: int, as_of: date) -> set[str]:
    """regulations.cells_reviewed_pct's numerator: cells with a review (reviewed, amended or newly
    issued) of their working regulations dated in the year by the as-of date; a review of the
    coordination rules alone does not count (metrics.md "Regulations")."""
    return {
        r.cell_path
        for r in reviews
        if r.kind == RegulationKind.WORKING and r.reviewed_on.year == year and r.reviewed_on <= as_of
    }
