"""REST API of the organisation app: the same selectors and services as the pages, same scopes."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from dangvu.core import metrics, periods
from dangvu.core.access import MANAGE
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError

from . import selectors, services
from .choices import OrgKind, SeatRole

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    code: str
    name: str
    kind: OrgKind
    parent_code: str | None
    depth: int
    active_from: date | None
    active_to: date | None
    version: int

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class OrganizationPatch(Schema):
    """Only the fields sent are changed; null clears a date but is not a name."""

    version: int
    name: Annotated[str, Field(min_length=1, max_length=255)] = None  # type: ignore[assignment]
    active_from: date | None = None
    active_to: date | None = None


class SeatOut(Schema):
    id: int
    person_id: int
    person_name: str
    organization_code: str
    role: SeatRole
    term_start: date
    term_end: date | None
    part_time: bool
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_organization_code(obj) -> str:
        return obj.organization.code


class OrganizationIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    kind: OrgKind
    active_from: date | None = None
    active_to: date | None = None


class SeatIn(Schema):
    """A seat for a person whose record the organisation's subtree keeps (person_id), or for a
    new person (full_name)."""

    person_id: int | None = None
    full_name: Annotated[str, Field(min_length=1, max_length=150)] | None = None
    role: SeatRole
    term_start: date
    term_end: date | None = None
    part_time: StrictBool = True


class SeatPatch(Schema):
    """Only the fields sent are changed; null clears the end of the term and nothing else."""

    version: int
    role: SeatRole = None  # type: ignore[assignment]
    term_start: date = None  # type: ignore[assignment]
    term_end: date | None = None
    part_time: StrictBool = None  # type: ignore[assignment]


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Pages)
def organization_list(request):
    return selectors.organizations_visible(request.scope).select_related("parent").order_by("depth", "code")


@router.get("/organizations/{code}", response={200: OrganizationOut, 404: ErrorOut})
def organization_read(request, code: str):
    return selectors.organization_get(request.scope, code)


@router.patch("/organizations/{code}", response={200: OrganizationOut, **ERRORS})
def organization_patch(request, code: str, payload: OrganizationPatch):
    org = selectors.organization_get(request.scope, code, MANAGE)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    try:
        return services.organization_update(
            actor=request.user, organization=org, expected_version=payload.version, **changes
        )
    except (StaleVersionError, ValidationError) as exc:
        return refused(exc)


@router.post("/organizations/{code}/children", response={201: OrganizationOut, **ERRORS})
def organization_create(request, code: str, payload: OrganizationIn):
    """A new organisation under `code` (the office)."""
    parent = selectors.organization_get(request.scope, code, MANAGE)
    try:
        org = services.organization_create(actor=request.user, parent=parent, **payload.dict())
    except ValidationError as exc:
        return refused(exc)
    return Status(201, selectors.organization_get(request.scope, org.code))


@router.post("/organizations/{code}/seats", response={201: SeatOut, **ERRORS})
def seat_create(request, code: str, payload: SeatIn):
    org = selectors.organization_get(request.scope, code, MANAGE)
    seat = payload.dict(exclude={"person_id", "full_name"})
    try:
        if payload.person_id is not None:
            person = selectors.people_in(request.scope, org).filter(pk=payload.person_id).first()
            if person is None:
                return Status(404, {"detail": "Not Found"})
            created = services.seat_create(actor=request.user, person=person, organization=org, **seat)
        elif payload.full_name:
            created = services.seat_create_for_new_person(
                actor=request.user, organization=org, full_name=payload.full_name, **seat
            )
        else:
            return Status(422, {"detail": "person_id or full_name is required"})
    except ValidationError as exc:
        return refused(exc)
    return Status(201, created)


@router.get("/organizations/{code}/seats", response={200: list[SeatOut], 404: ErrorOut})
def seat_list(request, code: str):
    org = selectors.organization_get(request.scope, code)
    return selectors.seats_of(org, on=periods.today(), current_only=False)


@router.patch("/seats/{seat_id}", response={200: SeatOut, **ERRORS})
def seat_patch(request, seat_id: int, payload: SeatPatch):
    seat = selectors.seat_get(request.scope, seat_id, MANAGE)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    try:
        return services.seat_update(
            actor=request.user, seat=seat, expected_version=payload.version, **changes
        )
    except (StaleVersionError, ValidationError) as exc:
        return refused(exc)


@router.get("/reports/annual", response={200: dict, 404: ErrorOut, 422: ErrorOut})
def annual_report(request, year: int, org: str | None = None, as_of: date | None = None):
    """The annual figures document of the metric contract, for an organisation the user sees."""
    if not 1930 <= year <= 2100:
        return Status(422, {"detail": "year out of range"})
    if as_of is not None and as_of.year < year:
        return Status(422, {"detail": "as_of is before the year"})
    organization = selectors.organization_or_single_top(request.scope, org)
    if organization is None:
        return Status(422, {"detail": "org is required"})
    return metrics.annual_document(organization=organization, year=year, as_of=as_of, on=periods.today())
