"""Writes of the organisation app: `<entity>_<verb>(*, actor, ...)`, each in a transaction, each
leaving a history row that names the actor (core.audit)."""

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.core.services import printable_password
from dangvu.core.vietnamese import fold, name_sort_key, normalize_name

from . import rules
from .choices import AccessRole, OrgKind, SeatRole
from .models import CommitteeSeat, Organization, Person, RoleGrant


def _check_dates(start: date | None, end: date | None, message: str) -> None:
    if start and end and end < start:
        raise ValidationError(message)


def _check_placement(kind: str, parent: Organization | None) -> None:
    if parent is not None and kind not in rules.allowed_child_kinds(parent.kind):
        raise ValidationError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": _kind_label(kind), "parent": parent.get_kind_display()}
        )


def _kind_label(kind: str) -> str:
    return str(OrgKind(kind).label)


def _new_path(parent: Organization | None) -> str:
    # A random segment rather than the primary key: the path is known before the row is inserted,
    # so the first history row already holds it. `path` is unique, so a clash cannot pass silently.
    return f"{parent.path if parent else '/'}{secrets.token_hex(4)}/"


@transaction.atomic
def organization_create(
    *,
    actor,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    active_from: date | None = None,
    active_to: date | None = None,
) -> Organization:
    code, name = code.strip().upper(), normalize_name(name)
    if not code or not name:
        raise ValidationError(_("The code and the name are required."))
    _check_placement(kind, parent)
    _check_dates(active_from, active_to, _("The end date is before the start date."))
    if Organization.all_objects.filter(code=code).exists():
        raise ValidationError(_("The code %(code)s is already used.") % {"code": code})
    org = Organization(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=_new_path(parent),
        active_from=active_from,
        active_to=active_to,
        depth=(parent.depth + 1) if parent else 0,
    )
    save_audited(org, actor=actor)
    return org


@transaction.atomic
def organization_update(
    *, actor, organization: Organization, expected_version: int, **changes
) -> Organization:
    """Change name, code, kind, dates or parent. Moving rewrites the subtree's paths in one query."""
    if "code" in changes:
        changes["code"] = changes["code"].strip().upper()
        if Organization.all_objects.filter(code=changes["code"]).exclude(pk=organization.pk).exists():
            raise ValidationError(_("The code %(code)s is already used.") % {"code": changes["code"]})
    if "name" in changes:
        changes["name"] = normalize_name(changes["name"])
        if not changes["name"]:
            raise ValidationError(_("The name is required."))
    new_parent = changes.get("parent", organization.parent)
    kind = changes.get("kind", organization.kind)
    _check_placement(kind, new_parent)
    if kind != organization.kind and not rules.allowed_child_kinds(kind) and organization.children.exists():
        raise ValidationError(_("This organisation has organisations under it; it cannot be a cell."))
    _check_dates(
        changes.get("active_from", organization.active_from),
        changes.get("active_to", organization.active_to),
        _("The end date is before the start date."),
    )
    moving = "parent" in changes and changes["parent"] != organization.parent
    if moving:
        if new_parent is not None and new_parent.path.startswith(organization.path):
            raise ValidationError(_("An organisation cannot be moved under itself."))
        old_path = organization.path
        new_path = _new_path(new_parent)
        depth_shift = ((new_parent.depth + 1) if new_parent else 0) - organization.depth
        Organization.all_objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
        organization.path, organization.depth = new_path, organization.depth + depth_shift
    return update_versioned(organization, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def organization_delete(*, actor, organization: Organization, expected_version: int) -> None:
    """Soft-delete an organisation that has nothing live under it."""
    if organization.children.exists():
        raise ValidationError(_("Delete or move the organisations under it first."))
    if organization.seats.exists() or organization.people.exists():
        raise ValidationError(
            _(
                "This organisation has committee seats or people records, so it is not deleted. "
                "An organisation that stopped working is kept with the date it ended."
            )
        )
    soft_delete(organization, actor=actor, expected_version=expected_version)


@transaction.atomic
def person_create(
    *, actor, organization: Organization, full_name: str, date_of_birth: date | None = None
) -> Person:
    full_name = normalize_name(full_name)
    if not full_name:
        raise ValidationError(_("The full name is required."))
    person = Person(
        organization=organization,
        full_name=full_name,
        date_of_birth=date_of_birth,
        sort_key=name_sort_key(full_name),
        search_text=fold(full_name),
    )
    save_audited(person, actor=actor)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's name or date of birth (audited); the sort key and search text follow."""
    if "full_name" in changes:
        changes["full_name"] = normalize_name(changes["full_name"])
        if not changes["full_name"]:
            raise ValidationError(_("The full name is required."))
        changes["sort_key"] = name_sort_key(changes["full_name"])
        changes["search_text"] = fold(changes["full_name"])
    return update_versioned(person, actor=actor, expected_version=person.version, changes=changes)


@transaction.atomic
def person_move(*, actor, person: Person, organization_id: int) -> Person:
    """The organisation that keeps the person's record changes (a member moved to another cell)."""
    return update_versioned(
        person, actor=actor, expected_version=person.version, changes={"organization_id": organization_id}
    )


def _check_seat(organization: Organization, role: str, term_start: date, term_end: date | None) -> None:
    _check_dates(term_start, term_end, _("The term ends before it starts."))
    if role not in SeatRole.values:
        raise ValidationError(_("Unknown role."))
    if organization.active_to and term_start > organization.active_to:
        raise ValidationError(_("The organisation is no longer active on that date."))


@transaction.atomic
def seat_create(
    *,
    actor,
    person: Person,
    organization: Organization,
    role: str,
    term_start: date,
    term_end: date | None = None,
    part_time: bool = True,
) -> CommitteeSeat:
    _check_seat(organization, role, term_start, term_end)
    seat = CommitteeSeat(
        person=person,
        organization=organization,
        role=role,
        term_start=term_start,
        term_end=term_end,
        part_time=part_time,
    )
    save_audited(seat, actor=actor)
    return seat


@transaction.atomic
def seat_create_for_new_person(*, actor, organization: Organization, full_name: str, **seat) -> CommitteeSeat:
    """A seat for someone the system does not know yet: the person's record is created with it."""
    person = person_create(actor=actor, organization=organization, full_name=full_name)
    return seat_create(actor=actor, person=person, organization=organization, **seat)


@transaction.atomic
def seat_update(*, actor, seat: CommitteeSeat, expected_version: int, **changes) -> CommitteeSeat:
    _check_seat(
        seat.organization,
        changes.get("role", seat.role),
        changes.get("term_start", seat.term_start),
        changes.get("term_end", seat.term_end),
    )
    return update_versioned(seat, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def seat_delete(*, actor, seat: CommitteeSeat, expected_version: int) -> None:
    """Remove a seat entered by mistake (soft). A term that ended is recorded with `term_end`."""
    soft_delete(seat, actor=actor, expected_version=expected_version)


@transaction.atomic
def role_grant(*, actor, user, role: str, organization: Organization) -> RoleGrant:
    if role not in AccessRole.values:
        raise ValidationError(_("Unknown role."))
    existing = RoleGrant.objects.filter(user=user, role=role, organization=organization).first()
    if existing:
        return existing
    grant = RoleGrant(user=user, role=role, organization=organization)
    save_audited(grant, actor=actor)
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant, expected_version: int) -> None:
    soft_delete(grant, actor=actor, expected_version=expected_version, reason="revoked")


@dataclass(frozen=True)
class IssuedLogin:
    """A login and its printed password; the password is shown once and never stored in clear."""

    person: Person
    username: str
    password: str


@transaction.atomic
def logins_create(*, actor, people: list[Person]) -> list[IssuedLogin]:
    """Create a login for each person who has none; each must change the password at first login."""
    user_model = get_user_model()
    bases = {p.pk: rules.username_base(p.full_name) for p in people if p.user_id is None}
    prefixes = Q(pk__in=[])
    for base in set(bases.values()):
        prefixes |= Q(username__startswith=base)
    taken = set(user_model.objects.filter(prefixes).values_list("username", flat=True))
    issued = []
    for person in people:
        if person.user_id is not None:
            continue
        username = rules.unique_username(bases[person.pk], taken)
        taken.add(username)
        password = printable_password()
        user = user_model(username=username, first_name=person.full_name, must_change_password=True)
        user.set_password(password)
        save_audited(user, actor=actor, reason="login created")
        person.user = user
        save_audited(person, actor=actor, update_fields=["user", "updated_at"])
        issued.append(IssuedLogin(person=person, username=username, password=password))
    return issued
