"""Reminders of member development, run by the scheduler (job `development.remind`), to whoever
must act (issue 9, point 4):

- the cell's committee: a certificate or a dossier paper that expires within 30 days before the
  cell's resolution, a probation ending within 30 days, and the cell's consideration of recognition
  or a ceremony once overdue;
- the office above the cell: a decision or a recognition overdue (it follows them up with the
  deciding committee), and an overdue ceremony too.

Each message has a key per candidate, step and date: running this twice sends nothing twice."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications
from dangvu.organization import selectors as org_selectors

from . import rules, selectors
from .choices import Step
from .models import Candidate

# Who must act on each step awaited when it is overdue: the cell's committee, the office, or both.
ACTS = {
    Step.CELL_VOTE: ("cell",),
    Step.DECISION: ("office",),
    Step.CEREMONY: ("cell", "office"),
    Step.RECOGNITION_CELL_VOTE: ("cell",),
    Step.RECOGNISED: ("office",),
}


def remind(now: datetime) -> int:
    """Send the reminders due at `now`; returns how many notifications were created."""
    today = timezone.localdate(now)
    candidates = list(
        selectors.with_steps(
            Candidate.objects.filter(step__in=selectors.ACTIVE_STEPS).select_related("cell")
        ).order_by("pk")
    )
    if not candidates:
        return 0
    committees = org_selectors.committee_users(list({c.cell_id for c in candidates}), today)
    offices: dict[int, list] = {}

    def to(candidate: Candidate, who: tuple[str, ...]) -> list:
        found = list(committees.get(candidate.cell_id, [])) if "cell" in who else []
        if "office" in who:
            if candidate.cell_id not in offices:
                offices[candidate.cell_id] = org_selectors.office_users(candidate.cell)
            found += [u for u in offices[candidate.cell_id] if u not in found]
        return found

    created = 0
    for row in selectors.rows(candidates, today=today):
        created += (
            _due(row, today, to) + _probation(row.candidate, today, to) + _papers(row.candidate, today, to)
        )
    return created


def _send(candidate: Candidate, recipients: list, key: str, subject: str) -> int:
    return notifications.notify(
        recipients=recipients,
        kind="development.reminder",
        key=f"development.{key}.{candidate.pk}",
        subject=subject,
        url=candidate.get_absolute_url(),
        scope_path=candidate.cell.path,
    )


def _due(row: selectors.Row, today: date, to) -> int:
    candidate, due = row.candidate, row.due
    if due is None:
        return 0
    names = {
        "name": candidate.full_name,
        "cell": candidate.cell,
        "step": Step(due.step).label,
        "day": f"{due.on:%d/%m/%Y}",
    }
    if due.step == Step.CELL_VOTE:  # the certificate's end, not a limit that passes: warn before it
        if 0 <= (due.on - today).days <= rules.SOON_DAYS:
            subject = _("%(name)s (%(cell)s): the awareness-class certificate is valid until %(day)s") % names
            return _send(candidate, to(candidate, ("cell",)), f"certificate.{due.on:%Y%m%d}", subject)
        return 0
    if not row.overdue:
        return 0
    subject = _("%(name)s (%(cell)s): %(step)s was due by %(day)s") % names
    return _send(candidate, to(candidate, ACTS[due.step]), f"overdue.{due.step}.{due.on:%Y%m%d}", subject)


def _probation(candidate: Candidate, today: date, to) -> int:
    end = selectors.probation_end_of(candidate)
    if end is None or not 0 <= (end - today).days <= rules.SOON_DAYS:
        return 0
    subject = _("%(name)s (%(cell)s): probation ends on %(day)s; the cell considers recognition") % {
        "name": candidate.full_name,
        "cell": candidate.cell,
        "day": f"{end:%d/%m/%Y}",
    }
    return _send(candidate, to(candidate, ("cell",)), f"probation.{end:%Y%m%d}", subject)


def _papers(candidate: Candidate, today: date, to) -> int:
    """Papers that expire within 30 days, before the cell's resolution uses them."""
    if candidate.step not in {Step.SYMPATHISER, Step.CLASS, Step.PROCEDURE}:
        return 0
    created = 0
    for paper in candidate.papers.all():
        if paper.paper not in rules.EXPIRING:
            continue
        until = rules.paper_valid_until(paper.made_on)
        if 0 <= (until - today).days <= rules.SOON_DAYS:
            subject = _("%(name)s (%(cell)s): “%(paper)s” is valid until %(day)s") % {
                "name": candidate.full_name,
                "cell": candidate.cell,
                "paper": paper.get_paper_display(),
                "day": f"{until:%d/%m/%Y}",
            }
            created += _send(
                candidate, to(candidate, ("cell",)), f"paper.{paper.paper}.{until:%Y%m%d}", subject
            )
    return created
