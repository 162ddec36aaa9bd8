"""The classification API: every endpoint with the personas, the checks a client must show (the cap,
the order of §1.5), bad input and stale versions refused with nothing written, bounded queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.classification import services
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.members.models import Member
from dangvu.testing import api_headers, api_send

from .factories import decide_all, make_members, member_for_person, open_campaign, propose_all, this_year

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
KEEPERS_OF_A = {"office", "secretary_a"}
API = "/api/v1/classification"


def _rating(member: Member) -> MemberRating:
    return MemberRating.objects.get(member=member)


@dataclass
class Review:
    """A campaign under way on DU: in CB-A, member_a has self-assessed, m1 is proposed, m2 has
    nothing yet, m3 is decided; CB-B is decided, members and cell; CB-C's members are decided and
    the cell has rated itself."""

    campaign: Campaign
    own: Member
    m1: Member
    m2: Member
    m3: Member
    b1: Member


def _review(world) -> Review:
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    m1, m2, m3 = make_members(world, world.cell_a, 3)
    services.member_self_assess(
        actor=world.member_a, campaign=campaign, member=own, score=Decimal(80), level=Level.GOOD
    )
    proposed = propose_all(world, campaign, world.cell_a, {m1: Level.GOOD, m3: Level.GOOD})
    decide_all(world, campaign, [r for r in proposed if r.member_id == m3.pk])
    (b1,) = make_members(world, world.cell_b, 1)
    make_members(world, world.cell_c, 1)
    for cell in (world.cell_b, world.cell_c):
        decide_all(world, campaign, propose_all(world, campaign, cell, Level.GOOD))
        services.cell_self_assess(
            actor=world.office, campaign=campaign, cell=cell, score=Decimal(80), level=Level.GOOD
        )
    rating_b = CellRating.objects.get(cell=world.cell_b)
    services.cell_decide(
        actor=world.office, rating=rating_b, level=Level.GOOD, expected_version=rating_b.version
    )
    return Review(campaign, own, m1, m2, m3, b1)


def _calls(world, review: Review) -> list:
    """(method, path, body, personas allowed, success status)"""
    pk = review.campaign.pk
    own, m1, m3 = _rating(review.own), _rating(review.m1), _rating(review.m3)
    cell_b = CellRating.objects.get(cell=world.cell_b)
    cell_c = CellRating.objects.get(cell=world.cell_c)
    year = this_year() + 1
    return [
        ("get", f"{API}/campaigns/{pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/campaigns/{pk}/roster", None, READERS_OF_A, 200),
        ("get", f"{API}/campaigns/{pk}/roster?cell=CB-A", None, READERS_OF_A, 200),
        ("get", f"{API}/campaigns/{pk}/cells", None, READERS_OF_A, 200),
        ("get", f"{API}/member-ratings/{m1.pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/member-ratings/{own.pk}", None, READERS_OF_A | {"member_a"}, 200),
        (
            "post",
            f"{API}/campaigns/{pk}/self-assessments",
            {"member": review.own.pk, "score": 85, "level": "good", "version": own.version},
            KEEPERS_OF_A | {"member_a"},
            200,
        ),
        (
            "post",
            f"{API}/campaigns/{pk}/proposals",
            {
                "cell": "CB-A",
                "proposals": [
                    {"member": review.m2.pk, "level": "good", "self_score": 80, "self_level": "good"}
                ],
            },
            KEEPERS_OF_A,
            200,
        ),
        (
            "post",
            f"{API}/campaigns/{pk}/decisions",
            {"decisions": [{"rating": m1.pk, "level": "good", "version": m1.version}]},
            {"office"},
            200,
        ),
        (
            "post",
            f"{API}/member-ratings/{m3.pk}/reopen",
            {"reason": "Chi bộ báo cáo thiếu", "version": m3.version},
            {"office"},
            200,
        ),
        (
            "post",
            f"{API}/campaigns/{pk}/cells/CB-A/self-assessment",
            {"score": 80, "level": "good"},
            KEEPERS_OF_A,
            200,
        ),
        (
            "post",
            f"{API}/campaigns/{pk}/cells/CB-C/decision",
            {"level": "good", "version": cell_c.version},
            {"office"},
            200,
        ),
        (
            "post",
            f"{API}/campaigns/{pk}/cells/CB-B/reopen",
            {"reason": "Xem xét lại", "version": cell_b.version},
            {"office"},
            200,
        ),
        (
            "post",
            f"{API}/campaigns",
            {"organization_code": "DU", "year": year, "start": f"{year}-01-05", "end": f"{year}-12-31"},
            {"office"},
            201,
        ),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona):
    review = _review(world)
    headers = api_headers(getattr(world, persona))
    before = list(MemberRating.all_objects.order_by("pk").values_list("version", flat=True))
    for method, path, body, allowed, success in _calls(world, review):
        response = api_send(client, method, path, body, headers)
        assert response.status_code == (success if persona in allowed else 404), (
            path,
            response.content[:300],
        )
    if persona not in KEEPERS_OF_A | {"member_a"}:  # refused everywhere: nothing was written
        assert list(MemberRating.all_objects.order_by("pk").values_list("version", flat=True)) == before
        assert Campaign.objects.count() == 1
    listed = api_send(client, "get", f"{API}/campaigns", None, headers).json()
    assert listed["count"] == (Campaign.objects.count() if persona in READERS_OF_A else 0)


def test_lists_show_only_the_cells_the_user_sees(world, client):
    review = _review(world)
    pk = review.campaign.pk
    secretary = api_headers(world.secretary_a)
    roster = client.get(f"{API}/campaigns/{pk}/roster", headers=secretary).json()
    assert {row["cell_code"] for row in roster["items"]} == {"CB-A"}
    assert roster["count"] == 4
    cells = client.get(f"{API}/campaigns/{pk}/cells", headers=secretary).json()
    assert [c["cell_code"] for c in cells["cells"]] == ["CB-A"]
    assert cells["total"]["reviewed"] == 4 and cells["total"]["not_decided"] == 3
    assert client.get(f"{API}/campaigns/{pk}/roster?cell=CB-B", headers=secretary).status_code == 404
    assert client.get(f"{API}/campaigns?org=CB-A", headers=secretary).json()["count"] == 1
    assert client.get(f"{API}/campaigns?org=CB-B", headers=secretary).status_code == 404
    leader = api_headers(world.leader)
    everyone = client.get(f"{API}/campaigns/{pk}/roster", headers=leader).json()
    assert {row["cell_code"] for row in everyone["items"]} == {"CB-A", "CB-B", "CB-C"}
    progress = client.get(f"{API}/campaigns/{pk}/cells", headers=leader).json()
    by_code = {c["cell_code"]: c for c in progress["cells"]}
    assert by_code["CB-B"]["rating"]["decided_level"] == "good"
    assert by_code["CB-A"]["not_self_assessed"] == 1  # m2
    assert progress["total"]["decided"] == 3
    (cap,) = progress["caps"]  # counted across the committee: 3 decided good, none may be excellent yet
    assert (cap["group"], cap["decided"]["base_count"], cap["decided"]["limit"]) == ("", 3, 0)
    assert client.get(f"{API}/campaigns?year={this_year() - 1}", headers=leader).json()["count"] == 0


def test_the_campaign_shows_the_settings_it_is_judged_by(world, client):
    headers = api_headers(world.office)
    year = this_year() + 1
    body = {
        "organization_code": "DU",
        "year": year,
        "start": f"{year}-11-01",
        "end": f"{year}-12-20",
        "settings": {"cap_base": "B", "cap_rate": 0.25, "grouping": "per_cell", "warning_threshold": 2},
    }
    made = api_send(client, "post", f"{API}/campaigns", body, headers)
    assert made.status_code == 201, made.content
    campaign = client.get(f"{API}/campaigns/{made.json()['id']}", headers=headers).json()
    assert campaign["rule_set"] == "366-QĐ/TW + HD 43" and campaign["rule_set_confirmed"] is True
    assert (campaign["cap_base"], campaign["cap_rate"], campaign["grouping"]) == ("B", 0.25, "per_cell")
    assert (campaign["review_date"], campaign["warning_threshold"]) == (f"{year}-12-20", 2)
    late = api_send(client, "post", f"{API}/campaigns", {**body, "end": f"{year + 1}-01-10"}, headers)
    assert late.status_code == 422 and "31/12" in late.json()["detail"]
    odd_rate = api_send(client, "post", f"{API}/campaigns", {**body, "settings": {"cap_rate": 0.3}}, headers)
    assert odd_rate.status_code == 422 and "25%" in odd_rate.json()["detail"]
    too_old = {**body, "year": 2017, "start": "2017-11-01", "end": "2017-12-31"}  # before any rule set
    assert api_send(client, "post", f"{API}/campaigns", too_old, headers).status_code == 422
    assert Campaign.objects.count() == 1


def test_a_member_self_assesses_and_the_secretary_records_on_their_behalf(world, client):
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    (other,) = make_members(world, world.cell_a, 1)
    path = f"{API}/campaigns/{campaign.pk}/self-assessments"
    mine = api_send(
        client, "post", path, {"member": own.pk, "score": 88.5, "level": "good"}, api_headers(world.member_a)
    )
    assert mine.status_code == 200 and mine.json()["self_on_behalf"] is False
    assert mine.json()["self_score"] == 88.5
    not_mine = {"member": other.pk, "score": 80, "level": "good"}
    assert api_send(client, "post", path, not_mine, api_headers(world.member_a)).status_code == 404
    recorded = api_send(client, "post", path, not_mine, api_headers(world.secretary_a)).json()
    assert recorded["self_on_behalf"] is True and recorded["self_by"] == "Nguyễn Văn Bí Thư"


def test_a_decision_over_the_cap_is_refused_with_its_rule_then_taken_with_a_reason(world, client):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 3)
    ratings = propose_all(world, campaign, world.cell_a, [Level.EXCELLENT, Level.GOOD, Level.GOOD])
    body = {"decisions": [{"rating": r.pk, "level": r.proposed_level, "version": r.version} for r in ratings]}
    path, headers = f"{API}/campaigns/{campaign.pk}/decisions", api_headers(world.office)
    refused = api_send(client, "post", path, body, headers)
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert [p["rule"] for p in problems] == ["§1.4"] and problems[0]["blocking"] is True
    assert "hoàn thành xuất sắc" in problems[0]["message"]
    assert not MemberRating.objects.filter(stage=Stage.DECIDED).exists()
    taken = api_send(
        client, "post", path, {**body, "override_reason": "Thành tích nổi bật trong năm"}, headers
    )
    assert taken.status_code == 200, taken.content
    assert [w["rule"] for w in taken.json()["warnings"]] == ["§1.4"]
    decided = {r["decided_level"] for r in taken.json()["ratings"]}
    assert decided == {"excellent", "good"}
    # The reason is kept with the excellent it was given for, not with the two good.
    assert dict(MemberRating.objects.values_list("decided_level", "override_reason")) == {
        "excellent": "Thành tích nổi bật trong năm",
        "good": "",
    }


def test_a_cell_is_decided_only_after_all_its_members(world, client):
    campaign = open_campaign(world)
    make_members(world, world.cell_b, 2)
    first, second = propose_all(world, campaign, world.cell_b, Level.GOOD)
    decide_all(world, campaign, [first])
    rating = services.cell_self_assess(
        actor=world.office, campaign=campaign, cell=world.cell_b, score=Decimal(85), level=Level.GOOD
    )
    path, headers = f"{API}/campaigns/{campaign.pk}/cells/CB-B/decision", api_headers(world.office)
    body = {"level": "good", "version": rating.version, "override_reason": "Cần gấp"}
    early = api_send(client, "post", path, body, headers)
    assert early.status_code == 422 and "1" in early.json()["detail"]
    assert CellRating.objects.get().stage == Stage.SELF_ASSESSED  # not overridable, nothing written
    decide_all(world, campaign, [second])
    done = api_send(client, "post", path, {"level": "good", "version": rating.version}, headers)
    assert done.status_code == 200 and done.json()["rating"]["decided_level"] == "good"


def test_bad_input_is_refused_with_a_message_and_nothing_written(world, client):
    campaign = open_campaign(world)
    (member,) = make_members(world, world.cell_a, 1)
    path, headers = f"{API}/campaigns/{campaign.pk}/self-assessments", api_headers(world.secretary_a)
    unknown_level = api_send(
        client, "post", path, {"member": member.pk, "score": 80, "level": "great"}, headers
    )
    assert unknown_level.status_code == 422 and unknown_level.json()["detail"][0]["loc"][-1] == "level"
    too_high = api_send(client, "post", path, {"member": member.pk, "score": 150, "level": "good"}, headers)
    assert too_high.status_code == 422 and too_high.json()["detail"][0]["loc"][-1] == "score"
    no_score = api_send(client, "post", path, {"member": member.pk, "level": "good"}, headers)
    assert no_score.status_code == 422 and "100" in no_score.json()["detail"]  # 366-QĐ/TW needs a score
    proposals = {"cell": "CB-A", "proposals": [{"member": member.pk, "level": "good", "note": "a\x00b"}]}
    nul = api_send(client, "post", f"{API}/campaigns/{campaign.pk}/proposals", proposals, headers)
    assert nul.status_code == 400 and nul.json()["detail"] == "Yêu cầu có ký tự không được phép."
    stranger = {"cell": "CB-A", "proposals": [{"member": member.pk + 999, "level": "good"}]}
    outside = api_send(client, "post", f"{API}/campaigns/{campaign.pk}/proposals", stranger, headers)
    assert outside.status_code == 422 and str(member.pk + 999) in outside.json()["detail"]
    assert not MemberRating.objects.exists()


def test_a_stale_version_is_refused_and_changes_nothing(world, client):
    campaign = open_campaign(world)
    first, second = make_members(world, world.cell_a, 2)
    (rating,) = propose_all(world, campaign, world.cell_a, {first: Level.GOOD})
    body = {"decisions": [{"rating": rating.pk, "level": "good", "version": rating.version - 1}]}
    stale = api_send(
        client, "post", f"{API}/campaigns/{campaign.pk}/decisions", body, api_headers(world.office)
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == rating.version
    assert _rating(first).stage == Stage.PROPOSED and _rating(first).version == rating.version
    services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=second, score=Decimal(75), level=Level.GOOD
    )
    # A client that read the roster before the self-assessment existed sends no version.
    again = {"member": second.pk, "score": 95, "level": "excellent"}
    path = f"{API}/campaigns/{campaign.pk}/self-assessments"
    late = api_send(client, "post", path, again, api_headers(world.secretary_a))
    assert late.status_code == 409 and late.json()["current_version"] == 1
    assert (_rating(second).self_level, _rating(second).version) == (Level.GOOD, 1)


def test_the_roster_and_the_progress_cost_the_same_queries_for_one_member_and_many(world, client):
    campaign = open_campaign(world)
    headers = api_headers(world.office)
    paths = (f"{API}/campaigns/{campaign.pk}/roster?page_size=100", f"{API}/campaigns/{campaign.pk}/cells")
    counts = []
    for size in (1, 12):
        members = make_members(world, world.cell_b, size, prefix=f"Lô {size}")
        decide_all(
            world, campaign, propose_all(world, campaign, world.cell_b, {m: Level.GOOD for m in members})
        )
        for cell in [world.cell_a] if size == 1 else [world.cell_b, world.cell_c]:  # the cells' own ratings
            services.cell_self_assess(
                actor=world.office, campaign=campaign, cell=cell, score=Decimal(80), level=Level.GOOD
            )
        client.get(paths[0], headers=headers)
        with CaptureQueriesContext(connection) as roster:
            body = client.get(paths[0], headers=headers).json()
        with CaptureQueriesContext(connection) as progress:
            cells = client.get(paths[1], headers=headers).json()
        assert body["count"] == Member.objects.count() == cells["total"]["decided"]
        counts.append((len(roster), len(progress)))
    assert counts[0] == counts[1]


def test_the_campaign_list_costs_the_same_queries_for_one_and_many(world, client):
    headers = api_headers(world.office)
    counts = []
    for years in (range(1, 2), range(2, 6)):
        for back in years:
            year = this_year() - back
            services.campaign_open(
                actor=world.office,
                organization=world.root,
                year=year,
                start=date(year, 11, 1),
                end=date(year, 12, 31),
                notify=False,
            )
        client.get(f"{API}/campaigns", headers=headers)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"{API}/campaigns", headers=headers).json()
        assert body["count"] == Campaign.objects.count()
        counts.append(len(queries))
    assert counts[0] == counts[1]
