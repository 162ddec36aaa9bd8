"""This app's keys of the metric contract (shared/spec/metrics.md, "Reports"), and what each figure
counts: the submissions due from the cells, one query for any key."""

from datetime import datetime, time, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.organization.choices import CELL_KINDS

from .choices import State
from .models import Submission
from .selectors import live_submissions


def _required(ctx: MetricContext) -> QuerySet[Submission]:
    """One per (round, recipient cell of the subtree) for rounds whose deadline falls in the year."""
    return live_submissions().filter(
        cell__path__startswith=ctx.root_path,
        cell__kind__in=CELL_KINDS,
        round__due_date__gte=ctx.year.start,
        round__due_date__lte=ctx.year.end,
    )


def _end_of(ctx: MetricContext) -> datetime:
    """The first moment after the as-of date, in Asia/Ho_Chi_Minh."""
    return datetime.combine(ctx.as_of + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone())


def _on_time(ctx: MetricContext) -> Q:
    """Received complete by the deadline: the version finally accepted (by the as-of date) came at
    or before it."""
    return Q(state=State.ACCEPTED, on_time=True, reviewed_at__lt=_end_of(ctx))


def _missing(ctx: MetricContext) -> Q:
    """No version at all, accepted or returned, received by the end of the as-of date."""
    return Q(first_submitted_at__isnull=True) | Q(first_submitted_at__gte=_end_of(ctx))


@metrics.register("reports.required", kind=metrics.COUNT, label=_("Reports required from cells"))
def reports_required(ctx: MetricContext) -> dict:
    return metrics.count(_required(ctx).count())


@metrics.register("reports.on_time_pct", kind=metrics.RATIO, label=_("Reports received on time"))
def reports_on_time(ctx: MetricContext) -> dict:
    required = _required(ctx)
    return metrics.ratio(required.filter(_on_time(ctx)).count(), required.count())


@metrics.register("reports.missing", kind=metrics.COUNT, label=_("Reports missing"))
def reports_missing(ctx: MetricContext) -> dict:
    return metrics.count(_required(ctx).filter(_missing(ctx)).count())


# ------------------------------------------------------------------------- what each figure counts


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _note(row: dict) -> str:
    due = row["round__due_date"].strftime("%d/%m/%Y")
    if row["is_on_time"]:
        received = _when(row["accepted_version__submitted_at"])
        return gettext("Report due %(due)s: received on time, %(received)s") % {
            "due": due,
            "received": received,
        }
    if row["is_missing"]:
        return gettext("Report due %(due)s: nothing received") % {"due": due}
    received = _when(row["first_submitted_at"])
    return gettext("Report due %(due)s: first received %(received)s, not accepted on time") % {
        "due": due,
        "received": received,
    }


def submissions_due(ctx: MetricContext) -> list[tuple[dict, Entry]]:
    """Every submission required, with the figures' conditions read in the same query, by due date
    and cell: one query."""
    rows = (
        _required(ctx)
        .annotate(
            is_on_time=ExpressionWrapper(_on_time(ctx), output_field=BooleanField()),
            is_missing=ExpressionWrapper(_missing(ctx), output_field=BooleanField()),
        )
        .order_by("round__due_date", "round__request__title", "cell__code", "pk")
        .values(
            "pk",
            "round__request__title",
            "round__due_date",
            "cell__name",
            "cell__path",
            "first_submitted_at",
            "accepted_version__submitted_at",
            "is_on_time",
            "is_missing",
        )
    )
    return [
        (
            row,
            Entry(
                name=row["round__request__title"],
                path=row["cell__path"],
                kind="other",
                cell=row["cell__name"],
                note=_note(row),
                url=reverse("reports:submission", args=[row["pk"]]),
            ),
        )
        for row in rows
    ]


@metrics.register_detail("reports.required")
def reports_required_detail(ctx: MetricContext) -> Detail:
    return Detail([entry for _row, entry in submissions_due(ctx)])


@metrics.register_detail("reports.on_time_pct")
def reports_on_time_detail(ctx: MetricContext) -> Detail:
    due = submissions_due(ctx)
    return Detail([entry for row, entry in due if row["is_on_time"]], [entry for _row, entry in due])


@metrics.register_detail("reports.missing")
def reports_missing_detail(ctx: MetricContext) -> Detail:
    return Detail([entry for row, entry in submissions_due(ctx) if row["is_missing"]])
