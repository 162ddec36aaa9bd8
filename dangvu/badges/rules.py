"""The rules of Party badges and their money (rules.md §2), pure: no database. Party age itself is
`members.rules.party_age_months` (§2.2: from the first admission decision, minus the gaps, once
official); here: the milestones, early and posthumous awards, the wait after a discipline, the
award batches and their windows, the badge numbers, and the money.

What provinces set locally or the sources leave UNCONFIRMED is a value the caller passes (the
committee's settings build it): the batch windows (Hanoi's by default), the coefficients of the 45,
85 and 90-year badges (none by default), whether the wait after a discipline runs from its decision
or its effective date (effective date by default, as issue 10 reads it)."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dangvu.members.choices import DisciplineForm
from dangvu.members.rules import add_months

MILESTONES: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)  # no 35 (§2.1)

# ------------------------------------------------------------------------------ eligibility


def early_months(years: int, *, gravely_ill: bool = False, deceased: bool = False) -> int:
    """How many months before the milestone the badge may be awarded (§2.1; HD 06 18.2): a gravely
    ill member up to 12 months for the 30–65-year badges and 24 for the 70–90-year ones; a deceased
    member posthumously up to 12 months, at any level; otherwise none. The larger applies."""
    ill = (12 if years <= 65 else 24) if gravely_ill else 0
    return max(ill, 12 if deceased else 0)


def eligible(
    party_age_months: int | None, years: int, *, gravely_ill: bool = False, deceased: bool = False
) -> bool:
    """Whether a member with this Party age (members.rules.party_age_months; None before they are
    official) may be proposed for the `years` badge (§2.2 "Code rules"). A member who died at 73
    years 11 months is not eligible for the 75-year badge: posthumously, 74 full years are needed."""
    if party_age_months is None or years not in MILESTONES:
        return False
    return party_age_months >= years * 12 - early_months(years, gravely_ill=gravely_ill, deceased=deceased)


def reached_on(first_decision: date, gap_months: int, years: int, early: int = 0) -> date:
    """The day a member's Party age reaches `years` years less `early` months: Party age is the full
    months from the first decision minus the gaps (members.rules.party_age_months), so it is
    reached `years`×12 − early + gaps months after the first decision (calendar months, 29/02 →
    28/02)."""
    return add_months(first_decision, years * 12 - early + gap_months)


# One discipline's wait before a member may be considered (§2.1): months by form; an expulsion ends
# the membership.
DISCIPLINE_WAIT_MONTHS = {
    DisciplineForm.REPRIMAND: 6,
    DisciplineForm.WARNING: 9,
    DisciplineForm.DISMISSAL: 12,
}


def considered_from(
    form: str, decided_on: date, effective_on: date | None = None, *, from_effective: bool = True
) -> date | None:
    """The first day a disciplined member may be considered for a badge (§2.1): 6, 9 or 12 months
    after a reprimand, a warning or a removal from post, counted from its effective date (a setting:
    UNCONFIRMED whether from the decision or the effective date) — and only if the cell recognises
    the shortcoming corrected, which the caller asks. None for a form that never waits here."""
    months = DISCIPLINE_WAIT_MONTHS.get(form)
    if months is None:
        return None
    start = effective_on if from_effective and effective_on else decided_on
    return add_months(start, months)


# ---------------------------------------------------------------------------------- batches


@dataclass(frozen=True)
class Batch:
    """An award batch: the anniversary it is presented at, and the first month of the window of
    milestones it takes (the window runs to the month before the next batch's first month)."""

    month: int
    day: int
    first_month: int  # may be in the previous year: December for 03/02


# rules.md §2.3, Hanoi's windows (BTCTU 8/2025): 03/02 takes 01/12–end of February, 19/5 March–May,
# 02/9 June–September, 07/11 October–November. Other provinces set their own.
HANOI_BATCHES: tuple[Batch, ...] = (Batch(2, 3, 12), Batch(5, 19, 3), Batch(9, 2, 6), Batch(11, 7, 10))


def batch_of(milestone: date, batches: tuple[Batch, ...] = HANOI_BATCHES) -> date:
    """The anniversary at which a milestone reached on `milestone` is awarded (§2.3): the batch whose
    window holds its month (each window ends in its batch's month: windows_problem); a window that
    starts in December belongs to the next year's batch."""
    for batch in batches:
        months = _window(batch, batches)
        if milestone.month in months:
            year = milestone.year + (1 if milestone.month > batch.month else 0)
            return date(year, batch.month, batch.day)
    raise ValueError("the batch windows do not cover every month")


def _window(batch: Batch, batches: tuple[Batch, ...]) -> list[int]:
    """The months of a batch's window: from its first month to the month before the next window
    (all twelve when it is the only batch)."""
    firsts = sorted(b.first_month for b in batches)
    following = firsts[(firsts.index(batch.first_month) + 1) % len(firsts)]
    months, month = [], batch.first_month
    while True:  # at least one month: with one batch, its window is the whole year
        months.append(month)
        month = month % 12 + 1
        if month == following:
            return months


def windows_problem(batches: tuple[Batch, ...]) -> str:
    """What is wrong with a province's windows, or "": each month in one window, and each window
    ends in its batch's month, so that a milestone is awarded at the batch that closes its window,
    never before it is reached (Hanoi: December to February for 03/02)."""
    firsts = [b.first_month for b in batches]
    if not batches or len(set(firsts)) != len(firsts):
        return _("Each batch's window starts in a different month.")
    for batch in batches:
        if _window(batch, batches)[-1] != batch.month:
            return _("The window of the batch of %(day)s ends in another month.") % {
                "day": f"{batch.day:02d}/{batch.month:02d}"
            }
    return ""


# ----------------------------------------------------------------------------- badge numbers

# rules.md §2.4 (HD 38 III.1.4): the province's symbol, then a number per badge, with its letter.
NUMBER_FORMS = {
    30: ("", 8),
    40: ("", 7),
    45: ("E", 7),
    50: ("", 6),
    55: ("D", 6),
    60: ("", 5),
    65: ("C", 5),
    70: ("", 4),
    75: ("B", 4),
    80: ("", 3),
    85: ("A", 3),
    90: ("", 2),
}


def number_pattern(years: int) -> re.Pattern:
    letter, digits = NUMBER_FORMS[years]
    return re.compile(rf"^[A-ZĐ]{{2,4}} {letter}\d{{{digits}}}$")


def normalise_number(typed: str, symbol: str = "") -> str:
    """A badge number as typed, in the register's form: capitals, one space after the province. With
    the province's symbol known, "HND000001" reads as "HN D000001", not "HND 000001"."""
    text = " ".join(typed.upper().split())
    compact = text.replace(" ", "")
    if symbol and compact.startswith(symbol) and len(compact) > len(symbol):
        return f"{symbol} {compact[len(symbol) :]}"
    match = re.fullmatch(r"([A-ZĐ]{2,4}) ?([A-E]?\d+)", text)
    return f"{match.group(1)} {match.group(2)}" if match else text


def number_problem(years: int, typed: str, symbol: str = "") -> str:
    """Why a badge number does not fit the badge (§2.4), or "": e.g. "HN 00000001" for 30 years,
    "HN D000001" for 55; a number of zeros only is not a number; with the province's `symbol` set
    (the committee's settings), a number of another province is refused."""
    number = normalise_number(typed, symbol)
    if symbol and number.split(" ")[0] != symbol:
        return _("Badge numbers of this province begin with “%(symbol)s”.") % {"symbol": symbol}
    if years not in NUMBER_FORMS:
        return _("Choose the badge from the list.")
    letter, digits = NUMBER_FORMS[years]
    if not number_pattern(years).match(number) or not int(number.split(" ")[1][len(letter) :]):
        return _("A %(years)d-year badge is numbered like “%(example)s”: the province, then %(form)s.") % {
            "years": years,
            "example": f"HN {letter}{'0' * (digits - 1)}1",
            "form": _("“%(letter)s” and %(digits)d digits") % {"letter": letter, "digits": digits}
            if letter
            else _("%(digits)d digits") % {"digits": digits},
        }
    return ""


# ---------------------------------------------------------------------------------- dossier

# rules.md §2.3 "Dossier (Hanoi, following HD 38)": the papers every proposal needs, and the one an
# early award adds (the medical record for the gravely ill, the death extract for a posthumous award).
PAPERS: tuple[str, ...] = ("declaration", "cell_resolution", "committee_resolution", "personal_record")
EARLY_PAPER: dict[str, str] = {"gravely_ill": "medical_record", "posthumous": "death_extract"}


def papers_required(early: str) -> tuple[str, ...]:
    """The dossier of a proposal (§2.3): the four papers of every proposal, and the medical record
    (gravely ill) or the death extract (posthumous) of an early award (`early`: choices.Early)."""
    extra = EARLY_PAPER.get(early)
    return PAPERS + ((extra,) if extra else ())


def papers_missing(early: str, present: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The papers of the dossier not yet at hand, in the order of §2.3."""
    return tuple(paper for paper in papers_required(early) if paper not in set(present))


# ------------------------------------------------------------------------------------ money


def in_force(table: list[tuple[date, Decimal | int | None]], on: date) -> Decimal | int | None:
    """The value of a dated table (from-date, value) in force on `on`: the latest row from that day
    or before; None before the first row."""
    found = None
    for start, value in sorted(table, key=lambda row: row[0]):
        if start <= on:
            found = value
    return found


def amount(coefficient: Decimal | None, base_salary: int | None) -> int | None:
    """The money with a badge (§2.5, §2.6): coefficient × the base salary in force on the award
    date, in whole VND (half up). None — "needs the local amount", never 0 — without a coefficient
    (45, 85, 90 by default) or without a base salary on the day."""
    if coefficient is None or base_salary is None:
        return None
    return int((Decimal(coefficient) * Decimal(base_salary)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# rules.md §2.6: the base salary (mức lương cơ sở) by decree; the office adds rows as decrees come.
BASE_SALARY = [
    (date(2019, 7, 1), 1_490_000),  # NĐ 38/2019/NĐ-CP
    (date(2023, 7, 1), 1_800_000),  # NĐ 24/2023/NĐ-CP
    (date(2024, 7, 1), 2_340_000),  # NĐ 73/2024/NĐ-CP
]
# rules.md §2.5: HD 56-HD/VPTW (27/10/2015) mục IV.2; 45, 85 and 90 years: no amount until the
# committee sets its local one.
COEFFICIENTS_FROM = date(2015, 10, 27)
COEFFICIENTS: dict[int, Decimal | None] = {
    30: Decimal("1.5"),
    40: Decimal("2"),
    45: None,
    50: Decimal("3"),
    55: Decimal("3.5"),
    60: Decimal("5"),
    65: Decimal("6"),
    70: Decimal("8"),
    75: Decimal("10"),
    80: Decimal("15"),
    85: None,
    90: None,
}
