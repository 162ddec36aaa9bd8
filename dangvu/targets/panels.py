"""The targets' section on an organisation's page (issue 11): this year's targets met and not met,
the first few not met with the actual figure against the value to reach, and the links to the
dashboard and to the targets. Only the targeted figures are computed: a query for the targets, one
and each targeted metric's own bounded queries, whatever the subtree's size."""

from dangvu.core import periods
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import dashboard, selectors

SHOWN = 5  # the first few not met; the dashboard lists them all


def targets_panel(request, organization: Organization, nodes) -> Panel:
    period = dashboard.Period(periods.today().year, periods.today())
    targets = [t for t in selectors.targets_of(organization, period.year) if t.metric]
    found = selectors.figures_at(organization, period.context(organization), {t.metric for t in targets})
    figures = {key: figure.as_dict() for key, figure in found.items()}
    lines = dashboard.target_lines(organization, period, figures, {}, targets)
    not_met = [line for line in lines if not line.met]
    return Panel(
        "targets/_panel.html",
        {
            "org": organization,
            "year": period.year,
            "total": len(lines),
            "met": len(lines) - len(not_met),
            "not_met": not_met[:SHOWN],
            "not_met_count": len(not_met),
            "query": period.query,
        },
    )
