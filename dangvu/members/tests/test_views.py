"""Member pages with the personas: allowed and denied; lists filter, search and sort."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.models import PersonalDataAccess
from dangvu.members.models import Member, MemberEvent
from dangvu.testing import make_member, make_user

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")


@pytest.fixture
def members(world):
    a = make_member(world.office, world.cell_a, "Nguyễn Văn An", citizen_id="001080000001")
    b = make_member(world.office, world.cell_b, "Trần Thị Bình", citizen_id="001080000002")
    return a, b


def _pages(world, a):
    return {
        "list of cell A": (
            reverse("members:list", args=["CB-A"]),
            {"office", "leader", "inspection", "secretary_a"},
        ),
        "register of cell A": (
            reverse("members:register", args=["CB-A", "du-bi"]),
            {"office", "leader", "inspection", "secretary_a"},
        ),
        "list of the root": (reverse("members:list", args=["DU"]), {"office", "leader", "inspection"}),
        "record of a member of A": (
            reverse("members:detail", args=[a.pk]),
            {"office", "leader", "inspection", "secretary_a"},
        ),
        "edit form": (reverse("members:edit", args=[a.pk]), {"office", "secretary_a"}),
        "event form": (reverse("members:event_add", args=[a.pk]), {"office", "secretary_a"}),
        "new record form": (reverse("members:create", args=["CB-A"]), {"office", "secretary_a"}),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_member_pages_in_scope_and_404_outside(world, members, as_user, persona):
    client = as_user(getattr(world, persona))
    for name, (url, allowed) in _pages(world, members[0]).items():
        expected = 200 if persona in allowed else 404
        assert client.get(url).status_code == expected, name


def test_a_member_sees_their_own_record(world, as_user):
    own = make_member(world.office, world.cell_a, "Hoàng Thị Riêng")
    own.person.user = make_user("rieng.ht")
    own.person.save()
    client = as_user(own.person.user)
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200
    other = make_member(world.office, world.cell_a, "Hoàng Thị Khác")
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404


def test_an_unknown_register_is_404(world, as_user):
    assert as_user(world.office).get("/to-chuc/DU/so/khong-co/").status_code == 404


def test_search_ignores_accents_and_matches_word_starts(world, members, as_user):
    make_member(world.office, world.cell_a, "Nguyễn Văn Anh")
    client = as_user(world.office)
    for query in ("nguyen van an", "NGUYỄN văn An", "ng v a"):
        rows = client.get(reverse("members:list", args=["DU"]), {"q": query}).context["rows"]
        assert [m.person.full_name for m in rows] == ["Nguyễn Văn An", "Nguyễn Văn Anh"], query
    rows = client.get(reverse("members:list", args=["DU"]), {"q": "van an"}).context["rows"]
    assert "Trần Thị Bình" not in [m.person.full_name for m in rows]


def test_the_list_is_in_vietnamese_name_order(world, members, as_user):
    make_member(world.office, world.cell_a, "Lê Văn Ánh")
    make_member(world.office, world.cell_a, "Đỗ Thị Ân")
    rows = as_user(world.office).get(reverse("members:list", args=["DU"])).context["rows"]
    assert [m.person.full_name for m in rows] == ["Nguyễn Văn An", "Lê Văn Ánh", "Đỗ Thị Ân", "Trần Thị Bình"]


def test_filters_by_status_gender_and_age(world, members, as_user):
    young = make_member(
        world.office,
        world.cell_a,
        "Phan Văn Trẻ",
        born=date(2000, 1, 1),
        decision=date(2025, 1, 5),
        ceremony=date(2025, 2, 1),
        recognition=None,
        gender="male",
    )
    client = as_user(world.office)
    url = reverse("members:list", args=["DU"])
    names = lambda params: [m.person.full_name for m in client.get(url, params).context["rows"]]  # noqa: E731
    assert names({"status": "probationary"}) == [young.person.full_name]
    assert names({"gender": "male"}) == [young.person.full_name]
    assert names({"age_to": 30}) == [young.person.full_name]
    assert young.person.full_name not in names({"party_age_from": 10})
    assert "Nguyễn Văn An" in names({"party_age_from": 10})


def test_the_list_answers_htmx_with_the_table_only(world, members, as_user):
    response = as_user(world.office).get(
        reverse("members:list", args=["DU"]), {"q": "binh"}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert "Trần Thị Bình" in text and "<html" not in text


def test_the_list_costs_the_same_queries_for_1_row_and_50(world, as_user):
    client = as_user(world.office)
    url = reverse("members:list", args=["DU"])
    make_member(world.office, world.cell_a, "Một Người")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["rows"]) == 1
    for i in range(55):
        make_member(world.office, world.cell_b if i % 2 else world.cell_a, f"Người Số {i}")
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(url).context["rows"]) == 50
    assert len(fifty) == len(one)


def test_keyset_pages_follow_each_other_without_gaps(world, as_user):
    for i in range(60):
        make_member(world.office, world.cell_a, f"Người Số {i:02d}")
    client = as_user(world.office)
    url = reverse("members:list", args=["DU"])
    first = client.get(url)
    second = client.get(url, {"sau": first.context["next_after"]})
    ids = [m.pk for m in first.context["rows"]] + [m.pk for m in second.context["rows"]]
    assert len(ids) == len(set(ids)) == 60


def test_sensitive_data_is_shown_to_record_keepers_and_logged(world, members, as_user):
    url = reverse("members:detail", args=[members[0].pk])
    assert "001080000001" in as_user(world.secretary_a).get(url).content.decode()
    assert PersonalDataAccess.objects.filter(user=world.secretary_a).count() == 1
    assert "001080000001" not in as_user(world.leader).get(url).content.decode()
    assert not PersonalDataAccess.objects.filter(user=world.leader).exists()


def test_secretary_edits_a_record_of_their_cell_with_history(world, members, as_user):
    member = members[0]
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("members:edit", args=[member.pk]),
        {
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "01/05/1980",
            "hometown": "Nam Định",
            "citizen_id": "001080000001",
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Nam Định" in page and "Nguyễn Văn Bí Thư" in page  # the change and who made it


def test_secretary_cannot_edit_a_member_of_another_cell(world, members, as_user):
    response = as_user(world.secretary_a).post(
        reverse("members:edit", args=[members[1].pk]),
        {"full_name": "X", "date_of_birth": "01/05/1980", "version": 1},
    )
    assert response.status_code == 404
    assert Member.objects.get(pk=members[1].pk).person.full_name == "Trần Thị Bình"


def test_recording_an_event_from_the_page(world, members, as_user):
    response = as_user(world.secretary_a).post(
        reverse("members:event_add", args=[members[0].pk]),
        {"kind": "exemption", "date": "01/01/2026", "end_date": "31/12/2026", "reason": "Sức khỏe yếu"},
    )
    assert response.status_code == 302
    assert MemberEvent.objects.filter(member=members[0], kind="exemption").exists()


def test_a_bad_event_is_refused_with_a_message(world, members, as_user):
    response = as_user(world.office).post(
        reverse("members:event_add", args=[members[0].pk]),
        {"kind": "exemption", "date": "01/01/2026", "end_date": "01/01/2025"},
    )
    assert response.status_code == 200
    assert not MemberEvent.objects.filter(member=members[0], kind="exemption").exists()


def test_office_opens_a_record_with_its_admission_dates(world, as_user):
    response = as_user(world.office).post(
        reverse("members:create", args=["DU"]),
        {
            "full_name": "Bùi Thị Mới",
            "date_of_birth": "02/03/1990",
            "cell": world.cell_b.pk,
            "admission_decision": "01/06/2015",
            "ceremony": "20/06/2015",
            "recognition": "25/06/2016",
            "gender": "female",
        },
    )
    member = Member.objects.get(person__full_name="Bùi Thị Mới")
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.person.organization == world.cell_b
    assert member.first_decision_on == date(2015, 6, 1)


def test_the_record_page_shows_party_age_and_what_is_missing(world, members, as_user):
    text = as_user(world.office).get(reverse("members:detail", args=[members[0].pk])).content
    text = text.decode()
    assert "Tuổi đảng" in text and "Số lý lịch" in text  # record number is missing


def test_a_new_admission_outside_the_age_rule_is_refused_from_the_page(world, as_user):
    response = as_user(world.office).post(
        reverse("members:create", args=["DU"]),
        {
            "full_name": "Bùi Văn Nhỏ",
            "date_of_birth": "02/03/2010",
            "cell": world.cell_b.pk,
            "admission_decision": "01/06/2026",
            "new_admission": "on",
        },
    )
    assert response.status_code == 200 and "18" in response.content.decode()
    assert not Member.objects.filter(person__full_name="Bùi Văn Nhỏ").exists()


def test_an_event_form_admission_can_be_marked_new(world, members, as_user):
    young = make_member(
        world.office,
        world.cell_a,
        "Bùi Văn Trẻ",
        born=date(2010, 1, 1),
        decision=None,
        ceremony=None,
        recognition=None,
    )
    url = reverse("members:event_add", args=[young.pk])
    response = as_user(world.office).post(
        url, {"kind": "admission_decision", "date": "01/06/2026", "new_admission": "on"}
    )
    assert response.status_code == 200
    assert not MemberEvent.objects.filter(member=young).exists()


def test_the_history_shows_events_and_name_changes_with_their_actor(world, members, as_user):
    member = members[0]
    client = as_user(world.secretary_a)
    client.post(reverse("members:event_add", args=[member.pk]), {"kind": "death", "date": "02/02/2026"})
    client.post(
        reverse("members:edit", args=[member.pk]),
        {
            "full_name": "Nguyễn Văn Ân",
            "date_of_birth": "01/05/1980",
            "citizen_id": "001080000001",
            "version": 1,
        },
    )
    history = as_user(world.office).get(reverse("members:detail", args=[member.pk])).context["history"]
    described = [(e.actor, str(c.new)) for e in history for c in e.changes]
    assert ("Nguyễn Văn Bí Thư", "Nguyễn Văn Ân") in described
    assert ("Nguyễn Văn Bí Thư", "Từ trần 02/02/2026") in described


def test_list_and_record_agree_on_a_readmitted_member_awaiting_the_ceremony(world, as_user):
    from dangvu.members import services

    member = make_member(world.office, world.cell_a, "Lại Văn Về")
    services.member_history_record(
        actor=world.office,
        member=member,
        events=[
            dict(kind="removal", date=date(2019, 1, 1)),
            dict(kind="readmission_decision", date=date(2024, 2, 1)),
        ],
    )
    client = as_user(world.office)
    rows = client.get(reverse("members:list", args=["DU"]), {"status": "all"}).context["rows"]
    assert [m.status for m in rows if m.pk == member.pk] == ["awaiting_ceremony"]
    assert client.get(reverse("members:detail", args=[member.pk])).context["status"] == "awaiting_ceremony"


def test_a_new_record_with_impossible_dates_is_refused(world, as_user):
    response = as_user(world.office).post(
        reverse("members:create", args=["DU"]),
        {
            "full_name": "Đào Văn Ngược",
            "date_of_birth": "02/03/1980",
            "cell": world.cell_b.pk,
            "admission_decision": "01/06/2015",
            "ceremony": "01/05/2015",
        },
    )
    assert response.status_code == 200
    assert not Member.objects.filter(person__full_name="Đào Văn Ngược").exists()
