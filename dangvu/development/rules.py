"""The rules of member development (rules.md §3), pure: no database. Dates are `datetime.date`;
working days come from a `core.periods.WorkCalendar` the caller reads once.

Each function cites its source in rules.md. The time limits of §3.5 that provinces set locally
(Hanoi's are stricter) are a `Limits` value the committee's settings build; the defaults are the
national ones of QĐ 294."""

from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

from dangvu.core.periods import WorkCalendar
from dangvu.members.rules import add_months, admission_age_problem, probation_end

from .choices import ORDER, Paper, Step

__all__ = ["admission_age_problem", "probation_end"]  # §3.3 and §3.5, kept with the member's record

CERTIFICATE_MONTHS = 60  # §3.3, HD 06 5.4.b
PAPER_MONTHS = 12  # §3.3, HD 06 5.4.a
EXPIRING = frozenset({Paper.INTRODUCTION, Paper.UNION_RESOLUTION, Paper.COMMENTS, Paper.PERSONAL_RECORD})

# ---------------------------------------------------------------------------------- validity


def certificate_valid_until(issued_on: date) -> date:
    """The last day an awareness-class certificate is valid: the same calendar day 60 months after
    its issue (§3.3, HD 06 5.4.b; metrics.md "Development"); 29/02 gives 28/02."""
    return add_months(issued_on, CERTIFICATE_MONTHS)


def paper_valid_until(compiled_on: date) -> date:
    """The last day a dossier paper is valid at the cell's consideration: 12 months after the
    dossier was compiled (§3.3, HD 06 5.4.a: "không quá 12 tháng"), the same calendar day included."""
    return add_months(compiled_on, PAPER_MONTHS)


def in_pool(
    certificate_issued_on: date | None, admitted_on: date | None, year: int, removed_on: date | None = None
) -> bool:
    """The pool of `development.pool` (metrics.md "Development"): a candidate who held a valid
    certificate on some day of the year and was not admitted (decision dated) before the year. A
    removal from the list during the year or later does not take them out; one before the year does:
    they were no longer a candidate in it (our reading of "even if later removed")."""
    if certificate_issued_on is None:
        return False
    start = date(year, 1, 1)
    valid_in_year = (
        certificate_issued_on <= date(year, 12, 31)
        and certificate_valid_until(certificate_issued_on) >= start
    )
    return (
        valid_in_year
        and (admitted_on is None or admitted_on >= start)
        and (removed_on is None or removed_on >= start)
    )


# ---------------------------------------------------------------------------------------- votes

TWO_THIRDS = Fraction(2, 3)


def cell_vote_passes(agree: int, official_members: int) -> bool:
    """A cell's resolution on admission, recognition or removal: at least 2/3 of its official
    members agree (§3.4, HD 06 3.6): 6 of 9 passes, 5 of 8 does not."""
    return official_members > 0 and Fraction(agree, official_members) >= TWO_THIRDS


def committee_vote_passes(agree: int, committee_members: int) -> bool:
    """A grassroots committee's resolution (or its decision when authorised to admit): at least 2/3
    of all its members agree (§3.4, HD 06 3.7): the cell's ratio, of another body."""
    return cell_vote_passes(agree, committee_members)


def standing_committee_passes(agree: int, members: int) -> bool:
    """The deciding standing committee above: more than half of its members agree (§3.4, QĐ 294 4.3.2)."""
    return members > 0 and 2 * agree > members


def vote_problem(agree: int, present_of: int) -> str:
    """What is wrong with a vote as typed, or ""."""
    if present_of <= 0:
        return _("Give how many members could vote.")
    if not 0 <= agree <= present_of:
        return _("Those who agree are between 0 and %(count)d.") % {"count": present_of}
    return ""


# ---------------------------------------------------------------------------------- time limits


@dataclass(frozen=True)
class Limits:
    """The time limits of §3.5 in working days; the national defaults (QĐ 294 4.1, 4.2.1, 4.3.1)."""

    admission_decision: int = 45  # after the cell's resolution
    recognition_decision: int = 30  # after the cell's resolution on recognition
    extension: int = 15  # "in special cases", either decision
    ceremony: int = 30  # after the decision is received
    recognition_consideration: int = 30  # after the 12 months of probation

    def as_fields(self) -> dict[str, int]:
        """The limits by the names of the settings' fields (DevelopmentSettings: `<name>_days`)."""
        return {f"{f.name}_days": getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_fields(cls, source) -> "Limits":
        """The limits of saved settings (anything with the `<name>_days` attributes)."""
        return cls(**{f.name: getattr(source, f"{f.name}_days") for f in fields(cls)})


def decision_due(cell_resolution_on: date, calendar: WorkCalendar, limits: Limits, *, extended: bool) -> date:
    """The day by which the competent committee decides the admission (§3.5, QĐ 294 4.3.1): 45
    working days after the cell's resolution, 60 when extended."""
    days = limits.admission_decision + (limits.extension if extended else 0)
    return calendar.add_working_days(cell_resolution_on, days)


def recognition_decision_due(
    cell_resolution_on: date, calendar: WorkCalendar, limits: Limits, *, extended: bool
) -> date:
    """The day by which the recognition is decided: 30 working days after the cell's resolution
    on it, 45 when extended (§3.5, QĐ 294 4.3.1)."""
    days = limits.recognition_decision + (limits.extension if extended else 0)
    return calendar.add_working_days(cell_resolution_on, days)


def ceremony_due(decision_received_on: date, calendar: WorkCalendar, limits: Limits) -> date:
    """The ceremony is held within 30 working days of receiving the decision (§3.5, QĐ 294 4.1)."""
    return calendar.add_working_days(decision_received_on, limits.ceremony)


def recognition_consideration_due(ceremony_on: date, calendar: WorkCalendar, limits: Limits) -> date:
    """The cell considers recognition within 30 working days after the 12 months of probation
    (§3.5, QĐ 294 4.2.1); otherwise it proposes removal from the rolls."""
    return calendar.add_working_days(probation_end(ceremony_on), limits.recognition_consideration)


# ----------------------------------------------------------------------------------- the steps


SOON_DAYS = 30  # a certificate, a paper or a probation "about to end": told and highlighted


def next_step(step: str) -> str:
    """The step that follows `step` in the order of §3.1; "" once recognised or removed."""
    if step not in ORDER or step == ORDER[-1]:
        return ""
    return ORDER[ORDER.index(step) + 1]


def step_problem(done: list[str], step: str) -> str:
    """Why `step` cannot be recorded after the steps `done` (in their order), or "". The steps
    come in the order of §3.1, none skipped, each once; a removal ends the pipeline at any step
    (§3.6) and nothing follows it or a recognition."""
    if Step.REMOVED in done:
        return _("The candidate was removed: nothing follows.")
    if step == Step.REMOVED:
        return "" if Step.RECOGNISED not in done else _("An official member is not removed here.")
    if step not in ORDER:
        return _("Choose the step from the list.")
    expected = ORDER[len(done)] if len(done) < len(ORDER) else None
    if expected is None:
        return _("The candidate was recognised as an official member: nothing follows.")
    if step != expected:
        return _("The next step is: %(step)s.") % {"step": Step(expected).label}
    return ""


def dates_problem(previous_on: date | None, on: date, today: date) -> str:
    """A step is dated today or before, and not before the step it follows."""
    if on > today:
        return _("A step is dated today or on a past day.")
    if previous_on is not None and on < previous_on:
        return _("A step cannot be dated before the step it follows (%(day)s).") % {
            "day": previous_on.strftime("%d/%m/%Y")
        }
    return ""


# ------------------------------------------------------------------------------- what is awaited


@dataclass(frozen=True)
class Due:
    """The step awaited next and the day by which it is due (§3.3, §3.5)."""

    step: str
    on: date

    def overdue(self, today: date) -> bool:
        return today > self.on


@dataclass(frozen=True)
class Done:
    """A step done: its day, whether its time limit was extended, when its decision arrived."""

    on: date
    extended: bool = False
    received_on: date | None = None


def next_due(done: dict[str, Done], calendar: WorkCalendar, limits: Limits) -> Due | None:
    """What the candidate awaits and by when: the cell's resolution while the certificate is valid
    (§3.3); the decision after the cell's resolution (45 working days, +15); the ceremony after the
    decision arrives (30); the cell's consideration after the 12 months (30); the recognition after
    the cell's resolution on it (30, +15). None when nothing has a time limit."""
    if Step.REMOVED in done or Step.RECOGNISED in done:
        return None
    if Step.RECOGNITION_CELL_VOTE in done:
        extended = Step.RECOGNITION_COMMITTEE_VOTE in done and done[Step.RECOGNITION_COMMITTEE_VOTE].extended
        return Due(
            Step.RECOGNISED,
            recognition_decision_due(
                done[Step.RECOGNITION_CELL_VOTE].on, calendar, limits, extended=extended
            ),
        )
    if Step.CEREMONY in done:
        return Due(
            Step.RECOGNITION_CELL_VOTE,
            recognition_consideration_due(done[Step.CEREMONY].on, calendar, limits),
        )
    if Step.DECISION in done:
        decision = done[Step.DECISION]
        return Due(Step.CEREMONY, ceremony_due(decision.received_on or decision.on, calendar, limits))
    if Step.CELL_VOTE in done:
        extended = Step.COMMITTEE_VOTE in done and done[Step.COMMITTEE_VOTE].extended
        return Due(Step.DECISION, decision_due(done[Step.CELL_VOTE].on, calendar, limits, extended=extended))
    if Step.CLASS in done:
        return Due(Step.CELL_VOTE, certificate_valid_until(done[Step.CLASS].on))
    return None
