"""This app's keys of the metric contract (shared/spec/metrics.md): the members."""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext

from .choices import EventKind
from .models import MemberEvent, MembershipPeriod
from .selectors import covering, exempt_on


def _active(ctx: MetricContext):
    """Periods active on the as-of date at a cell of the subtree (a temporary transfer does not
    move a member: periods follow the official cell)."""
    return MembershipPeriod.objects.filter(
        covering(ctx.as_of), cell__path__startswith=ctx.root_path, member__deleted_at__isnull=True
    )


@metrics.register("members.total", kind=metrics.COUNT, label=_("Members"))
def members_total(ctx: MetricContext) -> dict:
    return metrics.count(_active(ctx).values("member").distinct().count())


@metrics.register("members.probationary", kind=metrics.COUNT, label=_("Probationary members"))
def members_probationary(ctx: MetricContext) -> dict:
    """No recognition decision dated on or before the as-of date, even after 12 months."""
    probationary = _active(ctx).filter(Q(recognised_on__isnull=True) | Q(recognised_on__gt=ctx.as_of))
    return metrics.count(probationary.values("member").distinct().count())


@metrics.register("members.exempt", kind=metrics.COUNT, label=_("Members exempt from activities"))
def members_exempt(ctx: MetricContext) -> dict:
    exempt = _active(ctx).filter(exempt_on(ctx.as_of, member_ref="member_id"))
    return metrics.count(exempt.values("member").distinct().count())


def attributed_cell_path(ctx: MetricContext, member_ref: str = "member_id") -> Subquery:
    """The path of the one cell a member counts at (metrics.md, "Members"): their official cell on
    the as-of date, or the cell they left from; `member_ref` names the member in the outer query."""
    cell_path = (
        MembershipPeriod.objects.filter(member=OuterRef(member_ref), start__lte=ctx.as_of)
        .order_by("-start")
        .values("cell__path")
    )
    return Subquery(cell_path[:1])


def _attributed_in_subtree(ctx: MetricContext):
    """Members attributed to a cell of the subtree (attributed_cell_path)."""
    return Q(attributed_path__startswith=ctx.root_path), attributed_cell_path(ctx)


def _decisions_in_year(ctx: MetricContext, kinds) -> int:
    in_subtree, attributed_path = _attributed_in_subtree(ctx)
    events = MemberEvent.objects.filter(
        kind__in=kinds,
        date__gte=ctx.year.start,
        date__lte=ctx.last_day,
        member__deleted_at__isnull=True,
    ).annotate(attributed_path=attributed_path)
    fallback = Q(attributed_path__isnull=True, member__person__organization__path__startswith=ctx.root_path)
    return events.filter(in_subtree | fallback).count()


@metrics.register("members.admitted", kind=metrics.COUNT, label=_("Members admitted"))
def members_admitted(ctx: MetricContext) -> dict:
    """Admission decisions (re-admissions included) dated in the year, of members who count in the
    subtree, whoever admitted them."""
    return metrics.count(
        _decisions_in_year(ctx, [EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION])
    )


@metrics.register(
    "members.recognised_official", kind=metrics.COUNT, label=_("Members recognised as official")
)
def members_recognised_official(ctx: MetricContext) -> dict:
    return metrics.count(_decisions_in_year(ctx, [EventKind.RECOGNITION]))
