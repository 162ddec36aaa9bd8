"""The candidate's way through the services, as a cell and the office record it: every step in
order with its checks (rules.md §3.3–§3.5), the member's record opened by the decision without
retyping, and the record's events that follow. Dates relative to today."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dangvu.core.periods import today
from dangvu.development import rules, services
from dangvu.development.choices import Paper, Step
from dangvu.development.models import StepRecord
from dangvu.development.tests import factories
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.members.rules import add_months
from dangvu.members.selectors import status_of, with_status

pytestmark = pytest.mark.django_db


def _record(world, candidate, step, on, **extra):
    return services.step_record(
        actor=world.office, candidate=candidate, expected_version=candidate.version, step=step, on=on, **extra
    )


def test_the_whole_way_opens_the_member_s_record_and_writes_its_events(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.RECOGNISED, way)
    member = candidate.member
    assert member.person.full_name == "Trần Thị Quần Chúng"
    assert member.person.organization == world.cell_a
    events = dict(MemberEvent.objects.filter(member=member).values_list("kind", "date"))
    assert events == {
        EventKind.ADMISSION_DECISION: way.steps[Step.DECISION],
        EventKind.CEREMONY: way.steps[Step.CEREMONY],
        EventKind.RECOGNITION: way.steps[Step.RECOGNISED],
    }
    decision = MemberEvent.objects.get(member=member, kind=EventKind.ADMISSION_DECISION)
    assert (
        decision.document_number
        == StepRecord.objects.get(candidate=candidate, step=Step.DECISION).document_number
    )
    assert status_of(with_status(Member.objects.filter(pk=member.pk), today()).get(), today()) == "official"
    assert candidate.step == Step.RECOGNISED and candidate.step_on == way.steps[Step.RECOGNISED]
    assert StepRecord.objects.filter(candidate=candidate).count() == 11


def test_steps_come_in_order_dated_in_order_and_not_in_the_future(world):
    way = factories.way()
    candidate = factories.candidate(world, at=way)
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.PROCEDURE, way.steps[Step.PROCEDURE])  # the class first
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.CLASS, way.listed - timedelta(days=1))
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.CLASS, today() + timedelta(days=1))
    _record(world, candidate, Step.CLASS, way.steps[Step.CLASS])
    candidate.refresh_from_db()
    assert candidate.step == Step.CLASS


@pytest.mark.parametrize(("agree", "of", "passes"), [(6, 9, True), (5, 8, False)])
def test_the_cell_s_resolution_needs_two_thirds_of_its_official_members(world, agree, of, passes):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.PROCEDURE, way)
    factories.papers(world, candidate, way.steps[Step.PROCEDURE])
    if passes:
        _record(world, candidate, Step.CELL_VOTE, way.steps[Step.CELL_VOTE], votes_for=agree, votes_of=of)
    else:
        with pytest.raises(ValidationError, match="5 trên 8 chưa đạt"):
            _record(world, candidate, Step.CELL_VOTE, way.steps[Step.CELL_VOTE], votes_for=agree, votes_of=of)
        assert not StepRecord.objects.filter(candidate=candidate, step=Step.CELL_VOTE).exists()


def test_a_vote_without_its_count_is_refused(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.PROCEDURE, way)
    factories.papers(world, candidate, way.steps[Step.PROCEDURE])
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.CELL_VOTE, way.steps[Step.CELL_VOTE])


def test_the_age_is_checked_in_months_at_the_cell_s_resolution(world):
    way = factories.way()
    vote_on = way.steps[Step.CELL_VOTE]
    young = factories.candidate(
        world, born=date(vote_on.year - 18, vote_on.month, vote_on.day) + timedelta(days=1), at=way
    )
    factories.advance(world, young, Step.PROCEDURE, way)
    factories.papers(world, young, way.steps[Step.PROCEDURE])
    with pytest.raises(ValidationError, match="17"):
        _record(world, young, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)


def test_the_certificate_must_still_be_valid_at_the_cell_s_resolution(world):
    way = factories.way()
    vote_on = way.steps[Step.CELL_VOTE]
    old = factories.Way(listed=vote_on - timedelta(days=2000), steps=dict(way.steps))
    old.steps[Step.CLASS] = date(vote_on.year - 5, vote_on.month, 1) - timedelta(days=1)
    candidate = factories.advance(world, factories.candidate(world, at=old), Step.PROCEDURE, old)
    factories.papers(world, candidate, way.steps[Step.PROCEDURE])
    with pytest.raises(ValidationError, match="phải học lại lớp"):
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)


def test_the_dossier_must_be_whole_and_its_papers_under_twelve_months(world):
    way = factories.way()
    vote_on = way.steps[Step.CELL_VOTE]
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.PROCEDURE, way)
    services.paper_record(
        actor=world.secretary_a, candidate=candidate, paper=Paper.APPLICATION, made_on=vote_on
    )
    with pytest.raises(ValidationError, match="còn thiếu"):
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)
    factories.papers(world, candidate, vote_on - timedelta(days=400))
    with pytest.raises(ValidationError, match="quá 12 tháng"):
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)
    factories.papers(world, candidate, vote_on - timedelta(days=300))  # made again
    _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)


def test_recognition_is_considered_only_after_the_twelve_months(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.NEW_MEMBER_CLASS, way)
    end = rules.probation_end(way.steps[Step.CEREMONY])
    with pytest.raises(ValidationError, match="hết 12 tháng dự bị"):
        _record(
            world, candidate, Step.RECOGNITION_CELL_VOTE, end - timedelta(days=1), votes_for=9, votes_of=9
        )
    _record(world, candidate, Step.RECOGNITION_CELL_VOTE, end, votes_for=9, votes_of=9)


def test_taking_back_the_decision_closes_the_record_it_opened(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.DECISION, way)
    member = candidate.member
    services.step_undo(actor=world.office, candidate=candidate, expected_version=candidate.version)
    candidate.refresh_from_db()
    assert candidate.step == Step.COMMITTEE_VOTE and candidate.member is None
    assert not Member.objects.filter(pk=member.pk).exists()  # soft-deleted
    assert Member.all_objects.filter(pk=member.pk).exists()
    assert not MemberEvent.objects.filter(member=member).exists()


def test_a_removal_during_probation_is_written_on_the_member_s_record(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.CEREMONY, way)
    on = way.steps[Step.NEW_MEMBER_CLASS]
    _record(world, candidate, Step.REMOVED, on, votes_for=None, document_number="12-QĐ/ĐU")
    assert MemberEvent.objects.filter(member=candidate.member, kind=EventKind.REMOVAL, date=on).exists()
    candidate.refresh_from_db()
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.NEW_MEMBER_CLASS, on)


def test_a_stale_candidate_is_refused(world):
    from dangvu.core.audit import StaleVersionError

    way = factories.way()
    candidate = factories.candidate(world, at=way)
    stale = candidate.version
    services.candidate_update(
        actor=world.office, candidate=candidate, expected_version=stale, occupation="Kỹ sư"
    )
    with pytest.raises(StaleVersionError):
        services.step_record(
            actor=world.office,
            candidate=candidate,
            expected_version=stale,
            step=Step.CLASS,
            on=way.steps[Step.CLASS],
        )
    assert not StepRecord.objects.filter(candidate=candidate, step=Step.CLASS).exists()


def test_a_candidate_is_listed_by_a_cell_with_a_helper_of_that_cell(world):
    from dangvu.testing import make_member

    helper_b = make_member(world.admin, world.cell_b, "Đảng viên B")
    with pytest.raises(ValidationError):
        services.candidate_add(
            actor=world.office,
            cell=world.cell_a,
            full_name="Lê Văn C",
            date_of_birth=date(2000, 1, 1),
            listed_on=today(),
            helper=helper_b,
        )
    with pytest.raises(ValidationError):
        services.candidate_add(
            actor=world.office,
            cell=world.root,
            full_name="Lê Văn C",
            date_of_birth=date(2000, 1, 1),
            listed_on=today(),
        )
    probationary = make_member(
        world.admin,
        world.cell_a,
        "Đảng viên Dự Bị",
        decision=today() - timedelta(days=90),
        ceremony=today() - timedelta(days=80),
        recognition=None,
    )
    with pytest.raises(ValidationError):  # the helper is an official member
        services.candidate_add(
            actor=world.office,
            cell=world.cell_a,
            full_name="Lê Văn C",
            date_of_birth=date(2000, 1, 1),
            listed_on=today(),
            helper=probationary,
        )
    helper_a = make_member(world.admin, world.cell_a, "Đảng viên A")
    candidate = services.candidate_add(
        actor=world.office,
        cell=world.cell_a,
        full_name="  Lê   Văn C ",
        date_of_birth=date(2000, 1, 1),
        listed_on=today(),
        helper=helper_a,
    )
    assert candidate.full_name == "Lê Văn C" and candidate.helper == helper_a


def test_the_limits_are_bounded(world):
    values = dict.fromkeys(services.LIMIT_FIELDS, 30)
    services.settings_save(actor=world.office, organization=world.root, expected_version=None, **values)
    with pytest.raises(ValidationError):
        services.settings_save(
            actor=world.office, organization=world.root, expected_version=1, **(values | {"ceremony_days": 0})
        )


def test_the_two_thirds_are_of_all_the_cell_s_official_members(world):
    from dangvu.testing import make_member

    for n in range(10):  # official since 2011: the cell has 10 official members
        make_member(world.admin, world.cell_a, f"Đảng viên Số {n}")
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.PROCEDURE, way)
    factories.papers(world, candidate, way.steps[Step.PROCEDURE])
    vote_on = way.steps[Step.CELL_VOTE]
    with pytest.raises(ValidationError, match="10"):  # 6 of 9 would pass, but the cell has 10
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=6, votes_of=9)
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=6, votes_of=10)
    _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=7, votes_of=10)


def test_papers_made_after_the_cell_s_resolution_do_not_count_at_it(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.PROCEDURE, way)
    vote_on = way.steps[Step.CELL_VOTE]
    factories.papers(world, candidate, vote_on + timedelta(days=1))
    with pytest.raises(ValidationError, match="còn thiếu"):
        _record(world, candidate, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)


def test_the_ceremony_follows_the_day_the_decision_arrived(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.COMMITTEE_VOTE, way)
    decided = way.steps[Step.DECISION]
    _record(world, candidate, Step.DECISION, decided, received_on=decided + timedelta(days=5))
    candidate.refresh_from_db()
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.CEREMONY, decided + timedelta(days=4))
    _record(world, candidate, Step.CEREMONY, decided + timedelta(days=5))


def test_the_standing_committee_decides_with_more_than_half_when_its_count_is_given(world):
    way = factories.way()
    candidate = factories.advance(world, factories.candidate(world, at=way), Step.COMMITTEE_VOTE, way)
    with pytest.raises(ValidationError):
        _record(world, candidate, Step.DECISION, way.steps[Step.DECISION], votes_for=4, votes_of=8)
    _record(world, candidate, Step.DECISION, way.steps[Step.DECISION], votes_for=5, votes_of=9)


def test_the_certificate_and_the_papers_hold_through_their_last_day_at_the_cell_s_resolution(world):
    """The certificate: through the same day 60 months later; the papers: 12 months (§3.3)."""
    way = factories.way()
    vote_on = way.steps[Step.CELL_VOTE]

    def ready(certified, papers_made):
        at = factories.Way(
            listed=certified - timedelta(days=10), steps=dict(way.steps) | {Step.CLASS: certified}
        )
        candidate = factories.advance(
            world, factories.candidate(world, name=f"Ứng viên {certified}", at=at), Step.PROCEDURE, at
        )
        factories.papers(world, candidate, papers_made)
        return candidate

    def oldest_valid(valid_until, months: int):
        """The earliest day made that is still valid on the day of the vote."""
        day = add_months(vote_on, -months)
        while valid_until(day) < vote_on:  # a vote on 29 February
            day += timedelta(days=1)
        return day

    certificate = oldest_valid(rules.certificate_valid_until, 60)
    papers = oldest_valid(rules.paper_valid_until, 12)
    last_day = ready(certificate, papers)
    _record(world, last_day, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)
    certificate_gone = ready(certificate - timedelta(days=1), vote_on)
    with pytest.raises(ValidationError, match="phải học lại lớp"):
        _record(world, certificate_gone, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)
    papers_gone = ready(vote_on - timedelta(days=100), papers - timedelta(days=1))
    with pytest.raises(ValidationError, match="quá 12 tháng"):
        _record(world, papers_gone, Step.CELL_VOTE, vote_on, votes_for=9, votes_of=9)
