"""REST API of study and meetings (issue 7): the pages' selectors and services, the same scopes.

Documents to study are seen by whoever sees the organisation that set them or one they apply to, and
by the members who owe them; their progress shows only the cells the caller sees. Sessions are seen
by whoever sees their organiser; whoever keeps its records (selectors.can_organise) creates them and
marks the attendance, all or nothing, against the session's version. A member sees their own
upcoming invitations and answers them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import periods
from dangvu.core.access import RECORDS, VIEW, Scope
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .api_schemas import (
    AttendanceIn,
    DocumentDetailOut,
    DocumentFilters,
    DocumentOut,
    MyInvitationOut,
    ReplyIn,
    SessionDetailOut,
    SessionFilters,
    SessionIn,
    SessionOut,
    my_invitation_out,
)
from .models import Session

router = Router(tags=["meetings"])


# ------------------------------------------------------------------------------------ documents


@router.get("/meetings/documents", response={200: list[DocumentOut], 404: ErrorOut})
@paginate(Pages)
def document_list(request, filters: Query[DocumentFilters]):
    """The documents the user sees, latest deadline first; `org` keeps those set for it (from it or
    above) or under it, `year` those whose deadline falls in the year."""
    documents = selectors.documents_visible(request.scope).select_related("organization")
    if filters.org is not None:
        organization = org_selectors.organization_get(request.scope, filters.org)
        documents = documents.filter(pk__in=selectors.documents_for(organization).values("pk"))
    if filters.year is not None:
        documents = documents.filter(study_by__year=filters.year)
    return documents.order_by("-study_by", "pk")


@router.get("/meetings/documents/{document_id}", response={200: DocumentDetailOut, 404: ErrorOut})
def document_read(request, document_id: int):
    """A document, with who owes and has studied it in each cell the user sees."""
    document = selectors.document_get(request.scope, document_id)
    progress = selectors.document_progress(document, under=document.organization, as_of=periods.today())
    document.progress = [p for p in progress if request.scope.covers(p.cell.path, VIEW)]
    return document


# ------------------------------------------------------------------------------------- sessions


@router.get("/meetings/sessions", response={200: list[SessionOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pages)
def session_list(request, filters: Query[SessionFilters]):
    """The sessions organised by `org` or under it (the user's only top organisation when left out),
    latest first, with their counts of invitees, present and marked."""
    organization = org_selectors.organization_or_single_top(request.scope, filters.org)
    if organization is None:
        if not org_selectors.top_organizations(request.scope):
            return Session.objects.none()
        raise HttpError(422, _("Give the organisation (org): you see several."))
    sessions = selectors.sessions_in(request.scope, organization, year=filters.year, kind=filters.kind or "")
    return sessions.prefetch_related("documents")  # latest first: sessions_in's order


def _detail(session: Session, scope: Scope) -> Session:
    """The session with its invitees and counts, as the API shows it: three queries. The reasons
    given (often health) go only to those who organise it, as on the page."""
    session.invitations_list = selectors.invitations_of(session)
    if not selectors.can_organise(scope, session.organization):
        for invitation in session.invitations_list:  # read-only copies: never saved
            invitation.reply_reason = invitation.reason = ""
    counts = rules.AttendanceCounts.of(i.attendance for i in session.invitations_list)
    session.invited, session.present, session.marked = counts.total, counts.present, counts.marked
    return session


@router.get("/meetings/sessions/{session_id}", response={200: SessionDetailOut, 404: ErrorOut})
def session_read(request, session_id: int):
    return _detail(selectors.session_get(request.scope, session_id), request.scope)


@router.post("/meetings/sessions", response={201: SessionDetailOut, **ERRORS})
def session_create(request, payload: SessionIn):
    """A session of any kind, its invitees computed from the kind unless chosen: RECORDS on the
    organiser (its chi ủy, the office)."""
    organization = org_selectors.organization_get(request.scope, payload.organization_code, RECORDS)
    wanted = set(payload.documents)
    documents = list(
        selectors.documents_visible(request.scope).filter(pk__in=wanted).select_related("organization")
    )
    if len(documents) != len(wanted):
        return Status(422, {"detail": _unknown_documents(wanted - {d.pk for d in documents})})
    try:
        session = services.session_create(
            actor=request.user,
            organization=organization,
            kind=payload.kind,
            held_on=payload.held_on,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            place=payload.place,
            title=payload.title,
            invitees=payload.invitees or "",
            documents=documents,
            person_ids=payload.person_ids,
        )
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _detail(selectors.session_get(request.scope, session.pk), request.scope))


def _unknown_documents(ids: set[int]) -> str:
    return _("No document to study has the id: %(ids)s.") % {"ids": ", ".join(map(str, sorted(ids)))}


@router.post("/meetings/sessions/{session_id}/attendance", response={200: SessionDetailOut, **ERRORS})
def attendance_mark(request, session_id: int, payload: AttendanceIn):
    """The attendance of several invitees at once, all or nothing (services.attendance_mark):
    RECORDS on the organiser. `version` is the session's, as read."""
    session = selectors.session_get(request.scope, session_id, RECORDS)
    marks = [services.Mark(m.invitation, m.attendance, m.reason) for m in payload.marks]
    try:
        services.attendance_mark(
            actor=request.user, session=session, marks=marks, expected_version=payload.version
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _detail(selectors.session_get(request.scope, session.pk), request.scope)


# --------------------------------------------------------------------------- the member's own


@router.get("/meetings/mine", response={200: list[MyInvitationOut]})
@paginate(Pages)
def my_invitations(request):
    """The caller's own coming invitations (planned, today or later), soonest first."""
    return [my_invitation_out(i) for i in selectors.upcoming(request.scope.person_ids, periods.today())]


@router.post("/meetings/invitations/{invitation_id}/reply", response={200: MyInvitationOut, **ERRORS})
def invitation_reply(request, invitation_id: int, payload: ReplyIn):
    """The invitee confirms or asks to be excused, with a reason: their own invitations only."""
    invitation = selectors.invitation_own(request.scope, invitation_id)
    try:
        services.invitation_reply(
            actor=request.user,
            invitation=invitation,
            reply=payload.reply,
            reason=payload.reason,
            expected_version=payload.version,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return my_invitation_out(invitation)
