"""The invitation (giấy mời) and the minutes (biên bản) of a session, written from the meetings data.

The invitation of any session not cancelled: the time, the place, the content and the documents to
study, the invitees by given name. The minutes of a cell meeting that was held: who chaired and
wrote them, who was present and absent (with their reasons, as the session's page shows them to
its organiser), the content, the resolution and the end time.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.documents import rules
from dangvu.documents.choices import DocType
from dangvu.documents.content import Content, Draft, Section, Signature, Table
from dangvu.meetings import rules as meeting_rules
from dangvu.meetings import selectors as meeting_selectors
from dangvu.meetings.choices import Attendance, SessionKind, SessionState

from .source_common import BLANK, day_text, lower_first, recipients, signer, time_text

# What the invitation asks people to attend, by the session's kind (rules.md §5).
KIND_PHRASES = {
    SessionKind.STUDY: "hội nghị học tập, quán triệt",
    SessionKind.CATCH_UP: "buổi học tập bổ sung",
    SessionKind.TRAINING: "lớp bồi dưỡng nghiệp vụ công tác Đảng",
    SessionKind.CONFERENCE: "hội nghị",
}
TITLE_STARTS = ("hội nghị", "hội thảo", "lớp", "buổi", "sinh hoạt")


def meeting_subject(session) -> str:
    """ "sinh hoạt chi bộ thường kỳ tháng 10/2026", "sinh hoạt chuyên đề: …", "hội nghị …"."""
    title = " ".join(session.title.split())
    if session.kind == SessionKind.REGULAR:
        return f"sinh hoạt chi bộ thường kỳ tháng {session.held_on:%m/%Y}"
    # the title follows other words: its first letter is lowered ("dự hội nghị tổng kết công tác năm")
    title = lower_first(title)
    if session.kind == SessionKind.THEMATIC:
        return f"sinh hoạt chuyên đề: {title}" if title else "sinh hoạt chuyên đề"
    if session.kind == SessionKind.EXTRAORDINARY:
        return "sinh hoạt chi bộ bất thường" + (f": {title}" if title else "")
    if title and title.casefold().startswith(TITLE_STARTS):
        return title
    phrase = KIND_PHRASES.get(session.kind, "hội nghị")
    return f"{phrase} {title}" if title else phrase


def _check_open(session) -> None:
    if session.state == SessionState.CANCELLED:
        raise ValidationError(_("The session is cancelled: no invitation or minutes can be written for it."))


def _document_line(document) -> str:
    parts = [f"số {document.number}"] if document.number else []
    if document.issued_on:
        parts.append(f"ngày {document.issued_on:%d/%m/%Y}")
    if document.issuer:
        parts.append(f"của {document.issuer}")
    return f"- {document.title}" + (f" ({', '.join(parts)})" if parts else "") + ";"


def invitation_draft(session, *, on: date) -> Draft:
    """GIẤY MỜI of a session not cancelled, issued by its organiser."""
    _check_open(session)
    org = session.organization
    invitations = meeting_selectors.invitations_of(session)
    documents = list(session.documents.order_by("study_by", "pk"))
    topic = meeting_subject(session)
    subject = "dự " + topic
    if len(invitations) == 1:
        addressee = f"Kính mời: Đồng chí {invitations[0].person.full_name}"
    else:
        addressee = "Kính mời: các đồng chí có tên trong danh sách kèm theo"
    what = " ".join(session.title.split()) or topic[:1].upper() + topic[1:]
    content_text = f"Nội dung: {what}."
    if documents:
        content_text += "\n\nCác văn bản học tập, quán triệt:\n" + "\n".join(
            _document_line(d) for d in documents
        )
    invitees = Table(
        columns=["Họ và tên", "Chi bộ"],
        rows=[[i.person.full_name, i.person.organization.name] for i in invitations],
        widths=[3, 3],
        numbered=True,
    )
    sections = [
        Section("", f"Thời gian: {time_text(session.starts_at)}, {day_text(session.held_on)}.", key="time"),
        Section("", f"Địa điểm: {session.place or BLANK}.", key="place"),
        Section("", content_text, key="content"),
        Section("", "Đề nghị các đồng chí sắp xếp công việc, đến dự đúng giờ.", key="request"),
        Section("DANH SÁCH CÁC ĐỒNG CHÍ ĐƯỢC MỜI", "", table=invitees, editable=False, key="invitees"),
    ]
    content = Content(
        type_name=rules.TYPE_NAMES[DocType.INVITATION],
        subject=subject,
        sections=sections,
        signatures=signer(org, on),
        recipients=recipients(org, to_superior=False, extra=("- Như thành phần mời,",)),
        addressee=addressee,
    )
    figures = {
        "session": session.pk,
        "kind": session.kind,
        "held_on": session.held_on.isoformat(),
        "starts_at": session.starts_at.strftime("%H:%M") if session.starts_at else None,
        "place": session.place,
        "documents": [d.pk for d in documents],
        "invitees": [{"invitation": i.pk, "person": i.person_id} for i in invitations],
    }
    return Draft(
        doc_type=DocType.INVITATION,
        organization=org,
        year=session.held_on.year,
        title=f"Giấy mời {subject}",
        content=content,
        figures=figures,
        source=f"session:{session.pk}",
    )


def _end_time(session) -> str:
    if session.starts_at is None or not session.duration_minutes:
        return time_text(None)
    end = datetime.combine(session.held_on, session.starts_at) + timedelta(minutes=session.duration_minutes)
    if end.date() != session.held_on:
        return time_text(None)
    return time_text(end.time())


def _names(invitations, with_reason: bool) -> str:
    lines = []
    for invitation in invitations:
        reason = invitation.reason.strip() if with_reason else ""
        lines.append(f"- Đồng chí {invitation.person.full_name}" + (f" ({reason})" if reason else "") + ";")
    return "\n".join(lines)


def _participants(session, invitations) -> str:
    excused = [i for i in invitations if i.attendance == Attendance.EXCUSED]
    unexcused = [i for i in invitations if i.attendance == Attendance.UNEXCUSED]
    unmarked = [i for i in invitations if not i.attendance]
    counts = meeting_rules.AttendanceCounts(
        present=sum(1 for i in invitations if i.attendance == Attendance.PRESENT),
        excused=len(excused),
        unexcused=len(unexcused),
        unmarked=len(unmarked),
    )
    chair = session.chair or BLANK
    recorder = session.recorder or BLANK
    paragraphs = [
        f"Chủ trì: Đồng chí {chair}.",
        f"Thư ký: Đồng chí {recorder}.",
        f"Có mặt: {rules.fraction(counts.present, counts.total)} đồng chí được mời.",
    ]
    paragraphs.append(
        f"Vắng có lý do: {rules.grouped(counts.excused)} đồng chí"
        + (":\n" + _names(excused, True) if excused else ".")
    )
    paragraphs.append(
        f"Vắng không có lý do: {rules.grouped(counts.unexcused)} đồng chí"
        + (":\n" + _names(unexcused, False) if unexcused else ".")
    )
    if unmarked:
        paragraphs.append(
            f"Chưa điểm danh: {rules.grouped(counts.unmarked)} đồng chí:\n" + _names(unmarked, False)
        )
    return "\n\n".join(paragraphs)


def minutes_draft(session, *, on: date) -> Draft:
    """BIÊN BẢN of a cell meeting that was held, issued by the cell; the recorder and the chair sign."""
    _check_open(session)
    if not session.is_cell_meeting:
        raise ValidationError(
            _("Minutes are written for a cell's meetings only (regular, thematic, extraordinary).")
        )
    if session.state != SessionState.HELD:
        raise ValidationError(_("The minutes are written once the session has been held."))
    org = session.organization
    invitations = meeting_selectors.invitations_of(session)
    subject = meeting_subject(session)
    opening = (
        f"Hôm nay, vào lúc {time_text(session.starts_at)}, {day_text(session.held_on)}, "
        f"tại {session.place or BLANK}, {org.name} tiến hành {subject}."
    )
    sections = [
        Section("I. THỜI GIAN, ĐỊA ĐIỂM", opening, key="time_place"),
        Section("II. THÀNH PHẦN", _participants(session, invitations), key="participants"),
        Section("III. NỘI DUNG", session.minutes.strip() or BLANK, key="content"),
        Section("IV. KẾT LUẬN, NGHỊ QUYẾT", session.resolution.strip() or BLANK, key="resolution"),
        Section("", f"Buổi sinh hoạt kết thúc vào lúc {_end_time(session)} cùng ngày.", key="closing"),
    ]
    content = Content(
        type_name=rules.TYPE_NAMES[DocType.MINUTES],
        subject=subject,
        sections=sections,
        signatures=[
            Signature("", "THƯ KÝ", session.recorder),
            Signature("", "CHỦ TRÌ", session.chair),
        ],
    )
    figures = {
        "session": session.pk,
        "kind": session.kind,
        "held_on": session.held_on.isoformat(),
        "chair": session.chair,
        "recorder": session.recorder,
        "attendance": [
            {"invitation": i.pk, "person": i.person_id, "attendance": i.attendance} for i in invitations
        ],
    }
    return Draft(
        doc_type=DocType.MINUTES,
        organization=org,
        year=session.held_on.year,
        title=f"Biên bản {subject}",
        content=content,
        figures=figures,
        source=f"session:{session.pk}",
    )
