"""Reads of report requests and submissions. Every read starts from the user's scope (core.access):
the office sees its requests through the requesting organisation, a cell through its own cell."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, VIEW, Scope
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from . import rules
from .choices import State, Status
from .models import ReportRequest, ReportRound, Submission, SubmissionVersion


def live_submissions() -> QuerySet[Submission]:
    """Submissions of rounds and requests not cancelled."""
    return Submission.objects.filter(round__deleted_at__isnull=True, round__request__deleted_at__isnull=True)


def status_of(submission: Submission, now: datetime) -> Status:
    accepted = submission.accepted_version
    return rules.status(
        state=submission.state,
        closes=submission.round.closes_at,
        now=now,
        last_submitted_at=submission.last_submitted_at,
        accepted_submitted_at=accepted.submitted_at if accepted else None,
    )


def request_get(scope: Scope, pk: int, action: str = VIEW) -> ReportRequest:
    return access.get_for_user_or_404(
        ReportRequest.objects.select_related("organization"), scope, action, pk=pk
    )


def round_get(scope: Scope, pk: int, action: str = VIEW) -> ReportRound:
    return access.get_for_user_or_404(
        ReportRound.objects.filter(request__deleted_at__isnull=True).select_related("request__organization"),
        scope,
        action,
        pk=pk,
    )


def recipient_cells(organization: Organization, on: date) -> list[Organization]:
    """The cells under the organisation active on `on`: who a request from it may go to."""
    return [
        n.organization
        for n in org_selectors.subtree(organization)
        if n.depth and n.organization.kind in CELL_KINDS and n.organization.is_active_on(on)
    ]


def status_q(status: Status, now: datetime) -> Q:
    """The states (and, for a report not sent, the side of the deadline) that can give `status`."""
    states = {
        Status.DUE: Q(state=State.OPEN, round__closes_at__gte=now),
        Status.MISSING: Q(state=State.OPEN, round__closes_at__lt=now),
        Status.INCOMPLETE: Q(state=State.RETURNED),
        Status.SUBMITTED: Q(state=State.SUBMITTED),
        Status.SUBMITTED_LATE: Q(state=State.SUBMITTED),
        Status.ON_TIME: Q(state=State.ACCEPTED),
        Status.LATE: Q(state=State.ACCEPTED),
    }
    return states[status]


def submission_get(scope: Scope, pk: int, action: str = VIEW) -> Submission:
    """A cell's submission: seen by whoever sees the cell (the requesting office sees every cell
    under it, a secretary only their own)."""
    return access.get_for_user_or_404(
        live_submissions().select_related("round__request__organization", "cell", "accepted_version"),
        scope,
        action,
        pk=pk,
    )


def submission_to_review(scope: Scope, pk: int) -> Submission:
    """A submission the user may accept or return: they see its cell and manage the requesting
    organisation; anyone else gets 404."""
    submission = submission_get(scope, pk)
    access.require(scope, submission.round.request.organization.path, MANAGE)
    return submission


def version_get(scope: Scope, pk: int) -> SubmissionVersion:
    return access.get_for_user_or_404(
        SubmissionVersion.objects.filter(
            submission__deleted_at__isnull=True,
            submission__round__deleted_at__isnull=True,
            submission__round__request__deleted_at__isnull=True,
        ).select_related("submission"),
        scope,
        VIEW,
        pk=pk,
    )


def versions_of(submission: Submission) -> list[SubmissionVersion]:
    return list(submission.versions.select_related("submitted_by").order_by("-number"))


def requests_in(scope: Scope, organization: Organization) -> QuerySet[ReportRequest]:
    """Requests made by the organisation or by one under it, newest first, with their round count,
    the next open due date and how many rounds are already closed."""
    today = periods.today()
    return (
        access.restrict(ReportRequest.objects.all(), scope, VIEW)
        .filter(organization__path__startswith=organization.path)
        .annotate(
            round_count=Count("rounds", filter=Q(rounds__deleted_at__isnull=True), distinct=True),
            next_due=Min(
                "rounds__due_date", filter=Q(rounds__due_date__gte=today, rounds__deleted_at__isnull=True)
            ),
        )
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )


def rounds_of(request: ReportRequest) -> list[ReportRound]:
    """The request's rounds with their counts by state (one query)."""
    return list(
        request.rounds.annotate(
            required=Count("submissions", filter=Q(submissions__deleted_at__isnull=True)),
            received=Count(
                "submissions",
                filter=Q(submissions__deleted_at__isnull=True, submissions__first_submitted_at__isnull=False),
            ),
            accepted=Count(
                "submissions",
                filter=Q(submissions__deleted_at__isnull=True, submissions__state=State.ACCEPTED),
            ),
        ).order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class Row:
    submission: Submission
    status: Status


def round_rows(scope: Scope, round_: ReportRound, now: datetime) -> list[Row]:
    """Each recipient cell the user sees, with the status of its submission, by cell code."""
    submissions = (
        access.restrict(live_submissions(), scope, VIEW)
        .filter(round=round_)
        .select_related("cell", "accepted_version", "round")
        .order_by("cell__code")
    )
    return [Row(s, status_of(s, now)) for s in submissions]


def owed_in(scope: Scope, organization: Organization, now: datetime, *, ahead_days: int = 45) -> list[Row]:
    """What the cells of the subtree owe: not submitted or returned, overdue this year or due in the
    next `ahead_days` days; soonest first. For a cell secretary: what they owe and by when."""
    horizon = now + timedelta(days=ahead_days)
    year_start = datetime.combine(date(now.year, 1, 1), time.min, tzinfo=now.tzinfo)
    submissions = (
        access.restrict(live_submissions(), scope, VIEW)
        .filter(
            cell__path__startswith=organization.path,
            state__in=[State.OPEN, State.RETURNED],
            round__closes_at__lte=horizon,
            round__closes_at__gte=year_start,
        )
        .select_related("cell", "round__request__organization", "accepted_version")
        .order_by("round__closes_at", "cell__code")
    )
    return [Row(s, status_of(s, now)) for s in submissions]


@dataclass(frozen=True)
class RoundOwed:
    round: ReportRound
    cells: int  # cells that still owe it
    missing: int  # of them, past the deadline with nothing sent or returned
    linkable: bool  # the user sees the round's page


def by_round(scope: Scope, rows: list[Row]) -> list[RoundOwed]:
    """What the cells owe, one line per round (soonest first): for a committee's many cells. A round
    links to its page only for those who see the requesting organisation."""
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.submission.round_id, []).append(row)
    return [
        RoundOwed(
            group[0].submission.round,
            len(group),
            sum(r.status in {Status.MISSING, Status.INCOMPLETE} for r in group),
            scope.covers(group[0].submission.round.request.organization.path),
        )
        for group in grouped.values()
    ]


@dataclass(frozen=True)
class CellRecord:
    cell: Organization
    due: int  # rounds closed so far this year
    on_time: int
    late_or_missing: int  # closed without an on-time accepted report (missing, late, returned, pending)

    @property
    def rate(self) -> float:
        return round(100 * self.on_time / self.due, 1)  # a cell is listed once something fell due


def cell_records(organization: Organization, now: datetime) -> list[CellRecord]:
    """Cells of the subtree ranked by their on-time rate over the year so far (rounds closed by
    now), best first; a cell with nothing due yet is not listed. Two queries."""
    year_start = datetime.combine(date(now.year, 1, 1), time.min, tzinfo=now.tzinfo)
    rows = (
        live_submissions()
        .filter(
            cell__path__startswith=organization.path,
            cell__kind__in=CELL_KINDS,
            round__closes_at__gte=year_start,
            round__closes_at__lt=now,
        )
        .values("cell")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(state=State.ACCEPTED, on_time=True)))
    )
    counts = {r["cell"]: r for r in rows}
    cells = Organization.objects.filter(pk__in=counts).order_by("code")
    records = [
        CellRecord(
            c, counts[c.pk]["due"], counts[c.pk]["on_time"], counts[c.pk]["due"] - counts[c.pk]["on_time"]
        )
        for c in cells
    ]
    return sorted(records, key=lambda r: (-r.rate, r.late_or_missing, r.cell.code))


def due_today(organization: Organization, today: date) -> list[ReportRound]:
    """Rounds that close today and ask something of a cell of the subtree, with how many of its
    cells have not sent anything yet."""
    return list(
        ReportRound.objects.filter(due_date=today, request__deleted_at__isnull=True)
        .filter(submissions__cell__path__startswith=organization.path, submissions__deleted_at__isnull=True)
        .annotate(
            required=Count("submissions"),
            waiting=Count("submissions", filter=Q(submissions__state__in=[State.OPEN, State.RETURNED])),
        )
        .select_related("request")
        .order_by("closes_at", "pk")
    )
