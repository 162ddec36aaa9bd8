"""Rules of the annual review and quality classification: pure functions, no database.

Sources are cited per function (shared/domain/rules.md §1 and "Product defaults"). Every point
rules.md marks UNCONFIRMED is a parameter whose default is the product default, so the setting in
force can be changed by the committee office and shown where it decides a result.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.members.choices import DisciplineForm
from dangvu.members.rules import Problem, months_between

from .choices import CapBase, Exclusion, Level

# ------------------------------------------------------------------------------------ rule sets


@dataclass(frozen=True)
class RuleSet:
    """The regulation a year is judged by (rules.md "Product defaults": rule-set versions by date)."""

    code: str
    effective_from: date
    has_score_bands: bool
    confirmed: bool
    cap_rate: Decimal = Decimal("0.20")
    raised_cap_rate: Decimal = Decimal("0.25")


RULES_366 = RuleSet("366-QĐ/TW + HD 43", date(2025, 8, 30), has_score_bands=True, confirmed=True)
# UNCONFIRMED (issue 6): the same four levels and the 20% cap, no 100-point bands.
RULES_124 = RuleSet("124-QĐ/TW + HD 25", date(2023, 10, 4), has_score_bands=False, confirmed=False)
# UNCONFIRMED: the set 124 replaced, kept so that years before 2023 are not judged by a later set.
RULES_132 = RuleSet("132-QĐ/TW + HD 16", date(2018, 3, 8), has_score_bands=False, confirmed=False)
RULE_SETS = (RULES_366, RULES_124, RULES_132)  # newest first


def rule_set_for(year: int, *, review_date: date | None = None, special_unit: bool = False) -> RuleSet:
    """The set in force when the year's review is held (rules.md §1.1 and "Product defaults").

    The review falls on the year's deadline (§1.7) unless `review_date` says otherwise: 2025 and
    later are judged by QĐ 366 + HD 43 (from 30/8/2025); 2023 and 2024 by the 124 set; earlier
    years by the 132 set. The older sets are UNCONFIRMED (`confirmed=False`)."""
    held_on = review_date or review_deadline(year, special_unit=special_unit)
    for rule_set in RULE_SETS:
        if held_on >= rule_set.effective_from:
            return rule_set
    raise ValueError(f"No rule set is known for a review held on {held_on:%d/%m/%Y}.")


def rule_set_by_code(code: str) -> RuleSet:
    """The set stored on a campaign, by its code."""
    for rule_set in RULE_SETS:
        if rule_set.code == code:
            return rule_set
    raise ValueError(f"No rule set has the code {code!r}.")


# ---------------------------------------------------------------------------------- who is reviewed

MIN_MONTHS_SINCE_ADMISSION = 6
COUNT_FROM = ("decision", "ceremony")


def review_exclusion(
    *,
    exempt: bool,
    suspended: bool,
    admission_decision: date | None,
    ceremony: date | None,
    review_date: date,
    count_from: str = "decision",
) -> str | None:
    """Why a member is not reviewed, or None when they are (rules.md §1.2; QĐ 366 Điều 5 khoản 2).

    Exempt from Party work and meetings, Party activity suspended, or admitted less than 6 full
    calendar months before the review. UNCONFIRMED whether the months run from the admission
    decision (default) or the ceremony (`count_from="ceremony"`; the decision when no ceremony is
    recorded). Probationary members are reviewed like any other; no admission date: reviewed."""
    if count_from not in COUNT_FROM:
        raise ValueError(f"count_from must be one of {COUNT_FROM}, not {count_from!r}.")
    if exempt:
        return Exclusion.EXEMPT
    if suspended:
        return Exclusion.SUSPENDED
    start = (ceremony or admission_decision) if count_from == "ceremony" else admission_decision
    if start and months_between(start, review_date) < MIN_MONTHS_SINCE_ADMISSION:
        return Exclusion.ADMITTED_RECENTLY
    return None


# ------------------------------------------------------------------------------ scores and levels

BANDS = ((90, Level.EXCELLENT), (70, Level.GOOD), (50, Level.COMPLETED), (0, Level.NOT_COMPLETED))
RANK = {level: len(BANDS) - i for i, (_floor, level) in enumerate(BANDS)}  # excellent highest


def level_for_score(score: int | Decimal, rule_set: RuleSet = RULES_366) -> Level | None:
    """The level of a 100-point score (rules.md §1.3; QĐ 366 Điều 10, 11): ≥ 90 excellent, 70 to
    < 90 good, 50 to < 70 completed, < 50 not completed. None under a set without score bands
    (124, 132: no score checks). A score outside 0..100 is a ValueError."""
    if isinstance(score, bool) or not 0 <= score <= 100:
        raise ValueError(f"A score is from 0 to 100, not {score!r}.")
    if not rule_set.has_score_bands:
        return None
    return next(level for floor, level in BANDS if score >= floor)


@dataclass(frozen=True)
class Discipline:
    """A Party discipline as the triggers see it (rules.md §1.3, triggers (b) and the collective's)."""

    form: str  # a DisciplineForm value
    effective_on: date
    duty_related: bool
    committed_at_previous_unit: bool = False


REPRIMAND_OR_HEAVIER = frozenset(DisciplineForm.values)  # khiển trách is the lightest form


def _counts(discipline: Discipline, year: int) -> bool:
    return (
        discipline.form in REPRIMAND_OR_HEAVIER
        and discipline.duty_related
        and discipline.effective_on.year == year
    )


class _Triggers:
    @property
    def fired(self) -> tuple[str, ...]:
        """The keys of the triggers that hold, in the order of rules.md."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))


@dataclass(frozen=True)
class MemberTriggers(_Triggers):
    """The five triggers (a)–(e) that force "not completed" for an individual (rules.md §1.3)."""

    degraded: bool = False  # (a) concluded degraded in ideology, ethics or lifestyle
    duty_discipline: bool = False  # (b) duty-related violation disciplined at reprimand or heavier
    forbidden_acts: bool = False  # (c) breached "the things a member must not do"
    example_breach: bool = False  # (d) breached the duty to set an example
    most_tasks_not_completed: bool = False  # (e) > 50% of the year's tasks not completed


@dataclass(frozen=True)
class CollectiveTriggers(_Triggers):
    """The triggers that force "not completed" for a leadership collective (rules.md §1.3)."""

    personnel_wrongdoing: bool = False
    disunity: bool = False  # internal disunity or factions
    post_buying: bool = False
    member_duty_discipline: bool = False
    member_degraded: bool = False
    tasks_below_70_percent: bool = False


TRIGGER_LABELS = {
    "degraded": gettext_lazy("concluded degraded in political ideology, ethics or lifestyle"),
    "duty_discipline": gettext_lazy("disciplined at reprimand or heavier for a duty-related violation"),
    "forbidden_acts": gettext_lazy("breached the things a Party member must not do"),
    "example_breach": gettext_lazy("breached the duty to set an example"),
    "most_tasks_not_completed": gettext_lazy("more than half of the year's tasks not completed"),
    "personnel_wrongdoing": gettext_lazy("wrongdoing in personnel work"),
    "disunity": gettext_lazy("internal disunity or factions"),
    "post_buying": gettext_lazy("buying posts"),
    "member_duty_discipline": gettext_lazy(
        "a member of the leadership disciplined at reprimand or heavier for a duty-related violation"
    ),
    "member_degraded": gettext_lazy("a member of the leadership concluded degraded"),
    "tasks_below_70_percent": gettext_lazy("less than 70 per cent of the planned tasks completed"),
}


def member_triggers(
    *,
    year: int,
    degraded: bool = False,
    disciplines: Iterable[Discipline] = (),
    forbidden_acts: bool = False,
    example_breach: bool = False,
    tasks_total: int = 0,
    tasks_not_completed: int = 0,
) -> MemberTriggers:
    """The triggers of an individual for the year (rules.md §1.3, (a)–(e)). (b) counts a
    duty-related discipline of reprimand or heavier taking effect in the year; a violation of an
    earlier year disciplined this year is left to the competent level (Điều 11 "lưu ý")."""
    return MemberTriggers(
        degraded=degraded,
        duty_discipline=any(_counts(d, year) for d in disciplines),
        forbidden_acts=forbidden_acts,
        example_breach=example_breach,
        most_tasks_not_completed=tasks_total > 0 and tasks_not_completed * 2 > tasks_total,
    )


def collective_triggers(
    *,
    year: int,
    personnel_wrongdoing: bool = False,
    disunity: bool = False,
    post_buying: bool = False,
    leadership_disciplines: Iterable[Discipline] = (),
    member_degraded: bool = False,
    tasks_planned: int = 0,
    tasks_completed: int = 0,
) -> CollectiveTriggers:
    """The triggers of a leadership collective for the year (rules.md §1.3). A member's discipline
    for a violation committed at a previous unit counts against that unit, not this one."""
    return CollectiveTriggers(
        personnel_wrongdoing=personnel_wrongdoing,
        disunity=disunity,
        post_buying=post_buying,
        member_duty_discipline=any(
            _counts(d, year) and not d.committed_at_previous_unit for d in leadership_disciplines
        ),
        member_degraded=member_degraded,
        tasks_below_70_percent=tasks_planned > 0 and tasks_completed * 10 < tasks_planned * 7,
    )


def level_with_triggers(level: Level | None, triggers: MemberTriggers | CollectiveTriggers) -> Level | None:
    """Any trigger makes the level "not completed", whatever the score (rules.md §1.3)."""
    return Level.NOT_COMPLETED if triggers.fired else level


def level_problems(
    level: Level,
    score: int | Decimal | None,
    rule_set: RuleSet = RULES_366,
    triggers: MemberTriggers | CollectiveTriggers | None = None,
) -> list[Problem]:
    """A chosen level against the score band and the triggers (rules.md §1.3). Not blocking: the
    competent level may set another level with a mandatory reason ("Mitigation"; Điều 11 "lưu ý").
    The score is a floor, not the whole condition: each level also has conditions of its own (tasks
    on time, shortcomings corrected) and the cap of §1.4 may lower "excellent" to "good", so only a
    level above its band is a problem. No score check under a set without bands or when no score is
    given; a trigger that holds makes "not completed" the expected level whatever the score."""
    if triggers is not None and triggers.fired:
        if level == Level.NOT_COMPLETED:
            return []
        labels = ", ".join(str(TRIGGER_LABELS[key]) for key in triggers.fired)
        message = _("“%(level)s” is required by the rules when: %(triggers)s.")
        values = {"level": Level.NOT_COMPLETED.label, "triggers": labels}
        return [Problem("level", "§1.3", message % values, blocking=False)]
    band = level_for_score(score, rule_set) if score is not None else None
    if band is None or RANK[level] <= RANK[band]:
        return []
    message = _("A score of %(score)s is in the band “%(band)s”, not “%(level)s”.")
    values = {"score": score, "band": band.label, "level": Level(level).label}
    return [Problem("level", "§1.3", message % values, blocking=False)]


# --------------------------------------------------------------------------- the cap on excellent


def _rate(rate: Decimal) -> Fraction:
    rate = rate if isinstance(rate, Decimal) else Decimal(str(rate))
    if not Decimal(0) < rate <= Decimal(1):
        raise ValueError(f"A cap rate is above 0 and at most 1, not {rate}.")
    return Fraction(rate)  # exact: no binary floating point on the way


def _base(base: str) -> CapBase:
    if base not in CapBase.values:
        raise ValueError(f"The cap base is one of {CapBase.values}, not {base!r}.")
    return CapBase(base)


def max_excellent(
    *, good: int, excellent_candidates: int = 0, rate: Decimal = Decimal("0.20"), base: str = "A"
) -> int:
    """The most that may be rated excellent out of a pool of `good + excellent_candidates` at good
    or above (rules.md §1.4; QĐ 366 Điều 11 khoản 1.5: "không vượt quá" → floor).

    Reading A (default; UNCONFIRMED): a share of those finally rated exactly good, so x <= rate *
    (pool - x), i.e. floor(rate * pool / (1 + rate)). Reading B: floor(rate * pool). The rate is 20%,
    or 25% where the competent level grants the exception."""
    if good < 0 or excellent_candidates < 0:
        raise ValueError("Counts cannot be negative.")
    share, pool = _rate(rate), good + excellent_candidates
    if _base(base) == CapBase.A:
        return math.floor(share * pool / (1 + share))
    return math.floor(share * pool)


@dataclass(frozen=True)
class CapResult:
    """The cap checked on a group: the limit for the numbers given, and how it was computed."""

    allowed: bool
    limit: int  # the most excellent these numbers allow
    over_by: int
    places_left: int  # how many more of the pool could still be rated excellent
    base: str  # CapBase
    base_count: int  # the number the rate was applied to
    rate: Decimal
    explanation: str


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


def cap_check(*, excellent: int, good: int, rate: Decimal = Decimal("0.20"), base: str = "A") -> CapResult:
    """Whether `excellent` rated excellent is within the cap, with `good` rated exactly good
    (rules.md §1.4). Reading A applies the rate to `good`; Reading B to good + excellent. The
    explanation names the setting in force, e.g. "At most 1 excellent: 20% of 5 rated good (A)"."""
    reading = _base(base)
    base_count = good if reading == CapBase.A else good + excellent
    limit = math.floor(_rate(rate) * base_count)
    best = max_excellent(good=good, excellent_candidates=excellent, rate=rate, base=base)
    values = {"limit": limit, "rate": _percent(rate), "count": base_count}
    if reading == CapBase.A:
        explanation = _("At most %(limit)d excellent: %(rate)s%% of %(count)d rated good (reading A).")
    else:
        explanation = _(
            "At most %(limit)d excellent: %(rate)s%% of %(count)d rated good or above (reading B)."
        )
    return CapResult(
        allowed=excellent <= limit,
        limit=limit,
        over_by=max(0, excellent - limit),
        places_left=max(0, best - excellent),
        base=reading,
        base_count=base_count,
        rate=rate,
        explanation=explanation % values,
    )


def cap_problem(result: CapResult) -> Problem | None:
    """A group over the cap (rules.md §1.4): blocking, unless an authorised user overrides it with a
    written reason (rules.md "Product defaults")."""
    if result.allowed:
        return None
    return Problem(
        "level",
        "§1.4",
        _("%(over)d excellent over the cap. %(explanation)s")
        % {"over": result.over_by, "explanation": result.explanation},
    )


# ------------------------------------------------------------------------ the cell and its members


def cell_rating_warnings(
    *,
    proposed: Level,
    members_not_completed: int,
    leadership_disciplined: bool,
    members_disciplined: int = 0,
    warn: bool = True,
    threshold: int = 1,
) -> list[Problem]:
    """A cell's proposed level against its members (rules.md §1.5, §1.3).

    - Excellent for a collective requires no member of the leadership collective (chi ủy, or the
      secretary) disciplined: a blocking Problem (QĐ 366 Điều 11).
    - UNCONFIRMED (no ratio in QĐ 366 / HD 43): a cell proposed excellent or good with `threshold`
      or more members rated not completed, or disciplined, gets a warning that never blocks;
      `warn=False` turns it off (rules.md "Product defaults")."""
    found = []
    if proposed == Level.EXCELLENT and leadership_disciplined:
        found.append(
            Problem(
                "level",
                "§1.3",
                _("A cell is rated excellent only when no member of its leadership is disciplined."),
            )
        )
    if not warn or proposed not in {Level.EXCELLENT, Level.GOOD}:
        return found
    if members_not_completed >= threshold:
        message = _("%(count)d member(s) of the cell did not complete their tasks.")
        found.append(Problem("level", "§1.5", message % {"count": members_not_completed}, blocking=False))
    if members_disciplined >= threshold:
        message = _("%(count)d member(s) of the cell were disciplined this year.")
        found.append(Problem("level", "§1.5", message % {"count": members_disciplined}, blocking=False))
    return found


def order_problem(*, members_unrated: int) -> Problem | None:
    """The cell is decided only after all its reviewed members are (rules.md §1.5; QĐ 366 Điều 12
    khoản 2: members are rated before the Party organisation). Blocking."""
    if members_unrated <= 0:
        return None
    return Problem(
        "level",
        "§1.5",
        _("%(count)d reviewed member(s) of the cell are not decided yet; decide them first.")
        % {"count": members_unrated},
    )


# ------------------------------------------------------------------------------------------ timing


def review_deadline(year: int, special_unit: bool = False) -> date:
    """The last day of the year's reviews (rules.md §1.7; HD 43 Mục 4): 31/12, or 15/01 of the next
    year for special units not closing at year end. "Trước 31/12" is read as "by 31/12"."""
    return date(year + 1, 1, 15) if special_unit else date(year, 12, 31)


def campaign_problems(start: date, end: date, year: int, special_unit: bool = False) -> list[Problem]:
    """The dates of a year's review campaign (rules.md §1.7): within the reviewed year, ending by
    the deadline, and not ending before they start. Blocking."""
    found = []
    deadline = review_deadline(year, special_unit)
    if end < start:
        found.append(Problem("end", "§1.7", _("The campaign ends before it starts.")))
    if start.year < year:
        found.append(Problem("start", "§1.7", _("A campaign cannot start before the year it reviews.")))
    if end > deadline:
        found.append(
            Problem(
                "end",
                "§1.7",
                _("Reviews of %(year)d must be finished by %(deadline)s.")
                % {"year": year, "deadline": deadline.strftime("%d/%m/%Y")},
            )
        )
    return found


# ----------------------------------------------------------------------------------------- rewards

CERTIFICATE_COEFFICIENT = Decimal("0.3")  # giấy khen of the đảng ủy cơ sở, excellent in the year
FIVE_YEAR_CERTIFICATE_COEFFICIENT = Decimal("1.0")  # giấy khen of the higher standing committee
FIVE_YEAR_MERIT_COEFFICIENT = Decimal("1.5")  # bằng khen of the provincial standing committee
FIVE_YEARS = 5


def reward_money(base_salary: int, coefficient: Decimal) -> int:
    """Money with a reward: the coefficient times the base salary, in whole VND (rules.md §1.10)."""
    return int((coefficient * base_salary).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def certificate_money(base_salary: int) -> int:
    """The certificate of merit for a member rated excellent in the year: 0.3 × the base salary
    (rules.md §1.10; HD 06 point 19, HD 56-HD/VPTW)."""
    return reward_money(base_salary, CERTIFICATE_COEFFICIENT)


def consecutive_excellent_years(levels_by_year: Mapping[int, Level], year: int) -> int:
    """How many years in a row, ending with `year`, were rated excellent (rules.md §1.10: rewards
    for 5 consecutive years). A year with no rating breaks the run (UNCONFIRMED for exempt years)."""
    count = 0
    while levels_by_year.get(year - count) == Level.EXCELLENT:
        count += 1
    return count
