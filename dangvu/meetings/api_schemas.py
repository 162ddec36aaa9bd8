"""The shapes of the study and meetings API (api.py): what it reads in, what it answers."""

from datetime import date, time
from typing import Annotated

from django.urls import reverse
from ninja import Field, Schema

from dangvu.core.periods import FIRST_YEAR, LAST_YEAR

from .choices import Attendance, DocumentKind, Invitees, Reply, SessionKind, SessionState
from .models import Invitation, Session, StudyDocument

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id: within what the database holds
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Reason = Annotated[str, Field(max_length=255)]


class DocumentFilters(Schema):
    org: str | None = None
    year: Year | None = None  # whose study deadline falls in the year


class DocumentOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    kind: DocumentKind
    number: str
    issuer: str
    issued_on: date | None
    title: str
    set_on: date
    study_by: date
    file_url: str | None
    version: int

    @staticmethod
    def resolve_organization_code(obj: StudyDocument) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj: StudyDocument) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_file_url(obj: StudyDocument) -> str | None:
        return reverse("meetings:document_file", args=[obj.pk]) if obj.file else None


class MemberRef(Schema):
    member_id: int
    person_id: int
    full_name: str


class CellProgressOut(Schema):
    cell_code: str
    cell_name: str
    owed: int
    studied: int
    percent: int | None  # of those who owe it; none when nobody does
    not_studied: list[MemberRef]

    @staticmethod
    def resolve_cell_code(obj) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_cell_name(obj) -> str:
        return obj.cell.name

    @staticmethod
    def resolve_not_studied(obj) -> list[dict]:
        return [
            {"member_id": m.pk, "person_id": m.person_id, "full_name": m.person.full_name}
            for m in obj.not_studied
        ]


class DocumentDetailOut(DocumentOut):
    progress: list[CellProgressOut]  # per cell the caller sees, as of today


class SessionFilters(Schema):
    org: str | None = None
    year: Year | None = None
    kind: SessionKind | None = None


class DocumentRef(Schema):
    id: int
    number: str
    title: str


class SessionOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    kind: SessionKind
    title: str
    held_on: date
    starts_at: time | None
    duration_minutes: int | None
    place: str
    invitees: Invitees
    state: SessionState
    documents: list[DocumentRef]
    invited: int
    present: int
    marked: int
    version: int

    @staticmethod
    def resolve_organization_code(obj: Session) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj: Session) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_documents(obj: Session) -> list:
        return list(obj.documents.all())


class InvitationOut(Schema):
    id: int
    person_id: int
    full_name: str
    reply: Reply | None
    reply_reason: str
    attendance: Attendance | None
    reason: str
    version: int

    @staticmethod
    def resolve_full_name(obj: Invitation) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_reply(obj: Invitation) -> str | None:
        return obj.reply or None

    @staticmethod
    def resolve_attendance(obj: Invitation) -> str | None:
        return obj.attendance or None


class SessionDetailOut(SessionOut):
    chair: str
    recorder: str
    minutes: str
    resolution: str
    invitations: list[InvitationOut]  # in Vietnamese name order

    @staticmethod
    def resolve_invitations(obj: Session) -> list[Invitation]:
        return obj.invitations_list


class SessionIn(Schema):
    organization_code: str
    kind: SessionKind
    held_on: date
    starts_at: time | None = None
    duration_minutes: Annotated[int, Field(ge=1, le=1440)] | None = None
    place: Annotated[str, Field(max_length=255)] = ""
    title: Annotated[str, Field(max_length=255)] = ""
    invitees: Invitees | None = None  # from the kind when left out
    documents: Annotated[list[Id], Field(max_length=50)] = []  # for a study or catch-up session
    person_ids: Annotated[list[Id], Field(max_length=5000)] = []  # chosen, or added to the kind's


class MarkIn(Schema):
    invitation: Id
    attendance: Attendance
    reason: Reason = ""


class AttendanceIn(Schema):
    version: int  # the session's
    marks: Annotated[list[MarkIn], Field(min_length=1, max_length=5000)]


class MySessionOut(Schema):
    id: int
    organization_name: str
    kind: SessionKind
    title: str
    held_on: date
    starts_at: time | None
    place: str
    documents: list[DocumentRef]


class MyInvitationOut(Schema):
    id: int
    session: MySessionOut
    reply: Reply | None
    reply_reason: str
    version: int


def my_invitation_out(invitation: Invitation) -> dict:
    session = invitation.session
    return {
        "id": invitation.pk,
        "session": {
            "id": session.pk,
            "organization_name": session.organization.name,
            "kind": session.kind,
            "title": str(session),
            "held_on": session.held_on,
            "starts_at": session.starts_at,
            "place": session.place,
            "documents": list(session.documents.all()),
        },
        "reply": invitation.reply or None,
        "reply_reason": invitation.reply_reason,
        "version": invitation.version,
    }


class ReplyIn(Schema):
    version: int  # the invitation's
    reply: Reply
    reason: Reason = ""  # required to be excused
