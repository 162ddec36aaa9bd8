"""Writes of study and meetings: documents and who owes them, sessions and their invitees, replies,
attendance and minutes, and the office's settings. Each write is one transaction, audited, and tells
the people concerned through core.notifications."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import bulk, files, notifications, periods
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.members.choices import EventKind
from dangvu.members.models import MemberEvent, MembershipPeriod
from dangvu.members.selectors import covering, exempt_on
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import COMMITTEE_ROLES
from dangvu.organization.models import CommitteeSeat, Organization, Person

from . import rules
from .choices import STUDY_KINDS, Attendance, Invitees, Reply, SessionKind, SessionState
from .models import Invitation, MeetingSettings, Session, StudyDocument, StudyObligation
from .selectors import followers_q, still_owing

# ------------------------------------------------------------------------------------ documents


def _check_document_dates(set_on: date, study_by: date) -> None:
    if set_on > periods.today():
        raise ValidationError({"set_on": _("A document is set to be studied today or on a past day.")})
    if study_by < set_on:
        raise ValidationError({"study_by": _("The study deadline cannot be before the day it was set.")})


@transaction.atomic
def document_create(
    *,
    actor,
    organization: Organization,
    kind: str,
    title: str,
    set_on: date,
    study_by: date,
    number: str = "",
    issuer: str = "",
    issued_on: date | None = None,
    file: UploadedFile | None = None,
) -> StudyDocument:
    """The office sets a document for its subtree to study by a date (issue 7, point 1); every member
    then owes it who is active, not exempt and at a cell of the subtree on `set_on`."""
    _check_document_dates(set_on, study_by)
    files.check_upload(file)
    document = StudyDocument(
        organization=organization,
        kind=kind,
        title=" ".join(title.split()),
        set_on=set_on,
        study_by=study_by,
        number=number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
    )
    if file is not None:
        document.file_name = files.stored_name(file)
        document.file.save(file.name or "van-ban", file, save=False)
    save_audited(document, actor=actor, reason="document set for study")
    obligations_build(document)
    if study_by >= periods.today():
        _notify_document(document)
    return document


@transaction.atomic
def document_update(
    *, actor, document: StudyDocument, expected_version: int, file: UploadedFile | None = None, **changes
) -> StudyDocument:
    """Correct a document; a new set date or deadline re-judges who owes it."""
    _check_document_dates(changes.get("set_on", document.set_on), changes.get("study_by", document.study_by))
    files.check_upload(file)
    if "title" in changes:
        changes["title"] = " ".join(changes["title"].split())
    rebuild = changes.get("set_on", document.set_on) != document.set_on
    if file is not None:
        changes["file_name"] = files.stored_name(file)
        changes["file"] = files.store(document, "file", file, "van-ban")
    update_versioned(document, actor=actor, expected_version=expected_version, changes=changes)
    if rebuild:
        obligations_build(document)
    return document


@transaction.atomic
def document_delete(*, actor, document: StudyDocument, expected_version: int) -> None:
    """Soft: the document and its sessions stay on record; nobody owes it any more."""
    soft_delete(document, actor=actor, expected_version=expected_version)


def obligations_build(document: StudyDocument) -> int:
    """Who owes `document` (metrics.md "Study"): active on its set date at a cell of its scope and
    not exempt that day. Judged once, on that day: leaving later keeps the obligation, joining later
    gives none. Derived rows (not audited): they follow from the audited member records."""
    StudyObligation.objects.filter(document=document).delete()
    day = document.set_on
    owing = (
        MembershipPeriod.objects.filter(
            covering(day),
            cell__path__startswith=document.organization.path,
            member__deleted_at__isnull=True,
        )
        .exclude(exempt_on(day, member_ref="member_id"))
        .values_list("member_id", "cell_id")
    )
    rows = {member_id: cell_id for member_id, cell_id in owing if cell_id is not None}
    StudyObligation.objects.bulk_create(
        StudyObligation(document=document, member_id=member_id, cell_id=cell_id)
        for member_id, cell_id in rows.items()
    )
    return len(rows)


def obligations_of_member_rebuild(member_ids: list[int]) -> None:
    """The member records of `member_ids` changed (members.services.periods_rebuilt): judge again
    which documents they owe. Three queries, whatever the number of documents and members."""
    documents = list(StudyDocument.objects.values_list("pk", "set_on", "organization__path").order_by("pk"))
    if not documents or not member_ids:
        return
    spans: dict[int, list[tuple[date, date | None, int, str]]] = {}
    for member_id, start, end, cell_id, path in MembershipPeriod.objects.filter(
        member_id__in=member_ids, cell__isnull=False, member__deleted_at__isnull=True
    ).values_list("member_id", "start", "end", "cell_id", "cell__path"):
        spans.setdefault(member_id, []).append((start, end, cell_id, path))
    exemptions: dict[int, list[tuple[date, date | None]]] = {}
    for member_id, start, end in MemberEvent.objects.filter(
        member_id__in=member_ids, kind=EventKind.EXEMPTION, annulled=False
    ).values_list("member_id", "date", "end_date"):
        exemptions.setdefault(member_id, []).append((start, end))
    rows = []
    for member_id in member_ids:
        for document_id, day, path in documents:
            cell_id = next(
                (
                    c
                    for s, e, c, p in spans.get(member_id, ())
                    if rules.in_span(day, s, e) and p.startswith(path)
                ),
                None,
            )
            exempt = any(rules.exempt_during(day, s, e) for s, e in exemptions.get(member_id, ()))
            if rules.required_to_study(active=cell_id is not None, exempt=exempt):
                rows.append(StudyObligation(document_id=document_id, member_id=member_id, cell_id=cell_id))
    StudyObligation.objects.filter(member_id__in=member_ids).delete()
    StudyObligation.objects.bulk_create(rows)


def _notify_document(document: StudyDocument) -> None:
    """Tell the members who owe a document and have a login (issue 7, point 2)."""
    users = [
        o.member.person.user
        for o in document.obligations.select_related("member__person__user")
        if o.member.person.user_id
    ]
    notifications.notify(
        recipients=users,
        kind="meetings.document",
        key=f"meetings.document.{document.pk}",
        subject=_("To study by %(day)s: %(title)s")
        % {"day": f"{document.study_by:%d/%m/%Y}", "title": document},
        url=reverse("meetings:mine"),
        scope_path=document.organization.path,
    )


# ------------------------------------------------------------------------------------- sessions


def _check_session(organization: Organization, kind: str, documents: Sequence[StudyDocument]) -> None:
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Choose a kind of session from the list.")})
    if kind not in rules.kinds_for(organization.is_cell):
        if organization.is_cell:
            raise ValidationError(
                {"kind": _("A conference is convened by a Party committee, not by a cell.")}
            )
        raise ValidationError(
            {"kind": _("Only a cell holds the cell's regular, thematic or extraordinary meetings.")}
        )
    if kind in STUDY_KINDS and not documents:
        raise ValidationError({"documents": _("Choose the documents studied at this session.")})
    if kind not in STUDY_KINDS and documents:
        raise ValidationError({"documents": _("Only a study or catch-up session studies documents.")})
    for document in documents:
        # The organiser studies a document set for it (from above) or one it set under it.
        if not (
            organization.path.startswith(document.organization.path)
            or document.organization.path.startswith(organization.path)
        ):
            raise ValidationError(
                {
                    "documents": _("%(title)s is not set for %(org)s.")
                    % {"title": document, "org": organization}
                }
            )


@transaction.atomic
def session_create(
    *,
    actor,
    organization: Organization,
    kind: str,
    held_on: date,
    starts_at: time | None = None,
    duration_minutes: int | None = None,
    place: str = "",
    title: str = "",
    invitees: str = "",
    documents: Sequence[StudyDocument] = (),
    person_ids: Iterable[int] = (),
    notify: bool = True,
) -> Session:
    """A session of any kind with its invitees, computed from the kind (rules.default_invitees) unless
    chosen (issue 7, point 2); the invitees with a login are told."""
    documents = list(documents)
    _check_session(organization, kind, documents)
    invitees = invitees or rules.default_invitees(kind, organiser_is_cell=organization.is_cell)
    if invitees not in Invitees.values:
        raise ValidationError({"invitees": _("Choose who is invited from the list.")})
    session = Session(
        organization=organization,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        title=" ".join(title.split()),
        invitees=invitees,
    )
    save_audited(session, actor=actor, reason="session created")
    session.documents.set(documents)
    ruled = set() if invitees == Invitees.CHOSEN else invitee_ids(session)
    _invite(session, ruled, actor=actor, chosen=set(person_ids))
    if notify and held_on >= periods.today():
        invitees_notify(session, "invitation")
    return session


def invitee_ids(session: Session) -> set[int]:
    """The person ids a session invites by its rule, on its date (issue 7, point 2): the members of
    the cell or of the subtree active and not exempt that day (an exempt member is excused from
    meetings, yet called to a conference, where they count only if present: rules.md §5.2), the
    committee members of the subtree, or those who still owe the documents of a catch-up."""
    org, day = session.organization, session.held_on
    if session.invitees in {Invitees.CELL_MEMBERS, Invitees.SUBTREE_MEMBERS}:
        periods_q = MembershipPeriod.objects.filter(
            covering(day), member__deleted_at__isnull=True, member__person__deleted_at__isnull=True
        )
        if session.invitees == Invitees.CELL_MEMBERS and org.is_cell:
            periods_q = periods_q.filter(cell=org)
        else:
            periods_q = periods_q.filter(cell__path__startswith=org.path)
        if session.kind != SessionKind.CONFERENCE:  # an exempt member is still called to a conference
            periods_q = periods_q.exclude(exempt_on(day, member_ref="member_id"))
        return set(periods_q.values_list("member__person_id", flat=True))
    if session.invitees == Invitees.COMMITTEE_MEMBERS:
        return set(
            CommitteeSeat.objects.filter(
                org_selectors.current_seat_q(day),
                organization__path__startswith=org.path,
                role__in=COMMITTEE_ROLES,
                person__deleted_at__isnull=True,
            ).values_list("person_id", flat=True)
        )
    if session.invitees == Invitees.STILL_OWING:
        return still_owing(list(session.documents.all()), under=org, on=day)
    return set()


def _invite(session: Session, ruled: Iterable[int], *, actor, chosen: Iterable[int] = ()) -> int:
    """Invite those not invited yet (audited rows, written at import speed for a large subtree):
    those the session's rule gives, and those chosen by hand, who must be within the organiser's
    reach (the rule's own may since have moved elsewhere)."""
    known = set(session.invitations.values_list("person_id", flat=True))
    chosen = set(chosen) - known
    new = sorted((set(ruled) | chosen) - known)
    if not new:
        return 0
    if chosen - _reachable(session, chosen):
        raise ValidationError(
            _("Only people of the organiser's organisation and those under it can be invited.")
        )
    bulk.insert(Invitation, [{"session_id": session.pk, "person_id": pk} for pk in new], actor=actor)
    return len(new)


def _reachable(session: Session, person_ids: set[int]) -> set[int]:
    """Those of `person_ids` a session may invite by hand: the people of the organiser's subtree;
    for a cell, those of its committee's subtree (a member of a sibling cell who attends here on a
    temporary transfer) and the committee members above it who follow it (rules.md §5.1). An id that
    is no one, or a deleted person, is not reachable."""
    org = session.organization
    root = org.parent.path if org.is_cell and org.parent_id else org.path
    near = Q(organization__path__startswith=root) | followers_q(org, session.held_on)
    return set(Person.objects.filter(near, pk__in=person_ids).values_list("pk", flat=True))


@transaction.atomic
def invitees_add(*, actor, session: Session, person_ids: Iterable[int]) -> int:
    """Add people to a session (a member who joined the cell, a guest from above); those already
    invited are left as they are."""
    _check_open(session)
    added = _invite(session, (), actor=actor, chosen=person_ids)
    if added and session.held_on >= periods.today():
        invitees_notify(session, "invitation")
    return added


@transaction.atomic
def invitees_refresh(*, actor, session: Session) -> int:
    """Invite whoever the session's rule gives now and was not invited (members who joined since)."""
    _check_open(session)
    added = _invite(session, invitee_ids(session), actor=actor)
    if added and session.held_on >= periods.today():
        invitees_notify(session, "invitation")
    return added


@transaction.atomic
def invitation_remove(*, actor, invitation: Invitation, expected_version: int) -> None:
    if invitation.attendance:
        raise ValidationError(
            _("Attendance is marked for %(name)s: change it instead.") % {"name": invitation.person}
        )
    soft_delete(invitation, actor=actor, expected_version=expected_version, reason="invitation withdrawn")


def _check_open(session: Session) -> None:
    if session.state == SessionState.CANCELLED:
        raise ValidationError(_("The session was cancelled."))
    if session.deleted_at is not None:
        raise ValidationError(_("The session was deleted."))


@transaction.atomic
def session_update(*, actor, session: Session, expected_version: int, **changes) -> Session:
    """Change the date, time, place...; the invitees are told of a new date, time or place."""
    for field in ("place", "title"):
        if field in changes:
            changes[field] = " ".join(changes[field].split())
    moved = any(
        field in changes and changes[field] != getattr(session, field)
        for field in ("held_on", "starts_at", "place")
    )
    if session.state == SessionState.HELD and changes.get("held_on", session.held_on) > periods.today():
        raise ValidationError(
            {
                "held_on": _(
                    "The session was held (attendance or minutes recorded): its date cannot be in the future."
                )
            }
        )
    update_versioned(session, actor=actor, expected_version=expected_version, changes=changes)
    if moved and session.state == SessionState.PLANNED and session.held_on >= periods.today():
        invitees_notify(session, "changed")
    return session


@transaction.atomic
def session_cancel(*, actor, session: Session, expected_version: int) -> Session:
    if session.state == SessionState.HELD or session.invitations.exclude(attendance="").exists():
        raise ValidationError(_("Attendance is marked: the session was held and cannot be cancelled."))
    update_versioned(
        session,
        actor=actor,
        expected_version=expected_version,
        changes={"state": SessionState.CANCELLED},
        reason="cancelled",
    )
    if session.held_on >= periods.today():
        invitees_notify(session, "cancelled")
    return session


def invitees_notify(session: Session, what: str) -> int:
    """Tell the invitees with a login of a session (`what`: invitation, changed, cancelled,
    reminder); a key per session (and version, for a change): told once. Returns how many were
    created."""
    subjects = {
        "invitation": _("Invitation: %(session)s, %(when)s"),
        "changed": _("Changed: %(session)s, now %(when)s"),
        "cancelled": _("Cancelled: %(session)s, %(when)s"),
        "reminder": _("Tomorrow: %(session)s, %(when)s"),
    }
    users = [i.person.user for i in session.invitations.select_related("person__user") if i.person.user_id]
    key = f"meetings.{what}.{session.pk}"
    if what == "changed":
        key += f".{session.version}"
    return notifications.notify(
        recipients=users,
        kind=f"meetings.{what}",
        key=key,
        subject=subjects[what] % {"session": session, "when": session.when},
        body=session.place,
        url=reverse("meetings:mine"),
        scope_path=session.organization.path,
    )


# ----------------------------------------------------------------------------------- the reply


@transaction.atomic
def invitation_reply(
    *, actor, invitation: Invitation, reply: str, reason: str = "", expected_version: int
) -> Invitation:
    """The invitee confirms or asks to be excused before the session (issue 7, point 4); an excuse
    tells those who mark the attendance, who may take it as the reason of the absence. The pages and
    the API let only the invitee reply (selectors.invitation_own); the history names who did."""
    session = invitation.session
    if reply not in Reply.values:
        raise ValidationError({"reply": _("Choose whether you will attend.")})
    reason = " ".join(reason.split())
    if reply == Reply.EXCUSED and not reason:
        raise ValidationError({"reason": _("Write the reason you cannot attend.")})
    _check_open(session)
    if session.held_on < periods.today() or invitation.attendance:
        raise ValidationError(_("The session has taken place: the reply can no longer be changed."))
    update_versioned(
        invitation,
        actor=actor,
        expected_version=expected_version,
        changes={
            "reply": reply,
            "reply_reason": reason if reply == Reply.EXCUSED else "",
            "replied_at": timezone.now(),
        },
        reason="reply",
    )
    if reply == Reply.EXCUSED:
        _notify_organisers(invitation)
    return invitation


def organiser_users(organization: Organization, day: date, committees: dict[int, list] | None = None) -> list:
    """Who is told for an organiser: its committee (secretary, deputy, members) on `day`, and for a
    committee its office too. `committees`: committee_users already read for several organisers."""
    if committees is None:
        committees = org_selectors.committee_users([organization.pk], day)
    users = list(committees.get(organization.pk, []))
    if not organization.is_cell:
        users += org_selectors.office_users(organization)
    return users


def _notify_organisers(invitation: Invitation) -> None:
    session = invitation.session
    org = session.organization
    users = organiser_users(org, periods.today())
    notifications.notify(
        recipients=users,
        kind="meetings.excuse",
        key=f"meetings.excuse.{invitation.pk}.{invitation.version}",
        subject=_("%(name)s asks to be excused from %(session)s")
        % {"name": invitation.person, "session": session},
        body="",  # the reason (often health) stays on the session's page, out of e-mails
        url=session.get_absolute_url(),
        scope_path=org.path,
    )


# ---------------------------------------------------------------------------------- attendance


@dataclass(frozen=True)
class Mark:
    """One invitee's attendance as the organiser marks it."""

    invitation_id: int
    attendance: str
    reason: str = ""


@transaction.atomic
def attendance_mark(*, actor, session: Session, marks: Sequence[Mark], expected_version: int) -> int:
    """Mark the attendance of several invitees at once (issue 7, point 2); the session is then held.
    All or nothing: one bad row refuses the whole sheet with every problem named. A second form read
    at the same version of the session is refused (two secretaries marking at once). Returns how many
    rows changed."""
    _check_open(session)
    if session.held_on > periods.today():
        raise ValidationError(_("Attendance is marked on or after the day of the session."))
    invitations = {i.pk: i for i in session.invitations.select_related("person")}
    problems, changed = [], []
    for mark in marks:
        invitation = invitations.get(mark.invitation_id)
        if invitation is None:
            problems.append(_("An invitee of the sheet is not invited to this session."))
            continue
        reason = " ".join(mark.reason.split())[:255]
        if mark.attendance not in Attendance.values:
            problems.append(
                _("%(name)s: choose present, excused or unexcused.") % {"name": invitation.person}
            )
            continue
        if mark.attendance == Attendance.EXCUSED and not reason:
            reason = invitation.reply_reason
            if not reason:
                problems.append(_("%(name)s: write the reason of the absence.") % {"name": invitation.person})
                continue
        if mark.attendance == Attendance.PRESENT:
            reason = ""
        if (invitation.attendance, invitation.reason) != (mark.attendance, reason):
            invitation.attendance, invitation.reason = mark.attendance, reason
            changed.append(invitation)
    if not problems and invitations and not any(m.attendance for m in marks):
        problems.append(_("Mark the attendance of at least one invitee."))
    if problems:
        raise ValidationError(problems)
    update_versioned(
        session,
        actor=actor,
        expected_version=expected_version,
        changes={"state": SessionState.HELD},
        reason="attendance marked",
        touch=True,
    )
    for invitation in changed:
        invitation.version += 1
        save_audited(
            invitation,
            actor=actor,
            reason="attendance",
            update_fields=["attendance", "reason", "version", "updated_at"],
        )
    return len(changed)


# ------------------------------------------------------------------------------------- minutes


@transaction.atomic
def minutes_save(
    *,
    actor,
    session: Session,
    expected_version: int,
    chair: str,
    recorder: str,
    minutes: str,
    resolution: str,
    duration_minutes: int | None = None,
    file: UploadedFile | None = None,
) -> Session:
    """The minutes of a session (rules.md §5.1: chair, secretary, content, resolution), kept as the
    cell's resolution book (§9.5); writing them records the session as held."""
    _check_open(session)
    if session.held_on > periods.today():
        raise ValidationError(_("The minutes are written on or after the day of the session."))
    files.check_upload(file, "minutes_file")
    changes = {
        "chair": " ".join(chair.split()),
        "recorder": " ".join(recorder.split()),
        "minutes": minutes.strip(),
        "resolution": resolution.strip(),
        "duration_minutes": duration_minutes,
        "state": SessionState.HELD,
    }
    if file is not None:
        changes["minutes_file"] = files.store(session, "minutes_file", file, "bien-ban")
        changes["minutes_file_name"] = files.stored_name(file)
    update_versioned(
        session, actor=actor, expected_version=expected_version, changes=changes, reason="minutes"
    )
    return session


# ------------------------------------------------------------------------------------ settings


@transaction.atomic
def settings_save(
    *,
    actor,
    organization: Organization,
    thematic_every_months: int,
    min_minutes: int,
    expected_version: int | None,
) -> MeetingSettings:
    """The office's settings for the cells under it (rules.md "Product defaults")."""
    if thematic_every_months not in rules.THEMATIC_EVERY_MONTHS:
        raise ValidationError({"thematic_every_months": _("Choose a frequency from the list.")})
    shortest, longest = rules.MIN_MINUTES_RANGE
    if not shortest <= min_minutes <= longest:
        raise ValidationError(
            {
                "min_minutes": _("Give a length from %(min)d to %(max)d minutes.")
                % {"min": shortest, "max": longest}
            }
        )
    current = MeetingSettings.objects.filter(organization=organization).first()
    values = {"thematic_every_months": thematic_every_months, "min_minutes": min_minutes}
    if current is None:
        current = MeetingSettings(organization=organization, **values)
        save_audited(current, actor=actor, reason="settings")
        return current
    if expected_version is None:
        expected_version = -1  # the form read no settings, yet some exist now: stale
    return update_versioned(current, actor=actor, expected_version=expected_version, changes=values)
