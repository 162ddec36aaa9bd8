"""Dates as the Party counts them: calendar years in Asia/Ho_Chi_Minh, dd/mm/yyyy for people."""

from dataclasses import dataclass
from datetime import date, datetime

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
