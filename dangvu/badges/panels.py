"""Party badges' and commendations' section on an organisation's page: the next batch with how many
members it may propose (selectors.candidates_for_batch) and how many proposals of it still miss a
paper of the dossier (rules.papers_missing); this year's awards in the register with their known
money and the count of those without an amount; next year's budget (selectors.budget: its total and
its uncosted badges); this year's commendations; the links to the pages. Only what the user sees (no
health data: counts only); a bounded number of queries, whatever the number of cells or members."""

from dataclasses import dataclass
from datetime import date

from dangvu.core import access, periods
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import commendations, rules, selectors
from .models import Award, Proposal


@dataclass(frozen=True)
class Money:
    """Awards and their money: the count, the sum of the known amounts, the count without one."""

    count: int
    total: int
    uncosted: int


def next_batch(batches: tuple[rules.Batch, ...], today: date) -> date:
    """The first batch on or after today (this year's, else next year's first)."""
    days = sorted(date(year, b.month, b.day) for year in (today.year, today.year + 1) for b in batches)
    return next(day for day in days if day >= today)


def _proposals(scope, organization: Organization, batch: date) -> tuple[int, int]:
    """The proposals of the batch the user sees in the subtree, and those with a paper missing.
    One query."""
    rows = (
        access.restrict(Proposal.objects, scope)
        .filter(
            batch=batch,
            member__deleted_at__isnull=True,
            member__person__organization__path__startswith=organization.path,
        )
        .values_list("early", "papers")
    )
    rows = list(rows)
    missing = sum(1 for early, papers in rows if rules.papers_missing(early, papers or []))
    return len(rows), missing


def _awards(scope, organization: Organization, year: int) -> Money:
    """The year's awards in the register the user sees in the subtree, priced (coefficient × the
    base salary on the award date). Three queries."""
    rows = list(
        access.restrict(Award.objects, scope)
        .filter(
            awarded_on__year=year,
            member__deleted_at__isnull=True,
            member__person__organization__path__startswith=organization.path,
        )
        .values_list("member__person__organization__path", "years", "awarded_on")
    )
    amounts = selectors.MoneyTables.prices(rows)
    known = [a for a in amounts if a is not None]
    return Money(count=len(amounts), total=sum(known), uncosted=len(amounts) - len(known))


def badges_panel(request, organization: Organization, nodes) -> Panel:
    scope = request.scope
    today = periods.today()
    settings = selectors.settings_for(organization)  # read once for the three below
    batch = next_batch(selectors.batches_of(settings), today)
    candidates = selectors.candidates_for_batch(scope, organization, batch, settings=settings)
    proposed, papers_missing = _proposals(scope, organization, batch)
    budget = selectors.budget(scope, organization, today.year, today, settings=settings)
    return Panel(
        "badges/_panel.html",
        {
            "org": organization,
            "year": today.year,
            "batch": batch,
            "candidates": len(candidates),
            "not_yet": sum(1 for c in candidates if c.not_yet),
            "proposed": proposed,
            "papers_missing": papers_missing,
            "awards": _awards(scope, organization, today.year),
            "budget": Money(
                count=budget.total.count, total=budget.total.total, uncosted=budget.total.uncosted
            ),
            "budget_year": budget.year,
            "commendations": commendations.commendations_in(scope, organization, today.year).count(),
            "can_manage": scope.covers(organization.path, access.MANAGE),
        },
    )
