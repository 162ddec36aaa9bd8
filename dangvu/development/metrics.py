"""This app's keys of the metric contract (shared/spec/metrics.md: `development.*`) with the settled
reading "Development": an awareness-class certificate is valid from its issue through the same day
60 months later (rules.certificate_valid_until); the pool of a year is the candidates who held a valid
certificate on some day of the year (up to the as-of date) and were not admitted before the year, even
if removed from the list during the year or later (not if removed before it); a candidate counts in
their cell. `members.admitted` and `members.recognised_official` need nothing here: the pipeline
writes the member's events they count.

One query per key and per detail (the candidates behind a figure, issue 11), whatever the size of
the subtree."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext

from . import selectors
from .models import Candidate


def _candidates(ctx: MetricContext):
    return Candidate.objects.filter(cell__path__startswith=ctx.root_path)


def _pool(ctx: MetricContext) -> tuple[int, int]:
    return selectors.pool_figures(_candidates(ctx), ctx.year.number, ctx.last_day)


def _pool_entries(ctx: MetricContext) -> list[tuple[bool, Entry]]:
    """The candidates of selectors.pool (the queryset pool_figures counts), each with whether
    pool_figures counts them admitted (a decision dated by the last day): one query."""
    rows = (
        selectors.pool(_candidates(ctx), ctx.year.number, ctx.last_day)
        .order_by("sort_key", "pk")
        .values_list("pk", "full_name", "cell__name", "cell__path", "certified_on", "decided_on")
    )
    found = []
    for pk, name, cell, path, certified_on, decided_on in rows:
        admitted = decided_on is not None and decided_on <= ctx.last_day
        note = (
            gettext("admission decision of %(date)s") % {"date": f"{decided_on:%d/%m/%Y}"}
            if admitted
            else gettext("awareness-class certificate of %(date)s") % {"date": f"{certified_on:%d/%m/%Y}"}
        )
        url = reverse("development:candidate", args=[pk])
        found.append((admitted, Entry(name=name, path=path, kind="other", cell=cell, note=note, url=url)))
    return found


@metrics.register("development.pool", kind=metrics.COUNT, label=_("Candidates in the pool"))
def development_pool(ctx: MetricContext) -> dict:
    return metrics.count(_pool(ctx)[0])


@metrics.register_detail("development.pool")
def development_pool_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=[entry for _admitted, entry in _pool_entries(ctx)])


@metrics.register(
    "development.admitted_from_pool", kind=metrics.RATIO, label=_("Candidates of the pool admitted")
)
def development_admitted_from_pool(ctx: MetricContext) -> dict:
    """Of the pool, those with an admission decision dated in the year by the as-of date (the
    article's "3/7")."""
    pool, admitted = _pool(ctx)
    return metrics.ratio(admitted, pool)


@metrics.register_detail("development.admitted_from_pool")
def development_admitted_from_pool_detail(ctx: MetricContext) -> Detail:
    entries = _pool_entries(ctx)
    return Detail(counted=[e for admitted, e in entries if admitted], out_of=[e for _a, e in entries])
