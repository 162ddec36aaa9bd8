"""The rules of annual review and classification, without a database, on the cases of rules.md §1."""

from datetime import date
from decimal import Decimal

import pytest

from dangvu.classification import rules
from dangvu.classification.choices import CapBase, Exclusion, Level
from dangvu.members.choices import DisciplineForm

TWENTY, TWENTY_FIVE = Decimal("0.20"), Decimal("0.25")


def reprimand(on: date, *, duty_related: bool = True, elsewhere: bool = False) -> rules.Discipline:
    return rules.Discipline(DisciplineForm.REPRIMAND, on, duty_related, committed_at_previous_unit=elsewhere)


# ------------------------------------------------------------------------------------ rule sets


def test_2025_is_judged_by_366_and_2024_by_the_unconfirmed_124_set():
    assert rules.rule_set_for(2025) is rules.RULES_366
    assert rules.rule_set_for(2026) is rules.RULES_366
    assert rules.rule_set_for(2024) is rules.RULES_124
    assert rules.rule_set_for(2023) is rules.RULES_124
    assert rules.RULES_366.confirmed and rules.RULES_366.has_score_bands
    assert not rules.RULES_124.confirmed and not rules.RULES_124.has_score_bands
    assert rules.RULES_124.cap_rate == TWENTY and rules.RULES_124.raised_cap_rate == TWENTY_FIVE


def test_the_set_follows_the_day_the_review_is_held():
    assert rules.rule_set_for(2025, review_date=date(2025, 8, 29)) is rules.RULES_124
    assert rules.rule_set_for(2025, review_date=date(2025, 8, 30)) is rules.RULES_366
    # A special unit's 2024 review ends on 15/01/2025: still the 124 set.
    assert rules.rule_set_for(2024, special_unit=True) is rules.RULES_124
    assert rules.rule_set_for(2022) is rules.RULES_132 and not rules.RULES_132.confirmed
    with pytest.raises(ValueError):
        rules.rule_set_for(2016)


# ------------------------------------------------------------------------------ who is reviewed


def exclusion(decision: date | None, review: date, **changes) -> str | None:
    values = {"exempt": False, "suspended": False, "ceremony": None, **changes}
    return rules.review_exclusion(admission_decision=decision, review_date=review, **values)


def test_exempt_and_suspended_members_are_not_reviewed():
    assert exclusion(date(2010, 1, 1), date(2025, 12, 15), exempt=True) == Exclusion.EXEMPT
    assert exclusion(date(2010, 1, 1), date(2025, 12, 15), suspended=True) == Exclusion.SUSPENDED
    assert exclusion(date(2010, 1, 1), date(2025, 12, 15)) is None


def test_a_member_admitted_5_months_before_is_not_reviewed():
    assert exclusion(date(2025, 7, 10), date(2025, 12, 15)) == Exclusion.ADMITTED_RECENTLY


def test_six_months_are_full_calendar_months():
    assert exclusion(date(2025, 6, 15), date(2025, 12, 14)) == Exclusion.ADMITTED_RECENTLY
    assert exclusion(date(2025, 6, 15), date(2025, 12, 15)) is None
    # From 31/05 the sixth month ends on November's last day (the house rule: 31 → 30/11).
    assert exclusion(date(2025, 5, 31), date(2025, 11, 29)) == Exclusion.ADMITTED_RECENTLY
    assert exclusion(date(2025, 5, 31), date(2025, 11, 30)) is None
    assert exclusion(date(2025, 5, 31), date(2025, 12, 1)) is None


def test_the_months_may_be_counted_from_the_ceremony():
    decided, ceremony, review = date(2025, 6, 1), date(2025, 7, 1), date(2025, 12, 15)
    assert exclusion(decided, review, ceremony=ceremony) is None
    assert exclusion(decided, review, ceremony=ceremony, count_from="ceremony") == Exclusion.ADMITTED_RECENTLY
    # No ceremony recorded yet: the decision date is used.
    assert exclusion(decided, review, count_from="ceremony") is None
    with pytest.raises(ValueError):
        exclusion(decided, review, count_from="oath")


def test_a_probationary_member_admitted_long_enough_is_reviewed():
    # Admitted in March, still probationary in December: reviewed like any other member.
    assert exclusion(date(2025, 3, 1), date(2025, 12, 15), ceremony=date(2025, 3, 20)) is None


# ------------------------------------------------------------------------------- score bands


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, Level.NOT_COMPLETED),
        (49, Level.NOT_COMPLETED),
        (Decimal("49.5"), Level.NOT_COMPLETED),
        (50, Level.COMPLETED),
        (69, Level.COMPLETED),
        (70, Level.GOOD),
        (89, Level.GOOD),
        (90, Level.EXCELLENT),
        (100, Level.EXCELLENT),
    ],
)
def test_score_bands_have_their_edges(score, level):
    assert rules.level_for_score(score, rules.RULES_366) == level


@pytest.mark.parametrize("score", [-1, 101, True])
def test_a_score_is_from_0_to_100(score):
    with pytest.raises(ValueError):
        rules.level_for_score(score)


def test_the_124_set_has_no_bands_so_no_score_checks():
    assert rules.level_for_score(40, rules.RULES_124) is None
    assert rules.level_problems(Level.EXCELLENT, 40, rules.RULES_124) == []


def test_a_level_above_its_band_is_a_problem_that_does_not_block():
    problems = rules.level_problems(Level.EXCELLENT, 85)
    assert [(p.rule, p.blocking) for p in problems] == [("§1.3", False)]
    assert rules.level_problems(Level.COMPLETED, 45)
    assert rules.level_problems(Level.GOOD, 85) == []
    assert rules.level_problems(Level.GOOD, None) == []


def test_a_level_below_its_band_is_no_problem():
    # 95 points and rated "good": the cap (§1.4) or an unmet condition of "excellent" lowered it.
    assert rules.level_problems(Level.GOOD, 95) == []
    assert rules.level_problems(Level.COMPLETED, 85) == []


# ---------------------------------------------------------------------------------- triggers


def test_73_points_with_a_duty_related_reprimand_in_the_year_is_not_completed():
    triggers = rules.member_triggers(year=2025, disciplines=[reprimand(date(2025, 4, 2))])
    assert triggers.fired == ("duty_discipline",)
    score_level = rules.level_for_score(73)
    assert score_level == Level.GOOD
    assert rules.level_with_triggers(score_level, triggers) == Level.NOT_COMPLETED
    problems = rules.level_problems(Level.GOOD, 73, triggers=triggers)
    assert [(p.rule, p.blocking) for p in problems] == [("§1.3", False)]
    # The trigger, not the band, decides: "not completed" at 73 points is no problem.
    assert rules.level_problems(Level.NOT_COMPLETED, 73, triggers=triggers) == []
    assert set(triggers.fired) <= set(rules.TRIGGER_LABELS)


def test_a_discipline_outside_the_year_or_not_duty_related_is_no_trigger():
    assert not rules.member_triggers(year=2025, disciplines=[reprimand(date(2024, 12, 1))]).fired
    assert not rules.member_triggers(
        year=2025, disciplines=[reprimand(date(2025, 5, 1), duty_related=False)]
    ).fired
    assert rules.level_with_triggers(Level.GOOD, rules.MemberTriggers()) == Level.GOOD


def test_more_than_half_of_the_tasks_not_completed_is_a_trigger():
    assert not rules.member_triggers(year=2025, tasks_total=10, tasks_not_completed=5).fired
    assert rules.member_triggers(year=2025, tasks_total=10, tasks_not_completed=6).fired == (
        "most_tasks_not_completed",
    )
    assert rules.member_triggers(year=2025, degraded=True, example_breach=True).fired == (
        "degraded",
        "example_breach",
    )


def test_every_trigger_has_a_label():
    keys = [*rules.MemberTriggers.__dataclass_fields__, *rules.CollectiveTriggers.__dataclass_fields__]
    assert sorted(keys) == sorted(rules.TRIGGER_LABELS)


def test_collective_triggers():
    assert not rules.collective_triggers(year=2025, tasks_planned=10, tasks_completed=7).fired
    assert rules.collective_triggers(year=2025, tasks_planned=10, tasks_completed=6).fired == (
        "tasks_below_70_percent",
    )
    here = rules.collective_triggers(year=2025, leadership_disciplines=[reprimand(date(2025, 3, 1))])
    assert here.fired == ("member_duty_discipline",)
    assert rules.level_with_triggers(Level.EXCELLENT, here) == Level.NOT_COMPLETED
    # A violation committed at the member's previous unit counts against that unit.
    moved = [reprimand(date(2025, 3, 1), elsewhere=True)]
    assert not rules.collective_triggers(year=2025, leadership_disciplines=moved).fired


# ------------------------------------------------------------------------------------ the cap


def test_a_pool_of_10_allows_1_excellent_under_reading_a_and_2_under_b():
    assert rules.max_excellent(good=10) == 1
    assert rules.max_excellent(good=10, base=CapBase.A) == 1
    assert rules.max_excellent(good=10, base="B") == 2
    assert rules.max_excellent(good=8, excellent_candidates=2, base="B") == 2


def test_reading_a_is_exact_at_the_edges():
    # x <= 20% of (pool - x): a pool of 6 allows 1 (1 <= 20% of 5), of 12 allows 2 (2 <= 20% of 10).
    assert [rules.max_excellent(good=p) for p in (5, 6, 11, 12, 17, 18)] == [0, 1, 1, 2, 2, 3]


def test_small_groups_get_no_excellent():
    assert [rules.max_excellent(good=p, base="B") for p in (1, 4, 5)] == [0, 0, 1]
    assert rules.max_excellent(good=4) == 0


def test_the_25_percent_exception():
    assert rules.max_excellent(good=10, rate=TWENTY_FIVE, base="B") == 2
    assert rules.max_excellent(good=10, rate=TWENTY_FIVE) == 2
    assert rules.max_excellent(good=4, rate=TWENTY_FIVE, base="B") == 1
    assert rules.max_excellent(good=4, rate=TWENTY_FIVE) == 0


def test_the_cap_refuses_bad_settings():
    with pytest.raises(ValueError):
        rules.max_excellent(good=10, base="C")
    with pytest.raises(ValueError):
        rules.max_excellent(good=10, rate=Decimal("1.5"))
    with pytest.raises(ValueError):
        rules.max_excellent(good=-1)


def test_cap_check_under_reading_a():
    ok = rules.cap_check(excellent=1, good=5)
    assert (ok.allowed, ok.limit, ok.over_by, ok.base, ok.base_count, ok.rate) == (
        True,
        1,
        0,
        CapBase.A,
        5,
        TWENTY,
    )
    assert "20" in ok.explanation and "5" in ok.explanation
    assert rules.cap_problem(ok) is None
    over = rules.cap_check(excellent=2, good=8)
    assert (over.allowed, over.limit, over.over_by, over.places_left) == (False, 1, 1, 0)
    problem = rules.cap_problem(over)
    assert problem is not None and problem.blocking and problem.rule == "§1.4"


def test_cap_check_under_reading_b_and_places_left():
    check = rules.cap_check(excellent=2, good=8, base="B")
    assert (check.allowed, check.limit, check.base_count, check.places_left) == (True, 2, 10, 0)
    first = rules.cap_check(excellent=0, good=12)
    assert (first.allowed, first.places_left) == (True, 2)


def test_cap_check_agrees_with_max_excellent():
    for pool in range(0, 40):
        for rate in (TWENTY, TWENTY_FIVE):
            for base in ("A", "B"):
                most = rules.max_excellent(good=pool, rate=rate, base=base)
                for excellent in range(0, pool + 1):
                    check = rules.cap_check(excellent=excellent, good=pool - excellent, rate=rate, base=base)
                    assert check.allowed == (excellent <= most)


# --------------------------------------------------------------------- the cell and its members


def test_a_cell_proposed_good_with_a_member_not_completed_gets_a_warning():
    problems = rules.cell_rating_warnings(
        proposed=Level.GOOD, members_not_completed=1, leadership_disciplined=False, members_disciplined=2
    )
    assert [(p.rule, p.blocking) for p in problems] == [("§1.5", False), ("§1.5", False)]
    assert not rules.cell_rating_warnings(
        proposed=Level.COMPLETED, members_not_completed=3, leadership_disciplined=False
    )
    assert not rules.cell_rating_warnings(
        proposed=Level.GOOD, members_not_completed=1, leadership_disciplined=False, warn=False
    )
    assert not rules.cell_rating_warnings(
        proposed=Level.GOOD, members_not_completed=1, leadership_disciplined=False, threshold=2
    )


def test_an_excellent_cell_needs_a_leadership_without_discipline():
    problems = rules.cell_rating_warnings(
        proposed=Level.EXCELLENT, members_not_completed=0, leadership_disciplined=True, warn=False
    )
    assert [(p.rule, p.blocking) for p in problems] == [("§1.3", True)]
    assert not rules.cell_rating_warnings(
        proposed=Level.GOOD, members_not_completed=0, leadership_disciplined=True
    )


def test_the_cell_is_decided_after_all_its_members():
    problem = rules.order_problem(members_unrated=2)
    assert problem is not None and problem.blocking and problem.rule == "§1.5"
    assert rules.order_problem(members_unrated=0) is None


# --------------------------------------------------------------------------------------- timing


def test_reviews_end_by_31_12_or_15_01_for_special_units():
    assert rules.review_deadline(2025) == date(2025, 12, 31)
    assert rules.review_deadline(2025, special_unit=True) == date(2026, 1, 15)


def test_campaign_dates():
    assert rules.campaign_problems(date(2025, 11, 1), date(2025, 12, 31), 2025) == []
    late = rules.campaign_problems(date(2025, 11, 1), date(2026, 1, 10), 2025)
    assert [(p.field, p.blocking) for p in late] == [("end", True)]
    assert rules.campaign_problems(date(2025, 11, 1), date(2026, 1, 15), 2025, special_unit=True) == []
    backwards = rules.campaign_problems(date(2025, 12, 20), date(2025, 12, 1), 2025)
    assert [p.field for p in backwards] == ["end"]
    early = rules.campaign_problems(date(2024, 12, 20), date(2025, 12, 1), 2025)
    assert [p.field for p in early] == ["start"]


# -------------------------------------------------------------------------------------- rewards


def test_the_certificate_money_is_0_3_of_the_base_salary():
    assert rules.certificate_money(2_340_000) == 702_000
    assert rules.certificate_money(1_490_000) == 447_000
    assert rules.certificate_money(1_000_005) == 300_002  # 300,001.5 rounds half up
    assert rules.reward_money(2_340_000, rules.FIVE_YEAR_MERIT_COEFFICIENT) == 3_510_000


def test_consecutive_excellent_years():
    levels = {
        2019: Level.EXCELLENT,
        2020: Level.GOOD,
        2021: Level.EXCELLENT,
        2022: Level.EXCELLENT,
        2023: Level.EXCELLENT,
        2024: Level.EXCELLENT,
        2025: Level.EXCELLENT,
    }
    assert rules.consecutive_excellent_years(levels, 2025) == rules.FIVE_YEARS
    assert rules.consecutive_excellent_years(levels, 2024) == 4
    assert rules.consecutive_excellent_years(levels, 2020) == 0
    assert rules.consecutive_excellent_years(levels, 2026) == 0  # a year with no rating
