"""This app's keys of the metric contract (shared/spec/metrics.md): the members.

Each figure and its detail (the members behind it, issue 11) read the same queryset: the figure
counts it, the detail lists it, each in one query whatever the size of the subtree."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext

from .choices import EventKind
from .models import MemberEvent, MembershipPeriod
from .selectors import covering, exempt_on

ADMISSIONS = (EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION)


def _active(ctx: MetricContext):
    """Periods active on the as-of date at a cell of the subtree (a temporary transfer does not
    move a member: periods follow the official cell)."""
    return MembershipPeriod.objects.filter(
        covering(ctx.as_of), cell__path__startswith=ctx.root_path, member__deleted_at__isnull=True
    )


def _probationary(ctx: MetricContext):
    """No recognition decision dated on or before the as-of date, even after 12 months."""
    return _active(ctx).filter(Q(recognised_on__isnull=True) | Q(recognised_on__gt=ctx.as_of))


def _exempt(ctx: MetricContext):
    return _active(ctx).filter(exempt_on(ctx.as_of, member_ref="member_id"))


def _member_count(periods: QuerySet) -> int:
    return periods.values("member").distinct().count()


def member_url(member_id: int) -> str:
    return reverse("members:detail", args=[member_id])


def _period_entries(periods: QuerySet, note: str = "") -> list[Entry]:
    """One entry per member of `periods`, at the period's (official) cell: one query."""
    rows = periods.order_by("member__person__sort_key", "member_id").values_list(
        "member_id", "member__person__full_name", "cell__name", "cell__path"
    )
    seen: dict[int, Entry] = {}
    for member_id, name, cell, path in rows:
        if member_id not in seen:
            seen[member_id] = Entry(name=name, path=path, cell=cell, note=note, url=member_url(member_id))
    return list(seen.values())


@metrics.register("members.total", kind=metrics.COUNT, label=_("Members"))
def members_total(ctx: MetricContext) -> dict:
    return metrics.count(_member_count(_active(ctx)))


@metrics.register_detail("members.total")
def members_total_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=_period_entries(_active(ctx)))


@metrics.register("members.probationary", kind=metrics.COUNT, label=_("Probationary members"))
def members_probationary(ctx: MetricContext) -> dict:
    return metrics.count(_member_count(_probationary(ctx)))


@metrics.register_detail("members.probationary")
def members_probationary_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=_period_entries(_probationary(ctx), gettext("not yet recognised as official")))


@metrics.register("members.exempt", kind=metrics.COUNT, label=_("Members exempt from activities"))
def members_exempt(ctx: MetricContext) -> dict:
    return metrics.count(_member_count(_exempt(ctx)))


@metrics.register_detail("members.exempt")
def members_exempt_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=_period_entries(_exempt(ctx), gettext("exempt on the as-of date")))


def _attributed_period(ctx: MetricContext, member_ref: str):
    periods = MembershipPeriod.objects.filter(member=OuterRef(member_ref), start__lte=ctx.as_of)
    return periods.order_by("-start")


def attributed_cell_path(ctx: MetricContext, member_ref: str = "member_id") -> Subquery:
    """The path of the one cell a member counts at (metrics.md, "Members"): their official cell on
    the as-of date, or the cell they left from; `member_ref` names the member in the outer query."""
    return Subquery(_attributed_period(ctx, member_ref).values("cell__path")[:1])


def attributed_cell_name(ctx: MetricContext, member_ref: str = "member_id") -> Subquery:
    """The name of the cell of attributed_cell_path (for the details' entries)."""
    return Subquery(_attributed_period(ctx, member_ref).values("cell__name")[:1])


def _attributed_in_subtree(ctx: MetricContext):
    """Members attributed to a cell of the subtree (attributed_cell_path)."""
    return Q(attributed_path__startswith=ctx.root_path), attributed_cell_path(ctx)


def _decisions(ctx: MetricContext, kinds) -> QuerySet:
    """The decisions of `kinds` dated in the year by the as-of date, of members who count in the
    subtree (their attributed cell, else the organisation keeping their record)."""
    in_subtree, attributed_path = _attributed_in_subtree(ctx)
    events = MemberEvent.objects.filter(
        kind__in=kinds,
        date__gte=ctx.year.start,
        date__lte=ctx.last_day,
        member__deleted_at__isnull=True,
    ).annotate(attributed_path=attributed_path)
    fallback = Q(attributed_path__isnull=True, member__person__organization__path__startswith=ctx.root_path)
    return events.filter(in_subtree | fallback)


def _decision_entries(ctx: MetricContext, kinds, note: str) -> list[Entry]:
    """One entry per decision (a member re-admitted in the year may have two): one query."""
    rows = (
        _decisions(ctx, kinds)
        .annotate(attributed_name=attributed_cell_name(ctx))
        .order_by("member__person__sort_key", "date", "pk")
        .values_list(
            "member_id",
            "member__person__full_name",
            "date",
            "attributed_path",
            "attributed_name",
            "member__person__organization__path",
            "member__person__organization__name",
        )
    )
    return [
        Entry(
            name=name,
            path=path or org_path,
            cell=(cell if path else org_name) or "",
            note=note % {"date": f"{day:%d/%m/%Y}"},
            url=member_url(member_id),
        )
        for member_id, name, day, path, cell, org_path, org_name in rows
    ]


@metrics.register("members.admitted", kind=metrics.COUNT, label=_("Members admitted"))
def members_admitted(ctx: MetricContext) -> dict:
    """Admission decisions (re-admissions included) dated in the year, of members who count in the
    subtree, whoever admitted them."""
    return metrics.count(_decisions(ctx, ADMISSIONS).count())


@metrics.register_detail("members.admitted")
def members_admitted_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=_decision_entries(ctx, ADMISSIONS, gettext("admission decision of %(date)s")))


@metrics.register(
    "members.recognised_official", kind=metrics.COUNT, label=_("Members recognised as official")
)
def members_recognised_official(ctx: MetricContext) -> dict:
    return metrics.count(_decisions(ctx, [EventKind.RECOGNITION]).count())


@metrics.register_detail("members.recognised_official")
def members_recognised_official_detail(ctx: MetricContext) -> Detail:
    return Detail(
        counted=_decision_entries(ctx, [EventKind.RECOGNITION], gettext("recognised as official on %(date)s"))
    )
