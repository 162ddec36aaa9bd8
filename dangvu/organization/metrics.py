"""This app's keys of the metric contract (shared/spec/metrics.md): cells and committees.

Each figure and its detail (the cells or people behind it, issue 11) read the same queryset, in one
query whatever the size of the subtree."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext

from .choices import COMMITTEE_ROLES
from .models import CommitteeSeat
from .selectors import cells_active


def cells_active_in_year(ctx: MetricContext):
    """Cells (chi bộ) of the subtree active on at least one day of the year, as seen on the as-of
    date: a cell founded after it is not seen yet."""
    return cells_active(ctx.root_path, ctx.year.start, ctx.last_day)


@metrics.register("cells.total", kind=metrics.COUNT, label=_("Cells"))
def cells_total(ctx: MetricContext) -> dict:
    return metrics.count(cells_active_in_year(ctx).count())


def cell_entry(name: str, path: str, code: str, note: str = "") -> Entry:
    """A cell as an entry of a detail, linked to its organisation page."""
    return Entry(
        name=name, path=path, kind="cell", note=note, url=reverse("organization:detail", args=[code])
    )


@metrics.register_detail("cells.total")
def cells_total_detail(ctx: MetricContext) -> Detail:
    rows = cells_active_in_year(ctx).values_list("name", "path", "code")
    return Detail(counted=[cell_entry(name, path, code) for name, path, code in rows])


def committee_seats_in_year(ctx: MetricContext):
    """Seats on Party committees of the subtree held on some day of the year up to the as-of date.
    Inspection-commission seats are not committee seats (metrics.md, "Committees")."""
    return CommitteeSeat.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=ctx.year.start),
        term_start__lte=ctx.last_day,
        organization__path__startswith=ctx.root_path,
        role__in=COMMITTEE_ROLES,
        person__deleted_at__isnull=True,
    )


@dataclass
class _CommitteeMember:
    person_id: int
    name: str
    cell: str  # an organisation where they held a seat: the deeper one when one is under another
    path: str
    part_time: bool  # part-time in every seat they held in the subtree during the year


def _committee_members(ctx: MetricContext) -> list[_CommitteeMember]:
    """Each committee member of the year once (metrics.md, "Committees"), by name: one query."""
    rows = (
        committee_seats_in_year(ctx)
        .order_by("person__sort_key", "person_id", "-organization__path")
        .values_list(
            "person_id", "person__full_name", "organization__name", "organization__path", "part_time"
        )
    )
    people: dict[int, _CommitteeMember] = {}
    for person_id, name, cell, path, part_time in rows:
        found = people.setdefault(person_id, _CommitteeMember(person_id, name, cell, path, True))
        found.part_time = found.part_time and part_time
    return list(people.values())


@metrics.register("committee.part_time_pct", kind=metrics.RATIO, label=_("Part-time committee members"))
def committee_part_time_pct(ctx: MetricContext) -> dict:
    """Committee members part-time in every seat they held in the subtree during the year ÷
    committee members; a person with several seats counts once."""
    people = _committee_members(ctx)
    return metrics.ratio(sum(p.part_time for p in people), len(people))


@metrics.register_detail("committee.part_time_pct")
def committee_part_time_pct_detail(ctx: MetricContext) -> Detail:
    entries = [
        (
            p.part_time,
            Entry(
                name=p.name,
                path=p.path,
                cell=p.cell,
                note=gettext("part-time in every committee seat")
                if p.part_time
                else gettext("full-time in a committee seat"),
                url=reverse("organization:person", args=[p.person_id]),
            ),
        )
        for p in _committee_members(ctx)
    ]
    return Detail(counted=[e for part_time, e in entries if part_time], out_of=[e for _p, e in entries])
