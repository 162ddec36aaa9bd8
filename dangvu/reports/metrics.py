"""This app's keys of the metric contract (shared/spec/metrics.md, "Reports")."""

from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
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


@metrics.register("reports.required", kind=metrics.COUNT, label=_("Reports required from cells"))
def reports_required(ctx: MetricContext) -> dict:
    return metrics.count(_required(ctx).count())


@metrics.register("reports.on_time_pct", kind=metrics.RATIO, label=_("Reports received on time"))
def reports_on_time(ctx: MetricContext) -> dict:
    """Received complete by the deadline: the version finally accepted (by the as-of date) came at
    or before it."""
    required = _required(ctx)
    on_time = required.filter(state=State.ACCEPTED, on_time=True, reviewed_at__lt=_end_of(ctx))
    return metrics.ratio(on_time.count(), required.count())


@metrics.register("reports.missing", kind=metrics.COUNT, label=_("Reports missing"))
def reports_missing(ctx: MetricContext) -> dict:
    """No version at all, accepted or returned, received by the end of the as-of date."""
    end = _end_of(ctx)
    return metrics.count(
        _required(ctx).filter(Q(first_submitted_at__isnull=True) | Q(first_submitted_at__gte=end)).count()
    )
