"""Reads of the review: who is reviewed, where each cell stands, the cap in use and the checks of
each rating, always from the user's scope; a fixed number of queries whatever the subtree's size."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from dangvu.core import access
from dangvu.core.access import VIEW, Scope
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent, MembershipPeriod
from dangvu.members.rules import Problem
from dangvu.members.selectors import covering, exempt_on, suspended_on
from dangvu.organization.choices import CELL_KINDS, COMMITTEE_ROLES
from dangvu.organization.models import CommitteeSeat, Organization
from dangvu.organization.selectors import ancestor_paths, current_seat_q

from . import rules
from .choices import Level, Stage
from .models import Campaign, CellRating, MemberRating

# ------------------------------------------------------------------------------------- campaigns


def campaigns_in(organization: Organization) -> QuerySet[Campaign]:
    """Campaigns covering the organisation (its own, those above it) and those under it. The caller
    got `organization` through the user's scope, which covers everything under it."""
    above = Q(organization__path__in=ancestor_paths(organization.path))
    under = Q(organization__path__startswith=organization.path)
    return Campaign.objects.filter(above | under).select_related("organization")


def campaign_get(scope: Scope, pk: int, action: str = VIEW) -> Campaign:
    """A campaign the user may see: that of an organisation in the scope, or one above a cell the
    user sees (a cell's secretary works in the committee's campaign). Acting on it (`action` other
    than VIEW) needs the campaign's organisation itself."""
    campaign = access.get_for_user_or_404(
        Campaign.objects.select_related("organization"), access.SYSTEM_SCOPE, pk=pk
    )
    path = campaign.organization.path
    if action == VIEW and any(p.startswith(path) for p in scope.paths_for(VIEW)):
        return campaign
    access.require(scope, path, action)
    return campaign


def campaigns_visible(scope: Scope) -> QuerySet[Campaign]:
    """The campaigns campaign_get lets the user see: those of an organisation in the scope, and
    those above an organisation the user sees. Decided in the database."""
    campaigns = Campaign.objects.select_related("organization")
    if scope.is_system:
        return campaigns
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= Q(organization__path__startswith=path) | Q(organization__path__in=ancestor_paths(path))
    return campaigns.filter(condition)


def campaign_for(organization: Organization, year: int) -> Campaign | None:
    """The year's campaign covering an organisation: its own, or the nearest one above it."""
    return (
        Campaign.objects.filter(year=year, organization__path__in=ancestor_paths(organization.path))
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )


def overlapping(organization: Organization, year: int) -> QuerySet[Campaign]:
    """Campaigns of the year above, at or under the organisation: a subtree has one a year."""
    return Campaign.objects.filter(
        Q(organization__path__in=ancestor_paths(organization.path))
        | Q(organization__path__startswith=organization.path),
        year=year,
    )


def has_cells(organization: Organization) -> bool:
    return Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS).exists()


def all_cells(campaign: Campaign) -> dict[int, Organization]:
    """Every cell under the campaign's organisation by id, those closed since included (their
    ratings stay)."""
    found = Organization.objects.filter(path__startswith=campaign.organization.path, kind__in=CELL_KINDS)
    return {cell.pk: cell for cell in found}


def cells_of(campaign: Campaign, under: Organization | None = None) -> list[Organization]:
    """The cells the campaign rates, active on some day of the year, in code order."""
    year_start, year_end = date(campaign.year, 1, 1), date(campaign.year, 12, 31)
    return list(
        Organization.objects.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=year_end),
            Q(active_to__isnull=True) | Q(active_to__gte=year_start),
            path__startswith=(under or campaign.organization).path,
            kind__in=CELL_KINDS,
        ).order_by("code")
    )


# ------------------------------------------------------------------------------------ the roster


@dataclass
class Entry:
    """A member of the roster: whether they are reviewed, why not, and their rating if any."""

    member: Member
    cell_id: int
    exclusion: str | None
    rating: MemberRating | None = None
    problems: list[Problem] = field(default_factory=list)
    left: bool = False  # rated here, no longer at the cell on the review date

    @property
    def reviewed(self) -> bool:
        """Reviewed here: not excluded, and still at the cell unless already decided (a member
        who has left keeps a final rating; an unfinished one is no longer this cell's to do)."""
        return self.exclusion is None and (not self.left or self.stage == Stage.DECIDED)

    @property
    def stage(self) -> str:
        return self.rating.stage if self.rating else ""


def _roster_members(
    campaign: Campaign, path: str, member_ids: Iterable[int] | None = None
) -> QuerySet[Member]:
    on = campaign.review_date
    period = MembershipPeriod.objects.filter(covering(on), member=OuterRef("pk"))
    decisions = MemberEvent.objects.filter(
        member=OuterRef("pk"),
        date__lte=on,
        kind__in=[EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION],
    ).order_by("-date")
    ceremonies = MemberEvent.objects.filter(member=OuterRef("pk"), date__lte=on, kind=EventKind.CEREMONY)
    members = Member.objects.filter(Exists(period.filter(cell__path__startswith=path)))
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    return (
        members.annotate(
            cell_on=Subquery(period.values("cell_id")[:1]),
            is_exempt=exempt_on(on),
            is_suspended=suspended_on(on),
            decision_on=Subquery(decisions.values("date")[:1]),
            ceremony_on=Subquery(ceremonies.order_by("-date").values("date")[:1]),
        )
        .select_related("person")
        .order_by("person__sort_key", "pk")
    )


def _exclusion(campaign: Campaign, member: Member) -> str | None:
    return rules.review_exclusion(
        exempt=member.is_exempt,
        suspended=member.is_suspended,
        admission_decision=member.decision_on,
        ceremony=member.ceremony_on,
        review_date=campaign.review_date,
        count_from=campaign.count_from,
    )


def roster(campaign: Campaign, cell: Organization | None = None) -> list[Entry]:
    """Who the campaign reviews in `cell` (or the whole campaign): the members at the cell on the
    review date, with the reason when they are not reviewed (rules.md §1.2), and every member rated
    there who has left since. Sorted by given name. Two queries."""
    path = (cell or campaign.organization).path
    ratings = {
        r.member_id: r
        for r in MemberRating.objects.filter(campaign=campaign, cell__path__startswith=path).select_related(
            "member__person", "self_by", "proposed_by", "decided_by"
        )
    }
    entries = [
        Entry(member=m, cell_id=m.cell_on, exclusion=_exclusion(campaign, m), rating=ratings.pop(m.pk, None))
        for m in _roster_members(campaign, path)
    ]
    entries += [
        Entry(member=r.member, cell_id=r.cell_id, exclusion=None, rating=r, left=True)
        for r in ratings.values()
    ]
    entries.sort(key=lambda e: (e.member.person.sort_key, e.member.pk))
    return entries


def roster_entry(campaign: Campaign, member: Member) -> Entry | None:
    """One member's place in the campaign's roster, or None when they are not in it."""
    found = list(_roster_members(campaign, campaign.organization.path, [member.pk]))
    if not found:
        return None
    rating = MemberRating.objects.filter(campaign=campaign, member=member).first()
    return Entry(
        member=found[0], cell_id=found[0].cell_on, exclusion=_exclusion(campaign, found[0]), rating=rating
    )


def exclusion_counts(campaign: Campaign, path: str) -> Counter:
    """Members not reviewed under `path` on the campaign's review date, by reason."""
    return Counter(reason for _pk, _cell, reason in roster_rows(campaign, path) if reason is not None)


# --------------------------------------------------------------------------- discipline and triggers


def disciplines_of(member_ids: Iterable[int]) -> dict[int, list[rules.Discipline]]:
    """The disciplines on record, not annulled, per member. One query."""
    found: dict[int, list[rules.Discipline]] = defaultdict(list)
    events = MemberEvent.objects.filter(
        member_id__in=list(member_ids), kind=EventKind.DISCIPLINE, annulled=False
    ).exclude(discipline_form="")
    for event in events.order_by("date", "pk"):
        found[event.member_id].append(
            rules.Discipline(
                form=event.discipline_form,
                effective_on=event.effective_date or event.date,
                duty_related=event.official_duty,
            )
        )
    return found


def triggers_of(rating: MemberRating, disciplines: list[rules.Discipline], year: int) -> rules.MemberTriggers:
    stated = set(rating.triggers or [])
    return rules.member_triggers(
        year=year,
        disciplines=disciplines,
        degraded="degraded" in stated,
        forbidden_acts="forbidden_acts" in stated,
        example_breach="example_breach" in stated,
        tasks_total=2 if "most_tasks_not_completed" in stated else 0,
        tasks_not_completed=2 if "most_tasks_not_completed" in stated else 0,
    )


def disciplined_in(disciplines: list[rules.Discipline], year: int) -> bool:
    """Any discipline taking effect in the year (the collective's conditions, rules.md §1.3)."""
    return any(d.effective_on.year == year for d in disciplines)


def leadership_member_ids(cell_ids: Iterable[int], on: date) -> dict[int, set[int]]:
    """The members holding a committee seat (chi ủy, or the secretary) of each cell on `on`."""
    seats = CommitteeSeat.objects.filter(
        current_seat_q(on), organization_id__in=list(cell_ids), role__in=COMMITTEE_ROLES
    ).values_list("organization_id", "person__member__id")
    found: dict[int, set[int]] = defaultdict(set)
    for cell_id, member_id in seats:
        if member_id:
            found[cell_id].add(member_id)
    return found


# -------------------------------------------------------------------------------------- the cap


@dataclass(frozen=True)
class CapStatus:
    """The cap in one group: on what is decided, and if every pending proposal were decided."""

    group: str
    decided: rules.CapResult
    projected: rules.CapResult


def cap_statuses(
    campaign: Campaign, ratings: Iterable, cells: dict[int, Organization], *, of_cells: bool = False
) -> list[CapStatus]:
    """The cap on excellent members (or, `of_cells`, cells) per group of the campaign's grouping
    (rules.md §1.4): on what is decided, and if every pending proposal (a cell's pending
    self-rating) were decided as it stands."""
    decided: dict[str, Counter] = defaultdict(Counter)
    projected: dict[str, Counter] = defaultdict(Counter)
    for rating in ratings:
        cell = cells[rating.cell_id]
        group = campaign.cell_group_of(cell) if of_cells else campaign.group_of(cell)
        if rating.stage == Stage.DECIDED:
            decided[group][rating.decided_level] += 1
            projected[group][rating.decided_level] += 1
        elif level := (rating.self_level if of_cells else rating.proposed_level):
            projected[group][level] += 1
    return [
        CapStatus(group, campaign.cap_check(decided[group]), campaign.cap_check(projected[group]))
        for group in sorted(set(decided) | set(projected))
    ]


def levels_for_cap(
    campaign: Campaign, *, cells: bool = False, exclude: Iterable[int] = ()
) -> dict[str, Counter]:
    """Per cap group, what the check before a decision counts (rules.md §1.4): the levels decided,
    and the pending proposals below excellent (a cell's pending self-rating for cells), so that a
    group decided cell by cell is not refused for the "good" still to come; a pending "excellent"
    counts only once decided. Ratings in `exclude` (those being decided) are left out. One query."""
    model = CellRating if cells else MemberRating
    pending_stage = Stage.SELF_ASSESSED if cells else Stage.PROPOSED
    counts: dict[str, Counter] = defaultdict(Counter)
    rows = model.objects.filter(campaign=campaign).exclude(pk__in=list(exclude)).select_related("cell")
    for rating in rows:
        group = campaign.cell_group_of(rating.cell) if cells else campaign.group_of(rating.cell)
        if rating.stage == Stage.DECIDED:
            counts[group][rating.decided_level] += 1
        elif rating.stage == pending_stage:
            level = rating.self_level if cells else rating.proposed_level
            if level and level != Level.EXCELLENT:
                counts[group][level] += 1
    return counts


# ------------------------------------------------------------------------------------- progress


@dataclass
class CellProgress:
    """Where a cell stands: counts per step and the distribution of decided levels."""

    cell: Organization
    reviewed: int = 0
    not_reviewed: int = 0
    not_self_assessed: int = 0
    not_proposed: int = 0
    not_decided: int = 0
    levels: Counter = field(default_factory=Counter)
    rating: CellRating | None = None

    @property
    def decided(self) -> int:
        return sum(self.levels.values())

    def percent(self, level: str) -> int | None:
        return round(100 * self.levels[level] / self.decided) if self.decided else None

    @property
    def distribution(self) -> list[tuple[str, str, int, int | None]]:
        return [(level.value, level.label, self.levels[level], self.percent(level)) for level in Level]


def progress(
    campaign: Campaign, under: Organization | None = None
) -> tuple[list[CellProgress], CellProgress]:
    """Per cell of the campaign (under `under`), who has not self-assessed, not been proposed, not
    been decided, and the levels decided; and the same summed for the whole. Four queries, read as
    plain values (an organisation's page shows it: 2,000 model instances cost ten times more)."""
    cells = cells_of(campaign, under)
    by_id = {c.pk: CellProgress(cell=c) for c in cells}
    for rating in CellRating.objects.filter(campaign=campaign, cell_id__in=by_id).select_related("cell"):
        by_id[rating.cell_id].rating = rating
    total = CellProgress(cell=under or campaign.organization)
    path = (under or campaign.organization).path
    ratings = {
        member_id: (cell_id, stage, level)
        for member_id, cell_id, stage, level in MemberRating.objects.filter(
            campaign=campaign, cell__path__startswith=path
        ).values_list("member_id", "cell_id", "stage", "decided_level")
    }
    tallies = [
        (cell_id, exclusion, False, *ratings.pop(pk, (None, "", ""))[1:])
        for pk, cell_id, exclusion in roster_rows(campaign, path)
    ]
    tallies += [(cell_id, None, True, stage, level) for cell_id, stage, level in ratings.values()]
    for cell_id, exclusion, left, stage, level in tallies:
        item = by_id.get(cell_id)
        for target in (item, total) if item else (total,):
            _count(target, exclusion, left, stage, level)
    return list(by_id.values()), total


def roster_rows(campaign: Campaign, path: str) -> list[tuple[int, int, str | None]]:
    """(member id, cell id, exclusion) of the roster under `path`, as plain values. One query."""
    rows = (
        _roster_members(campaign, path)
        .order_by()
        .values_list("pk", "cell_on", "is_exempt", "is_suspended", "decision_on", "ceremony_on")
    )
    return [
        (
            pk,
            cell_id,
            rules.review_exclusion(
                exempt=exempt,
                suspended=suspended,
                admission_decision=decision,
                ceremony=ceremony,
                review_date=campaign.review_date,
                count_from=campaign.count_from,
            ),
        )
        for pk, cell_id, exempt, suspended, decision, ceremony in rows
    ]


def _count(target: CellProgress, exclusion: str | None, left: bool, stage: str, level: str) -> None:
    if left and stage != Stage.DECIDED:
        return  # neither reviewed here nor excluded: gone before the review
    if exclusion is not None:
        target.not_reviewed += 1
        return
    target.reviewed += 1
    if not stage:
        target.not_self_assessed += 1
    if stage in {"", Stage.SELF_ASSESSED}:
        target.not_proposed += 1
    if stage != Stage.DECIDED:
        target.not_decided += 1
    else:
        target.levels[level] += 1


# -------------------------------------------------------------------------- checks shown live


def member_checks(campaign: Campaign, entries: list[Entry]) -> None:
    """Fill each rated entry's problems: the level (decided, else proposed, else self-assessed)
    against the score band and the triggers (rules.md §1.3). One query."""
    rated = [e for e in entries if e.rating]
    disciplines = disciplines_of(e.member.pk for e in rated)
    for entry in rated:
        rating = entry.rating
        level = rating.decided_level or rating.proposed_level or rating.self_level
        if level:
            triggers = triggers_of(rating, disciplines.get(entry.member.pk, []), campaign.year)
            entry.problems = rules.level_problems(level, rating.score, campaign.rules, triggers)


def cell_member_facts(campaign: Campaign, cell: Organization, entries: list[Entry]) -> dict:
    """What the cell's own rating is checked against (rules.md §1.5, §1.3): its members not yet
    decided, decided not completed, disciplined in the year, and its leadership disciplined."""
    reviewed = [e for e in entries if e.reviewed and e.cell_id == cell.pk]
    disciplines = disciplines_of(e.member.pk for e in reviewed)
    leaders = leadership_member_ids([cell.pk], campaign.review_date).get(cell.pk, set())
    leader_disciplines = disciplines_of(leaders - {e.member.pk for e in reviewed}) if leaders else {}
    disciplines = {**leader_disciplines, **disciplines}
    return {
        "leadership_disciplines": [d for member_id in leaders for d in disciplines.get(member_id, [])],
        "members_unrated": sum(1 for e in reviewed if e.stage != Stage.DECIDED),
        "members_not_completed": sum(
            1 for e in reviewed if e.rating and e.rating.decided_level == Level.NOT_COMPLETED
        ),
        "members_disciplined": sum(
            1 for e in reviewed if disciplined_in(disciplines.get(e.member.pk, []), campaign.year)
        ),
        "leadership_disciplined": any(
            disciplined_in(disciplines.get(member_id, []), campaign.year) for member_id in leaders
        ),
    }


def member_rating_get(scope: Scope, pk: int, action: str = VIEW) -> MemberRating:
    return access.get_for_user_or_404(
        MemberRating.objects.select_related("campaign__organization", "member__person", "cell"),
        scope,
        action,
        pk=pk,
    )


def cell_rating_of(campaign: Campaign, cell: Organization) -> CellRating | None:
    return CellRating.objects.filter(campaign=campaign, cell=cell).first()
