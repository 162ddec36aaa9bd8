"""The rules of Party badges on the cases rules.md §2 gives, without a database."""

from datetime import date
from decimal import Decimal

import pytest

from dangvu.badges import rules
from dangvu.members.choices import DisciplineForm


def months(years: int, extra: int = 0) -> int:
    return years * 12 + extra


# ------------------------------------------------------------------------------- eligibility


def test_there_is_no_35_year_badge():
    assert 35 not in rules.MILESTONES and rules.MILESTONES[:3] == (30, 40, 45)
    assert not rules.eligible(months(35), 35)


def test_a_member_who_died_at_73_years_11_months_is_not_eligible_for_the_posthumous_75_year_badge():
    # rules.md §2.1, the Hanoi FAQ: 74 full years at least.
    assert not rules.eligible(months(73, 11), 75, deceased=True)
    assert rules.eligible(months(74), 75, deceased=True)
    assert not rules.eligible(months(74), 75)


@pytest.mark.parametrize(
    ("age", "years", "eligible"),
    [
        (months(29), 30, True),  # 12 months early for 30–65
        (months(28, 11), 30, False),
        (months(68), 70, True),  # 24 months early for 70–90
        (months(67, 11), 70, False),
        (months(64), 65, True),
        (months(63, 11), 65, False),
    ],
)
def test_a_gravely_ill_member_may_receive_the_badge_early(age, years, eligible):
    assert rules.eligible(age, years, gravely_ill=True) is eligible


def test_without_a_reason_the_full_party_age_is_needed_and_none_before_official():
    assert rules.eligible(months(30), 30) and not rules.eligible(months(29, 11), 30)
    assert not rules.eligible(None, 30)
    assert rules.early_months(70, gravely_ill=True, deceased=True) == 24


def test_the_day_a_milestone_is_reached_counts_the_gaps_in_months():
    # Admitted 15/03/1994 with 14 months out of the Party (a removal, then re-admission).
    assert rules.reached_on(date(1994, 3, 15), 14, 30) == date(2025, 5, 15)
    assert rules.reached_on(date(1994, 3, 15), 14, 30, early=12) == date(2024, 5, 15)
    assert rules.reached_on(date(1996, 2, 29), 0, 30) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("form", "from_effective", "from_decision"),
    [
        (DisciplineForm.REPRIMAND, date(2025, 9, 20), date(2025, 9, 10)),
        (DisciplineForm.WARNING, date(2025, 12, 20), date(2025, 12, 10)),
        (DisciplineForm.DISMISSAL, date(2026, 3, 20), date(2026, 3, 10)),
    ],
)
def test_after_a_discipline_the_member_waits_by_its_form(form, from_effective, from_decision):
    decided, effective = date(2025, 3, 10), date(2025, 3, 20)
    assert rules.considered_from(form, decided, effective) == from_effective
    assert rules.considered_from(form, decided, effective, from_effective=False) == from_decision
    assert rules.considered_from(form, decided) == from_decision  # no effective date recorded
    assert rules.considered_from(DisciplineForm.EXPULSION, decided) is None


# ---------------------------------------------------------------------------------- batches


@pytest.mark.parametrize(
    ("month", "batch"),
    [
        (1, date(2026, 2, 3)),
        (2, date(2026, 2, 3)),
        (3, date(2026, 5, 19)),
        (4, date(2026, 5, 19)),
        (5, date(2026, 5, 19)),
        (6, date(2026, 9, 2)),
        (7, date(2026, 9, 2)),
        (8, date(2026, 9, 2)),
        (9, date(2026, 9, 2)),
        (10, date(2026, 11, 7)),
        (11, date(2026, 11, 7)),
        (12, date(2027, 2, 3)),  # December goes to next year's 03/02
    ],
)
def test_the_batch_of_each_milestone_month(month, batch):
    assert rules.batch_of(date(2026, month, 28)) == batch
    assert rules.batch_of(date(2026, month, 1)) == batch


def test_a_province_s_windows_are_checked_and_followed():
    assert rules.windows_problem(rules.HANOI_BATCHES) == ""
    assert rules.windows_problem((rules.Batch(2, 3, 12), rules.Batch(5, 19, 12)))  # the same first month
    assert rules.windows_problem((rules.Batch(2, 3, 3), rules.Batch(9, 2, 12)))  # 03/02 closes no window
    two = (rules.Batch(5, 19, 12), rules.Batch(11, 7, 6))  # December–May, June–November
    assert rules.windows_problem(two) == ""
    assert rules.batch_of(date(2026, 12, 5), two) == date(2027, 5, 19)
    assert rules.batch_of(date(2026, 6, 1), two) == date(2026, 11, 7)


def test_one_batch_takes_the_whole_year():
    one = (rules.Batch(11, 7, 12),)  # December to November, all at 07/11
    assert rules._window(one[0], one) == [12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert rules.windows_problem(one) == ""
    assert rules.batch_of(date(2026, 12, 5), one) == date(2027, 11, 7)
    assert {rules.batch_of(date(2026, month, 1), one) for month in range(1, 12)} == {date(2026, 11, 7)}
    # one batch whose window ends in another month: said, not a server error
    assert rules.windows_problem((rules.Batch(2, 3, 12),))


def test_two_batches_share_the_year():
    two = (rules.Batch(3, 26, 4), rules.Batch(9, 2, 10))  # April–September at 02/9, October–March at 26/3
    assert rules._window(two[0], two) == [4, 5, 6, 7, 8, 9]
    assert rules._window(two[1], two) == [10, 11, 12, 1, 2, 3]
    assert "26/03" in rules.windows_problem(two)
    fixed = (rules.Batch(9, 2, 4), rules.Batch(3, 26, 10))
    assert rules.windows_problem(fixed) == ""
    assert rules.batch_of(date(2026, 10, 1), fixed) == date(2027, 3, 26)
    assert rules.batch_of(date(2026, 3, 31), fixed) == date(2026, 3, 26)
    assert rules.batch_of(date(2026, 4, 1), fixed) == date(2026, 9, 2)


# ------------------------------------------------------------------------------ badge numbers


@pytest.mark.parametrize(
    ("years", "good", "bad"),
    [
        (30, "HN 00000001", "HN 0000001"),
        (40, "HN 0000001", "HN E0000001"),
        (45, "HN E0000001", "HN 0000001"),
        (50, "HN 000001", "HN D000001"),
        (55, "HN D000001", "HN 000001"),
        (60, "HN 00001", "HN C00001"),
        (65, "HN C00001", "HN 00001"),
        (70, "HN 0001", "HN B0001"),
        (75, "HN B0001", "HN 0001"),
        (80, "HN 001", "HN A001"),
        (85, "HN A001", "HN 001"),
        (90, "HN 01", "HN 001"),
    ],
)
def test_badge_numbers_follow_the_pattern_of_their_badge(years, good, bad):
    assert rules.number_problem(years, good) == ""
    assert rules.number_problem(years, bad)


def test_a_number_is_read_as_typed_and_zeros_are_not_a_number():
    assert rules.normalise_number(" hn  d000123 ") == "HN D000123"
    assert rules.normalise_number("NB00005001") == "NB 00005001"
    assert rules.number_problem(55, "hn d000123") == ""
    assert rules.number_problem(30, "HN 00000000")
    assert rules.number_problem(35, "HN 00000001")


# ------------------------------------------------------------------------------------ money


def test_the_money_follows_the_base_salary_in_force_on_the_award_date():
    coefficient = rules.COEFFICIENTS[30]
    before = rules.in_force(rules.BASE_SALARY, date(2024, 6, 30))
    after = rules.in_force(rules.BASE_SALARY, date(2024, 7, 1))
    assert (before, after) == (1_800_000, 2_340_000)
    assert rules.amount(coefficient, before) == 2_700_000
    assert rules.amount(coefficient, after) == 3_510_000
    assert rules.amount(rules.COEFFICIENTS[80], after) == 35_100_000
    assert rules.in_force(rules.BASE_SALARY, date(2019, 6, 30)) is None


def test_a_badge_without_a_local_coefficient_has_no_amount_never_zero():
    for years in (45, 85, 90):
        assert rules.COEFFICIENTS[years] is None
        assert rules.amount(rules.COEFFICIENTS[years], 2_340_000) is None
    assert rules.amount(Decimal("0.3"), 2_340_000) == 702_000  # a certificate of merit (§1.10)


# ---------------------------------------------------------------------------------- dossier


@pytest.mark.parametrize(
    ("early", "extra"),
    [("", None), ("gravely_ill", "medical_record"), ("posthumous", "death_extract")],
)
def test_the_dossier_of_section_2_3_adds_the_early_awards_paper(early, extra):
    required = rules.papers_required(early)
    assert required[:4] == ("declaration", "cell_resolution", "committee_resolution", "personal_record")
    assert required[4:] == ((extra,) if extra else ())


def test_papers_missing_keeps_the_order_of_section_2_3_and_ignores_papers_not_needed():
    present = ["personal_record", "declaration", "medical_record"]
    assert rules.papers_missing("", present) == ("cell_resolution", "committee_resolution")
    assert rules.papers_missing("posthumous", present) == (
        "cell_resolution",
        "committee_resolution",
        "death_extract",
    )
    assert rules.papers_missing("gravely_ill", [*rules.PAPERS, "medical_record"]) == ()


def test_a_badge_number_reads_with_the_provinces_symbol_when_it_is_known():
    assert rules.normalise_number("hnd000001", "HN") == "HN D000001"
    assert rules.number_problem(55, "HND000001", "HN") == ""
    assert rules.number_problem(30, "HP 00000001", "HN") != ""
    assert rules.number_problem(30, "HP 00000001") == ""  # no symbol set: any province
