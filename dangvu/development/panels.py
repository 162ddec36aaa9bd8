"""Member development's section on an organisation's page: the candidates on their way by step, this
year's pool and those of it admitted (development.pool, development.admitted_from_pool, counted over
the candidates the user sees), the steps overdue and the probations ending within 30 days (the first
few, linked to the candidate). Only what the user sees; a bounded number of queries, whatever the
number of candidates or cells."""

from dataclasses import dataclass
from datetime import date

from dangvu.core import periods
from dangvu.core.metrics import percent
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import rules, selectors
from .choices import Step

SHOWN = 5  # the first few of each list; the count and the link say the rest


@dataclass(frozen=True)
class Pool:
    """This year's pool and those of it admitted, as the metric keys count them."""

    pool: int
    admitted: int

    @property
    def admitted_percent(self) -> int | None:
        return percent(self.admitted, self.pool)


@dataclass(frozen=True)
class Line:
    """A candidate on the section's lists: the step awaited (overdue lists) and its day."""

    candidate: object
    on: date
    step: str = ""

    @property
    def step_label(self) -> str:
        return Step(self.step).label if self.step else ""


def _pool(scope, organization: Organization, year: int, today: date) -> Pool:
    """The pool over the candidates the user sees (removed ones too, as the metric counts them),
    up to today. One query."""
    candidates = selectors.candidates_in(scope, organization, current=False).select_related(None).order_by()
    pool, admitted = selectors.pool_figures(candidates, year, min(today, date(year, 12, 31)))
    return Pool(pool=pool, admitted=admitted)


def development_panel(request, organization: Organization, nodes) -> Panel:
    scope = request.scope
    today = periods.today()
    rows = selectors.rows(selectors.with_steps(selectors.candidates_in(scope, organization)), today=today)
    by_step = {step: 0 for step in selectors.ACTIVE_STEPS}
    for row in rows:
        by_step[row.candidate.step] += 1
    overdue = sorted(
        (Line(r.candidate, r.due.on, r.due.step) for r in rows if r.overdue),
        key=lambda line: (line.on, line.candidate.pk),
    )
    ending = []
    for row in rows:
        end = selectors.probation_end_of(row.candidate)
        if end is not None and 0 <= (end - today).days <= rules.SOON_DAYS:
            ending.append(Line(row.candidate, end))
    ending.sort(key=lambda line: (line.on, line.candidate.pk))
    return Panel(
        "development/_panel.html",
        {
            "org": organization,
            "year": today.year,
            "on_their_way": len(rows),
            "steps": [(Step(step).label, count) for step, count in by_step.items() if count],
            "pool": _pool(scope, organization, today.year, today),
            "overdue": overdue[:SHOWN],
            "overdue_count": len(overdue),
            "ending": ending[:SHOWN],
            "ending_count": len(ending),
            "can_keep": bool(selectors.cells_kept(scope, organization)),
        },
    )
