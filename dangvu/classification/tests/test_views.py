"""Review pages: who may see and do what (allowed and denied), the cell's proposals and the office's
decisions through the pages, the cap and the order rules as the user meets them, bounded queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.classification import services
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.members.choices import EventKind
from dangvu.members.models import Member
from dangvu.testing import make_member, make_org

from .factories import (
    campaign_dates,
    decide_all,
    make_members,
    member_for_person,
    open_campaign,
    propose_all,
    this_year,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")


def _get(as_user, world, persona: str, url: str):
    return as_user(getattr(world, persona)).get(url)


def _rating(member) -> MemberRating:
    return MemberRating.objects.get(member=member)


def _propose_data(rows: dict) -> dict:
    """{member: (level, score, self_level, self_score)} as the sheet's proposal form posts it."""
    data = {}
    for member, (level, score, self_level, self_score) in rows.items():
        rating = MemberRating.objects.filter(member=member).first()
        data |= {
            f"p-level_{member.pk}": level,
            f"p-score_{member.pk}": "" if score is None else str(score),
            f"p-version_{member.pk}": rating.version if rating else "",
            f"p-self_level_{member.pk}": self_level,
            f"p-self_score_{member.pk}": "" if self_score is None else str(self_score),
        }
    return data


def _decide_data(levels: dict, reason: str = "") -> dict:
    """{member: level} as the sheet's decision form posts it."""
    data = {"d-override_reason": reason}
    for member, level in levels.items():
        rating = _rating(member)
        data |= {f"d-level_{rating.pk}": level, f"d-version_{rating.pk}": rating.version}
    return data


# ------------------------------------------------------------------------------------- the list


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_list_of_campaigns_by_persona(world, as_user, persona, code, status):
    campaign = open_campaign(world)
    response = _get(as_user, world, persona, reverse("classification:list", args=[code]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert campaign.get_absolute_url() in body
        assert ("Mở đợt đánh giá" in body) == (persona == "office")
        assert (reverse("classification:import_past", args=["DU"]) in body) == (persona == "office")


def test_a_cell_sees_the_committees_campaign_with_a_link_to_its_own_sheet(world, as_user):
    campaign = open_campaign(world)
    body = as_user(world.secretary_a).get(reverse("classification:list", args=["CB-A"])).content.decode()
    assert campaign.sheet_url(world.cell_a) in body and "Mở đợt đánh giá" not in body


# ----------------------------------------------------------------------------- opening a campaign


def _open_form(**changes) -> dict:
    start, end = campaign_dates()
    data = {
        "year": this_year(),
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
        "review_date": "",
        "cap_base": "A",
        "cap_rate": "0.20",
        "grouping": "per_committee",
        "custom_groups": "",
        "count_from": "decision",
        "cell_warning": "on",
        "warning_threshold": "1",
    }
    return data | changes


def test_the_office_opens_a_campaign_with_its_settings(world, as_user):
    client = as_user(world.office)
    page = client.get(reverse("classification:create", args=["DU"])).content.decode()
    assert "366-QĐ/TW + HD 43" in page and f"31/12/{this_year()}" in page
    response = client.post(
        reverse("classification:create", args=["DU"]),
        _open_form(
            cap_base="B", cap_rate="0.25", grouping="custom", custom_groups="Khối cơ quan: CB-A, CB-B"
        ),
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert (campaign.cap_base, campaign.cap_rate, campaign.grouping) == ("B", Decimal("0.25"), "custom")
    assert campaign.custom_groups == {"CB-A": "Khối cơ quan", "CB-B": "Khối cơ quan"}
    assert campaign.review_date == date(this_year(), 12, 31)  # empty: the end of the campaign


def test_a_refused_campaign_says_why_and_writes_nothing(world, as_user):
    client = as_user(world.office)
    unknown_cell = client.post(
        reverse("classification:create", args=["DU"]),
        _open_form(grouping="custom", custom_groups="Nhóm: CB-Z"),
    )
    assert unknown_cell.status_code == 400 and "CB-Z" in unknown_cell.content.decode()
    late = client.post(
        reverse("classification:create", args=["DU"]), _open_form(end=f"10/01/{this_year() + 1}")
    )
    assert late.status_code == 400 and f"31/12/{this_year()}" in late.content.decode()
    open_campaign(world)
    twice = client.post(reverse("classification:create", args=["DU"]), _open_form())
    assert twice.status_code == 400 and "đã được mở" in twice.content.decode()
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("persona", ["leader", "inspection", "secretary_a", "member_a", "stranger"])
def test_only_the_office_opens_a_campaign(world, as_user, persona):
    url = reverse("classification:create", args=["DU"])
    assert _get(as_user, world, persona, url).status_code == 404
    assert as_user(getattr(world, persona)).post(url, _open_form()).status_code == 404
    assert not Campaign.objects.exists()


def test_a_campaign_is_not_opened_on_a_cell(world, as_user):
    assert as_user(world.office).get(reverse("classification:create", args=["CB-A"])).status_code == 404


# --------------------------------------------------------------------------------- the campaign


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 404 if p in {"member_a", "stranger"} else 200) for p in PERSONAS]
)
def test_the_campaign_page_by_persona(world, as_user, persona, status):
    campaign = open_campaign(world)
    response = _get(as_user, world, persona, campaign.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "366-QĐ/TW + HD 43" in body and "Chi bộ A" in body
        assert ("Chi bộ B" in body) == (persona != "secretary_a")  # a secretary sees their own cell's row
        edit = reverse("classification:campaign_edit", args=[campaign.pk])
        assert (edit in body) == (persona == "office")


def test_the_campaign_page_shows_progress_levels_and_the_cap_with_places_left(world, as_user):
    campaign = open_campaign(world)
    members = make_members(world, world.cell_a, 6)
    make_members(world, world.cell_b, 2)
    make_member(
        world.admin,
        world.cell_b,
        "Mới Kết Nạp",
        decision=timezone.localdate() - timedelta(days=30),
        ceremony=None,
        recognition=None,
    )
    ratings = propose_all(world, campaign, world.cell_a, [Level.EXCELLENT] + [Level.GOOD] * 5)
    decide_all(world, campaign, ratings[1:])
    body = as_user(world.leader).get(campaign.get_absolute_url()).content.decode()
    assert "Cách tính A" in body  # the cap's base, where it decides
    assert "Tối đa 1 hoàn thành xuất sắc: 20% của 5 hoàn thành tốt" in body  # decided
    assert "còn 0 suất" in body  # with the excellent proposal pending, the one place is taken
    assert members[0].person.full_name not in body  # counts, not names
    assert "(100%)" in body  # 5 of 5 decided are good in cell A


def test_an_older_year_shows_its_unconfirmed_rules(world, as_user):
    campaign = services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=2024,
        start=date(2024, 11, 1),
        end=date(2024, 12, 31),
        notify=False,
    )
    body = as_user(world.office).get(campaign.get_absolute_url()).content.decode()
    assert "124-QĐ/TW + HD 25" in body and "chưa được xác nhận" in body


def test_the_office_changes_the_settings_at_a_known_version(world, as_user):
    campaign = open_campaign(world)
    url = reverse("classification:campaign_edit", args=[campaign.pk])
    data = _open_form(cap_base="B", version=campaign.version)
    data.pop("year")
    client = as_user(world.office)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.cap_base == "B"
    stale = client.post(url, data | {"cap_base": "A"})
    assert stale.status_code == 400 and "người khác" in stale.content.decode().lower()
    assert Campaign.objects.get().cap_base == "B"
    for persona in ("leader", "secretary_a", "member_a"):
        assert as_user(getattr(world, persona)).post(url, data).status_code == 404


# ------------------------------------------------------------------------------------ the sheet


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 404 if p in {"member_a", "stranger"} else 200) for p in PERSONAS]
)
def test_the_sheet_by_persona(world, as_user, persona, status):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 2)
    propose_all(world, campaign, world.cell_a, [Level.GOOD])
    response = _get(as_user, world, persona, campaign.sheet_url(world.cell_a))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert ('id="propose-form"' in body) == (persona in {"office", "secretary_a"})
        assert ('id="decide-form"' in body) == (persona == "office")


def test_a_secretary_reaches_neither_another_cells_sheet_nor_the_decisions(world, as_user):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 1)
    (rating,) = propose_all(world, campaign, world.cell_a, [Level.GOOD])
    member_b = make_members(world, world.cell_b, 1)[0]
    client = as_user(world.secretary_a)
    assert client.get(campaign.sheet_url(world.cell_b)).status_code == 404
    propose_b = reverse("classification:propose", args=[campaign.pk, "CB-B"])
    data = _propose_data({member_b: (Level.GOOD, 80, Level.GOOD, 80)})
    assert client.post(propose_b, data).status_code == 404
    decide = reverse("classification:decide", args=[campaign.pk, "CB-A"])
    assert client.post(decide, _decide_data({rating.member: Level.GOOD})).status_code == 404
    assert _rating(rating.member).stage == Stage.PROPOSED
    assert not MemberRating.objects.filter(member=member_b).exists()


@pytest.mark.parametrize(
    ("persona", "code"), [("leader", "CB-A"), ("inspection", "CB-A"), ("secretary_a", "CB-B")]
)
def test_the_cells_self_rating_is_only_for_its_chi_uy_and_the_office(world, as_user, persona, code):
    campaign = open_campaign(world)
    url = reverse("classification:cell_self", args=[campaign.pk, code])
    data = {"cs-score": "85", "cs-level": Level.GOOD, "cs-version": ""}
    assert as_user(getattr(world, persona)).post(url, data).status_code == 404
    assert not CellRating.objects.exists()
    assert as_user(world.office).post(url, data).status_code == 302


@pytest.mark.parametrize("name", ["propose", "decide", "cell_self", "cell_decide", "cell_reopen"])
def test_writes_of_the_sheet_are_post_only(world, as_user, name):
    campaign = open_campaign(world)
    url = reverse(f"classification:{name}", args=[campaign.pk, "CB-A"])
    assert as_user(world.office).get(url).status_code == 405


def test_a_leader_reads_the_sheet_but_cannot_propose(world, as_user):
    campaign = open_campaign(world)
    (member,) = make_members(world, world.cell_a, 1)
    url = reverse("classification:propose", args=[campaign.pk, "CB-A"])
    response = as_user(world.leader).post(url, _propose_data({member: (Level.GOOD, 80, Level.GOOD, 80)}))
    assert response.status_code == 404 and not MemberRating.objects.exists()


def test_a_sheet_of_a_cell_outside_the_campaign_is_not_found(world, as_user):
    campaign = open_campaign(world, organization=world.partial)
    assert as_user(world.office).get(campaign.sheet_url(world.cell_a)).status_code == 404
    assert as_user(world.office).get(campaign.sheet_url(world.cell_c)).status_code == 200


def test_the_secretary_proposes_for_the_cell_recording_self_assessments_on_behalf(world, as_user):
    campaign = open_campaign(world)
    first, second = make_members(world, world.cell_a, 2)
    third = member_for_person(world, world.member_a_person)
    services.member_self_assess(
        actor=world.member_a, campaign=campaign, member=third, score=Decimal(75), level="good"
    )
    url = reverse("classification:propose", args=[campaign.pk, "CB-A"])
    client = as_user(world.secretary_a)
    assert client.get(campaign.sheet_url(world.cell_a)).status_code == 200
    response = client.post(
        url,
        _propose_data(
            {
                first: (Level.EXCELLENT, 92, Level.EXCELLENT, 93),
                second: (Level.GOOD, None, Level.GOOD, 80),
                third: (Level.GOOD, None, "", None),
            }
        ),
    )
    assert response.status_code == 302
    ratings = {r.member_id: r for r in MemberRating.objects.all()}
    assert {r.stage for r in ratings.values()} == {Stage.PROPOSED}
    assert ratings[first.pk].self_on_behalf and ratings[first.pk].proposed_score == Decimal(92)
    assert not ratings[third.pk].self_on_behalf  # the member's own, not recorded on their behalf
    body = client.get(campaign.sheet_url(world.cell_a)).content.decode()
    # 1 excellent with 2 good: none allowed, the secretary sees it before the office decides
    assert "ghi thay" in body and "vượt 1 suất hoàn thành xuất sắc" in body


def test_a_proposal_without_a_self_assessment_is_refused_and_nothing_is_written(world, as_user):
    campaign = open_campaign(world)
    first, second = make_members(world, world.cell_a, 2)
    response = as_user(world.secretary_a).post(
        reverse("classification:propose", args=[campaign.pk, "CB-A"]),
        _propose_data({first: (Level.GOOD, 80, Level.GOOD, 80), second: (Level.GOOD, 80, "", None)}),
    )
    assert response.status_code == 400
    assert "ghi thay bản tự đánh giá" in response.content.decode()
    assert not MemberRating.objects.exists()  # all or nothing


def _seven_proposed(world, campaign):
    """7 members of cell A proposed: 2 excellent (one with a score in the good band) and 5 good, one
    excellent over the cap (reading A: 20% of 5 good allows 1)."""
    members = make_members(world, world.cell_a, 7)
    levels = [(Level.EXCELLENT, 95), (Level.EXCELLENT, 88)] + [Level.GOOD] * 5
    propose_all(world, campaign, world.cell_a, levels)
    return members


def test_a_decision_over_the_cap_is_blocked_with_the_rule_and_nothing_is_written(world, as_user):
    campaign = open_campaign(world)
    members = _seven_proposed(world, campaign)
    levels = {m: _rating(m).proposed_level for m in members}
    raised = next(m for m in members if levels[m] == Level.GOOD)
    levels[raised] = Level.EXCELLENT  # typed by the office: a third excellent
    response = as_user(world.office).post(
        reverse("classification:decide", args=[campaign.pk, "CB-A"]), _decide_data(levels)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vượt tỉ lệ 3 hoàn thành xuất sắc. Tối đa 0 hoàn thành xuất sắc" in body and "§1.4" in body
    assert not MemberRating.objects.filter(stage=Stage.DECIDED).exists()
    # What was typed stays on the form.
    select = body[body.index(f'name="d-level_{_rating(raised).pk}"') :]
    assert select[: select.index("</select>")].count('value="excellent" selected') == 1


def test_the_office_decides_against_the_cap_with_a_reason_and_the_reason_shows(world, as_user):
    campaign = open_campaign(world)
    members = _seven_proposed(world, campaign)
    levels = {m: _rating(m).proposed_level for m in members}
    reason = "Chi bộ có thành tích nổi trội được Đảng ủy ghi nhận"
    client = as_user(world.office)
    response = client.post(
        reverse("classification:decide", args=[campaign.pk, "CB-A"]), _decide_data(levels, reason=reason)
    )
    assert response.status_code == 302
    decided = MemberRating.objects.filter(stage=Stage.DECIDED)
    assert decided.count() == 7
    # The reason goes with the excellent decisions it was given for (the cap), not with the others.
    assert {r.override_reason for r in decided if r.decided_level == Level.EXCELLENT} == {reason}
    assert {r.override_reason for r in decided if r.decided_level != Level.EXCELLENT} == {""}
    assert reason in client.get(campaign.sheet_url(world.cell_a)).content.decode()


def test_the_office_lowers_one_level_and_the_decision_goes_through(world, as_user):
    campaign = open_campaign(world)
    members = _seven_proposed(world, campaign)
    page = as_user(world.office).get(campaign.sheet_url(world.cell_a)).content.decode()
    assert "88.00 điểm thuộc mức “Hoàn thành tốt nhiệm vụ”" in page and "§1.3" in page  # shown live
    levels = {m: _rating(m).proposed_level for m in members}
    lowered = next(m for m in members if _rating(m).proposed_score == Decimal(88))
    levels[lowered] = Level.GOOD
    response = as_user(world.office).post(
        reverse("classification:decide", args=[campaign.pk, "CB-A"]), _decide_data(levels)
    )
    assert response.status_code == 302
    assert _rating(lowered).decided_level == Level.GOOD
    assert MemberRating.objects.filter(decided_level=Level.EXCELLENT, override_reason="").count() == 1


def test_a_stale_decision_form_is_refused_with_a_message(world, as_user):
    campaign = open_campaign(world)
    (member,) = make_members(world, world.cell_a, 1)
    propose_all(world, campaign, world.cell_a, [Level.GOOD])
    data = _decide_data({member: Level.GOOD})
    propose_all(world, campaign, world.cell_a, [Level.COMPLETED])  # changed since the form was read
    response = as_user(world.office).post(
        reverse("classification:decide", args=[campaign.pk, "CB-A"]), data, follow=True
    )
    assert "người khác" in response.content.decode().lower()
    assert _rating(member).stage == Stage.PROPOSED


# -------------------------------------------------------------------------------- the cell itself


def test_the_cell_is_decided_only_after_its_members(world, as_user):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 2)
    ratings = propose_all(world, campaign, world.cell_a, [Level.GOOD, Level.GOOD])
    response = as_user(world.secretary_a).post(
        reverse("classification:cell_self", args=[campaign.pk, "CB-A"]),
        {"cs-score": "85", "cs-level": Level.GOOD, "cs-note": "", "cs-version": ""},
    )
    assert response.status_code == 302
    page = as_user(world.office).get(campaign.sheet_url(world.cell_a)).content.decode()
    assert "Còn 2 đảng viên" in page and "<fieldset disabled>" in page  # the order rule, the form disabled
    cell_rating = CellRating.objects.get()
    url = reverse("classification:cell_decide", args=[campaign.pk, "CB-A"])
    data = {"cd-level": Level.GOOD, "cd-version": cell_rating.version, "cd-override_reason": "Đủ điều kiện"}
    refused = as_user(world.office).post(url, data)  # not even with a reason
    assert refused.status_code == 400 and "chưa được quyết định" in refused.content.decode()
    assert CellRating.objects.get().stage == Stage.SELF_ASSESSED
    decide_all(world, campaign, ratings)
    assert as_user(world.office).post(url, data | {"cd-override_reason": ""}).status_code == 302
    assert CellRating.objects.get().decided_level == Level.GOOD
    # Only the office reopens the cell's decision, with a reason.
    reopen = reverse("classification:cell_reopen", args=[campaign.pk, "CB-A"])
    version = CellRating.objects.get().version
    assert (
        as_user(world.secretary_a).post(reopen, {"cr-reason": "Sai", "cr-version": version}).status_code
        == 404
    )
    assert as_user(world.office).post(reopen, {"cr-reason": "", "cr-version": version}).status_code == 400
    reopened = as_user(world.office).post(reopen, {"cr-reason": "Có đơn thư phản ánh", "cr-version": version})
    assert reopened.status_code == 302 and CellRating.objects.get().stage == Stage.SELF_ASSESSED


def test_the_secretary_cannot_decide_the_cell(world, as_user):
    campaign = open_campaign(world)
    services.cell_self_assess(
        actor=world.secretary_a, campaign=campaign, cell=world.cell_a, score=Decimal(85), level="good"
    )
    rating = CellRating.objects.get()
    response = as_user(world.secretary_a).post(
        reverse("classification:cell_decide", args=[campaign.pk, "CB-A"]),
        {"cd-level": Level.GOOD, "cd-version": rating.version},
    )
    assert response.status_code == 404 and CellRating.objects.get().stage == Stage.SELF_ASSESSED


def test_the_cell_warning_shows_when_a_member_did_not_complete(world, as_user):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 2)
    ratings = propose_all(world, campaign, world.cell_a, [Level.GOOD, Level.NOT_COMPLETED])
    decide_all(world, campaign, ratings)
    services.cell_self_assess(
        actor=world.secretary_a, campaign=campaign, cell=world.cell_a, score=Decimal(85), level="good"
    )
    page = as_user(world.office).get(campaign.sheet_url(world.cell_a)).content.decode()
    assert "1 đảng viên" in page and "§1.5" in page and "<fieldset disabled>" not in page


# ----------------------------------------------------------------------- one member's rating page


def test_the_member_rating_page_by_persona(world, as_user):
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    ratings = propose_all(world, campaign, world.cell_a, {own: Level.GOOD})
    url = ratings[0].get_absolute_url()
    for persona, status, forms in (
        ("office", 200, True),
        ("secretary_a", 200, True),
        ("leader", 200, False),
        ("inspection", 200, False),
        ("member_a", 200, False),  # their own, read only
        ("member_b", 404, False),
        ("stranger", 404, False),
    ):
        response = _get(as_user, world, persona, url)
        assert response.status_code == status, persona
        if status == 200:
            body = response.content.decode()
            assert ('id="triggers-form"' in body) == forms, persona
            assert "ghi thay" in body and "Lịch sử" in body


def test_triggers_are_stated_by_the_cell_and_a_decision_reopened_by_the_office(world, as_user):
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    (rating,) = propose_all(world, campaign, world.cell_a, {own: Level.GOOD})
    triggers = reverse("classification:member_triggers", args=[rating.pk])
    data = {"triggers": ["degraded"], "version": rating.version}
    assert as_user(world.member_a).post(triggers, data).status_code == 404
    assert as_user(world.leader).post(triggers, data).status_code == 404
    assert as_user(world.secretary_a).post(triggers, data).status_code == 302
    page = as_user(world.office).get(rating.get_absolute_url()).content.decode()
    assert "suy thoái" in page and "§1.3" in page  # the check: "not completed" is required
    decide_all(world, campaign, [rating], level=Level.NOT_COMPLETED)
    rating.refresh_from_db()
    reopen = reverse("classification:member_reopen", args=[rating.pk])
    assert (
        as_user(world.secretary_a).post(reopen, {"reason": "x", "version": rating.version}).status_code == 404
    )
    assert as_user(world.office).post(reopen, {"reason": "", "version": rating.version}).status_code == 400
    reason = "Cấp trên yêu cầu xếp loại lại"
    assert (
        as_user(world.office).post(reopen, {"reason": reason, "version": rating.version}).status_code == 302
    )
    rating.refresh_from_db()
    assert rating.stage == Stage.PROPOSED
    assert reason in as_user(world.member_a).get(rating.get_absolute_url()).content.decode()  # in the history


# ------------------------------------------------------------------------------ self-assessment


def test_a_member_assesses_themselves_until_the_cell_proposes(world, as_user):
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    url = reverse("classification:self", args=[campaign.pk])
    client = as_user(world.member_a)
    assert client.get(url).status_code == 200
    assert client.post(url, {"score": "150", "level": Level.GOOD, "version": ""}).status_code == 400
    assert client.post(url, {"score": "86", "level": Level.GOOD, "version": ""}).status_code == 302
    rating = _rating(own)
    assert (rating.self_score, rating.self_level, rating.self_on_behalf) == (Decimal(86), Level.GOOD, False)
    propose_all(world, campaign, world.cell_a, {own: Level.GOOD})
    closed = client.get(url).content.decode()
    assert "không sửa bản tự đánh giá được nữa" in closed and 'id="self-form"' not in closed
    client.post(url, {"score": "95", "level": Level.EXCELLENT, "version": rating.version + 1})
    assert _rating(own).self_level == Level.GOOD


def test_a_member_not_reviewed_is_told_why(world, as_user):
    campaign = open_campaign(world)
    member_for_person(world, world.member_a_person, decision=campaign.review_date - timedelta(days=60))
    body = as_user(world.member_a).get(reverse("classification:self", args=[campaign.pk])).content.decode()
    assert "không thuộc diện đánh giá" in body.lower() and "6 tháng" in body and 'id="self-form"' not in body


@pytest.mark.parametrize("persona", ["member_b", "stranger", "secretary_a", "office"])
def test_the_self_assessment_page_is_only_for_members_of_the_roster(world, as_user, persona):
    campaign = open_campaign(world)
    assert (
        _get(as_user, world, persona, reverse("classification:self", args=[campaign.pk])).status_code == 404
    )


# ------------------------------------------------------------------------------------- panels


def test_the_organisation_pages_show_the_campaign(world, as_user):
    root_page = as_user(world.office).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert reverse("classification:create", args=["DU"]) in root_page
    assert (
        "classification-panel"
        not in as_user(world.leader).get(reverse("organization:detail", args=["DU"])).content.decode()
    )
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 3)
    propose_all(world, campaign, world.cell_a, [Level.GOOD])
    cell_page = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"])).content.decode()
    assert campaign.sheet_url(world.cell_a) in cell_page
    assert "2 đảng viên chưa tự đánh giá" in cell_page and "chưa xếp loại" in cell_page
    root_page = as_user(world.leader).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert campaign.get_absolute_url() in root_page


def test_without_a_campaign_this_year_the_past_years_stay_reachable(world, as_user):
    last_year = this_year() - 1
    services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=last_year,
        start=date(last_year, 12, 1),
        end=date(last_year, 12, 31),
        notify=False,
    )
    years = reverse("classification:list", args=["CB-A"])
    cell_page = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"])).content.decode()
    assert years in cell_page and reverse("classification:create", args=["CB-A"]) not in cell_page
    # A campaign run by the partial committee below: the root's office is not offered a second one.
    services.campaign_open(
        actor=world.office,
        organization=world.partial,
        year=this_year(),
        start=campaign_dates()[0],
        end=campaign_dates()[1],
    )
    root_page = as_user(world.office).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert reverse("classification:list", args=["DU"]) in root_page
    assert reverse("classification:create", args=["DU"]) not in root_page


def test_a_member_finds_the_self_assessment_on_their_own_page(world, as_user):
    campaign = open_campaign(world)
    own = member_for_person(world, world.member_a_person)
    page = as_user(world.member_a).get(own.get_absolute_url()).content.decode()
    assert f"Tự đánh giá, xếp loại năm {campaign.year}" in page
    assert reverse("classification:self", args=[campaign.pk]) in page
    (rating,) = propose_all(world, campaign, world.cell_a, {own: Level.GOOD})
    secretary_view = as_user(world.secretary_a).get(own.get_absolute_url()).content.decode()
    assert rating.get_absolute_url() in secretary_view
    assert reverse("classification:self", args=[campaign.pk]) not in secretary_view


# -------------------------------------------------------------------------------- query counts


def _grow(world, campaign, extra_cells: int, per_cell: int) -> None:
    """More cells and members, each proposed, half of them decided."""
    for i in range(extra_cells):
        cell = make_org(world.admin, f"CB-Q{i:02d}", parent=world.root, name=f"Chi bộ Q{i:02d}")
        make_members(world, cell, per_cell)
        ratings = propose_all(world, campaign, cell, Level.GOOD)
        decide_all(world, campaign, ratings[: per_cell // 2])


def _count(client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["office", "secretary_a"])
def test_the_campaign_page_and_the_sheet_cost_the_same_queries_for_one_member_and_many(
    world, as_user, persona
):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 1)
    ratings = propose_all(world, campaign, world.cell_a, Level.GOOD)
    client = as_user(getattr(world, persona))
    pages = [campaign.get_absolute_url(), campaign.sheet_url(world.cell_a), ratings[0].get_absolute_url()]
    small = [_count(client, url) for url in pages]
    make_members(world, world.cell_a, 19, prefix="Thêm")
    propose_all(
        world,
        campaign,
        world.cell_a,
        {e: Level.GOOD for e in Member.objects.filter(person__full_name__startswith="Thêm")[:10]},
    )
    _grow(world, campaign, extra_cells=4, per_cell=5)
    large = [_count(client, url) for url in pages]
    assert small == large


def test_the_organisation_panel_costs_the_same_queries_for_one_member_and_many(world, as_user):
    campaign = open_campaign(world)
    make_members(world, world.cell_a, 1)
    propose_all(world, campaign, world.cell_a, Level.GOOD)
    client = as_user(world.office)
    urls = [reverse("organization:detail", args=["DU"]), reverse("organization:detail", args=["CB-A"])]
    small = [_count(client, url) for url in urls]
    _grow(world, campaign, extra_cells=3, per_cell=6)
    assert small == [_count(client, url) for url in urls]


def test_a_member_event_does_not_break_the_sheet(world, as_user):
    """A member disciplined in the year: the check cites the trigger on the sheet."""
    campaign = open_campaign(world)
    (member,) = make_members(world, world.cell_a, 1)
    from dangvu.members import services as member_services

    member_services.event_add(
        actor=world.admin,
        member=member,
        kind=EventKind.DISCIPLINE,
        date=campaign.start,
        discipline_form="reprimand",
        official_duty=True,
        effective_date=campaign.start,
    )
    propose_all(world, campaign, world.cell_a, [Level.GOOD])
    page = as_user(world.office).get(campaign.sheet_url(world.cell_a)).content.decode()
    assert "§1.3" in page


def test_a_secretary_finds_the_export_of_their_cells_on_the_campaign_page(world, as_user):
    campaign = open_campaign(world)
    client = as_user(world.secretary_a)
    export = reverse("classification:export", args=[campaign.pk])
    assert export in client.get(campaign.get_absolute_url()).content.decode()
    assert client.get(export).status_code == 200


def test_every_organisation_page_links_to_the_review_years(world, as_user):
    for user, code in ((world.office, "DU"), (world.secretary_a, "CB-A")):
        page = as_user(user).get(reverse("organization:detail", args=[code])).content.decode()
        assert reverse("classification:list", args=[code]) in page
