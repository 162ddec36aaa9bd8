"""What the review pages show beyond a selector's rows: the progress a user may see, the cap in use
per group (members and cells), and the settings in words. Reads only; a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangvu.core.access import Scope
from dangvu.organization.models import Organization

from . import selectors
from .choices import CAP_RATES, CapBase, CountFrom, Grouping, Stage
from .models import Campaign, CellRating, MemberRating
from .selectors import CapStatus, CellProgress

COUNTS = ("reviewed", "not_reviewed", "not_self_assessed", "not_proposed", "not_decided")


def visible_progress(scope: Scope, campaign: Campaign) -> tuple[list[CellProgress], CellProgress]:
    """selectors.progress limited to the cells the user sees: a cell's secretary sees their own
    cells' rows, and a total over them only."""
    rows, total = selectors.progress(campaign)
    if scope.covers(campaign.organization.path):
        return rows, total
    rows = [row for row in rows if scope.covers(row.cell.path)]
    return rows, summed(rows, campaign.organization)


def summed(rows: list[CellProgress], organization: Organization) -> CellProgress:
    total = CellProgress(cell=organization)
    for row in rows:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.levels.update(row.levels)
    return total


def _empty(campaign: Campaign, group: str) -> CapStatus:
    nothing = campaign.cap_check(Counter())
    return CapStatus(group, nothing, nothing)


def _with_every_group(campaign: Campaign, statuses: list[CapStatus], groups: set[str]) -> list[CapStatus]:
    have = {s.group for s in statuses}
    statuses += [_empty(campaign, g) for g in groups - have]
    return sorted(statuses, key=lambda s: s.group)


def _member_ratings(campaign: Campaign):
    return MemberRating.objects.filter(campaign=campaign).only(
        "cell_id", "stage", "decided_level", "proposed_level"
    )


def cap_overview(scope: Scope, campaign: Campaign) -> tuple[list[CapStatus], list[CapStatus]]:
    """The cap per group for members and for cells, over the groups of the cells the user sees.
    Three queries."""
    cells = selectors.all_cells(campaign)
    visible = [c for c in selectors.cells_of(campaign) if scope.covers(c.path)]
    members = selectors.cap_statuses(campaign, _member_ratings(campaign), cells)
    member_groups = {campaign.group_of(c) for c in visible}
    cell_ratings = CellRating.objects.filter(campaign=campaign).only(
        "cell_id", "stage", "decided_level", "self_level"
    )
    cell_statuses = selectors.cap_statuses(campaign, cell_ratings, cells, of_cells=True)
    cell_groups = {campaign.cell_group_of(c) for c in visible}
    return (
        _with_every_group(campaign, [s for s in members if s.group in member_groups], member_groups),
        _with_every_group(campaign, [s for s in cell_statuses if s.group in cell_groups], cell_groups),
    )


@dataclass(frozen=True)
class GroupCap:
    """The cap in one cell's group, with the levels it projects (decided, else proposed)."""

    status: CapStatus
    projected: Counter


def group_cap(campaign: Campaign, cell: Organization) -> GroupCap:
    """The cap in the group of `cell`'s members: decided, and projected on the pending proposals.
    Two queries."""
    group = campaign.group_of(cell)
    cells = selectors.all_cells(campaign)
    ratings = _member_ratings(campaign)
    if campaign.grouping != Grouping.PER_COMMITTEE:
        ratings = ratings.filter(cell_id__in=[pk for pk, c in cells.items() if campaign.group_of(c) == group])
    ratings = list(ratings)
    found = [s for s in selectors.cap_statuses(campaign, ratings, cells) if s.group == group]
    projected = Counter(
        r.decided_level if r.stage == Stage.DECIDED else r.proposed_level
        for r in ratings
        if campaign.group_of(cells[r.cell_id]) == group
    )
    return GroupCap(found[0] if found else _empty(campaign, group), projected)


@dataclass(frozen=True)
class Setting:
    label: str
    value: str
    explanation: str = ""


def settings_shown(campaign: Campaign) -> list[Setting]:
    """The campaign's settings in words, where they decide a result (rules.md "Product defaults")."""
    rate = dict(CAP_RATES).get(f"{campaign.cap_rate:.2f}", f"{campaign.cap_rate * 100:.0f}%")
    base = CapBase(campaign.cap_base)
    grouping = Grouping(campaign.grouping)
    groups = ""
    if grouping == Grouping.CUSTOM:
        by_group: dict[str, list[str]] = {}
        for code, name in sorted((campaign.custom_groups or {}).items()):
            by_group.setdefault(name, []).append(code)
        groups = "; ".join(f"{name}: {', '.join(codes)}" for name, codes in by_group.items())
    warning = (
        _("on, from %(count)d member(s)") % {"count": campaign.warning_threshold}
        if campaign.cell_warning
        else _("off")
    )
    return [
        Setting(
            _("Base of the cap on excellent"),
            str(base.label),
            _("The cap is a share of those rated exactly good; it never breaches either reading.")
            if base == CapBase.A
            else _("The cap is a share of all those rated good or above."),
        ),
        Setting(_("Cap rate"), str(rate)),
        Setting(_("The cap is counted"), str(grouping.label), groups),
        Setting(
            _("The six months since admission are counted from"), str(CountFrom(campaign.count_from).label)
        ),
        Setting(_("Warning on a cell rated above its members"), warning),
    ]
