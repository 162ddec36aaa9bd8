"""Writes of the review: the order of rules.md §1.6 and §1.5, who is reviewed (§1.2), the checks at
decision (§1.3), the cap on excellent (§1.4) under the campaign's settings and under concurrency, the
rule set by year, stale forms, the audit and the notifications.

Every date is built from today (the campaign reviews today's year), so the tests pass in any year.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from dangvu.classification import rules, selectors, services
from dangvu.classification.choices import CapBase, CountFrom, Exclusion, Grouping, Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.core.audit import StaleVersionError
from dangvu.core.models import Notification
from dangvu.members import services as member_services
from dangvu.members.choices import DisciplineForm, EventKind
from dangvu.members.models import Member
from dangvu.members.rules import add_months
from dangvu.testing import make_member, member_of_persona

pytestmark = pytest.mark.django_db

SCORES = {
    Level.EXCELLENT: Decimal(95),
    Level.GOOD: Decimal(80),
    Level.COMPLETED: Decimal(60),
    Level.NOT_COMPLETED: Decimal(40),
}

# ------------------------------------------------------------------------------------- builders


def campaign_dates(year: int | None = None) -> tuple[int, date, date, date]:
    """(year, start, end, review date): this year's campaign starts a few days ago (not before 1/1),
    ends on 31/12 and reviews today; a past year's runs through December and reviews on 31/12."""
    today = timezone.localdate()
    if year is None or year == today.year:
        return (
            today.year,
            max(date(today.year, 1, 1), today - timedelta(days=3)),
            date(today.year, 12, 31),
            today,
        )
    return year, date(year, 12, 1), date(year, 12, 31), date(year, 12, 31)


def open_campaign(world, *, year: int | None = None, notify: bool = False, **settings) -> Campaign:
    year, start, end, review = campaign_dates(year)
    return services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=year,
        start=start,
        end=end,
        review_date=review,
        settings=services.Settings(**settings),
        notify=notify,
    )


def members(world, cell, count: int, prefix: str = "Đảng Viên") -> list[Member]:
    return [make_member(world.admin, cell, f"{prefix} {cell.code} {i:02d}") for i in range(count)]


def rating_of(campaign: Campaign, member: Member) -> MemberRating | None:
    return MemberRating.objects.filter(campaign=campaign, member=member).first()


def propose(
    world, campaign, cell, levels: dict, *, actor=None, scores: dict | None = None
) -> list[MemberRating]:
    """The cell proposes `levels` {member: level}, recording the self-assessment on the member's
    behalf in the same step when there is none."""
    scores = scores or {}
    proposals = []
    for member, level in levels.items():
        rating = rating_of(campaign, member)
        score = scores.get(member, SCORES[level])
        proposals.append(
            services.Proposal(
                member=member,
                level=level,
                score=score if campaign.rules.has_score_bands else None,
                self_score=score if campaign.rules.has_score_bands else None,
                self_level=level,
                expected_version=rating.version if rating else None,
            )
        )
    return services.member_propose(
        actor=actor or world.secretary_a, campaign=campaign, cell=cell, proposals=proposals
    )


def decide(world, campaign, levels: dict, *, reason: str = "", actor=None) -> services.Outcome:
    """The committee decides `levels` {rating: level} in one batch."""
    decisions = [
        services.Decision(rating=r, level=lv, expected_version=r.version) for r, lv in levels.items()
    ]
    return services.member_decide(
        actor=actor or world.office, campaign=campaign, decisions=decisions, override_reason=reason
    )


def proposed_and_decided(world, campaign, cell, levels: list[str], *, actor=None) -> list[MemberRating]:
    """Members of `cell` proposed and decided at `levels`, one member each."""
    found = members(world, cell, len(levels), prefix="Đã Quyết")
    ratings = propose(world, campaign, cell, dict(zip(found, levels, strict=True)), actor=actor)
    decide(world, campaign, {r: lv for r, lv in zip(ratings, levels, strict=True)})
    return ratings


def snapshot(campaign: Campaign) -> list[tuple]:
    return list(
        MemberRating.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "stage", "decided_level", "version", "override_reason")
    )


def history_rows() -> int:
    return MemberRating.history.count()


# ------------------------------------------------------------------------------------ campaigns


def test_the_campaign_stores_the_rule_set_of_its_year(world):
    campaign_2024 = open_campaign(world, year=2024)
    campaign_2025 = open_campaign(world, year=2025)
    assert campaign_2024.rule_set == rules.RULES_124.code and not campaign_2024.rules.confirmed
    assert campaign_2025.rule_set == rules.RULES_366.code and campaign_2025.rules.has_score_bands
    # Product defaults (rules.md): Reading A, 20%, across the committee, six months from the decision.
    assert (campaign_2025.cap_base, campaign_2025.cap_rate) == (CapBase.A, Decimal("0.20"))
    assert (campaign_2025.grouping, campaign_2025.count_from) == (Grouping.PER_COMMITTEE, CountFrom.DECISION)
    assert campaign_2025.history.get().history_user == world.office


def test_under_the_124_set_no_score_is_required(world):
    campaign = open_campaign(world, year=2024)
    member = make_member(world.admin, world.cell_a, "Trần Văn Năm Cũ")
    rating = services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=member, score=None, level=Level.GOOD
    )
    assert rating.self_score is None and rating.self_on_behalf
    [rating] = services.member_propose(
        actor=world.secretary_a,
        campaign=campaign,
        cell=world.cell_a,
        proposals=[services.Proposal(member=member, level=Level.GOOD, expected_version=rating.version)],
    )
    outcome = decide(world, campaign, {rating: Level.GOOD})
    assert outcome.ratings[0].decided_level == Level.GOOD and not outcome.warnings


def test_under_the_366_set_a_score_out_of_100_is_required(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Trần Văn Điểm")
    with pytest.raises(ValidationError) as refused:
        services.member_self_assess(
            actor=world.secretary_a, campaign=campaign, member=member, score=None, level=Level.GOOD
        )
    assert "self_level" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.member_self_assess(
            actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(101), level=Level.GOOD
        )
    assert not MemberRating.objects.exists()


def test_a_campaign_ends_by_31_12_and_opens_once_a_year(world):
    year, start, _end, review = campaign_dates()
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(
            actor=world.office, organization=world.root, year=year, start=start, end=date(year + 1, 1, 10)
        )
    assert "end" in refused.value.message_dict
    open_campaign(world)
    with pytest.raises(ValidationError):  # the partial committee is part of the root's subtree
        services.campaign_open(
            actor=world.office, organization=world.partial, year=year, start=start, end=date(year, 12, 31)
        )
    with pytest.raises(ValidationError):  # a cell does not open a campaign
        services.campaign_open(
            actor=world.office, organization=world.cell_a, year=year - 1, start=date(year - 1, 12, 1),
            end=date(year - 1, 12, 31),
        )  # fmt: skip
    assert Campaign.objects.count() == 1


def test_a_year_before_any_known_rule_set_is_refused_with_a_message(world):
    with pytest.raises(ValidationError) as refused:  # reviews before 8/3/2018: no rule set is encoded
        open_campaign(world, year=2017)
    assert refused.value.message_dict["year"] == [
        "Hệ thống chưa có bộ quy định áp dụng cho đợt đánh giá tổ chức ngày 31/12/2017."
    ]
    assert not Campaign.objects.exists()


def test_a_campaign_change_needs_the_version_the_form_read(world):
    campaign = open_campaign(world)
    updated = services.campaign_update(
        actor=world.office, campaign=campaign, expected_version=campaign.version, cap_base=CapBase.B
    )
    assert updated.cap_base == CapBase.B and updated.history.latest().history_user == world.office
    stale = Campaign.objects.get(pk=campaign.pk)
    with pytest.raises(StaleVersionError):
        services.campaign_update(
            actor=world.office, campaign=stale, expected_version=stale.version - 1, cap_rate=Decimal("0.25")
        )
    assert Campaign.objects.get(pk=campaign.pk).cap_rate == Decimal("0.20")


# ---------------------------------------------------------------------------------- notifications


def test_opening_tells_each_cells_committee_with_a_link_to_its_sheet(world):
    campaign = open_campaign(world, notify=True)
    told = Notification.objects.filter(kind="classification.campaign")
    assert [(n.recipient, n.url) for n in told] == [(world.secretary_a, campaign.sheet_url(world.cell_a))]
    assert campaign.end.strftime("%d/%m/%Y") in told.get().subject


def test_the_office_is_told_once_a_cell_has_proposed_all_its_members(world):
    campaign = open_campaign(world)
    first, second = members(world, world.cell_a, 2)
    recent = make_member(  # not reviewed: does not hold the cell back
        world.admin, world.cell_a, "Mới Kết Nạp", decision=timezone.localdate() - timedelta(days=30),
        ceremony=timezone.localdate() - timedelta(days=20), recognition=None,
    )  # fmt: skip
    assert selectors.roster_entry(campaign, recent).exclusion == Exclusion.ADMITTED_RECENTLY
    propose(world, campaign, world.cell_a, {first: Level.GOOD})
    assert not Notification.objects.filter(kind="classification.proposed").exists()
    propose(world, campaign, world.cell_a, {second: Level.GOOD})
    told = Notification.objects.get(kind="classification.proposed")
    assert told.recipient == world.office and told.url == campaign.sheet_url(world.cell_a)
    assert world.cell_a.name in told.subject


# ------------------------------------------------------------------------------ who is reviewed


def recent_member(world, months: int, *, ceremony_months: int | None = None) -> Member:
    """A member whose admission decision is `months` calendar months before today (the review)."""
    today = timezone.localdate()
    decision = add_months(today, -months)
    ceremony = add_months(today, -ceremony_months) if ceremony_months is not None else decision
    return make_member(
        world.admin,
        world.cell_a,
        f"Mới {months} Tháng",
        decision=decision,
        ceremony=ceremony,
        recognition=None,
    )


def test_a_member_admitted_5_months_before_the_review_is_not_reviewed_and_says_why(world):
    campaign = open_campaign(world)
    member = recent_member(world, 5)
    entry = selectors.roster_entry(campaign, member)
    assert not entry.reviewed and entry.exclusion == Exclusion.ADMITTED_RECENTLY
    with pytest.raises(ValidationError) as refused:
        services.member_self_assess(
            actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(80), level=Level.GOOD
        )
    assert str(Exclusion.ADMITTED_RECENTLY.label) in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        propose(world, campaign, world.cell_a, {member: Level.GOOD})
    assert not MemberRating.objects.exists()


def test_a_member_admitted_6_months_before_to_the_day_is_reviewed(world):
    campaign = open_campaign(world)
    member = recent_member(world, 6)
    assert selectors.roster_entry(campaign, member).reviewed
    [rating] = propose(world, campaign, world.cell_a, {member: Level.GOOD})
    assert rating.stage == Stage.PROPOSED


def test_the_six_months_may_be_counted_from_the_ceremony(world):
    member = recent_member(world, 7, ceremony_months=5)  # decision 7 months ago, ceremony 5
    by_decision = open_campaign(world)
    assert selectors.roster_entry(by_decision, member).reviewed
    by_ceremony = services.campaign_update(
        actor=world.office,
        campaign=by_decision,
        expected_version=by_decision.version,
        count_from=CountFrom.CEREMONY,
    )
    assert selectors.roster_entry(by_ceremony, member).exclusion == Exclusion.ADMITTED_RECENTLY


@pytest.mark.parametrize(
    ("kind", "reason"), [(EventKind.EXEMPTION, Exclusion.EXEMPT), (EventKind.SUSPENSION, Exclusion.SUSPENDED)]
)
def test_exempt_and_suspended_members_are_not_reviewed(world, kind, reason):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Trần Văn Miễn")
    member_services.event_add(
        actor=world.admin, member=member, kind=kind, date=timezone.localdate() - timedelta(days=40)
    )
    assert selectors.roster_entry(campaign, member).exclusion == reason
    with pytest.raises(ValidationError):
        services.member_self_assess(
            actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(80), level=Level.GOOD
        )


# ----------------------------------------------------------------------------- the workflow order


def test_the_member_self_assesses_and_the_secretary_records_on_behalf_marked_as_such(world):
    campaign = open_campaign(world)
    own = member_of_persona(world, world.member_a_person, world.cell_a)
    other = make_member(world.admin, world.cell_a, "Bà Cụ Tám")
    mine = services.member_self_assess(
        actor=world.member_a, campaign=campaign, member=own, score=Decimal(85), level=Level.GOOD
    )
    theirs = services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=other, score=Decimal(72), level=Level.GOOD
    )
    assert (mine.self_by, mine.self_on_behalf, mine.stage) == (world.member_a, False, Stage.SELF_ASSESSED)
    assert (theirs.self_by, theirs.self_on_behalf) == (world.secretary_a, True)
    assert mine.history.get().history_user == world.member_a
    assert theirs.history.get().history_user == world.secretary_a


def test_no_proposal_without_a_self_assessment_unless_recorded_on_behalf_in_the_same_step(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Chưa Tự Đánh Giá")
    with pytest.raises(ValidationError):
        services.member_propose(
            actor=world.secretary_a,
            campaign=campaign,
            cell=world.cell_a,
            proposals=[services.Proposal(member=member, level=Level.GOOD, score=Decimal(80))],
        )
    assert not MemberRating.objects.exists()
    [rating] = services.member_propose(
        actor=world.secretary_a,
        campaign=campaign,
        cell=world.cell_a,
        proposals=[
            services.Proposal(
                member=member,
                level=Level.GOOD,
                score=Decimal(80),
                self_score=Decimal(78),
                self_level=Level.GOOD,
            )
        ],
    )
    assert rating.stage == Stage.PROPOSED and rating.self_on_behalf
    assert (rating.self_score, rating.proposed_score, rating.proposed_by) == (78, 80, world.secretary_a)
    assert [h.history_user for h in rating.history.order_by("history_id")] == [world.secretary_a] * 2


def test_a_batch_of_proposals_is_all_or_nothing(world):
    campaign = open_campaign(world)
    ready, missing = members(world, world.cell_a, 2)
    services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=ready, score=Decimal(80), level=Level.GOOD
    )
    with pytest.raises(ValidationError):
        services.member_propose(
            actor=world.secretary_a,
            campaign=campaign,
            cell=world.cell_a,
            proposals=[
                services.Proposal(ready, Level.GOOD, Decimal(80), expected_version=1),
                services.Proposal(missing, Level.GOOD, Decimal(80)),  # no self-assessment
            ],
        )
    assert rating_of(campaign, ready).stage == Stage.SELF_ASSESSED


def test_a_cell_proposes_only_its_own_members(world):
    campaign = open_campaign(world)
    member_b = make_member(world.admin, world.cell_b, "Người Chi Bộ B")
    with pytest.raises(ValidationError):
        propose(world, campaign, world.cell_a, {member_b: Level.GOOD})
    assert not MemberRating.objects.exists()


def test_the_self_assessment_is_frozen_once_the_cell_has_proposed(world):
    campaign = open_campaign(world)
    own = member_of_persona(world, world.member_a_person, world.cell_a)
    [rating] = propose(world, campaign, world.cell_a, {own: Level.GOOD})
    with pytest.raises(ValidationError):
        services.member_self_assess(
            actor=world.member_a,
            campaign=campaign,
            member=own,
            score=Decimal(95),
            level=Level.EXCELLENT,
            expected_version=rating.version,
        )
    assert rating_of(campaign, own).self_level == Level.GOOD


def test_no_decision_before_the_cells_proposal(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Chưa Đề Xuất")
    rating = services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(80), level=Level.GOOD
    )
    with pytest.raises(ValidationError):
        decide(world, campaign, {rating: Level.GOOD})
    assert rating_of(campaign, member).stage == Stage.SELF_ASSESSED


def test_a_decided_member_is_not_proposed_or_decided_again(world):
    campaign = open_campaign(world)
    [rating] = proposed_and_decided(world, campaign, world.cell_a, [Level.GOOD])
    rating.refresh_from_db()
    with pytest.raises(ValidationError):
        propose(world, campaign, world.cell_a, {rating.member: Level.EXCELLENT})
    with pytest.raises(ValidationError):
        decide(world, campaign, {rating: Level.COMPLETED})
    assert rating_of(campaign, rating.member).decided_level == Level.GOOD


def cell_self(world, campaign, cell=None, level=Level.GOOD) -> CellRating:
    return services.cell_self_assess(
        actor=world.secretary_a,
        campaign=campaign,
        cell=cell or world.cell_a,
        score=SCORES[level],
        level=level,
    )


def test_the_cell_is_decided_only_after_every_reviewed_member(world):
    campaign = open_campaign(world)
    first, second = members(world, world.cell_a, 2)
    recent_member(world, 2)  # not reviewed: does not hold the cell back
    ratings = propose(world, campaign, world.cell_a, {first: Level.GOOD, second: Level.GOOD})
    decide(world, campaign, {ratings[0]: Level.GOOD})
    cell_rating = cell_self(world, campaign)
    with pytest.raises(ValidationError) as refused:
        services.cell_decide(
            actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
        )
    assert "1" in refused.value.messages[0]
    # Not even with a reason: the order of §1.5 is not a check one overrides.
    with pytest.raises(ValidationError):
        services.cell_decide(
            actor=world.office,
            rating=cell_rating,
            level=Level.GOOD,
            expected_version=cell_rating.version,
            override_reason="Họp gấp",
        )
    assert CellRating.objects.get().stage == Stage.SELF_ASSESSED
    decide(world, campaign, {ratings[1]: Level.GOOD})
    outcome = services.cell_decide(
        actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
    )
    decided = outcome.ratings[0]
    assert (decided.stage, decided.decided_level, decided.decided_by) == (
        Stage.DECIDED,
        Level.GOOD,
        world.office,
    )
    assert decided.history.latest().history_user == world.office


def test_a_member_is_not_reopened_while_the_cell_is_decided(world):
    campaign = open_campaign(world)
    [rating] = proposed_and_decided(world, campaign, world.cell_a, [Level.GOOD])
    cell_rating = cell_self(world, campaign)
    cell_rating = services.cell_decide(
        actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
    ).ratings[0]
    rating.refresh_from_db()
    with pytest.raises(ValidationError):
        services.member_reopen(
            actor=world.office, rating=rating, reason="Có đơn thư", expected_version=rating.version
        )
    assert rating_of(campaign, rating.member).stage == Stage.DECIDED
    services.cell_reopen(
        actor=world.office, rating=cell_rating, reason="Có đơn thư", expected_version=cell_rating.version
    )
    reopened = services.member_reopen(
        actor=world.office, rating=rating, reason="Có đơn thư", expected_version=rating.version
    )
    assert (reopened.stage, reopened.decided_level, reopened.decided_by) == (Stage.PROPOSED, "", None)
    assert reopened.proposed_level == Level.GOOD  # the cell's proposal stays, to be decided again
    last = reopened.history.latest()
    assert (last.history_user, last.history_change_reason) == (world.office, "Có đơn thư")


def test_a_decided_rating_is_reopened_only_with_a_reason(world):
    campaign = open_campaign(world)
    [rating] = proposed_and_decided(world, campaign, world.cell_a, [Level.GOOD])
    rating.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.member_reopen(
            actor=world.office, rating=rating, reason="   ", expected_version=rating.version
        )
    assert "reason" in refused.value.message_dict
    assert rating_of(campaign, rating.member).stage == Stage.DECIDED
    cell_rating = cell_self(world, campaign)
    decided = services.cell_decide(
        actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
    ).ratings[0]
    with pytest.raises(ValidationError):
        services.cell_reopen(actor=world.office, rating=decided, reason="", expected_version=decided.version)
    assert CellRating.objects.get().stage == Stage.DECIDED
    with pytest.raises(ValidationError):  # only a decided rating is reopened
        services.cell_reopen(
            actor=world.office,
            rating=cell_self(world, campaign, world.cell_b),
            reason="x",
            expected_version=1,
        )


# ----------------------------------------------------------------------- the checks at decision


def reprimanded(world, member: Member, *, duty_related: bool = True) -> None:
    """A reprimand taking effect this year (on 1/1, never after today)."""
    day = date(timezone.localdate().year, 1, 1)
    member_services.event_add(
        actor=world.admin,
        member=member,
        kind=EventKind.DISCIPLINE,
        date=day,
        effective_date=day,
        discipline_form=DisciplineForm.REPRIMAND,
        official_duty=duty_related,
    )


def test_73_points_with_a_duty_related_reprimand_cannot_be_decided_good(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Bị Khiển Trách")
    reprimanded(world, member)
    [rating] = propose(world, campaign, world.cell_a, {member: Level.GOOD}, scores={member: Decimal(73)})
    with pytest.raises(services.BlockedByRules) as refused:
        decide(world, campaign, {rating: Level.GOOD})
    [problem] = refused.value.problems
    assert problem.rule == "§1.3" and str(member) in problem.message
    assert rating_of(campaign, member).stage == Stage.PROPOSED
    outcome = decide(world, campaign, {rating: Level.NOT_COMPLETED})
    assert outcome.ratings[0].decided_level == Level.NOT_COMPLETED and not outcome.warnings
    assert outcome.ratings[0].override_reason == ""


def test_a_reprimand_not_related_to_duty_does_not_force_not_completed(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Khiển Trách Khác")
    reprimanded(world, member, duty_related=False)
    [rating] = propose(world, campaign, world.cell_a, {member: Level.GOOD}, scores={member: Decimal(73)})
    assert decide(world, campaign, {rating: Level.GOOD}).ratings[0].decided_level == Level.GOOD


def test_a_level_outside_the_score_band_is_decided_only_with_a_reason(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Điểm Lệch")
    [rating] = propose(world, campaign, world.cell_a, {member: Level.GOOD}, scores={member: Decimal(65)})
    with pytest.raises(services.BlockedByRules) as refused:
        decide(world, campaign, {rating: Level.GOOD})
    assert [p.rule for p in refused.value.problems] == ["§1.3"]
    outcome = decide(world, campaign, {rating: Level.GOOD}, reason="Tự phát hiện và khắc phục")
    assert [p.rule for p in outcome.warnings] == ["§1.3"]
    assert outcome.ratings[0].override_reason == "Tự phát hiện và khắc phục"


def test_a_stated_trigger_forces_not_completed(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Suy Thoái")
    [rating] = propose(world, campaign, world.cell_a, {member: Level.GOOD})
    rating = services.member_triggers_set(
        actor=world.office, rating=rating, keys=["degraded"], expected_version=rating.version
    )
    assert rating.history.latest().history_user == world.office
    with pytest.raises(services.BlockedByRules):
        decide(world, campaign, {rating: Level.GOOD})
    with pytest.raises(ValidationError):
        services.member_triggers_set(
            actor=world.office, rating=rating, keys=["unknown"], expected_version=rating.version
        )
    decide(world, campaign, {rating: Level.NOT_COMPLETED})


# ------------------------------------------------------------------------------------- the cap


def pool_of_ten(world, campaign, excellent: int) -> list[MemberRating]:
    """Ten members of cell A proposed: `excellent` of them excellent, the others good."""
    levels = [Level.EXCELLENT] * excellent + [Level.GOOD] * (10 - excellent)
    found = members(world, world.cell_a, 10)
    return propose(world, campaign, world.cell_a, dict(zip(found, levels, strict=True)))


@pytest.mark.parametrize(
    ("base", "allowed"),
    [(CapBase.A, 1), (CapBase.B, 2)],
    ids=["reading A allows 1", "reading B allows 2"],
)
def test_a_pool_of_ten_at_good_or_above(world, base, allowed):
    campaign = open_campaign(world, cap_base=base)
    ratings = pool_of_ten(world, campaign, allowed + 1)
    before, rows = snapshot(campaign), history_rows()
    with pytest.raises(services.BlockedByRules) as refused:
        decide(world, campaign, {r: r.proposed_level for r in ratings})
    [problem] = refused.value.problems
    assert problem.rule == "§1.4"
    assert f"Tối đa {allowed} hoàn thành xuất sắc" in problem.message  # the setting in force is named
    assert f"(cách tính {base})" in problem.message
    assert snapshot(campaign) == before and history_rows() == rows  # nothing written
    # One of them decided "good" instead is within the cap; its 95 points are a floor of
    # "excellent", not a reason against "good" (§1.3), so nothing else is in the way.
    outcome = decide(
        world, campaign, {r: Level.GOOD if r == ratings[0] else r.proposed_level for r in ratings}
    )
    assert sum(r.decided_level == Level.EXCELLENT for r in outcome.ratings) == allowed
    assert not outcome.warnings


def test_the_raised_rate_of_25_percent_is_a_setting_of_the_campaign(world):
    campaign = open_campaign(world, cap_base=CapBase.B, cap_rate=Decimal("0.25"))
    ratings = pool_of_ten(world, campaign, 2)
    decide(world, campaign, {r: r.proposed_level for r in ratings})  # 25% of 10 = 2 (floor of 2.5)
    with pytest.raises(ValidationError):
        open_campaign(world, year=2024, cap_rate=Decimal("0.30"))


def test_one_excellent_too_many_passes_with_a_reason_kept_on_the_rating_and_in_its_history(world):
    campaign = open_campaign(world)
    ratings = pool_of_ten(world, campaign, 2)
    reason = "Đơn vị có thành tích xuất sắc, cấp ủy quyết định"
    outcome = decide(world, campaign, {r: r.proposed_level for r in ratings}, reason=f"  {reason}  ")
    assert [p.rule for p in outcome.warnings] == ["§1.4"]
    for rating in MemberRating.objects.filter(campaign=campaign):
        # The reason goes with the decisions the cap is about (the excellent), not the others.
        kept = reason if rating.decided_level == Level.EXCELLENT else ""
        assert (rating.stage, rating.override_reason, rating.decided_by) == (
            Stage.DECIDED,
            kept,
            world.office,
        )
        last = rating.history.latest()
        assert (last.history_user, last.history_change_reason or "") == (world.office, kept)
        assert last.decided_level == rating.decided_level


def test_a_changed_setting_applies_to_the_next_decisions(world):
    campaign = open_campaign(world)  # Reading A
    ratings = pool_of_ten(world, campaign, 2)
    with pytest.raises(services.BlockedByRules):
        decide(world, campaign, {r: r.proposed_level for r in ratings})
    campaign = services.campaign_update(
        actor=world.office, campaign=campaign, expected_version=campaign.version, cap_base=CapBase.B
    )
    outcome = decide(world, campaign, {r: r.proposed_level for r in ratings})
    assert not outcome.warnings and len(outcome.ratings) == 10
    last = campaign.history.latest()
    assert (last.history_user, last.cap_base) == (world.office, CapBase.B)


def test_the_cap_counts_what_is_already_decided_in_the_group(world):
    campaign = open_campaign(world)  # Reading A
    ratings = pool_of_ten(world, campaign, 2)
    decide(world, campaign, {r: r.proposed_level for r in ratings[1:]})  # 1 excellent, 8 good
    ratings[0].refresh_from_db()
    with pytest.raises(services.BlockedByRules):  # a second excellent against 8 good
        decide(world, campaign, {ratings[0]: Level.EXCELLENT})
    [lowered] = propose(world, campaign, world.cell_a, {ratings[0].member: Level.GOOD})
    decide(world, campaign, {lowered: Level.GOOD})  # 1 excellent against 9 good
    assert MemberRating.objects.filter(decided_level=Level.EXCELLENT).count() == 1


def test_a_group_decided_cell_by_cell_counts_the_good_still_pending_elsewhere(world):
    campaign = open_campaign(world)  # Reading A, across the committee
    pending = propose(
        world, campaign, world.cell_b, dict.fromkeys(members(world, world.cell_b, 5), Level.GOOD)
    )
    found = members(world, world.cell_a, 5, prefix="Chi bộ A")
    ratings = propose(
        world, campaign, world.cell_a, dict(zip(found, [Level.EXCELLENT] + [Level.GOOD] * 4, strict=True))
    )
    # Cell A alone: 20% of 4 good is 0; with cell B's 5 good proposed, 20% of 9 allows the one.
    outcome = decide(world, campaign, {r: r.proposed_level for r in ratings})
    assert not outcome.warnings and outcome.ratings[0].decided_level == Level.EXCELLENT
    # Cell B's good decided lower would leave 1 excellent against 4 good: refused, nothing written.
    with pytest.raises(services.BlockedByRules) as refused:
        decide(world, campaign, {r: Level.COMPLETED for r in pending})
    assert [p.rule for p in refused.value.problems] == ["§1.4"]
    assert not MemberRating.objects.filter(cell=world.cell_b, stage=Stage.DECIDED).exists()
    decide(world, campaign, {r: r.proposed_level for r in pending})  # as proposed: within the cap


def test_a_pending_excellent_elsewhere_does_not_count_until_decided(world):
    campaign = open_campaign(world)
    propose(world, campaign, world.cell_b, dict.fromkeys(members(world, world.cell_b, 1), Level.EXCELLENT))
    found = members(world, world.cell_a, 6, prefix="Chi bộ A")
    ratings = propose(
        world, campaign, world.cell_a, dict(zip(found, [Level.EXCELLENT] + [Level.GOOD] * 5, strict=True))
    )
    outcome = decide(world, campaign, {r: r.proposed_level for r in ratings})  # 1 excellent, 5 good
    assert not outcome.warnings


def five_and_five(world, campaign) -> list[MemberRating]:
    """Cell B's five decided good; cell A's five proposed, two of them excellent."""
    proposed_and_decided(world, campaign, world.cell_b, [Level.GOOD] * 5, actor=world.office)
    found = members(world, world.cell_a, 5)
    levels = [Level.EXCELLENT] * 2 + [Level.GOOD] * 3
    return propose(world, campaign, world.cell_a, dict(zip(found, levels, strict=True)))


@pytest.mark.parametrize(
    ("grouping", "custom_groups", "blocked_group"),
    [
        (Grouping.PER_COMMITTEE, None, None),  # 2 of a pool of 10 (reading B)
        (Grouping.PER_CELL, None, "CB-A"),  # 2 of a pool of 5
        (Grouping.CUSTOM, {"CB-A": "Khối cơ quan", "CB-B": "Khối cơ quan"}, None),
        (Grouping.CUSTOM, {"CB-A": "Khối cơ quan", "CB-B": "Khối dân cư"}, "Khối cơ quan"),
    ],
    ids=["per committee", "per cell", "custom, one group", "custom, two groups"],
)
def test_the_cap_is_counted_over_the_campaigns_grouping(world, grouping, custom_groups, blocked_group):
    campaign = open_campaign(world, cap_base=CapBase.B, grouping=grouping, custom_groups=custom_groups)
    ratings = five_and_five(world, campaign)
    levels = {r: r.proposed_level for r in ratings}
    if blocked_group is None:
        decide(world, campaign, levels)
        assert MemberRating.objects.filter(decided_level=Level.EXCELLENT).count() == 2
        return
    with pytest.raises(services.BlockedByRules) as refused:
        decide(world, campaign, levels)
    [problem] = refused.value.problems
    assert problem.rule == "§1.4" and blocked_group in problem.message
    assert not MemberRating.objects.filter(decided_level=Level.EXCELLENT).exists()


def test_the_cap_on_excellent_cells_is_counted_across_the_committee(world):
    campaign = open_campaign(world, cap_base=CapBase.B)
    cell_rating = cell_self(world, campaign, world.cell_a, Level.EXCELLENT)
    with pytest.raises(services.BlockedByRules) as refused:  # one cell alone: 20% of 1 is 0
        services.cell_decide(
            actor=world.office,
            rating=cell_rating,
            level=Level.EXCELLENT,
            expected_version=cell_rating.version,
        )
    assert [p.rule for p in refused.value.problems] == ["§1.4"]
    outcome = services.cell_decide(
        actor=world.office,
        rating=cell_rating,
        level=Level.EXCELLENT,
        exemplary=True,
        expected_version=cell_rating.version,
        override_reason="Chi bộ tiêu biểu",
    )
    assert outcome.ratings[0].exemplary and outcome.ratings[0].override_reason == "Chi bộ tiêu biểu"


def test_a_cell_whose_secretary_was_disciplined_is_not_decided_excellent(world):
    campaign = open_campaign(world, cap_base=CapBase.B)
    secretary = member_of_persona(world, world.secretary_a_person, world.cell_a)
    reprimanded(world, secretary, duty_related=False)  # any discipline of the leadership counts
    [rating] = propose(world, campaign, world.cell_a, {secretary: Level.GOOD})
    decide(world, campaign, {rating: Level.GOOD})
    cell_rating = cell_self(world, campaign, world.cell_a, Level.EXCELLENT)
    with pytest.raises(services.BlockedByRules) as refused:
        services.cell_decide(
            actor=world.office,
            rating=cell_rating,
            level=Level.EXCELLENT,
            expected_version=cell_rating.version,
        )
    assert "§1.3" in [p.rule for p in refused.value.problems]
    assert CellRating.objects.get().stage == Stage.SELF_ASSESSED


@pytest.mark.parametrize("warn", [True, False])
def test_a_cell_rated_above_its_members_is_warned_not_blocked(world, warn):
    campaign = open_campaign(world, cell_warning=warn)
    [rating] = propose(
        world, campaign, world.cell_a, {members(world, world.cell_a, 1)[0]: Level.NOT_COMPLETED}
    )
    decide(world, campaign, {rating: Level.NOT_COMPLETED})
    cell_rating = cell_self(world, campaign, world.cell_a, Level.GOOD)
    outcome = services.cell_decide(
        actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
    )
    assert [(p.rule, p.blocking) for p in outcome.warnings] == ([("§1.5", False)] if warn else [])
    assert outcome.ratings[0].decided_level == Level.GOOD and outcome.ratings[0].override_reason == ""


def test_a_cells_stated_trigger_forces_not_completed(world):
    campaign = open_campaign(world)
    cell_rating = services.cell_self_assess(
        actor=world.secretary_a,
        campaign=campaign,
        cell=world.cell_a,
        score=Decimal(80),
        level=Level.GOOD,
        triggers=["disunity"],
    )
    with pytest.raises(services.BlockedByRules) as refused:
        services.cell_decide(
            actor=world.office, rating=cell_rating, level=Level.GOOD, expected_version=cell_rating.version
        )
    assert [p.rule for p in refused.value.problems] == ["§1.3"]
    decided = services.cell_decide(
        actor=world.office,
        rating=cell_rating,
        level=Level.NOT_COMPLETED,
        expected_version=cell_rating.version,
    ).ratings[0]
    assert decided.decided_level == Level.NOT_COMPLETED
    with pytest.raises(ValidationError):  # decided: the cell's self-rating is frozen
        services.cell_self_assess(
            actor=world.secretary_a,
            campaign=campaign,
            cell=world.cell_a,
            score=Decimal(95),
            level=Level.EXCELLENT,
            expected_version=decided.version,
        )


def test_each_step_is_in_the_history_with_its_actor(world):
    campaign = open_campaign(world)
    own = member_of_persona(world, world.member_a_person, world.cell_a)
    services.member_self_assess(
        actor=world.member_a, campaign=campaign, member=own, score=Decimal(85), level=Level.GOOD
    )
    [rating] = propose(world, campaign, world.cell_a, {own: Level.GOOD})
    decide(world, campaign, {rating: Level.GOOD})
    rating.refresh_from_db()
    services.member_reopen(
        actor=world.office, rating=rating, reason="Sai sót", expected_version=rating.version
    )
    rows = list(rating.history.order_by("history_id"))
    assert [(h.history_user, h.stage, h.history_change_reason or "") for h in rows] == [
        (world.member_a, Stage.SELF_ASSESSED, ""),
        (world.secretary_a, Stage.PROPOSED, ""),
        (world.office, Stage.DECIDED, ""),
        (world.office, Stage.PROPOSED, "Sai sót"),
    ]


# ------------------------------------------------------------------------------- stale versions


def test_stale_forms_are_refused_and_write_nothing(world):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Hai Tab")
    rating = services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(80), level=Level.GOOD
    )
    with pytest.raises(StaleVersionError):  # a second form made before the first saved
        services.member_self_assess(
            actor=world.secretary_a,
            campaign=campaign,
            member=member,
            score=Decimal(60),
            level=Level.COMPLETED,
        )
    with pytest.raises(StaleVersionError):
        services.member_self_assess(
            actor=world.secretary_a,
            campaign=campaign,
            member=member,
            score=Decimal(60),
            level=Level.COMPLETED,
            expected_version=rating.version + 1,
        )
    [proposed] = propose(world, campaign, world.cell_a, {member: Level.GOOD})
    with pytest.raises(StaleVersionError):
        services.member_decide(
            actor=world.office,
            campaign=campaign,
            decisions=[services.Decision(proposed, Level.GOOD, expected_version=proposed.version - 1)],
        )
    current = rating_of(campaign, member)
    assert (current.self_level, current.stage, current.version) == (
        Level.GOOD,
        Stage.PROPOSED,
        proposed.version,
    )


def test_a_stale_decision_in_a_batch_writes_none_of_the_batch(world):
    campaign = open_campaign(world)
    first, second = propose(
        world, campaign, world.cell_a, dict.fromkeys(members(world, world.cell_a, 2), Level.GOOD)
    )
    before = snapshot(campaign)
    with pytest.raises(StaleVersionError):
        services.member_decide(
            actor=world.office,
            campaign=campaign,
            decisions=[
                services.Decision(first, Level.GOOD, first.version),
                services.Decision(second, Level.GOOD, second.version - 1),
            ],
        )
    assert snapshot(campaign) == before


def test_a_rating_of_another_campaign_is_refused(world):
    campaign = open_campaign(world)
    other = open_campaign(world, year=2024)
    member = make_member(world.admin, world.cell_a, "Năm Khác")
    [rating] = propose(world, other, world.cell_a, {member: Level.GOOD})
    with pytest.raises(ValidationError):
        decide(world, campaign, {rating: Level.GOOD})
    assert rating_of(other, member).stage == Stage.PROPOSED


# --------------------------------------------------------------------------- the cap, concurrently


def eight_good_and_two_excellent_proposed(world, campaign) -> list[MemberRating]:
    """Reading A: with 8 good decided, one more excellent fits (20% of 8 is 1.6), two do not."""
    ratings = pool_of_ten(world, campaign, 2)
    decide(world, campaign, {r: Level.GOOD for r in ratings[2:]})
    return ratings[:2]


def slow_count(monkeypatch) -> None:
    """Hold each decider between reading the decided levels and writing, so that without the
    campaign lock both would count the same, older state."""
    count = selectors.levels_for_cap

    def slow(*args, **kwargs):
        found = count(*args, **kwargs)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(selectors, "levels_for_cap", slow)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses a second writer at once ('table is locked'); "
    "the SQLite file of a deployment makes it wait: see the two-process test below",
)
@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_cannot_exceed_the_cap(world, monkeypatch):
    campaign = open_campaign(world)
    excellent = eight_good_and_two_excellent_proposed(world, campaign)
    slow_count(monkeypatch)
    start = threading.Barrier(2)
    results: list[str] = []

    def run(rating: MemberRating) -> None:
        start.wait()
        try:
            decide(world, campaign, {rating: Level.EXCELLENT})
            results.append("decided")
        except services.BlockedByRules as refused:
            results.append(refused.problems[0].rule)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(r,)) for r in excellent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["decided", "§1.4"]
    assert MemberRating.objects.filter(campaign=campaign, decided_level=Level.EXCELLENT).count() == 1


_SETUP = """
import django
django.setup()
from dangvu.testing import make_world
from dangvu.classification.tests import test_services as t
world = make_world()
campaign = t.open_campaign(world)
ratings = t.eight_good_and_two_excellent_proposed(world, campaign)
print(" ".join(f"{r.pk}:{r.version}" for r in ratings))
"""

_DECIDE_AT = """
import os, sys, time, django
django.setup()
from dangvu.classification import selectors, services
from dangvu.classification.models import MemberRating
from django.contrib.auth import get_user_model
count = selectors.levels_for_cap
def slow(*args, **kwargs):
    found = count(*args, **kwargs)
    time.sleep(0.5)
    return found
selectors.levels_for_cap = slow
pk, version = (int(n) for n in sys.argv[1].split(":"))
rating = MemberRating.objects.select_related("campaign").get(pk=pk)
office = get_user_model().objects.get(username="office")
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
try:
    services.member_decide(actor=office, campaign=rating.campaign,
                           decisions=[services.Decision(rating, "excellent", version)])
    print("RESULT decided", flush=True)
except services.BlockedByRules as refused:
    print("RESULT", refused.problems[0].rule, flush=True)
"""

_COUNT = """
import django
django.setup()
from dangvu.classification.models import MemberRating
print(MemberRating.objects.filter(decided_level="excellent").count())
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL is tested with two threads above")
def test_two_deciding_processes_on_a_sqlite_file_cannot_exceed_the_cap(tmp_path):
    env = {
        **os.environ,
        "DANGVU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
        "START_AT": "0",
    }
    env.pop("DATABASE_URL", None)
    python = [sys.executable, "-c"]
    subprocess.run([sys.executable, "-m", "dangvu", "migrate", "-v", "0"], env=env, check=True, timeout=180)
    setup = subprocess.run(
        [*python, _SETUP], env=env, check=True, capture_output=True, text=True, timeout=180
    )
    pairs = setup.stdout.split()
    env["START_AT"] = str(time.time() + 3)  # both processes decide at the same moment
    processes = [
        subprocess.Popen([*python, _DECIDE_AT, pair], env=env, stdout=subprocess.PIPE, text=True)
        for pair in pairs
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    results = [line.split()[1] for out in outputs for line in out.splitlines() if line.startswith("RESULT")]
    assert sorted(results) == ["decided", "§1.4"]
    excellent = subprocess.run([*python, _COUNT], env=env, check=True, capture_output=True, text=True)
    assert excellent.stdout.split() == ["1"]
