"""The demo's Party badges and commendations: awards in every demo year with their decision, badge
number (§2.4), handover and money; giấy khen for the classification's excellent members and cells;
and a non-trivial budget for next year, read through the metrics registry."""

from datetime import date

import pytest

from dangvu.badges import commendations, rules
from dangvu.badges.choices import CommendationForm
from dangvu.badges.models import Award, Commendation
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import CellRating, MemberRating
from dangvu.core import metrics
from dangvu.core.access import SYSTEM_SCOPE

from .conftest import TODAY

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024, 2025, 2026)


def _figures(root, year: int) -> dict:
    return metrics.annual_document(organization=root, year=year, as_of=None, on=TODAY)["metrics"]


def test_every_demo_year_has_awards_at_its_batches_numbered_handed_over_and_paid(demo):
    for year in YEARS:
        awards = Award.objects.filter(awarded_on__year=year)
        assert awards.count() >= 3, year
        assert awards.values("batch").distinct().count() >= 2, year
    for award in Award.objects.all():
        assert award.awarded_on <= TODAY and award.batch <= TODAY
        assert rules.number_problem(award.years, award.badge_number) == "", award.badge_number
        assert award.badge_number.startswith("HN ")
        if award.handed_over_on:
            assert award.handed_over_on >= award.awarded_on
            amount = rules.amount(
                rules.COEFFICIENTS[award.years], rules.in_force(rules.BASE_SALARY, award.awarded_on)
            )
            assert award.money_paid == amount  # None for a badge with no amount (45, 85, 90)
    assert Award.objects.filter(handed_over_on__isnull=False, money_paid__gt=0).count() >= 10
    assert Award.objects.filter(handed_over_on__isnull=True).exists()  # the last batch, in progress
    assert len(set(Award.objects.values_list("badge_number", flat=True))) == Award.objects.count()


def test_the_metrics_see_the_awards_and_a_non_trivial_budget_for_next_year(demo):
    for year in YEARS:
        figures = _figures(demo, year)
        assert figures["badges.awarded"]["value"] == Award.objects.filter(awarded_on__year=year).count()
        assert figures["badges.reward_total_vnd"]["value"] > 0, year
    current = _figures(demo, TODAY.year)
    assert current["badges.due_next_year"]["value"] >= 5
    assert current["badges.reward_forecast_next_year_vnd"]["value"] > 0
    assert (
        0
        <= current["badges.due_next_year_without_amount"]["value"]
        < current["badges.due_next_year"]["value"]
    )


def test_excellent_members_and_cells_of_each_complete_year_hold_a_certificate(demo):
    for year in YEARS[:-1]:
        excellent = MemberRating.objects.filter(
            campaign__year=year, stage=Stage.DECIDED, decided_level=Level.EXCELLENT
        ).values_list("member_id", flat=True)
        cells = CellRating.objects.filter(
            campaign__year=year, stage=Stage.DECIDED, decided_level=Level.EXCELLENT
        ).values_list("cell_id", flat=True)
        given = Commendation.objects.filter(rated_year=year, form=CommendationForm.CERTIFICATE)
        assert set(given.exclude(member=None).values_list("member_id", flat=True)) == set(excellent), year
        assert set(given.filter(member=None).values_list("organization_id", flat=True)) == set(cells), year
        salary = rules.in_force(rules.BASE_SALARY, date(year + 1, 1, 20))
        assert excellent and {c.amount for c in given.exclude(member=None)} == {salary * 3 // 10}, year
        assert commendations.offered_from_classification(SYSTEM_SCOPE, demo, year) == []
    # Counted in the year of their decision (January of the next year).
    for year in YEARS[1:]:
        figures = _figures(demo, year)
        assert figures["commendations.individual"]["value"] > 0, year
        assert figures["commendations.collective"]["value"] > 0, year
    assert Commendation.objects.filter(organization=demo, form=CommendationForm.MERIT).count() == 1


def test_the_next_two_batches_are_being_prepared_with_dossiers_mostly_complete(demo):
    from dangvu.badges import selectors
    from dangvu.badges.choices import Early
    from dangvu.badges.models import Illness, Proposal

    batches = (date(2027, 2, 3), date(2027, 5, 19))  # the first after TODAY (Hanoi's windows)
    found = Proposal.objects.all()
    assert set(found.values_list("batch", flat=True)) == set(batches)
    expected: dict[tuple[int, int], date] = {}  # each member and badge once, in the first batch
    for batch in batches:
        for c in selectors.candidates_for_batch(SYSTEM_SCOPE, demo, batch, on=TODAY):
            if not c.not_yet:
                expected.setdefault((c.member.pk, c.years), batch)
    assert {(p.member_id, p.years): p.batch for p in found} == expected
    missing = [p for p in found if rules.papers_missing(p.early, p.papers)]
    assert found.count() >= 4 and 1 <= len(missing) < found.count() / 2
    ill = found.get(early=Early.GRAVELY_ILL)
    assert ill.batch == batches[0] and Illness.objects.filter(member=ill.member).exists()
    assert "medical_record" in rules.papers_missing(ill.early, ill.papers)
