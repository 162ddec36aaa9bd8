"""Reads of targets (issue 11): the year's targets of an organisation evaluated against the figures,
in the shape of shared/spec/metrics.md, and the previous year's figures, computed or entered."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangvu.core import metrics
from dangvu.core.access import MANAGE, Scope
from dangvu.organization.models import Organization

from . import rules
from .models import EnteredFigure, Target


def can_set(scope: Scope, organization: Organization) -> bool:
    """The office of the organisation (or above) sets its targets and enters past figures."""
    return scope.covers(organization.path, MANAGE)


def targets_of(organization: Organization, year: int) -> list[Target]:
    return list(Target.objects.filter(organization=organization, year=year))


def evaluated(target: Target, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A target as the annual document lists it: a figure's with its actual value and whether it is
    met; a written one with its text and note and nulls (metrics.md "Written targets")."""
    if not target.metric:
        return {
            "metric": None,
            "text": target.text,
            "note": target.note,
            "op": None,
            "value": None,
            "actual": None,
            "met": None,
        }
    actual = figures.get(target.metric, {}).get("value")
    return {
        "metric": target.metric,
        "op": target.op,
        "value": rules.published(target.value),
        "actual": actual,
        "met": rules.met(target.op, target.value, actual),
    }


def targets_for_document(organization: Organization, year: int, figures: dict) -> list[dict[str, Any]]:
    """The "targets" of the annual figures document (core.metrics.annual_document): one query."""
    return [evaluated(target, figures) for target in targets_of(organization, year)]


@dataclass(frozen=True)
class Figure:
    """A figure of a year: computed from the data, or entered by the office (`entered`)."""

    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    entered: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The figure as the registry writes it (metrics.count / metrics.ratio)."""
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator}


def entered(row: EnteredFigure, kind: str) -> Figure:
    """An entered figure as the dashboard reads it (a count whole, a percentage with its decimal)."""
    value = int(row.value) if kind == metrics.COUNT else float(row.value)
    return Figure(
        value=value, numerator=row.numerator, denominator=row.denominator, entered=True, note=row.note
    )


def figures_at(
    organization: Organization, ctx: metrics.MetricContext, keys: set[str] | None = None
) -> dict[str, Figure]:
    """The figures of the context's year for the organisation's subtree as of its day (every one, or
    those of `keys`), the office's entered figures taking the place of the computed ones (a year
    before the installation has no data to compute from; figures are entered for past years only)."""
    found = {}
    for metric in metrics.implemented():
        if keys is None or metric.key in keys:
            f = metric.compute(ctx)
            found[metric.key] = Figure(f.get("value"), f.get("numerator"), f.get("denominator"))
    typed = EnteredFigure.objects.filter(organization=organization, year=ctx.year.number)
    if keys is not None:
        typed = typed.filter(metric__in=keys)
    for row in typed:
        metric = metrics.get(row.metric)
        if metric is not None:
            found[row.metric] = entered(row, metric.kind)
    return found


def figures_of_year(
    organization: Organization, year: int, on: date, keys: set[str] | None = None
) -> dict[str, Figure]:
    """figures_at the year's default as-of day (its last day; `on` for the current year)."""
    return figures_at(organization, metrics.MetricContext.of(organization.path, year, on=on), keys)


def figure_made_of(
    organization: Organization, ctx: metrics.MetricContext, key: str
) -> tuple[Figure, metrics.Detail | None]:
    """A figure (`key` of the registry) and what it is made of (core.metrics.detail): none for a
    figure the office entered, since nothing stands behind a typed number."""
    metric = metrics.get(key)
    typed = entered_figure(organization, ctx.year.number, key)
    if typed is not None:
        return entered(typed, metric.kind), None
    f = metric.compute(ctx)
    return Figure(f.get("value"), f.get("numerator"), f.get("denominator")), metrics.detail(key, ctx)


def entered_figure(organization: Organization, year: int, key: str) -> EnteredFigure | None:
    return EnteredFigure.objects.filter(organization=organization, year=year, metric=key).first()


def entered_of(organization: Organization, year: int) -> list[EnteredFigure]:
    return list(EnteredFigure.objects.filter(organization=organization, year=year))
