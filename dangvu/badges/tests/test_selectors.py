"""Eligibility through candidates_for_batch (the 19/5/2025 batch, Hanoi windows: milestones from
01/03 to 31/05/2025), the coefficients in force, and next year's budget against a hand count on a
small fixture; query counts constant in the subtree's size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangvu.badges import rules, selectors, services
from dangvu.badges.choices import Early
from dangvu.core.access import SYSTEM_SCOPE, scope_for
from dangvu.core.periods import today
from dangvu.members.choices import DisciplineForm
from dangvu.testing import make_org

from . import factories

pytestmark = pytest.mark.django_db

BATCH = date(2025, 5, 19)


def _by_name(rows) -> dict:
    return {row.member.person.full_name: row for row in rows}


def test_who_the_batch_may_propose(world):
    f = factories
    f.reaching(world, world.cell_a, "Đến Hạn", 30, date(2025, 4, 10))
    exempt = f.reaching(world, world.cell_a, "Miễn Sinh Hoạt", 40, date(2025, 3, 5))
    f.exemption(world, exempt, date(2020, 1, 1))
    ill = f.reaching(world, world.cell_a, "Bệnh Nặng", 30, date(2026, 3, 1))  # 29y0m on 01/03/2025
    f.illness(world, ill, date(2025, 1, 10))
    ill_late = f.reaching(world, world.cell_a, "Bệnh Chưa Đủ", 30, date(2026, 6, 1))  # 28y11m on 31/05
    f.illness(world, ill_late, date(2025, 1, 10))
    ill_70 = f.reaching(world, world.cell_a, "Bệnh Bảy Mươi", 70, date(2027, 5, 1))  # 68y0m on 01/05/2025
    f.illness(world, ill_70, date(2025, 1, 10))
    died = f.member(world, world.cell_a, "Truy Tặng", date(1950, 12, 20))
    f.death(world, died, date(2025, 1, 15))  # 74 years 0 months
    too_young = f.member(world, world.cell_a, "Chưa Đủ Truy Tặng", date(1951, 1, 20))
    f.death(world, too_young, date(2025, 1, 15))  # 73 years 11 months
    waiting = f.reaching(world, world.cell_a, "Đang Chờ Kỷ Luật", 30, date(2025, 4, 20))
    f.discipline(world, waiting, date(2025, 1, 1), DisciplineForm.REPRIMAND, effective=date(2025, 1, 10))
    done = f.reaching(world, world.cell_a, "Hết Thời Hạn", 30, date(2025, 5, 2))
    f.discipline(world, done, date(2024, 6, 1), DisciplineForm.WARNING)
    awarded = f.reaching(world, world.cell_a, "Đã Tặng", 30, date(2025, 3, 15))
    services.award_record(actor=world.office, member=awarded, years=30, awarded_on=BATCH)
    f.reaching(world, world.cell_a, "Tháng Sáu", 30, date(2025, 6, 1))
    f.reaching(world, world.cell_b, "Chi Bộ Khác", 30, date(2025, 4, 10))

    with translation.override("en"):
        rows = _by_name(selectors.candidates_for_batch(scope_for(world.office), world.cell_a, BATCH))
    assert set(rows) == {
        "Đến Hạn",
        "Miễn Sinh Hoạt",
        "Bệnh Nặng",
        "Bệnh Bảy Mươi",
        "Truy Tặng",
        "Đang Chờ Kỷ Luật",
        "Hết Thời Hạn",
    }
    due = rows["Đến Hạn"]
    assert (due.years, due.reached_on, due.batch, due.early, due.not_yet) == (
        30,
        date(2025, 4, 10),
        BATCH,
        "",
        False,
    )
    assert "10/04/2025" in due.explanation and "19/05/2025" in due.explanation
    assert rows["Miễn Sinh Hoạt"].years == 40 and not rows["Miễn Sinh Hoạt"].not_yet
    assert "exempt" in rows["Miễn Sinh Hoạt"].explanation
    assert (rows["Bệnh Nặng"].early, rows["Bệnh Nặng"].eligible_from) == (Early.GRAVELY_ILL, date(2025, 3, 1))
    assert (rows["Bệnh Bảy Mươi"].years, rows["Bệnh Bảy Mươi"].eligible_from) == (70, date(2025, 5, 1))
    assert (rows["Truy Tặng"].years, rows["Truy Tặng"].early) == (75, Early.POSTHUMOUS)
    assert rows["Đang Chờ Kỷ Luật"].not_yet_until == date(2025, 7, 10)  # 6 months from the effective date
    assert "10/07/2025" in rows["Đang Chờ Kỷ Luật"].explanation
    assert not rows["Hết Thời Hạn"].not_yet  # 9 months after 01/06/2024

    root_rows = _by_name(selectors.candidates_for_batch(SYSTEM_SCOPE, world.root, BATCH))
    assert "Chi Bộ Khác" in root_rows
    assert "Chi Bộ Khác" not in _by_name(
        selectors.candidates_for_batch(scope_for(world.secretary_a), world.root, BATCH)
    )


def test_the_wait_may_run_from_the_decision(world):
    waiting = factories.reaching(world, world.cell_a, "Đang Chờ", 30, date(2025, 4, 20))
    factories.discipline(
        world, waiting, date(2024, 11, 1), DisciplineForm.REPRIMAND, effective=date(2024, 12, 1)
    )
    (row,) = selectors.candidates_for_batch(SYSTEM_SCOPE, world.cell_a, BATCH)
    assert row.not_yet_until == date(2025, 6, 1)
    services.settings_save(
        actor=world.office,
        organization=world.root,
        batches=[[2, 3, 12], [5, 19, 3], [9, 2, 6], [11, 7, 10]],
        province_symbol="HN",
        wait_from_effective_date=False,
    )
    (row,) = selectors.candidates_for_batch(SYSTEM_SCOPE, world.cell_a, BATCH)
    assert not row.not_yet  # 01/05/2025 from the decision


def test_the_coefficients_in_force(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        national = selectors.coefficients_on(None, date(2025, 1, 1))
    assert national[30] == Decimal("1.5") and national[45] is None and national[90] is None
    services.coefficient_set(
        actor=world.office,
        organization=world.root,
        years=45,
        starts_on=date(2020, 1, 1),
        value=Decimal("2.5"),
    )
    services.coefficient_set(
        actor=world.office,
        organization=world.cell_a,
        years=45,
        starts_on=date(2024, 1, 1),
        value=Decimal("2.7"),
    )
    services.coefficient_set(
        actor=world.office,
        organization=world.cell_b,
        years=30,
        starts_on=date(2024, 1, 1),
        value=Decimal("2"),
    )
    assert selectors.coefficients_on(world.cell_a, date(2025, 1, 1))[45] == Decimal("2.7")
    assert selectors.coefficients_on(world.cell_a, date(2023, 1, 1))[45] == Decimal("2.5")
    assert selectors.coefficients_on(world.cell_c, date(2025, 1, 1))[45] == Decimal("2.5")  # nearest above
    assert selectors.coefficients_on(world.cell_b, date(2025, 1, 1))[30] == Decimal("2")
    assert selectors.coefficients_on(world.cell_a, date(2025, 1, 1))[30] == Decimal("1.5")
    assert selectors.coefficients_on(None, date(2025, 1, 1))[45] is None


def _budget_fixture(world, year: int) -> None:
    """Four members in two cells reaching 30, 45, 40 and 50 in next year's windows, and two who do
    not (this year's window; the year after's)."""
    f = factories
    f.reaching(world, world.cell_a, "A Ba Mươi", 30, date(year + 1, 2, 10))  # batch 03/02
    f.reaching(world, world.cell_a, "A Bốn Lăm", 45, date(year + 1, 4, 1))  # batch 19/05, uncosted
    f.reaching(world, world.cell_b, "B Bốn Mươi", 40, date(year, 12, 15))  # batch 03/02 of next year
    f.reaching(world, world.cell_b, "B Năm Mươi", 50, date(year + 1, 10, 5))  # batch 07/11
    f.reaching(world, world.cell_a, "A Năm Nay", 30, date(year, 11, 20))  # this year's 07/11
    f.reaching(world, world.cell_b, "B Năm Sau Nữa", 30, date(year + 1, 12, 5))  # 03/02 the year after


def test_next_years_budget_matches_a_hand_count(world):
    year = today().year
    _budget_fixture(world, year)
    found = selectors.budget(SYSTEM_SCOPE, world.root, year, today())
    assert found.base_salary == 2_340_000
    rows = [
        (line.member.person.full_name, line.years, line.batch, line.cell_name, line.amount)
        for line in found.lines
    ]
    assert rows == [
        ("A Ba Mươi", 30, date(year + 1, 2, 3), "Chi bộ A", 3_510_000),
        ("B Bốn Mươi", 40, date(year + 1, 2, 3), "Chi bộ B", 4_680_000),
        ("A Bốn Lăm", 45, date(year + 1, 5, 19), "Chi bộ A", None),
        ("B Năm Mươi", 50, date(year + 1, 11, 7), "Chi bộ B", 7_020_000),
    ]
    assert (found.total.count, found.total.total, found.total.uncosted) == (4, 15_210_000, 1)
    batches = {day: (s.count, s.total, s.uncosted) for day, s in found.by_batch.items()}
    assert batches == {
        date(year + 1, 2, 3): (2, 8_190_000, 0),
        date(year + 1, 5, 19): (1, 0, 1),
        date(year + 1, 9, 2): (0, 0, 0),
        date(year + 1, 11, 7): (1, 7_020_000, 0),
    }
    cells = {s.name: (s.count, s.total, s.uncosted) for s in found.by_cell.values()}
    assert cells == {"Chi bộ A": (2, 3_510_000, 1), "Chi bộ B": (2, 11_700_000, 0)}
    cell_a = selectors.budget(SYSTEM_SCOPE, world.cell_a, year, today())
    assert (cell_a.total.count, cell_a.total.total, cell_a.total.uncosted) == (2, 3_510_000, 1)


def test_the_budget_leaves_out_the_awarded_the_waiting_and_the_departed(world):
    year = today().year - 2  # next year is last year: every date is past
    f = factories
    awarded = f.reaching(world, world.cell_a, "Đã Tặng Sớm", 30, date(year + 1, 3, 10))
    f.illness(world, awarded, date(year, 3, 1))
    services.award_record(
        actor=world.office, member=awarded, years=30, awarded_on=date(year, 11, 1), early=Early.GRAVELY_ILL
    )
    waiting = f.reaching(world, world.cell_a, "Chờ Quá Đợt Cuối", 30, date(year + 1, 3, 10))
    f.discipline(world, waiting, date(year + 1, 6, 1), DisciplineForm.DISMISSAL)
    died = f.reaching(world, world.cell_a, "Đã Mất", 30, date(year + 1, 3, 10))
    f.death(world, died, date(year, 10, 1))
    f.reaching(world, world.cell_a, "Được Tính", 30, date(year + 1, 3, 10))
    as_of = date(year + 1, 12, 31)
    found = selectors.budget(SYSTEM_SCOPE, world.root, year, as_of)
    assert [line.member.person.full_name for line in found.lines] == ["Được Tính"]


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_counts_do_not_grow_with_the_subtree(world):
    year = today().year
    factories.reaching(world, world.cell_a, "Người 0", 30, date(year + 1, 3, 1))
    factories.reaching(world, world.cell_a, "Hạn 0", 30, date(2025, 4, 1))

    def run():
        selectors.budget(SYSTEM_SCOPE, world.root, year, today())
        selectors.candidates_for_batch(SYSTEM_SCOPE, world.root, BATCH)

    one = _queries(run)
    for i in range(1, 30):
        cell = world.cell_a if i % 2 else world.cell_c
        factories.reaching(
            world,
            cell,
            f"Người {i}",
            (30, 40, 45)[i % 3],
            date(year + 1, 1 + i % 11, 3),
        )
        factories.reaching(world, cell, f"Hạn {i}", 40, date(2025, 3 + i % 3, 2))
    assert len(selectors.budget(SYSTEM_SCOPE, world.root, year, today()).lines) == 30
    assert len(selectors.candidates_for_batch(SYSTEM_SCOPE, world.root, BATCH)) == 30
    assert _queries(run) == one


def test_a_member_who_reached_the_milestone_then_died_before_the_batch_is_posthumous(world):
    died = factories.reaching(world, world.cell_a, "Mất Sau Khi Đủ", 30, date(2025, 4, 10))
    factories.death(world, died, date(2025, 5, 1))  # after the milestone, before 19/05
    after = factories.reaching(world, world.cell_a, "Mất Sau Đợt", 30, date(2025, 4, 12))
    factories.death(world, after, date(2025, 5, 25))  # after the batch: awarded as a living member
    with translation.override("en"):
        rows = _by_name(selectors.candidates_for_batch(SYSTEM_SCOPE, world.cell_a, BATCH))
        one = selectors.candidate_of(died, 30, BATCH)
    row = rows["Mất Sau Khi Đủ"]
    assert (row.years, row.early, row.reached_on, row.eligible_from, row.batch) == (
        30,
        Early.POSTHUMOUS,
        date(2025, 4, 10),
        date(2025, 4, 10),
        BATCH,
    )
    assert "died on 01/05/2025: posthumous award" in row.explanation
    assert "12 months early" not in row.explanation
    assert "death_extract" in rules.papers_required(row.early)
    assert one is not None and one.early == Early.POSTHUMOUS
    assert rows["Mất Sau Đợt"].early == ""


def test_the_wait_is_the_latest_of_every_discipline(world):
    f = factories
    both = f.reaching(world, world.cell_a, "Hai Kỷ Luật", 30, date(2025, 4, 10))
    f.discipline(world, both, date(2024, 6, 1), DisciplineForm.DISMISSAL)  # waits to 01/06/2025
    f.discipline(world, both, date(2024, 7, 1), DisciplineForm.REPRIMAND)  # waits to 01/01/2025
    later = f.reaching(world, world.cell_a, "Khiển Trách Sau", 30, date(2025, 4, 12))
    f.discipline(world, later, date(2024, 3, 1), DisciplineForm.DISMISSAL)  # waits to 01/03/2025
    f.discipline(world, later, date(2025, 1, 1), DisciplineForm.REPRIMAND)  # waits to 01/07/2025
    assert rules.considered_from(DisciplineForm.DISMISSAL, date(2024, 6, 1)) == date(2025, 6, 1)
    with translation.override("en"):
        rows = _by_name(selectors.candidates_for_batch(SYSTEM_SCOPE, world.cell_a, BATCH))
    assert rows["Hai Kỷ Luật"].not_yet_until == date(2025, 6, 1)
    assert "Removal from post, 01/06/2024" in rows["Hai Kỷ Luật"].explanation
    assert rows["Khiển Trách Sau"].not_yet_until == date(2025, 7, 1)
    assert "Reprimand, 01/01/2025" in rows["Khiển Trách Sau"].explanation
    one = selectors.candidate_of(both, 30, BATCH)
    assert one is not None and one.not_yet_until == date(2025, 6, 1)
    # the budget of 2025's batches leaves out whoever still waits at the last one (07/11/2025)
    past = f.reaching(world, world.cell_b, "Chờ Quá Đợt Cuối", 30, date(2025, 4, 14))
    f.discipline(world, past, date(2024, 12, 1), DisciplineForm.DISMISSAL)  # waits to 01/12/2025
    f.discipline(world, past, date(2025, 1, 1), DisciplineForm.REPRIMAND)  # waits to 01/07/2025
    found = selectors.budget(SYSTEM_SCOPE, world.root, 2024, date(2025, 1, 2))
    assert {line.member.person.full_name for line in found.lines} == {"Hai Kỷ Luật", "Khiển Trách Sau"}


def test_the_budget_tells_apart_cells_of_the_same_name(world):
    year = today().year
    twin = make_org(world.admin, "CB-A2", parent=world.partial, name="Chi bộ A")
    factories.reaching(world, world.cell_a, "Ở Chi Bộ A", 30, date(year + 1, 4, 10))
    factories.reaching(world, twin, "Ở Chi Bộ A Khác", 40, date(year + 1, 4, 10))
    found = selectors.budget(SYSTEM_SCOPE, world.root, year, today())
    cells = {path: (s.name, s.code, s.count, s.total) for path, s in found.by_cell.items()}
    assert cells == {
        world.cell_a.path: ("Chi bộ A", "CB-A", 1, 3_510_000),
        twin.path: ("Chi bộ A", "CB-A2", 1, 4_680_000),
    }
