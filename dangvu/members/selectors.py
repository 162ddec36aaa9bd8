"""Reads of member records, always from the user's scope; lists cost a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from dangvu.core import access
from dangvu.core.access import VIEW, Scope
from dangvu.core.audit import Change, HistoryEntry, history_entries
from dangvu.core.vietnamese import fold
from dangvu.organization.models import Organization

from . import rules
from .choices import EventKind, Status
from .models import Member, MemberEvent, MembershipPeriod


def covering(on: date, prefix: str = "") -> Q:
    """Periods active on `on`: start inclusive, end exclusive."""
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on})
    )


def _in_force_on(kind: str, on: date, member_ref: str) -> Exists:
    return Exists(
        MemberEvent.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            member=OuterRef(member_ref),
            kind=kind,
            date__lte=on,
            annulled=False,
        )
    )


def exempt_on(on: date, member_ref: str = "pk") -> Exists:
    """An exemption from A to B covers A and B (metrics.md)."""
    return _in_force_on(EventKind.EXEMPTION, on, member_ref)


def suspended_on(on: date, member_ref: str = "pk") -> Exists:
    """A suspension of Party activity in force on `on`, counted like an exemption (both ends in)."""
    return _in_force_on(EventKind.SUSPENSION, on, member_ref)


def with_status(members: QuerySet[Member], on: date) -> QuerySet[Member]:
    """Annotate what the status on `on` needs, in the same query (no query per row)."""
    current = MembershipPeriod.objects.filter(covering(on), member=OuterRef("pk"))
    latest = MembershipPeriod.objects.filter(member=OuterRef("pk"), start__lte=on).order_by("-start")
    decisions = MemberEvent.objects.filter(
        member=OuterRef("pk"),
        date__lte=on,
        kind__in=[EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION],
    ).order_by("-date")
    return members.annotate(
        active_since=Subquery(current.values("start")[:1]),
        recognised_on=Subquery(current.values("recognised_on")[:1]),
        last_end=Subquery(latest.values("end")[:1]),
        last_end_reason=Subquery(latest.values("end_reason")[:1]),
        last_decision_on=Subquery(decisions.values("date")[:1]),
        is_exempt=exempt_on(on),
    )


def status_of(member: Member, on: date) -> str:
    """The status from `with_status` annotations, as rules.status_on gives it."""
    if member.active_since:
        recognised = member.recognised_on is not None and member.recognised_on <= on
        return Status.OFFICIAL if recognised else Status.PROBATIONARY
    decided, ended = member.last_decision_on, member.last_end
    if decided and (ended is None or decided >= ended):
        return Status.AWAITING_CEREMONY  # a decision (or re-admission) waiting for its ceremony
    return member.last_end_reason or Status.UNKNOWN


@dataclass(frozen=True)
class MemberFilters:
    """What the member list may be filtered by; every field optional."""

    query: str = ""
    status: str = ""  # active, probationary, official, exempt, deceased, left, transferred_out
    gender: str = ""
    age_from: int | None = None
    age_to: int | None = None
    party_age_from: int | None = None
    party_age_to: int | None = None


REGISTERS = {
    # slug: (status filter, title) — the registers of rules.md §9.5 that follow from the data
    "dang-vien": ("active", _("Register of Party members")),
    "du-bi": ("probationary", _("Register of probationary members")),
    "tu-tran": ("deceased", _("Register of deceased members")),
    "ra-khoi-dang": ("left", _("Register of members who left the Party")),
    "mien-sinh-hoat": ("exempt", _("Members exempt from Party work and meetings")),
}


def members_matching(
    scope: Scope, organization: Organization, filters: MemberFilters, *, on: date
) -> QuerySet[Member]:
    """Members kept in the subtree that the user sees and the filters select, with their status
    annotations, in Vietnamese name order: what the list pages and the export show."""
    members = access.restrict(Member.objects.all(), scope, VIEW).filter(
        person__organization__path__startswith=organization.path
    )
    return _filtered(with_status(members, on), filters, on).order_by("person__sort_key", "pk")


def member_list(
    scope: Scope,
    organization: Organization,
    filters: MemberFilters,
    *,
    on: date,
    after: tuple[str, int] | None = None,
    limit: int = 50,
) -> list[Member]:
    """One page of members kept in the subtree, in Vietnamese name order, keyset-paginated by
    (sort key, id): one query whatever the page."""
    members = members_matching(scope, organization, filters, on=on)
    if after:
        key, pk = after
        members = members.filter(Q(person__sort_key__gt=key) | Q(person__sort_key=key, pk__gt=pk))
    rows = list(
        members.select_related("person", "person__organization").order_by("person__sort_key", "pk")[
            : limit + 1
        ]
    )
    for row in rows:
        row.status = status_of(row, on)
    return rows


def _filtered(members: QuerySet[Member], f: MemberFilters, on: date) -> QuerySet[Member]:
    for word in fold(f.query).split():
        # Each query word is the start of a word of the name, accents and case ignored.
        members = members.filter(
            Q(person__search_text__startswith=word) | Q(person__search_text__contains=f" {word}")
        )
    members = _by_status(members, f.status, on)
    if f.gender:
        members = members.filter(gender=f.gender)
    if f.age_from is not None:
        members = members.filter(person__date_of_birth__lte=rules.add_months(on, -12 * f.age_from))
    if f.age_to is not None:
        members = members.filter(person__date_of_birth__gt=rules.add_months(on, -12 * (f.age_to + 1)))
    if f.party_age_from is not None or f.party_age_to is not None:
        members = members.filter(recognised_on__lte=on)
    if f.party_age_from is not None:
        members = members.filter(party_age_origin__lte=rules.add_months(on, -12 * f.party_age_from))
    if f.party_age_to is not None:
        members = members.filter(party_age_origin__gt=rules.add_months(on, -12 * (f.party_age_to + 1)))
    return members


def _by_status(members: QuerySet[Member], status: str, on: date) -> QuerySet[Member]:
    active = Q(active_since__isnull=False)
    return {
        "": members,
        "all": members,
        "active": members.filter(active),
        "probationary": members.filter(active).filter(
            Q(recognised_on__isnull=True) | Q(recognised_on__gt=on)
        ),
        "official": members.filter(active, recognised_on__lte=on),
        "exempt": members.filter(active, is_exempt=True),
        "deceased": members.filter(~active, last_end_reason=Status.DECEASED),
        "left": members.filter(~active, last_end_reason__in=[Status.REMOVED, Status.EXPELLED]),
        "transferred_out": members.filter(~active, last_end_reason=Status.TRANSFERRED_OUT),
    }.get(status, members.none())


def member_get(scope: Scope, pk: int, action: str = VIEW) -> Member:
    return access.get_for_user_or_404(
        Member.objects.select_related("person", "person__organization", "person__user"), scope, action, pk=pk
    )


def events_of(member: Member) -> list[MemberEvent]:
    return list(member.events.select_related("cell").order_by("date", "pk"))


def event_get(scope: Scope, pk: int, action: str) -> MemberEvent:
    return access.get_for_user_or_404(
        MemberEvent.objects.select_related("member", "member__person"), scope, action, pk=pk
    )


def record_history(member: Member, limit: int = 30) -> list[HistoryEntry]:
    """The record's history as the page shows it: changes to the record, to the person (name, date
    of birth) and to its events, newest first (three queries)."""
    entries = [*history_entries(member, limit), *history_entries(member.person, limit)]
    rows = (
        MemberEvent.history.filter(member_id=member.pk)
        .select_related("history_user")
        .order_by("-history_id")[:limit]
    )
    for row in rows:
        what = f"{EventKind(row.kind).label} {row.date:%d/%m/%Y}"
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                actor=(user.get_full_name() or user.username) if user else "—",
                kind="-" if row.deleted_at else row.history_type,
                reason="",
                changes=(Change("event", str(_("Event")), None, what),),
            )
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def official_members_per_cell(cell_ids: list[int], on: date) -> dict[int, int]:
    """Official members (recognised on or before `on`) active at each cell on `on`: one query."""
    rows = (
        MembershipPeriod.objects.filter(covering(on), recognised_on__lte=on, cell_id__in=cell_ids)
        .values("cell_id")
        .annotate(n=Count("member", distinct=True))
    )
    return {row["cell_id"]: row["n"] for row in rows}


def recognised_on(member_ids: list[int]) -> dict[int, date]:
    """The day each member became an official member (the first recognition not annulled): one query."""
    found: dict[int, date] = {}
    events = MemberEvent.objects.filter(
        member_id__in=member_ids, kind=EventKind.RECOGNITION, annulled=False
    ).order_by("date", "pk")
    for member_id, day in events.values_list("member_id", "date"):
        found.setdefault(member_id, day)
    return found


def events_counted(kinds, root_path: str, start: date, end: date) -> dict[str, int]:
    """How many members the subtree at `root_path` recorded an event of each of `kinds` for between
    `start` and `end` (not annulled, not temporary; an event without a cell counts at the member's
    organisation): one query."""
    found = (
        MemberEvent.objects.filter(
            kind__in=kinds,
            annulled=False,
            temporary=False,
            date__gte=start,
            date__lte=end,
        )
        .filter(
            Q(cell__path__startswith=root_path)
            | Q(cell__isnull=True, member__person__organization__path__startswith=root_path)
        )
        .values("kind")
        .annotate(n=Count("member", distinct=True))
    )
    counted = {row["kind"]: row["n"] for row in found}
    return {kind: counted.get(kind, 0) for kind in kinds}
