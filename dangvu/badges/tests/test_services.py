"""The badge register's services: the money by award date (1,800,000 or 2,340,000 base salary),
the badge number's validation, once per member and badge, the eligibility on the award date (early
awards need their ground recorded), the tables and the settings. Fixed past years: the dates are in
the past whatever today is."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangvu.badges import selectors, services
from dangvu.badges.choices import Early
from dangvu.badges.models import Award
from dangvu.core.audit import StaleVersionError
from dangvu.core.periods import today

from . import factories

pytestmark = pytest.mark.django_db


def test_the_money_follows_the_base_salary_of_the_award_date(world):
    before = factories.member(world, world.cell_a, "Trước Tháng Bảy", date(1993, 12, 1))
    after = factories.member(world, world.cell_a, "Sau Tháng Bảy", date(1994, 6, 1))
    assert selectors.base_salary_on(date(2024, 1, 15)) == 1_800_000
    assert selectors.base_salary_on(date(2024, 8, 1)) == 2_340_000
    early = services.award_record(actor=world.office, member=before, years=30, awarded_on=date(2024, 1, 15))
    late = services.award_record(actor=world.office, member=after, years=30, awarded_on=date(2024, 8, 1))
    assert selectors.money_of(early) == 2_700_000  # 1.5 × 1,800,000
    assert selectors.money_of(late) == 3_510_000  # 1.5 × 2,340,000
    assert selectors.amounts_of([early, late]) == {early.pk: 2_700_000, late.pk: 3_510_000}


def test_a_badge_without_a_coefficient_needs_the_local_amount(world):
    member = factories.member(world, world.cell_a, "Bốn Lăm Năm", date(1979, 1, 10))
    award = services.award_record(actor=world.office, member=member, years=45, awarded_on=date(2024, 2, 3))
    assert selectors.money_of(award) is None  # never 0
    services.coefficient_set(
        actor=world.office,
        organization=world.root,
        years=45,
        starts_on=date(2020, 1, 1),
        value=Decimal("2.5"),
    )
    assert selectors.money_of(award) == 4_500_000  # 2.5 × 1,800,000


def test_the_badge_number_is_normalised_and_checked(world):
    member = factories.member(world, world.cell_a, "Có Số Huy Hiệu", date(1990, 1, 5))
    with pytest.raises(ValidationError) as refused:
        services.award_record(
            actor=world.office,
            member=member,
            years=30,
            awarded_on=date(2020, 2, 3),
            badge_number="HN 0000001",
        )
    assert "badge_number" in refused.value.message_dict
    award = services.award_record(
        actor=world.office, member=member, years=30, awarded_on=date(2020, 2, 3), badge_number=" hn00000123 "
    )
    assert award.badge_number == "HN 00000123"
    with pytest.raises(ValidationError):
        services.award_update(
            actor=world.office, award=award, expected_version=award.version, badge_number="HN 0"
        )


def test_a_badge_is_awarded_once_per_member(world):
    member = factories.member(world, world.cell_a, "Một Lần", date(1990, 1, 5))
    award = services.award_record(actor=world.office, member=member, years=30, awarded_on=date(2020, 2, 3))
    with pytest.raises(ValidationError) as refused:
        services.award_record(actor=world.office, member=member, years=30, awarded_on=date(2020, 5, 19))
    assert "years" in refused.value.message_dict
    services.award_delete(actor=world.office, award=award, expected_version=award.version)
    again = services.award_record(actor=world.office, member=member, years=30, awarded_on=date(2020, 5, 19))
    assert Award.objects.get() == again


def test_an_award_needs_the_party_age_on_its_date(world):
    member = factories.member(world, world.cell_a, "Chưa Đủ Tuổi", date(1991, 3, 1))
    with pytest.raises(ValidationError, match=r"03/02/2021\D+29\D+11\D"):
        services.award_record(actor=world.office, member=member, years=30, awarded_on=date(2021, 2, 3))
    with pytest.raises(ValidationError):
        services.award_record(actor=world.office, member=member, years=35, awarded_on=date(2022, 2, 3))
    with pytest.raises(ValidationError):
        services.award_record(
            actor=world.office, member=member, years=30, awarded_on=today() + timedelta(days=1)
        )


def test_an_early_award_needs_its_ground_recorded(world):
    ill = factories.member(world, world.cell_a, "Bệnh Nặng", date(1991, 3, 1))
    with pytest.raises(ValidationError) as refused:  # 29 years 0 months, but no illness recorded
        services.award_record(
            actor=world.office, member=ill, years=30, awarded_on=date(2020, 3, 1), early=Early.GRAVELY_ILL
        )
    assert "early" in refused.value.message_dict
    factories.illness(world, ill, date(2020, 1, 10))
    with pytest.raises(ValidationError):  # 28 years 11 months
        services.award_record(
            actor=world.office, member=ill, years=30, awarded_on=date(2020, 2, 28), early=Early.GRAVELY_ILL
        )
    award = services.award_record(
        actor=world.office, member=ill, years=30, awarded_on=date(2020, 3, 1), early=Early.GRAVELY_ILL
    )
    assert award.early == Early.GRAVELY_ILL

    deceased = factories.member(world, world.cell_a, "Từ Trần", date(1950, 12, 20))
    with pytest.raises(ValidationError):  # no death recorded
        services.award_record(
            actor=world.office, member=deceased, years=75, awarded_on=date(2025, 3, 1), early=Early.POSTHUMOUS
        )
    factories.death(world, deceased, date(2025, 1, 15))  # 74 years 0 months of Party age
    award = services.award_record(
        actor=world.office, member=deceased, years=75, awarded_on=date(2025, 3, 1), early=Early.POSTHUMOUS
    )
    assert award.early == Early.POSTHUMOUS


def test_the_hand_over_and_the_money_paid_are_recorded(world):
    member = factories.member(world, world.cell_a, "Nhận Huy Hiệu", date(1990, 1, 5))
    award = services.award_record(actor=world.office, member=member, years=30, awarded_on=date(2020, 2, 3))
    stale = award.version
    services.award_update(
        actor=world.office,
        award=award,
        expected_version=award.version,
        handed_over_on=date(2020, 2, 3),
        money_paid=2_235_000,
    )
    award.refresh_from_db()
    assert (award.handed_over_on, award.money_paid) == (date(2020, 2, 3), 2_235_000)
    with pytest.raises(StaleVersionError):
        services.award_update(actor=world.office, award=award, expected_version=stale, note="x")
    with pytest.raises(ValidationError):
        services.award_update(
            actor=world.office, award=award, expected_version=award.version, handed_over_on=date(2020, 1, 1)
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"handed_over_on": "tomorrow"}, "handed_over_on"),
        ({"batch": date(2018, 2, 3)}, "batch"),  # a batch two years before the decision
    ],
)
def test_a_hand_over_in_the_future_or_a_batch_far_from_the_decision_is_refused(world, fields, field):
    member = factories.member(world, world.cell_a, "Nhận Huy Hiệu", date(1990, 1, 5))
    if fields.get("handed_over_on") == "tomorrow":
        fields = {"handed_over_on": today() + timedelta(days=1)}
    with pytest.raises(ValidationError) as refused:
        services.award_record(
            actor=world.office, member=member, years=30, awarded_on=date(2020, 2, 3), **fields
        )
    assert field in refused.value.message_dict
    assert not Award.objects.exists()


def test_the_tables(world):
    with pytest.raises(ValidationError):
        services.base_salary_add(actor=world.office, starts_on=date(2024, 7, 1), amount=2_500_000)
    services.base_salary_add(actor=world.office, starts_on=date(2030, 7, 1), amount=3_000_000, decree="NĐ X")
    assert selectors.base_salary_on(date(2030, 7, 1)) == 3_000_000
    with pytest.raises(ValidationError):
        services.coefficient_set(
            actor=world.office, organization=None, years=35, starts_on=date(2020, 1, 1), value=Decimal("1")
        )
    with pytest.raises(ValidationError):
        services.illness_record(
            actor=world.office,
            member=factories.member(world, world.cell_a, "Tương Lai", date(1990, 1, 5)),
            recorded_on=today() + timedelta(days=1),
        )


def test_the_settings(world):
    with pytest.raises(ValidationError) as refused:
        services.settings_save(
            actor=world.office,
            organization=world.root,
            batches=[[2, 3, 12], [5, 19, 4], [9, 2, 6], [11, 7, 10]],  # 19/5's window misses March
            province_symbol="HN",
            wait_from_effective_date=True,
        )
    assert "batches" in refused.value.message_dict
    saved = services.settings_save(
        actor=world.office,
        organization=world.root,
        batches=[[2, 3, 1], [5, 19, 3], [9, 2, 6], [12, 19, 10]],
        province_symbol="hn",
        wait_from_effective_date=False,
    )
    assert saved.province_symbol == "HN"
    assert selectors.settings_for(world.cell_a) == saved
    again = services.settings_save(
        actor=world.office,
        organization=world.root,
        batches=saved.batches,
        province_symbol="HCM",
        wait_from_effective_date=True,
        expected_version=saved.version,
    )
    assert again.version == saved.version + 1 and again.province_symbol == "HCM"
    assert selectors.settings_for(world.cell_b) == again
    assert selectors.settings_for(world.cell_b).pk is not None


def test_a_badge_number_is_not_given_twice_and_follows_the_provinces_symbol(world):
    first = factories.member(world, world.cell_a, "Số Một", date(1990, 1, 5))
    second = factories.member(world, world.cell_a, "Số Hai", date(1990, 1, 6))
    services.award_record(
        actor=world.office, member=first, years=30, awarded_on=date(2020, 2, 3), badge_number="HN 00000001"
    )
    with pytest.raises(ValidationError) as refused:
        services.award_record(
            actor=world.office,
            member=second,
            years=30,
            awarded_on=date(2020, 2, 3),
            badge_number="hn00000001",
        )
    assert "badge_number" in refused.value.message_dict
    # with the province's symbol set, another province's series is refused, and a number typed
    # without its space reads with the symbol ("HND…" is "HN D…" for the 55-year badge)
    services.settings_save(
        actor=world.office,
        organization=world.root,
        batches=[[2, 3, 12], [5, 19, 3], [9, 2, 6], [11, 7, 10]],
        province_symbol="HN",
        wait_from_effective_date=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.award_record(
            actor=world.office,
            member=second,
            years=30,
            awarded_on=date(2020, 2, 3),
            badge_number="HP 00000002",
        )
    assert "HN" in refused.value.message_dict["badge_number"][0]
    award = services.award_record(
        actor=world.office, member=second, years=30, awarded_on=date(2020, 2, 3), badge_number="HN00000002"
    )
    assert award.badge_number == "HN 00000002"
    veteran = factories.member(world, world.cell_a, "Năm Lăm Năm", date(1960, 1, 5))
    award = services.award_record(
        actor=world.office, member=veteran, years=55, awarded_on=date(2020, 2, 3), badge_number="HND000001"
    )
    assert award.badge_number == "HN D000001"


@pytest.mark.parametrize("day_month", [(30, 2), (29, 2), (31, 4)])
def test_a_batch_on_a_day_its_month_lacks_is_refused(world, day_month):
    day, month = day_month
    with pytest.raises(ValidationError) as refused:
        services.settings_save(
            actor=world.office,
            organization=world.root,
            batches=[[month, day, 12], [5, 19, 3], [9, 2, 6], [11, 7, 10]],
            province_symbol="",
            wait_from_effective_date=True,
        )
    assert "batches" in refused.value.message_dict
