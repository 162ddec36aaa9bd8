"""The demo's member development: every demo year has candidates at several steps in several cells,
admitted through the pipeline (the member's record and its events), the article's "3/7" in the last
complete year, and this year's cases the reminders and the organisation's page show."""

import pytest

from dangvu.core import metrics
from dangvu.development import rules, selectors
from dangvu.development.choices import Step
from dangvu.development.models import Candidate, StepRecord
from dangvu.members.choices import EventKind

from .conftest import TODAY

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024, 2025, 2026)


def _figures(root, year: int) -> dict:
    return metrics.annual_document(organization=root, year=year, as_of=None, on=TODAY)["metrics"]


def _steps(candidate) -> dict:
    return {s.step: s for s in candidate.steps.all()}


def test_every_demo_year_has_every_step_in_several_cells(demo):
    for year in YEARS:
        records = StepRecord.objects.filter(date__year=year)
        assert set(records.values_list("step", flat=True)) == set(Step.values), year
        assert records.values("candidate__cell").distinct().count() >= 4, year
    assert StepRecord.objects.filter(date__gt=TODAY).count() == 0
    # Now on their way at every step before the decision and after it.
    current = set(Candidate.objects.values_list("step", flat=True))
    assert set(selectors.ACTIVE_STEPS) - current <= {Step.RECOGNITION_CELL_VOTE}
    assert Candidate.objects.filter(step=Step.REMOVED).exists()
    assert Candidate.objects.filter(cell__code="CB-02").count() >= 5


def test_the_members_admitted_through_the_pipeline_carry_its_events(demo):
    admitted = selectors.with_steps(Candidate.objects.exclude(member=None).select_related("member"))
    assert len(admitted) >= 12
    kinds = {
        Step.DECISION: EventKind.ADMISSION_DECISION,
        Step.CEREMONY: EventKind.CEREMONY,
        Step.RECOGNISED: EventKind.RECOGNITION,
    }
    recognised = removed = 0
    for candidate in admitted:
        steps = _steps(candidate)
        member = candidate.member
        assert member.person.organization_id == candidate.cell_id
        assert member.person.full_name == candidate.full_name
        events = {e.kind: e for e in member.events.all()}
        for step, kind in kinds.items():
            if step in steps:
                assert steps[step].event_id == events[kind].pk
                assert events[kind].date == steps[step].date
        if Step.RECOGNISED in steps:
            recognised += 1
            assert steps[Step.RECOGNITION_CELL_VOTE].date >= rules.probation_end(steps[Step.CEREMONY].date)
        if Step.REMOVED in steps:
            removed += 1
            assert events[EventKind.REMOVAL].pk == steps[Step.REMOVED].event_id
    assert recognised >= 6 and removed == 1
    # Nobody is a member without the decision: the candidates before it have no record.
    assert not Candidate.objects.filter(member=None, steps__step=Step.DECISION).exists()


def test_the_last_complete_year_has_the_articles_three_of_seven(demo):
    candidates = selectors.with_steps(Candidate.objects.all())
    for year in YEARS:
        pool = admitted = 0
        for candidate in candidates:
            steps = _steps(candidate)
            certified = steps[Step.CLASS].date if Step.CLASS in steps else None
            decided = steps[Step.DECISION].date if Step.DECISION in steps else None
            if rules.in_pool(certified, decided, year):
                pool += 1
                admitted += bool(decided and decided.year == year)
        figures = _figures(demo, year)
        assert figures["development.pool"]["value"] == pool
        assert figures["development.admitted_from_pool"]["numerator"] == admitted
        assert figures["development.admitted_from_pool"]["denominator"] == pool
        if year == 2025:
            assert (pool, admitted) == (7, 3)
        assert figures["members.admitted"]["value"] >= admitted


def test_this_year_has_overdue_steps_a_probation_ending_soon_and_a_certificate_expiring(demo):
    rows = selectors.rows(
        selectors.with_steps(
            Candidate.objects.filter(step__in=selectors.ACTIVE_STEPS).select_related("cell")
        ),
        today=TODAY,
    )
    overdue = {r.due.step for r in rows if r.overdue}
    assert {Step.DECISION, Step.CEREMONY} <= overdue
    ending = [
        r
        for r in rows
        if r.candidate.step in {Step.CEREMONY, Step.NEW_MEMBER_CLASS}
        and 0 <= (rules.probation_end(_steps(r.candidate)[Step.CEREMONY].date) - TODAY).days <= 30
    ]
    assert ending and all(r.candidate.cell.code == "CB-02" for r in ending)
    expiring = [
        r for r in rows if r.due and r.due.step == Step.CELL_VOTE and 0 <= (r.due.on - TODAY).days <= 30
    ]
    assert expiring
