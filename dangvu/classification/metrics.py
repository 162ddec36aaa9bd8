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

The registry computes each key on its own; the figures of one context are read once (`_once`):
four queries for every key of this app (one more per extra campaign), whatever the subtree's size.
"""

import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.organization.metrics import cells_active_in_year

from .choices import Level, Stage
from .models import Campaign, CellRating, MemberRating
from .selectors import roster_rows

# ------------------------------------------------------------------------------------ the figures

_memo: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def _once(func: Callable[[MetricContext], object]) -> Callable[[MetricContext], object]:
    """Compute `func` once per context object: the keys of one annual document (or one page) share
    it. Held only while that context lives, so a later request, with a new context, reads afresh."""

    @wraps(func)
    def wrapper(ctx: MetricContext):
        key = (id(ctx), func.__name__)
        found = _memo.get(key)
        if found is not None and found[0]() is ctx:
            return found[1]
        value = func(ctx)
        _memo[key] = (weakref.ref(ctx, lambda _ref: _memo.pop(key, None)), value)
        return value

    return wrapper


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


@_once
def member_figures(ctx: MetricContext) -> Figures:
    rated = dict(
        _final(MemberRating, ctx)
        .filter(member__deleted_at__isnull=True)
        .values_list("member_id", "decided_level")
    )
    excluded: set[int] = set()
    for campaign in _campaigns_covering(ctx):
        path = max(campaign.organization.path, ctx.root_path, key=len)  # the deeper of the two
        excluded |= _excluded(campaign, path) - rated.keys()
    return Figures(Counter(rated.values()), len(excluded))


def _excluded(campaign: Campaign, path: str) -> set[int]:
    """The members under `path` the campaign does not review (selectors.roster's reading)."""
    return {pk for pk, _cell, reason in roster_rows(campaign, path) if reason is not None}


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


@_once
def cell_figures(ctx: MetricContext) -> Figures:
    final = _final(CellRating, ctx).filter(cell=OuterRef("pk")).values("decided_level")[:1]
    levels = Counter(
        cells_active_in_year(ctx).annotate(level=Subquery(final)).values_list("level", flat=True)
    )
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
