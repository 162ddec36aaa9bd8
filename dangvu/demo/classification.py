"""The demo's annual review and quality classification (rules §1): a decided campaign for every
complete demo year, and the current year in progress.

The complete demo years are the three calendar years before the demo's today (2023, 2024 and 2025
for a demo built in 2026). The member records go back to 1958, but the other builders keep the
recent past only (the reports: last year and this year; the committees: two terms): three years
show the trend of the figures and both rule sets (the 124-QĐ/TW set, without scores, for 2023 and
2024; 366-QĐ/TW with its 100-point bands from 2025), and an earlier year would add nothing.

Each decided year, opened by the office on the root and judged per the product defaults (Reading A,
across the committee): about 70% of the reviewed members good, excellent up to the cap, some
completed (those disciplined in the year among them), a few not completed (a reprimand for a
duty-related violation in the year); the members excluded (exempt, admitted less than six months
before) come from the member records. Cells: 78% good, 10% excellent, the rest completed, the
shape of the article ("46 chi bộ hoàn thành tốt nhiệm vụ (78%), 6 xuất sắc"), never excellent
with a member not completed or its leadership disciplined; a cell dissolved before the review has
no rating. The reprimands go to members without a seat, so that no cell is forced to "not
completed".

The current year's campaign opened in late November (or a few days before today), ends on 31/12:
a fifth of the cells fully proposed and decided (some with their own rating), some proposed and
awaiting the office, some with self-assessments only, the rest not started; the demo secretary's
cell has every self-assessment in and is ready to propose, one of its members reprimanded this year
for a duty-related violation (the check shows "not completed" is required).

The ratings are written as the services would write them (stages, who and when, decided_on,
self_on_behalf, a history row per step naming its actor) but in bulk (core.bulk): through the
services, the three steps of 6,000 members would take most of the demo's time.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from dangvu.classification import rules, selectors, services
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.core import bulk
from dangvu.members import services as member_services
from dangvu.members.choices import DisciplineForm, EventKind

COMPLETE_YEARS = 3
E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED
BANDS = {E: (90, 98), G: (70, 89), C: (50, 69), N: (30, 49)}
DUTY_SCORE = Decimal(73)  # a score in the good band, made "not completed" by the reprimand (§1.3)
# Current year: the share of cells at each point of the workflow, in order (the rest not started).
DECIDED_SHARE, PROPOSED_SHARE, SELF_ONLY_SHARE = 0.2, 0.15, 0.3


def complete_years(today: date) -> list[int]:
    """The years with a decided campaign in the demo: the three before today's."""
    return [today.year - n for n in range(COMPLETE_YEARS, 0, -1)]


def build_classification(ctx) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["vanphong", "bithu.cb02"])}
    people = _People(ctx.actor, users["vanphong"], users["bithu.cb02"], ctx.cells[1].pk)
    for year in complete_years(ctx.today):
        _decided_year(ctx, people, year)
    _current_year(ctx, people)


@dataclass(frozen=True)
class _People:
    """Who acts: the office opens and decides; a cell's secretary records (the demo secretary for
    CB-02, the system elsewhere: their secretaries have no login) unless the member has a login."""

    system: object
    office: object
    secretary: object
    secretary_cell_id: int

    def recorder(self, cell_id: int):
        return self.secretary if cell_id == self.secretary_cell_id else self.system


# --------------------------------------------------------------------------------- planned rows


@dataclass
class _Step:
    at: datetime
    by: object
    values: dict


@dataclass
class _Rating:
    """One rating row and the steps that made it, in order."""

    fixed: dict  # campaign, member or cell
    steps: list[_Step] = field(default_factory=list)

    def add(self, at: datetime, by, **values) -> None:
        self.steps.append(_Step(at, by, values))


def _write(model, ratings: list[_Rating]) -> None:
    """The rows in their last state and a history row per step ("+" then "~"), as the services'
    saves leave them."""
    triggers = model._meta.get_field("triggers").get_db_prep_value([], connection)
    snapshots, finals = [], []
    for rating in ratings:
        row = {**rating.fixed, "triggers": triggers}
        for version, step in enumerate(rating.steps, start=1):
            row = {**row, **step.values, "version": version}
            snapshots.append((len(finals), row, step, version))
        finals.append(row)
    now = timezone.now()
    ids = bulk.insert(model, finals, when=now)
    history = [
        {
            **row,
            "id": ids[index],
            "created_at": now,
            "updated_at": now,
            "history_date": step.at,
            "history_type": "+" if version == 1 else "~",
            "history_user_id": step.by.pk,
            "history_change_reason": None,
        }
        for index, row, step, version in snapshots
    ]
    bulk.insert(model.history.model, history)


def _score(rng, level: str, scored: bool) -> Decimal | None:
    return Decimal(rng.randint(*BANDS[level])) if scored else None


def _member_steps(ctx, people, rating: _Rating, entry, plan: dict, times: dict, scored: bool) -> None:
    """Self-assessment, then (if planned) the proposal and the decision, as the services write."""
    rng, person = ctx.rng, entry.member.person
    by = person.user if person.user_id else people.recorder(entry.cell_id)
    self_level = plan["self"]
    self_score = DUTY_SCORE if plan.get("duty") and scored else _score(rng, self_level, scored)
    rating.add(
        times["self"],
        by,
        stage=Stage.SELF_ASSESSED,
        self_level=self_level,
        self_score=self_score,
        self_by_id=by.pk,
        self_at=times["self"],
        self_on_behalf=person.user_id != by.pk,
    )
    if "proposed" not in plan:
        return
    level = plan["proposed"]
    score = self_score if level == self_level or plan.get("duty") else _score(rng, level, scored)
    recorder = people.recorder(entry.cell_id)
    rating.add(
        times["proposed"],
        recorder,
        stage=Stage.PROPOSED,
        proposed_level=level,
        proposed_score=score,
        proposed_by_id=recorder.pk,
        proposed_at=times["proposed"],
    )
    if "decided" in plan:
        rating.add(
            times["decided"],
            people.office,
            stage=Stage.DECIDED,
            decided_level=plan["decided"],
            decided_by_id=people.office.pk,
            decided_at=times["decided"],
            decided_on=timezone.localtime(times["decided"]).date(),
        )


def _cell_steps(people, rating: _Rating, cell_id: int, level: str, score, times: dict, **decision) -> None:
    recorder = people.recorder(cell_id)
    rating.add(
        times["self"],
        recorder,
        stage=Stage.SELF_ASSESSED,
        self_level=decision.pop("self_level", level),
        self_score=score,
        self_by_id=recorder.pk,
        self_at=times["self"],
    )
    if "decided" in times:
        rating.add(
            times["decided"],
            people.office,
            stage=Stage.DECIDED,
            decided_level=level,
            exemplary=decision.get("exemplary", False),
            decided_by_id=people.office.pk,
            decided_at=times["decided"],
            decided_on=timezone.localtime(times["decided"]).date(),
        )


# ------------------------------------------------------------------------------------ the levels


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _member_levels(rng, entries: list, duty: set[int], disciplined: set[int]) -> dict[int, str]:
    """A level per reviewed member: about 70% good, excellent up to the cap (Reading A, across the
    committee), completed for some and for those disciplined in the year, not completed for a
    duty-related reprimand in the year (rules §1.3) and a very few others."""
    cell_bias = {}
    levels = {}
    for entry in entries:
        bias = cell_bias.setdefault(entry.cell_id, rng.uniform(0.5, 1.5))
        roll = rng.random()
        if entry.member.pk in duty:
            levels[entry.member.pk] = N
        elif entry.member.pk in disciplined or roll > 0.995:
            levels[entry.member.pk] = C if roll <= 0.995 else N
        else:
            levels[entry.member.pk] = E if roll < 0.17 * bias else (G if roll < 0.87 else C)
    return _within_cap(rng, levels)


def _within_cap(rng, levels: dict) -> dict:
    """Excellent ones made good, at random, until the cap allows the rest (rules §1.4)."""
    excellent = sorted(k for k, level in levels.items() if level == E)
    rng.shuffle(excellent)
    good = sum(1 for level in levels.values() if level == G)
    while excellent and not rules.cap_check(excellent=len(excellent), good=good).allowed:
        levels[excellent.pop()] = G
        good += 1
    return levels


def _self_level(rng, level: str) -> str:
    """Members mostly rate themselves as the cell will; one in ten a level higher."""
    if rng.random() < 0.1 and level in (G, C):
        return E if level == G else G
    return level


def _cell_levels(rng, cell_ids: list[int], not_for_excellent: set[int]) -> dict[int, str]:
    """78% good, 10% excellent (never a cell with a member not completed or its leadership
    disciplined), the rest completed: the article's 46 of 59 good, 6 excellent."""
    count = len(cell_ids)
    excellent_count, good_count = round(0.10 * count), round(0.78 * count)
    eligible = [c for c in cell_ids if c not in not_for_excellent]
    rng.shuffle(eligible)
    levels = {c: E for c in eligible[:excellent_count]}
    rest = [c for c in cell_ids if c not in levels]
    rng.shuffle(rest)
    levels.update({c: G if i < good_count else C for i, c in enumerate(rest)})
    return levels


# ---------------------------------------------------------------------------------- decided years


def _reviewed(campaign: Campaign) -> list:
    """The members the campaign reviews, at the cells it rates. (A few demo members moved, years
    ago, to the cell founded this year, before its founding date: they are left unrated.)"""
    cell_ids = {c.pk for c in selectors.cells_of(campaign)}
    return [e for e in selectors.roster(campaign) if e.reviewed and e.cell_id in cell_ids]


def _open(ctx, people, year: int, start: date, end: date, review_date: date, notify: bool) -> Campaign:
    return services.campaign_open(
        actor=people.office,
        organization=ctx.root,
        year=year,
        start=start,
        end=end,
        review_date=review_date,
        notify=notify,
    )


def _decided_year(ctx, people, year: int) -> None:
    """Self-assessments from 20/11, the cells' meetings in early December, the review date 15/12;
    the committee decides every member on 20/12 and the cells on 27/12."""
    rng = ctx.rng
    campaign = _open(ctx, people, year, date(year, 11, 20), date(year, 12, 31), date(year, 12, 15), False)
    entries = _reviewed(campaign)
    leaders = selectors.leadership_member_ids({e.cell_id for e in entries}, campaign.review_date)
    duty = _reprimand(ctx, people, rng.sample(_ordinary(entries, leaders), 2), date(year, 11, 30))
    disciplines = selectors.disciplines_of(e.member.pk for e in entries)
    disciplined = {m for m, found in disciplines.items() if selectors.disciplined_in(found, year)}
    levels = _member_levels(rng, entries, duty, disciplined)
    scored = campaign.rules.has_score_bands
    meetings = {
        cell_id: date(year, 12, rng.randint(3, 12)) for cell_id in sorted({e.cell_id for e in entries})
    }
    ratings = []
    for entry in entries:
        level, meeting = levels[entry.member.pk], meetings[entry.cell_id]
        is_duty = entry.member.pk in duty  # the member's own view is "good"; the reprimand decides
        plan = {"self": G if is_duty else _self_level(rng, level), "proposed": level, "decided": level}
        plan["duty"] = is_duty
        times = {
            "self": _at(_day(rng, date(year, 11, 20), meeting - timedelta(days=1)), rng.randint(8, 16)),
            "proposed": _at(meeting, 15, rng.randint(0, 59)),
            "decided": _at(date(year, 12, 20), 9, rng.randint(0, 59)),
        }
        rating = _Rating({"campaign_id": campaign.pk, "member_id": entry.member.pk, "cell_id": entry.cell_id})
        _member_steps(ctx, people, rating, entry, plan, times, scored)
        ratings.append(rating)
    _write(MemberRating, ratings)
    _decided_cells(ctx, people, campaign, entries, levels, leaders)


def _decided_cells(ctx, people, campaign: Campaign, entries, levels: dict, leaders: dict) -> None:
    """Each cell self-rates once its members are decided; the committee decides them all on 27/12.
    A cell whose leadership was disciplined in the year is never excellent, and "not completed"
    when the discipline forces it (rules §1.3)."""
    rng, year = ctx.rng, campaign.year
    cell_ids = sorted({e.cell_id for e in entries})
    found = selectors.disciplines_of(m for members in leaders.values() for m in members)
    disciplined = {c: [d for m in leaders.get(c, ()) for d in found.get(m, [])] for c in cell_ids}
    not_for_excellent = {e.cell_id for e in entries if levels[e.member.pk] == N} | {
        c for c, those in disciplined.items() if selectors.disciplined_in(those, year)
    }
    cell_levels = _cell_levels(rng, cell_ids, not_for_excellent)
    for c, those in disciplined.items():
        if rules.collective_triggers(year=year, leadership_disciplines=those).fired:
            cell_levels[c] = N
    exemplary = next((c for c in cell_ids if cell_levels[c] == E), None)
    scored = campaign.rules.has_score_bands
    ratings = []
    # Decided one after the other on 27/12, the excellent last: the cap counts what is decided.
    for minute, cell_id in enumerate(sorted(cell_ids, key=lambda c: cell_levels[c] == E)):
        level = cell_levels[cell_id]
        times = {
            "self": _at(date(year, 12, rng.randint(21, 24)), rng.randint(8, 16)),
            "decided": _at(date(year, 12, 27), 9) + timedelta(minutes=2 * minute),
        }
        rating = _Rating({"campaign_id": campaign.pk, "cell_id": cell_id})
        # Some cells rated themselves higher: only without scores, where no band contradicts it.
        self_level = E if level == G and not scored and rng.random() < 0.15 else level
        _cell_steps(
            people,
            rating,
            cell_id,
            level,
            _score(rng, self_level, scored),
            times,
            self_level=self_level,
            exemplary=cell_id == exemplary,
        )
        ratings.append(rating)
    _write(CellRating, ratings)


def _ordinary(entries: list, leaders: dict[int, set[int]]) -> list:
    """Members who hold no seat on their cell's committee and are not demo personas (whose own
    records stay unremarkable)."""
    seated = {m for members in leaders.values() for m in members}
    return [e for e in entries if not e.member.person.user_id and e.member.pk not in seated]


def _reprimand(ctx, people, entries: list, last: date) -> set[int]:
    """A reprimand for a duty-related violation, taking effect in the year (rules §1.3 (b)), for
    each member given: it makes their level "not completed"."""
    for entry in entries:
        after_ceremony = (entry.member.ceremony_on or last) + timedelta(days=1)
        first = min(max(date(last.year, 1, 1), after_ceremony), last)
        member_services.event_add(
            actor=people.office,
            member=entry.member,
            kind=EventKind.DISCIPLINE,
            date=_day(ctx.rng, first, last),
            discipline_form=DisciplineForm.REPRIMAND,
            official_duty=True,
            issuing_body="Đảng ủy",
            reason="Vi phạm trong thực hiện nhiệm vụ chuyên môn được giao",
        )
    return {e.member.pk for e in entries}


# ---------------------------------------------------------------------------------- current year


@dataclass
class _Clock:
    """Moments of the current campaign, from its first morning to the demo's today at 9:00, as a
    fraction of that span (0: the start, 1: today)."""

    start: datetime
    end: datetime

    def at(self, fraction: float) -> datetime:
        return self.start + (self.end - self.start) * fraction


def _current_year(ctx, people) -> None:
    """Opened in late November (or a few days before today), to 31/12; the cells' committees are
    told (only the demo secretary has a login among them)."""
    rng, today = ctx.rng, ctx.today
    year = today.year
    start = max(date(year, 1, 1), min(date(year, 11, 20), today - timedelta(days=5)))
    review_date = max(start, date(year, 12, 15))
    campaign = _open(ctx, people, year, start, date(year, 12, 31), review_date, True)
    clock = _Clock(_at(start, 8), _at(today, 9))
    entries = _reviewed(campaign)
    by_cell: dict[int, list] = {}
    for entry in entries:
        by_cell.setdefault(entry.cell_id, []).append(entry)
    own = by_cell.pop(people.secretary_cell_id, [])
    others = sorted(by_cell)
    rng.shuffle(others)
    cuts = [round(share * len(others)) for share in (DECIDED_SHARE, PROPOSED_SHARE, SELF_ONLY_SHARE)]
    decided = others[: cuts[0]]
    proposed = others[cuts[0] : cuts[0] + cuts[1]]
    self_only = others[cuts[0] + cuts[1] : sum(cuts)]
    ratings = _current_decided(ctx, people, campaign, clock, [e for c in decided for e in by_cell[c]])
    ratings += _current_proposed(ctx, people, campaign, clock, [e for c in proposed for e in by_cell[c]])
    for cell_id in self_only:
        share = rng.uniform(0.3, 0.9)
        ratings += _self_assessed(
            ctx, people, campaign, clock, [e for e in by_cell[cell_id] if rng.random() < share]
        )
    leaders = selectors.leadership_member_ids([people.secretary_cell_id], today)
    duty = _reprimand(ctx, people, _ordinary(own, leaders)[:1], today)
    ratings += _self_assessed(ctx, people, campaign, clock, own, duty)
    _write(MemberRating, ratings)
    _current_cells(ctx, people, campaign, clock, decided)


def _member_rating(ctx, people, campaign, entry, plan: dict, times: dict) -> _Rating:
    rating = _Rating({"campaign_id": campaign.pk, "member_id": entry.member.pk, "cell_id": entry.cell_id})
    _member_steps(ctx, people, rating, entry, plan, times, campaign.rules.has_score_bands)
    return rating


def _self_assessed(ctx, people, campaign, clock: _Clock, entries: list, duty: set[int] = frozenset()) -> list:
    """Self-assessments only, the cell's proposals still to come."""
    rng, found = ctx.rng, []
    for entry in entries:
        is_duty = entry.member.pk in duty
        level = G if is_duty else _self_level(rng, rng.choice([E, G, G, G, G, G, C]))
        plan = {"self": level, "duty": is_duty}
        found.append(
            _member_rating(ctx, people, campaign, entry, plan, {"self": clock.at(rng.uniform(0, 0.95))})
        )
    return found


def _proposals(ctx, people, campaign, clock: _Clock, entries: list, levels: dict, decided_at=None) -> list:
    """Each cell's self-assessments, then its meeting's proposals; decided at `decided_at` if given."""
    rng, found = ctx.rng, []
    meetings = {cell_id: rng.uniform(0.4, 0.75) for cell_id in sorted({e.cell_id for e in entries})}
    for entry in entries:
        level, meeting = levels[entry.member.pk], meetings[entry.cell_id]
        plan = {"self": _self_level(rng, level), "proposed": level}
        times = {"self": clock.at(rng.uniform(0, meeting - 0.05)), "proposed": clock.at(meeting)}
        if decided_at is not None:
            plan["decided"], times["decided"] = level, decided_at
        found.append(_member_rating(ctx, people, campaign, entry, plan, times))
    return found


def _current_decided(ctx, people, campaign, clock: _Clock, entries: list) -> list:
    """Cells fully proposed and decided by the office in one sitting, within the cap."""
    levels = _member_levels(ctx.rng, entries, set(), set())
    return _proposals(ctx, people, campaign, clock, entries, levels, decided_at=clock.at(0.8))


def _current_proposed(ctx, people, campaign, clock: _Clock, entries: list) -> list:
    """Cells fully proposed, awaiting the office: more excellent than the cap may allow."""
    levels = {e.member.pk: ctx.rng.choice([E, E, G, G, G, G, G, G, C]) for e in entries}
    return _proposals(ctx, people, campaign, clock, entries, levels)


def _current_cells(ctx, people, campaign, clock: _Clock, decided: list[int]) -> None:
    """Of the cells whose members are all decided, half have rated themselves; half of those are
    decided (good or completed, then excellent only within the cap)."""
    rng = ctx.rng
    rated = sorted(decided)[: math.ceil(len(decided) / 2)]
    levels = _cell_levels(rng, rated, set())
    to_decide = rated[: len(rated) // 2]
    levels.update(_within_cap(rng, {c: levels[c] for c in to_decide}))
    ratings = []
    # Decided one after the other, the excellent last: the cap counts what is decided.
    for index, cell_id in enumerate(sorted(rated, key=lambda c: (c in to_decide, levels[c] == E))):
        times = {"self": clock.at(rng.uniform(0.82, 0.9))}
        if cell_id in to_decide:
            times["decided"] = clock.at(0.95) + timedelta(minutes=2 * index)
        rating = _Rating({"campaign_id": campaign.pk, "cell_id": cell_id})
        score = _score(rng, levels[cell_id], campaign.rules.has_score_bands)
        _cell_steps(people, rating, cell_id, levels[cell_id], score, times)
        ratings.append(rating)
    _write(CellRating, ratings)
