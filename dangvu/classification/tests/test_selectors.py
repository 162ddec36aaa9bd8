"""Reads of the review: the roster with its reasons (rules.md §1.2), where each cell stands, the cap
in use (§1.4), the checks shown live (§1.3, §1.5), and what each persona may reach; each in a fixed
number of queries whatever the number of members."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.classification import selectors, services
from dangvu.classification.choices import CapBase, Exclusion, Grouping, Level, Stage
from dangvu.classification.models import MemberRating
from dangvu.core.access import MANAGE, RECORDS, VIEW, scope_for
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member, member_of_persona

from .test_services import (
    decide,
    members,
    open_campaign,
    propose,
    recent_member,
    reprimanded,
)

pytestmark = pytest.mark.django_db


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


# ------------------------------------------------------------------------------------ the roster


def test_the_roster_lists_every_member_of_the_subtree_with_the_reason_when_not_reviewed(world):
    campaign = open_campaign(world)
    regular = make_member(world.admin, world.cell_a, "An Bình")
    recent = recent_member(world, 5)
    exempt = make_member(world.admin, world.cell_b, "Cụ Miễn")
    member_services.event_add(
        actor=world.admin,
        member=exempt,
        kind=EventKind.EXEMPTION,
        date=timezone.localdate() - timedelta(days=9),
    )
    in_c = make_member(world.admin, world.cell_c, "Chi Bộ C")  # under the partial committee
    entries = {e.member: e for e in selectors.roster(campaign)}
    assert set(entries) == {regular, recent, exempt, in_c}
    assert [entries[m].exclusion for m in (regular, recent, exempt, in_c)] == [
        None,
        Exclusion.ADMITTED_RECENTLY,
        Exclusion.EXEMPT,
        None,
    ]
    assert entries[in_c].cell_id == world.cell_c.pk
    assert [e.member for e in selectors.roster(campaign, world.cell_b)] == [exempt]
    assert selectors.exclusion_counts(campaign, world.root.path) == {
        Exclusion.ADMITTED_RECENTLY: 1,
        Exclusion.EXEMPT: 1,
    }


def test_the_roster_is_sorted_by_given_name(world):
    campaign = open_campaign(world)
    for name in ("Trần Văn Bình", "Nguyễn Thị An", "Lê Chí Đức"):
        make_member(world.admin, world.cell_a, name)
    names = [e.member.person.full_name for e in selectors.roster(campaign, world.cell_a)]
    assert names == ["Nguyễn Thị An", "Trần Văn Bình", "Lê Chí Đức"]


def test_a_member_rated_at_the_cell_stays_in_its_roster_after_leaving(world):
    campaign = open_campaign(world)
    [member] = members(world, world.cell_a, 1)
    services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=member, score=Decimal(80), level=Level.GOOD
    )
    member_services.event_add(
        actor=world.admin,
        member=member,
        kind=EventKind.TRANSFER_OUT,
        date=timezone.localdate() - timedelta(days=1),
        other_organization="Đảng bộ phường khác",
    )
    assert selectors.roster_entry(campaign, member) is None  # no longer a member on the review date
    [entry] = selectors.roster(campaign, world.cell_a)
    assert entry.member == member and entry.rating.stage == Stage.SELF_ASSESSED


def test_the_roster_is_read_in_the_same_number_of_queries_for_one_member_or_many(world):
    campaign = open_campaign(world)
    [first] = members(world, world.cell_a, 1)
    propose(world, campaign, world.cell_a, {first: Level.GOOD})
    one = queries_of(lambda: selectors.roster(campaign))
    more = members(world, world.cell_a, 4, prefix="Thêm") + members(world, world.cell_b, 3)
    propose(world, campaign, world.cell_a, {m: Level.GOOD for m in more[:4]})
    recent_member(world, 2)
    assert queries_of(lambda: selectors.roster(campaign)) == one == 2


# ---------------------------------------------------------------------------------- progress


def test_progress_counts_who_has_not_self_assessed_been_proposed_or_decided(world):
    campaign = open_campaign(world)
    waiting, assessed, proposed, good, excellent = members(world, world.cell_a, 5)
    recent_member(world, 3)
    services.member_self_assess(
        actor=world.secretary_a, campaign=campaign, member=assessed, score=Decimal(80), level=Level.GOOD
    )
    propose(world, campaign, world.cell_a, {proposed: Level.GOOD})
    ratings = propose(world, campaign, world.cell_a, {good: Level.GOOD, excellent: Level.EXCELLENT})
    decide(world, campaign, {ratings[0]: Level.GOOD, ratings[1]: Level.EXCELLENT}, reason="Thử")
    members(world, world.cell_b, 2)
    cells, total = selectors.progress(campaign)
    by_code = {p.cell.code: p for p in cells}
    assert set(by_code) == {"CB-A", "CB-B", "CB-C"}
    a = by_code["CB-A"]
    assert (a.reviewed, a.not_reviewed) == (5, 1)
    assert (a.not_self_assessed, a.not_proposed, a.not_decided, a.decided) == (1, 2, 3, 2)
    assert (a.levels[Level.GOOD], a.levels[Level.EXCELLENT], a.percent(Level.GOOD)) == (1, 1, 50)
    b = by_code["CB-B"]
    assert (b.reviewed, b.not_self_assessed, b.decided, b.percent(Level.GOOD)) == (2, 2, 0, None)
    assert (total.reviewed, total.not_reviewed, total.not_decided, total.decided) == (7, 1, 5, 2)
    assert [row[2] for row in total.distribution] == [1, 1, 0, 0]  # excellent, good, completed, not


def test_progress_is_read_in_the_same_number_of_queries_for_one_member_or_many(world):
    campaign = open_campaign(world)
    members(world, world.cell_a, 1)
    one = queries_of(lambda: selectors.progress(campaign))
    more = members(world, world.cell_b, 4)
    propose(world, campaign, world.cell_b, dict.fromkeys(more, Level.GOOD), actor=world.office)
    services.cell_self_assess(
        actor=world.secretary_a, campaign=campaign, cell=world.cell_a, score=Decimal(80), level=Level.GOOD
    )
    assert queries_of(lambda: selectors.progress(campaign)) == one == 4


# ------------------------------------------------------------------------------------- the cap


def test_the_cap_shows_what_is_decided_and_what_the_proposals_would_make(world):
    campaign = open_campaign(world, cap_base=CapBase.B, grouping=Grouping.PER_CELL)
    found = members(world, world.cell_a, 10)
    levels = [Level.EXCELLENT] * 3 + [Level.GOOD] * 7
    ratings = propose(world, campaign, world.cell_a, dict(zip(found, levels, strict=True)))
    decide(world, campaign, {r: Level.GOOD for r in ratings[3:]})
    decide(world, campaign, {ratings[0]: Level.EXCELLENT})
    cells = {world.cell_a.pk: world.cell_a}
    [status] = selectors.cap_statuses(campaign, MemberRating.objects.filter(campaign=campaign), cells)
    assert status.group == "CB-A"
    # Decided: 1 excellent, 7 good; Reading B: 20% of 8 → 1, no place left.
    assert (status.decided.limit, status.decided.places_left, status.decided.allowed) == (1, 0, True)
    # If the pending proposals were decided: 3 of 10 → over by 1.
    assert (status.projected.limit, status.projected.over_by, status.projected.allowed) == (2, 1, False)
    assert "(cách tính B)" in status.projected.explanation
    assert selectors.levels_for_cap(campaign) == {"CB-A": {Level.GOOD: 7, Level.EXCELLENT: 1}}


def test_the_cap_per_committee_is_one_group(world):
    campaign = open_campaign(world)
    ratings = propose(
        world, campaign, world.cell_a, dict.fromkeys(members(world, world.cell_a, 2), Level.GOOD)
    )
    ratings += propose(
        world,
        campaign,
        world.cell_b,
        {members(world, world.cell_b, 1)[0]: Level.EXCELLENT},
        actor=world.office,
    )
    cells = {c.pk: c for c in (world.cell_a, world.cell_b)}
    [status] = selectors.cap_statuses(campaign, MemberRating.objects.filter(campaign=campaign), cells)
    assert status.group == "" and status.decided.base_count == 0
    # Reading A: 1 excellent against 2 good; 20% of 2 is 0.
    assert (status.projected.limit, status.projected.over_by) == (0, 1)


# ---------------------------------------------------------------------------- checks shown live


def test_each_rating_shows_the_checks_of_its_level(world):
    campaign = open_campaign(world)
    fine, off_band, disciplined, unrated = members(world, world.cell_a, 4)
    reprimanded(world, disciplined)
    propose(
        world,
        campaign,
        world.cell_a,
        {fine: Level.GOOD, off_band: Level.EXCELLENT, disciplined: Level.GOOD},
        scores={off_band: Decimal(85), disciplined: Decimal(73)},
    )
    entries = {e.member: e for e in selectors.roster(campaign, world.cell_a)}
    assert queries_of(lambda: selectors.member_checks(campaign, list(entries.values()))) == 1
    assert entries[fine].problems == [] and entries[unrated].problems == []
    [band] = entries[off_band].problems
    assert band.rule == "§1.3" and not band.blocking and "85" in band.message
    [trigger] = entries[disciplined].problems
    assert trigger.rule == "§1.3" and "khiển trách" in trigger.message.lower()


def test_the_cell_is_checked_against_its_members_and_its_leadership(world):
    campaign = open_campaign(world)
    secretary = member_of_persona(world, world.secretary_a_person, world.cell_a)
    reprimanded(world, secretary)
    other, waiting = members(world, world.cell_a, 2)
    ratings = propose(world, campaign, world.cell_a, {secretary: Level.NOT_COMPLETED, other: Level.GOOD})
    decide(world, campaign, {ratings[0]: Level.NOT_COMPLETED, ratings[1]: Level.GOOD})
    facts = selectors.cell_member_facts(campaign, world.cell_a, selectors.roster(campaign, world.cell_a))
    assert facts["members_unrated"] == 1  # `waiting`
    assert (facts["members_not_completed"], facts["members_disciplined"]) == (1, 1)
    assert facts["leadership_disciplined"] and len(facts["leadership_disciplines"]) == 1
    assert selectors.cell_member_facts(campaign, world.cell_b, selectors.roster(campaign, world.cell_b)) == {
        "leadership_disciplines": [],
        "members_unrated": 0,
        "members_not_completed": 0,
        "members_disciplined": 0,
        "leadership_disciplined": False,
    }


# ------------------------------------------------------------------------------ who reaches what


@pytest.mark.parametrize(
    ("persona", "view", "manage"),
    [
        ("office", True, True),
        ("leader", True, False),
        ("inspection", True, False),
        ("secretary_a", True, False),  # works in the committee's campaign for their cell
        ("member_a", False, False),
        ("stranger", False, False),
    ],
)
def test_who_reaches_the_campaign(world, persona, view, manage):
    campaign = open_campaign(world)
    scope = scope_for(getattr(world, persona))
    for action, allowed in ((VIEW, view), (MANAGE, manage)):
        if allowed:
            assert selectors.campaign_get(scope, campaign.pk, action) == campaign
        else:
            with pytest.raises(Http404):
                selectors.campaign_get(scope, campaign.pk, action)


@pytest.mark.parametrize(
    ("persona", "own", "other_cell", "records"),
    [
        ("office", True, True, True),
        ("leader", True, True, False),
        ("secretary_a", True, False, True),
        ("member_a", True, False, False),  # their own rating only
        ("member_b", False, False, False),
        ("stranger", False, False, False),
    ],
)
def test_who_reaches_a_members_rating(world, persona, own, other_cell, records):
    campaign = open_campaign(world)
    member_a = member_of_persona(world, world.member_a_person, world.cell_a)
    [in_b] = members(world, world.cell_b, 1)
    [rating_a] = propose(world, campaign, world.cell_a, {member_a: Level.GOOD})
    [rating_b] = propose(world, campaign, world.cell_b, {in_b: Level.GOOD}, actor=world.office)
    scope = scope_for(getattr(world, persona))
    for rating, action, allowed in (
        (rating_a, VIEW, own),
        (rating_b, VIEW, other_cell),
        (rating_a, RECORDS, records),
    ):
        if allowed:
            assert selectors.member_rating_get(scope, rating.pk, action) == rating
        else:
            with pytest.raises(Http404):
                selectors.member_rating_get(scope, rating.pk, action)


def test_campaigns_covering_an_organisation(world):
    this_year = open_campaign(world)
    last_year = open_campaign(world, year=this_year.year - 1)
    assert list(selectors.campaigns_in(world.cell_c)) == [this_year, last_year]
    assert list(selectors.campaigns_in(world.root)) == [this_year, last_year]
    assert selectors.campaign_for(world.cell_c, this_year.year) == this_year
    assert selectors.campaign_for(world.cell_c, this_year.year - 2) is None
    assert [c.code for c in selectors.cells_of(this_year)] == ["CB-A", "CB-B", "CB-C"]
    assert [c.code for c in selectors.cells_of(this_year, world.partial)] == ["CB-C"]
