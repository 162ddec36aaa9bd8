"""Builders of the demo, one per capability; `dangvu load_demo` runs them in order.

Deterministic for a seed and a date: the same command gives the same data.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection

from dangvu.core.audit import save_audited
from dangvu.members.models import Member, MemberEvent, MembershipPeriod
from dangvu.organization import services as org_services
from dangvu.organization.choices import AccessRole, OrgKind, SeatRole
from dangvu.organization.models import CommitteeSeat, Organization, Person

from . import names
from .badges import build_badges
from .classification import build_classification
from .development import build_development
from .documents import build_documents
from .meetings import build_meetings
from .members import build_member
from .programme import build_programme
from .reports import build_reports
from .targets import build_targets

ROOT_CODE = "DU-VUSTA"
ROOT_NAME = "Đảng bộ Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"
DEMO_PASSWORD = "dangvu-demo"


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    actor: object
    members: int = 2000  # about this many member records
    root: Organization | None = None
    cells: list[Organization] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (username, what it shows)
    serial: int = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def term_starts(today: date) -> tuple[date, date]:
    """Start of the current and of the previous five-year term (congresses of 2020, 2025, ...)."""
    year = today.year - (today.year % 5)
    current = date(year, 7, 1)
    if current > today:
        current = date(year - 5, 7, 1)
    return current, date(current.year - 5, 7, 1)


def random_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}"
    return f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_FEMALE)} {rng.choice(names.GIVEN_FEMALE)}"


def build_organizations(ctx: DemoContext) -> None:
    """One root committee, 4 partial committees of 6 cells, 36 attached cells: 60 cells, 3 levels."""
    founded = date(1958, 1, 1)  # members were admitted from 1958 on
    ctx.root = org_services.organization_create(
        actor=ctx.actor,
        parent=None,
        code=ROOT_CODE,
        name=ROOT_NAME,
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        active_from=founded,
    )
    number = 0
    for code, name, cell_names in names.PARTIAL_COMMITTEES:
        partial = org_services.organization_create(
            actor=ctx.actor,
            parent=ctx.root,
            code=code,
            name=name,
            kind=OrgKind.PARTIAL_COMMITTEE,
            active_from=founded,
        )
        for cell_name in cell_names:
            number += 1
            ctx.cells.append(_cell(ctx, partial, number, cell_name))
    for cell_name in names.ATTACHED_CELLS:
        number += 1
        ctx.cells.append(_cell(ctx, ctx.root, number, cell_name))


def _cell(ctx: DemoContext, parent: Organization, number: int, name: str) -> Organization:
    # One cell founded this year and one dissolved last year, so the yearly counts differ.
    active_from, active_to = date(1958, 1, 1), None
    if number == 59:
        active_from = date(ctx.today.year, 3, 1)
    if number == 60:
        active_to = date(ctx.today.year - 1, 9, 30)
    return org_services.organization_create(
        actor=ctx.actor,
        parent=parent,
        code=f"CB-{number:02d}",
        name=f"Chi bộ {name}",
        kind=OrgKind.ATTACHED_CELL,
        active_from=active_from,
        active_to=active_to,
    )


def build_committees(ctx: DemoContext) -> None:
    """Seats for two terms: the root's đảng ủy and inspection commission, each cell's secretary,
    deputy and, in larger cells, a chi ủy. Almost all part-time, as in the article."""
    current, previous = term_starts(ctx.today)
    for start, end in ((previous, date(current.year, 6, 30)), (current, None)):
        _committee(ctx, ctx.root, start, end, size=13, standing=5, inspection=5)
        for org in Organization.objects.filter(kind=OrgKind.PARTIAL_COMMITTEE).order_by("code"):
            _committee(ctx, org, start, end, size=5, standing=0, inspection=0)
        for index, cell in enumerate(ctx.cells):
            if (cell.active_to and cell.active_to < start) or (end and cell.active_from > end):
                continue
            if index == 7 and end is None:
                continue  # a cell whose secretary left: shown under "needs attention"
            size = 8 if (index == 11 and end is None) else (5 if index % 4 == 0 else 2)
            _committee(ctx, cell, max(start, cell.active_from), end, size=size, standing=0, inspection=0)


def _committee(
    ctx: DemoContext,
    org: Organization,
    start: date,
    end: date | None,
    *,
    size: int,
    standing: int,
    inspection: int,
) -> None:
    roles = [SeatRole.SECRETARY] + [SeatRole.DEPUTY_SECRETARY] * (2 if size >= 9 else 1)
    roles += [SeatRole.STANDING_MEMBER] * max(0, standing - len(roles))
    roles += [SeatRole.COMMITTEE_MEMBER] * max(0, size - len(roles))
    roles += (
        [SeatRole.INSPECTION_CHAIR] + [SeatRole.INSPECTION_MEMBER] * (inspection - 1) if inspection else []
    )
    roles = roles[: size + inspection]
    for role, person in zip(roles, _seat_people(ctx, org, start, len(roles)), strict=True):
        org_services.seat_create(
            actor=ctx.actor,
            person=person,
            organization=org,
            role=role,
            term_start=start,
            term_end=end,
            part_time=True,
        )


def _seat_people(ctx: DemoContext, org: Organization, start: date, count: int) -> list[Person]:
    """Official members of the organisation's cells still active, else new people."""
    candidates = list(
        Person.objects.filter(
            organization__path__startswith=org.path,
            member__periods__end__isnull=True,
            member__periods__recognised_on__lt=start,
        )
        .distinct()
        .order_by("pk")
    )
    chosen = ctx.rng.sample(candidates, min(count, len(candidates)))
    while len(chosen) < count:
        chosen.append(
            org_services.person_create(actor=ctx.actor, organization=org, full_name=random_name(ctx.rng))
        )
    return chosen


def build_members(ctx: DemoContext) -> None:
    """About `ctx.members` member records spread over the cells, with their life events."""
    active = [c for c in ctx.cells if c.active_to is None]
    weights = [ctx.rng.randint(15, 50) for _ in ctx.cells]
    scale = ctx.members / sum(weights)
    for cell, weight in zip(ctx.cells, weights, strict=True):
        for _ in range(max(3, round(weight * scale))):
            build_member(ctx, cell, active)


def build_accounts(ctx: DemoContext) -> None:
    """A login for each persona of the tests, with one printed password."""
    cell_a, cell_b = ctx.cells[1], ctx.cells[2]
    current, _previous = term_starts(ctx.today)
    office = org_services.person_create(actor=ctx.actor, organization=ctx.root, full_name="Lê Thị Thu Hà")
    _login(ctx, office, "vanphong", "Văn phòng Đảng ủy (quản trị toàn Đảng bộ)")
    org_services.role_grant(actor=ctx.actor, user=office.user, role=AccessRole.OFFICE, organization=ctx.root)
    leader = _seat_holder(ctx.root, SeatRole.SECRETARY, current)
    _login(ctx, leader, "lanhdao", "Bí thư Đảng ủy (lãnh đạo, chỉ xem)")
    org_services.role_grant(actor=ctx.actor, user=leader.user, role=AccessRole.LEADER, organization=ctx.root)
    inspector = _seat_holder(ctx.root, SeatRole.INSPECTION_CHAIR, current)
    _login(ctx, inspector, "ubkt", "Chủ nhiệm Ủy ban Kiểm tra (chỉ xem)")
    org_services.role_grant(
        actor=ctx.actor, user=inspector.user, role=AccessRole.INSPECTION, organization=ctx.root
    )
    secretary = _seat_holder(cell_a, SeatRole.SECRETARY, current)
    _login(ctx, secretary, "bithu.cb02", f"Bí thư {cell_a.name}")
    _login(ctx, _plain_member(ctx, cell_a), "dangvien.cb02", f"Đảng viên {cell_a.name} (hồ sơ của mình)")
    _login(ctx, _plain_member(ctx, cell_b), "dangvien.cb03", f"Đảng viên {cell_b.name} (hồ sơ của mình)")


def _plain_member(ctx: DemoContext, cell: Organization) -> Person:
    """An active member of the cell without a seat (made if the cell has none)."""
    found = (
        Person.objects.filter(organization=cell, seats__isnull=True, member__periods__end__isnull=True)
        .order_by("pk")
        .first()
    )
    while found is None:
        member = build_member(ctx, cell, [c for c in ctx.cells if c.active_to is None])
        if member.periods.filter(end__isnull=True).exists():
            found = member.person
    return found


def _seat_holder(org: Organization, role: str, term_start: date) -> Person:
    return Person.objects.filter(
        seats__organization=org, seats__role=role, seats__term_start=term_start
    ).first()


def _login(ctx: DemoContext, person: Person, username: str, description: str) -> None:
    # An address on the reserved example.org domain: the demo's console e-mail shows what is sent.
    user = get_user_model()(username=username, first_name=person.full_name, email=f"{username}@example.org")
    user.set_password(DEMO_PASSWORD)
    save_audited(user, actor=ctx.actor, reason="demo login")
    person.user = user
    save_audited(person, actor=ctx.actor, update_fields=["user", "updated_at"])
    ctx.accounts.append((username, description))


def refresh_statistics(ctx: DemoContext) -> None:
    """Let PostgreSQL's planner see the rows just loaded before the builders that query them.

    Its statistics may say the tables are empty (a fresh database, or a test database whose tables
    were emptied): the review's roster (a query with correlated subqueries per member) then runs
    for minutes instead of a fraction of a second. ANALYZE inside the load's transaction counts the
    transaction's own rows. SQLite plans from its indexes and needs nothing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Organization, Person, Member, MemberEvent, MembershipPeriod, CommitteeSeat):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


BUILDERS = [
    build_organizations,
    build_members,
    build_committees,
    build_accounts,
    build_reports,
    refresh_statistics,
    build_development,  # before the review and meetings: its new members are rated and invited
    build_classification,  # after the accounts: the office decides, the demo secretary records
    build_meetings,  # after the committees and accounts: the courses, conferences and invitations
    build_programme,  # after the meetings: an action plan carries out one of their documents
    build_badges,  # after the review: the commendations come from its excellent results
    build_targets,  # the targets and the figures typed for the year before the data
    build_documents,  # last: the reports are written from everything above, targets included
]
