"""Reads of member development, always from the user's scope.

Who sees a candidate: whoever sees their cell (a cell's secretary sees only their cell's). Who keeps
the candidates of a cell (lists them, records their steps and papers): the cell's chi ủy and the
office above it (RECORDS on the cell). Who sets the time limits: the office (MANAGE)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, RECORDS, Scope
from dangvu.core.vietnamese import fold
from dangvu.members.models import MembershipPeriod
from dangvu.members.selectors import covering
from dangvu.organization.choices import CELL_KINDS, COMMITTEE_ROLES, OrgKind
from dangvu.organization.models import CommitteeSeat, Organization
from dangvu.organization.selectors import ancestor_paths, current_seat_q

from . import rules
from .choices import CELL_VOTES, VOTES, Step
from .models import Candidate, DevelopmentSettings, DossierPaper, StepRecord

ACTIVE_STEPS = tuple(s for s in Step.values if s not in {Step.RECOGNISED, Step.REMOVED})


def can_keep(scope: Scope, cell: Organization) -> bool:
    """Whether the user lists the cell's candidates and records their way."""
    return cell.is_cell and scope.covers(cell.path, RECORDS)


def cells_kept(scope: Scope, organization: Organization) -> list[Organization]:
    """The cells under the organisation (itself when it is a cell) whose candidates the user keeps
    (can_keep), by code: one query."""
    cells = Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)
    return list(access.restrict(cells, scope, RECORDS).order_by("code"))


def can_set_limits(scope: Scope, organization: Organization) -> bool:
    return scope.covers(organization.path, MANAGE)


def candidates_in(
    scope: Scope, organization: Organization, *, step: str = "", query: str = "", current: bool = True
) -> QuerySet[Candidate]:
    """The candidates of the organisation's cells the user sees, by given name; `current` keeps
    those still on their way (neither recognised nor removed); `step` one step; `query` searches
    the name without diacritics."""
    candidates = (
        access.restrict(Candidate.objects, scope)
        .filter(cell__path__startswith=organization.path)
        .select_related("cell", "helper__person", "member")
    )
    if current:
        candidates = candidates.filter(step__in=ACTIVE_STEPS)
    if step:
        candidates = candidates.filter(step=step)
    for word in fold(query).split():
        candidates = candidates.filter(search_text__contains=word)
    return candidates.order_by("sort_key", "pk")


def candidate_get(scope: Scope, pk: int, action: str = access.VIEW) -> Candidate:
    """A candidate the user sees (or may act on), with their steps and papers, or 404."""
    candidates = with_steps(Candidate.objects.select_related("cell", "helper__person", "member__person"))
    return access.get_for_user_or_404(candidates, scope, action, pk=pk)


def with_steps(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Candidates with their steps and papers, two queries more however many."""
    return candidates.prefetch_related(
        Prefetch("steps", queryset=StepRecord.objects.order_by("date", "pk")),
        Prefetch("papers", queryset=DossierPaper.objects.order_by("paper")),
    )


def limits_of(organizations: list[Organization]) -> dict[int, rules.Limits]:
    """The time limits deciding for each organisation: its own settings or the nearest above; the
    national defaults when there are none. One query."""
    paths = {p for org in organizations for p in ancestor_paths(org.path)}
    saved = {
        s.organization.path: s
        for s in DevelopmentSettings.objects.filter(organization__path__in=paths).select_related(
            "organization"
        )
    }
    found = {}
    for org in organizations:
        nearest = next((saved[p] for p in reversed(ancestor_paths(org.path)) if p in saved), None)
        found[org.pk] = rules.Limits.from_fields(nearest) if nearest else rules.Limits()
    return found


def settings_of(organization: Organization) -> DevelopmentSettings | None:
    """The organisation's own settings, if it has saved some."""
    return DevelopmentSettings.objects.filter(organization=organization).first()


def done_of(candidate: Candidate) -> dict[str, rules.Done]:
    """The steps done, from a candidate read with_steps (no query)."""
    return {
        s.step: rules.Done(s.date, extended=s.extended, received_on=s.received_on)
        for s in candidate.steps.all()
    }


@dataclass(frozen=True)
class Row:
    """A candidate with what they await and by when (rules.next_due)."""

    candidate: Candidate
    due: rules.Due | None
    overdue: bool


def rows(candidates, calendar: periods.WorkCalendar | None = None, today: date | None = None) -> list[Row]:
    """Each candidate (read with_steps) with their next due date: one query for the calendar and
    one for the limits, however many candidates."""
    candidates = list(candidates)
    calendar = calendar or periods.work_calendar()
    today = today or periods.today()
    limits = limits_of(list({c.cell_id: c.cell for c in candidates}.values()))
    found = []
    for candidate in candidates:
        due = rules.next_due(done_of(candidate), calendar, limits[candidate.cell_id])
        found.append(Row(candidate, due, bool(due and due.overdue(today))))
    return found


# ------------------------------------------------------------------------------- the pool of a year


def _step_on(step: str) -> Subquery:
    return Subquery(StepRecord.objects.filter(candidate=OuterRef("pk"), step=step).values("date")[:1])


def pool(candidates: QuerySet[Candidate], year: int, last_day: date) -> QuerySet[Candidate]:
    """rules.in_pool in the database, of `candidates`, seen on `last_day`: a certificate issued from
    1 January five years before the year (valid through 1 January of the year at least) up to
    `last_day`, no decision before the year, no removal before it. Annotated `decided_on`, for the
    admitted of the pool. The one reading of development.pool, for the figure and the page."""
    start = date(year, 1, 1)
    first_valid_issue = date(year - rules.CERTIFICATE_MONTHS // 12, 1, 1)
    return (
        candidates.annotate(
            certified_on=_step_on(Step.CLASS),
            decided_on=_step_on(Step.DECISION),
            removed_on=_step_on(Step.REMOVED),
        )
        .filter(certified_on__gte=first_valid_issue, certified_on__lte=last_day)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=start))
    )


def pool_figures(candidates: QuerySet[Candidate], year: int, last_day: date) -> tuple[int, int]:
    """How many are in the pool, and how many of them were admitted (decision dated) by `last_day`:
    one query."""
    figures = pool(candidates, year, last_day).aggregate(
        pool=Count("pk"), admitted=Count("pk", filter=Q(decided_on__lte=last_day))
    )
    return figures["pool"], figures["admitted"]


def probation_end_of(candidate: Candidate) -> date | None:
    """When a probationary candidate's 12 months end (read with_steps; no query), or None."""
    if candidate.step not in {Step.CEREMONY, Step.NEW_MEMBER_CLASS}:
        return None
    ceremony = next((s.date for s in candidate.steps.all() if s.step == Step.CEREMONY), None)
    return rules.probation_end(ceremony) if ceremony else None


# ------------------------------------------------------------------------------------------ votes


def voting_body(cell: Organization, step: str, on: date) -> tuple[Organization | None, int]:
    """Who votes on a step and how many they are on `on`, as the records know them (0 when they do
    not): for the cell's resolutions its official members; for the committee's, the members of the
    grassroots committee above the cell (its committee seats). The two thirds of §3.4 are of all of
    them. Two queries at most."""
    if step in CELL_VOTES:
        members = MembershipPeriod.objects.filter(
            covering(on), cell=cell, recognised_on__lte=on, member__deleted_at__isnull=True
        )
        return cell, members.values("member").distinct().count()
    if step not in VOTES:
        return None, 0
    committee = (
        Organization.objects.filter(path__in=ancestor_paths(cell.path), kind=OrgKind.GRASSROOTS_COMMITTEE)
        .order_by("-path")
        .first()
    )
    if committee is None:
        return None, 0
    seats = CommitteeSeat.objects.filter(
        current_seat_q(on), organization=committee, role__in=COMMITTEE_ROLES, person__deleted_at__isnull=True
    )
    return committee, seats.values("person").distinct().count()
