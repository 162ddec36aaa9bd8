"""Rules of report requests: periods, deadlines, repetition, statuses. Pure functions, no database.

No central document fixes the deadlines of cells' reports to their committee: each committee sets
them in its working rules (shared/domain/rules.md §7, UNCONFIRMED (central); "Product defaults":
report deadlines are set per request). So every deadline here is what the request says, and the
templates below only prefill the usual reports of §7.
"""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.files import MAX_FILE_BYTES, SIGNATURES, file_problem  # noqa: F401 (moved; kept importable)
from dangvu.members.rules import add_months

from .choices import PeriodKind, State, Status

MAX_ROUNDS = 60  # a request repeats at most five years of months

# ------------------------------------------------------------------------------------- periods

STEP_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
NUMBERS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    """What a round of a report covers: month 1–12, quarter 1–4, half 1–2, or the year (1)."""

    kind: str
    year: int
    number: int

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.ADHOC:
            return date(self.year, 1, 1)
        first_month = (self.number - 1) * STEP_MONTHS[self.kind] + 1
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        if self.kind == PeriodKind.ADHOC:
            return date(self.year, 12, 31)
        last_month = self.number * STEP_MONTHS[self.kind]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def label(self) -> str:
        """As the Party writes it: "Tháng 11/2026", "Quý IV/2026", "6 tháng đầu năm 2026"."""
        if self.kind == PeriodKind.MONTH:
            return _("Month %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(number)s/%(year)s") % {"number": ROMAN[self.number - 1], "year": self.year}
        if self.kind == PeriodKind.HALF:
            if self.number == 1:
                return _("First six months of %(year)s") % {"year": self.year}
            return _("Last six months of %(year)s") % {"year": self.year}
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": self.year}
        return ""

    def following(self, rounds: int) -> "Period":
        """The period `rounds` periods later (the next month, quarter, half or year)."""
        if self.kind == PeriodKind.ADHOC:
            return self
        per_year = NUMBERS[self.kind]
        index = self.year * per_year + self.number - 1 + rounds
        return Period(self.kind, index // per_year, index % per_year + 1)


def period_problem(kind: str, number: int) -> str | None:
    """A period number the kind does not have (month 13, quarter 5), in words, or None."""
    if kind == PeriodKind.ADHOC:
        return None
    if not 1 <= number <= NUMBERS[kind]:
        return _("The period number must be between 1 and %(max)s for this kind of period.") % {
            "max": NUMBERS[kind]
        }
    return None


# ----------------------------------------------------------------------------------- deadlines

LAST_DAY = 31  # "by the 31st" means the month's last day (issue 5)


def month_day(year: int, month: int, day: int) -> date:
    """Day `day` of a month, or its last day when the month is shorter (31 → 30/04, 28/02)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def shifted_due_date(first_due: date, months: int) -> date:
    """The due date `months` later on the same day of the month (issue 5: "every month by the 25th";
    "by the 31st" is each month's last day)."""
    return add_months(first_due, months)


class WorkingDays(Protocol):
    def is_working_day(self, day: date) -> bool: ...
    def next_working_day(self, day: date) -> date: ...


def effective_due_date(due: date, calendar_: WorkingDays, *, move_to_working_day: bool) -> date:
    """A due date on a day off stays where it is unless the request says to move it to the next
    working day (issue 5; working days per core.periods, rules §3.5)."""
    return calendar_.next_working_day(due) if move_to_working_day else due


@dataclass(frozen=True)
class Round:
    """One round of a request: the period covered and the date it is due."""

    period: Period
    due_date: date


def rounds(
    *,
    first: Period,
    first_due: date,
    repeat_until: date | None,
    calendar_: WorkingDays,
    move_to_working_day: bool,
) -> list[Round]:
    """The rounds of a request: the first, then one per following period while its due date falls
    on or before `repeat_until` (a one-off when None). Due dates keep the first's day of the month."""
    out: list[Round] = []
    step = STEP_MONTHS.get(first.kind, 0)
    for k in range(MAX_ROUNDS):
        nominal = shifted_due_date(first_due, k * step)
        if k and (repeat_until is None or not step or nominal > repeat_until):
            break
        due = effective_due_date(nominal, calendar_, move_to_working_day=move_to_working_day)
        out.append(Round(first.following(k), due))
    return out


END_OF_DAY = time(23, 59, 59)


def deadline(due_date: date, due_time: time | None, zone: ZoneInfo) -> datetime:
    """The moment a round closes: the due time on the due date, or 23:59:59 when no time is set,
    in Asia/Ho_Chi_Minh (issue 5)."""
    return datetime.combine(due_date, due_time or END_OF_DAY, tzinfo=zone)


def is_on_time(submitted_at: datetime, closes: datetime) -> bool:
    """Received at or before the deadline, to the second: 23:59:59.9 on the due date is on time,
    00:00 the next day is late (metrics.md, "Reports")."""
    return submitted_at.replace(microsecond=0) <= closes


def status(
    *,
    state: str,
    closes: datetime,
    now: datetime,
    last_submitted_at: datetime | None,
    accepted_submitted_at: datetime | None,
) -> Status:
    """What a cell's submission is, read against its deadline (issue 5): on time when the version
    finally accepted was received by the deadline; late when after; incomplete when returned;
    missing when nothing came by the deadline."""
    if state == State.ACCEPTED and accepted_submitted_at is not None:
        return Status.ON_TIME if is_on_time(accepted_submitted_at, closes) else Status.LATE
    if state == State.RETURNED:
        return Status.INCOMPLETE
    if state == State.SUBMITTED and last_submitted_at is not None:
        return Status.SUBMITTED if is_on_time(last_submitted_at, closes) else Status.SUBMITTED_LATE
    return Status.DUE if now <= closes else Status.MISSING


def reminder_threshold(closes: datetime, now: datetime, days_before: Iterable[int]) -> int | None:
    """The tightest reminder already due before the deadline (3 then 1 day by default), or None.

    A scheduler that starts late sends the tightest reminder only, not every one it missed."""
    if now > closes:
        return None
    reached = [d for d in days_before if now >= closes - timedelta(days=d)]
    return min(reached) if reached else None


# ------------------------------------------------------------------------------ form of figures


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    number: bool


NUMBER_MARK = re.compile(r"\s*\((số|so|number)\)\s*$", re.IGNORECASE)
MAX_FIELDS = 30


def parse_form_fields(text: str) -> list[FormField]:
    """The short form a request defines, one item per line; an item ending in "(số)" takes a whole
    number, the others text. Raises ValueError with a message for the office."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_FIELDS:
        raise ValueError(_("A form may have at most %(max)s items.") % {"max": MAX_FIELDS})
    fields = []
    for index, line in enumerate(lines, start=1):
        number = bool(NUMBER_MARK.search(line))
        label = NUMBER_MARK.sub("", line).strip()[:200]
        if not label:
            raise ValueError(_("Line %(line)s of the form has no name.") % {"line": index})
        fields.append(FormField(key=f"f{index}", label=label, number=number))
    return fields


MAX_TEXT = 5000


def clean_values(fields: Iterable[dict[str, Any]], raw: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """The submitted values of the form, checked: every item filled, numbers whole and not negative.
    Returns (values, errors by key)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        key = field["key"]
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if not text:
            errors[key] = _("Fill in “%(label)s”.") % {"label": field["label"]}
        elif field["number"]:
            digits = text.replace(".", "").replace(",", "").replace(" ", "")
            if not (digits.isascii() and digits.isdigit()):
                errors[key] = _("“%(label)s” must be a whole number.") % {"label": field["label"]}
            else:
                values[key] = int(digits)
        else:
            values[key] = text[:MAX_TEXT]
    return values, errors


# ----------------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Template:
    """A usual periodic report of §7, to prefill a request: the office still sets the deadline."""

    key: str
    title: Any
    kind: str
    due_day: int  # of the period's last month; 31 = its last day
    requires_file: bool
    fields: str
    source: str  # shown to the office, in Vietnamese


TEMPLATES = (
    Template(
        "monthly",
        gettext_lazy("Monthly report of the cell (meeting resolution and results)"),
        PeriodKind.MONTH,
        25,
        True,
        "Số đảng viên dự sinh hoạt (số)\nSố đảng viên vắng mặt (số)\nNội dung chính của nghị quyết",
        "rules.md §7: nghị quyết, báo cáo sinh hoạt chi bộ hằng tháng (thực tế phổ biến)",
    ),
    Template(
        "sympathisers",
        gettext_lazy("Review of the sympathiser list and proposals to admit"),
        PeriodKind.MONTH,
        LAST_DAY,
        False,
        "Số quần chúng ưu tú trong danh sách (số)\nSố quần chúng đề nghị kết nạp (số)",
        "rules.md §7: HD 38, mục I.1.1, hằng tháng",
    ),
    Template(
        "transfers",
        gettext_lazy("Check of transfer slips and members who have not lodged their transfer"),
        PeriodKind.QUARTER,
        LAST_DAY,
        False,
        "Số phiếu báo chuyển sinh hoạt đã kiểm tra (số)\n"
        "Số đảng viên chưa nộp hồ sơ chuyển sinh hoạt quá 3 tháng (số)",
        "rules.md §7: HD 06, điểm 8.3.b, 3 tháng một lần",
    ),
    Template(
        "half_year",
        gettext_lazy("Six-month review report (sơ kết 6 tháng)"),
        PeriodKind.HALF,
        15,
        True,
        "",
        "rules.md §7: báo cáo sơ kết 6 tháng (thực tế phổ biến)",
    ),
    Template(
        "dossier_check",
        gettext_lazy("Reconciliation of the member list against the dossiers"),
        PeriodKind.HALF,
        LAST_DAY,
        False,
        "Số đảng viên trong danh sách (số)\nSố hồ sơ đang giữ (số)\nChênh lệch và lý do",
        "rules.md §7: HD 06, điểm 8.2.h, 6 tháng một lần",
    ),
    Template(
        "annual_summary",
        gettext_lazy("Annual summary of Party-building work and next year's directions"),
        PeriodKind.YEAR,
        10,
        True,
        "",
        "rules.md §7: báo cáo tổng kết năm (thực tế phổ biến), hạn trong tháng 12",
    ),
    Template(
        "annual_review",
        gettext_lazy("Annual review and rating report (Mẫu 01, HD 43)"),
        PeriodKind.YEAR,
        15,
        True,
        "Số đảng viên được đánh giá (số)\nSố đảng viên hoàn thành xuất sắc nhiệm vụ (số)\n"
        "Số đảng viên hoàn thành tốt nhiệm vụ (số)",
        "rules.md §1.7 và §7: HD 43, kiểm điểm xong trước 31/12",
    ),
)
TEMPLATES_BY_KEY = {t.key: t for t in TEMPLATES}


def template_first_due(template: Template, period: Period) -> date:
    """The template's due date for a period: its day of the period's last month."""
    return month_day(period.end.year, period.end.month, template.due_day)
