"""The study and meetings section of an organisation's page.

For a cell: this year's months held and missing, the next planned session, the members flagged for
3 months of unexcused absence, and what its members have still to study. For a committee: the same
counted over its cells (its study is the page's figure study.members_studied_pct). Links to the
sessions, the documents and the summary. A bounded number of queries, whatever the number of cells."""

from dataclasses import dataclass

from dangvu.core import periods
from dangvu.core.metrics import percent
from dangvu.organization.models import Organization
from dangvu.organization.panels import Panel

from . import selectors
from .overview import month_boxes, months_text


@dataclass
class Totals:
    cells: int = 0
    months_due: int = 0
    months_held: int = 0
    cells_missing: int = 0
    thematic_missing: int = 0
    flagged: int = 0
    owed: int = 0
    studied: int = 0
    pending: int = 0

    @property
    def held_percent(self) -> int | None:
        return percent(self.months_held, self.months_due)

    @property
    def studied_percent(self) -> int | None:
        return percent(self.studied, self.owed)


def _active_cells(nodes, year: int) -> list[Organization]:
    """The cells of the subtree active on a day of the year (selectors.cells_under, from the nodes
    the page has already read)."""
    the_year = periods.Year(year)
    return sorted(
        (
            node.organization
            for node in nodes
            if node.organization.is_cell
            and periods.overlaps(
                node.organization.active_from, node.organization.active_to, the_year.start, the_year.end
            )
        ),
        key=lambda org: org.code,
    )


def meetings_panel(request, organization, nodes) -> Panel | None:
    today = periods.today()
    cells = _active_cells(nodes, today.year)
    cell_years = selectors.cells_years(cells, today.year, today)
    totals = Totals(cells=len(cells))
    for cell_year in cell_years:
        totals.months_due += len(cell_year.months_due)
        totals.months_held += len(set(cell_year.months_due) & cell_year.months_held)
        totals.cells_missing += bool(cell_year.months_missing)
        totals.thematic_missing += len(cell_year.thematic_missing)
        totals.flagged += len(cell_year.flagged)
    own = cell_years[0] if organization.is_cell and cell_years else None
    # A cell's own study; a committee's is the figure study.members_studied_pct its page shows
    # already (reading it twice would double the page's cost).
    study = selectors.study_per_cell([own.cell], today.year, today) if own else {}
    if own:
        cell_study = study[own.cell.pk]
        totals.owed, totals.studied, totals.pending = cell_study.owed, cell_study.studied, cell_study.pending
    return Panel(
        "meetings/_panel.html",
        {
            "org": organization,
            "year": today.year,
            "cell_year": own,
            "months": month_boxes(own, today) if own else [],
            "flagged": [(p.full_name, months_text(m)) for p, m in own.flagged] if own else [],
            "study": study.get(organization.pk),
            "totals": totals,
            "next_session": selectors.next_session(request.scope, organization, today),
            "can_organise": selectors.can_organise(request.scope, organization),
        },
    )
