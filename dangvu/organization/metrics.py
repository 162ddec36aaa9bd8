"""This app's keys of the metric contract (shared/spec/metrics.md): cells and committees."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext

from .choices import COMMITTEE_ROLES
from .models import CommitteeSeat
from .selectors import cells_active


def cells_active_in_year(ctx: MetricContext):
    """Cells (chi bộ) of the subtree active on at least one day of the year, as seen on the as-of
    date: a cell founded after it is not seen yet."""
    return cells_active(ctx.root_path, ctx.year.start, ctx.last_day)


@metrics.register("cells.total", kind=metrics.COUNT, label=_("Cells"))
def cells_total(ctx: MetricContext) -> dict:
    return metrics.count(cells_active_in_year(ctx).count())


def committee_seats_in_year(ctx: MetricContext):
    """Seats on Party committees of the subtree held on some day of the year up to the as-of date.
    Inspection-commission seats are not committee seats (metrics.md, "Committees")."""
    return CommitteeSeat.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=ctx.year.start),
        term_start__lte=ctx.last_day,
        organization__path__startswith=ctx.root_path,
        role__in=COMMITTEE_ROLES,
        person__deleted_at__isnull=True,
    )


@metrics.register("committee.part_time_pct", kind=metrics.RATIO, label=_("Part-time committee members"))
def committee_part_time_pct(ctx: MetricContext) -> dict:
    """Committee members part-time in every seat they held in the subtree during the year ÷
    committee members; a person with several seats counts once (one aggregate query)."""
    totals = committee_seats_in_year(ctx).aggregate(
        people=Count("person", distinct=True),
        with_full_time=Count("person", distinct=True, filter=Q(part_time=False)),
    )
    return metrics.ratio(totals["people"] - totals["with_full_time"], totals["people"])
