"""The Party badges and commendations API: every endpoint with the personas (another cell's 404,
the anonymous 401), the register written through its services (stale versions 409, refusals 422,
nothing written), the batch's eligibility and proposals with the grave illness hidden from who does
not keep the member's cell, the budget against a hand count, bounded queries, and the schema."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.badges import selectors, services
from dangvu.badges.choices import Early, Paper
from dangvu.badges.models import Award, Commendation, Proposal
from dangvu.core.audit import save_audited
from dangvu.core.models import PersonalDataAccess
from dangvu.core.periods import today
from dangvu.testing import api_headers, api_send

from . import factories
from .test_commendations import excellent  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_B = {"office", "leader", "inspection"}
API = "/api/v1"


def _batch() -> date:
    return date(today().year + 1, 5, 19)  # Hanoi windows: milestones from 01/03 to 31/05


@pytest.fixture
def due(world):
    """Next year's 19/05 batch: Ba Mươi (30, CB-A), Bốn Lăm (45, CB-A, uncosted), Bốn Mươi (40,
    CB-B), and Ốm, gravely ill, 29 years on 01/03 (30, early, CB-A); each proposed, two papers of
    the dossier at hand (and the medical record for Ốm)."""
    f, a, b = factories, world.cell_a, world.cell_b
    nxt = today().year + 1
    found = {
        "ba": f.reaching(world, a, "A Ba Mươi", 30, date(nxt, 4, 10)),
        "bon_lam": f.reaching(world, a, "A Bốn Lăm", 45, date(nxt, 3, 20)),
        "bon": f.reaching(world, b, "B Bốn Mươi", 40, date(nxt, 5, 5)),
        "om": f.reaching(world, a, "A Ốm", 30, date(nxt + 1, 3, 1)),
    }
    f.illness(world, found["om"], today())
    papers = [Paper.DECLARATION, Paper.CELL_RESOLUTION]
    for key, years in (("ba", 30), ("bon_lam", 45), ("bon", 40), ("om", 30)):
        early = Early.GRAVELY_ILL if key == "om" else ""
        extra = [Paper.MEDICAL_RECORD] if early else []
        proposal = Proposal(
            member=found[key], years=years, batch=_batch(), early=early, papers=papers + extra
        )
        save_audited(proposal, actor=world.office)
    return found


@pytest.fixture
def badges(world, due):
    """The register, fixed past years: An's 30-year badge (CB-A), Bệnh's early 30-year badge for a
    grave illness (CB-A), Bình's 40-year badge (CB-B); and next year's batch (`due`)."""
    f, a, b = factories, world.cell_a, world.cell_b
    an = f.member(world, a, "Nguyễn Văn An", date(1990, 1, 5))
    ill = f.member(world, a, "Trần Thị Bệnh", date(1995, 3, 1))
    binh = f.member(world, b, "Vũ Văn Bình", date(1980, 1, 10))
    f.illness(world, ill, date(2024, 1, 2))
    awards = {
        "an": services.award_record(actor=world.office, member=an, years=30, awarded_on=date(2024, 8, 1)),
        "ill": services.award_record(
            actor=world.office, member=ill, years=30, awarded_on=date(2024, 5, 19), early=Early.GRAVELY_ILL
        ),
        "binh": services.award_record(actor=world.office, member=binh, years=40, awarded_on=date(2021, 2, 3)),
    }
    return {"awards": awards, "an": an, "binh": binh, **due}


def _award_body(**kw) -> dict:
    return {"years": 30, "awarded_on": "2021-05-19", "decision_number": "15-QĐ/TU"} | kw


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona, badges):
    headers = api_headers(getattr(world, persona))
    nobody_a = factories.member(world, world.cell_a, "Lê Văn Chưa", date(1990, 3, 1))
    nobody_b = factories.member(world, world.cell_b, "Đỗ Văn Chưa", date(1990, 3, 1))
    an, binh = badges["awards"]["an"], badges["awards"]["binh"]
    batch = _batch().isoformat()
    year = today().year
    commendation = {"form": "certificate", "issuer": "Đảng ủy Thử nghiệm", "decided_on": today().isoformat()}
    calls = [
        ("get", "/organizations/CB-A/badge-awards", None, READERS_OF_A, 200),
        ("get", "/organizations/DU/badge-awards", None, READERS_OF_B, 200),
        ("get", "/organizations/CB-B/badge-awards", None, READERS_OF_B, 200),
        ("get", f"/badge-awards/{an.pk}", None, READERS_OF_A, 200),
        ("get", f"/badge-awards/{binh.pk}", None, READERS_OF_B, 200),
        ("get", f"/organizations/CB-A/badge-eligibility?batch={batch}", None, READERS_OF_A, 200),
        ("get", f"/organizations/CB-B/badge-eligibility?batch={batch}", None, READERS_OF_B, 200),
        ("get", f"/organizations/CB-A/badge-proposals?batch={batch}", None, READERS_OF_A, 200),
        ("get", f"/organizations/CB-B/badge-proposals?batch={batch}", None, READERS_OF_B, 200),
        ("get", f"/organizations/CB-A/badge-budget?year={year}", None, READERS_OF_A, 200),
        ("get", f"/organizations/DU/badge-budget?year={year}", None, READERS_OF_B, 200),
        ("get", "/organizations/CB-A/commendations", None, READERS_OF_A, 200),
        ("get", "/organizations/CB-B/commendations", None, READERS_OF_B, 200),
        ("get", "/organizations/CB-A/commendation-offers", None, READERS_OF_A, 200),
        ("get", "/organizations/DU/commendation-offers", None, READERS_OF_B, 200),
        # The writes: the office only (the cell's secretary reads CB-A's register, not writes it).
        ("post", f"/members/{nobody_a.pk}/badge-awards", _award_body(), {"office"}, 201),
        ("post", f"/members/{nobody_b.pk}/badge-awards", _award_body(), {"office"}, 201),
        (
            "patch",
            f"/badge-awards/{an.pk}",
            {"version": an.version, "money_paid": 3_510_000},
            {"office"},
            200,
        ),
        ("delete", f"/badge-awards/{binh.pk}?version={binh.version}", None, {"office"}, 204),
        ("post", "/organizations/CB-A/commendations", commendation, {"office"}, 201),
    ]
    for method, path, body, allowed, success in calls:
        response = api_send(client, method, API + path, body, headers)
        assert response.status_code == (success if persona in allowed else 404), (
            path,
            response.content[:300],
        )
    wrote = persona == "office"
    assert Award.objects.filter(member__in=[nobody_a, nobody_b]).count() == (2 if wrote else 0)
    assert Award.objects.filter(pk=binh.pk).exists() is not wrote
    assert Award.objects.get(pk=an.pk).money_paid == (3_510_000 if wrote else None)
    assert Commendation.objects.count() == (1 if wrote else 0)


def test_the_anonymous_get_401(world, client, badges):
    award = badges["awards"]["an"]
    for method, path in (
        ("get", "/organizations/DU/badge-awards"),
        ("get", f"/badge-awards/{award.pk}"),
        ("post", f"/members/{badges['an'].pk}/badge-awards"),
        ("patch", f"/badge-awards/{award.pk}"),
        ("delete", f"/badge-awards/{award.pk}?version=1"),
        ("get", f"/organizations/DU/badge-eligibility?batch={_batch()}"),
        ("get", f"/organizations/DU/badge-proposals?batch={_batch()}"),
        ("get", "/organizations/DU/badge-budget"),
        ("get", "/organizations/DU/commendations"),
        ("post", "/organizations/DU/commendations"),
        ("get", "/organizations/DU/commendation-offers"),
    ):
        body = None if method in ("get", "delete") else {}
        assert api_send(client, method, API + path, body, {}).status_code == 401, path
    assert Award.objects.count() == 3


def test_the_register_lists_the_subtree_with_the_money(world, client, badges):
    office = api_headers(world.office)

    def items(query: str) -> list[dict]:
        response = client.get(f"{API}/organizations/DU/badge-awards{query}", headers=office)
        assert response.status_code == 200, response.content[:300]
        return response.json()["items"]

    rows = items("")
    assert [r["full_name"] for r in rows] == ["Nguyễn Văn An", "Trần Thị Bệnh", "Vũ Văn Bình"]  # newest first
    first = rows[0]
    assert (first["years"], first["awarded_on"], first["cell_code"], first["cell_name"]) == (
        30,
        "2024-08-01",
        "CB-A",
        "Chi bộ A",
    )
    assert first["amount"] == 3_510_000  # 1.5 × 2,340,000 on 01/08/2024
    assert rows[1]["amount"] == 2_700_000  # 1.5 × 1,800,000 on 19/05/2024
    assert rows[2]["amount"] == 2 * 1_490_000  # 2 × 1,490,000 on 03/02/2021
    assert [r["full_name"] for r in items("?year=2024")] == ["Nguyễn Văn An", "Trần Thị Bệnh"]
    assert [r["full_name"] for r in items("?years=40")] == ["Vũ Văn Bình"]
    assert [r["full_name"] for r in items("?page_size=1&page=2")] == ["Trần Thị Bệnh"]
    secretary = client.get(f"{API}/organizations/CB-A/badge-awards", headers=api_headers(world.secretary_a))
    assert secretary.json()["count"] == 2
    assert client.get(f"{API}/organizations/DU/badge-awards?year=1", headers=office).status_code == 422
    assert client.get(f"{API}/organizations/XX/badge-awards", headers=office).status_code == 404


def test_a_grave_illness_is_shown_only_to_who_keeps_the_members_cell(world, client, badges):
    ill = badges["awards"]["ill"]
    batch = _batch().isoformat()
    shown_before = PersonalDataAccess.objects.count()

    def read(user) -> dict:
        headers = api_headers(user)
        one = client.get(f"{API}/badge-awards/{ill.pk}", headers=headers).json()
        listed = client.get(f"{API}/organizations/CB-A/badge-awards", headers=headers).json()["items"]
        eligible = client.get(f"{API}/organizations/CB-A/badge-eligibility?batch={batch}", headers=headers)
        proposals = client.get(f"{API}/organizations/CB-A/badge-proposals?batch={batch}", headers=headers)
        return {
            "one": one["early"],
            "listed": next(r["early"] for r in listed if r["id"] == ill.pk),
            "eligible": next((r for r in eligible.json() if r["full_name"] == "A Ốm"), None),
            "proposal": next(r for r in proposals.json() if r["full_name"] == "A Ốm"),
        }

    for reader in (world.leader, world.inspection):
        seen = read(reader)
        # an ordinary award to them ("early" alone would tell the illness, posthumous awards being
        # shown); the candidate is left out; the dossier does not name the medical record
        assert (seen["one"], seen["listed"], seen["eligible"]) == ("", "", None)
        assert seen["proposal"]["early"] == ""
        assert "medical_record" not in seen["proposal"]["papers_present"] + seen["proposal"]["papers_missing"]
    assert PersonalDataAccess.objects.count() == shown_before  # nothing shown, nothing logged
    eligible_from = date(today().year + 1, 3, 1)
    for keeper in (world.office, world.secretary_a):
        seen = read(keeper)
        assert (seen["one"], seen["listed"], seen["eligible"]["early"]) == ("gravely_ill",) * 3
        assert seen["eligible"]["eligible_from"] == eligible_from.isoformat()
        assert f"{eligible_from:%d/%m/%Y}" in seen["eligible"]["explanation"]
        proposal = seen["proposal"]
        assert proposal["early"] == "gravely_ill"
        assert proposal["papers_present"] == ["declaration", "cell_resolution", "medical_record"]
        assert proposal["papers_missing"] == ["committee_resolution", "personal_record"]
        logged = PersonalDataAccess.objects.filter(user=keeper)
        assert logged.count() == 4  # the award, the list, the eligibility, the proposals
    assert PersonalDataAccess.objects.count() == shown_before + 8


def test_the_eligibility_and_the_proposals_of_a_batch(world, client, badges):
    office, batch = api_headers(world.office), _batch()
    rows = client.get(f"{API}/organizations/DU/badge-eligibility?batch={batch}", headers=office).json()
    by_name = {r["full_name"]: r for r in rows}
    assert set(by_name) == {"A Ba Mươi", "A Bốn Lăm", "A Ốm", "B Bốn Mươi"}
    ba = by_name["A Ba Mươi"]
    assert (ba["member_id"], ba["cell_code"], ba["cell_name"], ba["years"]) == (
        badges["ba"].pk,
        "CB-A",
        "Chi bộ A",
        30,
    )
    nxt = batch.year
    assert (ba["reached_on"], ba["eligible_from"], ba["batch"]) == (
        f"{nxt}-04-10",
        f"{nxt}-04-10",
        batch.isoformat(),
    )
    assert (ba["early"], ba["not_yet_until"]) == ("", None) and "10/04/" in ba["explanation"]
    assert by_name["B Bốn Mươi"]["cell_code"] == "CB-B"
    secretary = api_headers(world.secretary_a)
    mine = client.get(f"{API}/organizations/CB-A/badge-eligibility?batch={batch}", headers=secretary).json()
    assert {r["full_name"] for r in mine} == {"A Ba Mươi", "A Bốn Lăm", "A Ốm"}
    proposals = client.get(f"{API}/organizations/DU/badge-proposals?batch={batch}", headers=office).json()
    assert [p["full_name"] for p in proposals] == [
        "A Bốn Lăm",
        "A Ba Mươi",
        "B Bốn Mươi",
        "A Ốm",
    ]  # given names
    first = proposals[0]
    assert (first["years"], first["batch"], first["early"], first["cell_code"]) == (
        45,
        batch.isoformat(),
        "",
        "CB-A",
    )
    assert first["papers_missing"] == ["committee_resolution", "personal_record"]
    other = date(nxt, 9, 2).isoformat()
    assert client.get(f"{API}/organizations/DU/badge-proposals?batch={other}", headers=office).json() == []
    # Not a batch of the settings in force: 422 with the message, for both.
    for kind in ("badge-eligibility", "badge-proposals"):
        wrong = client.get(f"{API}/organizations/DU/{kind}?batch={nxt}-05-20", headers=office)
        assert wrong.status_code == 422 and wrong.json()["errors"]["batch"], wrong.content[:300]
        assert "20/05/" in wrong.json()["detail"]
        assert client.get(f"{API}/organizations/DU/{kind}", headers=office).status_code == 422
        assert (
            client.get(f"{API}/organizations/DU/{kind}?batch=0001-05-19", headers=office).status_code == 422
        )


def test_the_budget_matches_a_hand_count(world, client, due):
    office, year = api_headers(world.office), today().year
    base = selectors.base_salary_on(today())
    body = client.get(f"{API}/organizations/DU/badge-budget?year={year}", headers=office).json()
    thirty, forty = int(base * 1.5), 2 * base
    assert (body["year"], body["as_of"], body["base_salary"]) == (year + 1, today().isoformat(), base)
    assert body["total"] == {"count": 3, "total": thirty + forty, "uncosted": 1}
    assert {b["batch"]: b["count"] for b in body["by_batch"]} == {
        f"{year + 1}-02-03": 0,
        f"{year + 1}-05-19": 3,
        f"{year + 1}-09-02": 0,
        f"{year + 1}-11-07": 0,
    }
    assert body["by_cell"] == [
        {"cell_path": world.cell_a.path, "cell_code": "CB-A", "cell_name": "Chi bộ A"}
        | {"count": 2, "total": thirty, "uncosted": 1},
        {"cell_path": world.cell_b.path, "cell_code": "CB-B", "cell_name": "Chi bộ B"}
        | {"count": 1, "total": forty, "uncosted": 0},
    ]
    lines = {line["full_name"]: line for line in body["lines"]}
    assert lines["A Bốn Lăm"]["amount"] is None  # needs the local amount, never 0
    assert (lines["A Ba Mươi"]["amount"], lines["A Ba Mươi"]["cell_code"]) == (thirty, "CB-A")
    assert lines["B Bốn Mươi"]["reached_on"] == f"{year + 1}-05-05"
    # As of a day in 2024 before July: the base salary of then; the secretary sees CB-A only.
    past = client.get(f"{API}/organizations/CB-A/badge-budget?year={year}&as_of=2024-03-01", headers=office)
    assert past.json()["base_salary"] == 1_800_000 and past.json()["total"]["total"] == 2_700_000
    mine = client.get(
        f"{API}/organizations/CB-A/badge-budget?year={year}", headers=api_headers(world.secretary_a)
    )
    assert mine.json()["total"]["count"] == 2
    assert client.get(f"{API}/organizations/DU/badge-budget?year=abc", headers=office).status_code == 422


def test_an_award_recorded_corrected_and_deleted_through_the_api(world, client, badges):
    office = api_headers(world.office)
    member = factories.member(world, world.cell_a, "Lê Văn Mới", date(1990, 3, 1))
    path = f"{API}/members/{member.pk}/badge-awards"
    created = api_send(client, "post", path, _award_body(badge_number=" hn00001234 "), office)
    assert created.status_code == 201, created.content[:300]
    award = created.json()
    assert (award["member_id"], award["years"], award["amount"], award["version"]) == (
        member.pk,
        30,
        int(1.5 * 1_490_000),
        1,
    )
    patched = api_send(
        client,
        "patch",
        f"{API}/badge-awards/{award['id']}",
        {"version": 1, "handed_over_on": "2021-06-01", "money_paid": 2_235_000},
        office,
    )
    assert patched.status_code == 200, patched.content[:300]
    assert (patched.json()["handed_over_on"], patched.json()["money_paid"], patched.json()["version"]) == (
        "2021-06-01",
        2_235_000,
        2,
    )
    assert patched.json()["badge_number"] == award["badge_number"]  # untouched fields stay
    gone = api_send(client, "delete", f"{API}/badge-awards/{award['id']}?version=2", None, office)
    assert gone.status_code == 204
    assert client.get(f"{API}/badge-awards/{award['id']}", headers=office).status_code == 404
    assert Award.all_objects.get(pk=award["id"]).deleted_at is not None


def test_a_stale_version_is_409_and_a_refusal_422_with_nothing_written(world, client, badges):
    office = api_headers(world.office)
    an = badges["awards"]["an"]
    stale = api_send(client, "patch", f"{API}/badge-awards/{an.pk}", {"version": 0, "money_paid": 1}, office)
    assert stale.status_code == 409 and stale.json()["current_version"] == an.version
    stale_delete = api_send(client, "delete", f"{API}/badge-awards/{an.pk}?version=0", None, office)
    assert stale_delete.status_code == 409
    late = api_send(
        client,
        "patch",
        f"{API}/badge-awards/{an.pk}",
        {"version": an.version, "handed_over_on": "2024-07-01"},
        office,
    )
    assert late.status_code == 422 and late.json()["errors"]["handed_over_on"]
    an.refresh_from_db()
    assert (an.money_paid, an.handed_over_on, an.version, an.deleted_at) == (None, None, 1, None)
    member = factories.member(world, world.cell_a, "Lê Văn Sớm", date(2000, 3, 1))
    path = f"{API}/members/{member.pk}/badge-awards"
    for body, field in (
        (_award_body(years=35), "years"),  # no 35-year badge
        (_award_body(), "years"),  # 21 years of Party age in 2021
        (_award_body(years=30, awarded_on="2999-01-01"), "awarded_on"),
    ):
        refused = api_send(client, "post", path, body, office)
        assert refused.status_code == 422 and refused.json()["errors"][field], (body, refused.content[:300])
        assert refused.json()["detail"]
    wrong_number = _award_body(years=30, awarded_on="2021-05-19", badge_number="HN 0000001")  # 7 digits
    refused = api_send(client, "post", f"{API}/members/{member.pk}/badge-awards", wrong_number, office)
    assert refused.status_code == 422 and refused.json()["errors"]["badge_number"]
    # The schema first: an unknown early reason, a negative sum.
    assert api_send(client, "post", path, _award_body(early="soon"), office).status_code == 422
    assert api_send(client, "post", path, _award_body(money_paid=-1), office).status_code == 422
    assert (
        api_send(
            client, "post", f"{API}/members/{member.pk + 999}/badge-awards", _award_body(), office
        ).status_code
        == 404
    )
    assert Award.objects.count() == 3
    # Commendations: no issuer, a member kept at another cell.
    commendations = f"{API}/organizations/CB-A/commendations"
    body = {"form": "certificate", "issuer": " ", "decided_on": today().isoformat()}
    refused = api_send(client, "post", commendations, body, office)
    assert refused.status_code == 422 and refused.json()["errors"]["issuer"]
    elsewhere = {**body, "issuer": "Đảng ủy", "member_id": badges["binh"].pk}
    refused = api_send(client, "post", commendations, elsewhere, office)
    assert refused.status_code == 422 and refused.json()["errors"]["organization"]
    assert not Commendation.objects.exists()


def test_commendations_recorded_listed_and_offered(world, client, excellent):  # noqa: F811
    office, year = api_headers(world.office), today().year
    offers = client.get(f"{API}/organizations/DU/commendation-offers", headers=office).json()
    assert len(offers) == 3 and all(o["rated_year"] == year and o["form"] == "certificate" for o in offers)
    member_offer = next(o for o in offers if o["member_id"] == excellent["a"][0].pk)
    assert (member_offer["organization_code"], member_offer["member_name"]) == (
        "CB-A",
        excellent["a"][0].person.full_name,
    )
    body = {
        "member_id": member_offer["member_id"],
        "form": "certificate",
        "issuer": "Đảng ủy Thử nghiệm",
        "decided_on": today().isoformat(),
        "rated_year": year,
    }
    created = api_send(client, "post", f"{API}/organizations/CB-A/commendations", body, office)
    assert created.status_code == 201, created.content[:300]
    answer = created.json()
    base = selectors.base_salary_on(today())
    assert (answer["member_id"], answer["organization_code"], answer["amount"]) == (
        member_offer["member_id"],
        "CB-A",
        round(0.3 * base),
    )
    left = client.get(f"{API}/organizations/DU/commendation-offers", headers=office).json()
    assert len(left) == 2 and member_offer["member_id"] not in {o["member_id"] for o in left}
    listed = client.get(f"{API}/organizations/DU/commendations?year={year}", headers=office).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == answer["id"]
    assert (
        client.get(f"{API}/organizations/DU/commendations?year={year - 1}", headers=office).json()["count"]
        == 0
    )
    secretary = api_headers(world.secretary_a)
    assert client.get(f"{API}/organizations/CB-A/commendations", headers=secretary).json()["count"] == 1
    assert {
        o["organization_code"]
        for o in client.get(f"{API}/organizations/CB-A/commendation-offers", headers=secretary).json()
    } == {"CB-A"}


def test_the_lists_cost_the_same_queries_for_one_and_many(world, client):
    headers, counts = api_headers(world.office), []
    nxt = today().year + 1
    batch = _batch()
    for cell, size in ((world.cell_a, 1), (world.cell_b, 12)):
        for n in range(size):
            old = factories.reaching(world, cell, f"Nguyễn Văn Cũ {n}", 40, date(nxt - 3, 6, 15))
            services.award_record(actor=world.office, member=old, years=40, awarded_on=date(nxt - 2, 2, 3))
            due = factories.reaching(world, cell, f"Trần Văn Tới {n}", 30, date(nxt, 4, 10))
            ill = factories.reaching(world, cell, f"Phạm Văn Ốm {n}", 30, date(nxt + 1, 3, 1))
            factories.illness(world, ill, today())
            for member, early in ((due, ""), (ill, Early.GRAVELY_ILL)):
                save_audited(
                    Proposal(member=member, years=30, batch=batch, early=early, papers=[]), actor=world.office
                )
            save_audited(
                Commendation(
                    organization=cell, form="certificate", issuer=f"Đảng ủy {n}", decided_on=today()
                ),
                actor=world.office,
            )
        paths = [
            f"/organizations/{cell.code}/badge-awards?page_size=100",
            f"/organizations/{cell.code}/badge-eligibility?batch={batch}",
            f"/organizations/{cell.code}/badge-proposals?batch={batch}",
            f"/organizations/{cell.code}/badge-budget",
            f"/organizations/{cell.code}/commendations?page_size=100",
            f"/organizations/{cell.code}/commendation-offers",
        ]
        measured = []
        for path in paths:
            client.get(API + path, headers=headers)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(API + path, headers=headers)
            assert response.status_code == 200, (path, response.content[:300])
            body = response.json()
            if "items" in body:
                assert body["count"] == size, path
            elif "lines" in body:
                assert body["total"]["count"] == size, path
            elif "offers" not in path:
                assert len(body) == size * (2 if "proposals" in path or "eligibility" in path else 1), path
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]


def test_the_openapi_schema_lists_the_badges_api(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/v1/organizations/{code}/badge-awards",
        "/api/v1/badge-awards/{award_id}",
        "/api/v1/members/{member_id}/badge-awards",
        "/api/v1/organizations/{code}/badge-eligibility",
        "/api/v1/organizations/{code}/badge-proposals",
        "/api/v1/organizations/{code}/badge-budget",
        "/api/v1/organizations/{code}/commendations",
        "/api/v1/organizations/{code}/commendation-offers",
    ):
        assert path in schema["paths"], path
    award = schema["paths"]["/api/v1/badge-awards/{award_id}"]
    assert set(award["patch"]["responses"]) >= {"200", "404", "409", "422"}
    assert set(award["delete"]["responses"]) >= {"204", "404", "409"}
