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

Each key costs at most two queries, whatever the size of the subtree (three for the study); each
has a detail (issue 11: the members, cells or cell-months behind the figure), built from the same
querysets in a bounded number of queries.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.members.metrics import attributed_cell_path, member_url
from dangvu.members.models import Member
from dangvu.members.selectors import exempt_on
from dangvu.organization.choices import SeatRole
from dangvu.organization.metrics import cells_active_in_year, committee_seats_in_year
from dangvu.organization.models import Organization

from . import rules
from .choices import Attendance, SessionKind, SessionState
from .models import Invitation, Session, StudyDocument
from .selectors import MemberStudy, study_of_members


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _names_of_cells(paths: Iterable[str]) -> dict[str, str]:
    """The names of the organisations at `paths`: one query."""
    return dict(Organization.objects.filter(path__in=set(paths)).values_list("path", "name"))


def _person_cell_annotations(ctx: MetricContext) -> dict:
    """Where the outer query's `person` is listed: the cell their member record is attributed to
    (metrics.md "Members"), else the organisation keeping their record (_person_entry)."""
    return {"attributed_path": attributed_cell_path(ctx, "person__member")}


def _person_entry(row: dict, names: dict[str, str], prefix: str, note: str) -> Entry:
    """A member entry for a person row annotated by _person_cell_annotations."""
    path = row["attributed_path"] or row[f"{prefix}organization__path"]
    cell = names.get(path) or row[f"{prefix}organization__name"]
    url = member_url(row["person__member"]) if row["person__member"] else ""
    return Entry(name=row[f"{prefix}full_name"], path=path, cell=cell, note=note, url=url)


# ---------------------------------------------------------------------------------- documents


def _documents_of_year(ctx: MetricContext):
    """Documents whose study deadline falls in the year, set on or before the as-of date."""
    return StudyDocument.objects.filter(
        study_by__gte=ctx.year.start, study_by__lte=ctx.year.end, set_on__lte=ctx.as_of
    )


def _documents_in_scope(ctx: MetricContext):
    """The documents of the year whose scope includes at least one cell of the subtree (set above
    it, at its root or under it)."""
    cell_in_scope = cells_active_in_year(ctx).filter(path__startswith=OuterRef("organization__path"))
    return _documents_of_year(ctx).filter(Exists(cell_in_scope))


@metrics.register("study.documents", kind=metrics.COUNT, label=_("Documents set for study"))
def study_documents(ctx: MetricContext) -> dict:
    """One query."""
    return metrics.count(_documents_in_scope(ctx).count())


@metrics.register_detail("study.documents")
def study_documents_detail(ctx: MetricContext) -> Detail:
    """The documents, each listed at the organisation that set it, or at the subtree's root when a
    committee above it set it (whoever sees the subtree sees what it studies): one query."""
    rows = _documents_in_scope(ctx).values(
        "pk", "title", "study_by", "organization__name", "organization__path"
    )
    counted = [
        Entry(
            name=row["title"],
            path=row["organization__path"]
            if row["organization__path"].startswith(ctx.root_path)
            else ctx.root_path,
            kind="other",
            cell=row["organization__name"],
            note=gettext("to be studied by %(date)s") % {"date": _day(row["study_by"])},
            url=reverse("meetings:document", args=[row["pk"]]),
        )
        for row in rows.order_by("study_by", "pk")
    ]
    return Detail(counted=counted)


# ---------------------------------------------------------------------------------- studied


def _study(ctx: MetricContext) -> dict[int, MemberStudy]:
    """Each member who owes a document of the year, where they count (selectors.study_of_members,
    which the cells' pages add up from). Three queries."""
    return study_of_members(ctx.root_path, ctx.year.number, ctx.as_of)


@metrics.register(
    "study.members_studied_pct", kind=metrics.RATIO, label=_("Members who studied every document")
)
def study_members_studied_pct(ctx: MetricContext) -> dict:
    """Members attributed to the subtree who owe a document of the year; of them, those who
    studied every one."""
    found = _study(ctx).values()
    return metrics.ratio(sum(1 for study in found if study.studied_all), len(found))


@metrics.register_detail("study.members_studied_pct")
def study_members_studied_pct_detail(ctx: MetricContext) -> Detail:
    """The members who owe a document (those who studied them all counted), at their cell: five
    queries (the figure's three, the members' names, the cells' names)."""
    found = _study(ctx)
    if not found:
        return Detail(counted=[], out_of=[])
    # Everyone found was at a cell of the subtree: read the names without a long IN list.
    names = dict(
        Member.objects.filter(periods__cell__path__startswith=ctx.root_path)
        .values_list("pk", "person__full_name")
        .distinct()
    )
    cells = _names_of_cells(study.cell_path for study in found.values())
    entries = [
        (study.studied_all, _study_entry(member_id, study, names, cells))
        for member_id, study in found.items()
    ]
    entries.sort(key=lambda pair: (pair[1].cell, pair[1].name))
    return Detail(counted=[e for studied, e in entries if studied], out_of=[e for _s, e in entries])


def _study_entry(member_id: int, study: MemberStudy, names: dict[int, str], cells: dict[str, str]) -> Entry:
    note = (
        gettext("studied every document set for them")
        if study.studied_all
        else gettext("documents not studied yet: %(pending)s of %(owed)s")
        % {"pending": len(study.pending), "owed": len(study.owed)}
    )
    return Entry(
        name=names[member_id],
        path=study.cell_path,
        cell=cells.get(study.cell_path, ""),
        note=note,
        url=member_url(member_id),
    )


# ---------------------------------------------------------------------------------- training


def _training_presences(ctx: MetricContext):
    """Presences at a held training course of the year, by the as-of date, whoever organised it."""
    return Invitation.objects.filter(
        attendance=Attendance.PRESENT,
        session__kind=SessionKind.TRAINING,
        session__state=SessionState.HELD,
        session__deleted_at__isnull=True,
        session__held_on__gte=ctx.year.start,
        session__held_on__lte=ctx.last_day,
    )


@metrics.register(
    "training.committee_members_trained_pct",
    kind=metrics.RATIO,
    label=_("Committee members trained in Party work"),
)
def training_committee_members_trained_pct(ctx: MetricContext) -> dict:
    """Committee members (a seat on a committee of the subtree on some day of the year, inspection
    seats excluded, each person once) marked present at a held training course of the year,
    whoever organised it. One query."""
    trained = _training_presences(ctx).values("person_id")
    totals = committee_seats_in_year(ctx).aggregate(
        people=Count("person", distinct=True),
        trained=Count("person", distinct=True, filter=Q(person_id__in=trained)),
    )
    return metrics.ratio(totals["trained"], totals["people"])


def _committee_rows(ctx: MetricContext) -> list[dict]:
    """The committee seats of the year, each with the day of its holder's first training course of
    the year (None: not trained) and where the holder is listed. One query."""
    first_course = (
        _training_presences(ctx).filter(person_id=OuterRef("person_id")).order_by("session__held_on")
    )
    return list(
        committee_seats_in_year(ctx)
        .annotate(
            trained_on=Subquery(first_course.values("session__held_on")[:1]),
            **_person_cell_annotations(ctx),
        )
        .values(
            "person_id",
            "role",
            "organization__name",
            "trained_on",
            "attributed_path",
            "person__member",
            "person__full_name",
            "person__organization__path",
            "person__organization__name",
        )
        .order_by("person__sort_key", "person_id", "organization__path")
    )


@metrics.register_detail("training.committee_members_trained_pct")
def training_committee_members_trained_pct_detail(ctx: MetricContext) -> Detail:
    """The committee members, each once with their seats, the trained counted: two queries (the
    seats with the first course attended, the cells' names)."""
    rows = _committee_rows(ctx)
    names = _names_of_cells(row["attributed_path"] for row in rows if row["attributed_path"])
    seats: dict[int, list[str]] = defaultdict(list)
    first: dict[int, dict] = {}
    for row in rows:
        seats[row["person_id"]].append(f"{SeatRole(row['role']).label}, {row['organization__name']}")
        first.setdefault(row["person_id"], row)
    out_of, counted = [], []
    for person_id, row in first.items():
        trained = row["trained_on"]
        status = (
            gettext("present at a training course on %(date)s") % {"date": _day(trained)}
            if trained
            else gettext("no training course attended in the year")
        )
        entry = _person_entry(row, names, "person__", f"{'; '.join(seats[person_id])}. {status}")
        out_of.append(entry)
        if trained:
            counted.append(entry)
    return Detail(counted=counted, out_of=out_of)


# ---------------------------------------------------------------------------------- cell meetings


def _cell_months(ctx: MetricContext) -> tuple[dict[int, dict], dict[tuple, tuple[int, date]], list[tuple]]:
    """The cells (pk -> name, path, code), the first regular meeting held in each (cell, month), and
    the cell-months due (rules.cell_months). Two queries."""
    cells = {
        row["pk"]: row
        for row in cells_active_in_year(ctx).values("pk", "name", "path", "code", "active_from", "active_to")
    }
    held: dict[tuple, tuple[int, date]] = {}
    for pk, org_id, day in (
        Session.objects.filter(
            organization_id__in=list(cells),
            kind=SessionKind.REGULAR,
            state=SessionState.HELD,
            held_on__gte=ctx.year.start,
            held_on__lte=ctx.last_day,
        )
        .order_by("held_on", "pk")
        .values_list("pk", "organization_id", "held_on")
    ):
        held.setdefault((org_id, (day.year, day.month)), (pk, day))
    due = [
        (pk, month)
        for pk, cell in cells.items()
        for month in rules.cell_months(ctx.year.number, ctx.as_of, cell["active_from"], cell["active_to"])
    ]
    return cells, held, due


@metrics.register(
    "meetings.cell_meetings_held_pct", kind=metrics.RATIO, label=_("Monthly cell meetings held")
)
def meetings_cell_meetings_held_pct(ctx: MetricContext) -> dict:
    """Cell-months (the months of the year a cell was active and that ended by the as-of date)
    with a regular meeting of the cell marked held ÷ cell-months. Two queries."""
    _cells, held, due = _cell_months(ctx)
    return metrics.ratio(sum(1 for cell_month in due if cell_month in held), len(due))


@metrics.register_detail("meetings.cell_meetings_held_pct")
def meetings_cell_meetings_held_pct_detail(ctx: MetricContext) -> Detail:
    """The cell-months due, those with a regular meeting held counted (with the meeting's page).
    Two queries."""
    cells, held, due = _cell_months(ctx)
    out_of, counted = [], []
    for pk, (year, month) in sorted(due, key=lambda d: (cells[d[0]]["path"], d[1])):
        meeting = held.get((pk, (year, month)))
        entry = Entry(
            name=gettext("Meeting month %(month)s") % {"month": f"{month:02d}/{year}"},
            path=cells[pk]["path"],
            kind="other",
            cell=cells[pk]["name"],
            note=(
                gettext("regular meeting held on %(date)s") % {"date": _day(meeting[1])}
                if meeting
                else gettext("no regular meeting marked held in the month")
            ),
            url=reverse("meetings:session", args=[meeting[0]]) if meeting else "",
        )
        out_of.append(entry)
        if meeting:
            counted.append(entry)
    return Detail(counted=counted, out_of=out_of)


# ---------------------------------------------------------------------------------- conferences


def _conference_invitations(ctx: MetricContext):
    """The invitations to the held conferences convened by a committee of the subtree in the year,
    each with whether the invitee (their member record) was exempt on the conference's day."""
    day = OuterRef("session__held_on")  # the exemption is judged on the conference's day
    return Invitation.objects.filter(
        session__kind=SessionKind.CONFERENCE,
        session__state=SessionState.HELD,
        session__deleted_at__isnull=True,
        session__organization__path__startswith=ctx.root_path,
        session__held_on__gte=ctx.year.start,
        session__held_on__lte=ctx.last_day,
    ).annotate(exempt=exempt_on(day, member_ref="person__member"))


@metrics.register(
    "meetings.conference_attendance_pct",
    kind=metrics.RATIO,
    label=_("Attendance at the committee's conferences"),
)
def meetings_conference_attendance_pct(ctx: MetricContext) -> dict:
    """Invitees present at the held conferences convened by a committee of the subtree in the year
    ÷ invitees; an invitee exempt on the day (their member record) counts only if present. One
    query."""
    rows = _conference_invitations(ctx).values_list("attendance", "exempt")
    return metrics.ratio(*rules.attendance_rate(rows))


@metrics.register_detail("meetings.conference_attendance_pct")
def meetings_conference_attendance_pct_detail(ctx: MetricContext) -> Detail:
    """One entry per invitation that counts (rules.conference_counts), the present counted; an
    exempt invitee absent is left out, as the figure leaves them out. Two queries."""
    rows = list(
        _conference_invitations(ctx)
        .annotate(**_person_cell_annotations(ctx))
        .values(
            "attendance",
            "exempt",
            "session__title",
            "session__held_on",
            "attributed_path",
            "person__member",
            "person__full_name",
            "person__organization__path",
            "person__organization__name",
        )
        .order_by("session__held_on", "session_id", "person__sort_key", "pk")
    )
    names = _names_of_cells(row["attributed_path"] for row in rows if row["attributed_path"])
    out_of, counted = [], []
    for row in rows:
        present, invited = rules.conference_counts(row["attendance"], exempt=row["exempt"])
        if not invited:
            continue
        entry = _person_entry(row, names, "person__", _conference_note(row))
        out_of.append(entry)
        if present:
            counted.append(entry)
    return Detail(counted=counted, out_of=out_of)


def _conference_note(row: dict) -> str:
    attendance = (
        Attendance(row["attendance"]).label if row["attendance"] else gettext("attendance not marked")
    )
    note = gettext("conference on %(date)s: %(attendance)s") % {
        "date": _day(row["session__held_on"]),
        "attendance": attendance,
    }
    if row["session__title"]:
        note = f"{row['session__title']}, {note}"
    if row["exempt"]:
        note += " " + gettext("(exempt from activities on the day: counted because present)")
    return note
