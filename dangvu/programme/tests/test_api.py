"""The year's work programme API: every endpoint with the personas (outside one's scope 404), what
the lists show to whom, a cell reporting a remedial action done (422 refusals and 409 stale versions
with nothing written), bounded queries, and the schema still built."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.periods import today
from dangvu.members.models import Member
from dangvu.programme.choices import ItemKind, NoteKind, RegulationKind, Result, TaskState
from dangvu.programme.models import ActionPlan, Item, RemedialAction
from dangvu.testing import api_headers, make_member

from . import factories

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS = {"office", "leader", "inspection"}
API = "/api/v1"


def _post(client, path, body, headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


@dataclass
class Year:
    """The committee's programme of the year: CB-A inspected and concluded, with one remedial action
    for CB-A and one for CB-B; CB-B to be inspected; a member of CB-A supervised. A plan of the
    committee gives CB-A one task and CB-B another, each cell noting on its own; CB-A reviewed its
    working regulations today, CB-B only its coordination rules."""

    item_a: Item
    item_b: Item
    item_member: Item
    action_a: RemedialAction
    action_b: RemedialAction
    member: Member
    plan: ActionPlan


def _year(world) -> Year:
    programme = factories.programme(world, actor=world.inspection)
    item_a = factories.item(world, programme, subject_cell=world.cell_a, decision_number="05-QĐ/UBKT")
    factories.conclude(
        world,
        item_a,
        actions=[factories.action(world.cell_a), factories.action(world.cell_b, "Bổ sung biên bản", 60)],
        actor=world.inspection,
    )
    member = make_member(world.admin, world.cell_a, "Trần Thị Bình")
    item_member = factories.item(
        world, programme, ItemKind.THEMATIC_SUPERVISION, subject_member=member, responsible="Phạm Kiểm Tra"
    )
    item_b = factories.item(world, programme, ItemKind.THEMATIC_INSPECTION, subject_cell=world.cell_b)
    plan = factories.plan(world)
    task_a = factories.task(world, plan, cells=[world.cell_a], what="Quán triệt tại chi bộ A")
    task_b = factories.task(world, plan, cells=[world.cell_b], what="Quán triệt tại chi bộ B")
    factories.note(world, task_a, text="Đề nghị cấp tài liệu")
    factories.note(world, task_b, kind=NoteKind.DIFFICULTY, cell=world.cell_b, actor=world.office)
    factories.review(world, world.cell_a)
    factories.review(world, world.cell_b, regulation=RegulationKind.COORDINATION)
    actions = {a.owner.code: a for a in RemedialAction.objects.filter(item=item_a).select_related("owner")}
    return Year(item_a, item_b, item_member, actions["CB-A"], actions["CB-B"], member, plan)


def _lists(code: str) -> list[str]:
    return [
        f"{API}/organizations/{code}/programmes",
        f"{API}/organizations/{code}/programme-items",
        f"{API}/organizations/{code}/action-plans",
        f"{API}/organizations/{code}/regulation-reviews",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_with_every_persona(world, client, persona):
    year = _year(world)
    headers = api_headers(getattr(world, persona))
    reads = [(path, READERS) for path in _lists("DU")] + [
        (path, READERS | {"secretary_a"}) for path in _lists("CB-A")
    ]
    reads += [
        (f"{API}/programme-items/{year.item_a.pk}", READERS | {"secretary_a"}),
        (f"{API}/programme-items/{year.item_member.pk}", READERS | {"secretary_a"}),  # on a member of CB-A
        (f"{API}/programme-items/{year.item_b.pk}", READERS),
        (f"{API}/programme-items/{year.item_b.pk + 1000}", set()),
    ]
    for path, allowed in reads:
        response = client.get(path, headers=headers)
        assert response.status_code == (200 if persona in allowed else 404), (path, response.content[:300])
        if response.status_code == 404:
            assert response.json() == {"detail": "Not Found"}


def test_the_committee_reads_its_programme_and_items(world, client):
    year = _year(world)
    headers = api_headers(world.inspection)
    programmes = client.get(f"{API}/organizations/DU/programmes", headers=headers).json()
    assert programmes["count"] == 1
    assert programmes["items"][0] | {"id": 0, "version": 0} == {
        "id": 0,
        "organization_code": "DU",
        "organization_name": "Đảng bộ Thử nghiệm",
        "year": today().year,
        "number": "",
        "adopted_on": None,
        "version": 0,
    }
    last_year = f"{API}/organizations/DU/programmes?year={today().year - 1}"
    assert client.get(last_year, headers=headers).json()["count"] == 0
    items = client.get(f"{API}/organizations/DU/programme-items", headers=headers).json()
    assert items["count"] == 3
    by_id = {i["id"]: i for i in items["items"]}
    concluded = by_id[year.item_a.pk]
    assert (concluded["subject_cell_code"], concluded["subject_cell_name"]) == ("CB-A", "Chi bộ A")
    assert (concluded["subject_member_id"], concluded["subject_member_name"]) == (None, None)
    assert (concluded["state"], concluded["result"], concluded["discipline_form"]) == (
        "concluded",
        Result.SHORTCOMINGS,
        None,
    )
    assert concluded["decision_number"] == "05-QĐ/UBKT"
    assert concluded["conclusion"] == "Chi bộ còn hạn chế trong sinh hoạt"
    assert concluded["concluded_on"] == year.item_a.concluded_on.isoformat()
    assert (concluded["organization_code"], concluded["year"]) == ("DU", today().year)
    assert [(a["owner_code"], a["state"], a["done_on"]) for a in concluded["actions"]] == [
        ("CB-A", "open", None),
        ("CB-B", "open", None),
    ]
    assert concluded["actions"][0]["due_on"] == (today() + timedelta(days=30)).isoformat()
    assert not any(a["can_report"] for a in concluded["actions"])  # the commission does not report them
    member = by_id[year.item_member.pk]
    assert (member["subject_member_id"], member["subject_member_name"]) == (year.member.pk, "Trần Thị Bình")
    assert (member["kind"], member["responsible"], member["state"], member["result"]) == (
        "thematic_supervision",
        "Phạm Kiểm Tra",
        "planned",
        None,
    )
    planned = client.get(f"{API}/organizations/DU/programme-items?state=planned", headers=headers).json()
    assert {i["id"] for i in planned["items"]} == {year.item_b.pk, year.item_member.pk}
    thematic = f"{API}/organizations/DU/programme-items?kind=thematic_inspection"
    assert [i["id"] for i in client.get(thematic, headers=headers).json()["items"]] == [year.item_b.pk]
    earlier = f"{API}/organizations/DU/programme-items?year={today().year - 1}"
    assert client.get(earlier, headers=headers).json()["count"] == 0
    assert (
        client.get(f"{API}/organizations/DU/programme-items?state=done", headers=headers).status_code == 422
    )
    assert (
        client.get(f"{API}/organizations/DU/programme-items?year=99999", headers=headers).status_code == 422
    )
    one = client.get(f"{API}/programme-items/{year.item_a.pk}", headers=headers).json()
    assert one == concluded


def test_a_secretary_reads_their_cells_items_and_actions_only(world, client):
    year = _year(world)
    headers = api_headers(world.secretary_a)
    items = client.get(f"{API}/organizations/CB-A/programme-items", headers=headers).json()
    # The committee's items on CB-A and on a member of CB-A, not the one on CB-B.
    assert [i["id"] for i in items["items"]] == [year.item_a.pk, year.item_member.pk]
    concluded = client.get(f"{API}/programme-items/{year.item_a.pk}", headers=headers).json()
    assert [(a["owner_code"], a["can_report"]) for a in concluded["actions"]] == [("CB-A", True)]
    assert client.get(f"{API}/organizations/CB-B/programme-items", headers=headers).status_code == 404
    assert client.get(f"{API}/organizations/CB-A/programmes", headers=headers).json()["count"] == 0
    own = factories.programme(world, world.cell_a, actor=world.secretary_a)
    programmes = client.get(f"{API}/organizations/CB-A/programmes", headers=headers).json()
    assert [p["id"] for p in programmes["items"]] == [own.pk]
    stranger = api_headers(world.stranger)
    assert client.get(f"{API}/organizations/CB-A/programme-items", headers=stranger).status_code == 404


def test_the_plans_show_their_tasks_and_notes_to_whom_they_concern(world, client):
    year = _year(world)
    office = client.get(f"{API}/organizations/DU/action-plans", headers=api_headers(world.office)).json()
    assert office["count"] == 1
    plan = office["items"][0]
    assert (plan["id"], plan["organization_code"], plan["title"], plan["document"]) == (
        year.plan.pk,
        "DU",
        "Kế hoạch thực hiện Nghị quyết",
        None,
    )
    assert plan["adopted_on"] == year.plan.adopted_on.isoformat()
    tasks = {t["what"]: t for t in plan["tasks"]}
    assert list(tasks) == ["Quán triệt tại chi bộ A", "Quán triệt tại chi bộ B"]
    task_a = tasks["Quán triệt tại chi bộ A"]
    assert task_a["cells"] == [{"code": "CB-A", "name": "Chi bộ A"}]
    assert (task_a["state"], task_a["due_on"], task_a["done_on"], task_a["evidence"]) == (
        "open",
        (today() + timedelta(days=10)).isoformat(),
        None,
        "",
    )
    assert [
        (n["cell_code"], n["kind"], n["text"], n["answer"], n["answered_on"]) for n in task_a["notes"]
    ] == [("CB-A", "proposal", "Đề nghị cấp tài liệu", "", None)]
    assert task_a["notes"][0]["raised_on"] == today().isoformat()
    assert [n["kind"] for n in tasks["Quán triệt tại chi bộ B"]["notes"]] == ["difficulty"]
    # The secretary of CB-A reads the committee's plan for the task it gives CB-A, not CB-B's.
    cell = client.get(f"{API}/organizations/CB-A/action-plans", headers=api_headers(world.secretary_a)).json()
    assert [[t["what"] for t in p["tasks"]] for p in cell["items"]] == [["Quán triệt tại chi bộ A"]]
    assert [n["cell_code"] for n in cell["items"][0]["tasks"][0]["notes"]] == ["CB-A"]
    adopted = year.plan.adopted_on.year
    leader = api_headers(world.leader)
    assert (
        client.get(f"{API}/organizations/DU/action-plans?year={adopted}", headers=leader).json()["count"] == 1
    )
    assert (
        client.get(f"{API}/organizations/DU/action-plans?year={adopted - 1}", headers=leader).json()["count"]
        == 0
    )
    assert (
        client.get(
            f"{API}/organizations/CB-B/action-plans", headers=api_headers(world.secretary_a)
        ).status_code
        == 404
    )


def test_the_regulation_register_names_the_cells_still_to_review(world, client):
    _year(world)
    headers = api_headers(world.office)
    register = client.get(f"{API}/organizations/DU/regulation-reviews", headers=headers).json()
    rows = {r["cell_code"]: r for r in register["items"]}
    assert list(rows) == ["CB-A", "CB-B", "CB-C"]  # by code
    assert [(r["reviewed"], len(r["working"]), len(r["coordination"])) for r in rows.values()] == [
        (True, 1, 0),
        (False, 0, 1),
        (False, 0, 0),
    ]
    review = rows["CB-A"]["working"][0]
    assert (review["regulation"], review["review"], review["reviewed_on"]) == (
        "working",
        "reviewed",
        today().isoformat(),
    )
    missing = client.get(f"{API}/organizations/DU/regulation-reviews?reviewed=false", headers=headers).json()
    assert [r["cell_code"] for r in missing["items"]] == ["CB-B", "CB-C"]
    last_year = f"{API}/organizations/DU/regulation-reviews?year={today().year - 1}&reviewed=true"
    assert client.get(last_year, headers=headers).json()["count"] == 0
    own = client.get(
        f"{API}/organizations/CB-A/regulation-reviews", headers=api_headers(world.secretary_a)
    ).json()
    assert [r["cell_code"] for r in own["items"]] == ["CB-A"]


def test_a_cell_reports_its_remedial_action_done(world, client):
    year = _year(world)
    path = f"{API}/remedial-actions/{year.action_a.pk}/done"
    body = {"version": year.action_a.version, "done_on": today().isoformat(), "report": "Đã sửa biên bản"}
    for persona in ("leader", "inspection", "member_a", "stranger"):  # may not report it: 404
        assert _post(client, path, body, api_headers(getattr(world, persona))).status_code == 404
    other = f"{API}/remedial-actions/{year.action_b.pk}/done"
    headers = api_headers(world.secretary_a)
    assert _post(client, other, {**body, "version": year.action_b.version}, headers).status_code == 404
    empty = _post(client, path, {**body, "report": "  "}, headers)
    assert empty.status_code == 422 and list(empty.json()["errors"]) == ["report"]
    assert "đã làm" in empty.json()["detail"]  # in Vietnamese, as the page says it
    future = _post(client, path, {**body, "done_on": (today() + timedelta(days=1)).isoformat()}, headers)
    assert future.status_code == 422 and list(future.json()["errors"]) == ["done_on"]
    stale = _post(client, path, {**body, "version": year.action_a.version + 1}, headers)
    assert stale.status_code == 409 and stale.json()["current_version"] == year.action_a.version
    assert RemedialAction.objects.get(pk=year.action_a.pk).state == TaskState.OPEN
    done = _post(client, path, body, headers)
    assert done.status_code == 200, done.content
    answer = done.json()
    assert (answer["state"], answer["done_on"], answer["report"], answer["can_report"]) == (
        "done",
        today().isoformat(),
        "Đã sửa biên bản",
        False,
    )
    again = _post(client, path, {**body, "version": answer["version"], "report": "Lần nữa"}, headers)
    assert again.status_code == 422  # no longer open
    assert RemedialAction.objects.get(pk=year.action_a.pk).report == "Đã sửa biên bản"
    # The office above the cell may report the other one.
    office = _post(client, other, {**body, "version": year.action_b.version}, api_headers(world.office))
    assert office.status_code == 200 and office.json()["owner_code"] == "CB-B"


def test_the_lists_cost_the_same_queries_for_one_and_many(world, client):
    headers = api_headers(world.office)
    programme = factories.programme(world)
    plan = factories.plan(world)
    paths = [f"{path}?page_size=100" for path in _lists("DU")]
    counts = {}
    for size in (1, 30):
        for n in range(size):
            cell = world.cell_a if n % 2 else world.cell_b
            item = factories.item(world, programme, subject_cell=cell, content=f"Nội dung {size}-{n}")
            factories.conclude(world, item, actions=[factories.action(cell), factories.action(world.cell_c)])
            task = factories.task(world, plan, cells=[cell, world.cell_c], what=f"Việc {size}-{n}")
            factories.note(world, task, cell=cell, actor=world.office)
            factories.plan(world, title=f"Kế hoạch {size}-{n}")
            factories.review(world, cell)
        found = []
        for path in paths:
            client.get(path, headers=headers)
            with CaptureQueriesContext(connection) as queries:
                body = client.get(path, headers=headers).json()
            found.append(body["count"])
            counts.setdefault(path, []).append(len(queries))
        assert found[:3] == [1, Item.objects.count(), ActionPlan.objects.count()]
    assert all(first == second for first, second in counts.values()), counts


def test_the_openapi_schema_lists_the_programme(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/organizations/{code}/programmes",
        "/api/v1/organizations/{code}/programme-items",
        "/api/v1/programme-items/{item_id}",
        "/api/v1/programme-items/{item_id}/move",
        "/api/v1/programme-items/{item_id}/conclude",
        "/api/v1/remedial-actions/{action_id}/done",
        "/api/v1/organizations/{code}/action-plans",
        "/api/v1/organizations/{code}/regulation-reviews",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/remedial-actions/{action_id}/done"]["post"]["responses"]) >= {
        "200",
        "404",
        "409",
        "422",
    }


def test_the_commission_starts_and_concludes_an_item_with_remedial_actions(world, client):
    year = _year(world)
    item = year.item_b
    move = f"{API}/programme-items/{item.pk}/move"
    conclude = f"{API}/programme-items/{item.pk}/conclude"
    started = {"version": item.version, "to": "in_progress"}
    for persona in ("leader", "secretary_a", "stranger"):  # may not run the committee's programme
        assert _post(client, move, started, api_headers(getattr(world, persona))).status_code == 404
    headers = api_headers(world.inspection)
    moved = _post(client, move, started, headers)
    assert moved.status_code == 200 and moved.json()["state"] == "in_progress"
    body = {
        "version": moved.json()["version"],
        "concluded_on": today().isoformat(),
        "conclusion": "Chi bộ B chưa rà soát quy chế",
        "result": "shortcomings",
        "actions": [{"action": "Rà soát quy chế làm việc", "owner_code": "CB-B", "due_on": None}],
    }
    stale = _post(client, conclude, {**body, "version": item.version}, headers)  # read before the move
    assert stale.status_code == 409 and stale.json()["current_version"] == moved.json()["version"]
    unknown = _post(client, conclude, {**body, "actions": [{"action": "x", "owner_code": "ZZ"}]}, headers)
    assert unknown.status_code == 422 and "ZZ" in unknown.json()["detail"]
    empty = _post(client, conclude, {**body, "conclusion": " "}, headers)
    assert empty.status_code == 422 and list(empty.json()["errors"]) == ["conclusion"]
    assert Item.objects.get(pk=item.pk).state == "in_progress" and not item.actions.exists()
    assert _post(client, conclude, body, api_headers(world.secretary_a)).status_code == 404
    done = _post(client, conclude, body, headers)
    assert done.status_code == 200, done.content
    answer = done.json()
    assert (answer["state"], answer["result"], answer["concluded_on"]) == (
        "concluded",
        "shortcomings",
        today().isoformat(),
    )
    assert [(a["owner_code"], a["action"], a["state"]) for a in answer["actions"]] == [
        ("CB-B", "Rà soát quy chế làm việc", "open")
    ]
