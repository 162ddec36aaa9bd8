"""The rules of the year's work programme, on the cases of rules.md §4 and metrics.md "Inspection"
and "Regulations", without a database."""

from datetime import date

import pytest

from dangvu.members.choices import DisciplineForm
from dangvu.programme import rules
from dangvu.programme.choices import ItemKind, ItemState, RegulationKind, Result, TaskState
from dangvu.programme.rules import Review, Subject

D = DisciplineForm

# --------------------------------------------------------------------------------- an item's life


@pytest.mark.parametrize(
    ("state", "to", "allowed"),
    [
        (ItemState.PLANNED, ItemState.IN_PROGRESS, True),
        (ItemState.PLANNED, ItemState.CONCLUDED, True),
        (ItemState.IN_PROGRESS, ItemState.CONCLUDED, True),
        (ItemState.CONCLUDED, ItemState.IN_PROGRESS, False),  # a conclusion stays on record
        (ItemState.CONCLUDED, ItemState.CANCELLED, False),
        (ItemState.CANCELLED, ItemState.PLANNED, True),  # put back in the programme
        (ItemState.CANCELLED, ItemState.CONCLUDED, False),
    ],
)
def test_an_item_moves_from_planned_to_concluded_or_cancelled(state, to, allowed):
    assert (rules.move_problem(state, to, reason="x") is None) == allowed


def test_a_cancellation_needs_its_reason():
    assert rules.move_problem(ItemState.PLANNED, ItemState.CANCELLED, reason="  ")
    assert rules.move_problem(ItemState.PLANNED, ItemState.CANCELLED, reason="Đơn vị giải thể") is None


def test_cancelled_items_are_not_planned_and_concluded_ones_complete_by_the_as_of_date():
    assert not rules.counts_as_planned(ItemState.CANCELLED)
    assert all(
        rules.counts_as_planned(s) for s in (ItemState.PLANNED, ItemState.IN_PROGRESS, ItemState.CONCLUDED)
    )
    assert rules.completed(ItemState.CONCLUDED, date(2026, 6, 30), date(2026, 6, 30))
    assert not rules.completed(ItemState.CONCLUDED, date(2026, 7, 1), date(2026, 6, 30))  # not seen yet
    assert not rules.completed(ItemState.IN_PROGRESS, None, date(2026, 12, 31))


# --------------------------------------------------------------------------------- conclusions


def test_a_discipline_goes_only_with_a_violation_proposed_for_discipline():
    assert rules.conclusion_problems(Result.VIOLATION_DISCIPLINE, D.WARNING) == []
    assert rules.conclusion_problems(Result.VIOLATION_DISCIPLINE) == []  # decided later, or above
    assert rules.conclusion_problems(Result.SHORTCOMINGS, D.REPRIMAND)
    assert rules.conclusion_problems("maybe")
    assert rules.conclusion_problems(Result.VIOLATION_DISCIPLINE, "fine")


@pytest.mark.parametrize(
    ("form", "probationary", "by_cell", "refused"),
    [
        (D.REPRIMAND, False, True, False),  # Điều lệ Điều 36: the cell reprimands or warns
        (D.WARNING, True, True, False),
        (D.DISMISSAL, False, True, True),  # removal from post: the committee, not the cell
        (D.EXPULSION, False, True, True),
        (D.EXPULSION, False, False, False),  # an authorised đảng ủy cơ sở may expel
        (D.DISMISSAL, True, False, True),  # a probationary member: reprimand or warning only
    ],
)
def test_who_may_decide_which_discipline(form, probationary, by_cell, refused):
    assert bool(rules.discipline_problems(form, probationary=probationary, by_cell=by_cell)) == refused


def test_the_probationary_rule_is_a_setting():
    """UNCONFIRMED under QĐ 296 (rules.md §4.2): the forms allowed are a parameter."""
    every = frozenset(D.values)
    assert not rules.discipline_problems(
        D.DISMISSAL, probationary=True, by_cell=False, probationary_forms=every
    )


def test_limitation_periods_of_22_qd_tw():
    assert rules.limitation_ends(D.REPRIMAND, date(2020, 5, 4)) == date(2025, 5, 4)
    assert rules.limitation_ends(D.WARNING, date(2020, 5, 4)) == date(2030, 5, 4)
    assert rules.limitation_ends(D.DISMISSAL, date(2020, 2, 29)) == date(2030, 2, 28)
    assert rules.limitation_ends(D.EXPULSION, date(2020, 5, 4)) is None
    assert rules.limitation_ends(D.REPRIMAND, date(2020, 5, 4), {D.REPRIMAND: 3}) == date(2023, 5, 4)


# ------------------------------------------------------------------------------ cells inspected


def test_a_cell_counts_once_for_items_about_it_or_its_members():
    root = "/du/"
    concluded = [
        Subject(cell_path="/du/a/"),
        Subject(member_cell_path="/du/a/"),  # a member of cell A
        Subject(member_cell_path="/du/b/"),
        Subject(),  # the committee itself: no cell
        Subject(cell_path="/other/c/"),  # outside the subtree
    ]
    assert rules.cells_inspected(concluded, root) == {"/du/a/", "/du/b/"}


def test_an_item_concerns_a_cell_or_a_member():
    assert rules.subject_problem(ItemKind.COMPLIANCE, has_cell=False, has_member=True) is None
    assert rules.subject_problem(ItemKind.COMPLIANCE, has_cell=True, has_member=True)
    assert rules.subject_problem(ItemKind.THEMATIC_INSPECTION, has_cell=False, has_member=False)
    assert rules.subject_problem(ItemKind.ONGOING_SUPERVISION, has_cell=False, has_member=False) is None


def test_a_compliance_inspection_outside_march_to_september_is_flagged():
    assert not rules.outside_compliance_window(ItemKind.COMPLIANCE, date(2026, 4, 1), date(2026, 9, 30))
    assert rules.outside_compliance_window(ItemKind.COMPLIANCE, date(2026, 1, 15), date(2026, 2, 15))
    assert rules.outside_compliance_window(ItemKind.COMPLIANCE, date(2026, 9, 1), date(2026, 10, 15))
    assert not rules.outside_compliance_window(ItemKind.DENUNCIATION, date(2026, 1, 15), date(2026, 2, 15))


# ------------------------------------------------------------------ tasks, actions, proposals


def test_an_open_task_past_its_day_is_overdue():
    today = date(2026, 11, 27)
    assert rules.overdue(TaskState.OPEN, date(2026, 11, 26), today)
    assert not rules.overdue(TaskState.OPEN, today, today)  # due today: not yet
    assert not rules.overdue(TaskState.DONE, date(2026, 1, 1), today)
    assert not rules.overdue(TaskState.OPEN, None, today)


def test_a_proposal_unanswered_for_more_than_the_setting():
    today = date(2026, 11, 27)
    assert rules.unanswered(date(2026, 11, 11), None, today)  # 16 days
    assert not rules.unanswered(date(2026, 11, 12), None, today)  # 15 days
    assert not rules.unanswered(date(2026, 1, 1), date(2026, 1, 3), today)
    assert rules.unanswered(date(2026, 11, 20), None, today, days=5)


# ----------------------------------------------------------------------------------- regulations


def test_only_the_working_regulations_reviewed_in_the_year_count():
    reviews = [
        Review("/du/a/", RegulationKind.WORKING, date(2026, 3, 2)),
        Review("/du/b/", RegulationKind.COORDINATION, date(2026, 3, 2)),  # coordination alone: no
        Review("/du/c/", RegulationKind.WORKING, date(2025, 12, 30)),  # last year
        Review("/du/d/", RegulationKind.WORKING, date(2026, 12, 1)),  # after the as-of date
        Review("/du/a/", RegulationKind.WORKING, date(2026, 9, 1)),  # twice: once
    ]
    assert rules.cells_with_regulations_reviewed(reviews, 2026, date(2026, 11, 27)) == {"/du/a/"}
