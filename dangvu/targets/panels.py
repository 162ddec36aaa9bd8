"""The targets' section on an organisation's page (issue 11): this year's targets met and not met,
the first few not met with the actual figure against the value to reach, and the links to the
dashboard and to the targets. Only the targeted figures are computed: one query for the targets
and each targeted metric's own bounded queries, whatever the subtree's size."""

from dangvu.core import metrics, periods
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import dashboard, selectors

SHOWN = 5  # the first few not met; the dashboard lists them all


def targets_panel(request, organization: Organization, nodes) -> Panel:
    period = dashboard.Period(periods.today().year, periods.today())
    ctx = period.context(organization)
    targets = [t for t in selectors.targets_of(organization, period.year) if t.metric]
    figures = {}
    for key in {t.metric for t in targets}:
        metric = metrics.get(key)
        if metric is not None:
            figures[key] = metric.compute(ctx)
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
