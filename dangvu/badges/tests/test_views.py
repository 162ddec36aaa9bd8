"""The badge pages: next year's budget (page and XLSX); who reads them (whoever sees the
organisation, each with the members they see), the contents against hand-made members, bounded
queries. The batch pages: test_proposals."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.core.periods import today

from . import factories

pytestmark = pytest.mark.django_db

YEAR = today().year
NEXT = YEAR + 1
BATCH = date(NEXT, 5, 19)  # Hanoi windows: milestones from 01/03 to 31/05 of next year


def _budget(client, code: str, **params):
    return client.get(reverse("badges:budget", args=[code]), {"nam": YEAR} | params)


def _export(client, code: str):
    return client.get(reverse("badges:budget_export", args=[code]), {"nam": YEAR})


def _fixture(world):
    f = factories
    f.reaching(world, world.cell_a, "A Ba Mươi", 30, date(NEXT, 4, 10))  # batch 19/05, costed
    f.reaching(world, world.cell_a, "A Bốn Lăm", 45, date(NEXT, 3, 20))  # batch 19/05, uncosted
    f.reaching(world, world.cell_b, "B Bốn Mươi", 40, date(NEXT, 5, 5))  # batch 19/05, cell B
    ill = f.reaching(world, world.cell_a, "A Bệnh", 30, date(NEXT + 1, 3, 1))  # 29y0m on 01/03
    f.illness(world, ill, today())


VIEWS = ["budget", "export"]


def _get(view, client, code):
    return {"budget": _budget, "export": _export}[view](client, code)


@pytest.mark.parametrize("view", VIEWS)
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
        ("stranger", "DU", 404),
    ],
)
def test_who_reads_the_badge_pages(as_user, world, view, persona, code, status):
    assert _get(view, as_user(getattr(world, persona)), code).status_code == status


def test_the_anonymous_are_sent_to_log_in(client, world):
    assert _budget(client, "DU").status_code == 302


def test_the_budget_lists_next_years_badges_and_their_money(as_user, world):
    _fixture(world)
    response = _budget(as_user(world.leader), "DU")
    found = response.context["budget"]
    assert found.year == NEXT
    rows = {line.member.person.full_name: (line.years, line.batch, line.amount) for line in found.lines}
    assert rows["A Ba Mươi"] == (30, BATCH, 3_510_000)  # 1.5 × 2 340 000
    assert rows["A Bốn Lăm"] == (45, BATCH, None)
    assert rows["B Bốn Mươi"] == (40, BATCH, 4_680_000)
    assert (found.total.total, found.total.uncosted) == (8_190_000, 1)
    assert {s.name: s.count for s in found.by_cell.values()} == {"Chi bộ A": 2, "Chi bộ B": 1}
    page = response.content.decode()
    assert "A Ba Mươi" in page and "B Bốn Mươi" in page
    assert "cần mức tiền địa phương" in page.lower()
    assert 'id="uncosted"' in page


def test_the_secretary_sees_only_the_cell_members(as_user, world):
    _fixture(world)
    found = _budget(as_user(world.secretary_a), "CB-A").context["budget"]
    assert {line.member.person.full_name for line in found.lines} == {"A Ba Mươi", "A Bốn Lăm"}


def test_the_budget_says_nothing_of_money_without_members(as_user, world):
    page = _budget(as_user(world.office), "DU").content.decode()
    assert 'id="uncosted"' not in page and 'id="budget-lines"' not in page


def test_the_budget_xlsx(as_user, world):
    _fixture(world)
    response = _export(as_user(world.office), "DU")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[0] == "Họ và tên" and headers[-1] == "Tiền thưởng kèm theo"
    table = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert set(table) == {"A Ba Mươi", "A Bốn Lăm", "B Bốn Mươi"}
    assert table["A Ba Mươi"]["Tiền thưởng kèm theo"] == 3_510_000
    assert table["A Ba Mươi"]["Tuổi đảng"] == 30
    assert table["A Ba Mươi"]["Chi bộ"] == "Chi bộ A"
    assert table["A Bốn Lăm"]["Tiền thưởng kèm theo"] == "Cần mức tiền địa phương"
    assert table["A Ba Mươi"]["Đợt trao"].date() == BATCH


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_counts_do_not_grow_with_the_members_due(as_user, world):
    client = as_user(world.leader)
    factories.reaching(world, world.cell_a, "Người 0", 30, date(NEXT, 4, 1))

    def run():
        assert _budget(client, "DU").status_code == 200
        assert _export(client, "DU").status_code == 200

    one = _queries(run)
    for i in range(1, 20):
        cell = world.cell_a if i % 2 else world.cell_c
        member = factories.reaching(
            world, cell, f"Người {i}", (30, 40, 50)[i % 3], date(NEXT, 3 + i % 3, 1 + i)
        )
        if i % 4 == 0:
            factories.illness(world, member, today())
    assert _queries(run) == one
    assert len(_budget(client, "DU").context["budget"].lines) == 20
