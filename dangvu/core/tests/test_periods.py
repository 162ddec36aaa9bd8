"""Working days (rules.md §3.5: weekends and public holidays, Tết included, are not working days),
on the calendar shipped in core/data, without a database."""

from datetime import date

import pytest

from dangvu.core.periods import WorkCalendar
from dangvu.testing import shipped_work_calendar


@pytest.fixture(scope="module")
def vn() -> WorkCalendar:
    return shipped_work_calendar()


def test_an_ordinary_week_works_monday_to_friday():
    week = [date(2026, 3, 9 + i) for i in range(7)]  # Monday 09/03/2026 to Sunday 15/03/2026
    assert [WorkCalendar().is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_tet_2024_is_off_from_thursday_8_to_wednesday_14_february(vn):
    assert not any(vn.is_working_day(date(2024, 2, d)) for d in range(8, 15))
    assert vn.is_working_day(date(2024, 2, 7)) and vn.is_working_day(date(2024, 2, 15))


def test_tet_2025_is_off_from_monday_27_january_to_saturday_1_february(vn):
    assert not any(vn.is_working_day(date(2025, 1, d)) for d in range(27, 32))
    assert vn.next_working_day(date(2025, 1, 27)) == date(2025, 2, 3)


def test_the_swapped_saturday_4_may_2024_is_a_working_day_and_29_april_is_not(vn):
    assert vn.is_working_day(date(2024, 5, 4))  # worked in exchange for Monday 29/04/2024
    assert not vn.is_working_day(date(2024, 4, 29))
    assert not vn.is_working_day(date(2024, 5, 11))  # the next Saturday is an ordinary one


def test_adding_working_days_skips_tet(vn):
    # 5 working days after Monday 05/02/2024: Tue 6, Wed 7, then Tết, Thu 15, Fri 16, Mon 19.
    assert vn.add_working_days(date(2024, 2, 5), 5) == date(2024, 2, 19)
    # The working day after Friday 24/01/2025 is Monday 03/02/2025, after the whole Tết week.
    assert vn.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)


def test_adding_working_days_skips_weekends_and_uses_the_swapped_saturday(vn):
    assert vn.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday -> Monday
    assert vn.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)  # Friday -> the swapped Saturday
    # After Friday 26/04/2024: Mon 29/04, Tue 30/04 and Wed 01/05 are off; Thursday 02/05 is next.
    assert vn.add_working_days(date(2024, 4, 26), 1) == date(2024, 5, 2)


def test_adding_zero_working_days_is_the_start_itself_and_a_negative_count_is_refused(vn):
    assert vn.add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 10)
    with pytest.raises(ValueError):
        vn.add_working_days(date(2024, 2, 10), -1)


def test_next_working_day_is_the_day_itself_when_it_works(vn):
    assert vn.next_working_day(date(2024, 2, 7)) == date(2024, 2, 7)
    assert vn.next_working_day(date(2024, 2, 8)) == date(2024, 2, 15)


def test_working_days_between_counts_after_the_first_day_up_to_the_last(vn):
    assert vn.working_days_between(date(2024, 2, 5), date(2024, 2, 19)) == 5
    assert vn.working_days_between(date(2024, 2, 19), date(2024, 2, 5)) == -5
    assert vn.working_days_between(date(2024, 2, 8), date(2024, 2, 14)) == 0  # all Tết
    for n in (1, 7, 30, 45):  # the two functions agree (45 working days: QĐ 294, 4.3.1)
        assert vn.working_days_between(date(2025, 1, 20), vn.add_working_days(date(2025, 1, 20), n)) == n


def test_2025_has_its_weekdays_less_the_holidays_plus_the_swapped_saturday(vn):
    # 261 weekdays; 12 of them off (01/01, 27-31/01, 07/04, 30/04, 01/05, 02/05, 01/09, 02/09);
    # Saturday 26/04 worked.
    assert vn.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 261 - 12 + 1
