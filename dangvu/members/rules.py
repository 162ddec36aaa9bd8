"""Rules of the member record: pure functions over plain values, no database.

Sources are cited per function (shared/domain/rules.md). Dates are calendar dates; months are
counted in full calendar months.
"""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .choices import DisciplineForm, EventKind, Status

# ---------------------------------------------------------------------------------------- months


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (29/02 + 12 -> 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Full calendar months from `start` to `end` (0 when end < start)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


def age_in_months(date_of_birth: date, on: date) -> int:
    return months_between(date_of_birth, on)


# ------------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """A rule a record breaks: the field, the rule, a message, and whether it blocks the save."""

    field: str
    rule: str
    message: str
    blocking: bool = True


ADMISSION_MIN_MONTHS = 18 * 12
ADMISSION_MAX_MONTHS = 60 * 12


def admission_age_problem(
    date_of_birth: date | None, considered_on: date, *, blocking: bool
) -> Problem | None:
    """Age at the cell's consideration: from a full 18 to a full 60 years, in months (§3.3,
    QĐ 294 point 1). Blocking for admissions made in the system, a warning on recorded history."""
    if date_of_birth is None:
        return None
    months = age_in_months(date_of_birth, considered_on)
    if ADMISSION_MIN_MONTHS <= months <= ADMISSION_MAX_MONTHS:
        return None
    return Problem(
        "date_of_birth",
        "§3.3",
        _(
            "Age at admission is %(years)d years %(months)d months; the rule is from a full 18 to a "
            "full 60 years."
        )
        % {"years": months // 12, "months": months % 12},
        blocking=blocking,
    )


def probation_end(ceremony: date) -> date:
    """Probation is 12 months from the ceremony; the member is official exactly at its end, even
    when the meeting or approval is late (§3.5; Điều lệ Điều 5; QĐ 294 point 4.2.2)."""
    return add_months(ceremony, 12)


_NEW_CARD_FROM = date(2025, 8, 8)  # Chỉ thị 51-CT/TW: new cards carry the 12-digit personal number
_TWELVE_DIGITS = re.compile(r"^\d{12}$")
_RECORD_NUMBER = re.compile(r"^\d{6} ?[A-Z]{2,3}$")


def citizen_id_digits(typed: str) -> str:
    """A citizen ID as people type it ("001 080 000 001") reduced to its digits' string."""
    return typed.replace(" ", "")


def identifier_problems(
    *, citizen_id: str, card_number: str, card_issued_on: date | None, record_number: str
) -> list[Problem]:
    """Identifiers of §9.2: the citizen ID has 12 digits; a card issued from 08/8/2025 carries the
    12-digit personal number; the record number is 6 digits and the province's letters."""
    found = []
    if citizen_id and not _TWELVE_DIGITS.match(citizen_id):
        found.append(Problem("citizen_id", "§9.2", _("A citizen ID has 12 digits.")))
    if card_number and card_issued_on and card_issued_on >= _NEW_CARD_FROM:
        if not _TWELVE_DIGITS.match(card_number):
            found.append(
                Problem("card_number", "§9.2", _("A card issued from 08/08/2025 has a 12-digit number."))
            )
        elif citizen_id and card_number != citizen_id:
            found.append(
                Problem(
                    "card_number",
                    "§9.2",
                    _("A card issued from 08/08/2025 carries the citizen ID number."),
                    blocking=False,
                )
            )
    if record_number and not _RECORD_NUMBER.match(record_number):
        found.append(
            Problem(
                "record_number",
                "§9.2",
                _("A record number is 6 digits and 2–3 capital letters, e.g. “000001 HN”."),
                blocking=False,
            )
        )
    return found


# --------------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Fact:
    """A life event as the rules see it."""

    kind: str
    date: date
    end_date: date | None = None
    cell_id: int | None = None  # the cell admitted to, moved to, or received in
    temporary: bool = False
    discipline_form: str = ""
    annulled: bool = False

    @property
    def ends_membership(self) -> bool:
        if self.kind == EventKind.DISCIPLINE:
            return self.discipline_form == DisciplineForm.EXPULSION and not self.annulled
        if self.kind == EventKind.TRANSFER_OUT:
            return not self.temporary
        return self.kind in {EventKind.DEATH, EventKind.REMOVAL}


@dataclass(frozen=True)
class Period:
    """A stretch of active membership at one official cell: from `start` until the day before
    `end` (the exit or move date)."""

    start: date
    end: date | None
    cell_id: int | None
    admitted_on: date | None  # the decision that began this membership
    recognised_on: date | None  # the recognition decision
    official_on: date | None  # ceremony + 12 months
    end_reason: str = ""  # the status after `end` ('' while open or after a move between cells)


@dataclass(frozen=True)
class History:
    """Everything derived from a member's events."""

    periods: tuple[Period, ...]
    first_decision: date | None
    gaps: tuple[tuple[date, date | None], ...]  # not counted in Party age; None: still open
    decisions: tuple[date, ...]
    exits: tuple[tuple[date, str], ...]


_SAME_DAY_ORDER = {
    k: i
    for i, k in enumerate(
        [
            EventKind.ADMISSION_DECISION,
            EventKind.READMISSION_DECISION,
            EventKind.TRANSFER_IN,
            EventKind.CEREMONY,
            EventKind.RECOGNITION,
            EventKind.CELL_TRANSFER,
            EventKind.EXEMPTION,
            EventKind.SUSPENSION,
            EventKind.DISCIPLINE,
            EventKind.TRANSFER_OUT,
            EventKind.REMOVAL,
            EventKind.DEATH,
        ]
    )
}
_EXIT_STATUS = {
    EventKind.TRANSFER_OUT: Status.TRANSFERRED_OUT,
    EventKind.DEATH: Status.DECEASED,
    EventKind.REMOVAL: Status.REMOVED,
    EventKind.DISCIPLINE: Status.EXPELLED,
}


def derive(facts: Iterable[Fact]) -> History:
    """Membership periods, Party-age gaps and exits from the events (§2.2, §9.4, §9.6).

    - Membership starts at the ceremony (or an official transfer in) and ends the day before an
      exit: official transfer out, death, removal from the rolls, expulsion (not annulled).
    - A move between cells of this organisation closes one period and opens the next.
    - Gaps in Party age: from removal or expulsion to the re-admission decision, and from an
      official transfer out to the transfer in that follows it.
    """
    builder = _Builder()
    for fact in sorted(facts, key=lambda f: (f.date, _SAME_DAY_ORDER.get(f.kind, 99))):
        builder.apply(fact)
    return builder.result()


class _Builder:
    def __init__(self) -> None:
        self.periods: list[Period] = []
        self.open: Period | None = None
        self.pending: tuple[date, int | None] | None = None  # decision awaiting its ceremony
        self.first_decision: date | None = None
        self.gaps: list[tuple[date, date | None]] = []
        self.gap_start: date | None = None
        self.decisions: list[date] = []
        self.exits: list[tuple[date, str]] = []
        self.last_cell: int | None = None
        self.ceremony: date | None = None  # the ceremony of the current membership

    def apply(self, fact: Fact) -> None:
        if fact.kind in {EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION}:
            self._decision(fact)
        elif fact.kind == EventKind.CEREMONY:
            decided_on, cell = self.pending or (None, None)
            self._close(fact.date, "")
            self._open(fact.date, fact.cell_id or cell or self.last_cell, decided_on, None, None)
            self.pending, self.ceremony = None, fact.date
        elif fact.kind == EventKind.RECOGNITION and self.open:
            # Official exactly 12 months after the ceremony, wherever the member has moved since.
            ceremony = self.ceremony or self.open.start
            self.open = _replace(self.open, recognised_on=fact.date, official_on=probation_end(ceremony))
        elif fact.kind == EventKind.CELL_TRANSFER and self.open:
            kept = self.open
            self._close(fact.date, "")
            self._open(fact.date, fact.cell_id, kept.admitted_on, kept.recognised_on, kept.official_on)
        elif fact.kind == EventKind.TRANSFER_IN and not fact.temporary:
            self._transfer_in(fact)
        elif fact.ends_membership:
            self._exit(fact)

    def _decision(self, fact: Fact) -> None:
        self.pending = (fact.date, fact.cell_id)
        self.decisions.append(fact.date)
        self.first_decision = self.first_decision or fact.date
        if self.gap_start:
            self.gaps.append((self.gap_start, fact.date))
            self.gap_start = None

    def _transfer_in(self, fact: Fact) -> None:
        previous = self.open or (self.periods[-1] if self.periods else None)
        if self.gap_start:
            self.gaps.append((self.gap_start, fact.date))
            self.gap_start = None
        self._close(fact.date, "")
        self._open(
            fact.date,
            fact.cell_id,
            previous.admitted_on if previous else None,
            previous.recognised_on if previous else None,
            previous.official_on if previous else None,
        )

    def _exit(self, fact: Fact) -> None:
        status = _EXIT_STATUS[fact.kind]
        self.exits.append((fact.date, status))
        self._close(fact.date, status)
        if fact.kind in {EventKind.REMOVAL, EventKind.DISCIPLINE, EventKind.TRANSFER_OUT}:
            self.gap_start = fact.date

    def _open(self, start, cell, admitted_on, recognised_on, official_on) -> None:
        self.open = Period(start, None, cell, admitted_on, recognised_on, official_on)
        self.last_cell = cell

    def _close(self, on: date, reason: str) -> None:
        if self.open:
            self.periods.append(_replace(self.open, end=on, end_reason=reason))
            self.open = None

    def result(self) -> History:
        periods = [*self.periods, *([self.open] if self.open else [])]
        gaps = [*self.gaps, *([(self.gap_start, None)] if self.gap_start else [])]
        return History(
            tuple(periods), self.first_decision, tuple(gaps), tuple(self.decisions), tuple(self.exits)
        )


def _replace(period: Period, **changes) -> Period:
    return Period(**{**period.__dict__, **changes})


def period_on(history: History, on: date) -> Period | None:
    """The membership period covering `on` (start inclusive, end exclusive)."""
    return next((p for p in history.periods if p.start <= on and (p.end is None or on < p.end)), None)


def status_on(history: History, on: date) -> str:
    """Status on a date (metrics.md "Members"): probationary until a recognition decision dated
    on or before the date, even when the 12 months are over."""
    current = period_on(history, on)
    if current:
        recognised = current.recognised_on is not None and current.recognised_on <= on
        return Status.OFFICIAL if recognised else Status.PROBATIONARY
    decided = [d for d in history.decisions if d <= on]
    exits = [e for e in history.exits if e[0] <= on]
    if decided and (not exits or decided[-1] >= exits[-1][0]):
        return Status.AWAITING_CEREMONY
    return exits[-1][1] if exits else Status.UNKNOWN


def party_age_months(history: History, on: date) -> int | None:
    """Party age (§2.2, QĐ 294 point 4.5): months from the first admission decision, minus the
    gaps (removal, expulsion, transfers; a gap still open runs to the date), counted only once the
    member is recognised as official in their latest membership (a re-admitted member serves a new
    probation first); frozen at death. None otherwise."""
    started = [p for p in history.periods if p.start <= on]
    if history.first_decision is None or not started:
        return None
    latest = started[-1]
    if latest.recognised_on is None or latest.recognised_on > on:
        return None
    until = min([on, *(d for d, s in history.exits if s == Status.DECEASED)])
    gaps = sum(months_between(a, min(b or until, until)) for a, b in history.gaps if a <= until)
    return months_between(history.first_decision, until) - gaps


def date_order_problems(facts: Iterable[Fact], date_of_birth: date | None) -> list[Problem]:
    """Dates in a possible order (§9.4): nothing before birth; the ceremony after its decision;
    recognition after the ceremony; nothing after death; an end after its start."""
    facts = sorted(facts, key=lambda f: (f.date, _SAME_DAY_ORDER.get(f.kind, 99)))
    found: list[Problem] = []
    if date_of_birth and any(f.date <= date_of_birth for f in facts):
        found.append(Problem("date", "§9.4", _("An event is dated before the date of birth.")))
    seen_decision = seen_ceremony = False
    for fact in facts:
        if fact.end_date and fact.end_date < fact.date:
            found.append(Problem("end_date", "§9.4", _("The end date is before the start date.")))
        if fact.kind in {EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION}:
            seen_decision, seen_ceremony = True, False
        elif fact.kind == EventKind.CEREMONY:
            if not seen_decision:
                found.append(Problem("date", "§9.4", _("The ceremony comes before any admission decision.")))
            seen_ceremony = True
        elif fact.kind == EventKind.RECOGNITION and not seen_ceremony:
            found.append(Problem("date", "§3.5", _("Recognition as official comes before the ceremony.")))
    deaths = [f.date for f in facts if f.kind == EventKind.DEATH]
    if deaths and any(f.date > deaths[0] for f in facts):
        found.append(Problem("date", "§9.4", _("An event is dated after the death.")))
    return found


def recognition_problem(ceremony: date | None, decided_on: date) -> Problem | None:
    """Recognition is considered once the 12 months of probation are over (§3.5)."""
    if ceremony and decided_on < probation_end(ceremony):
        return Problem(
            "date",
            "§3.5",
            _("Recognition before the end of the 12 months of probation (%(end)s).")
            % {"end": probation_end(ceremony).strftime("%d/%m/%Y")},
            blocking=False,
        )
    return None


def party_age_origin(history: History) -> date | None:
    """The first decision moved forward by the closed gaps: Party age on a later date is about the
    months from this origin, which lets lists filter by Party age in the database."""
    if history.first_decision is None:
        return None
    closed = sum(months_between(a, b) for a, b in history.gaps if b is not None)
    return add_months(history.first_decision, closed)


def duplicate_citizen_id_message() -> str:
    return _("Another member already has this citizen ID.")


def end_before_start_message() -> str:
    return _("The end date is before the start date.")


RECORD_FIELDS = (
    "gender",
    "date_of_birth",
    "hometown",
    "residence",
    "ethnicity",
    "religion",
    "citizen_id",
    "record_number",
)


def missing_items(values: dict, history: History, on: date) -> list[str]:
    """What the record lacks (§9.4): the phiếu's main items, the admission decision and ceremony,
    and, for an official member, the card number. Names of fields or of event kinds."""
    missing = [f for f in RECORD_FIELDS if not values.get(f)]
    if history.first_decision is None:
        missing.append(EventKind.ADMISSION_DECISION)
    if not history.periods:
        missing.append(EventKind.CEREMONY)
    if status_on(history, on) == Status.OFFICIAL and not values.get("card_number"):
        missing.append("card_number")
    return missing
