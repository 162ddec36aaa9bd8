"""Every page with the personas: the allowed and the denied case. Outside one's scope is a 404."""

import re
from datetime import date

import pytest
from django.urls import reverse

from dangvu.organization.models import CommitteeSeat, Organization, RoleGrant
from dangvu.testing import make_person, make_seat

pytestmark = pytest.mark.django_db

EVERYONE_ALLOWED = ("office", "leader", "inspection")


def _seat(world):
    return CommitteeSeat.objects.get(person=world.secretary_a_person)


GET_PAGES = {
    # name: (url builder, personas allowed; every other persona gets 404)
    "cell A page": (
        lambda w: reverse("organization:detail", args=["CB-A"]),
        {*EVERYONE_ALLOWED, "secretary_a"},
    ),
    "cell B page": (lambda w: reverse("organization:detail", args=["CB-B"]), {*EVERYONE_ALLOWED}),
    "root page": (lambda w: reverse("organization:detail", args=["DU"]), {*EVERYONE_ALLOWED}),
    "new organisation form": (lambda w: reverse("organization:create", args=["DU"]), {"office"}),
    "edit organisation form": (lambda w: reverse("organization:edit", args=["CB-A"]), {"office"}),
    "new seat form": (lambda w: reverse("organization:seat_create", args=["CB-A"]), {"office"}),
    "edit seat form": (lambda w: reverse("organization:seat_edit", args=[_seat(w).pk]), {"office"}),
    "logins of a cell": (lambda w: reverse("organization:accounts", args=["CB-A"]), {"office"}),
    "roles": (lambda w: reverse("organization:roles", args=["DU"]), {"office"}),
    "record of member A": (
        lambda w: reverse("organization:person", args=[w.member_a_person.pk]),
        {*EVERYONE_ALLOWED, "secretary_a", "member_a"},
    ),
    "record of member B": (
        lambda w: reverse("organization:person", args=[w.member_b_person.pk]),
        {*EVERYONE_ALLOWED, "member_b"},
    ),
}
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")


@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_is_shown_in_scope_and_404_outside(world, as_user, page, persona):
    url_for, allowed = GET_PAGES[page]
    response = as_user(getattr(world, persona)).get(url_for(world))
    assert response.status_code == (200 if persona in allowed else 404)


@pytest.mark.parametrize("page", GET_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(world, client, page):
    response = client.get(GET_PAGES[page][0](world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_missing_organisation_is_the_same_404_as_a_forbidden_one(world, as_user):
    client = as_user(world.secretary_a)
    missing = client.get(reverse("organization:detail", args=["KHONG-CO"]))
    forbidden = client.get(reverse("organization:detail", args=["CB-B"]))
    assert missing.status_code == forbidden.status_code == 404

    def without_token(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert without_token(missing) == without_token(forbidden)


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("office", "/to-chuc/DU/"),
        ("secretary_a", "/to-chuc/CB-A/"),
        ("leader", "/to-chuc/DU/"),
    ],
)
def test_home_opens_the_users_organisation(world, as_user, persona, target):
    response = as_user(getattr(world, persona)).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == target


def test_home_opens_a_members_own_page(world, as_user):
    """A member with no role lands on their own page (meetings, study, their record)."""
    response = as_user(world.member_a).get(reverse("home"))
    assert response["Location"] == reverse("meetings:mine")


def test_home_tells_a_user_without_role_whom_to_ask(world, as_user):
    response = as_user(world.stranger).get(reverse("home"))
    assert response.status_code == 200
    assert "Văn phòng" in response.content.decode() or "office" in response.content.decode()


def test_office_creates_a_cell(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:create", args=["DU"]),
        {
            "code": "cb-moi",
            "name": "  Chi bộ   Mới ",
            "kind": "attached_cell",
            "active_from": "01/03/2026",
            "active_to": "",
        },
    )
    org = Organization.objects.get(code="CB-MOI")
    assert response["Location"] == reverse("organization:detail", args=["CB-MOI"])
    assert org.name == "Chi bộ Mới" and org.active_from == date(2026, 3, 1)
    assert org.history.latest().history_user == world.office


@pytest.mark.parametrize("persona", ["leader", "inspection", "secretary_a", "member_a"])
def test_others_cannot_create_a_cell(world, as_user, persona):
    response = as_user(getattr(world, persona)).post(
        reverse("organization:create", args=["DU"]), {"code": "CB-X", "name": "X", "kind": "attached_cell"}
    )
    assert response.status_code == 404 and not Organization.objects.filter(code="CB-X").exists()


def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:create", args=["DU"]),
        {"code": "CB-A", "name": "Trùng mã", "kind": "attached_cell", "active_from": "31/02/2026"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "dd/mm/yyyy" in text
    assert Organization.objects.filter(code="CB-A").count() == 1


def test_a_stale_edit_form_is_refused_with_a_message(world, as_user):
    client = as_user(world.office)
    url = reverse("organization:edit", args=["CB-B"])
    data = {"code": "CB-B", "name": "Tên thứ nhất", "kind": "attached_cell", "version": 1}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Tên cũ ghi đè"})
    assert response.status_code == 200
    assert Organization.objects.get(code="CB-B").name == "Tên thứ nhất"
    assert response.context["form"].non_field_errors()


def test_office_adds_a_seat_for_a_new_person(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:seat_create", args=["CB-B"]),
        {
            "person": "",
            "new_person_name": "Đinh Thị Mới",
            "role": "secretary",
            "term_start": "01/07/2025",
            "term_end": "",
            "part_time": "on",
        },
    )
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(organization=world.cell_b)
    assert seat.person.full_name == "Đinh Thị Mới" and seat.part_time
    assert seat.person.organization == world.cell_b


def test_a_seat_form_without_person_is_refused(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:seat_create", args=["CB-B"]),
        {"person": "", "new_person_name": "", "role": "secretary", "term_start": "01/07/2025"},
    )
    assert (
        response.status_code == 200 and not CommitteeSeat.objects.filter(organization=world.cell_b).exists()
    )


def test_office_ends_a_term_and_the_secretary_loses_the_cell(world, as_user):
    seat = _seat(world)
    as_user(world.office).post(
        reverse("organization:seat_edit", args=[seat.pk]),
        {
            "role": "secretary",
            "term_start": "01/07/2025",
            "term_end": "01/01/2026",
            "part_time": "on",
            "version": seat.version,
        },
    )
    seat.refresh_from_db()
    assert seat.term_end == date(2026, 1, 1) and seat.history.latest().history_user == world.office
    response = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["leader", "secretary_a"])
def test_only_the_office_removes_a_seat(world, as_user, persona):
    seat = _seat(world)
    response = as_user(getattr(world, persona)).post(
        reverse("organization:seat_delete", args=[seat.pk]), {"version": seat.version}
    )
    assert response.status_code == 404 and CommitteeSeat.objects.filter(pk=seat.pk).exists()


def test_office_removes_a_seat_softly(world, as_user):
    seat = _seat(world)
    as_user(world.office).post(reverse("organization:seat_delete", args=[seat.pk]), {"version": seat.version})
    assert not CommitteeSeat.objects.filter(pk=seat.pk).exists()
    assert CommitteeSeat.all_objects.filter(pk=seat.pk, deleted_at__isnull=False).exists()


def test_office_deletes_an_empty_cell_and_others_cannot(world, as_user):
    url = reverse("organization:delete", args=["CB-C"])
    assert as_user(world.leader).post(url, {"version": 1}).status_code == 404
    response = as_user(world.office).post(url, {"version": 1})
    assert response["Location"] == reverse("organization:detail", args=["DBBP"])
    assert not Organization.objects.filter(code="CB-C").exists()


def test_office_prints_logins_for_a_cell_once(world, as_user):
    make_person(world.admin, world.cell_b, "Ngô Thị Lan")
    response = as_user(world.office).post(reverse("organization:accounts", args=["CB-B"]))
    text = response.content.decode()
    assert response.status_code == 200 and "lan.nt" in text
    again = as_user(world.office).post(reverse("organization:accounts", args=["CB-B"]))
    assert "lan.nt" not in again.content.decode()


def test_logins_page_searches_without_accents_and_answers_htmx_with_the_table(world, as_user):
    make_person(world.admin, world.cell_b, "Đặng Thị Thủy")
    response = as_user(world.office).get(
        reverse("organization:accounts", args=["DU"]), {"q": "dang thi thuy"}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert "Đặng Thị Thủy" in text and "Vũ Văn Đảng Viên" not in text
    assert "<html" not in text  # only the fragment


def test_office_resets_a_password_and_the_member_must_change_it(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:password_reset", args=[world.member_a_person.pk])
    )
    assert response.status_code == 200
    world.member_a.refresh_from_db()
    assert world.member_a.must_change_password


@pytest.mark.parametrize("persona", ["leader", "secretary_a", "member_a"])
def test_others_cannot_reset_a_password(world, as_user, persona):
    response = as_user(getattr(world, persona)).post(
        reverse("organization:password_reset", args=[world.member_a_person.pk])
    )
    assert response.status_code == 404


def test_office_grants_and_revokes_a_role(world, as_user):
    client = as_user(world.office)
    client.post(reverse("organization:roles", args=["DBBP"]), {"username": "member_b", "role": "leader"})
    grant = RoleGrant.objects.get(user=world.member_b)
    assert grant.organization == world.partial
    client.post(reverse("organization:role_revoke", args=[grant.pk]), {"version": grant.version})
    assert not RoleGrant.objects.filter(user=world.member_b).exists()


def test_a_role_cannot_be_granted_to_a_login_outside_the_office(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:roles", args=["DU"]), {"username": "stranger", "role": "office"}
    )
    assert response.status_code == 200 and not RoleGrant.objects.filter(user=world.stranger).exists()


@pytest.mark.parametrize("persona", ["leader", "inspection", "secretary_a"])
def test_others_cannot_revoke_a_role(world, as_user, persona):
    grant = RoleGrant.objects.get(user=world.leader)
    response = as_user(getattr(world, persona)).post(
        reverse("organization:role_revoke", args=[grant.pk]), {"version": grant.version}
    )
    assert response.status_code == 404 and RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_organisation_page_shows_history_with_the_actor(world, as_user):
    client = as_user(world.office)
    client.post(
        reverse("organization:edit", args=["CB-B"]),
        {"code": "CB-B", "name": "Chi bộ Bê", "kind": "attached_cell", "version": 1},
    )
    text = as_user(world.leader).get(reverse("organization:detail", args=["CB-B"])).content.decode()
    assert "Lê Thị Văn Phòng" in text and "Chi bộ Bê" in text


def test_a_secretary_sees_their_own_cell_figures_only(world, as_user):
    person = make_person(world.admin, world.cell_a, "Lý Thị Phó")
    make_seat(world.admin, person, world.cell_a, role="deputy_secretary", part_time=False)
    response = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"]))
    figures = {m.key: value for m, value in response.context["figures"]}
    assert figures["cells.total"] == {"value": 1}
    assert figures["committee.part_time_pct"]["denominator"] == 2


def test_a_secretary_gets_no_link_to_the_committee_above(world, as_user):
    text = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"])).content
    assert reverse("organization:detail", args=["DU"]).encode() not in text
    office = as_user(world.office).get(reverse("organization:detail", args=["CB-A"])).content
    assert reverse("organization:detail", args=["DU"]).encode() in office


def test_a_cell_secretary_can_be_given_a_seat_on_the_committee_above(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:seat_create", args=["DU"]),
        {
            "person": world.secretary_a_person.pk,
            "role": "committee_member",
            "term_start": "01/07/2025",
            "part_time": "on",
        },
    )
    assert response.status_code == 302
    assert world.secretary_a_person.seats.filter(organization=world.root).exists()


def test_a_seat_cannot_be_given_to_someone_outside_the_subtree(world, as_user):
    response = as_user(world.office).post(
        reverse("organization:seat_create", args=["CB-A"]),
        {
            "person": world.member_b_person.pk,
            "role": "committee_member",
            "term_start": "01/07/2025",
            "part_time": "on",
        },
    )
    assert response.status_code == 200
    assert not world.member_b_person.seats.exists()


def test_a_dissolved_cell_is_marked_in_the_tree(world, as_user):
    from dangvu.testing import make_org

    make_org(
        world.admin,
        "CB-CU",
        parent=world.root,
        name="Chi bộ Cũ",
        active_from=date(2010, 1, 1),
        active_to=date(2024, 6, 30),
    )
    text = as_user(world.office).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert "đã giải thể 30/06/2024" in text


def test_a_delete_without_its_version_changes_nothing(world, as_user):
    response = as_user(world.office).post(reverse("organization:delete", args=["CB-C"]), {}, follow=True)
    assert Organization.objects.filter(code="CB-C").exists()
    assert "chưa có gì được thay đổi" in response.content.decode()
