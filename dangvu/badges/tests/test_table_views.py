"""The money tables' page and its forms (rules.md §2.5, §2.6), and a committee's badge settings: who
reads and who writes (the national tables only from a top organisation's office, a committee's own
coefficient and settings from its office), the amounts shown, the refusals shown on the form, and
bounded queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.badges import services
from dangvu.badges.models import BadgeSettings, BaseSalary, Coefficient
from dangvu.core.periods import today
from dangvu.testing import live_world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _url(name: str, code: str) -> str:
    return reverse(f"badges:{name}", args=[code])


def _settings_post(rows, version="", symbol="HN", wait=True) -> dict:
    data = {"province_symbol": symbol, "version": version}
    if wait:
        data["wait_from_effective_date"] = "on"
    for i, (day, month, first) in enumerate(rows):
        data |= {f"batch_{i}_day": day, f"batch_{i}_month": month, f"batch_{i}_first": first}
    return data


HANOI = [(3, 2, 12), (19, 5, 3), (2, 9, 6), (7, 11, 10)]  # day, month, first month


# ------------------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-B", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_reads_the_money_tables(as_user, world, persona, code, status):
    assert as_user(getattr(world, persona)).get(_url("tables", code)).status_code == status


@pytest.mark.parametrize("name", ["tables", "base_salary_add", "coefficient_set", "settings"])
def test_the_anonymous_are_sent_to_log_in(client, world, name):
    assert client.get(_url(name, "DU")).status_code == 302


@pytest.mark.parametrize(
    ("persona", "code", "salary", "coefficient", "settings"),
    [
        ("office", "DU", 200, 200, 200),
        ("office", "CB-A", 404, 200, 200),  # a committee's own coefficient, not the national tables
        ("leader", "DU", 404, 404, 404),
        ("inspection", "DU", 404, 404, 404),
        ("secretary_a", "CB-A", 404, 404, 404),
        ("member_a", "CB-A", 404, 404, 404),
        ("stranger", "DU", 404, 404, 404),
    ],
)
def test_who_opens_the_write_forms(as_user, world, persona, code, salary, coefficient, settings):
    client = as_user(getattr(world, persona))
    assert client.get(_url("base_salary_add", code)).status_code == salary
    assert client.get(_url("coefficient_set", code)).status_code == coefficient
    assert client.get(_url("settings", code)).status_code == settings


def test_a_reader_sees_no_write_button(as_user, world):
    page = as_user(world.leader).get(_url("tables", "DU")).content.decode()
    assert 'id="coefficient-set"' not in page and 'id="base-salary-add"' not in page
    page = as_user(world.office).get(_url("tables", "DU")).content.decode()
    assert 'id="coefficient-set"' in page and 'id="base-salary-add"' in page
    page = as_user(world.office).get(_url("tables", "CB-A")).content.decode()
    assert 'id="coefficient-set"' in page and 'id="base-salary-add"' not in page


def test_a_reader_cannot_post_a_base_salary(as_user, world):
    data = {"starts_on": "01/07/2026", "amount": "2530000"}
    assert as_user(world.leader).post(_url("base_salary_add", "DU"), data).status_code == 404
    assert as_user(world.office).post(_url("base_salary_add", "CB-A"), data).status_code == 404
    assert not BaseSalary.objects.filter(amount=2_530_000).exists()


# ------------------------------------------------------------------------------------ contents


def test_the_tables_show_the_salary_in_force_and_each_badges_amount(as_user, world):
    response = as_user(world.leader).get(_url("tables", "DU"))
    found = response.context["tables"]
    assert found.in_force.amount == 2_340_000  # Nghị định 73/2024, in force since 01/07/2024
    money = {badge.years: badge.amount for badge in found.badges}
    assert money[30] == 3_510_000 and money[80] == 35_100_000
    assert money[45] is None and money[85] is None and money[90] is None
    page = response.content.decode()
    assert 'id="salary-in-force"' in page and "2.340.000 đ" in page and "3.510.000 đ" in page
    assert page.lower().count("cần mức tiền địa phương") == 3


def test_a_future_base_salary_is_listed_but_not_in_force(as_user, world):
    later = today() + timedelta(days=40)
    services.base_salary_add(actor=world.office, starts_on=later, amount=2_530_000, decree="Nghị định mới")
    found = as_user(world.leader).get(_url("tables", "DU")).context["tables"]
    assert found.salaries[0].amount == 2_530_000 and found.in_force.amount == 2_340_000


def test_the_office_of_the_top_organisation_adds_a_base_salary(as_user, world):
    client = as_user(world.office)
    response = client.post(
        _url("base_salary_add", "DU"), {"starts_on": "01/07/2020", "amount": "1600000", "decree": "Thử"}
    )
    assert response.status_code == 302 and response.url == _url("tables", "DU")
    assert BaseSalary.objects.get(starts_on=date(2020, 7, 1)).amount == 1_600_000


def test_a_second_base_salary_on_the_same_day_is_refused_on_the_field(as_user, world):
    response = as_user(world.office).post(
        _url("base_salary_add", "DU"), {"starts_on": "01/07/2024", "amount": "9999999"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"]
    assert not BaseSalary.objects.filter(amount=9_999_999).exists()


def test_the_top_office_sets_a_national_coefficient(as_user, world):
    response = as_user(world.office).post(
        _url("coefficient_set", "DU"),
        {"level": "national", "years": "45", "starts_on": "01/01/2025", "value": "2.5", "source": "Thử"},
    )
    assert response.status_code == 302
    row = Coefficient.objects.get(years=45)
    assert row.organization is None and row.value == Decimal("2.5")
    found = as_user(world.leader).get(_url("tables", "CB-B")).context["tables"]
    assert {b.years: b.amount for b in found.badges}[45] == 5_850_000


def test_a_committee_sets_its_own_coefficient_not_a_national_one(as_user, world):
    client = as_user(world.office)
    form = {"years": "85", "starts_on": "01/01/2025", "value": "20", "source": "Quy định của Thử"}
    refused = client.post(_url("coefficient_set", "CB-A"), {**form, "level": "national"})
    assert refused.status_code == 400 and refused.context["form"].errors["level"]
    assert not Coefficient.objects.filter(years=85).exists()
    assert client.post(_url("coefficient_set", "CB-A"), {**form, "level": "own"}).status_code == 302
    assert Coefficient.objects.get(years=85).organization == world.cell_a
    own = {b.years: b for b in client.get(_url("tables", "CB-A")).context["tables"].badges}[85]
    assert own.own and own.amount == 46_800_000
    other = {b.years: b for b in client.get(_url("tables", "CB-B")).context["tables"].badges}[85]
    assert other.amount is None


def test_a_reader_cannot_post_a_coefficient(as_user, world):
    form = {"level": "own", "years": "45", "starts_on": "01/01/2025", "value": "2"}
    for persona, code in (("leader", "DU"), ("secretary_a", "CB-A")):
        assert as_user(getattr(world, persona)).post(_url("coefficient_set", code), form).status_code == 404
    assert not Coefficient.objects.filter(years=45).exists()


def test_the_badge_is_preselected_from_the_tables_link(as_user, world):
    response = as_user(world.office).get(_url("coefficient_set", "CB-A"), {"huy_hieu": "90"})
    assert response.context["form"].initial["years"] == 90


def test_the_tables_cost_the_same_queries_with_one_row_or_many(as_user, world):
    client = as_user(world.office)
    client.get(_url("tables", "CB-A"))  # warm the session and the scope

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("tables", "CB-A")).status_code == 200
        return len(queries)

    few = count()
    for i, years in enumerate((45, 85, 90)):
        services.coefficient_set(
            actor=world.office,
            organization=world.cell_a,
            years=years,
            starts_on=date(2020 + i, 1, 1),
            value=2,
        )
        services.coefficient_set(
            actor=world.office, organization=world.root, years=years, starts_on=date(2019, 1, 1), value=1
        )
    services.base_salary_add(actor=world.office, starts_on=date(2018, 1, 1), amount=1_390_000)
    assert count() == few


# -------------------------------------------------------------------------------------- settings


def test_the_settings_show_the_defaults_until_saved(as_user, world):
    response = as_user(world.office).get(_url("settings", "DU"))
    assert response.context["own"] is None
    initial = response.context["form"].initial
    assert (initial["batch_0_day"], initial["batch_0_month"], initial["batch_0_first"]) == (3, 2, 12)
    assert 'id="not-set"' in response.content.decode()


def test_the_office_saves_the_settings_and_a_cell_inherits_them(as_user, world):
    client = as_user(world.office)
    response = client.post(_url("settings", "DU"), _settings_post(HANOI, symbol="hn", wait=False))
    assert response.status_code == 302
    saved = BadgeSettings.objects.get(organization=world.root)
    assert saved.province_symbol == "HN" and saved.wait_from_effective_date is False
    assert saved.batches == [[2, 3, 12], [5, 19, 3], [9, 2, 6], [11, 7, 10]]
    response = client.get(_url("settings", "CB-A"))
    assert response.context["inherited"] == world.root
    assert response.context["form"].initial["province_symbol"] == "HN"


def test_windows_leaving_a_month_out_are_refused_clearly(as_user, world):
    rows = [(3, 2, 12), (19, 5, 3), (2, 9, 6), (7, 11, 11)]  # October in no window ending at its batch
    response = as_user(world.office).post(_url("settings", "DU"), _settings_post(rows))
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors and 'id="settings-errors"' in response.content.decode()
    assert not BadgeSettings.objects.exists()


def test_two_windows_starting_in_the_same_month_are_refused(as_user, world):
    rows = [(3, 2, 12), (19, 5, 12)]
    response = as_user(world.office).post(_url("settings", "DU"), _settings_post(rows))
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not BadgeSettings.objects.exists()


def test_a_half_filled_batch_row_is_refused_on_the_row(as_user, world):
    rows = [*HANOI, (15, "", "")]
    response = as_user(world.office).post(_url("settings", "DU"), _settings_post(rows))
    assert response.status_code == 400 and response.context["form"].errors["batch_4_day"]
    assert not BadgeSettings.objects.exists()


def test_settings_saved_from_a_stale_form_are_not_applied(as_user, world):
    client = as_user(world.office)
    client.post(_url("settings", "DU"), _settings_post(HANOI, symbol="HN"))
    version = BadgeSettings.objects.get().version
    client.post(_url("settings", "DU"), _settings_post(HANOI, version=version, symbol="HP"))
    response = client.post(_url("settings", "DU"), _settings_post(HANOI, version=version, symbol="DN"))
    assert response.status_code == 302 and response.url == _url("settings", "DU")
    assert BadgeSettings.objects.get().province_symbol == "HP"


def test_a_reader_cannot_post_the_settings(as_user, world):
    for persona, code in (("leader", "DU"), ("secretary_a", "CB-A"), ("stranger", "DU")):
        response = as_user(getattr(world, persona)).post(_url("settings", code), _settings_post(HANOI))
        assert response.status_code == 404
    assert not BadgeSettings.objects.exists()


# ------------------------------------------------------------------------------------- the phone


@pytest.mark.browser
def test_the_money_and_commendation_pages_fit_a_phone(live_server, live_world, page):  # noqa: F811
    """The office, on a 360 px screen, reads the tables, the settings and the commendations register,
    sets a local coefficient through the form, and nothing scrolls sideways."""
    from playwright.sync_api import expect

    from dangvu.testing import PHONE, assert_no_sideways_scroll, browser_login

    base = live_server.url
    page.set_viewport_size(PHONE)
    browser_login(page, base, "office")
    for path in ("huy-hieu/muc-tien/", "huy-hieu/cai-dat/", "khen-thuong/", "khen-thuong/them/"):
        page.goto(f"{base}/to-chuc/DU/{path}")
        assert_no_sideways_scroll(page)
    page.goto(f"{base}/to-chuc/CB-A/huy-hieu/he-so/?huy_hieu=45")
    page.fill("#id_starts_on", "01/01/2025")
    page.fill("#id_value", "2.5")
    page.click("#coefficient-form button[type=submit]")
    expect(page.locator("#badge-45")).to_contain_text("2,5")  # the amount depends on the seeded salaries
    assert_no_sideways_scroll(page)
