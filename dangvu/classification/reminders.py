"""Reminders of the review's deadline, run by the scheduler (core.scheduler): in the last days of a
campaign (DANGVU_REMINDER_DAYS before its end), each cell that still has members to propose, or has
not rated itself, is told through its committee. A key per campaign, cell and threshold: running
this twice sends nothing twice (core.notifications)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications
from dangvu.core.notifications import threshold
from dangvu.organization import selectors as org_selectors

from . import selectors
from .models import Campaign


def remind(now: datetime) -> int:
    """Send the reminders due at `now`; returns how many notifications were created."""
    days = tuple(settings.DANGVU_REMINDER_DAYS)
    today = timezone.localdate(now)
    if not days:
        return 0
    created = 0
    ending = Campaign.objects.filter(
        imported=False, end__gte=today, end__lte=today + timedelta(days=max(days))
    )
    for campaign in ending.select_related("organization"):
        step = threshold((campaign.end - today).days, days)
        if step is None:
            continue
        behind = [p for p in selectors.progress(campaign)[0] if p.not_proposed or p.rating is None]
        users = org_selectors.committee_users([p.cell.pk for p in behind], today)
        for item in behind:
            created += notifications.notify(
                recipients=users.get(item.cell.pk, []),
                kind="classification.due",
                key=f"classification.due.{campaign.pk}.{item.cell.pk}.{step}",
                subject=_subject(campaign, item.not_proposed),
                url=campaign.sheet_url(item.cell),
                scope_path=item.cell.path,
            )
    return created


def _subject(campaign: Campaign, not_proposed: int) -> str:
    values = {"year": campaign.year, "end": campaign.end.strftime("%d/%m/%Y"), "count": not_proposed}
    if not_proposed:
        return _("The review of %(year)d ends on %(end)s: %(count)d member(s) not yet proposed") % values
    return _("The review of %(year)d ends on %(end)s: the cell has not rated itself yet") % values
