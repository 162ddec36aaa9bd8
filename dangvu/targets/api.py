"""REST API of targets and the dashboard (issue 11): the pages' selectors and services, the same scopes.

The targets of an organisation and year, evaluated against the year's figures; the figures of past
years the office entered; the year's figures with last year's beside each (the dashboard's data); and
what a figure is made of (the drill-down), without the entries the caller may not see. Whoever sees
the organisation reads; its office (selectors.can_set) writes, through services.py. Outside one's
scope, or a write without the right: 404."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import access, metrics, periods
from dangvu.core.access import VIEW, Scope
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import selectors, services
from .api_schemas import (
    CopyIn,
    DetailOut,
    EnteredIn,
    EnteredOut,
    FiguresFilter,
    FiguresOut,
    TargetIn,
    TargetOut,
    TargetPatch,
    YearFilter,
)
from .models import EnteredFigure, Target

router = Router(tags=["targets"])


# ----------------------------------------------------------------------------------- figures


def _check_as_of(year: int, as_of: date | None) -> None:
    """A 422 (raised: the lists are paged) for figures asked before their year began."""
    if as_of is not None and as_of.year < year:
        raise HttpError(422, _("The as-of date is before the year."))


def _label(key: str) -> str:
    metric = metrics.get(key)
    return str(metric.label) if metric else key


# ----------------------------------------------------------------------------------- targets


def _target_out(target: Target, figures: dict[str, selectors.Figure]) -> dict:
    """A target as selectors.evaluated reads it (the annual document's shape), with its record."""
    plain = {key: {"value": f.value} for key, f in figures.items()}
    figure = figures.get(target.metric) if target.metric else None
    return {
        **selectors.evaluated(target, plain),
        "id": target.pk,
        "year": target.year,
        "position": target.position,
        "label": _label(target.metric) if target.metric else "",
        "text": target.text,
        "note": target.note,
        "entered": bool(figure and figure.entered),
        "version": target.version,
    }


def _target_get(scope: Scope, target_id: int) -> Target:
    return access.get_for_user_or_404(
        Target.objects.select_related("organization"), scope, VIEW, pk=target_id
    )


def _settable(scope: Scope, organization: Organization) -> None:
    """Whoever only reads gets the same 404 as for what does not exist."""
    if not selectors.can_set(scope, organization):
        raise Http404


def _keys(targets) -> set[str]:
    """The figures the targets are judged against: only those are computed."""
    return {t.metric for t in targets if t.metric}


def _read_target(target_id: int, scope: Scope) -> dict:
    target = _target_get(scope, target_id)
    ctx = metrics.MetricContext.of(target.organization.path, target.year)
    return _target_out(target, selectors.figures_at(target.organization, ctx, _keys([target])))


@router.get("/organizations/{code}/targets", response={200: list[TargetOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pages)
def target_list(request, code: str, filters: Query[FiguresFilter]):
    """The organisation's targets of the year in the office's order, each with the year's figure as
    of `as_of` (an entered figure for a past year before the installation) and whether it is met."""
    organization = org_selectors.organization_get(request.scope, code)
    _check_as_of(filters.year, filters.as_of)
    targets = selectors.targets_of(organization, filters.year)
    ctx = metrics.MetricContext.of(organization.path, filters.year, filters.as_of)
    # every figure, once: the cost of a page does not grow with the number of figures targeted
    figures = selectors.figures_at(organization, ctx)
    return [_target_out(t, figures) for t in targets]


@router.get("/targets/{target_id}", response={200: TargetOut, 404: ErrorOut})
def target_read(request, target_id: int):
    return _read_target(target_id, request.scope)


@router.post("/organizations/{code}/targets", response={201: TargetOut, **ERRORS})
def target_create(request, code: str, payload: TargetIn):
    """A target of the year (services.target_add): the office of the organisation."""
    organization = org_selectors.organization_get(request.scope, code)
    _settable(request.scope, organization)
    try:
        target = services.target_add(actor=request.user, organization=organization, **payload.dict())
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _read_target(target.pk, request.scope))


@router.patch("/targets/{target_id}", response={200: TargetOut, **ERRORS})
def target_patch(request, target_id: int, payload: TargetPatch):
    """Correct a target (services.target_update); `version` is the target's, as read."""
    target = _target_get(request.scope, target_id)
    _settable(request.scope, target.organization)
    fields = {"metric": target.metric, "op": target.op, "value": target.value, "text": target.text}
    fields |= {"note": target.note} | payload.dict(exclude_unset=True, exclude={"version"})
    fields = {key: ("" if value is None and key != "value" else value) for key, value in fields.items()}
    try:
        services.target_update(actor=request.user, target=target, expected_version=payload.version, **fields)
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _read_target(target_id, request.scope)


@router.delete("/targets/{target_id}", response={204: None, **ERRORS})
def target_remove(request, target_id: int, version: int):
    """Take a target out of the year (kept, marked deleted)."""
    target = _target_get(request.scope, target_id)
    _settable(request.scope, target.organization)
    try:
        services.target_delete(actor=request.user, target=target, expected_version=version)
    except StaleVersionError as exc:
        return refused(exc)
    return Status(204, None)


@router.post("/organizations/{code}/targets/copy", response={201: list[TargetOut], **ERRORS})
def target_copy(request, code: str, payload: CopyIn):
    """Copy a year's targets to another (services.targets_copy); those the other year has already
    are skipped. Answers the new ones, evaluated against the other year's figures."""
    organization = org_selectors.organization_get(request.scope, code)
    _settable(request.scope, organization)
    try:
        made = services.targets_copy(actor=request.user, organization=organization, **payload.dict())
    except ValidationError as exc:
        return refused(exc)
    ctx = metrics.MetricContext.of(organization.path, payload.to_year)
    figures = selectors.figures_at(organization, ctx, _keys(made))
    return Status(201, [_target_out(t, figures) for t in made])


# --------------------------------------------------------------------------- entered figures


def _entered_out(row: EnteredFigure) -> dict:
    metric = metrics.get(row.metric)
    kind = metric.kind if metric else metrics.RATIO if row.denominator else metrics.COUNT
    return {
        "id": row.pk,
        "year": row.year,
        "metric": row.metric,
        "label": _label(row.metric),
        "kind": kind,
        "value": selectors.entered(row, kind).value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "note": row.note,
        "version": row.version,
    }


@router.get("/organizations/{code}/entered-figures", response={200: list[EnteredOut], 404: ErrorOut})
@paginate(Pages)
def entered_list(request, code: str, filters: Query[YearFilter]):
    """The figures of the year the office typed for the organisation (a year before the
    installation), by key."""
    organization = org_selectors.organization_get(request.scope, code)
    return [_entered_out(row) for row in selectors.entered_of(organization, filters.year)]


@router.put(
    "/organizations/{code}/entered-figures/{year}/{metric}",
    response={200: EnteredOut, 201: EnteredOut, **ERRORS},
)
def entered_put(request, code: str, year: int, metric: str, payload: EnteredIn):
    """Enter a past year's figure (services.figure_enter); entering it again corrects it, with the
    `version` read. 201 when new, 200 when corrected."""
    organization = org_selectors.organization_get(request.scope, code)
    _settable(request.scope, organization)
    data = payload.dict(exclude={"version"})
    try:
        row = services.figure_enter(
            actor=request.user,
            organization=organization,
            year=year,
            metric=metric,
            expected_version=payload.version,
            **data,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return Status(201 if row.version == 1 else 200, _entered_out(row))


@router.delete("/entered-figures/{figure_id}", response={204: None, **ERRORS})
def entered_remove(request, figure_id: int, version: int):
    """Take an entered figure out (kept, marked deleted): the computed one shows again."""
    row = access.get_for_user_or_404(
        EnteredFigure.objects.select_related("organization"), request.scope, VIEW, pk=figure_id
    )
    _settable(request.scope, row.organization)
    try:
        services.figure_delete(actor=request.user, figure=row, expected_version=version)
    except StaleVersionError as exc:
        return refused(exc)
    return Status(204, None)


# ------------------------------------------------------------------- the dashboard's figures


def _figure_fields(key: str, figure: selectors.Figure) -> dict:
    metric = metrics.get(key)
    return {
        "metric": key,
        "label": _label(key),
        "kind": metric.kind if metric else metrics.COUNT,
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "entered": figure.entered,
    }


def _head(organization: Organization, ctx: metrics.MetricContext) -> dict:
    return {
        "organization": {"code": organization.code, "name": organization.name},
        "year": ctx.year.number,
        "as_of": ctx.as_of,
    }


@router.get("/organizations/{code}/figures", response={200: FiguresOut, 404: ErrorOut, 422: ErrorOut})
def figure_list(request, code: str, filters: Query[FiguresFilter]):
    """Every figure of the year for the organisation's subtree as of `as_of`, each with the same
    figure of the year before (computed, or entered by the office): the dashboard's data."""
    organization = org_selectors.organization_get(request.scope, code)
    _check_as_of(filters.year, filters.as_of)
    ctx = metrics.MetricContext.of(organization.path, filters.year, filters.as_of)
    before = selectors.figures_of_year(organization, filters.year - 1, periods.today())
    rows = []
    for key, figure in selectors.figures_at(organization, ctx).items():
        last = before.get(key)
        previous = None
        if last is not None:
            previous = {
                "value": last.value,
                "numerator": last.numerator,
                "denominator": last.denominator,
                "entered": last.entered,
            }
        rows.append({**_figure_fields(key, figure), "note": figure.note, "previous": previous})
    return {**_head(organization, ctx), "figures": rows}


def _entries(scope: Scope, entries: list[metrics.Entry] | None) -> list[dict] | None:
    """The entries the caller may see (an entry's path decides: a member who moved, a cell)."""
    if entries is None:
        return None
    return [
        {"name": e.name, "kind": e.kind, "cell": e.cell, "note": e.note, "url": e.url, "amount": e.amount}
        for e in entries
        if scope.covers(e.path, VIEW)
    ]


@router.get("/organizations/{code}/figures/{key}", response={200: DetailOut, 404: ErrorOut, 422: ErrorOut})
def figure_detail(request, code: str, key: str, filters: Query[FiguresFilter]):
    """What the figure `key` is made of (core.metrics.detail): `counted` (a count's entries, a
    ratio's numerator) and, for a ratio, `out_of`. Null when the figure lists nothing, or when the
    office entered it (nothing behind a typed figure)."""
    organization = org_selectors.organization_get(request.scope, code)
    metric = metrics.get(key)
    if metric is None:
        raise Http404
    _check_as_of(filters.year, filters.as_of)
    ctx = metrics.MetricContext.of(organization.path, filters.year, filters.as_of)
    figure, found = selectors.figure_made_of(organization, ctx, key)
    return {
        **_head(organization, ctx),
        **_figure_fields(key, figure),
        "counted": _entries(request.scope, found.counted) if found else None,
        "out_of": _entries(request.scope, found.out_of) if found else None,
    }
