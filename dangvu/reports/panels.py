"""The reports section of an organisation's page (issue 5, point 5): today's deadlines, late and
missing reports by cell, cells ranked by on-time rate over the year, and for a cell what it owes.
Four queries whatever the subtree's size."""

from collections import Counter

from django.utils import timezone

from dangvu.core import periods
from dangvu.core.access import MANAGE
from dangvu.organization.panels import Panel

from . import selectors
from .choices import Status


def reports_panel(request, organization, nodes) -> Panel | None:
    now = timezone.now()
    owed = selectors.owed_in(request.scope, organization, now)
    ranking = [] if organization.is_cell else selectors.cell_records(organization, now)
    today = selectors.due_today(organization, periods.today())
    can_manage = request.scope.covers(organization.path, MANAGE) and not organization.is_cell
    if not (owed or ranking or today or can_manage):
        return None
    overdue = Counter(r.submission.cell for r in owed if r.status in {Status.MISSING, Status.INCOMPLETE})
    return Panel(
        "reports/_panel.html",
        {
            "org": organization,
            "owed": owed if organization.is_cell else [],
            "overdue_by_cell": sorted(overdue.items(), key=lambda item: (-item[1], item[0].code)),
            "ranking": ranking,
            "today": today,
            "can_manage": can_manage,
        },
    )
