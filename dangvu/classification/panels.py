"""The review sections of an organisation's page and of a member's page.

On an organisation: the current year's campaign covering it; for a cell what is pending (members not
self-assessed, not proposed, not decided, and the cell's own rating) with a link to its sheet; for a
committee the totals and the distribution of levels; for the office with no campaign this year, a
link to open one. Five queries at most. On a member's page: their own self-assessment of the year
(for the member themselves) and the ratings the viewer may see."""

from dangvu.core import access, periods
from dangvu.core.access import MANAGE
from dangvu.organization.panels import Panel

from . import selectors
from .choices import Exclusion, Level
from .models import MemberRating


def classification_panel(request, organization, nodes) -> Panel | None:
    year = periods.today().year
    campaign = selectors.campaign_for(organization, year)
    if campaign is None:
        return _without_campaign(request, organization, nodes, year)
    rows, total = selectors.progress(campaign, under=organization)
    cell_row = rows[0] if organization.is_cell and rows else None
    return Panel(
        "classification/_panel.html",
        {
            "org": organization,
            "campaign": campaign,
            "year": year,
            "total": total,
            "cell_row": cell_row,
            "sheet_url": campaign.sheet_url(organization) if organization.is_cell else "",
            "levels": list(Level),
        },
    )


def _without_campaign(request, organization, nodes, year: int) -> Panel | None:
    """No campaign covers the organisation this year: the office may open one (unless one runs
    under it), and anyone sees the past years when there are some."""
    can_open = (
        request.scope.covers(organization.path, MANAGE)
        and not organization.is_cell
        and any(node.organization.is_cell for node in nodes)
        and not selectors.overlapping(organization, year).exists()
    )
    if not can_open and not selectors.campaigns_in(organization).exists():
        return None
    context = {"org": organization, "campaign": None, "year": year, "can_open": can_open}
    return Panel("classification/_panel.html", context)


def member_panel(request, member) -> Panel | None:
    """The member's ratings the viewer may see; for the member themselves, this year's
    self-assessment. Three queries at most."""
    ratings = list(
        access.restrict(MemberRating.objects.filter(member=member), request.scope)
        .select_related("campaign", "cell")
        .order_by("-campaign__year")
    )
    current = entry = None
    if member.person_id in request.scope.person_ids:
        current = selectors.campaign_for(member.person.organization, periods.today().year)
        entry = selectors.roster_entry(current, member) if current else None
    if not ratings and entry is None:
        return None
    return Panel(
        "classification/_member_panel.html",
        {
            "ratings": ratings,
            "campaign": current if entry else None,
            "entry": entry,
            "exclusion": Exclusion(entry.exclusion).label if entry and entry.exclusion else "",
        },
    )
