"""Dates as the Party counts them: calendar years in Asia/Ho_Chi_Minh, dd/mm/yyyy for people, and
working days (weekends, public holidays and Tết excluded; rules.md §3.5)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone


def today() -> date:
    """Today's date in Asia/Ho_Chi_Minh (the configured TIME_ZONE), whatever the server's clock zone."""
    return timezone.localdate()


@dataclass(frozen=True)
class Year:
    """A calendar year, 1/1 to 31/12."""

    number: int

    @property
    def start(self) -> date:
        return date(self.number, 1, 1)

    @property
    def end(self) -> date:
        return date(self.number, 12, 31)

    def default_as_of(self, on: date) -> date:
        """Metrics default to 31/12 of the year, or to today for the current year (metrics.md)."""
        return on if self.start <= on <= self.end else self.end


# The years a page, an export or the API accepts: the Party's records here start after 1930 (its
# founding); a year outside is a typing mistake.
FIRST_YEAR, LAST_YEAR = 1930, 2100


def year_param(raw: str | None, default: int | None = None) -> int:
    """A year from a query string (?nam=): the year typed when it is one, else `default` (this year
    when not given): a bad value is never an error."""
    if raw and len(raw) == 4 and raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return today().year if default is None else default


def overlaps(start: date | None, end: date | None, first: date, last: date) -> bool:
    """Whether [start, end] (open-ended where None) shares at least one day with [first, last]."""
    return (start is None or start <= last) and (end is None or end >= first)


def parse_vn_date(text: str) -> date:
    """Parse dd/mm/yyyy (or ISO yyyy-mm-dd); raises ValueError with the text in it."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            continue
    raise ValueError(f"không đọc được ngày {text!r} (dd/mm/yyyy)")


# ------------------------------------------------------------------------------------ working days

_SEARCH_LIMIT = 366  # no run of days off is longer than a year; a bug, not a calendar, would loop


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days (rules.md §3.5: working days exclude weekends and public
    holidays, including Tết).

    Monday to Friday are working days unless listed in `days_off` (a holiday, a day given in lieu);
    Saturday and Sunday are days off unless listed in `workdays` (a Saturday worked in exchange for a
    bridge day, e.g. 04/05/2024). Pure: built from the database by `work_calendar()`.
    """

    days_off: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @classmethod
    def from_days(cls, days: Iterable[tuple[date, str]]) -> "WorkCalendar":
        """From (day, kind) pairs (core.models.DayKind): a swapped working day, or a day off."""
        from .models import DayKind

        off: set[date] = set()
        work: set[date] = set()
        for day, kind in days:
            (work if kind == DayKind.WORK else off).add(day)
        return cls(days_off=frozenset(off), workdays=frozenset(work))

    def is_working_day(self, day: date) -> bool:
        """rules.md §3.5: a weekday that is not a holiday, or a weekend day swapped into a working day."""
        if day.weekday() < 5:
            return day not in self.days_off
        return day in self.workdays

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        for offset in range(_SEARCH_LIMIT):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within a year after {day:%d/%m/%Y}")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`, `start` itself not counted (rules.md §3.5: "within 30
        working days of the resolution"); `start` itself when n is 0."""
        if n < 0:
            raise ValueError("n must be 0 or more")
        day = start
        for _ in range(n):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie after `first` up to and including `last` (so that
        `working_days_between(d, add_working_days(d, n)) == n`); negative when `last` is earlier."""
        if last < first:
            return -self.working_days_between(last, first)
        return sum(
            1
            for offset in range(1, (last - first).days + 1)
            if self.is_working_day(first + timedelta(offset))
        )


def work_calendar() -> WorkCalendar:
    """The working calendar kept by the office (core.models.CalendarDay), in one query."""
    from .models import CalendarDay

    return WorkCalendar.from_days(CalendarDay.objects.values_list("day", "kind"))
