"""The commendations' keys of the metric contract (shared/spec/metrics.md: `commendations.*`), with
the settled reading "Commendations": decisions dated in the year (up to the as-of date), to an
organisation of the subtree (itself included) — collective — or to a member who counts in it — individual
(the one cell a member counts at: members.metrics.attributed_cell_path; the cell the commendation is kept
at when the member has no membership period by then).

One query per key, whatever the size of the subtree."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.members.metrics import attributed_cell_path

from .models import Commendation


def _in_year(ctx: MetricContext):
    return Commendation.objects.filter(decided_on__gte=ctx.year.start, decided_on__lte=ctx.last_day)


@metrics.register("commendations.collective", kind=metrics.COUNT, label=_("Commendations of organisations"))
def commendations_collective(ctx: MetricContext) -> dict:
    collective = _in_year(ctx).filter(member__isnull=True, organization__path__startswith=ctx.root_path)
    return metrics.count(collective.count())


@metrics.register("commendations.individual", kind=metrics.COUNT, label=_("Commendations of members"))
def commendations_individual(ctx: MetricContext) -> dict:
    individual = (
        _in_year(ctx)
        .filter(member__isnull=False, member__deleted_at__isnull=True)
        .annotate(attributed_path=attributed_cell_path(ctx))
        .filter(
            Q(attributed_path__startswith=ctx.root_path)
            | Q(attributed_path__isnull=True, organization__path__startswith=ctx.root_path)
        )
    )
    return metrics.count(individual.count())
