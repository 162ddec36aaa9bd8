"""Reads of the organisation app. Every read starts from the user's scope."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from dangvu.core import access
from dangvu.core.access import INSPECT, MANAGE, RECORDS, VIEW, Scope
from dangvu.core.vietnamese import fold

from . import rules
from .choices import CELL_KINDS, COMMITTEE_ROLES, INSPECTION_ROLES, AccessRole, SeatRole
from .models import CommitteeSeat, Organization, Person, RoleGrant

GRANT_ACTIONS = {
    AccessRole.OFFICE: MANAGE,
    AccessRole.LEADER: VIEW,
    AccessRole.INSPECTION: INSPECT,  # reads the subtree, and carries out its programme
}


def current_seat_q(on: date, prefix: str = "") -> Q:
    """Seats whose term covers `on`."""
    return Q(**{f"{prefix}term_start__lte": on}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": on})
    )


def scope_source(user, on: date):
    """This app's part of a user's scope (core.access): granted roles and current seats.

    A seat gives read access to the organisation it sits on (a cell secretary sees their cell) for
    as long as the term lasts, a seat on a cell's committee lets its holder keep the cell's member
    records, and a seat on an inspection commission lets its holder carry out the programme of
    inspection and supervision (INSPECT); the office's grants give what they name.
    """
    pairs: list[tuple[str, str]] = []
    if user.is_superuser:
        pairs.append((MANAGE, "/"))
    for role, path in RoleGrant.objects.filter(user=user, organization__deleted_at__isnull=True).values_list(
        "role", "organization__path"
    ):
        pairs.append((GRANT_ACTIONS[role], path))
    seats = CommitteeSeat.objects.filter(
        current_seat_q(on),
        person__user=user,
        person__deleted_at__isnull=True,
        organization__deleted_at__isnull=True,
    ).values_list("organization__path", "organization__kind", "role")
    for path, kind, role in seats:
        pairs.append((VIEW, path))
        if kind in CELL_KINDS and role in COMMITTEE_ROLES:
            pairs.append((RECORDS, path))  # the chi ủy keeps its cell's member records
        if role in INSPECTION_ROLES:
            pairs.append((INSPECT, path))  # the inspection commission's programme
    person_ids = Person.objects.filter(user=user).values_list("pk", flat=True)
    return pairs, list(person_ids)


def organizations_visible(scope: Scope, action: str = VIEW) -> QuerySet[Organization]:
    return access.restrict(Organization.objects.all(), scope, action)


def organization_get(scope: Scope, code: str, action: str = VIEW) -> Organization:
    return access.get_for_user_or_404(Organization.objects.select_related("parent"), scope, action, code=code)


def organization_or(scope: Scope, code: str | None, default: Organization) -> Organization:
    """The organisation of `code` when given and seen by the user, else `default`: the page a user
    came from (a register, a batch) to go back to after a write."""
    if code:
        found = access.restrict(Organization.objects.filter(code=code), scope, VIEW).first()
        if found is not None:
            return found
    return default


def top_organizations(scope: Scope) -> list[Organization]:
    """The highest organisations the user sees: the roots of their subtrees."""
    if scope.is_system:
        return list(Organization.objects.filter(parent__isnull=True).order_by("code"))
    paths = scope.paths_for(VIEW)
    if "/" in paths:
        return list(Organization.objects.filter(parent__isnull=True).order_by("code"))
    return list(Organization.objects.filter(path__in=paths).order_by("code"))


def organization_or_single_top(scope: Scope, code: str | None, action: str = VIEW) -> Organization | None:
    """The organisation `code` (404 outside the scope for `action`); without a code, the user's only
    top organisation, or None when they see several or none (the caller asks for a code)."""
    if code:
        return organization_get(scope, code, action)
    tops = top_organizations(scope)
    return tops[0] if len(tops) == 1 else None


def ancestor_paths(path: str) -> list[str]:
    """The paths of an organisation and of those above it, from the root: "/a/b/c/" → ["/a/",
    "/a/b/", "/a/b/c/"]."""
    segments = path.strip("/").split("/")
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


def cells_active(root_path: str, first: date, last: date) -> QuerySet[Organization]:
    """The cells (chi bộ) under `root_path` ("/" for all) active on at least one day from `first` to
    `last`, by code: one query."""
    return Organization.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=last),
        Q(active_to__isnull=True) | Q(active_to__gte=first),
        path__startswith=root_path,
        kind__in=CELL_KINDS,
    ).order_by("code")


@dataclass
class TreeNode:
    organization: Organization
    depth: int  # relative to the subtree's root


def subtree(organization: Organization) -> list[TreeNode]:
    """The organisation and everything under it, in tree order, siblings by code: one query.

    The caller has already checked that the user sees `organization`; its subtree is then visible.
    """
    rows = list(
        Organization.objects.filter(path__startswith=organization.path).only(
            "id", "code", "name", "kind", "parent_id", "path", "depth", "active_from", "active_to"
        )
    )
    children: dict[int | None, list[Organization]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    ordered = [TreeNode(organization, 0)]
    stack = [(child, 1) for child in sorted(children[organization.pk], key=_sibling_key, reverse=True)]
    while stack:
        node, depth = stack.pop()
        ordered.append(TreeNode(node, depth))
        stack.extend((c, depth + 1) for c in sorted(children[node.pk], key=_sibling_key, reverse=True))
    return ordered


def _sibling_key(org: Organization) -> tuple[bool, str]:
    # Committees before cells, then by code: the order of the office's own lists.
    return (org.is_cell, org.code)


def seats_of(organization: Organization, *, on: date, current_only: bool = True) -> list[CommitteeSeat]:
    """Seats on this organisation's committee and inspection commission, with their people."""
    seats = CommitteeSeat.objects.filter(organization=organization).select_related("person", "organization")
    if current_only:
        seats = seats.filter(current_seat_q(on))
    # Roles in the order SeatRole lists them: secretary first, inspection commission last.
    order = {role: i for i, role in enumerate(SeatRole)}
    return sorted(seats, key=lambda s: (order[s.role], s.person.sort_key))


@dataclass(frozen=True)
class Attention:
    organization: Organization
    warning: rules.Warning


# Official members per cell on a date, supplied by the members app when it is installed; until
# then the member-count rules of §9.6 wait (rules.committee_warnings with official_members=None).
OfficialCounter = Callable[[list[int], date], dict[int, int]]
_official_counter: list[OfficialCounter] = []


def register_official_counter(counter: OfficialCounter) -> None:
    _official_counter[:] = [counter]


def attention_in(nodes: list[TreeNode], *, on: date) -> list[Attention]:
    """What needs attention in a subtree: structural warnings per active organisation (two
    queries: current seats, and official members per cell)."""
    orgs = [n.organization for n in nodes if n.organization.is_active_on(on)]
    roles_by_org: dict[int, list[str]] = defaultdict(list)
    rows = CommitteeSeat.objects.filter(
        current_seat_q(on), organization__in=[o.pk for o in orgs], role__in=COMMITTEE_ROLES
    ).values_list("organization_id", "role")
    for org_id, role in rows:
        roles_by_org[org_id].append(role)
    official = _official_by_org(orgs, on)
    found = []
    for org in orgs:
        summary = rules.summarize_roles(roles_by_org[org.pk])
        for warning in rules.committee_warnings(
            org.kind,
            summary,
            official_members=official.get(org.pk) if official else None,
            committee_max=settings.DANGVU_CELL_COMMITTEE_MAX,
        ):
            found.append(Attention(org, warning))
    return found


def _official_by_org(orgs: list[Organization], on: date) -> dict[int, int] | None:
    """Official members of each organisation and everything under it (a đảng bộ counts its cells)."""
    if not _official_counter:
        return None
    per_cell = _official_counter[0]([o.pk for o in orgs if o.is_cell], on)
    paths = {o.pk: o.path for o in orgs}
    return {
        org.pk: sum(n for cell, n in per_cell.items() if paths.get(cell, "").startswith(org.path))
        for org in orgs
    }


def people_in(scope: Scope, organization: Organization, query: str = "") -> QuerySet[Person]:
    """People whose records are kept in the subtree, by Vietnamese name order; `query` ignores
    diacritics ('nguyen van an' finds 'Nguyễn Văn An')."""
    people = access.restrict(Person.objects.all(), scope, VIEW).filter(
        organization__path__startswith=organization.path
    )
    if query.strip():
        people = people.filter(search_text__contains=fold(query))
    return people.select_related("organization", "user").order_by("sort_key")


def person_get(scope: Scope, pk: int, action: str = VIEW) -> Person:
    return access.get_for_user_or_404(
        Person.objects.select_related("organization", "user"), scope, action, pk=pk
    )


def person_seats(person: Person) -> list[CommitteeSeat]:
    return list(person.seats.select_related("organization").order_by("-term_start"))


def seat_get(scope: Scope, pk: int, action: str = VIEW) -> CommitteeSeat:
    return access.get_for_user_or_404(
        CommitteeSeat.objects.select_related("person", "organization"), scope, action, pk=pk
    )


def grants_in(scope: Scope, organization: Organization) -> QuerySet[RoleGrant]:
    return (
        access.restrict(RoleGrant.objects.all(), scope, VIEW)
        .filter(organization__path__startswith=organization.path)
        .select_related("user", "user__person", "organization")
        .order_by("organization__path", "role")
    )


def grant_get(scope: Scope, pk: int, action: str = MANAGE) -> RoleGrant:
    return access.get_for_user_or_404(
        RoleGrant.objects.select_related("user", "organization"), scope, action, pk=pk
    )


def login_get(scope: Scope, username: str, action: str = MANAGE):
    """A login whose person record is in the scope for `action`; None for any other name, so that
    the office cannot find out which logins exist elsewhere."""
    people = access.restrict(Person.objects.filter(user__username=username.strip()), scope, action)
    person = people.select_related("user").first()
    return person.user if person else None


def own_person(scope: Scope) -> Person:
    """The user's own person record (the first, if the office linked several)."""
    return Person.objects.filter(pk__in=scope.person_ids).order_by("pk").first()


def seats_in(organization: Organization) -> QuerySet[CommitteeSeat]:
    """Every seat (current and past) of the subtree's committees, for the export."""
    return (
        CommitteeSeat.objects.filter(organization__path__startswith=organization.path)
        .select_related("person", "organization")
        .order_by("organization__path", "role", "-term_start", "person__sort_key")
    )


def committee_users(org_ids: list[int], on: date) -> dict[int, list]:
    """Active logins of whoever holds a current committee seat (secretary, deputy, chi ủy member)
    on each organisation: those who act for it, e.g. on a report it owes. One query."""
    seats = (
        CommitteeSeat.objects.filter(
            current_seat_q(on),
            organization_id__in=org_ids,
            role__in=COMMITTEE_ROLES,
            person__deleted_at__isnull=True,
            person__user__is_active=True,
        )
        .select_related("person__user")
        .order_by("pk")
    )
    users: dict[int, list] = defaultdict(list)
    for seat in seats:
        if seat.person.user not in users[seat.organization_id]:
            users[seat.organization_id].append(seat.person.user)
    return users


def office_users(organization: Organization) -> list:
    """Active logins holding the office role on the organisation or on one above it."""
    grants = RoleGrant.objects.filter(
        role=AccessRole.OFFICE,
        organization__path__in=ancestor_paths(organization.path),
        organization__deleted_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    return list({g.user_id: g.user for g in grants.order_by("pk")}.values())
