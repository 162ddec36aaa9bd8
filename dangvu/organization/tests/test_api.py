"""The API honours the same scopes as the pages; stale writes are answered 409."""

import json

import pytest
from django.core.management import call_command

from dangvu.core import metrics
from dangvu.organization.models import CommitteeSeat, Organization

pytestmark = pytest.mark.django_db


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_the_api_needs_a_login(world, client):
    assert client.get("/api/v1/organizations").status_code == 401


def test_organizations_are_listed_within_the_scope(world, as_user):
    body = as_user(world.secretary_a).get("/api/v1/organizations").json()
    assert [o["code"] for o in body["items"]] == ["CB-A"] and body["count"] == 1
    office = as_user(world.office).get("/api/v1/organizations").json()
    assert office["count"] == 5


def test_an_organisation_outside_the_scope_is_404_like_a_missing_one(world, as_user):
    client = as_user(world.secretary_a)
    assert client.get("/api/v1/organizations/CB-A").status_code == 200
    assert client.get("/api/v1/organizations/CB-B").status_code == 404
    assert client.get("/api/v1/organizations/NOPE").status_code == 404


def test_office_renames_through_the_api_and_the_history_names_them(world, as_user):
    response = _patch(
        as_user(world.office), "/api/v1/organizations/CB-B", {"version": 1, "name": "Chi bộ Bê"}
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    org = Organization.objects.get(code="CB-B")
    assert org.name == "Chi bộ Bê" and org.history.latest().history_user == world.office


def test_a_stale_api_write_is_answered_409_and_changes_nothing(world, as_user):
    client = as_user(world.office)
    assert _patch(client, "/api/v1/organizations/CB-B", {"version": 1, "name": "Một"}).status_code == 200
    response = _patch(client, "/api/v1/organizations/CB-B", {"version": 1, "name": "Hai"})
    assert response.status_code == 409 and response.json()["current_version"] == 2
    assert Organization.objects.get(code="CB-B").name == "Một"


@pytest.mark.parametrize("persona", ["leader", "inspection", "secretary_a", "member_a"])
def test_read_only_personas_cannot_write_through_the_api(world, as_user, persona):
    response = _patch(
        as_user(getattr(world, persona)), "/api/v1/organizations/CB-A", {"version": 1, "name": "Không được"}
    )
    assert response.status_code == 404
    assert Organization.objects.get(code="CB-A").name == "Chi bộ A"


def test_invalid_dates_are_refused_with_422(world, as_user):
    response = _patch(
        as_user(world.office),
        "/api/v1/organizations/CB-B",
        {"version": 1, "active_from": "2026-05-01", "active_to": "2026-01-01"},
    )
    assert response.status_code == 422
    assert Organization.objects.get(code="CB-B").active_to is None


def test_seats_of_a_cell_and_a_stale_seat_write(world, as_user):
    client = as_user(world.office)
    seats = client.get("/api/v1/organizations/CB-A/seats").json()
    assert [s["person_name"] for s in seats] == ["Nguyễn Văn Bí Thư"]
    url = f"/api/v1/seats/{seats[0]['id']}"
    assert _patch(client, url, {"version": 1, "part_time": False}).status_code == 200
    assert _patch(client, url, {"version": 1, "part_time": True}).status_code == 409
    assert CommitteeSeat.objects.get(pk=seats[0]["id"]).part_time is False


def test_a_secretary_cannot_read_seats_of_another_cell(world, as_user):
    assert as_user(world.secretary_a).get("/api/v1/organizations/CB-B/seats").status_code == 404


def test_annual_report_has_the_contract_shape(world, as_user):
    body = as_user(world.leader).get("/api/v1/reports/annual", {"year": 2026, "org": "DU"}).json()
    assert body["organization"] == {"code": "DU", "name": "Đảng bộ Thử nghiệm"}
    assert body["year"] == 2026 and body["targets"] == []
    assert list(body["metrics"]) == [m.key for m in metrics.implemented()]
    assert body["metrics"]["cells.total"] == {"value": 3}


def test_annual_report_outside_the_scope_is_404(world, as_user):
    response = as_user(world.secretary_a).get("/api/v1/reports/annual", {"year": 2026, "org": "DU"})
    assert response.status_code == 404


def test_annual_report_defaults_to_the_single_visible_root(world, as_user):
    body = as_user(world.secretary_a).get("/api/v1/reports/annual", {"year": 2025}).json()
    assert body["organization"]["code"] == "CB-A" and body["as_of"] == "2025-12-31"


def test_the_openapi_schema_is_served(world, as_user):
    schema = as_user(world.office).get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/organizations/{code}" in schema["paths"]


def test_the_command_and_the_api_print_the_same_document(world, as_user, capsys):
    call_command("report", "annual", "--year", "2026", "--org", "DU", "--as-of", "2026-06-30")
    printed = json.loads(capsys.readouterr().out)
    body = (
        as_user(world.office)
        .get("/api/v1/reports/annual", {"year": 2026, "org": "DU", "as_of": "2026-06-30"})
        .json()
    )
    assert printed == body


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 1, "name": None},
        {"version": 1, "name": "   "},
        {"version": 1, "name": ""},
        {"version": "một", "name": "X"},
        {"name": "X"},
        {"version": 1, "active_from": "31/02/2026"},
    ],
)
def test_bad_organisation_input_is_422_and_changes_nothing(world, as_user, payload):
    response = _patch(as_user(world.office), "/api/v1/organizations/CB-B", payload)
    assert response.status_code == 422
    org = Organization.objects.get(code="CB-B")
    assert (org.name, org.version) == ("Chi bộ B", 1)


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 1, "term_start": None},
        {"version": 1, "part_time": None},
        {"version": 1, "part_time": "có"},
        {"version": 1, "role": "emperor"},
        {"version": 1, "role": None},
        {"version": 1, "term_end": "2020-01-01"},
    ],
)
def test_bad_seat_input_is_422_and_changes_nothing(world, as_user, payload):
    seat = CommitteeSeat.objects.get(person=world.secretary_a_person)
    response = _patch(as_user(world.office), f"/api/v1/seats/{seat.pk}", payload)
    assert response.status_code == 422
    seat.refresh_from_db()
    assert seat.version == 1 and seat.term_end is None


def test_a_write_that_changes_nothing_keeps_the_version(world, as_user):
    response = _patch(as_user(world.office), "/api/v1/organizations/CB-B", {"version": 1, "name": "Chi bộ B"})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert Organization.objects.get(code="CB-B").history.count() == 1


def test_annual_report_refuses_an_as_of_date_before_the_year(world, as_user):
    response = as_user(world.office).get(
        "/api/v1/reports/annual", {"year": 2026, "org": "DU", "as_of": "2025-06-30"}
    )
    assert response.status_code == 422


def test_office_creates_a_cell_and_a_seat_through_the_api(world, as_user):
    client = as_user(world.office)
    created = client.post(
        "/api/v1/organizations/DU/children",
        json.dumps({"code": "CB-API", "name": "Chi bộ API", "kind": "attached_cell"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["parent_code"] == "DU"
    seat = client.post(
        "/api/v1/organizations/CB-API/seats",
        json.dumps({"full_name": "Lê Thị Mới", "role": "secretary", "term_start": "2025-07-01"}),
        content_type="application/json",
    )
    assert seat.status_code == 201 and seat.json()["person_name"] == "Lê Thị Mới"
    assert CommitteeSeat.objects.get(pk=seat.json()["id"]).history.latest().history_user == world.office


@pytest.mark.parametrize("persona", ["leader", "secretary_a"])
def test_others_cannot_create_organisations_or_seats_through_the_api(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert (
        client.post(
            "/api/v1/organizations/CB-A/seats",
            json.dumps({"full_name": "X", "role": "secretary", "term_start": "2025-07-01"}),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/organizations/DU/children",
            json.dumps({"code": "CB-X", "name": "X", "kind": "attached_cell"}),
            content_type="application/json",
        ).status_code
        == 404
    )
