"""The programme's section on an organisation's page: this year's inspection and supervision items
of the subtree's programmes (planned, concluded), the open remedial actions carried out in the
subtree with the overdue ones, the late tasks and the difficulties and proposals waiting for an
answer (only those the user sees), and the cells' regulation reviews. A bounded number of queries,
whatever the size of the subtree."""

from django.db.models import Count, Q

from dangvu.core import periods
from dangvu.core.access import RECORDS
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import selectors
from .choices import TaskState
from .models import Item

SHOWN = 5  # the first few of each list; the count and the link say the rest


def _item_totals(request, organization: Organization, year: int, today) -> selectors.ItemTotals:
    """The year's items, not cancelled, and those concluded by today: for a committee, those of the
    programmes of the subtree, as inspection.planned and inspection.completed count them; for a
    cell, also the items of the programmes above that concern it (selectors.items_in), since a
    cell is mostly inspected by its committee. One query."""
    if organization.is_cell:
        items = Item.objects.filter(pk__in=selectors.items_in(request.scope, organization, year).values("pk"))
    else:
        items = Item.objects.filter(
            programme__year=year,
            programme__deleted_at__isnull=True,
            programme__organization__path__startswith=organization.path,
        )
    return selectors.item_totals(items, today)


def _actions(request, organization: Organization, today):
    """The open remedial actions the user sees carried out in the subtree: how many, how many
    overdue, and the first overdue ones. Two queries."""
    open_actions = selectors.actions_visible(request.scope).filter(
        owner__path__startswith=organization.path, state=TaskState.OPEN
    )
    counts = open_actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    overdue = list(open_actions.filter(due_on__lt=today).order_by("due_on", "pk")[:SHOWN])
    return counts, overdue


def programme_panel(request, organization: Organization, nodes) -> Panel:
    scope = request.scope
    today = periods.today()
    counts, overdue_actions = _actions(request, organization, today)
    visible_plans = selectors.plans_visible(scope).values("pk")
    late = selectors.overdue_tasks(organization.path, today).filter(plan__in=visible_plans)
    waiting = selectors.unanswered_notes(organization.path, today).filter(task__plan__in=visible_plans)
    book = selectors.regulation_register(scope, organization, today.year, today)
    return Panel(
        "programme/_panel.html",
        {
            "org": organization,
            "year": today.year,
            "items": _item_totals(request, organization, today.year, today),
            "actions": counts,
            "overdue_actions": overdue_actions,
            "late_tasks": list(late[:SHOWN]),
            "late_count": late.count(),
            "waiting_notes": list(waiting[:SHOWN]),
            "waiting_count": waiting.count(),
            "regulations": book,
            "reviewed": book.reviewed,
            "can_record": bool(book.rows) and scope.covers(organization.path, RECORDS),
        },
    )
