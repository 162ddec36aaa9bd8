"""The rules of report requests, without a database: deadlines, repetition, statuses, forms, files."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dangvu.core.periods import WorkCalendar
from dangvu.reports import rules
from dangvu.reports.choices import PeriodKind, State, Status
from dangvu.testing import shipped_work_calendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def vn_calendar() -> WorkCalendar:
    return shipped_work_calendar()


# ------------------------------------------------------------------------------------ deadlines


def test_without_a_time_the_deadline_is_the_last_second_of_the_due_date():
    closes = rules.deadline(date(2026, 3, 25), None, HCM)
    assert closes == datetime(2026, 3, 25, 23, 59, 59, tzinfo=HCM)
    assert rules.is_on_time(datetime(2026, 3, 25, 23, 59, 0, tzinfo=HCM), closes)
    assert rules.is_on_time(datetime(2026, 3, 25, 23, 59, 59, 900000, tzinfo=HCM), closes)
    assert not rules.is_on_time(datetime(2026, 3, 26, 0, 0, 0, tzinfo=HCM), closes)


def test_a_due_time_closes_the_round_at_that_minute_in_vietnam_time():
    closes = rules.deadline(date(2026, 6, 15), time(17, 0), HCM)
    assert rules.is_on_time(datetime(2026, 6, 15, 17, 0, 0, tzinfo=HCM), closes)
    assert not rules.is_on_time(datetime(2026, 6, 15, 17, 0, 1, tzinfo=HCM), closes)
    # 09:59 UTC is 16:59 in Hà Nội: on time, whatever the server's zone.
    assert rules.is_on_time(datetime(2026, 6, 15, 9, 59, tzinfo=ZoneInfo("UTC")), closes)
    assert not rules.is_on_time(datetime(2026, 6, 15, 10, 1, tzinfo=ZoneInfo("UTC")), closes)


# ----------------------------------------------------------------------------------- repetition


def test_by_the_31st_means_each_months_last_day(vn_calendar):
    plan = rules.rounds(
        first=rules.Period(PeriodKind.MONTH, 2026, 1),
        first_due=date(2026, 1, 31),
        repeat_until=date(2026, 12, 31),
        calendar_=vn_calendar,
        move_to_working_day=False,
    )
    assert [r.due_date for r in plan[:4]] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert len(plan) == 12
    assert [r.period.label for r in plan[:2]] == ["Tháng 1/2026", "Tháng 2/2026"]


def test_by_the_30th_in_february_is_its_last_day_and_leap_years_count():
    assert rules.shifted_due_date(date(2027, 12, 30), 2) == date(2028, 2, 29)
    assert rules.shifted_due_date(date(2026, 1, 30), 1) == date(2026, 2, 28)
    assert rules.shifted_due_date(date(2026, 1, 30), 2) == date(2026, 3, 30)


def test_repetition_crosses_the_year_end_with_its_periods(vn_calendar):
    plan = rules.rounds(
        first=rules.Period(PeriodKind.QUARTER, 2026, 3),
        first_due=date(2026, 9, 30),
        repeat_until=date(2027, 6, 30),
        calendar_=vn_calendar,
        move_to_working_day=False,
    )
    assert [(r.period.year, r.period.number, r.due_date) for r in plan] == [
        (2026, 3, date(2026, 9, 30)),
        (2026, 4, date(2026, 12, 30)),
        (2027, 1, date(2027, 3, 30)),
        (2027, 2, date(2027, 6, 30)),
    ]


def test_a_deadline_in_tet_stays_unless_the_request_moves_it(vn_calendar):
    # 17/02/2026 is mùng 1 Tết Bính Ngọ; the holiday runs to 20/02, then a weekend.
    common = {
        "first": rules.Period(PeriodKind.MONTH, 2026, 1),
        "first_due": date(2026, 1, 17),
        "repeat_until": date(2026, 3, 31),
        "calendar_": vn_calendar,
    }
    kept = rules.rounds(**common, move_to_working_day=False)
    moved = rules.rounds(**common, move_to_working_day=True)
    assert [r.due_date for r in kept] == [date(2026, 1, 17), date(2026, 2, 17), date(2026, 3, 17)]
    # 17/01/2026 is a Saturday: Monday 19/01. Tết: the first working day after it, Monday 23/02.
    assert [r.due_date for r in moved] == [date(2026, 1, 19), date(2026, 2, 23), date(2026, 3, 17)]


def test_a_swapped_saturday_is_a_working_day_for_deadlines(vn_calendar):
    # Saturday 04/05/2024 was worked in exchange for Monday 29/04/2024.
    assert rules.effective_due_date(date(2024, 5, 4), vn_calendar, move_to_working_day=True) == date(
        2024, 5, 4
    )
    assert rules.effective_due_date(date(2024, 4, 29), vn_calendar, move_to_working_day=True) == date(
        2024, 5, 2
    )


def test_a_one_off_request_has_one_round(vn_calendar):
    plan = rules.rounds(
        first=rules.Period(PeriodKind.ADHOC, 2026, 1),
        first_due=date(2026, 12, 5),
        repeat_until=date(2027, 12, 31),
        calendar_=vn_calendar,
        move_to_working_day=False,
    )
    assert len(plan) == 1


def test_period_labels_and_numbers():
    assert rules.Period(PeriodKind.QUARTER, 2026, 4).label == "Quý IV/2026"
    assert rules.Period(PeriodKind.HALF, 2026, 1).end == date(2026, 6, 30)
    assert rules.Period(PeriodKind.MONTH, 2026, 12).following(1) == rules.Period(PeriodKind.MONTH, 2027, 1)
    assert rules.period_problem(PeriodKind.QUARTER, 5)
    assert rules.period_problem(PeriodKind.MONTH, 12) is None


# -------------------------------------------------------------------------------------- status

CLOSES = datetime(2026, 3, 25, 23, 59, 59, tzinfo=HCM)
BEFORE = CLOSES - timedelta(hours=5)
AFTER = CLOSES + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("state", "now", "last", "accepted", "expected"),
    [
        (State.OPEN, BEFORE, None, None, Status.DUE),
        (State.OPEN, AFTER, None, None, Status.MISSING),
        (State.SUBMITTED, AFTER, BEFORE, None, Status.SUBMITTED),
        (State.SUBMITTED, AFTER + timedelta(days=1), AFTER, None, Status.SUBMITTED_LATE),
        (State.RETURNED, BEFORE, BEFORE, None, Status.INCOMPLETE),
        (State.ACCEPTED, AFTER, BEFORE, BEFORE, Status.ON_TIME),
        # A correction sent after the deadline and accepted: the accepted version decides.
        (State.ACCEPTED, AFTER, AFTER, AFTER, Status.LATE),
    ],
)
def test_status_reads_the_state_against_the_deadline(state, now, last, accepted, expected):
    assert (
        rules.status(
            state=state, closes=CLOSES, now=now, last_submitted_at=last, accepted_submitted_at=accepted
        )
        == expected
    )


def test_reminders_three_days_then_one_day_before():
    days = (3, 1)
    assert rules.reminder_threshold(CLOSES, CLOSES - timedelta(days=4), days) is None
    assert rules.reminder_threshold(CLOSES, CLOSES - timedelta(days=3), days) == 3
    assert rules.reminder_threshold(CLOSES, CLOSES - timedelta(hours=20), days) == 1
    assert rules.reminder_threshold(CLOSES, AFTER, days) is None


# ----------------------------------------------------------------------------------- the form


def test_the_form_office_staff_type_becomes_items():
    fields = rules.parse_form_fields("Số đảng viên dự họp (số)\n\n  Nội dung chính  \nSố vắng (SỐ)")
    assert fields == [
        rules.FormField("f1", "Số đảng viên dự họp", True),
        rules.FormField("f2", "Nội dung chính", False),
        rules.FormField("f3", "Số vắng", True),
    ]
    with pytest.raises(ValueError):
        rules.parse_form_fields("(số)")


def test_values_are_checked_item_by_item():
    items = [
        {"key": "f1", "label": "Số dự họp", "number": True},
        {"key": "f2", "label": "Ý kiến", "number": False},
    ]
    values, errors = rules.clean_values(items, {"f1": " 1.234 ", "f2": "Đồng ý"})
    assert values == {"f1": 1234, "f2": "Đồng ý"} and errors == {}
    values, errors = rules.clean_values(items, {"f1": "mười", "f2": "  "})
    assert set(errors) == {"f1", "f2"} and values == {}
    _values, errors = rules.clean_values(items, {"f1": "-3", "f2": "x"})
    assert set(errors) == {"f1"}


# ------------------------------------------------------------------------------------ the file


def test_files_are_checked_by_extension_size_and_content():
    assert rules.file_problem("bao-cao.pdf", 1000, b"%PDF-1.7") is None
    assert rules.file_problem("bao-cao.docx", 1000, b"PK\x03\x04rest") is None
    assert rules.file_problem("bao-cao.exe", 1000, b"MZ") is not None
    assert rules.file_problem("bao-cao.pdf", 1000, b"MZ\x90\x00") is not None  # a program renamed
    assert rules.file_problem("bao-cao.pdf", rules.MAX_FILE_BYTES + 1, b"%PDF") is not None
    assert rules.file_problem("khong-duoi", 10, b"%PDF") is not None


def test_templates_fall_due_in_their_periods_last_month():
    monthly = rules.TEMPLATES_BY_KEY["monthly"]
    assert rules.template_first_due(monthly, rules.Period(PeriodKind.MONTH, 2026, 2)) == date(2026, 2, 25)
    transfers = rules.TEMPLATES_BY_KEY["transfers"]
    assert rules.template_first_due(transfers, rules.Period(PeriodKind.QUARTER, 2026, 1)) == date(2026, 3, 31)
    for template in rules.TEMPLATES:
        assert rules.parse_form_fields(template.fields) is not None


def test_a_template_prefills_the_next_due_date_not_a_past_one():
    from dangvu.reports.forms import template_initial

    monthly = template_initial(rules.TEMPLATES_BY_KEY["monthly"], date(2026, 11, 27))
    assert (monthly["number"], monthly["first_due"]) == (12, date(2026, 12, 25))
    review = template_initial(rules.TEMPLATES_BY_KEY["annual_review"], date(2026, 11, 27))
    assert (review["year"], review["first_due"]) == (2026, date(2026, 12, 15))
    late_in_december = template_initial(rules.TEMPLATES_BY_KEY["monthly"], date(2026, 12, 28))
    assert (late_in_december["year"], late_in_december["number"]) == (2027, 1)
    assert late_in_december["repeat_until"] == date(2027, 12, 31)
