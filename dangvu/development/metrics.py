"""This app's keys of the metric contract (shared/spec/metrics.md: `development.*`) with the settled
reading "Development": an awareness-class certificate is valid from its issue through the same day
60 months later (rules.certificate_valid_until); the pool of a year is the candidates who held a valid
certificate on some day of the year (up to the as-of date) and were not admitted before the year, even
if removed from the list during the year or later (not if removed before it); a candidate counts in
their cell. `members.admitted` and `members.recognised_official` need nothing here: the pipeline
writes the member's events they count.

One query per key, whatever the size of the subtree."""

from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext

from . import selectors
from .models import Candidate


def _pool(ctx: MetricContext) -> tuple[int, int]:
    return selectors.pool_figures(
        Candidate.objects.filter(cell__path__startswith=ctx.root_path), ctx.year.number, ctx.last_day
    )


@metrics.register("development.pool", kind=metrics.COUNT, label=_("Candidates in the pool"))
def development_pool(ctx: MetricContext) -> dict:
    return metrics.count(_pool(ctx)[0])


@metrics.register(
    "development.admitted_from_pool", kind=metrics.RATIO, label=_("Candidates of the pool admitted")
)
def development_admitted_from_pool(ctx: MetricContext) -> dict:
    """Of the pool, those with an admission decision dated in the year by the as-of date (the
    article's "3/7")."""
    pool, admitted = _pool(ctx)
    return metrics.ratio(admitted, pool)
