"""The study and meetings API: every endpoint with the personas, refusals (422) and stale versions
(409) with nothing written, what the lists show to whom, and bounded queries."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, Reply, SessionKind
from dangvu.meetings.models import Invitation, Session, StudyDocument
from dangvu.members.models import Member
from dangvu.testing import api_headers, api_send, make_member, make_seat, member_of_persona

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_B = {"office", "leader", "inspection"}
KEEPERS_OF_A = {"office", "secretary_a"}
API = "/api/v1/meetings"


@dataclass
class Year:
    """member_a is a member of CB-A with two others; CB-B has one member. The committee set a
    resolution today; CB-A meets today and again in a week, CB-B meets today; the committee holds
    the study of the resolution today."""

    document: StudyDocument
    own: Member
    session_a: Session
    coming_a: Session
    session_b: Session
    study: Session


def _year(world) -> Year:
    own = member_of_persona(world, world.member_a_person, world.cell_a)
    make_member(world.admin, world.cell_a, "Trần Thị Bình")
    make_member(world.admin, world.cell_a, "Nguyễn Văn An")
    make_member(world.admin, world.cell_b, "Phạm Văn Dũng")
    document = set_document(world)
    return Year(
        document=document,
        own=own,
        session_a=make_session(world, world.cell_a),
        coming_a=make_session(world, world.cell_a, held_on=today() + timedelta(days=7)),
        session_b=make_session(world, world.cell_b),
        study=make_session(world, world.root, SessionKind.STUDY, documents=[document]),
    )


def _all_present(session: Session) -> dict:
    return {
        "version": session.version,
        "marks": [{"invitation": i.pk, "attendance": "present"} for i in session.invitations.all()],
    }


def _calls(world, year: Year) -> list:
    """(method, path, body, personas allowed, success status)"""
    own = year.coming_a.invitations.get(person=world.member_a_person)
    coming = (today() + timedelta(days=3)).isoformat()
    return [
        ("get", f"{API}/documents/{year.document.pk}", None, READERS_OF_A | {"member_a"}, 200),
        ("get", f"{API}/sessions/{year.session_a.pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/sessions/{year.session_b.pk}", None, READERS_OF_B, 200),
        ("get", f"{API}/sessions/{year.study.pk}", None, READERS_OF_B, 200),
        (
            "post",
            f"{API}/sessions",
            {"organization_code": "CB-A", "kind": "thematic", "held_on": coming, "place": "Hội trường"},
            KEEPERS_OF_A,
            201,
        ),
        (
            "post",
            f"{API}/sessions",
            {"organization_code": "CB-B", "kind": "regular", "held_on": coming},
            {"office"},
            201,
        ),
        (
            "post",
            f"{API}/sessions/{year.session_a.pk}/attendance",
            _all_present(year.session_a),
            KEEPERS_OF_A,
            200,
        ),
        (
            "post",
            f"{API}/sessions/{year.session_b.pk}/attendance",
            _all_present(year.session_b),
            {"office"},
            200,
        ),
        (
            "post",
            f"{API}/invitations/{own.pk}/reply",
            {"version": own.version, "reply": "excused", "reason": "Đi công tác"},
            {"member_a"},
            200,
        ),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona):
    year = _year(world)
    headers = api_headers(getattr(world, persona))
    before = list(Invitation.all_objects.order_by("pk").values_list("version", flat=True))
    for method, path, body, allowed, success in _calls(world, year):
        response = api_send(client, method, path, body, headers)
        assert response.status_code == (success if persona in allowed else 404), (
            path,
            response.content[:300],
        )
    if persona not in KEEPERS_OF_A | {"member_a"}:  # refused everywhere: nothing was written
        assert list(Invitation.all_objects.order_by("pk").values_list("version", flat=True)) == before
        assert Session.objects.count() == 4
    mine = api_send(client, "get", f"{API}/mine", None, headers).json()
    assert mine["count"] == (3 if persona == "member_a" else 0)  # today's two, and next week's


def test_the_session_shows_its_invitees_in_name_order_with_their_replies_and_marks(world, client):
    year = _year(world)
    own = year.session_a.invitations.get(person=world.member_a_person)
    services.invitation_reply(
        actor=world.member_a, invitation=own, reply=Reply.EXCUSED, reason="Ốm", expected_version=own.version
    )
    mark_all(world, year.session_a, **{str(world.member_a_person.pk): Attendance.EXCUSED})
    body = client.get(f"{API}/sessions/{year.session_a.pk}", headers=api_headers(world.secretary_a)).json()
    assert (body["organization_code"], body["kind"], body["state"]) == ("CB-A", "regular", "held")
    assert (body["invited"], body["present"], body["marked"]) == (3, 2, 3)
    names = [i["full_name"] for i in body["invitations"]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Hoàng Thị Đảng Viên"]  # by given name
    mine = next(i for i in body["invitations"] if i["person_id"] == world.member_a_person.pk)
    assert mine == {
        "id": own.pk,
        "person_id": world.member_a_person.pk,
        "full_name": "Hoàng Thị Đảng Viên",
        "reply": "excused",
        "reply_reason": "Ốm",
        "attendance": "excused",
        "reason": "ốm",
        "version": mine["version"],
    }
    # A reader (the leader) sees the marks, not the reasons given (often health), as on the page.
    read = client.get(f"{API}/sessions/{year.session_a.pk}", headers=api_headers(world.leader)).json()
    theirs = next(i for i in read["invitations"] if i["person_id"] == world.member_a_person.pk)
    assert (theirs["attendance"], theirs["reason"], theirs["reply_reason"]) == ("excused", "", "")
    study = client.get(f"{API}/sessions/{year.study.pk}", headers=api_headers(world.leader)).json()
    assert study["documents"] == [{"id": year.document.pk, "number": "01-NQ/TW", "title": "Nghị quyết số 1"}]
    assert study["invited"] == 4


def test_the_lists_show_what_the_caller_sees(world, client):
    year = _year(world)
    secretary, leader = api_headers(world.secretary_a), api_headers(world.leader)
    own_sessions = client.get(f"{API}/sessions", headers=secretary).json()  # their only top: CB-A
    assert {s["id"] for s in own_sessions["items"]} == {year.session_a.pk, year.coming_a.pk}
    assert client.get(f"{API}/sessions?org=CB-A", headers=secretary).json()["count"] == 2
    assert client.get(f"{API}/sessions?org=CB-B", headers=secretary).status_code == 404
    assert client.get(f"{API}/sessions?org=DU", headers=secretary).status_code == 404
    everything = client.get(f"{API}/sessions", headers=leader).json()
    assert everything["count"] == 4
    assert [s["held_on"] for s in everything["items"]][0] == (today() + timedelta(days=7)).isoformat()
    assert client.get(f"{API}/sessions?org=DU&kind=study", headers=leader).json()["count"] == 1
    assert client.get(f"{API}/sessions?org=DU&year={today().year - 1}", headers=leader).json()["count"] == 0
    assert client.get(f"{API}/sessions?kind=party", headers=leader).status_code == 422
    assert client.get(f"{API}/sessions", headers=api_headers(world.stranger)).json() == {
        "items": [],
        "count": 0,
    }
    documents = client.get(f"{API}/documents?org=CB-A", headers=secretary).json()
    assert [d["id"] for d in documents["items"]] == [year.document.pk]
    assert documents["items"][0]["organization_code"] == "DU"
    assert client.get(f"{API}/documents?org=CB-B", headers=secretary).status_code == 404
    assert client.get(f"{API}/documents", headers=api_headers(world.member_a)).json()["count"] == 1  # owes it
    assert client.get(f"{API}/documents", headers=api_headers(world.stranger)).json()["count"] == 0
    deadline = year.document.study_by.year
    assert client.get(f"{API}/documents?year={deadline}", headers=leader).json()["count"] == 1
    assert client.get(f"{API}/documents?year={deadline - 1}", headers=leader).json()["count"] == 0
    assert client.get(f"{API}/documents?year=99999", headers=leader).status_code == 422


def test_a_caller_who_sees_several_organisations_names_one(world, client):
    year = _year(world)
    make_seat(world.admin, world.secretary_a_person, world.cell_b)  # also the secretary of CB-B
    headers = api_headers(world.secretary_a)
    several = client.get(f"{API}/sessions", headers=headers)
    assert several.status_code == 422
    assert several.json() == {"detail": "Hãy ghi đơn vị (org): bạn xem được nhiều đơn vị."}
    named = client.get(f"{API}/sessions?org=CB-B", headers=headers).json()
    assert [s["id"] for s in named["items"]] == [year.session_b.pk]


def test_a_documents_progress_shows_only_the_cells_the_caller_sees(world, client):
    year = _year(world)
    mark_all(world, year.study, **{str(world.member_a_person.pk): Attendance.UNEXCUSED})
    leader = client.get(f"{API}/documents/{year.document.pk}", headers=api_headers(world.leader)).json()
    by_cell = {p["cell_code"]: p for p in leader["progress"]}
    assert list(by_cell) == ["CB-A", "CB-B"]
    assert (by_cell["CB-A"]["owed"], by_cell["CB-A"]["studied"], by_cell["CB-A"]["percent"]) == (3, 2, 67)
    assert by_cell["CB-A"]["not_studied"] == [
        {"member_id": year.own.pk, "person_id": world.member_a_person.pk, "full_name": "Hoàng Thị Đảng Viên"}
    ]
    assert by_cell["CB-B"]["percent"] == 100
    secretary = client.get(
        f"{API}/documents/{year.document.pk}", headers=api_headers(world.secretary_a)
    ).json()
    assert [p["cell_code"] for p in secretary["progress"]] == ["CB-A"]
    member = client.get(f"{API}/documents/{year.document.pk}", headers=api_headers(world.member_a)).json()
    assert member["progress"] == [] and member["title"] == "Nghị quyết số 1"


def test_creating_a_session_invites_from_its_kind_and_refusals_write_nothing(world, client):
    year = _year(world)
    headers = api_headers(world.secretary_a)
    coming = (today() + timedelta(days=2)).isoformat()
    made = api_send(
        client,
        "post",
        f"{API}/sessions",
        {"organization_code": "CB-A", "kind": "regular", "held_on": coming, "starts_at": "14:00"},
        headers,
    )
    assert made.status_code == 201, made.content
    assert (made.json()["invitees"], made.json()["invited"], made.json()["starts_at"]) == (
        "cell_members",
        3,
        "14:00:00",
    )
    count = Session.objects.count()
    conference = {"organization_code": "CB-A", "kind": "conference", "held_on": coming}
    refused = api_send(client, "post", f"{API}/sessions", conference, headers)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Hội nghị do cấp ủy (đảng ủy) triệu tập, không phải chi bộ."
    hidden = {
        "organization_code": "CB-A",
        "kind": "study",
        "held_on": coming,
        "documents": [year.document.pk + 50],
    }
    unknown = api_send(client, "post", f"{API}/sessions", hidden, headers)
    assert unknown.status_code == 422 and str(year.document.pk + 50) in unknown.json()["detail"]
    no_documents = api_send(client, "post", f"{API}/sessions", {**hidden, "documents": []}, headers)
    assert no_documents.status_code == 422 and no_documents.json()["errors"] == {
        "documents": ["Hãy chọn văn bản được học tập tại buổi này."]
    }
    bad_kind = api_send(client, "post", f"{API}/sessions", {**conference, "kind": "party"}, headers)
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"][-1] == "kind"
    assert Session.objects.count() == count
    study = {**hidden, "documents": [year.document.pk]}  # a document the committee set for the cell
    assert api_send(client, "post", f"{API}/sessions", study, headers).status_code == 201


def test_marking_is_all_or_nothing_and_checks_the_version(world, client):
    year = _year(world)
    session, headers = year.session_a, api_headers(world.secretary_a)
    path = f"{API}/sessions/{session.pk}/attendance"
    invitations = list(session.invitations.order_by("pk"))
    bad = {
        "version": session.version,
        "marks": [
            {"invitation": invitations[0].pk, "attendance": "present"},
            {"invitation": invitations[1].pk, "attendance": "excused"},  # no reason
        ],
    }
    refused = api_send(client, "post", path, bad, headers)
    assert refused.status_code == 422 and "lý do vắng" in refused.json()["detail"]
    other = year.session_b.invitations.get()
    foreign = {"version": session.version, "marks": [{"invitation": other.pk, "attendance": "present"}]}
    assert api_send(client, "post", path, foreign, headers).status_code == 422
    assert not Invitation.objects.exclude(attendance="").exists()
    bad["marks"][1]["reason"] = "Ốm"
    done = api_send(client, "post", path, bad, headers)
    assert done.status_code == 200 and (done.json()["marked"], done.json()["state"]) == (2, "held")
    stale = api_send(
        client, "post", path, {**bad, "marks": bad["marks"][:1]}, headers
    )  # the same version again
    assert stale.status_code == 409 and stale.json()["current_version"] == session.version + 1
    future = _all_present(year.coming_a)
    late = api_send(client, "post", f"{API}/sessions/{year.coming_a.pk}/attendance", future, headers)
    assert (
        late.status_code == 422
        and late.json()["detail"] == "Chỉ điểm danh từ ngày diễn ra buổi sinh hoạt trở đi."
    )
    assert not year.coming_a.invitations.exclude(attendance="").exists()


def test_a_member_answers_their_own_invitations(world, client):
    year = _year(world)
    headers = api_headers(world.member_a)
    mine = client.get(f"{API}/mine", headers=headers).json()["items"]
    assert [i["session"]["held_on"] for i in mine] == [today().isoformat()] * 2 + [
        (today() + timedelta(days=7)).isoformat()
    ]
    coming = next(i for i in mine if i["session"]["id"] == year.coming_a.pk)
    assert coming["reply"] is None and coming["session"]["organization_name"] == "Chi bộ A"
    path = f"{API}/invitations/{coming['id']}/reply"
    no_reason = api_send(client, "post", path, {"version": coming["version"], "reply": "excused"}, headers)
    assert no_reason.status_code == 422 and no_reason.json()["detail"] == "Hãy ghi lý do không dự được."
    answered = api_send(client, "post", path, {"version": coming["version"], "reply": "coming"}, headers)
    assert answered.status_code == 200 and answered.json()["reply"] == "coming"
    stale = api_send(
        client, "post", path, {"version": coming["version"], "reply": "excused", "reason": "Ốm"}, headers
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == coming["version"] + 1
    assert Invitation.objects.get(pk=coming["id"]).reply == Reply.COMING
    other = year.coming_a.invitations.exclude(person=world.member_a_person).first()
    body = {"version": other.version, "reply": "coming"}
    assert api_send(client, "post", f"{API}/invitations/{other.pk}/reply", body, headers).status_code == 404
    assert (
        api_send(
            client, "post", f"{API}/invitations/{other.pk}/reply", body, api_headers(world.office)
        ).status_code
        == 404
    )
    # Once the session is held, it leaves the list and the reply can no longer change.
    mark_all(world, year.session_a)
    assert year.session_a.pk not in {
        i["session"]["id"] for i in client.get(f"{API}/mine", headers=headers).json()["items"]
    }
    held = year.session_a.invitations.get(person=world.member_a_person)
    late = api_send(
        client,
        "post",
        f"{API}/invitations/{held.pk}/reply",
        {"version": held.version, "reply": "coming"},
        headers,
    )
    assert late.status_code == 422 and "đã diễn ra" in late.json()["detail"]
    assert Invitation.objects.get(pk=held.pk).reply == ""


def test_the_lists_cost_the_same_queries_for_one_and_many(world, client):
    member_of_persona(world, world.member_a_person, world.cell_a)
    headers, mine = api_headers(world.office), api_headers(world.member_a)
    paths = [
        (f"{API}/sessions?org=DU&page_size=100", headers),
        (f"{API}/documents?page_size=100", headers),
        (f"{API}/mine?page_size=100", mine),
    ]
    counts = []
    for size in (1, 6):
        members_of(world, world.cell_a, size, prefix=f"Lô {size}")
        for n in range(size):
            document = set_document(world, title=f"Văn bản {size}-{n}")
            make_session(
                world,
                world.cell_a,
                SessionKind.STUDY,
                held_on=today() + timedelta(days=n),
                documents=[document],
            )
        found = []
        for path, who in paths:
            client.get(path, headers=who)
            with CaptureQueriesContext(connection) as queries:
                body = client.get(path, headers=who).json()
            found.append(body["count"])
            counts.append((size, path, len(queries)))
        assert found == [Session.objects.count(), StudyDocument.objects.count(), Session.objects.count()]
    first = [c for s, _p, c in counts if s == 1]
    second = [c for s, _p, c in counts if s == 6]
    assert first == second


def test_the_session_costs_the_same_queries_for_one_invitee_and_many(world, client):
    headers, counts = api_headers(world.office), []
    for cell, size in ((world.cell_a, 1), (world.cell_b, 12)):
        members_of(world, cell, size)
        session = mark_all(world, make_session(world, cell))
        client.get(f"{API}/sessions/{session.pk}", headers=headers)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"{API}/sessions/{session.pk}", headers=headers).json()
        assert len(body["invitations"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
