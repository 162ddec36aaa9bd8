"""This app's keys of the metric contract (shared/spec/metrics.md: `badges.*`) with the settled
reading "Badges": the award date is the date of the award decision in the register; the money is the
coefficient × the base salary in force on that date, and a badge without a coefficient adds nothing.
Due next year: active official members at the as-of date whose milestone, net of Party-age gaps,
falls in the windows of next year's batches (01/12 of the year to 30/11 of the next, with the default
windows) and who may be proposed by its last batch, priced at the base salary and coefficients in
force on the as-of date (selectors.budget). A member counts at one cell (members.metrics).

A fixed number of queries per key, whatever the size of the subtree."""

from weakref import WeakKeyDictionary

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.access import SYSTEM_SCOPE
from dangvu.core.metrics import MetricContext
from dangvu.members.metrics import attributed_cell_path
from dangvu.organization.models import Organization

from . import selectors
from .models import Award


def _awards(ctx: MetricContext) -> list[tuple[int, object, str]]:
    """(badge, award date, cell path) of the awards dated in the year by the as-of date, of
    members who count in the subtree (their attributed cell, else their organisation)."""
    rows = (
        Award.objects.filter(
            awarded_on__gte=ctx.year.start, awarded_on__lte=ctx.last_day, member__deleted_at__isnull=True
        )
        .annotate(attributed_path=attributed_cell_path(ctx))
        .filter(
            Q(attributed_path__startswith=ctx.root_path)
            | Q(attributed_path__isnull=True, member__person__organization__path__startswith=ctx.root_path)
        )
        .values_list("years", "awarded_on", "attributed_path", "member__person__organization__path")
    )
    return [(years, on, cell or org) for years, on, cell, org in rows]


@metrics.register("badges.awarded", kind=metrics.COUNT, label=_("Party badges awarded"))
def badges_awarded(ctx: MetricContext) -> dict:
    return metrics.count(len(_awards(ctx)))


@metrics.register(
    "badges.reward_total_vnd", kind=metrics.COUNT, label=_("Money with the Party badges awarded (VND)")
)
def badges_reward_total_vnd(ctx: MetricContext) -> dict:
    """Known amounts only: a badge without a coefficient adds nothing."""
    awards = _awards(ctx)
    tables = selectors.MoneyTables.load(sorted({path for _y, _d, path in awards}))
    amounts = (tables.amount(path, years, on) for years, on, path in awards)
    return metrics.count(sum(a for a in amounts if a is not None))


# The three forecast keys read the same budget: computed once per context (the annual document and
# the organisation's page compute every key on one context). Weak keys: an entry lives as long as its
# context, so a later context, even one with equal values, reads the data afresh.
_budgets: "WeakKeyDictionary[MetricContext, selectors.Budget | None]" = WeakKeyDictionary()


def _budget(ctx: MetricContext) -> selectors.Budget | None:
    if ctx not in _budgets:
        root = Organization.objects.filter(path=ctx.root_path).first()
        _budgets[ctx] = (
            None if root is None else selectors.budget(SYSTEM_SCOPE, root, ctx.year.number, ctx.as_of)
        )
    return _budgets[ctx]


@metrics.register("badges.due_next_year", kind=metrics.COUNT, label=_("Members due a Party badge next year"))
def badges_due_next_year(ctx: MetricContext) -> dict:
    found = _budget(ctx)
    return metrics.count(found.total.count if found else 0)


@metrics.register(
    "badges.due_next_year_without_amount",
    kind=metrics.COUNT,
    label=_("Party badges due next year without an amount"),
)
def badges_due_next_year_without_amount(ctx: MetricContext) -> dict:
    found = _budget(ctx)
    return metrics.count(found.total.uncosted if found else 0)


@metrics.register(
    "badges.reward_forecast_next_year_vnd",
    kind=metrics.COUNT,
    label=_("Money needed for next year's Party badges (VND)"),
)
def badges_reward_forecast_next_year_vnd(ctx: MetricContext) -> dict:
    found = _budget(ctx)
    return metrics.count(found.total.total if found else 0)
