"""This app's keys of the metric contract (shared/spec/metrics.md, "Classification"), with its
settled readings:

- a final rating is one decided on or before the as-of date, in a campaign of the year;
- the members rated are every final rating of the year recorded by a cell of the subtree
  (`MemberRating.cell`), members who have left since included; a member neither rated nor excluded
  from review is in no bucket;
- `not_reviewed` counts the members excluded from review (exempt, suspended, admitted less than
  6 months before), judged on each campaign's review date, for the campaigns of the year covering
  the subtree (one at the root or above it, or those under it) that had started by the as-of date;
- cells: the final rating of each cell active on at least one day of the year; `unrated`: those
  with none (a cell dissolved without a rating included).

The registry computes each key on its own; the figures of one context are read once
(`core.metrics.once_per_context`): four queries for every key of this app (one more per extra
campaign), whatever the subtree's size.
Each key's detail (the members or cells behind it) is built from the same rows, with two more
queries for the names of the members not reviewed.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.core.vietnamese import name_sort_key
from dangvu.members.metrics import member_url
from dangvu.members.models import Member
from dangvu.organization.metrics import cell_entry, cells_active_in_year
from dangvu.organization.models import Organization

from .choices import Exclusion, Level, Stage
from .models import Campaign, CellRating, MemberRating
from .selectors import roster_rows

# ------------------------------------------------------------------------------------ the figures


def _final(model, ctx: MetricContext):
    """Ratings of the year decided on or before the as-of date, recorded by the subtree's cells."""
    return model.objects.filter(
        campaign__year=ctx.year.number,
        campaign__deleted_at__isnull=True,
        cell__path__startswith=ctx.root_path,
        stage=Stage.DECIDED,
        decided_on__lte=ctx.as_of,
    )


@dataclass(frozen=True)
class Figures:
    levels: Counter  # final levels
    other: int  # members not reviewed, or cells unrated

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    def at_least(self, *levels: str) -> int:
        return sum(self.levels[level] for level in levels)


@dataclass(frozen=True)
class Row:
    """One member or cell behind the classification figures, as plain values."""

    pk: int
    name: str
    cell: str  # the cell's name: the one that recorded a member's rating, or the cell itself
    path: str  # that cell's path
    code: str  # that cell's code, for its page
    level: str | None  # the final level; None: not reviewed, or unrated
    decided_on: date | None = None
    reason: str = ""  # why a member is not reviewed (an Exclusion)


@dataclass(frozen=True)
class MemberRows:
    rated: dict[int, Row]  # member id -> their final rating of the year
    excluded: dict[int, tuple[int, str]]  # member id -> (cell id, exclusion), neither rated


@metrics.once_per_context
def member_rows(ctx: MetricContext) -> MemberRows:
    """The members behind every member key: one query for the ratings, one for the campaigns and one
    per campaign for the roster."""
    found = (
        _final(MemberRating, ctx)
        .filter(member__deleted_at__isnull=True)
        .order_by("decided_on", "pk")
        .values_list(
            "member_id",
            "member__person__full_name",
            "cell__name",
            "cell__path",
            "cell__code",
            "decided_level",
            "decided_on",
        )
    )
    # A member rated twice in the year (moved between two campaigns) counts once: the latest decision.
    rated = {pk: Row(pk, *rest) for pk, *rest in found}
    excluded: dict[int, tuple[int, str]] = {}
    for campaign in _campaigns_covering(ctx):
        path = max(campaign.organization.path, ctx.root_path, key=len)  # the deeper of the two
        for pk, cell_id, reason in roster_rows(campaign, path):
            if reason is not None and pk not in rated:
                excluded.setdefault(pk, (cell_id, reason))
    return MemberRows(rated, excluded)


def member_figures(ctx: MetricContext) -> Figures:
    rows = member_rows(ctx)
    return Figures(Counter(row.level for row in rows.rated.values()), len(rows.excluded))


def _campaigns_covering(ctx: MetricContext) -> list[Campaign]:
    """The year's campaigns at or above the root, or under it, started by the as-of date."""
    segments = ctx.root_path.strip("/").split("/")
    above = ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]
    return list(
        Campaign.objects.filter(
            Q(organization__path__in=above) | Q(organization__path__startswith=ctx.root_path),
            year=ctx.year.number,
            start__lte=ctx.as_of,
        ).select_related("organization")
    )


@metrics.once_per_context
def cell_rows(ctx: MetricContext) -> list[Row]:
    """Every cell active in the year with its final rating (None: unrated), by code. One query."""
    final = _final(CellRating, ctx).filter(cell=OuterRef("pk"))
    found = cells_active_in_year(ctx).annotate(
        level=Subquery(final.values("decided_level")[:1]),
        decided=Subquery(final.values("decided_on")[:1]),
    )
    return [
        Row(pk, name, name, path, code, level, decided)
        for pk, name, path, code, level, decided in found.values_list(
            "pk", "name", "path", "code", "level", "decided"
        )
    ]


def cell_figures(ctx: MetricContext) -> Figures:
    levels = Counter(row.level for row in cell_rows(ctx))
    unrated = levels.pop(None, 0)
    return Figures(levels, unrated)


# ------------------------------------------------------------------------------------ the keys

BUCKETS = (
    (Level.EXCELLENT, "excellent"),
    (Level.GOOD, "good"),
    (Level.COMPLETED, "completed"),
    (Level.NOT_COMPLETED, "not_completed"),
)
LABELS = {
    ("cells", Level.EXCELLENT): _("Cells rated excellent"),
    ("cells", Level.GOOD): _("Cells rated good"),
    ("cells", Level.COMPLETED): _("Cells rated completed"),
    ("cells", Level.NOT_COMPLETED): _("Cells rated not completed"),
    ("members", Level.EXCELLENT): _("Members rated excellent"),
    ("members", Level.GOOD): _("Members rated good"),
    ("members", Level.COMPLETED): _("Members rated completed"),
    ("members", Level.NOT_COMPLETED): _("Members rated not completed"),
}
# The ratios over those rated: key suffix, levels counted.
RATIOS = (
    ("good_pct", (Level.GOOD,)),
    ("good_or_above_pct", (Level.EXCELLENT, Level.GOOD)),
    ("completed_or_above_pct", (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)),
)
RATIO_LABELS = {
    ("cells", "good_pct"): _("Share of cells rated good"),
    ("cells", "good_or_above_pct"): _("Share of cells rated good or above"),
    ("cells", "completed_or_above_pct"): _("Share of cells rated completed or above"),
    ("members", "good_pct"): _("Share of members rated good"),
    ("members", "good_or_above_pct"): _("Share of members rated good or above"),
    ("members", "completed_or_above_pct"): _("Share of members rated completed or above"),
}


def _register_level(subject: str, figures: Callable, level: str, suffix: str) -> None:
    def compute(ctx: MetricContext) -> dict:
        return metrics.count(figures(ctx).levels[level])

    metrics.register(f"classification.{subject}.{suffix}", kind=metrics.COUNT, label=LABELS[subject, level])(
        compute
    )


def _register_ratio(subject: str, figures: Callable, suffix: str, levels: tuple[str, ...]) -> None:
    def compute(ctx: MetricContext) -> dict:
        found = figures(ctx)
        return metrics.ratio(found.at_least(*levels), found.rated)

    metrics.register(
        f"classification.{subject}.{suffix}", kind=metrics.RATIO, label=RATIO_LABELS[subject, suffix]
    )(compute)


for _subject, _figures in (("cells", cell_figures), ("members", member_figures)):
    for _level, _suffix in BUCKETS:
        _register_level(_subject, _figures, _level, _suffix)
    for _suffix, _levels in RATIOS:
        _register_ratio(_subject, _figures, _suffix, _levels)


@metrics.register("classification.cells.unrated", kind=metrics.COUNT, label=_("Cells without a rating"))
def cells_unrated(ctx: MetricContext) -> dict:
    """Cells active on at least one day of the year with no final rating."""
    return metrics.count(cell_figures(ctx).other)


@metrics.register("classification.members.not_reviewed", kind=metrics.COUNT, label=_("Members not reviewed"))
def members_not_reviewed(ctx: MetricContext) -> dict:
    """Members excluded from review by the rules (exempt, suspended, admitted < 6 months), judged on
    the campaign's review date; a member with a final rating is counted there, not here."""
    return metrics.count(member_figures(ctx).other)


# ------------------------------------------------------------------------- what each figure counts


def _rating_note(row: Row) -> str:
    return gettext("Final rating: %(level)s, decided on %(date)s") % {
        "level": Level(row.level).label,
        "date": row.decided_on.strftime("%d/%m/%Y") if row.decided_on else "",
    }


def _member_entry(row: Row, note: str) -> Entry:
    return Entry(
        name=row.name,
        path=row.path,
        kind="member",
        cell=row.cell,
        note=note,
        url=member_url(row.pk),
    )


def _cell_entry(row: Row) -> Entry:
    note = _rating_note(row) if row.level is not None else gettext("No final rating for the year")
    return cell_entry(row.name, row.path, row.code, note)


def _rated_members(ctx: MetricContext) -> list[Row]:
    """The members rated, by cell code and name."""
    rows = member_rows(ctx).rated.values()
    return sorted(rows, key=lambda row: (row.code, name_sort_key(row.name)))


def _not_reviewed_members(ctx: MetricContext) -> list[Row]:
    """The members not reviewed, with their names and cells: two queries, whatever their number."""
    excluded = member_rows(ctx).excluded
    names = dict(Member.objects.filter(pk__in=list(excluded)).values_list("pk", "person__full_name"))
    cell_ids = {cell_id for cell_id, _reason in excluded.values()}
    cells = {
        c["pk"]: c for c in Organization.objects.filter(pk__in=cell_ids).values("pk", "name", "path", "code")
    }
    rows = []
    for pk, (cell_id, reason) in excluded.items():
        cell = cells.get(cell_id, {"name": "", "path": ctx.root_path, "code": ""})
        rows.append(Row(pk, names.get(pk, ""), cell["name"], cell["path"], cell["code"], None, reason=reason))
    return sorted(rows, key=lambda row: (row.code, name_sort_key(row.name)))


def _rated(ctx: MetricContext, subject: str) -> list[tuple[Row, Entry]]:
    """Those with a final rating of the year, each with its entry: the whole of every ratio."""
    if subject == "cells":
        return [(row, _cell_entry(row)) for row in cell_rows(ctx) if row.level is not None]
    return [(row, _member_entry(row, _rating_note(row))) for row in _rated_members(ctx)]


def _register_level_detail(subject: str, level: str, suffix: str) -> None:
    def detail(ctx: MetricContext) -> Detail:
        return Detail([entry for row, entry in _rated(ctx, subject) if row.level == level])

    metrics.register_detail(f"classification.{subject}.{suffix}")(detail)


def _register_ratio_detail(subject: str, suffix: str, levels: tuple[str, ...]) -> None:
    def detail(ctx: MetricContext) -> Detail:
        rated = _rated(ctx, subject)
        return Detail(
            [entry for row, entry in rated if row.level in levels], [entry for _row, entry in rated]
        )

    metrics.register_detail(f"classification.{subject}.{suffix}")(detail)


for _subject in ("cells", "members"):
    for _level, _suffix in BUCKETS:
        _register_level_detail(_subject, _level, _suffix)
    for _suffix, _levels in RATIOS:
        _register_ratio_detail(_subject, _suffix, _levels)


@metrics.register_detail("classification.cells.unrated")
def cells_unrated_detail(ctx: MetricContext) -> Detail:
    return Detail([_cell_entry(row) for row in cell_rows(ctx) if row.level is None])


@metrics.register_detail("classification.members.not_reviewed")
def members_not_reviewed_detail(ctx: MetricContext) -> Detail:
    """Each with the reason they are not reviewed."""
    return Detail(
        [_member_entry(row, str(Exclusion(row.reason).label)) for row in _not_reviewed_members(ctx)]
    )
