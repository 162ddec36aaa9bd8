"""This app's keys of the metric contract (shared/spec/metrics.md: `badges.*`) with the settled
reading "Badges": the award date is the date of the award decision in the register; the money is the
coefficient × the base salary in force on that date, and a badge without a coefficient adds nothing.
Due next year: active official members at the as-of date whose milestone, net of Party-age gaps,
falls in the windows of next year's batches (01/12 of the year to 30/11 of the next, with the default
windows) and who may be proposed by its last batch, priced at the base salary and coefficients in
force on the as-of date (selectors.budget). A member counts at one cell (members.metrics).

A fixed number of queries per key and per detail (the awards or members behind a figure, issue 11),
whatever the size of the subtree."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.access import SYSTEM_SCOPE
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.members.metrics import attributed_cell_name, attributed_cell_path, member_url
from dangvu.organization.models import Organization

from . import selectors
from .models import Award


@dataclass(frozen=True)
class _Award:
    member_id: int
    name: str
    years: int
    awarded_on: date
    path: str  # the member's attributed cell, else their organisation
    cell: str


def _awards(ctx: MetricContext) -> list[_Award]:
    """The awards dated in the year by the as-of date, of members who count in the subtree (their
    attributed cell, else their organisation), by name: one query."""
    rows = (
        Award.objects.filter(
            awarded_on__gte=ctx.year.start, awarded_on__lte=ctx.last_day, member__deleted_at__isnull=True
        )
        .annotate(attributed_path=attributed_cell_path(ctx), attributed_name=attributed_cell_name(ctx))
        .filter(
            Q(attributed_path__startswith=ctx.root_path)
            | Q(attributed_path__isnull=True, member__person__organization__path__startswith=ctx.root_path)
        )
        .order_by("member__person__sort_key", "awarded_on", "pk")
        .values_list(
            "member_id",
            "member__person__full_name",
            "years",
            "awarded_on",
            "attributed_path",
            "attributed_name",
            "member__person__organization__path",
            "member__person__organization__name",
        )
    )
    return [
        _Award(member_id, name, years, on, cell_path or org_path, (cell if cell_path else org_name) or "")
        for member_id, name, years, on, cell_path, cell, org_path, org_name in rows
    ]


def _award_entry(award: _Award, amount: int | None = None, note: str = "") -> Entry:
    badge = gettext("%(years)s-year badge awarded on %(date)s") % {
        "years": award.years,
        "date": f"{award.awarded_on:%d/%m/%Y}",
    }
    return Entry(
        name=award.name,
        path=award.path,
        cell=award.cell,
        note=f"{badge}; {note}" if note else badge,
        url=member_url(award.member_id),
        amount=amount,
    )


@metrics.register("badges.awarded", kind=metrics.COUNT, label=_("Party badges awarded"))
def badges_awarded(ctx: MetricContext) -> dict:
    return metrics.count(len(_awards(ctx)))


@metrics.register_detail("badges.awarded")
def badges_awarded_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=[_award_entry(a) for a in _awards(ctx)])


def _priced_awards(ctx: MetricContext) -> list[tuple[_Award, int | None]]:
    """Each award with its money (None: no coefficient): three queries."""
    awards = _awards(ctx)
    prices = selectors.MoneyTables.prices([(a.path, a.years, a.awarded_on) for a in awards])
    return list(zip(awards, prices, strict=True))


@metrics.register(
    "badges.reward_total_vnd", kind=metrics.COUNT, label=_("Money with the Party badges awarded (VND)")
)
def badges_reward_total_vnd(ctx: MetricContext) -> dict:
    """Known amounts only: a badge without a coefficient adds nothing."""
    return metrics.count(sum(amount for _a, amount in _priced_awards(ctx) if amount is not None))


@metrics.register_detail("badges.reward_total_vnd")
def badges_reward_total_vnd_detail(ctx: MetricContext) -> Detail:
    """Every award of the year; those without a coefficient listed with no amount, saying so."""
    no_amount = gettext("no coefficient set: adds nothing")
    return Detail(
        counted=[
            _award_entry(a, amount, "" if amount is not None else no_amount)
            for a, amount in _priced_awards(ctx)
        ]
    )


# The three forecast keys read the same budget: computed once per context (the annual document and
# the organisation's page compute every key on one context).
@metrics.once_per_context
def _budget(ctx: MetricContext) -> selectors.Budget | None:
    root = Organization.objects.filter(path=ctx.root_path).first()
    return None if root is None else selectors.budget(SYSTEM_SCOPE, root, ctx.year.number, ctx.as_of)


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


def _line_entry(line: selectors.Line, note: str = "") -> Entry:
    badge = gettext("%(years)s-year badge reached on %(date)s") % {
        "years": line.years,
        "date": f"{line.reached_on:%d/%m/%Y}",
    }
    return Entry(
        name=line.member.person.full_name,
        path=line.cell_path or "",
        cell=line.cell_name or "",
        note=f"{badge}; {note}" if note else badge,
        url=member_url(line.member.pk),
        amount=line.amount,
    )


def _lines(ctx: MetricContext) -> list[selectors.Line]:
    found = _budget(ctx)
    return found.lines if found else []


@metrics.register_detail("badges.due_next_year")
def badges_due_next_year_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=[_line_entry(line) for line in _lines(ctx)])


@metrics.register_detail("badges.due_next_year_without_amount")
def badges_due_next_year_without_amount_detail(ctx: MetricContext) -> Detail:
    return Detail(counted=[_line_entry(line) for line in _lines(ctx) if line.amount is None])


@metrics.register_detail("badges.reward_forecast_next_year_vnd")
def badges_reward_forecast_next_year_vnd_detail(ctx: MetricContext) -> Detail:
    """Every badge due; the uncosted listed with no amount, saying so (the figure leaves them out)."""
    no_amount = gettext("no coefficient set: not in the forecast")
    return Detail(
        counted=[_line_entry(line, "" if line.amount is not None else no_amount) for line in _lines(ctx)]
    )
