"""The rules of member development on the cases rules.md §3 gives, without a database."""

from datetime import date

import pytest

from dangvu.development import rules
from dangvu.development.choices import ORDER, Step
from dangvu.testing import shipped_work_calendar

NATIONAL = rules.Limits()


@pytest.fixture(scope="module")
def vn_calendar():
    return shipped_work_calendar()


# ------------------------------------------------------------------------------------ probation


@pytest.mark.parametrize(
    ("ceremony", "end"),
    [
        (date(2024, 10, 10), date(2025, 10, 10)),  # rules.md §3.5, the Hanoi example
        (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 February the next year
        (date(2023, 2, 28), date(2024, 2, 28)),  # a leap year after: still the same day
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_probation_ends_exactly_twelve_months_after_the_ceremony(ceremony, end):
    assert rules.probation_end(ceremony) == end


# ------------------------------------------------------------------------------------- validity


def test_a_certificate_is_valid_through_the_same_day_sixty_months_later():
    assert rules.certificate_valid_until(date(2021, 3, 15)) == date(2026, 3, 15)
    assert rules.certificate_valid_until(date(2020, 2, 29)) == date(2025, 2, 28)


def test_a_dossier_paper_is_valid_through_the_same_day_twelve_months_later():
    assert rules.paper_valid_until(date(2025, 6, 30)) == date(2026, 6, 30)
    assert rules.paper_valid_until(date(2024, 2, 29)) == date(2025, 2, 28)


# ---------------------------------------------------------------------------------------- votes


@pytest.mark.parametrize(
    ("agree", "of", "passes"),
    [(6, 9, True), (5, 8, False), (2, 3, True), (1, 2, False), (8, 12, True), (7, 11, False), (0, 0, False)],
)
def test_a_cell_and_a_committee_need_two_thirds(agree, of, passes):
    assert rules.cell_vote_passes(agree, of) is passes
    assert rules.committee_vote_passes(agree, of) is passes


@pytest.mark.parametrize(
    ("agree", "of", "passes"), [(5, 9, True), (4, 8, False), (5, 8, True), (3, 7, False)]
)
def test_the_standing_committee_needs_more_than_half(agree, of, passes):
    assert rules.standing_committee_passes(agree, of) is passes


def test_a_vote_typed_wrong_is_refused():
    assert rules.vote_problem(10, 9)
    assert rules.vote_problem(-1, 9)
    assert rules.vote_problem(1, 0)
    assert rules.vote_problem(6, 9) == ""


# ---------------------------------------------------------------------------------- time limits


def test_the_decision_is_due_45_working_days_after_the_cell_across_tet(vn_calendar):
    # Friday 30/01/2026; Tết 2026 takes Monday 16 to Friday 20 February off.
    assert rules.decision_due(date(2026, 1, 30), vn_calendar, NATIONAL, extended=False) == date(2026, 4, 10)
    # +15: past the Hùng Kings' day (in lieu on 27/04), 30/04 and 01/05.
    assert rules.decision_due(date(2026, 1, 30), vn_calendar, NATIONAL, extended=True) == date(2026, 5, 6)


def test_the_ceremony_is_due_30_working_days_after_the_decision_arrives(vn_calendar):
    # Received Friday 13/02/2026, the last working day before Tết: without Tết it would be 27/03.
    assert rules.ceremony_due(date(2026, 2, 13), vn_calendar, NATIONAL) == date(2026, 4, 3)


def test_recognition_is_considered_within_30_working_days_after_probation(vn_calendar):
    # Ceremony 13/02/2025: probation ends 13/02/2026, just before Tết.
    assert rules.recognition_consideration_due(date(2025, 2, 13), vn_calendar, NATIONAL) == date(2026, 4, 3)


def test_the_recognition_decision_is_due_30_working_days_after_the_cell(vn_calendar):
    assert rules.recognition_decision_due(date(2026, 2, 13), vn_calendar, NATIONAL, extended=False) == date(
        2026, 4, 3
    )


def test_local_limits_replace_the_national_ones(vn_calendar):
    hanoi = rules.Limits(recognition_decision=15)
    assert rules.recognition_decision_due(date(2026, 3, 2), vn_calendar, hanoi, extended=False) == date(
        2026, 3, 23
    )


# ----------------------------------------------------------------------------------------- pool


@pytest.mark.parametrize(
    ("issued", "admitted", "in_pool"),
    [
        (date(2021, 3, 15), None, True),  # expires 15/03/2026: held during the year
        (date(2020, 12, 31), None, False),  # expired 31/12/2025, the day before the year
        (date(2021, 1, 1), None, True),  # valid through 01/01/2026
        (date(2026, 12, 31), None, True),  # issued on the year's last day
        (date(2027, 1, 1), None, False),  # not yet
        (date(2025, 5, 1), date(2025, 12, 31), False),  # admitted the year before
        (date(2025, 5, 1), date(2026, 1, 1), True),  # admitted during the year
        (date(2026, 5, 1), date(2026, 12, 31), True),  # admitted on 31/12
        (None, None, False),  # no certificate
    ],
)
def test_the_pool_of_a_year(issued, admitted, in_pool):
    assert rules.in_pool(issued, admitted, 2026) is in_pool


def test_a_candidate_removed_before_the_year_is_not_in_its_pool():
    issued = date(2024, 5, 1)
    assert rules.in_pool(issued, None, 2026, removed_on=date(2026, 1, 1))  # removed during the year
    assert rules.in_pool(issued, None, 2026, removed_on=date(2027, 3, 1))
    assert not rules.in_pool(issued, None, 2026, removed_on=date(2025, 12, 31))


# ---------------------------------------------------------------------------------------- steps


def test_the_steps_come_in_order_each_once():
    assert rules.step_problem([], Step.SYMPATHISER) == ""
    assert rules.step_problem([], Step.CLASS)  # not before being listed
    assert rules.step_problem([Step.SYMPATHISER], Step.CLASS) == ""
    assert rules.step_problem([Step.SYMPATHISER], Step.SYMPATHISER)
    assert rules.step_problem(list(ORDER[:5]), Step.DECISION) == ""
    assert rules.step_problem(list(ORDER), Step.RECOGNITION_CELL_VOTE)
    assert rules.step_problem([], "anything")


def test_a_removal_ends_the_pipeline_before_recognition():
    assert rules.step_problem(list(ORDER[:7]), Step.REMOVED) == ""
    assert rules.step_problem([Step.SYMPATHISER, Step.REMOVED], Step.CLASS)
    assert rules.step_problem(list(ORDER), Step.REMOVED)


def test_a_step_is_dated_in_order_and_not_in_the_future():
    today = date(2026, 11, 27)
    assert rules.dates_problem(date(2026, 3, 1), date(2026, 3, 1), today) == ""
    assert rules.dates_problem(date(2026, 3, 2), date(2026, 3, 1), today)
    assert rules.dates_problem(None, date(2026, 11, 28), today)


# -------------------------------------------------------------------------------- what is awaited


def test_what_is_awaited_and_by_when(vn_calendar):
    done = {Step.SYMPATHISER: rules.Done(date(2020, 5, 1))}
    assert rules.next_due(done, vn_calendar, NATIONAL) is None
    done[Step.CLASS] = rules.Done(date(2021, 3, 15))
    assert rules.next_due(done, vn_calendar, NATIONAL) == rules.Due(Step.CELL_VOTE, date(2026, 3, 15))
    done[Step.PROCEDURE] = rules.Done(date(2025, 12, 1))
    done[Step.CELL_VOTE] = rules.Done(date(2026, 1, 30))
    assert rules.next_due(done, vn_calendar, NATIONAL) == rules.Due(Step.DECISION, date(2026, 4, 10))
    done[Step.COMMITTEE_VOTE] = rules.Done(date(2026, 2, 5), extended=True)
    assert rules.next_due(done, vn_calendar, NATIONAL) == rules.Due(Step.DECISION, date(2026, 5, 6))
    done[Step.DECISION] = rules.Done(date(2026, 2, 10), received_on=date(2026, 2, 13))
    due = rules.next_due(done, vn_calendar, NATIONAL)
    assert due == rules.Due(Step.CEREMONY, date(2026, 4, 3))
    assert due.overdue(date(2026, 4, 4)) and not due.overdue(date(2026, 4, 3))
    done[Step.CEREMONY] = rules.Done(date(2025, 2, 13))  # (dates of another candidate: probation)
    assert rules.next_due(done, vn_calendar, NATIONAL) == rules.Due(
        Step.RECOGNITION_CELL_VOTE, date(2026, 4, 3)
    )
    done[Step.RECOGNITION_CELL_VOTE] = rules.Done(date(2026, 2, 13))
    assert rules.next_due(done, vn_calendar, NATIONAL) == rules.Due(Step.RECOGNISED, date(2026, 4, 3))
    done[Step.RECOGNISED] = rules.Done(date(2026, 3, 1))
    assert rules.next_due(done, vn_calendar, NATIONAL) is None
