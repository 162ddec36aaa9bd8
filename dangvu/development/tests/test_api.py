"""The member development API: every endpoint with the personas, what the lists show to whom, the
next step recorded through the service (a decision opens the member's record), refusals (422) and
stale versions (409) with nothing written, bounded queries, and the schema."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.development import rules
from dangvu.development.choices import Paper, Step
from dangvu.development.models import Candidate, StepRecord
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.testing import api_headers

from .factories import advance, candidate, way

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_B = {"office", "leader", "inspection"}
KEEPERS_OF_A = {"office", "secretary_a"}
API = "/api/v1"


def _post(client, path: str, body: dict, headers: dict):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def pipeline(world):
    """CB-A: An through the committee's resolution (awaiting the decision), Bình just listed, Hà
    recognised; CB-B: Dũng just listed."""
    at = way()
    return {
        "at": at,
        "an": advance(world, candidate(world, name="Nguyễn Văn An"), Step.COMMITTEE_VOTE, at),
        "binh": candidate(world, name="Trần Thị Bình"),
        "ha": advance(world, candidate(world, name="Phạm Thu Hà"), Step.RECOGNISED, at),
        "dung": candidate(world, world.cell_b, name="Vũ Văn Dũng"),
    }


def _class(of: Candidate, at) -> dict:
    return {"version": of.version, "step": "class", "date": at.steps[Step.CLASS].isoformat()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona, pipeline):
    at, binh, dung = pipeline["at"], pipeline["binh"], pipeline["dung"]
    headers = api_headers(getattr(world, persona))
    calls = [
        ("get", f"{API}/organizations/CB-A/candidates", None, READERS_OF_A, 200),
        ("get", f"{API}/organizations/DU/candidates", None, READERS_OF_B, 200),
        ("get", f"{API}/organizations/CB-B/candidates", None, READERS_OF_B, 200),
        ("get", f"{API}/candidates/{pipeline['an'].pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/candidates/{dung.pk}", None, READERS_OF_B, 200),
        ("post", f"{API}/candidates/{binh.pk}/steps", _class(binh, at), KEEPERS_OF_A, 201),
        ("post", f"{API}/candidates/{dung.pk}/steps", _class(dung, at), {"office"}, 201),
    ]
    for method, path, body, allowed, success in calls:
        if method == "get":
            response = client.get(path, headers=headers)
        else:
            response = _post(client, path, body, headers)
        assert response.status_code == (success if persona in allowed else 404), (
            path,
            response.content[:300],
        )
    steps = dict(Candidate.objects.values_list("full_name", "step"))
    assert steps["Trần Thị Bình"] == (Step.CLASS if persona in KEEPERS_OF_A else Step.SYMPATHISER)
    assert steps["Vũ Văn Dũng"] == (Step.CLASS if persona == "office" else Step.SYMPATHISER)


def test_the_list_gives_each_candidate_with_steps_papers_and_the_next_due(world, client, pipeline):
    at, an = pipeline["at"], pipeline["an"]
    body = client.get(f"{API}/organizations/CB-A/candidates", headers=api_headers(world.secretary_a)).json()
    assert body["count"] == 2  # the recognised only with `all`; CB-B's not for CB-A's secretary
    assert [c["full_name"] for c in body["items"]] == ["Nguyễn Văn An", "Trần Thị Bình"]  # by given name
    first = body["items"][0]
    assert (first["id"], first["cell_code"], first["step"], first["member_id"]) == (
        an.pk,
        "CB-A",
        "committee_vote",
        None,
    )
    assert first["step_on"] == at.steps[Step.COMMITTEE_VOTE].isoformat()
    assert [s["step"] for s in first["steps"]] == [
        "sympathiser",
        "class",
        "procedure",
        "cell_vote",
        "committee_vote",
    ]
    vote = first["steps"][3]
    assert (vote["votes_for"], vote["votes_of"], vote["date"]) == (6, 9, at.steps[Step.CELL_VOTE].isoformat())
    assert first["certificate_valid_until"] == rules.certificate_valid_until(at.steps[Step.CLASS]).isoformat()
    papers = {p["paper"]: p for p in first["papers"]}
    assert set(papers) == set(Paper.values)
    made = at.steps[Step.PROCEDURE]
    assert papers["comments"]["valid_until"] == rules.paper_valid_until(made).isoformat()
    assert papers["application"]["valid_until"] is None
    due = first["next_due"]
    assert due["step"] == "decision" and due["overdue"] is True  # 45 working days, long past
    assert body["items"][1]["next_due"] is None  # just listed: nothing has a time limit yet
    assert body["items"][1]["version"] == pipeline["binh"].version


def test_the_filters_narrow_the_list(world, client, pipeline):
    office = api_headers(world.office)

    def names(query: str) -> list[str]:
        response = client.get(f"{API}/organizations/DU/candidates{query}", headers=office)
        assert response.status_code == 200, response.content[:300]
        return [c["full_name"] for c in response.json()["items"]]

    assert names("") == ["Nguyễn Văn An", "Trần Thị Bình", "Vũ Văn Dũng"]
    assert names("?all=true") == ["Nguyễn Văn An", "Trần Thị Bình", "Vũ Văn Dũng", "Phạm Thu Hà"]
    assert names("?step=sympathiser") == ["Trần Thị Bình", "Vũ Văn Dũng"]
    assert names("?step=recognised") == ["Phạm Thu Hà"]
    assert names("?q=binh") == ["Trần Thị Bình"]
    assert names("?q=NGUYEN%20an") == ["Nguyễn Văn An"]
    assert names("?page_size=1&page=2") == ["Trần Thị Bình"]
    assert client.get(f"{API}/organizations/DU/candidates?step=member", headers=office).status_code == 422
    assert client.get(f"{API}/organizations/XX/candidates", headers=office).status_code == 404


def test_a_decision_through_the_api_opens_the_members_record(world, client, pipeline):
    at, an = pipeline["at"], pipeline["an"]
    members = Member.objects.count()
    body = {
        "version": an.version,
        "step": "decision",
        "date": at.steps[Step.DECISION].isoformat(),
        "document_number": "123-QĐ/ĐU",
        "issuing_body": "Đảng ủy",
        "received_on": at.steps[Step.DECISION].isoformat(),
    }
    response = _post(client, f"{API}/candidates/{an.pk}/steps", body, api_headers(world.secretary_a))
    assert response.status_code == 201, response.content[:300]
    answer = response.json()
    assert answer["step"] == "decision" and answer["version"] == an.version + 1
    assert answer["next_due"]["step"] == "ceremony"
    member = Member.objects.get(pk=answer["member_id"])
    assert Member.objects.count() == members + 1
    assert (member.person.full_name, member.person.organization) == ("Nguyễn Văn An", world.cell_a)
    event = MemberEvent.objects.get(member=member, kind=EventKind.ADMISSION_DECISION)
    assert event.date == at.steps[Step.DECISION]
    record = StepRecord.objects.get(candidate=an, step=Step.DECISION)
    assert (record.event, record.document_number, record.issuing_body) == (event, "123-QĐ/ĐU", "Đảng ủy")


def test_a_stale_version_is_409_and_a_refusal_422_with_nothing_written(world, client, pipeline):
    at, an, binh = pipeline["at"], pipeline["an"], pipeline["binh"]
    headers = api_headers(world.office)
    stale = _post(client, f"{API}/candidates/{binh.pk}/steps", {**_class(binh, at), "version": 0}, headers)
    assert stale.status_code == 409 and stale.json()["current_version"] == binh.version
    skipped = {"version": binh.version, "step": "procedure", "date": at.steps[Step.PROCEDURE].isoformat()}
    refused = _post(client, f"{API}/candidates/{binh.pk}/steps", skipped, headers)
    assert refused.status_code == 422 and refused.json()["errors"]["step"]
    ahead = {**_class(binh, at), "date": "2999-01-01"}
    assert _post(client, f"{API}/candidates/{binh.pk}/steps", ahead, headers).status_code == 422
    assert StepRecord.objects.filter(candidate=binh).count() == 1
    # A recognition by the committee not reached yet; then 5 of 8 at a resolution does not pass.
    early = {"version": an.version, "step": "recognised", "date": at.steps[Step.DECISION].isoformat()}
    assert _post(client, f"{API}/candidates/{an.pk}/steps", early, headers).status_code == 422
    ha = pipeline["ha"]
    assert _post(client, f"{API}/candidates/{ha.pk}/steps", _class(ha, at), headers).status_code == 422
    an.refresh_from_db()
    assert (an.step, an.member_id) == (Step.COMMITTEE_VOTE, None)
    assert not Member.objects.filter(person__full_name="Nguyễn Văn An").exists()
    # The body is checked against the schema first: an unknown step, a negative count.
    bad = {"version": an.version, "step": "member", "date": at.steps[Step.DECISION].isoformat()}
    assert _post(client, f"{API}/candidates/{an.pk}/steps", bad, headers).status_code == 422
    negative = {**bad, "step": "decision", "votes_for": -1}
    assert _post(client, f"{API}/candidates/{an.pk}/steps", negative, headers).status_code == 422
    valid = {**bad, "step": "decision"}
    assert _post(client, f"{API}/candidates/{an.pk + 999}/steps", valid, headers).status_code == 404


def test_a_vote_short_of_two_thirds_is_refused(world, client):
    at = way()
    person = advance(world, candidate(world, name="Lê Thị Phiếu"), Step.PROCEDURE, at)
    from .factories import papers

    papers(world, person, at.steps[Step.PROCEDURE])
    body = {
        "version": person.version,
        "step": "cell_vote",
        "date": at.steps[Step.CELL_VOTE].isoformat(),
        "votes_for": 5,
        "votes_of": 8,
    }
    response = _post(client, f"{API}/candidates/{person.pk}/steps", body, api_headers(world.secretary_a))
    assert response.status_code == 422 and "5" in response.json()["errors"]["votes_for"][0]
    passing = _post(
        client,
        f"{API}/candidates/{person.pk}/steps",
        {**body, "votes_for": 6, "votes_of": 9},
        api_headers(world.secretary_a),
    )
    assert passing.status_code == 201 and passing.json()["step"] == "cell_vote"


def test_the_list_and_a_candidate_cost_the_same_queries_for_one_and_thirty(world, client):
    headers, counts = api_headers(world.office), []
    at = way()
    for cell, size in ((world.cell_a, 1), (world.cell_b, 30)):
        for n in range(size):
            advance(world, candidate(world, cell, name=f"Nguyễn Văn Số {n}", at=at), Step.CELL_VOTE, at)
        path = f"{API}/organizations/{cell.code}/candidates?page_size=100"
        client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(path, headers=headers).json()
        assert body["count"] == size and all(len(c["papers"]) == 5 for c in body["items"])
        counts.append(len(queries))
    assert counts[0] == counts[1]
    one = []
    for pk in Candidate.objects.values_list("pk", flat=True)[:2]:
        client.get(f"{API}/candidates/{pk}", headers=headers)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/candidates/{pk}", headers=headers).status_code == 200
        one.append(len(queries))
    assert one[0] == one[1]


def test_the_openapi_schema_lists_the_development_api(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/v1/organizations/{code}/candidates",
        "/api/v1/candidates/{candidate_id}",
        "/api/v1/candidates/{candidate_id}/steps",
    ):
        assert path in schema["paths"], path
    responses = schema["paths"]["/api/v1/candidates/{candidate_id}/steps"]["post"]["responses"]
    assert set(responses) >= {"201", "404", "409", "422"}
