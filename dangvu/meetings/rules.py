"""Rules of study, training and meetings: pure functions, no database.

Sources: shared/domain/rules.md §5 (meetings, exemption) and shared/spec/metrics.md, "Study",
"Committees" and "Meetings" (the settled readings the figures follow). UNCONFIRMED points are
parameters whose default is the product default (rules.md "Product defaults": thematic meetings at
least quarterly).
"""

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dangvu.core.periods import overlaps

from .choices import CELL_MEETING_KINDS, STUDY_KINDS, Attendance, Invitees, SessionKind

Month = tuple[int, int]  # (year, month)

# ------------------------------------------------------------------------------------- invitees

DEFAULT_INVITEES: Mapping[str, str] = {
    SessionKind.STUDY: Invitees.SUBTREE_MEMBERS,
    SessionKind.CATCH_UP: Invitees.STILL_OWING,  # those who missed the study
    SessionKind.TRAINING: Invitees.COMMITTEE_MEMBERS,
    SessionKind.REGULAR: Invitees.CELL_MEMBERS,
    SessionKind.THEMATIC: Invitees.CELL_MEMBERS,
    SessionKind.EXTRAORDINARY: Invitees.CELL_MEMBERS,
    SessionKind.CONFERENCE: Invitees.CHOSEN,
}


def default_invitees(kind: str, *, organiser_is_cell: bool) -> str:
    """Who a session invites unless chosen (issue 7, point 2): a cell's meetings its members, a
    study session the members of the organiser's subtree (of the cell, when a cell organises it),
    a training course the committee members of the subtree, a catch-up session the members of the
    subtree who still owe its documents, a conference those chosen."""
    invitees = DEFAULT_INVITEES[kind]
    if invitees == Invitees.SUBTREE_MEMBERS and organiser_is_cell:
        return Invitees.CELL_MEMBERS
    return invitees


# ------------------------------------------------------------------------------ kinds of session

CELL_SESSION_KINDS = (
    SessionKind.REGULAR,
    SessionKind.THEMATIC,
    SessionKind.EXTRAORDINARY,
    SessionKind.STUDY,
    SessionKind.CATCH_UP,
    SessionKind.TRAINING,
)
COMMITTEE_SESSION_KINDS = (
    SessionKind.STUDY,
    SessionKind.CATCH_UP,
    SessionKind.TRAINING,
    SessionKind.CONFERENCE,
)


def kinds_for(is_cell: bool) -> tuple[str, ...]:
    """The kinds of session an organisation holds: a cell its meetings (regular, thematic,
    extraordinary) and its own study and training; a committee study, catch-up, training and the
    conferences it convenes."""
    return CELL_SESSION_KINDS if is_cell else COMMITTEE_SESSION_KINDS


# ---------------------------------------------------------------------------------------- study


def required_to_study(*, active: bool, exempt: bool) -> bool:
    """Whether a member of the document's scope owes it (metrics.md "Study"): active at a cell of
    the scope and not exempt on the day it was set (the scope is the query's: only the members of
    the subtree that set it are asked). Judged once, on that day: leaving later does not cancel it,
    and a member who joins later owes nothing for it."""
    return active and not exempt


def in_span(day: date, start: date, end: date | None) -> bool:
    """A membership period [start, end) covers `day` (members.selectors.covering): the day a
    member leaves or moves they are already elsewhere."""
    return start <= day and (end is None or end > day)


def exempt_during(day: date, start: date, end: date | None) -> bool:
    """An exemption from `start` to `end` (both included; open-ended when None) covers `day`
    (members.selectors.exempt_on)."""
    return start <= day and (end is None or end >= day)


# The rule of study is stated here on plain values (Presence, studied, studied_every_document,
# documents_still_owed) and tested on the cases of metrics.md; the code reads it in SQL, as the set of
# (person, document) studied (selectors.studied_pairs), which a member's owed documents are checked
# against one by one: the same rule, without building a Presence for every invitation.


@dataclass(frozen=True)
class Presence:
    """A member's attendance at one session, as the study rule sees it."""

    kind: str
    held_on: date
    status: str
    documents: frozenset[int] = frozenset()


def studied(document: int, presences: Iterable[Presence], as_of: date) -> bool:
    """Studied: marked present at a study or catch-up session for the document held on or before
    the as-of date, organised anywhere (metrics.md "Study"). An excused absence is not a study; a
    second session for the same document changes nothing."""
    return any(
        p.kind in STUDY_KINDS
        and p.status == Attendance.PRESENT
        and p.held_on <= as_of
        and document in p.documents
        for p in presences
    )


def studied_every_document(owed: Iterable[int], presences: Iterable[Presence], as_of: date) -> bool:
    """A member counts as having studied (study.members_studied_pct) when they studied every
    document set for them in the year."""
    presences = list(presences)
    return all(studied(document, presences, as_of) for document in owed)


def documents_still_owed(owed: Iterable[int], presences: Iterable[Presence], as_of: date) -> list[int]:
    """The documents a member has still to study, for their own page and the cell's."""
    presences = list(presences)
    return [document for document in owed if not studied(document, presences, as_of)]


# -------------------------------------------------------------------------------- cell meetings


def cell_months(year: int, as_of: date, active_from: date | None, active_to: date | None) -> list[Month]:
    """The months a cell owes a regular meeting (metrics.md "Meetings"): the months of the year in
    which it was active for at least one day and that ended on or before the as-of date."""
    found = []
    for month in range(1, 13):
        first, last = date(year, month, 1), last_day(year, month)
        if last > as_of:
            break
        if overlaps(active_from, active_to, first, last):
            found.append((year, month))
    return found


def last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_month(day: date) -> Month:
    """The month before the one of `day` (December of the year before in January)."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def period_months(period: int, every_months: int) -> tuple[int, int]:
    """The first and last month of a period of the year numbered from 1 (thematic meetings every
    `every_months` months): period 2 of quarters is (4, 6)."""
    return (period - 1) * every_months + 1, period * every_months


@dataclass(frozen=True)
class Meeting:
    kind: str
    held_on: date
    held: bool


def months_held(meetings: Iterable[Meeting]) -> set[Month]:
    """The months with a regular meeting of the cell marked held (rules.md §5.1: the cell meets once a
    month). A thematic or extraordinary meeting does not stand for it; several count once."""
    return {(m.held_on.year, m.held_on.month) for m in meetings if m.kind == SessionKind.REGULAR and m.held}


def thematic_quarters_missing(
    meetings: Iterable[Meeting],
    year: int,
    as_of: date,
    every_months: int = 3,
    active_from: date | None = None,
    active_to: date | None = None,
) -> list[int]:
    """The periods of the year (quarters by default) that ended by the as-of date without a thematic
    meeting held (rules.md §5.1: at least quarterly, UNCONFIRMED under HD 42: `every_months` is the
    setting). Periods are numbered from 1. A cell owes a period only when it was active throughout
    it: one founded in November owes no thematic meeting for the fourth quarter."""
    if every_months not in THEMATIC_EVERY_MONTHS:
        raise ValueError("The frequency is one of THEMATIC_EVERY_MONTHS.")
    held = {
        (m.held_on.month - 1) // every_months + 1
        for m in meetings
        if m.kind == SessionKind.THEMATIC and m.held and m.held_on.year == year
    }
    owed = []
    for n in range(1, 12 // every_months + 1):
        first_month, last_month = period_months(n, every_months)
        first, last = date(year, first_month, 1), last_day(year, last_month)
        throughout = (active_from is None or active_from <= first) and (
            active_to is None or active_to >= last
        )
        if last <= as_of and throughout and n not in held:
            owed.append(n)
    return owed


MIN_MINUTES = 90  # HD 42-HD/BTCTW: a regular meeting lasts at least 90 minutes
MIN_MINUTES_COMBINED = 120  # a thematic and a regular meeting in one session

# The office's settings (MeetingSettings): how often a thematic meeting is due, in months (periods
# that divide the year; the model's choices are these), and the range of the shortest regular
# meeting it may set.
THEMATIC_EVERY_MONTHS = (1, 2, 3, 6, 12)
DEFAULT_THEMATIC_EVERY_MONTHS = 3  # rules.md "Product defaults": at least quarterly
MIN_MINUTES_RANGE = (30, 480)


def too_short(minutes: int, *, minimum: int = MIN_MINUTES, combined: bool = False) -> bool:
    """A regular meeting shorter than HD 42 asks (rules.md §5.1; `minimum` is the office's setting,
    90 by default, and a thematic meeting held with it asks 30 more): a warning, never a refusal
    (cells with few members may have their own rule)."""
    return minutes < (minimum + MIN_MINUTES_COMBINED - MIN_MINUTES if combined else minimum)


# -------------------------------------------------------------------------------- the 3-month flag

FLAG_MONTHS = 3


def unexcused_months(absences: Iterable[tuple[str, date, str]], year: int) -> set[Month]:
    """The months of `year` with an unexcused absence from a meeting of the cell (kind, date,
    status), for the rule of 3 months in a year (rules.md §5.1; QĐ 294 point 8.1)."""
    return {
        (day.year, day.month)
        for kind, day, status in absences
        if kind in CELL_MEETING_KINDS and status == Attendance.UNEXCUSED and day.year == year
    }


def three_month_flag(absences: Iterable[tuple[str, date, str]], year: int) -> bool:
    """Absent without a good reason in 3 months of a calendar year: a ground for removal the cell
    considers (QĐ 294, 8.1). The system flags it for the cell, never acts on it."""
    return len(unexcused_months(absences, year)) >= FLAG_MONTHS


# ------------------------------------------------------------------------------ attendance counts


@dataclass(frozen=True)
class AttendanceCounts:
    """How many invitees were present, excused, absent without a reason and not yet marked."""

    present: int = 0
    excused: int = 0
    unexcused: int = 0
    unmarked: int = 0

    @classmethod
    def of(cls, statuses: Iterable[str]) -> "AttendanceCounts":
        """Counts of attendance values ("" or None: not marked yet)."""
        counts = Counter(status or "" for status in statuses)
        return cls(
            present=counts[Attendance.PRESENT],
            excused=counts[Attendance.EXCUSED],
            unexcused=counts[Attendance.UNEXCUSED],
            unmarked=counts[""],
        )

    @property
    def marked(self) -> int:
        return self.present + self.excused + self.unexcused

    @property
    def total(self) -> int:
        return self.marked + self.unmarked


# ----------------------------------------------------------------------------------- conferences


def conference_counts(status: str, *, exempt: bool) -> tuple[int, int]:
    """(present, invitee) of one invitee of a conference (metrics.md "Meetings"; rules.md §5.2, HD 06
    14.2): an exempt invitee counts only if present; an excused absence is not a presence."""
    present = status == Attendance.PRESENT
    if exempt and not present:
        return 0, 0
    return int(present), 1


def attendance_rate(statuses: Iterable[tuple[str, bool]]) -> tuple[int, int]:
    """Present ÷ invitees of a conference over (status, exempt) pairs."""
    present = invited = 0
    for status, exempt in statuses:
        p, i = conference_counts(status, exempt=exempt)
        present, invited = present + p, invited + i
    return present, invited
