"""Every API endpoint with the personas, through personal tokens: allowed, or 404 (outside the
scope, the same answer as missing). Writes that are refused change nothing."""

import json

import pytest

from dangvu.core.services import api_token_create
from dangvu.organization.models import CommitteeSeat
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_ROOT = {"office", "leader", "inspection"}
KEEPERS_OF_A = {"office", "secretary_a"}


def _calls(world, member, event, seat):
    """(method, path, body, personas allowed, success status)"""
    return [
        ("get", "/api/v1/organizations/CB-A", None, READERS_OF_A, 200),
        ("get", "/api/v1/organizations/DU", None, READERS_OF_ROOT, 200),
        ("patch", "/api/v1/organizations/CB-A", {"version": 1, "name": "Chi bộ A"}, {"office"}, 200),
        (
            "post",
            "/api/v1/organizations/DU/children",
            {"code": "CB-N", "name": "Chi bộ N", "kind": "attached_cell"},
            {"office"},
            201,
        ),
        ("get", "/api/v1/organizations/CB-A/seats", None, READERS_OF_A, 200),
        (
            "post",
            "/api/v1/organizations/CB-A/seats",
            {"full_name": "Lê Văn Mới", "role": "committee_member", "term_start": "2025-07-01"},
            {"office"},
            201,
        ),
        ("patch", f"/api/v1/seats/{seat.pk}", {"version": 1, "part_time": True}, {"office"}, 200),
        ("get", "/api/v1/reports/annual?year=2026&org=CB-A", None, READERS_OF_A, 200),
        ("get", "/api/v1/members?org=CB-A", None, READERS_OF_A, 200),
        ("get", f"/api/v1/members/{member.pk}", None, READERS_OF_A, 200),
        (
            "post",
            "/api/v1/members",
            {"full_name": "Lê Thị Mới", "date_of_birth": "1990-01-01", "cell": "CB-A"},
            KEEPERS_OF_A,
            201,
        ),
        ("patch", f"/api/v1/members/{member.pk}", {"version": 1, "hometown": "Huế"}, KEEPERS_OF_A, 200),
        ("get", f"/api/v1/members/{member.pk}/events", None, READERS_OF_A, 200),
        (
            "post",
            f"/api/v1/members/{member.pk}/events",
            {"kind": "exemption", "date": "2026-01-01"},
            KEEPERS_OF_A,
            201,
        ),
        ("delete", f"/api/v1/events/{event.pk}?version=1", None, KEEPERS_OF_A, 204),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona):
    member = make_member(world.office, world.cell_a, "Nguyễn Văn An")
    event = member.events.order_by("pk").last()
    seat = CommitteeSeat.objects.get(person=world.secretary_a_person)
    user = getattr(world, persona)
    _token, plain = api_token_create(actor=user, user=user, name="thử")
    headers = {"Authorization": f"Bearer {plain}"}
    for method, path, body, allowed, success in _calls(world, member, event, seat):
        kwargs = {"headers": headers}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        response = getattr(client, method)(path, **kwargs)
        expected = success if persona in allowed else 404
        assert response.status_code == expected, (method, path, response.content[:200])


def test_without_a_token_every_endpoint_is_401(world, client):
    assert client.get("/api/v1/organizations").status_code == 401
    assert client.post("/api/v1/members", "{}", content_type="application/json").status_code == 401
