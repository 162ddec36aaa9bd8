"""Reads of study and meetings, always from the user's scope; lists cost a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from dangvu.core import access, metrics
from dangvu.core.access import RECORDS, VIEW, Scope
from dangvu.core.periods import Year
from dangvu.members.models import Member, MembershipPeriod
from dangvu.members.selectors import covering
from dangvu.organization.choices import COMMITTEE_ROLES
from dangvu.organization.models import CommitteeSeat, Organization, Person
from dangvu.organization.selectors import ancestor_paths, cells_active, current_seat_q, people_in

from . import rules
from .choices import CELL_MEETING_KINDS, STUDY_KINDS, Attendance, SessionState
from .models import Invitation, MeetingSettings, Session, StudyDocument, StudyObligation

# --------------------------------------------------------------------------------------- access


def can_organise(scope: Scope, organization: Organization) -> bool:
    """Who holds sessions and marks attendance for an organisation: the cell's secretary and chi ủy
    on their cell, the office anywhere in its subtree (core.access RECORDS, which MANAGE covers)."""
    return scope.covers(organization.path, RECORDS)


def _documents_q(scope: Scope) -> Q:
    """A document is seen by whoever sees the organisation that set it, and by whoever sees an
    organisation it applies to (a cell's secretary sees what the committee set for the cell)."""
    condition = Q(pk__in=[])
    for path in scope.paths_for(VIEW):
        condition |= Q(organization__path__startswith=path) | Q(organization__path__in=ancestor_paths(path))
    if scope.person_ids:
        # Subqueries, not joins: joined, a member's obligations times their sessions' invitations
        # made the query of a committee's office last seconds.
        owed = StudyObligation.objects.filter(member__person_id__in=scope.person_ids)
        condition |= Q(pk__in=owed.values("document_id"))
        # An invitee reads the documents of their session beforehand (HD 42), owed or not.
        invited = Invitation.objects.filter(person_id__in=scope.person_ids, session__documents__isnull=False)
        condition |= Q(pk__in=invited.values("session__documents"))
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
    scope: Scope,
    organization: Organization | None,
    *,
    year: int | None = None,
    kind: str = "",
    document: StudyDocument | None = None,
) -> QuerySet[Session]:
    """Sessions organised by the organisation or under it, with their counts, latest first (an
    aggregate query ignores Meta.ordering, so it is named here): one query."""
    sessions = access.restrict(Session.objects, scope)
    if organization is not None:  # None: wherever the user sees (a document's sessions)
        sessions = sessions.filter(organization__path__startswith=organization.path)
    if document is not None:
        sessions = sessions.filter(documents=document)
    if year is not None:
        sessions = sessions.filter(held_on__year=year)
    if kind:
        sessions = sessions.filter(kind=kind)
    live = Q(invitations__deleted_at__isnull=True)
    return (
        sessions.select_related("organization")
        .annotate(
            invited=Count("invitations", filter=live),
            present=Count("invitations", filter=live & Q(invitations__attendance=Attendance.PRESENT)),
            marked=Count("invitations", filter=live & ~Q(invitations__attendance="")),
        )
        .order_by(*Session._meta.ordering)
    )


def session_get(scope: Scope, pk: int, action: str = VIEW) -> Session:
    return access.get_for_user_or_404(
        Session.objects.select_related("organization__parent"), scope, action, pk=pk
    )


def invitations_of(session: Session) -> list[Invitation]:
    """The invitees with each one's organisation, sorted by given name (the person's sort key): one
    query."""
    return list(session.invitations.select_related("person__organization").order_by("person__sort_key", "pk"))


def followers_q(organization: Organization, on: date) -> Q:
    """People holding a seat, on `on`, on a committee above a cell: the committee member who follows
    the cell attends its meetings (rules.md §5.1, HD 42). Nobody for a committee."""
    if not organization.is_cell:
        return Q(pk__in=[])
    above = [path for path in ancestor_paths(organization.path) if path != organization.path]
    seats = CommitteeSeat.objects.filter(
        current_seat_q(on), organization__path__in=above, role__in=COMMITTEE_ROLES
    ).values("person_id")
    return Q(pk__in=seats)


def invitable_people(scope: Scope, organization: Organization, on: date) -> QuerySet[Person]:
    """Whom an organiser may invite by hand from the pages: the people of its subtree the user sees
    and, for a cell, the committee members above it who follow it. One query when evaluated."""
    seen = people_in(scope, organization).values("pk")
    return (
        Person.objects.filter(Q(pk__in=seen) | followers_q(organization, on))
        .select_related("organization", "user")
        .order_by("sort_key")
    )


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
    document on or before `as_of`, organised anywhere (metrics.md "Study"; rules.studied, read in
    SQL): one query."""
    presences = Invitation.objects.filter(
        attendance=Attendance.PRESENT,
        session__kind__in=STUDY_KINDS,
        session__state=SessionState.HELD,
        session__deleted_at__isnull=True,
        session__held_on__lte=as_of,
        session__documents__in=list(document_ids),
    )
    if person_ids is None:
        return set(presences.values_list("person_id", "session__documents"))
    people = set(person_ids)
    if len(people) > _PEOPLE_IN_QUERY:
        # A long IN list costs more than reading every presence for the documents (measured on the
        # demo: 100 ms against 30 ms for 1,700 people), and SQLite caps a statement's parameters.
        return {
            pair for pair in presences.values_list("person_id", "session__documents") if pair[0] in people
        }
    return set(presences.filter(person_id__in=people).values_list("person_id", "session__documents"))


_PEOPLE_IN_QUERY = 200


def still_owing(documents: list[StudyDocument], *, under: Organization, on: date) -> set[int]:
    """The person ids of members at a cell under `under`, active on `on`, who owe one of the
    documents and have not studied it by then (the invitees of a catch-up session). A member who
    moved since the document was set is at their cell of `on`, not the one they owed it at. Two
    queries."""
    here = MembershipPeriod.objects.filter(covering(on), cell__path__startswith=under.path)
    owed = list(
        StudyObligation.objects.filter(
            document__in=documents, member_id__in=here.values("member_id"), member__deleted_at__isnull=True
        ).values_list("member__person_id", "document_id")
    )
    done = studied_pairs({p for p, _d in owed}, [d.pk for d in documents], on)
    return {person for person, document in owed if (person, document) not in done}


@dataclass
class CellProgress:
    """Who owes a document at one cell, and who has not studied it yet."""

    cell: Organization
    owed: int = 0
    studied: int = 0
    not_studied: list[Member] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return metrics.percent(self.studied, self.owed)


def document_progress(document: StudyDocument, *, under: Organization, as_of: date) -> list[CellProgress]:
    """Per cell under `under`: members who owe the document, studied it, and the names of those
    who have not (issue 7, point 3). Two queries."""
    obligations = list(
        StudyObligation.objects.filter(
            document=document, cell__path__startswith=under.path, member__deleted_at__isnull=True
        )
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


def upcoming(people: Person | Iterable[int], today: date) -> list[Invitation]:
    """The coming sessions (planned, today or later) of a person, or of the person ids (a user
    linked to several), soonest first, those without a time first on their day: two queries."""
    person_ids = [people.pk] if isinstance(people, Person) else list(people)
    return list(
        Invitation.objects.filter(
            person_id__in=person_ids,
            session__state=SessionState.PLANNED,
            session__held_on__gte=today,
            session__deleted_at__isnull=True,
        )
        .select_related("session__organization")
        .prefetch_related("session__documents")
        .order_by("session__held_on", F("session__starts_at").asc(nulls_first=True), "pk")
    )


def next_session(scope: Scope, organization: Organization, today: date) -> Session | None:
    """The organisation's next planned session (today or later) the user sees: one query."""
    return (
        access.restrict(Session.objects, scope)
        .filter(organization=organization, state=SessionState.PLANNED, held_on__gte=today)
        .order_by("held_on", F("starts_at").asc(nulls_first=True), "pk")
        .first()
    )


def member_of(person: Person) -> Member | None:
    """The person's member record, if they are a Party member: one query."""
    return Member.objects.filter(person=person).first()


def member_cell_ids(member: Member) -> set[int]:
    """The cells a member has belonged to (their membership periods): one query."""
    return set(
        MembershipPeriod.objects.filter(member=member, cell__isnull=False).values_list("cell_id", flat=True)
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
    settings: MeetingSettings | None = None  # those in force for the cell (settings_of)

    @property
    def months_missing(self) -> list[rules.Month]:
        return [m for m in self.months_due if m not in self.months_held]

    @property
    def attendance_percent(self) -> int | None:
        return metrics.percent(self.present, self.invited)


def cells_years(cells: list[Organization], year: int, as_of: date) -> list[CellYear]:
    """The year of each cell, whatever their number, in four queries."""
    if not cells:
        return []
    ids = [c.pk for c in cells]
    last_day = min(as_of, Year(year).end)
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
                    found,
                    year,
                    as_of,
                    settings[cell.pk].thematic_every_months,
                    cell.active_from,
                    cell.active_to,
                ),
                present=count.get("present", 0),
                invited=count.get("invited", 0),
                flagged=flags.get(cell.pk, []),
                settings=settings[cell.pk],
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
    the_year = Year(year)
    return list(cells_active(organization.path, the_year.start, the_year.end))


# ------------------------------------------------------------------------------ study in numbers


def study_counts(
    documents: list[StudyDocument], under: Organization, as_of: date
) -> dict[int, tuple[int, int]]:
    """Per document: (members at a cell under `under` who owe it, of them those who studied it by
    `as_of`); a document nobody there owes is absent. Two queries, whatever the number of documents."""
    if not documents:
        return {}
    owed: dict[int, set[int]] = defaultdict(set)
    for document_id, person_id in StudyObligation.objects.filter(
        document__in=documents, cell__path__startswith=under.path, member__deleted_at__isnull=True
    ).values_list("document_id", "member__person_id"):
        owed[document_id].add(person_id)
    done = studied_pairs({p for people in owed.values() for p in people}, [d.pk for d in documents], as_of)
    return {
        document_id: (len(people), sum(1 for p in people if (p, document_id) in done))
        for document_id, people in owed.items()
    }


@dataclass
class CellStudy:
    """Members attributed to a cell who owe documents of the year, and those who studied them all
    (study.members_studied_pct of the cell)."""

    owed: int = 0  # members who owe at least one document of the year
    studied: int = 0  # of them, those who studied every document they owe
    pending: int = 0  # (member, document) pairs not studied yet
    documents: int = 0  # documents that someone of the cell has not studied yet

    @property
    def percent(self) -> int | None:
        return metrics.percent(self.studied, self.owed)


@dataclass(frozen=True)
class MemberStudy:
    """One member's study of the documents of a year, where the member counts."""

    cell_id: int
    cell_path: str
    owed: frozenset[int]  # the documents of the year set for them, wherever they were
    pending: frozenset[int]  # of those, the ones not studied by the as-of date

    @property
    def studied_all(self) -> bool:
        return not self.pending


def study_of_members(root_path: str, year: int, as_of: date) -> dict[int, MemberStudy]:
    """The members attributed to a cell under `root_path` who owe a document of the year (study
    deadline in the year, set by `as_of`), as study.members_studied_pct counts them (metrics.md
    "Members", "Study"): a member counts at one cell, their official cell on `as_of` or the cell they
    left from, and owes every document set for them, wherever they were. Three queries, with no
    subquery per row: the obligations of those who were ever at a cell of the subtree, their periods
    (where they count is the latest started by `as_of`), and the presences."""
    ever_here = MembershipPeriod.objects.filter(cell__path__startswith=root_path, start__lte=as_of)
    owed: dict[int, set[int]] = defaultdict(set)
    person_of: dict[int, int] = {}
    for member_id, person_id, document_id in StudyObligation.objects.filter(
        document__study_by__year=year,
        document__set_on__lte=as_of,
        document__deleted_at__isnull=True,
        member__deleted_at__isnull=True,
        member_id__in=ever_here.values("member_id"),
    ).values_list("member_id", "member__person_id", "document_id"):
        owed[member_id].add(document_id)
        person_of[member_id] = person_id
    if not owed:
        return {}
    latest: dict[int, tuple[date, int, str]] = {}
    for member_id, start, cell_id, path in MembershipPeriod.objects.filter(
        member_id__in=list(owed), start__lte=as_of, cell__isnull=False
    ).values_list("member_id", "start", "cell_id", "cell__path"):
        if member_id not in latest or start >= latest[member_id][0]:
            latest[member_id] = (start, cell_id, path)
    documents = {d for found in owed.values() for d in found}
    done = studied_pairs(set(person_of.values()), documents, as_of)
    found = {}
    for member_id, documents_owed in owed.items():
        if member_id not in latest or not latest[member_id][2].startswith(root_path):
            continue  # counts elsewhere now
        _start, cell_id, path = latest[member_id]
        person_id = person_of[member_id]
        pending = frozenset(d for d in documents_owed if (person_id, d) not in done)
        found[member_id] = MemberStudy(cell_id, path, frozenset(documents_owed), pending)
    return found


def study_per_cell(cells: list[Organization], year: int, as_of: date) -> dict[int, CellStudy]:
    """For each cell, its members' study of the documents of the year (study_of_members), so that
    the cells add up to the organisation's figure study.members_studied_pct."""
    found = {cell.pk: CellStudy() for cell in cells}
    if not cells:
        return found
    root = _common_root([cell.path for cell in cells])
    pending_documents: dict[int, set[int]] = defaultdict(set)
    for study in study_of_members(root, year, as_of).values():
        if study.cell_id not in found:
            continue
        row = found[study.cell_id]
        row.owed += 1
        row.studied += study.studied_all
        row.pending += len(study.pending)
        pending_documents[study.cell_id] |= study.pending
    for cell_id, documents in pending_documents.items():
        found[cell_id].documents = len(documents)
    return found


def _common_root(paths: list[str]) -> str:
    """The deepest path every one of `paths` lies under ("/a/b/" for "/a/b/c/" and "/a/b/d/")."""
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    return common


def acting_organisations(scope: Scope, document: StudyDocument, action: str) -> list[Organization]:
    """Where the viewer acts on a document for `action`: the organisation that set it, or their own
    organisations inside its scope (a cell's secretary: their cell), by code. One query at most."""
    if scope.covers(document.organization.path, action):
        return [document.organization]
    paths = [p for p in scope.paths_for(action) if p.startswith(document.organization.path)]
    return list(Organization.objects.filter(path__in=paths).order_by("code")) if paths else []
