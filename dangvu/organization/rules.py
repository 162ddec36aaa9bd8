"""Structural rules of the Party organisation: pure functions, no database.

Sources: shared/domain/rules.md §9.6 (QĐ 294-QĐ/TW points 6.3, 10, 23) [HIGH].
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangvu.core.vietnamese import fold

from .choices import CELL_KINDS, UPPER_KINDS, OrgKind, SeatRole

_GRASSROOTS = {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL}
_CHILD_KINDS: dict[str, frozenset[str]] = {
    OrgKind.UPPER_PROVINCE: frozenset({*UPPER_KINDS - {OrgKind.UPPER_PROVINCE}, *_GRASSROOTS}),
    OrgKind.UPPER_DISTRICT: frozenset({OrgKind.UPPER_COMMUNE, *_GRASSROOTS}),
    OrgKind.UPPER_COMMUNE: frozenset(_GRASSROOTS),
    OrgKind.GRASSROOTS_COMMITTEE: frozenset({OrgKind.PARTIAL_COMMITTEE, OrgKind.ATTACHED_CELL}),
    OrgKind.PARTIAL_COMMITTEE: frozenset({OrgKind.ATTACHED_CELL}),
    OrgKind.GRASSROOTS_CELL: frozenset(),
    OrgKind.ATTACHED_CELL: frozenset(),
}


def allowed_child_kinds(parent_kind: str) -> frozenset[str]:
    """Kinds that may sit directly under an organisation of `parent_kind`.

    A đảng bộ cơ sở has đảng bộ bộ phận and chi bộ trực thuộc; a đảng bộ bộ phận has chi bộ trực
    thuộc; a chi bộ has no organisation under it; committees above grassroots hold the grassroots
    organisations (rules.md §9.6; Điều lệ Đảng, chapter III).
    """
    return _CHILD_KINDS.get(parent_kind, frozenset())


def is_cell(kind: str) -> bool:
    """Chi bộ cơ sở and chi bộ trực thuộc are the cells every cell-based figure counts."""
    return kind in CELL_KINDS


@dataclass(frozen=True)
class SeatSummary:
    """Current seats of one organisation, counted by role."""

    committee_seats: int  # seats on the Party committee (chi ủy / đảng ủy), not the inspection one
    secretaries: int
    deputies: int


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def committee_warnings(
    kind: str, seats: SeatSummary, official_members: int | None = None, committee_max: int = 7
) -> list[Warning]:
    """What an organisation's committee lacks or exceeds (rules.md §9.6, QĐ 294 points 6.3, 10).

    - every organisation has a secretary, and only one;
    - a chi ủy has at most `committee_max` (7) members;
    - once members are recorded: a Party organisation needs at least 3 official members, and a
      chi bộ elects a chi ủy only from 9 official members (below that: a secretary and at most one
      deputy). `official_members=None` means members are not recorded yet: those checks wait.
    """
    found: list[Warning] = []
    if seats.secretaries == 0:
        found.append(Warning("no_secretary", _("No current secretary.")))
    elif seats.secretaries > 1:
        found.append(Warning("several_secretaries", _("More than one current secretary.")))
    if is_cell(kind) and seats.committee_seats > committee_max:
        found.append(
            Warning(
                "committee_too_large",
                _("The cell committee has %(n)d members; at most %(max)d are allowed.")
                % {"n": seats.committee_seats, "max": committee_max},
            )
        )
    if official_members is not None:
        found.extend(_membership_warnings(kind, seats, official_members))
    return found


def _membership_warnings(kind: str, seats: SeatSummary, official: int) -> list[Warning]:
    found = []
    if official < 3:
        found.append(
            Warning("too_few_members", _("Fewer than 3 official members (%(n)d).") % {"n": official})
        )
    if (
        is_cell(kind)
        and official < 9
        and (seats.committee_seats > seats.secretaries + seats.deputies or seats.deputies > 1)
    ):
        found.append(
            Warning(
                "committee_needs_nine",
                _(
                    "A cell with fewer than 9 official members elects a secretary and at most one "
                    "deputy, not a cell committee."
                ),
            )
        )
    return found


def summarize_roles(roles: Iterable[str]) -> SeatSummary:
    """Count the current seats of one organisation from their roles."""
    roles = list(roles)
    committee = [
        r
        for r in roles
        if r
        in {
            SeatRole.SECRETARY,
            SeatRole.DEPUTY_SECRETARY,
            SeatRole.STANDING_MEMBER,
            SeatRole.COMMITTEE_MEMBER,
        }
    ]
    return SeatSummary(
        committee_seats=len(committee),
        secretaries=committee.count(SeatRole.SECRETARY),
        deputies=committee.count(SeatRole.DEPUTY_SECRETARY),
    )


_NON_LOGIN = re.compile(r"[^a-z0-9]")


def username_base(full_name: str) -> str:
    """A login the office can print and a member can type: given name, then initials.

    'Nguyễn Văn An' -> 'an.nv'; 'Trần Thị Bích Ngọc' -> 'ngoc.ttb'.
    """
    words = [_NON_LOGIN.sub("", w) for w in fold(full_name).split(" ")]
    words = [w for w in words if w]
    if not words:
        return "user"
    initials = "".join(w[0] for w in words[:-1])
    return f"{words[-1]}.{initials}" if initials else words[-1]


def unique_username(base: str, taken: set[str]) -> str:
    """`base`, or `base2`, `base3`, ... the first one not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"
