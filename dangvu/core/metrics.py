"""The metric registry: one place where the figures of shared/spec/metrics.md are defined and computed.

Each metric is a function of (organisation subtree, year, as-of date) registered under its contract
key by the app that owns the data. A key with no function yet is simply absent from the output: a
figure is never faked. Percentages are exact decimals rounded half-up to one place (metrics.md,
"Settled readings").
"""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps
from typing import Any

from .periods import Year, today

COUNT = "count"
RATIO = "ratio"

# Every key of the contract, in its order. Apps register functions for the keys they can compute.
CATALOGUE: tuple[str, ...] = (
    "members.total",
    "members.probationary",
    "members.exempt",
    "members.admitted",
    "members.recognised_official",
    "cells.total",
    "study.documents",
    "study.members_studied_pct",
    "regulations.cells_reviewed_pct",
    "inspection.planned",
    "inspection.completed",
    "inspection.completed_pct",
    "inspection.cells_inspected",
    "development.pool",
    "development.admitted_from_pool",
    "training.committee_members_trained_pct",
    "committee.part_time_pct",
    *(f"classification.cells.{b}" for b in ("excellent", "good", "completed", "not_completed", "unrated")),
    "classification.cells.good_pct",
    "classification.cells.good_or_above_pct",
    "classification.cells.completed_or_above_pct",
    *(
        f"classification.members.{b}"
        for b in ("excellent", "good", "completed", "not_completed", "not_reviewed")
    ),
    "classification.members.good_pct",
    "classification.members.good_or_above_pct",
    "classification.members.completed_or_above_pct",
    "reports.required",
    "reports.on_time_pct",
    "reports.missing",
    "meetings.cell_meetings_held_pct",
    "meetings.conference_attendance_pct",
    "badges.awarded",
    "badges.reward_total_vnd",
    "badges.due_next_year",
    "badges.due_next_year_without_amount",
    "badges.reward_forecast_next_year_vnd",
    "commendations.collective",
    "commendations.individual",
)


@dataclass(frozen=True)
class MetricContext:
    """What every metric is computed over: a subtree (its root's path), a year and an as-of date."""

    root_path: str
    year: Year
    as_of: date

    @classmethod
    def of(
        cls, root_path: str, year: int, as_of: date | None = None, on: date | None = None
    ) -> "MetricContext":
        """The context of `year` as of `as_of`, else the year's default day: its last, or `on` (today)
        for the current year."""
        the_year = Year(year)
        return cls(root_path=root_path, year=the_year, as_of=as_of or the_year.default_as_of(on or today()))

    @property
    def last_day(self) -> date:
        """Facts dated after the as-of date are not seen; nor are those after the year."""
        return min(self.as_of, self.year.end)


@dataclass(frozen=True)
class Metric:
    key: str
    kind: str
    label: str
    compute: Callable[[MetricContext], dict[str, Any]]


_registry: dict[str, Metric] = {}


def register(key: str, *, kind: str, label: str):
    """Decorator: register the function computing contract key `key`."""
    if key not in CATALOGUE:
        raise ValueError(f"{key!r} is not a key of the metric contract")

    def decorator(func: Callable[[MetricContext], dict[str, Any]]):
        _registry[key] = Metric(key=key, kind=kind, label=label, compute=func)
        return func

    return decorator


@dataclass(frozen=True)
class Entry:
    """One thing behind a figure (issue 11 "each figure explains itself"): a member, a cell, or what
    the figure counts (a report due from a cell, a document, an award)."""

    name: str  # the member's full name, the cell's name, the document's title
    path: str  # the organisation path that decides who may see it (the member's or the cell's cell)
    kind: str = "member"  # "member", "cell" or "other"
    cell: str = ""  # the cell's name, for what is not the cell itself
    note: str = ""  # why it counts, in the user's language: "rated good", "received 12/03/2024"
    url: str = ""  # its page, when it has one
    amount: int | None = None  # for the money figures: what this entry adds


@dataclass(frozen=True)
class Detail:
    """What a figure is made of: a count's entries (a ratio's numerator) and, for a ratio, the whole
    it is out of (the numerator's entries included). len(counted) is the count, except for the
    money figures, whose value is the sum of the entries' amounts."""

    counted: list[Entry]
    out_of: list[Entry] | None = None


_details: dict[str, Callable[[MetricContext], Detail]] = {}


def register_detail(key: str):
    """Decorator: register the function listing what contract key `key` counts, computed from the
    same querysets as the figure, in a bounded number of queries."""
    if key not in CATALOGUE:
        raise ValueError(f"{key!r} is not a key of the metric contract")

    def decorator(func: Callable[[MetricContext], Detail]):
        _details[key] = func
        return func

    return decorator


def detail(key: str, ctx: MetricContext) -> Detail | None:
    """What the figure `key` is made of in the context, or None when the key lists nothing."""
    found = _details.get(key)
    return found(ctx) if found else None


def get(key: str) -> Metric | None:
    return _registry.get(key)


# The app that keeps targets gives annual_document its "targets" (organisation, year, the metrics
# computed) -> list; none registered: an empty list.
_targets_source: Callable[[Any, int, dict[str, dict[str, Any]]], list[dict[str, Any]]] | None = None


def register_targets(source: Callable[[Any, int, dict[str, dict[str, Any]]], list[dict[str, Any]]]) -> None:
    global _targets_source
    _targets_source = source


def implemented() -> list[Metric]:
    return [_registry[k] for k in CATALOGUE if k in _registry]


def compute_all(ctx: MetricContext) -> dict[str, dict[str, Any]]:
    """Every implemented metric for the context, in contract order."""
    return {m.key: m.compute(ctx) for m in implemented()}


_memo: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def once_per_context(func: Callable[[MetricContext], Any]) -> Callable[[MetricContext], Any]:
    """Compute `func` once per context object: the keys of one annual document (or one page) share
    it. Keyed on the object, not its value (a context is a frozen dataclass, equal to any other of
    the same day): held only while that context lives, so a later request reads afresh."""

    @wraps(func)
    def wrapper(ctx: MetricContext):
        key = (id(ctx), f"{func.__module__}.{func.__qualname__}")
        found = _memo.get(key)
        if found is not None and found[0]() is ctx:
            return found[1]
        value = func(ctx)
        _memo[key] = (weakref.ref(ctx, lambda _ref: _memo.pop(key, None)), value)
        return value

    return wrapper


def count(value: int) -> dict[str, Any]:
    return {"value": int(value)}


def ratio(numerator: int, denominator: int) -> dict[str, Any]:
    """{numerator, denominator, value}: 100·a/b rounded half-up to one decimal, null when b = 0."""
    if denominator == 0:
        return {"numerator": numerator, "denominator": 0, "value": None}
    exact = Decimal(100 * numerator) / Decimal(denominator)
    value = float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return {"numerator": numerator, "denominator": denominator, "value": value}


def percent(numerator: int, denominator: int) -> int | None:
    """100·a/b rounded half-up to a whole number (exact decimals, as `ratio` does), None when b = 0:
    the whole percentages pages and panels show."""
    if denominator == 0:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def annual_document(*, organization: Any, year: int, as_of: date | None, on: date) -> dict[str, Any]:
    """The annual figures document of the contract for an organisation (anything with code, name,
    path)."""
    ctx = MetricContext.of(organization.path, year, as_of, on)
    as_of = ctx.as_of
    figures = compute_all(ctx)
    return {
        "organization": {"code": organization.code, "name": organization.name},
        "year": year,
        "as_of": as_of.isoformat(),
        "metrics": figures,
        "targets": _targets_source(organization, year, figures) if _targets_source else [],
    }
