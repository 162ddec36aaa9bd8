"""Rules of study, training and meetings: pure functions, no database.

Sources: shared/domain/rules.md §5 (meetings, exemption) and shared/spec/metrics.md, "Study",
"Committees" and "Meetings" (the settled readings the figures follow). UNCONFIRMED points are
parameters whose default is the product default (rules.md "Product defaults": thematic meetings at
least quarterly).
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

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


# ---------------------------------------------------------------------------------------- study


def required_to_study(*, active: bool, exempt: bool, in_scope: bool) -> bool:
    """Whether a member owes a document (metrics.md "Study"): active, not exempt and inside its
    scope on the day it was set. Judged once, on that day: leaving later does not cancel it, and a
    member who joins later owes nothing for it."""
    return active and not exempt and in_scope


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
        first, last = date(year, month, 1), _last_day(year, month)
        if last > as_of:
            break
        if (active_from is None or active_from <= last) and (active_to is None or active_to >= first):
            found.append((year, month))
    return found


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


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
    meetings: Iterable[Meeting], year: int, as_of: date, every_months: int = 3
) -> list[int]:
    """The periods of the year (quarters by default) that ended by the as-of date without a thematic
    meeting held (rules.md §5.1: at least quarterly, UNCONFIRMED under HD 42: `every_months` is the
    setting). Periods are numbered from 1."""
    if every_months not in {1, 2, 3, 4, 6, 12}:
        raise ValueError("The frequency divides the year: 1, 2, 3, 4, 6 or 12 months.")
    held = {
        (m.held_on.month - 1) // every_months + 1
        for m in meetings
        if m.kind == SessionKind.THEMATIC and m.held and m.held_on.year == year
    }
    ended = [n for n in range(1, 12 // every_months + 1) if _last_day(year, n * every_months) <= as_of]
    return [n for n in ended if n not in held]


MIN_MINUTES = 90  # HD 42-HD/BTCTW: a regular meeting lasts at least 90 minutes
MIN_MINUTES_COMBINED = 120  # a thematic and a regular meeting in one session


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
