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

Each key costs at most two queries, whatever the size of the subtree.
"""

from django.db.models import Case, Q, When
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.members.metrics import attributed_cell_path
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.metrics import cells_active_in_year

from . import rules
from .choices import ItemState
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


@metrics.register(
    "inspection.planned", kind=metrics.COUNT, label=_("Inspection and supervision items planned")
)
def inspection_planned(ctx: MetricContext) -> dict:
    """One query."""
    return metrics.count(_items_of_year(ctx).count())


@metrics.register(
    "inspection.completed", kind=metrics.COUNT, label=_("Inspection and supervision items completed")
)
def inspection_completed(ctx: MetricContext) -> dict:
    """One query."""
    return metrics.count(_items_of_year(ctx).filter(_completed_q(ctx)).count())


@metrics.register(
    "inspection.completed_pct",
    kind=metrics.RATIO,
    label=_("Inspection and supervision programme completed"),
)
def inspection_completed_pct(ctx: MetricContext) -> dict:
    """Completed ÷ planned: two queries."""
    items = _items_of_year(ctx)
    return metrics.ratio(items.filter(_completed_q(ctx)).count(), items.count())


def _member_cell_path(ctx: MetricContext):
    """The path of the cell the item's member is attributed to (members.metrics): their official
    cell on the as-of date, or the cell they left from; with no membership period, the cell that
    keeps their record, if it is a cell."""
    kept_by_cell = When(
        subject_member__person__organization__kind__in=CELL_KINDS,
        then="subject_member__person__organization__path",
    )
    return attributed_cell_path(ctx, "subject_member_id"), Case(kept_by_cell, default=None)


@metrics.register("inspection.cells_inspected", kind=metrics.COUNT, label=_("Cells inspected or supervised"))
def inspection_cells_inspected(ctx: MetricContext) -> dict:
    """Distinct cells of the subtree concerned, themselves or through a member, by an item
    concluded in the year by the as-of date, from any programme (rules.cells_inspected). One
    query."""
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
        .values_list("subject_cell__path", "period_path", "record_path")
    )
    subjects = [
        rules.Subject(cell_path=cell or "", member_cell_path=period or record or "")
        for cell, period, record in rows
    ]
    return metrics.count(len(rules.cells_inspected(subjects, ctx.root_path)))


@metrics.register(
    "regulations.cells_reviewed_pct",
    kind=metrics.RATIO,
    label=_("Cells that reviewed their working regulations"),
)
def regulations_cells_reviewed_pct(ctx: MetricContext) -> dict:
    """Cells active in the year with a review of their working regulations dated in the year by
    the as-of date (rules.cells_with_regulations_reviewed) ÷ those cells. Two queries."""
    cells = dict(cells_active_in_year(ctx).values_list("pk", "path"))
    reviews = (
        rules.Review(cell_path=path, kind=kind, reviewed_on=day)
        for path, kind, day in RegulationReview.objects.filter(
            cell_id__in=list(cells), reviewed_on__gte=ctx.year.start, reviewed_on__lte=ctx.last_day
        ).values_list("cell__path", "regulation", "reviewed_on")
    )
    reviewed = rules.cells_with_regulations_reviewed(reviews, ctx.year.number, ctx.as_of)
    return metrics.ratio(len(reviewed & set(cells.values())), len(cells))
