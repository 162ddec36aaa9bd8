"""This app's keys of the metric contract (shared/spec/metrics.md: `study.*`, `training.*`,
`meetings.*`), with the settled readings "Time", "Members", "Study", "Committees" and "Meetings":

- the documents of the year: study deadline in the year, set on or before the as-of date, whose
  scope (the organisation that set it and everything under it) includes a cell of the subtree;
- a member counts at one cell (members.metrics: their official cell on the as-of date, or the cell
  they left from) and owes every document set for them in the year, wherever they were (the
  derived StudyObligation rows: active, not exempt and in scope on the day it was set);
- studied: marked present at a held study or catch-up session for the document, held on or before
  the as-of date, organised anywhere (selectors.studied_pairs); an excused absence is not;
- a committee member (inspection seats excluded, counted once) is trained when marked present at a
  held training course of the year, whoever organised it;
- a cell-month is held when a regular meeting of the cell, marked held, falls in it;
- conferences are those convened by a committee of the subtree; an invitee exempt on the day counts
  only if present.

Each key costs at most two queries, whatever the size of the subtree.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.members.selectors import exempt_on
from dangvu.organization.metrics import cells_active_in_year, committee_seats_in_year

from . import rules
from .choices import Attendance, SessionKind, SessionState
from .models import Invitation, Session, StudyDocument
from .selectors import study_of_members


def _documents_of_year(ctx: MetricContext):
    """Documents whose study deadline falls in the year, set on or before the as-of date."""
    return StudyDocument.objects.filter(
        study_by__gte=ctx.year.start, study_by__lte=ctx.year.end, set_on__lte=ctx.as_of
    )


@metrics.register("study.documents", kind=metrics.COUNT, label=_("Documents set for study"))
def study_documents(ctx: MetricContext) -> dict:
    """Documents of the year whose scope includes at least one cell of the subtree (set above it,
    at its root or under it): one query."""
    cell_in_scope = cells_active_in_year(ctx).filter(path__startswith=OuterRef("organization__path"))
    return metrics.count(_documents_of_year(ctx).filter(Exists(cell_in_scope)).count())


@metrics.register(
    "study.members_studied_pct", kind=metrics.RATIO, label=_("Members who studied every document")
)
def study_members_studied_pct(ctx: MetricContext) -> dict:
    """Members attributed to the subtree who owe a document of the year; of them, those who
    studied every one (selectors.study_of_members, which the cells' pages add up from). Three
    queries."""
    found = study_of_members(ctx.root_path, ctx.year.number, ctx.as_of).values()
    return metrics.ratio(sum(1 for study in found if study.studied_all), len(found))


@metrics.register(
    "training.committee_members_trained_pct",
    kind=metrics.RATIO,
    label=_("Committee members trained in Party work"),
)
def training_committee_members_trained_pct(ctx: MetricContext) -> dict:
    """Committee members (a seat on a committee of the subtree on some day of the year, inspection
    seats excluded, each person once) marked present at a held training course of the year,
    whoever organised it. One query."""
    trained = Invitation.objects.filter(
        attendance=Attendance.PRESENT,
        session__kind=SessionKind.TRAINING,
        session__state=SessionState.HELD,
        session__deleted_at__isnull=True,
        session__held_on__gte=ctx.year.start,
        session__held_on__lte=ctx.last_day,
    ).values("person_id")
    totals = committee_seats_in_year(ctx).aggregate(
        people=Count("person", distinct=True),
        trained=Count("person", distinct=True, filter=Q(person_id__in=trained)),
    )
    return metrics.ratio(totals["trained"], totals["people"])


@metrics.register(
    "meetings.cell_meetings_held_pct", kind=metrics.RATIO, label=_("Monthly cell meetings held")
)
def meetings_cell_meetings_held_pct(ctx: MetricContext) -> dict:
    """Cell-months (the months of the year a cell was active and that ended by the as-of date)
    with a regular meeting of the cell marked held ÷ cell-months. Two queries."""
    cells = list(cells_active_in_year(ctx).values_list("pk", "active_from", "active_to"))
    held = {
        (org_id, (day.year, day.month))
        for org_id, day in Session.objects.filter(
            organization_id__in=[pk for pk, _f, _t in cells],
            kind=SessionKind.REGULAR,
            state=SessionState.HELD,
            held_on__gte=ctx.year.start,
            held_on__lte=ctx.last_day,
        ).values_list("organization_id", "held_on")
    }
    due = [
        (pk, month)
        for pk, active_from, active_to in cells
        for month in rules.cell_months(ctx.year.number, ctx.as_of, active_from, active_to)
    ]
    return metrics.ratio(sum(1 for cell_month in due if cell_month in held), len(due))


@metrics.register(
    "meetings.conference_attendance_pct",
    kind=metrics.RATIO,
    label=_("Attendance at the committee's conferences"),
)
def meetings_conference_attendance_pct(ctx: MetricContext) -> dict:
    """Invitees present at the held conferences convened by a committee of the subtree in the year
    ÷ invitees; an invitee exempt on the day (their member record) counts only if present. One
    query."""
    day = OuterRef("session__held_on")  # the exemption is judged on the conference's day
    rows = (
        Invitation.objects.filter(
            session__kind=SessionKind.CONFERENCE,
            session__state=SessionState.HELD,
            session__deleted_at__isnull=True,
            session__organization__path__startswith=ctx.root_path,
            session__held_on__gte=ctx.year.start,
            session__held_on__lte=ctx.last_day,
        )
        .annotate(exempt=exempt_on(day, member_ref="person__member"))
        .values_list("attendance", "exempt")
    )
    return metrics.ratio(*rules.attendance_rate(rows))
