"""The reports API: every endpoint with the personas, the statuses, and bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.reports import services
from dangvu.reports.models import ReportRequest
from dangvu.testing import api_headers, api_send, make_org

from .factories import make_request, submission_of

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS_OF_ROOT = {"office", "leader", "inspection"}
READERS_OF_A = READERS_OF_ROOT | {"secretary_a"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona):
    due = timezone.localdate() + timedelta(days=5)
    request = make_request(world, due=due)
    a = submission_of(request, world.cell_a)
    b = submission_of(request, world.cell_b)
    services.submit(actor=world.office, submission=b, values={"f1": "4"})
    b.refresh_from_db()
    headers = api_headers(getattr(world, persona))
    calls = [
        ("get", f"/api/v1/report-requests/{request.pk}", None, READERS_OF_ROOT, 200),
        ("get", f"/api/v1/submissions/{a.pk}", None, READERS_OF_A, 200),
        (
            "post",
            f"/api/v1/submissions/{a.pk}/versions",
            {"values": {"f1": 7}},
            {"office", "secretary_a"},
            201,
        ),
        ("post", f"/api/v1/submissions/{b.pk}/accept", {"version": b.version}, {"office"}, 200),
        (
            "post",
            "/api/v1/report-requests",
            {
                "organization_code": "DU",
                "title": "Báo cáo đột xuất",
                "period_kind": "adhoc",
                "year": due.year,
                "first_due": due.isoformat(),
                "requires_file": False,
                "form_items": ["Ý kiến"],
                "recipient_codes": ["CB-A"],
            },
            {"office"},
            201,
        ),
    ]
    for method, path, body, allowed, success in calls:
        response = api_send(client, method, path, body, headers)
        assert response.status_code == (success if persona in allowed else 404), (
            path,
            response.content[:300],
        )


def test_lists_show_only_what_the_user_sees(world, client):
    request = make_request(world, due=timezone.localdate() + timedelta(days=5))
    secretary = client.get("/api/v1/submissions", headers=api_headers(world.secretary_a)).json()
    assert [s["cell_code"] for s in secretary["items"]] == ["CB-A"]
    assert client.get("/api/v1/report-requests", headers=api_headers(world.secretary_a)).json()["items"] == []
    office = client.get(f"/api/v1/submissions?request={request.pk}", headers=api_headers(world.office)).json()
    assert sorted(s["cell_code"] for s in office["items"]) == ["CB-A", "CB-B", "CB-C"]
    assert {s["status"] for s in office["items"]} == {"due"}
    only_due = client.get("/api/v1/submissions?status=missing", headers=api_headers(world.office)).json()
    assert only_due["count"] == 0
    assert (
        client.get("/api/v1/submissions?cell=CB-B", headers=api_headers(world.secretary_a)).status_code == 404
    )


def test_bad_writes_say_why_and_change_nothing(world, client):
    request = make_request(world, due=timezone.localdate() + timedelta(days=5))
    a = submission_of(request, world.cell_a)
    headers = api_headers(world.secretary_a)
    response = api_send(
        client, "post", f"/api/v1/submissions/{a.pk}/versions", {"values": {"f1": "nhiều"}}, headers
    )
    assert response.status_code == 422 and "f1" in response.json()["errors"]
    assert not a.versions.exists()
    services.submit(actor=world.secretary_a, submission=a, values={"f1": "1"})
    stale = api_send(
        client, "post", f"/api/v1/submissions/{a.pk}/accept", {"version": 1}, api_headers(world.office)
    )
    assert stale.status_code == 409
    bad = api_send(
        client,
        "post",
        "/api/v1/report-requests",
        {
            "organization_code": "DU",
            "title": "X",
            "period_kind": "month",
            "year": 2026,
            "number": 1,
            "first_due": "2026-01-25",
            "recipient_codes": ["DBBP"],
        },
        api_headers(world.office),
    )
    assert bad.status_code == 422
    assert ReportRequest.objects.count() == 1


def test_the_list_costs_the_same_queries_for_one_cell_and_fifty(world, client):
    headers = api_headers(world.office)
    counts = []
    for size in (1, 50):
        cells = [
            make_org(world.admin, f"Z{size}-{i}", parent=world.root, name=f"Chi bộ Z{i}") for i in range(size)
        ]
        make_request(world, due=timezone.localdate() + timedelta(days=3), cells=cells, title=f"R{size}")
        client.get("/api/v1/submissions?page_size=100", headers=headers)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/submissions?page_size=100", headers=headers).json()
        assert body["count"] >= size
        counts.append(len(queries))
        ReportRequest.objects.update(deleted_at=timezone.now())
    assert counts[0] == counts[1]
