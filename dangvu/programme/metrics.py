"""This app's keys of the metric contract (shared/spec/metrics.md: `inspection.*` and
`regulations.cells_reviewed_pct`), with the settled readings "Time", "Members", "Inspection" and
"Regulations":

- planned: the items, not cancelled, of the year's programmes (Programme.year) of the organisation
  and of every organisation under it; completed: of those, concluded on or before the as-of date;
- cells inspected: the cells of the subtree that were, or whose member was, the subject of an item
  concluded in the year (by the as-of date), from any programme; a member counts at one cell
  (members.metrics: their official cell on the as-of date, or the cell they left from); a subject
  that is neither a cell nor a member (a committee) counts no cell;
- regulations: the cells active in the year with a review of their working regulations dated in the
  year by the as-of date; the coordination rules alone do not count.

Each key costs at most two queries, whatever the size of the subtree; each has a detail (issue 11:
the items or cells behind the figure), built from the same querysets in a bounded number of queries.
"""

from collections import defaultdict
from datetime import date

from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.members.metrics import attributed_cell_path
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.metrics import cell_entry, cells_active_in_year
from dangvu.organization.models import Organization

from . import rules
from .choices import ItemState, ReviewKind
from .models import Item, RegulationReview


def _items_of_year(ctx: MetricContext):
    """The items, not cancelled, of the year's programmes of the subtree (rules.counts_as_planned)."""
    return Item.objects.filter(
        programme__year=ctx.year.number,
        programme__deleted_at__isnull=True,
        programme__organization__path__startswith=ctx.root_path,
    ).exclude(state=ItemState.CANCELLED)


def _completed_q(ctx: MetricContext) -> Q:
    """rules.completed in the database: concluded on or before the as-of date."""
    return Q(state=ItemState.CONCLUDED, concluded_on__isnull=False, concluded_on__lte=ctx.as_of)


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _item_entries(ctx: MetricContext, items) -> list[tuple[bool, Entry]]:
    """(completed, entry) for each item, listed at the organisation whose programme it is (what
    decides who may see it): one query."""
    rows = (
        items.annotate(
            done=Case(
                When(_completed_q(ctx), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .values(
            "pk",
            "content",
            "state",
            "concluded_on",
            "done",
            "subject_cell__name",
            "subject_member__person__full_name",
            "programme__organization__name",
            "programme__organization__path",
        )
        .order_by("programme__organization__path", "starts_on", "pk")
    )
    return [(row["done"], _item_entry(row)) for row in rows]


def _item_entry(row: dict) -> Entry:
    subject = row["subject_cell__name"] or row["subject_member__person__full_name"]
    status = (
        gettext("concluded on %(date)s") % {"date": _day(row["concluded_on"])}
        if row["done"]
        else gettext("not concluded by the as-of date (%(state)s)") % {"state": ItemState(row["state"]).label}
    )
    note = (
        gettext("about %(subject)s; %(status)s") % {"subject": subject, "status": status}
        if subject
        else status
    )
    return Entry(
        name=row["content"][:120],
        path=row["programme__organization__path"],
        kind="other",
        cell=row["programme__organization__name"],
        note=note,
        url=reverse("programme:item", args=[row["pk"]]),
    )


@metrics.register(
    "inspection.planned", kind=metrics.COUNT, label=_("Inspection and supervision items planned")
)
def inspection_planned(ctx: MetricContext) -> dict:
    """One query."""
    return metrics.count(_items_of_year(ctx).count())


@metrics.register_detail("inspection.planned")
def inspection_planned_detail(ctx: MetricContext) -> Detail:
    """The items planned: one query."""
    return Detail(counted=[entry for _done, entry in _item_entries(ctx, _items_of_year(ctx))])


@metrics.register(
    "inspection.completed", kind=metrics.COUNT, label=_("Inspection and supervision items completed")
)
def inspection_completed(ctx: MetricContext) -> dict:
    """One query."""
    return metrics.count(_items_of_year(ctx).filter(_completed_q(ctx)).count())


@metrics.register_detail("inspection.completed")
def inspection_completed_detail(ctx: MetricContext) -> Detail:
    """The items completed: one query."""
    completed = _items_of_year(ctx).filter(_completed_q(ctx))
    return Detail(counted=[entry for _done, entry in _item_entries(ctx, completed)])


@metrics.register(
    "inspection.completed_pct",
    kind=metrics.RATIO,
    label=_("Inspection and supervision programme completed"),
)
def inspection_completed_pct(ctx: MetricContext) -> dict:
    """Completed ÷ planned: two queries."""
    items = _items_of_year(ctx)
    return metrics.ratio(items.filter(_completed_q(ctx)).count(), items.count())


@metrics.register_detail("inspection.completed_pct")
def inspection_completed_pct_detail(ctx: MetricContext) -> Detail:
    """The items planned, the completed counted: one query."""
    found = _item_entries(ctx, _items_of_year(ctx))
    return Detail(counted=[entry for done, entry in found if done], out_of=[entry for _d, entry in found])


def _member_cell_path(ctx: MetricContext):
    """The path of the cell the item's member is attributed to (members.metrics): their official
    cell on the as-of date, or the cell they left from; with no membership period, the cell that
    keeps their record, if it is a cell."""
    kept_by_cell = When(
        subject_member__person__organization__kind__in=CELL_KINDS,
        then="subject_member__person__organization__path",
    )
    return attributed_cell_path(ctx, "subject_member_id"), Case(kept_by_cell, default=None)


def _concluded_subjects(ctx: MetricContext) -> list[tuple[rules.Subject, dict]]:
    """The subjects of the items concluded in the year by the as-of date, from any programme, each
    with its item's row (content, date, the member's name). One query."""
    period_path, record_path = _member_cell_path(ctx)
    rows = (
        Item.objects.filter(
            Q(subject_cell__isnull=False)
            | Q(subject_member__deleted_at__isnull=True, subject_member__isnull=False),
            programme__deleted_at__isnull=True,
            state=ItemState.CONCLUDED,
            concluded_on__gte=ctx.year.start,
            concluded_on__lte=ctx.last_day,
        )
        .annotate(period_path=period_path, record_path=record_path)
        .values(
            "subject_cell__path",
            "period_path",
            "record_path",
            "content",
            "concluded_on",
            "subject_member__person__full_name",
        )
        .order_by("concluded_on", "pk")
    )
    return [
        (
            rules.Subject(
                cell_path=row["subject_cell__path"] or "",
                member_cell_path=row["period_path"] or row["record_path"] or "",
            ),
            row,
        )
        for row in rows
    ]


@metrics.register("inspection.cells_inspected", kind=metrics.COUNT, label=_("Cells inspected or supervised"))
def inspection_cells_inspected(ctx: MetricContext) -> dict:
    """Distinct cells of the subtree concerned, themselves or through a member, by an item
    concluded in the year by the as-of date, from any programme (rules.cells_inspected). One
    query."""
    subjects = [subject for subject, _row in _concluded_subjects(ctx)]
    return metrics.count(len(rules.cells_inspected(subjects, ctx.root_path)))


@metrics.register_detail("inspection.cells_inspected")
def inspection_cells_inspected_detail(ctx: MetricContext) -> Detail:
    """The cells inspected, each with the items concluded about it or its members: two queries."""
    found = _concluded_subjects(ctx)
    cells = rules.cells_inspected([subject for subject, _row in found], ctx.root_path)
    items: dict[str, list[str]] = defaultdict(list)
    for subject, row in found:
        if subject.cell in cells:
            items[subject.cell].append(_concluded_item_note(row))
    counted = [
        cell_entry(name, path, code, "; ".join(items[path]))
        for path, name, code in Organization.objects.filter(path__in=cells)
        .order_by("path")
        .values_list("path", "name", "code")
    ]
    return Detail(counted=counted)


def _concluded_item_note(row: dict) -> str:
    item = row["content"][:80]
    if row["subject_member__person__full_name"]:
        item = gettext("%(item)s (member %(member)s)") % {
            "item": item,
            "member": row["subject_member__person__full_name"],
        }
    return gettext("%(item)s, concluded on %(date)s") % {"item": item, "date": _day(row["concluded_on"])}


def _cells_and_reviews(ctx: MetricContext) -> tuple[dict[str, dict], list[tuple[rules.Review, str]]]:
    """The cells active in the year (path -> name, code) and the reviews of their regulations dated
    in the year by the as-of date, each with its kind (reviewed, amended, issued). Two queries."""
    cells = {row["path"]: row for row in cells_active_in_year(ctx).values("pk", "path", "name", "code")}
    reviews = [
        (rules.Review(cell_path=path, kind=kind, reviewed_on=day), review)
        for path, kind, day, review in RegulationReview.objects.filter(
            cell_id__in=[cell["pk"] for cell in cells.values()],
            reviewed_on__gte=ctx.year.start,
            reviewed_on__lte=ctx.last_day,
        )
        .order_by("reviewed_on", "pk")
        .values_list("cell__path", "regulation", "reviewed_on", "review")
    ]
    return cells, reviews


def _reviewed(ctx: MetricContext, reviews: list[tuple[rules.Review, str]]) -> set[str]:
    return rules.cells_with_regulations_reviewed(
        (review for review, _kind in reviews), ctx.year.number, ctx.as_of
    )


@metrics.register(
    "regulations.cells_reviewed_pct",
    kind=metrics.RATIO,
    label=_("Cells that reviewed their working regulations"),
)
def regulations_cells_reviewed_pct(ctx: MetricContext) -> dict:
    """Cells active in the year with a review of their working regulations dated in the year by
    the as-of date (rules.cells_with_regulations_reviewed) ÷ those cells. Two queries."""
    cells, reviews = _cells_and_reviews(ctx)
    return metrics.ratio(len(_reviewed(ctx, reviews) & set(cells)), len(cells))


@metrics.register_detail("regulations.cells_reviewed_pct")
def regulations_cells_reviewed_pct_detail(ctx: MetricContext) -> Detail:
    """The cells, those that reviewed their working regulations counted, with the reviews that
    count: two queries."""
    cells, reviews = _cells_and_reviews(ctx)
    notes: dict[str, list[str]] = defaultdict(list)
    for review, kind in reviews:
        if _reviewed(ctx, [(review, kind)]):  # this review counts on its own (rules)
            notes[review.cell_path].append(
                gettext("working regulations: %(review)s on %(date)s")
                % {"review": ReviewKind(kind).label, "date": _day(review.reviewed_on)}
            )
    out_of = [
        cell_entry(
            cell["name"],
            path,
            cell["code"],
            "; ".join(notes.get(path, []))
            or gettext("no review of the working regulations recorded in the year"),
        )
        for path, cell in sorted(cells.items())
    ]
    return Detail(counted=[entry for entry in out_of if entry.path in notes], out_of=out_of)
