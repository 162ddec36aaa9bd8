"""REST API of the year's work programme (issue 8): the pages' selectors and services, the same scopes.

The inspection and supervision programmes and their items are seen as on the pages
(selectors.items_visible): whoever sees the organisation whose programme it is, and the cell an item
concerns or that carries out one of its remedial actions (a cell's secretary reads their cell's
items, and only their cell's remedial actions). Whoever runs the programme (selectors.can_run: the
inspection commission, the office) starts, cancels and concludes its items. The chi ủy of the cell
carrying out a remedial action (or the office above it) reports it done (selectors.can_report).
Action plans are read with their tasks and the cells' notes (selectors.plans_in); the register of
regulation reviews per cell (selectors.regulation_register). Outside one's scope: 404."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import access, periods
from dangvu.core.access import Scope
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors

from . import selectors, services
from .api_schemas import (
    ActionDoneIn,
    ActionOut,
    CellRegulationsOut,
    ConcludeIn,
    ItemFilters,
    ItemOut,
    MoveIn,
    PlanOut,
    ProgrammeOut,
    ReviewFilters,
    YearFilter,
)
from .models import Item

router = Router(tags=["programme"])


@router.get("/organizations/{code}/programmes", response={200: list[ProgrammeOut], 404: ErrorOut})
@paginate(Pages)
def programme_list(request, code: str, filters: Query[YearFilter]):
    """The programmes of the organisation and of those under it, latest year first; `year` keeps
    that year's."""
    organization = org_selectors.organization_get(request.scope, code)
    programmes = selectors.programmes_in(request.scope, organization)
    if filters.year is not None:
        programmes = programmes.filter(year=filters.year)
    return programmes


def _with_actions(items: QuerySet[Item], scope: Scope) -> QuerySet[Item]:
    """The items with the remedial actions the caller sees, soonest due first: one more query."""
    seen = selectors.actions_visible(scope).order_by("due_on", "pk")
    return items.prefetch_related(Prefetch("actions", queryset=seen, to_attr="actions_seen"))


@router.get("/organizations/{code}/programme-items", response={200: list[ItemOut], 404: ErrorOut})
@paginate(Pages)
def item_list(request, code: str, filters: Query[ItemFilters]):
    """The items of the year (this year when left out) on the organisation's page: those of the
    programmes of the organisation and under it, and those of programmes above that concern it; by
    programme, then period. `state` and `kind` narrow them."""
    organization = org_selectors.organization_get(request.scope, code)
    year = filters.year or periods.today().year
    items = selectors.items_in(
        request.scope, organization, year, state=filters.state or "", kind=filters.kind or ""
    )
    return _with_actions(items, request.scope)


@router.get("/programme-items/{item_id}", response={200: ItemOut, 404: ErrorOut})
def item_read(request, item_id: int):
    """An item with its conclusion and the remedial actions the caller sees."""
    items = _with_actions(selectors.items_visible(request.scope), request.scope)
    return access.get_for_user_or_404(items, access.SYSTEM_SCOPE, pk=item_id)


@router.post("/programme-items/{item_id}/move", response={200: ItemOut, **ERRORS})
def item_move(request, item_id: int, payload: MoveIn):
    """Start an item, cancel it with a reason, or put a cancelled one back (services.item_move):
    whoever runs the programme."""
    item = selectors.item_run(request.scope, item_id)
    try:
        services.item_move(
            actor=request.user,
            item=item,
            to=payload.to,
            expected_version=payload.version,
            reason=payload.reason,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return item_read(request, item_id)


@router.post("/programme-items/{item_id}/conclude", response={200: ItemOut, **ERRORS})
def item_conclude(request, item_id: int, payload: ConcludeIn):
    """Conclude an item with its result, the discipline decided if any (written on the member's
    record) and the remedial actions asked, all or nothing (services.item_conclude): whoever runs
    the programme."""
    item = selectors.item_run(request.scope, item_id)
    codes = {a.owner_code for a in payload.actions}
    owners = {o.code: o for o in org_selectors.organizations_visible(request.scope).filter(code__in=codes)}
    if codes - set(owners):
        unknown = ", ".join(sorted(codes - set(owners)))
        return Status(422, {"detail": _("No organisation has the code: %(codes)s.") % {"codes": unknown}})
    actions = [services.Action(a.action, owners[a.owner_code], a.due_on) for a in payload.actions]
    try:
        services.item_conclude(
            actor=request.user,
            item=item,
            expected_version=payload.version,
            concluded_on=payload.concluded_on,
            conclusion=payload.conclusion,
            result=payload.result,
            discipline_form=payload.discipline_form or "",
            actions=actions,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return item_read(request, item_id)


@router.post("/remedial-actions/{action_id}/done", response={200: ActionOut, **ERRORS})
def action_done(request, action_id: int, payload: ActionDoneIn):
    """A cell reports a remedial action done, with what it did (services.action_done): the chi ủy
    of the cell carrying it out, or the office above it. `version` is the action's, as read."""
    action = selectors.action_get(request.scope, action_id)
    if not selectors.can_report(request.scope, action):
        raise Http404
    try:
        services.action_done(
            actor=request.user,
            action=action,
            expected_version=payload.version,
            done_on=payload.done_on,
            report=payload.report,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return selectors.action_get(request.scope, action_id)


# -------------------------------------------------------------------------------- action plans


@router.get("/organizations/{code}/action-plans", response={200: list[PlanOut], 404: ErrorOut})
@paginate(Pages)
def plan_list(request, code: str, filters: Query[YearFilter]):
    """The plans of the organisation and under it, and those above that give one of its cells a
    task; latest adopted first; `year` keeps those adopted in the year. Each with its tasks (a
    cell's secretary reads those given to their cell, and their cell's notes)."""
    organization = org_selectors.organization_get(request.scope, code)
    plans = selectors.plans_in(request.scope, organization)
    if filters.year is not None:
        plans = plans.filter(adopted_on__year=filters.year)
    return plans.prefetch_related(Prefetch("tasks", queryset=selectors.tasks_with_notes()))


# -------------------------------------------------------------------------- regulation reviews


@router.get(
    "/organizations/{code}/regulation-reviews", response={200: list[CellRegulationsOut], 404: ErrorOut}
)
@paginate(Pages)
def regulation_list(request, code: str, filters: Query[ReviewFilters]):
    """The cells of the subtree active in the year (this year when left out), by code, each with
    its reviews of the year and whether its working regulations were reviewed (as
    regulations.cells_reviewed_pct counts it); `reviewed=false` keeps the cells still to do it."""
    organization = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    register = selectors.regulation_register(
        request.scope, organization, filters.year or today.year, as_of=today
    )
    if filters.reviewed is None:
        return register.rows
    return [row for row in register.rows if row.reviewed == filters.reviewed]
