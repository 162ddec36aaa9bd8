"""Named personas and small builders shared by every app's tests.

The world: a grassroots committee (root) with cells A and B directly under it, and a partial
committee P holding cell C. Personas: the office (manages the root), a leader and the inspection
commission (read the root), the secretary of cell A (by their seat), a member of cell A and a member
of cell B (their own records), and a stranger with a login and no role.
"""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from dangvu.core.audit import save_audited
from dangvu.core.periods import WorkCalendar
from dangvu.organization import services
from dangvu.organization.choices import AccessRole, OrgKind, SeatRole
from dangvu.organization.models import Organization, Person

TERM_START = date(2025, 7, 1)


def make_user(username: str, **extra):
    user = get_user_model()(username=username, **extra)
    user.set_password("mat-khau-thu")
    user.save()
    return user


def make_org(actor, code: str, kind: str = OrgKind.ATTACHED_CELL, parent=None, **extra):
    return services.organization_create(
        actor=actor, parent=parent, code=code, name=extra.pop("name", f"Chi bộ {code}"), kind=kind, **extra
    )


def make_person(actor, org: Organization, full_name: str, username: str | None = None) -> Person:
    person = services.person_create(actor=actor, organization=org, full_name=full_name)
    if username:
        person.user = make_user(username, first_name=full_name)
        save_audited(person, actor=actor, update_fields=["user"])
    return person


def make_seat(
    actor,
    person: Person,
    org: Organization,
    role: str = SeatRole.SECRETARY,
    start: date = TERM_START,
    end: date | None = None,
    part_time: bool = True,
):
    return services.seat_create(
        actor=actor,
        person=person,
        organization=org,
        role=role,
        term_start=start,
        term_end=end,
        part_time=part_time,
    )


@dataclass
class World:
    admin: object
    root: Organization
    cell_a: Organization
    cell_b: Organization
    partial: Organization
    cell_c: Organization
    office: object
    leader: object
    inspection: object
    secretary_a: object
    member_a: object
    member_b: object
    stranger: object
    secretary_a_person: Person
    member_a_person: Person
    member_b_person: Person


def make_world() -> World:
    admin = make_user("setup", is_superuser=True)
    root = make_org(admin, "DU", OrgKind.GRASSROOTS_COMMITTEE, name="Đảng bộ Thử nghiệm")
    cell_a = make_org(admin, "CB-A", parent=root, name="Chi bộ A")
    cell_b = make_org(admin, "CB-B", parent=root, name="Chi bộ B")
    partial = make_org(admin, "DBBP", OrgKind.PARTIAL_COMMITTEE, parent=root, name="Đảng bộ bộ phận P")
    cell_c = make_org(admin, "CB-C", parent=partial, name="Chi bộ C")
    office = make_person(admin, root, "Lê Thị Văn Phòng", "office").user
    leader = make_person(admin, root, "Trần Lãnh Đạo", "leader").user
    inspection = make_person(admin, root, "Phạm Kiểm Tra", "inspection").user
    for user, role in (
        (office, AccessRole.OFFICE),
        (leader, AccessRole.LEADER),
        (inspection, AccessRole.INSPECTION),
    ):
        services.role_grant(actor=admin, user=user, role=role, organization=root)
    secretary = make_person(admin, cell_a, "Nguyễn Văn Bí Thư", "secretary_a")
    make_seat(admin, secretary, cell_a)
    member_a = make_person(admin, cell_a, "Hoàng Thị Đảng Viên", "member_a")
    member_b = make_person(admin, cell_b, "Vũ Văn Đảng Viên", "member_b")
    return World(
        admin=admin,
        root=root,
        cell_a=cell_a,
        cell_b=cell_b,
        partial=partial,
        cell_c=cell_c,
        office=office,
        leader=leader,
        inspection=inspection,
        secretary_a=secretary.user,
        member_a=member_a.user,
        member_b=member_b.user,
        stranger=make_user("stranger"),
        secretary_a_person=secretary,
        member_a_person=member_a,
        member_b_person=member_b,
    )


def make_member(
    actor,
    cell: Organization,
    full_name: str,
    *,
    born=date(1980, 5, 1),
    decision=date(2010, 3, 1),
    ceremony=date(2010, 3, 20),
    recognition=date(2011, 3, 25),
    **fields,
):
    """A member of `cell` with the usual admission events (recorded history)."""
    from dangvu.members import services as member_services

    return member_services.member_create(
        actor=actor,
        cell=cell,
        full_name=full_name,
        date_of_birth=born,
        admission=member_services.AdmissionDates(decision, ceremony, recognition),
        **fields,
    )


def shipped_work_calendar():
    """The working calendar as shipped (core/data), without the database: for pure rule tests."""
    data = Path(__file__).resolve().parent / "core" / "data" / "vn_calendar_2023_2027.json"
    days = json.loads(data.read_text(encoding="utf-8"))["days"]
    return WorkCalendar.from_days((date.fromisoformat(d["date"]), d["kind"]) for d in days)


def member_of_persona(world: World, person: Person, cell: Organization):
    """Make a persona's person (e.g. world.member_a_person) an official member of `cell` since 2010,
    through the members' services (admitted 01/03/2010, ceremony 20/03/2010, recognised 25/03/2011)."""
    from dangvu.members import services as member_services
    from dangvu.members.choices import EventKind
    from dangvu.members.models import Member

    member = Member(person=person)
    save_audited(member, actor=world.admin)
    member_services.member_history_record(
        actor=world.admin,
        member=member,
        events=[
            {"kind": EventKind.ADMISSION_DECISION, "date": date(2010, 3, 1), "cell": cell},
            {"kind": EventKind.CEREMONY, "date": date(2010, 3, 20), "cell": cell},
            {"kind": EventKind.RECOGNITION, "date": date(2011, 3, 25), "cell": cell},
        ],
    )
    return member


# ------------------------------------------------------------------------------------ API tests


def api_headers(user) -> dict:
    """The Authorization header of a fresh API token of `user`."""
    from dangvu.core.services import api_token_create

    _token, plain = api_token_create(actor=user, user=user, name="thử")
    return {"Authorization": f"Bearer {plain}"}


def api_send(client, method: str, path: str, body: dict | None, headers: dict):
    """A request of `method` to the API, with `body` as JSON when there is one."""
    kwargs = {"headers": headers}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(path, **kwargs)


# ------------------------------------------------------------------------------- browser tests

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_world(transactional_db):
    """The personas, committed (a live server reads them from another connection): import this
    fixture into a browser test module."""
    return make_world()


def browser_login(page, base: str, username: str, password: str = "mat-khau-thu") -> None:
    """Log a persona in through the login page."""
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")


def assert_no_sideways_scroll(page, width: int = PHONE["width"]) -> None:
    """The page is no wider than the screen (a phone: nothing scrolls sideways)."""
    found = page.evaluate("document.scrollingElement.scrollWidth")
    assert found <= width, f"{page.url} is {found} px wide"


def panel_of(source, user, organization: Organization):
    """What a panel of an organisation's page (organization.panels) shows `user`: the Panel its
    source returns for a request of theirs, over the organisation's subtree (or None)."""
    from django.test import RequestFactory

    from dangvu.core import access
    from dangvu.organization import selectors as org_selectors

    request = RequestFactory().get("/")
    request.user = user
    request.scope = access.scope_for(user)
    return source(request, organization, org_selectors.subtree(organization))


# --------------------------------------------------------------------------------- page tests

STALE = "người khác đã thay đổi hồ sơ này"


def messages_of(response) -> str:
    """The flash messages a response's request carried, as one line."""
    return " ".join(str(m) for m in response.wsgi_request._messages)


def query_count(callable_) -> int:
    """How many queries calling `callable_` (no arguments) makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)
