"""The targets and dashboard API: every endpoint with the personas, the targets evaluated against
the year's figures, past figures entered by the office, last year's figures beside this year's, the
drill-down without what the caller may not see, refusals (422) and stale versions (409) with
nothing written, bounded queries, and the schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core import metrics, periods
from dangvu.core.metrics import Detail, Entry
from dangvu.organization.choices import OrgKind
from dangvu.targets import services
from dangvu.targets.models import EnteredFigure, Target
from dangvu.testing import api_headers, api_send, make_member, make_org

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_DU = {"office", "leader", "inspection"}
API = "/api/v1"


def _target(world, organization, year, metric="members.total", op=">=", value=1, **extra):
    return services.target_add(
        actor=world.office, organization=organization, year=year, metric=metric, op=op, value=value, **extra
    )


def _figure(world, organization, year, metric="members.total", **values):
    return services.figure_enter(
        actor=world.office, organization=organization, year=year, metric=metric, **values
    )


@pytest.fixture
def setup(world):
    """This year's targets of DU and CB-A, and a figure of last year entered for CB-A."""
    year = periods.today().year
    return {
        "year": year,
        "du": _target(world, world.root, year),
        "a": _target(world, world.cell_a, year, metric="cells.total", value=1),
        "figure": _figure(world, world.cell_a, year - 1, value=7),
    }


def _calls(setup) -> list[tuple[str, str, dict | None, set[str], int]]:
    year, du, a, figure = setup["year"], setup["du"], setup["a"], setup["figure"]
    new = {"year": year, "metric": "members.probationary", "op": "<=", "value": 3}
    return [
        ("get", f"{API}/organizations/CB-A/targets?year={year}", None, READERS_OF_A, 200),
        ("get", f"{API}/organizations/DU/targets?year={year}", None, READERS_OF_DU, 200),
        ("get", f"{API}/targets/{a.pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/targets/{du.pk}", None, READERS_OF_DU, 200),
        ("get", f"{API}/organizations/CB-A/entered-figures?year={year - 1}", None, READERS_OF_A, 200),
        ("get", f"{API}/organizations/DU/entered-figures?year={year - 1}", None, READERS_OF_DU, 200),
        ("get", f"{API}/organizations/CB-A/figures?year={year}", None, READERS_OF_A, 200),
        ("get", f"{API}/organizations/DU/figures?year={year}", None, READERS_OF_DU, 200),
        ("get", f"{API}/organizations/CB-A/figures/members.total?year={year}", None, READERS_OF_A, 200),
        ("get", f"{API}/organizations/DU/figures/members.total?year={year}", None, READERS_OF_DU, 200),
        ("post", f"{API}/organizations/CB-A/targets", new, {"office"}, 201),
        ("patch", f"{API}/targets/{a.pk}", {"version": a.version, "value": 2}, {"office"}, 200),
        (
            "post",
            f"{API}/organizations/DU/targets/copy",
            {"from_year": year, "to_year": year + 1},
            {"office"},
            201,
        ),
        (
            "put",
            f"{API}/organizations/DU/entered-figures/{year - 1}/cells.total",
            {"value": 4},
            {"office"},
            201,
        ),
        ("delete", f"{API}/targets/{du.pk}?version={du.version}", None, {"office"}, 204),
        ("delete", f"{API}/entered-figures/{figure.pk}?version={figure.version}", None, {"office"}, 204),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona, setup):
    headers = api_headers(getattr(world, persona))
    for method, path, body, allowed, success in _calls(setup):
        response = api_send(client, method, path, body, headers)
        expected = success if persona in allowed else 404
        assert response.status_code == expected, (path, response.content[:300])
    writer = persona == "office"
    year = setup["year"]
    assert Target.objects.filter(organization=world.cell_a, year=year).count() == (2 if writer else 1)
    assert Target.objects.filter(organization=world.root, year=year + 1).count() == (1 if writer else 0)
    assert Target.objects.filter(pk=setup["du"].pk).exists() is not writer  # deleted by the office only
    assert Target.objects.get(pk=setup["a"].pk).value == (2 if writer else 1)
    assert EnteredFigure.objects.filter(pk=setup["figure"].pk).exists() is not writer
    assert EnteredFigure.objects.filter(organization=world.root).exists() is writer


def test_anonymous_gets_401_everywhere_and_nothing_changes(world, client, setup):
    for method, path, body, _allowed, _success in _calls(setup):
        assert api_send(client, method, path, body, {}).status_code == 401, path
    assert Target.objects.count() == 2 and EnteredFigure.objects.count() == 1


def test_the_targets_come_evaluated_against_the_years_figures(world, client):
    year = periods.today().year
    make_member(world.office, world.cell_a, "Nguyễn Văn An")
    make_member(world.office, world.cell_b, "Trần Thị Bình")
    _target(world, world.root, year, value=2)  # two members: met
    _target(world, world.root, year, metric="cells.total", op=">", value=3)  # three cells: not more than 3
    _target(world, world.root, year, metric="classification.cells.good_pct", op=">", value=80)
    services.target_add(
        actor=world.office, organization=world.root, year=year, text="Giữ gìn đạo đức", note="Cả năm"
    )
    body = client.get(f"{API}/organizations/DU/targets?year={year}", headers=api_headers(world.leader)).json()
    assert body["count"] == 4
    members, cells, good, written = body["items"]
    assert (members["metric"], members["op"], members["value"], members["actual"], members["met"]) == (
        "members.total",
        ">=",
        2,
        2,
        True,
    )
    assert members["entered"] is False and members["label"] and members["version"] == 1
    assert (cells["actual"], cells["met"]) == (3, False)  # 3 is not more than 3
    assert (good["actual"], good["met"]) == (None, False)  # no cell rated: a null is not met
    assert (written["metric"], written["op"], written["value"], written["met"]) == (None, None, None, None)
    assert (written["text"], written["note"], written["label"]) == ("Giữ gìn đạo đức", "Cả năm", "")
    one = client.get(f"{API}/targets/{members['id']}", headers=api_headers(world.leader)).json()
    assert one == members


def test_a_past_years_target_is_met_by_the_figure_the_office_entered(world, client):
    year = periods.today().year - 1
    _target(world, world.root, year, metric="members.total", op=">=", value=40)
    _figure(world, world.root, year, value=45, note="Báo cáo tổng kết")
    body = client.get(f"{API}/organizations/DU/targets?year={year}", headers=api_headers(world.office)).json()
    (target,) = body["items"]
    assert (target["actual"], target["entered"], target["met"]) == (45, True, True)


def test_the_office_adds_changes_copies_and_removes_targets(world, client):
    year, office = periods.today().year, api_headers(world.office)
    created = api_send(
        client,
        "post",
        f"{API}/organizations/DU/targets",
        {"year": year, "metric": "classification.cells.good_pct", "op": ">", "value": 80, "note": "NQ"},
        office,
    )
    assert created.status_code == 201
    made = created.json()
    assert (made["metric"], made["op"], made["value"], made["note"], made["position"]) == (
        "classification.cells.good_pct",
        ">",
        80,
        "NQ",
        1,
    )
    changed = api_send(client, "patch", f"{API}/targets/{made['id']}", {"version": 1, "value": 78.5}, office)
    assert changed.status_code == 200 and changed.json()["value"] == 78.5 and changed.json()["version"] == 2
    written = {"version": 2, "metric": "", "text": "Không có đảng viên vi phạm"}
    turned = api_send(client, "patch", f"{API}/targets/{made['id']}", written, office).json()
    assert (turned["metric"], turned["op"], turned["value"], turned["text"]) == (
        None,
        None,
        None,
        "Không có đảng viên vi phạm",
    )
    copy = {"from_year": year, "to_year": year + 1}
    copied = api_send(client, "post", f"{API}/organizations/DU/targets/copy", copy, office)
    assert copied.status_code == 201 and [t["text"] for t in copied.json()] == ["Không có đảng viên vi phạm"]
    again = api_send(client, "post", f"{API}/organizations/DU/targets/copy", copy, office)
    assert again.status_code == 201 and again.json() == []  # what the year has already is skipped
    gone = client.delete(f"{API}/targets/{made['id']}?version=3", headers=office)
    assert gone.status_code == 204
    assert list(Target.objects.filter(year=year)) == []
    assert client.get(f"{API}/targets/{made['id']}", headers=office).status_code == 404


def test_bad_input_is_refused_with_the_message_and_nothing_saved(world, client, setup):
    year, office, a = setup["year"], api_headers(world.office), setup["a"]
    path = f"{API}/organizations/CB-A/targets"
    cases = [
        ({"year": year, "metric": "classification.cells.good_pct", "op": ">=", "value": 150}, "value"),
        ({"year": year, "metric": "members.total", "op": ">=", "value": 2.5}, "value"),
        ({"year": year, "metric": "no.such.figure", "op": ">=", "value": 1}, "metric"),
        ({"year": year, "metric": "members.total", "op": "~", "value": 1}, "op"),
        ({"year": year, "text": "  "}, "text"),
        ({"year": year, "metric": "cells.total", "op": ">=", "value": 3}, "metric"),  # CB-A has one already
    ]
    for body, field in cases:
        response = api_send(client, "post", path, body, office)
        assert response.status_code == 422, body
        answer = response.json()
        assert answer["detail"] and answer["errors"][field], body
    assert "từ 0 đến 100" in api_send(client, "post", path, cases[0][0], office).json()["detail"]
    refused = api_send(client, "patch", f"{API}/targets/{a.pk}", {"version": a.version, "value": -1}, office)
    assert refused.status_code == 422 and refused.json()["errors"]["value"]
    this_year = f"{API}/organizations/CB-A/entered-figures/{year}/members.total"
    assert api_send(client, "put", this_year, {"value": 5}, office).json()["errors"]["year"]
    unknown = f"{API}/organizations/CB-A/entered-figures/{year - 1}/no.such.figure"
    assert api_send(client, "put", unknown, {"value": 5}, office).status_code == 422
    ratio = f"{API}/organizations/CB-A/entered-figures/{year - 1}/classification.cells.good_pct"
    assert api_send(client, "put", ratio, {"numerator": 5, "denominator": 4}, office).status_code == 422
    before = f"{API}/organizations/CB-A/targets?year={year}&as_of={year - 1}-12-31"
    assert client.get(before, headers=office).status_code == 422
    assert Target.objects.filter(organization=world.cell_a).count() == 1
    assert Target.objects.get(pk=a.pk).value == 1 and Target.objects.get(pk=a.pk).version == 1
    assert EnteredFigure.objects.count() == 1


def test_a_stale_version_is_a_409_with_the_current_one_and_nothing_changes(world, client, setup):
    office, a, figure = api_headers(world.office), setup["a"], setup["figure"]
    services.target_update(
        actor=world.office,
        target=a,
        expected_version=1,
        metric="cells.total",
        op=">=",
        value=1,
        text="",
        note="x",
    )
    stale = api_send(client, "patch", f"{API}/targets/{a.pk}", {"version": 1, "value": 3}, office)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert client.delete(f"{API}/targets/{a.pk}?version=1", headers=office).status_code == 409
    path = f"{API}/organizations/CB-A/entered-figures/{setup['year'] - 1}/members.total"
    again = api_send(
        client, "put", path, {"value": 9}, office
    )  # entered already: a correction needs the version
    assert again.status_code == 409 and again.json()["current_version"] == 1
    assert client.delete(f"{API}/entered-figures/{figure.pk}?version=5", headers=office).status_code == 409
    assert Target.objects.get(pk=a.pk).value == 1 and Target.objects.get(pk=a.pk).version == 2
    assert EnteredFigure.objects.get(pk=figure.pk).value == 7
    corrected = api_send(client, "put", path, {"value": 9, "version": 1}, office)
    assert corrected.status_code == 200 and (corrected.json()["value"], corrected.json()["version"]) == (9, 2)


def test_the_entered_figures_of_a_year(world, client):
    year, office = periods.today().year - 1, api_headers(world.office)
    path = f"{API}/organizations/DU/entered-figures/{year}/classification.cells.good_pct"
    made = api_send(client, "put", path, {"numerator": 46, "denominator": 59, "note": "Tổng kết"}, office)
    assert made.status_code == 201
    _figure(world, world.root, year, value=1850)
    body = client.get(
        f"{API}/organizations/DU/entered-figures?year={year}", headers=api_headers(world.leader)
    ).json()
    assert body["count"] == 2
    ratio, count = body["items"]
    assert (ratio["metric"], ratio["kind"], ratio["value"], ratio["numerator"], ratio["denominator"]) == (
        "classification.cells.good_pct",
        "ratio",
        78.0,
        46,
        59,
    )
    assert ratio["note"] == "Tổng kết" and ratio["label"]
    assert (count["metric"], count["kind"], count["value"], count["numerator"]) == (
        "members.total",
        "count",
        1850,
        None,
    )
    assert (
        client.get(f"{API}/organizations/DU/entered-figures?year={year - 1}", headers=office).json()["count"]
        == 0
    )


def test_the_figures_of_a_year_with_last_years_beside_each(world, client):
    year, office = periods.today().year, api_headers(world.office)
    make_member(world.office, world.cell_a, "Nguyễn Văn An")
    make_member(world.office, world.cell_b, "Trần Thị Bình")
    _figure(world, world.root, year - 1, value=1850, note="Sổ cũ")
    body = client.get(f"{API}/organizations/DU/figures?year={year}", headers=office).json()
    assert body["organization"] == {"code": "DU", "name": "Đảng bộ Thử nghiệm"}
    assert body["year"] == year and body["as_of"] == periods.today().isoformat()
    figures = {f["metric"]: f for f in body["figures"]}
    assert list(figures) == [m.key for m in metrics.implemented()]  # contract order
    members = figures["members.total"]
    assert (members["value"], members["entered"], members["kind"]) == (2, False, "count")
    assert members["previous"] == {"value": 1850, "numerator": None, "denominator": None, "entered": True}
    cells = figures["cells.total"]
    assert cells["value"] == 3 and cells["previous"]["entered"] is False  # computed from the data
    past = client.get(f"{API}/organizations/DU/figures?year={year - 1}", headers=office).json()
    past_members = {f["metric"]: f for f in past["figures"]}["members.total"]
    assert (past_members["value"], past_members["entered"], past_members["note"]) == (1850, True, "Sổ cũ")
    before = client.get(f"{API}/organizations/DU/figures?year={year}&as_of={year - 1}-06-30", headers=office)
    assert before.status_code == 422 and before.json()["detail"]


def test_the_drill_down_lists_the_members_behind_the_figure(world, client):
    year = periods.today().year
    make_member(world.office, world.cell_a, "Nguyễn Văn An")
    make_member(world.office, world.cell_b, "Trần Thị Bình")
    whole = client.get(
        f"{API}/organizations/DU/figures/members.total?year={year}", headers=api_headers(world.office)
    )
    body = whole.json()
    assert (body["metric"], body["value"], body["entered"], body["out_of"]) == (
        "members.total",
        2,
        False,
        None,
    )
    assert sorted(e["name"] for e in body["counted"]) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert {e["kind"] for e in body["counted"]} == {"member"}
    mine = client.get(
        f"{API}/organizations/CB-A/figures/members.total?year={year}", headers=api_headers(world.secretary_a)
    )
    assert [e["name"] for e in mine.json()["counted"]] == ["Nguyễn Văn An"]


def test_the_drill_down_drops_what_the_caller_may_not_see(world, client, monkeypatch):
    """An entry's own path decides (a member counted in CB-A who is kept elsewhere, say)."""
    seen = Entry(name="Nguyễn Văn An", path=world.cell_a.path, cell="Chi bộ A", note="có mặt")
    hidden = Entry(name="Trần Thị Bình", path=world.cell_b.path, cell="Chi bộ B", note="có mặt")
    monkeypatch.setitem(
        metrics._details, "members.total", lambda ctx: Detail(counted=[seen], out_of=[seen, hidden])
    )
    path = f"{API}/organizations/CB-A/figures/members.total?year={periods.today().year}"
    body = client.get(path, headers=api_headers(world.secretary_a)).json()
    assert [e["name"] for e in body["counted"]] == ["Nguyễn Văn An"]
    assert [e["name"] for e in body["out_of"]] == ["Nguyễn Văn An"]
    assert body["counted"][0] == {
        "name": "Nguyễn Văn An",
        "kind": "member",
        "cell": "Chi bộ A",
        "note": "có mặt",
        "url": "",
        "amount": None,
    }
    everything = client.get(path.replace("CB-A", "DU"), headers=api_headers(world.office)).json()
    assert len(everything["out_of"]) == 2


def test_the_drill_down_of_an_unknown_key_an_unlisted_one_and_an_entered_one(world, client, monkeypatch):
    year, office = periods.today().year, api_headers(world.office)
    assert (
        client.get(f"{API}/organizations/DU/figures/no.such?year={year}", headers=office).status_code == 404
    )
    monkeypatch.delitem(metrics._details, "cells.total", raising=False)
    unlisted = client.get(f"{API}/organizations/DU/figures/cells.total?year={year}", headers=office)
    assert unlisted.status_code == 200
    assert (unlisted.json()["value"], unlisted.json()["counted"], unlisted.json()["out_of"]) == (
        3,
        None,
        None,
    )
    _figure(world, world.root, year - 1, metric="cells.total", value=59)
    entered = client.get(f"{API}/organizations/DU/figures/cells.total?year={year - 1}", headers=office).json()
    assert (entered["value"], entered["entered"], entered["counted"]) == (59, True, None)


def test_the_target_list_costs_the_same_queries_for_one_target_and_many(world, client):
    year, office, counts = periods.today().year, api_headers(world.office), []
    keys = ["members.total", "members.probationary", "members.exempt", "cells.total", "study.documents"]
    for size in (1, 5):
        for key in keys[Target.objects.count() : size]:
            _target(world, world.root, year, metric=key)
        path = f"{API}/organizations/DU/targets?year={year}"
        client.get(path, headers=office)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, headers=office).json()["count"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_entered_list_costs_the_same_queries_for_one_figure_and_many(world, client):
    year, office, counts = periods.today().year - 1, api_headers(world.office), []
    keys = ["members.total", "members.probationary", "members.exempt", "cells.total"]
    for size in (1, 4):
        for key in keys[EnteredFigure.objects.count() : size]:
            _figure(world, world.root, year, metric=key, value=3)
        path = f"{API}/organizations/DU/entered-figures?year={year}"
        client.get(path, headers=office)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, headers=office).json()["count"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_figures_cost_the_same_queries_for_one_cell_and_several(world, client):
    """DBBP holds one cell (CB-C), then four, each with members."""
    year, office, counts = periods.today().year, api_headers(world.office), []
    make_member(world.office, world.cell_c, "Nguyễn Văn An")
    for cells in (1, 4):
        for n in range(cells - 1):
            cell = make_org(world.admin, f"CB-P{n}", OrgKind.ATTACHED_CELL, parent=world.partial)
            make_member(world.office, cell, f"Lê Văn Số {n}")
        path = f"{API}/organizations/DBBP/figures?year={year}"
        client.get(path, headers=office)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(path, headers=office).json()
        assert {f["metric"]: f["value"] for f in body["figures"]}["cells.total"] == cells
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_openapi_schema_lists_the_targets_api(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/organizations/{code}/targets",
        "/api/v1/targets/{target_id}",
        "/api/v1/organizations/{code}/targets/copy",
        "/api/v1/organizations/{code}/entered-figures",
        "/api/v1/organizations/{code}/entered-figures/{year}/{metric}",
        "/api/v1/entered-figures/{figure_id}",
        "/api/v1/organizations/{code}/figures",
        "/api/v1/organizations/{code}/figures/{key}",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/targets/{target_id}"]["patch"]["responses"]) >= {"200", "404", "409", "422"}
    assert set(paths["/api/v1/organizations/{code}/entered-figures/{year}/{metric}"]["put"]["responses"]) >= {
        "200",
        "201",
        "422",
    }
