"""REST API of report requests and submissions: the pages' selectors and services, the same scopes.

Files are sent through the pages; the API carries the requests, the form of figures, the statuses
and the office's review."""

from datetime import date, datetime, time
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, RECORDS, VIEW
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .choices import PeriodKind, State
from .choices import Status as ReportStatus
from .models import ReportRequest

router = Router(tags=["reports"])


class FormItem(Schema):
    key: str
    label: str
    number: bool


class RoundOut(Schema):
    id: int
    label: str
    due_date: date
    due_time: time | None
    closes_at: datetime
    version: int


class RequestOut(Schema):
    id: int
    organization_code: str
    title: str
    instructions: str
    period_kind: PeriodKind
    requires_file: bool
    form_fields: list[FormItem]
    repeats: bool
    move_to_working_day: bool
    version: int

    @staticmethod
    def resolve_organization_code(obj) -> str:
        return obj.organization.code


class RequestDetailOut(RequestOut):
    rounds: list[RoundOut]
    recipient_codes: list[str]

    @staticmethod
    def resolve_rounds(obj) -> list:
        return list(obj.rounds.order_by("due_date", "pk"))

    @staticmethod
    def resolve_recipient_codes(obj) -> list[str]:
        return [c.code for c in obj.recipients.order_by("code")]


class RequestIn(Schema):
    organization_code: str
    title: Annotated[str, Field(min_length=1, max_length=255)]
    instructions: Annotated[str, Field(max_length=5000)] = ""
    period_kind: PeriodKind
    year: Annotated[int, Field(ge=2000, le=2100)]
    number: Annotated[int, Field(ge=1, le=12)] = 1
    first_due: date
    due_time: time | None = None
    repeat_until: date | None = None
    move_to_working_day: StrictBool = False
    requires_file: StrictBool = True
    form_items: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=30)
    ] = []
    recipient_codes: Annotated[list[str], Field(max_length=500)] | None = None  # None: every active cell


class VersionOut(Schema):
    number: int
    submitted_at: datetime
    submitted_by: str
    file_name: str
    values: dict
    note: str

    @staticmethod
    def resolve_submitted_by(obj) -> str:
        return obj.submitted_by.get_full_name() or obj.submitted_by.username


class SubmissionOut(Schema):
    id: int
    request_id: int
    request_title: str
    round_id: int
    period: str
    cell_code: str
    closes_at: datetime
    state: State
    status: ReportStatus
    first_submitted_at: datetime | None
    last_submitted_at: datetime | None
    return_reason: str
    version: int

    @staticmethod
    def resolve_request_id(obj) -> int:
        return obj.round.request_id

    @staticmethod
    def resolve_request_title(obj) -> str:
        return obj.round.request.title

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.round.label

    @staticmethod
    def resolve_cell_code(obj) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_closes_at(obj) -> datetime:
        return obj.round.closes_at

    @staticmethod
    def resolve_status(obj) -> str:
        return selectors.status_of(obj, timezone.now())


class SubmissionDetailOut(SubmissionOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return selectors.versions_of(obj)


class SendIn(Schema):
    values: dict[str, Annotated[str, Field(max_length=5000)] | int] = {}
    note: Annotated[str, Field(max_length=5000)] = ""


class ReviewIn(Schema):
    version: int


class ReturnIn(ReviewIn):
    reason: Annotated[str, Field(min_length=1, max_length=5000)]


@router.get("/report-requests", response={200: list[RequestOut], 404: ErrorOut})
@paginate(Pages)
def request_list(request, org: str | None = None):
    """Requests the user sees (made by an organisation in their scope), newest first; `org` keeps
    those made by that organisation or one under it."""
    requests = access.restrict(ReportRequest.objects.all(), request.scope, VIEW)
    if org is not None:
        organization = org_selectors.organization_get(request.scope, org)
        requests = requests.filter(organization__path__startswith=organization.path)
    return requests.select_related("organization").order_by("-created_at", "-pk")


@router.get("/report-requests/{request_id}", response={200: RequestDetailOut, 404: ErrorOut})
def request_read(request, request_id: int):
    return selectors.request_get(request.scope, request_id)


@router.post("/report-requests", response={201: RequestDetailOut, **ERRORS})
def request_create(request, payload: RequestIn):
    """Ask cells under an organisation for a report (the office)."""
    org = org_selectors.organization_get(request.scope, payload.organization_code, MANAGE)
    today = periods.today()
    cells = selectors.recipient_cells(org, today)
    if payload.recipient_codes is not None:
        wanted = set(payload.recipient_codes)
        unknown = wanted - {c.code for c in cells}
        if unknown:
            return Status(422, {"detail": "not cells under the organisation: " + ", ".join(sorted(unknown))})
        cells = [c for c in cells if c.code in wanted]
    try:
        fields = rules.parse_form_fields("\n".join(i.replace("\n", " ") for i in payload.form_items))
        made = services.request_create(
            actor=request.user,
            organization=org,
            title=payload.title,
            schedule=services.Schedule(
                period_kind=payload.period_kind,
                year=payload.year,
                number=payload.number,
                first_due=payload.first_due,
                due_time=payload.due_time,
                repeat_until=payload.repeat_until,
                move_to_working_day=payload.move_to_working_day,
            ),
            recipients=cells,
            requires_file=payload.requires_file,
            form_fields=fields,
            instructions=payload.instructions,
        )
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    except ValidationError as exc:
        return refused(exc)
    return Status(201, selectors.request_get(request.scope, made.pk))


class SubmissionFilters(Schema):
    request: int | None = None
    round: int | None = None
    cell: str | None = None
    status: ReportStatus | None = None


@router.get("/submissions", response={200: list[SubmissionOut], 404: ErrorOut})
@paginate(Pages)
def submission_list(request, filters: Query[SubmissionFilters]):
    """Submissions of the cells the user sees, soonest deadline first; filter by request, round,
    cell or status."""
    submissions = access.restrict(selectors.live_submissions(), request.scope, VIEW)
    if filters.request is not None:
        submissions = submissions.filter(round__request_id=filters.request)
    if filters.round is not None:
        submissions = submissions.filter(round_id=filters.round)
    if filters.cell is not None:
        cell = org_selectors.organization_get(request.scope, filters.cell)
        submissions = submissions.filter(cell__path__startswith=cell.path)
    submissions = submissions.select_related("round__request", "cell", "accepted_version").order_by(
        "round__closes_at", "cell__code", "pk"
    )
    if filters.status is not None:
        # The database narrows to the states that can give the status; the rule decides each one.
        now = timezone.now()
        submissions = submissions.filter(selectors.status_q(filters.status, now))
        return [s for s in submissions if selectors.status_of(s, now) == filters.status]
    return submissions


@router.get("/submissions/{submission_id}", response={200: SubmissionDetailOut, 404: ErrorOut})
def submission_read(request, submission_id: int):
    return selectors.submission_get(request.scope, submission_id)


@router.post("/submissions/{submission_id}/versions", response={201: SubmissionDetailOut, **ERRORS})
def submission_send(request, submission_id: int, payload: SendIn):
    """The cell sends (or corrects) its report's form; a request that needs a file takes it from the
    pages first (a correction keeps the file last sent)."""
    submission = selectors.submission_get(request.scope, submission_id, RECORDS)
    try:
        services.submit(actor=request.user, submission=submission, values=payload.values, note=payload.note)
    except ValidationError as exc:
        return refused(exc)
    return Status(201, selectors.submission_get(request.scope, submission_id))


@router.post("/submissions/{submission_id}/accept", response={200: SubmissionDetailOut, **ERRORS})
def submission_accept(request, submission_id: int, payload: ReviewIn):
    submission = selectors.submission_to_review(request.scope, submission_id)
    try:
        services.accept(actor=request.user, submission=submission, expected_version=payload.version)
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return selectors.submission_get(request.scope, submission_id)


@router.post("/submissions/{submission_id}/return", response={200: SubmissionDetailOut, **ERRORS})
def submission_return(request, submission_id: int, payload: ReturnIn):
    submission = selectors.submission_to_review(request.scope, submission_id)
    try:
        services.return_incomplete(
            actor=request.user, submission=submission, expected_version=payload.version, reason=payload.reason
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return selectors.submission_get(request.scope, submission_id)
