"""REST API of member records: the pages' selectors and services, the same scopes and rules."""

from datetime import date
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from dangvu.core import periods
from dangvu.core.access import RECORDS
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS

from . import selectors, services
from .choices import DisciplineForm, EventKind, Gender
from .models import Member

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    full_name: str
    date_of_birth: date | None
    cell_code: str
    status: str
    gender: str
    hometown: str
    residence: str
    ethnicity: str
    religion: str
    occupation: str
    record_number: str
    card_number: str
    version: int

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_date_of_birth(obj) -> date | None:
        return obj.person.date_of_birth

    @staticmethod
    def resolve_cell_code(obj) -> str:
        return obj.person.organization.code

    @staticmethod
    def resolve_status(obj) -> str:
        return getattr(obj, "status", "") or selectors.status_of(obj, periods.today())


class MemberIn(Schema):
    full_name: Annotated[str, Field(min_length=1, max_length=150)]
    date_of_birth: date
    cell: str
    gender: Gender | None = None
    admission_decision: date | None = None
    ceremony: date | None = None
    recognition: date | None = None
    new_admission: StrictBool = False
    hometown: Annotated[str, Field(max_length=255)] = ""
    citizen_id: Annotated[str, Field(max_length=12)] = ""
    record_number: Annotated[str, Field(max_length=16)] = ""


class MemberPatch(Schema):
    version: int
    full_name: Annotated[str, Field(min_length=1, max_length=150)] = None  # type: ignore[assignment]
    date_of_birth: date = None  # type: ignore[assignment]
    gender: Gender = None  # type: ignore[assignment]
    hometown: Annotated[str, Field(max_length=255)] = None  # type: ignore[assignment]
    residence: Annotated[str, Field(max_length=255)] = None  # type: ignore[assignment]
    occupation: Annotated[str, Field(max_length=255)] = None  # type: ignore[assignment]
    record_number: Annotated[str, Field(max_length=16)] = None  # type: ignore[assignment]
    card_number: Annotated[str, Field(max_length=32)] = None  # type: ignore[assignment]
    citizen_id: Annotated[str, Field(max_length=12)] = None  # type: ignore[assignment]


class EventOut(Schema):
    id: int
    kind: EventKind
    date: date
    end_date: date | None
    cell_code: str | None
    temporary: bool
    discipline_form: str
    annulled: bool
    document_number: str
    version: int

    @staticmethod
    def resolve_cell_code(obj) -> str | None:
        return obj.cell.code if obj.cell_id else None


class EventIn(Schema):
    kind: EventKind
    date: date
    end_date: date | None = None
    cell: str | None = None
    temporary: StrictBool = False
    discipline_form: DisciplineForm | None = None
    document_number: Annotated[str, Field(max_length=64)] = ""
    issuing_body: Annotated[str, Field(max_length=255)] = ""
    reason: Annotated[str, Field(max_length=2000)] = ""
    new_admission: StrictBool = False


class MemberQuery(Schema):
    org: str | None = None
    q: Annotated[str, Field(max_length=100)] = ""
    status: Literal[
        "active", "probationary", "official", "exempt", "deceased", "left", "transferred_out", "all"
    ] = "active"
    gender: Gender | None = None
    age_from: Annotated[int, Field(ge=0, le=130)] | None = None
    age_to: Annotated[int, Field(ge=0, le=130)] | None = None


def _root(request, code: str | None, action="view"):
    root = org_selectors.organization_or_single_top(request.scope, code, action)
    if root is None:
        raise Http404  # several (or no) top organisations: the client must name one with `org`
    return root


@router.get("/members", response={200: list[MemberOut], 404: ErrorOut})
@paginate(Pages)
def member_list(request, filters: Query[MemberQuery]):
    """Members the user sees in the organisation's subtree, with the pages' filters and the
    accent-free search; in Vietnamese name order."""
    org = _root(request, filters.org)
    found = selectors.MemberFilters(
        query=filters.q,
        status=filters.status,
        gender=filters.gender or "",
        age_from=filters.age_from,
        age_to=filters.age_to,
    )
    return selectors.members_matching(request.scope, org, found, on=periods.today()).select_related(
        "person", "person__organization"
    )


@router.get("/members/{member_id}", response={200: MemberOut, 404: ErrorOut})
def member_read(request, member_id: int):
    member = selectors.member_get(request.scope, member_id)
    return (
        selectors.with_status(Member.objects.filter(pk=member.pk), periods.today())
        .select_related("person", "person__organization")
        .get()
    )


@router.post("/members", response={201: MemberOut, **ERRORS})
def member_create(request, payload: MemberIn):
    data = payload.dict()
    cell = (
        org_selectors.organizations_visible(request.scope, RECORDS)
        .filter(code=data.pop("cell").strip().upper(), kind__in=CELL_KINDS)
        .first()
    )
    if cell is None:
        return Status(404, {"detail": "Not Found"})
    admission = services.AdmissionDates(
        data.pop("admission_decision"), data.pop("ceremony"), data.pop("recognition")
    )
    data["gender"] = data["gender"] or ""
    try:
        member = services.member_create(actor=request.user, cell=cell, admission=admission, **data)
    except ValidationError as exc:
        return refused(exc)
    return Status(201, member_read(request, member.pk))


@router.patch("/members/{member_id}", response={200: MemberOut, **ERRORS})
def member_patch(request, member_id: int, payload: MemberPatch):
    member = selectors.member_get(request.scope, member_id, RECORDS)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    try:
        services.member_update(actor=request.user, member=member, expected_version=payload.version, **changes)
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return member_read(request, member.pk)


@router.get("/members/{member_id}/events", response={200: list[EventOut], 404: ErrorOut})
def event_list(request, member_id: int):
    return selectors.events_of(selectors.member_get(request.scope, member_id))


@router.post("/members/{member_id}/events", response={201: EventOut, **ERRORS})
def event_create(request, member_id: int, payload: EventIn):
    member = selectors.member_get(request.scope, member_id, RECORDS)
    data = payload.dict()
    code = data.pop("cell")
    cell = None
    if code:
        cell = (
            org_selectors.organizations_visible(request.scope)
            .filter(code=code.strip().upper(), kind__in=CELL_KINDS)
            .first()
        )
        if cell is None:
            return Status(404, {"detail": "Not Found"})
    data["discipline_form"] = data["discipline_form"] or ""
    try:
        event = services.event_add(actor=request.user, member=member, cell=cell, **data)
    except ValidationError as exc:
        return refused(exc)
    return Status(201, event)


@router.delete("/events/{event_id}", response={204: None, **ERRORS})
def event_delete(request, event_id: int, version: int):
    event = selectors.event_get(request.scope, event_id, RECORDS)
    try:
        services.event_delete(actor=request.user, event=event, expected_version=version)
    except StaleVersionError as exc:
        return refused(exc)
    return Status(204, None)
