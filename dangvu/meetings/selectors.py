"""Reads of study and meetings, always from the user's scope; lists cost a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from dangvu.core import access
from dangvu.core.access import RECORDS, VIEW, Scope
from dangvu.members.models import Member, MembershipPeriod
from dangvu.members.selectors import covering
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization, Person

from . import rules
from .choices import CELL_MEETING_KINDS, STUDY_KINDS, Attendance, SessionKind, SessionState
from .models import Invitation, MeetingSettings, Session, StudyDocument, StudyObligation

# --------------------------------------------------------------------------------------- access


def can_organise(scope: Scope, organization: Organization) -> bool:
    """Who holds sessions and marks attendance for an organisation: the cell's secretary and chi ủy
    on their cell, the office anywhere in its subtree (core.access RECORDS, which MANAGE covers)."""
    return scope.covers(organization.path, RECORDS)


def ancestor_paths(path: str) -> list[str]:
    """ "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]."""
    segments = path.strip("/").split("/")
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


def _documents_q(scope: Scope) -> Q:
    """A document is seen by whoever sees the organisation that set it, and by whoever sees an
    organisation it applies to (a cell's secretary sees what the committee set for the cell)."""
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= Q(organization__path__startswith=path) | Q(organization__path__in=ancestor_paths(path))
    if scope.person_ids:
        condition |= Q(obligations__member__person_id__in=scope.person_ids)
    return condition


def documents_visible(scope: Scope) -> QuerySet[StudyDocument]:
    documents = StudyDocument.objects.all()
    if scope.is_system:
        return documents
    return documents.filter(pk__in=StudyDocument.objects.filter(_documents_q(scope)).values("pk"))


def document_get(scope: Scope, pk: int, action: str = VIEW) -> StudyDocument:
    """A document the user sees (VIEW), or one they may change (any other action: the office of the
    organisation that set it)."""
    documents = (
        documents_visible(scope) if action == VIEW else access.restrict(StudyDocument.objects, scope, action)
    )
    return access.get_for_user_or_404(documents.select_related("organization"), access.SYSTEM_SCOPE, pk=pk)


def documents_for(organization: Organization, year: int | None = None) -> QuerySet[StudyDocument]:
    """The documents set for the organisation (from it or above) or under it, by deadline; of a
    year: whose study deadline falls in it (metrics.md "Study")."""
    documents = StudyDocument.objects.filter(
        Q(organization__path__startswith=organization.path)
        | Q(organization__path__in=ancestor_paths(organization.path))
    ).select_related("organization")
    if year is not None:
        documents = documents.filter(study_by__year=year)
    return documents.order_by("-study_by", "pk")


# ------------------------------------------------------------------------------------- sessions


def sessions_in(
    scope: Scope, organization: Organization, *, year: int | None = None, kind: str = ""
) -> QuerySet[Session]:
    """Sessions organised by the organisation or under it, with their counts: one query."""
    sessions = access.restrict(Session.objects, scope).filter(
        organization__path__startswith=organization.path
    )
    if year is not None:
        sessions = sessions.filter(held_on__year=year)
    if kind:
        sessions = sessions.filter(kind=kind)
    live = Q(invitations__deleted_at__isnull=True)
    return sessions.select_related("organization").annotate(
        invited=Count("invitations", filter=live),
        present=Count("invitations", filter=live & Q(invitations__attendance=Attendance.PRESENT)),
        marked=Count("invitations", filter=live & ~Q(invitations__attendance="")),
    )


def session_get(scope: Scope, pk: int, action: str = VIEW) -> Session:
    return access.get_for_user_or_404(
        Session.objects.select_related("organization__parent"), scope, action, pk=pk
    )


def invitations_of(session: Session) -> list[Invitation]:
    """The invitees, sorted by given name (the person's sort key): one query."""
    return list(session.invitations.select_related("person").order_by("person__sort_key", "pk"))


def invitation_own(scope: Scope, pk: int) -> Invitation:
    """One of the user's own invitations, or 404."""
    return access.get_for_user_or_404(
        Invitation.objects.filter(person_id__in=scope.person_ids).select_related(
            "session__organization", "person"
        ),
        access.SYSTEM_SCOPE,
        pk=pk,
    )


# ---------------------------------------------------------------------------------------- study


def studied_pairs(
    person_ids: Iterable[int] | None, document_ids: Iterable[int], as_of: date
) -> set[tuple[int, int]]:
    """(person, document) of everyone marked present at a held study or catch-up session for the
    document on or before `as_of`, organised anywhere (metrics.md "Study"): one query."""
    presences = Invitation.objects.filter(
        attendance=Attendance.PRESENT,
        session__kind__in=STUDY_KINDS,
        session__state=SessionState.HELD,
        session__deleted_at__isnull=True,
        session__held_on__lte=as_of,
        session__documents__in=list(document_ids),
    )
    if person_ids is not None:
        presences = presences.filter(person_id__in=list(person_ids))
    return set(presences.values_list("person_id", "session__documents"))


def still_owing(documents: list[StudyDocument], *, under: Organization, on: date) -> set[int]:
    """The person ids of members at a cell under `under`, active on `on`, who owe one of the
    documents and have not studied it by then (the invitees of a catch-up session). Three queries."""
    owed = list(
        StudyObligation.objects.filter(
            document__in=documents, cell__path__startswith=under.path, member__deleted_at__isnull=True
        ).values_list("member__person_id", "document_id", "member_id")
    )
    active = set(
        MembershipPeriod.objects.filter(covering(on), member_id__in={m for _p, _d, m in owed}).values_list(
            "member_id", flat=True
        )
    )
    done = studied_pairs({p for p, _d, _m in owed}, [d.pk for d in documents], on)
    return {
        person for person, document, member in owed if member in active and (person, document) not in done
    }


@dataclass
class CellProgress:
    """Who owes a document at one cell, and who has not studied it yet."""

    cell: Organization
    owed: int = 0
    studied: int = 0
    not_studied: list[Member] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return round(100 * self.studied / self.owed) if self.owed else None


def document_progress(document: StudyDocument, *, under: Organization, as_of: date) -> list[CellProgress]:
    """Per cell under `under`: members who owe the document, studied it, and the names of those
    who have not (issue 7, point 3). Two queries."""
    obligations = list(
        StudyObligation.objects.filter(document=document, cell__path__startswith=under.path)
        .select_related("cell", "member__person")
        .order_by("cell__code", "member__person__sort_key")
    )
    done = studied_pairs(None, [document.pk], as_of)
    rows: dict[int, CellProgress] = {}
    for obligation in obligations:
        row = rows.setdefault(obligation.cell_id, CellProgress(obligation.cell))
        row.owed += 1
        if (obligation.member.person_id, document.pk) in done:
            row.studied += 1
        else:
            row.not_studied.append(obligation.member)
    return list(rows.values())


def documents_owed(member: Member, as_of: date) -> list[StudyDocument]:
    """The documents a member has still to study, by deadline (issue 7, point 3). Two queries."""
    owed = list(
        StudyDocument.objects.filter(obligations__member=member)
        .select_related("organization")
        .order_by("study_by")
    )
    done = studied_pairs([member.person_id], [d.pk for d in owed], as_of)
    return [d for d in owed if (member.person_id, d.pk) not in done]


# --------------------------------------------------------------------------- the member's page


def upcoming(person: Person, today: date) -> list[Invitation]:
    """The person's coming sessions (planned, today or later), soonest first: two queries."""
    return list(
        Invitation.objects.filter(
            person=person,
            session__state=SessionState.PLANNED,
            session__held_on__gte=today,
            session__deleted_at__isnull=True,
        )
        .select_related("session__organization")
        .prefetch_related("session__documents")
        .order_by("session__held_on", "session__starts_at", "pk")
    )


def attendance_history(person: Person, year: int, today: date) -> list[Invitation]:
    """The person's sessions of the year that took place, latest first: one query."""
    return list(
        Invitation.objects.filter(
            person=person,
            session__held_on__year=year,
            session__held_on__lte=today,
            session__deleted_at__isnull=True,
        )
        .exclude(session__state=SessionState.CANCELLED)
        .select_related("session__organization")
        .order_by("-session__held_on", "-session__starts_at", "-pk")
    )


# ----------------------------------------------------------------------------- a cell's year


def settings_for(organization: Organization) -> MeetingSettings:
    """The settings that decide for an organisation: its own or the nearest above; the product
    defaults (unsaved) when there are none. One query."""
    return settings_of([organization])[organization.pk]


def settings_of(organizations: list[Organization]) -> dict[int, MeetingSettings]:
    """settings_for of several organisations in one query."""
    paths = {p for org in organizations for p in ancestor_paths(org.path)}
    saved = {
        s.organization.path: s
        for s in MeetingSettings.objects.filter(organization__path__in=paths).select_related("organization")
    }
    found = {}
    for org in organizations:
        nearest = next((saved[p] for p in reversed(ancestor_paths(org.path)) if p in saved), None)
        found[org.pk] = nearest or MeetingSettings(organization=org)
    return found


@dataclass
class CellYear:
    """A cell's meetings in a year as of a date (issue 7, point 3)."""

    cell: Organization
    year: int
    months_due: list[rules.Month]
    months_held: set[rules.Month]
    thematic_missing: list[int]
    present: int
    invited: int
    flagged: list[tuple[Person, list[int]]]  # members absent without reason in 3 months or more

    @property
    def months_missing(self) -> list[rules.Month]:
        return [m for m in self.months_due if m not in self.months_held]

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.present / self.invited) if self.invited else None


def cells_years(cells: list[Organization], year: int, as_of: date) -> list[CellYear]:
    """The year of each cell, whatever their number, in four queries."""
    if not cells:
        return []
    ids = [c.pk for c in cells]
    last_day = min(as_of, date(year, 12, 31))
    meetings: dict[int, list[rules.Meeting]] = defaultdict(list)
    for org_id, kind, held_on, state in Session.objects.filter(
        organization_id__in=ids, kind__in=CELL_MEETING_KINDS, held_on__year=year, held_on__lte=last_day
    ).values_list("organization_id", "kind", "held_on", "state"):
        meetings[org_id].append(rules.Meeting(kind, held_on, state == SessionState.HELD))
    counts = {
        row["session__organization_id"]: row
        for row in Invitation.objects.filter(
            session__organization_id__in=ids,
            session__kind__in=CELL_MEETING_KINDS,
            session__state=SessionState.HELD,
            session__deleted_at__isnull=True,
            session__held_on__year=year,
            session__held_on__lte=last_day,
        )
        .exclude(attendance="")
        .values("session__organization_id")
        .annotate(invited=Count("pk"), present=Count("pk", filter=Q(attendance=Attendance.PRESENT)))
    }
    flags = flagged(ids, year, last_day)
    settings = settings_of(cells)
    result = []
    for cell in cells:
        found = meetings.get(cell.pk, [])
        count = counts.get(cell.pk, {})
        result.append(
            CellYear(
                cell=cell,
                year=year,
                months_due=rules.cell_months(year, as_of, cell.active_from, cell.active_to),
                months_held=rules.months_held(found),
                thematic_missing=rules.thematic_quarters_missing(
                    found, year, as_of, settings[cell.pk].thematic_every_months
                ),
                present=count.get("present", 0),
                invited=count.get("invited", 0),
                flagged=flags.get(cell.pk, []),
            )
        )
    return result


def flagged(cell_ids: list[int], year: int, last_day: date) -> dict[int, list[tuple[Person, list[int]]]]:
    """Per cell, the invitees absent without a reason from its meetings in 3 months or more of the
    year (rules.md §5.1; QĐ 294, 8.1), with those months: flagged for the cell, never acted on.
    One query."""
    absences: dict[tuple[int, int], list] = defaultdict(list)
    people: dict[int, Person] = {}
    for invitation in Invitation.objects.filter(
        session__organization_id__in=cell_ids,
        session__kind__in=CELL_MEETING_KINDS,
        session__deleted_at__isnull=True,
        session__held_on__year=year,
        session__held_on__lte=last_day,
        attendance=Attendance.UNEXCUSED,
    ).select_related("person", "session"):
        people[invitation.person_id] = invitation.person
        absences[(invitation.session.organization_id, invitation.person_id)].append(
            (invitation.session.kind, invitation.session.held_on, invitation.attendance)
        )
    found: dict[int, list[tuple[Person, list[int]]]] = defaultdict(list)
    for (cell_id, person_id), rows in absences.items():
        if rules.three_month_flag(rows, year):
            months = sorted(m for _y, m in rules.unexcused_months(rows, year))
            found[cell_id].append((people[person_id], months))
    for rows in found.values():
        rows.sort(key=lambda pair: pair[0].sort_key)
    return found


def cells_under(organization: Organization, year: int) -> list[Organization]:
    """The cells of the subtree active on at least one day of the year, by code: one query."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return list(
        Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=last))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("code")
    )


SESSION_KINDS_FOR = {
    True: [
        SessionKind.REGULAR,
        SessionKind.THEMATIC,
        SessionKind.EXTRAORDINARY,
        SessionKind.STUDY,
        SessionKind.CATCH_UP,
        SessionKind.TRAINING,
    ],
    False: [SessionKind.STUDY, SessionKind.CATCH_UP, SessionKind.TRAINING, SessionKind.CONFERENCE],
}
"""The kinds of session an organisation holds: a cell its meetings and its own study; a committee
study, catch-up, training and conferences."""
