"""The member API: tokens, the personas on every endpoint, stale writes, bounded queries."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.services import api_token_create
from dangvu.members.models import Member, MemberEvent
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")


def _bearer(user) -> dict:
    _token, plain = api_token_create(actor=user, user=user, name="thử")
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def members(world):
    return (
        make_member(world.office, world.cell_a, "Nguyễn Văn An", citizen_id="001080000001"),
        make_member(world.office, world.cell_b, "Trần Thị Bình", citizen_id="001080000002"),
    )


def test_a_token_acts_as_its_user_and_a_revoked_one_does_not(world, members, client):
    headers = _bearer(world.secretary_a)
    body = client.get("/api/v1/members", {"org": "CB-A"}, headers=headers).json()
    assert [m["full_name"] for m in body["items"]] == ["Nguyễn Văn An"]
    token = world.secretary_a.api_tokens.get()
    client.force_login(world.office)
    client.post(reverse("organization:token_revoke", args=[world.secretary_a_person.pk, token.pk]))
    client.logout()
    assert client.get("/api/v1/members", headers=headers).status_code == 401
    assert client.get("/api/v1/members", headers={"Authorization": "Bearer dv_nope"}).status_code == 401


def test_a_user_creates_a_token_on_their_page_and_sees_it_once(world, as_user):
    client = as_user(world.leader)
    page = client.post(reverse("token_create"), {"name": "Công cụ báo cáo"}).content.decode()
    plain = re.search(r"dv_[A-Za-z0-9_-]+", page).group(0)
    assert world.leader.api_tokens.get().key_hash != plain  # only a hash is stored
    assert plain not in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_member_endpoints_in_scope_and_404_outside(world, members, client, persona):
    user = getattr(world, persona)
    if user.must_change_password:
        pytest.skip("not in use")
    headers = _bearer(user)
    a, b = members
    sees_a = persona in {"office", "leader", "inspection", "secretary_a"}
    keeps_a = persona in {"office", "secretary_a"}
    assert client.get(f"/api/v1/members/{a.pk}", headers=headers).status_code == (200 if sees_a else 404)
    assert client.get(f"/api/v1/members/{b.pk}/events", headers=headers).status_code == (
        200 if persona in {"office", "leader", "inspection"} else 404
    )
    response = client.patch(
        f"/api/v1/members/{a.pk}",
        json.dumps({"version": 1, "hometown": "Huế"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == (200 if keeps_a else 404)
    assert (Member.objects.get(pk=a.pk).hometown == "Huế") == keeps_a


def test_a_stale_member_write_is_409(world, members, client):
    headers = _bearer(world.office)
    url = f"/api/v1/members/{members[0].pk}"

    def patch(body):
        return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)

    assert patch({"version": 1, "hometown": "Huế"}).status_code == 200
    response = patch({"version": 1, "hometown": "Vinh"})
    assert response.status_code == 409 and response.json()["current_version"] == 2


def test_creating_a_member_and_an_event_through_the_api(world, client):
    headers = _bearer(world.secretary_a)
    created = client.post(
        "/api/v1/members",
        json.dumps(
            {
                "full_name": "Phan Văn Mới",
                "date_of_birth": "1990-02-03",
                "cell": "cb-a",
                "admission_decision": "2020-01-05",
                "ceremony": "2020-02-01",
            }
        ),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201 and created.json()["status"] == "probationary"
    member_id = created.json()["id"]
    event = client.post(
        f"/api/v1/members/{member_id}/events",
        json.dumps({"kind": "recognition", "date": "2021-02-03"}),
        content_type="application/json",
        headers=headers,
    )
    assert event.status_code == 201
    assert client.get(f"/api/v1/members/{member_id}", headers=headers).json()["status"] == "official"
    event_id = event.json()["id"]
    deleted = client.delete(f"/api/v1/events/{event_id}?version=1", headers=headers)
    assert deleted.status_code == 204
    assert not MemberEvent.objects.filter(pk=event_id).exists()


def test_rule_violations_are_422_with_the_field(world, client):
    response = client.post(
        "/api/v1/members",
        json.dumps(
            {
                "full_name": "Phan Văn Trẻ",
                "date_of_birth": "2012-02-03",
                "cell": "CB-A",
                "admission_decision": "2026-01-05",
                "new_admission": True,
            }
        ),
        content_type="application/json",
        headers=_bearer(world.office),
    )
    assert response.status_code == 422 and "date_of_birth" in response.json()["errors"]


def test_a_secretary_cannot_create_in_another_cell(world, client):
    response = client.post(
        "/api/v1/members",
        json.dumps({"full_name": "Phan Văn Lạ", "date_of_birth": "1990-02-03", "cell": "CB-B"}),
        content_type="application/json",
        headers=_bearer(world.secretary_a),
    )
    assert response.status_code == 404 and not Member.objects.exists()


def test_search_is_the_pages_search(world, members, client):
    body = client.get("/api/v1/members", {"q": "tran thi", "org": "DU"}, headers=_bearer(world.office)).json()
    assert [m["full_name"] for m in body["items"]] == ["Trần Thị Bình"]


def test_the_member_list_costs_the_same_for_1_row_and_50(world, client):
    headers = _bearer(world.office)
    make_member(world.office, world.cell_a, "Một Người")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/members", headers=headers).json()["count"] == 1
    for i in range(55):
        make_member(world.office, world.cell_b, f"Người Số {i}", born=date(1980, 1, 1))
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/members", headers=headers).json()["items"]) == 50
    assert len(fifty) == len(one)


def test_a_name_change_raises_the_records_version(world, members, client):
    headers = _bearer(world.office)
    url = f"/api/v1/members/{members[0].pk}"
    first = client.patch(
        url,
        json.dumps({"version": 1, "full_name": "Nguyễn Văn Ân"}),
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        url,
        json.dumps({"version": 1, "full_name": "Nguyễn Văn Ấn"}),
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409


def test_an_unknown_status_is_422(world, members, client):
    response = client.get("/api/v1/members", {"status": "bogus"}, headers=_bearer(world.office))
    assert response.status_code == 422
