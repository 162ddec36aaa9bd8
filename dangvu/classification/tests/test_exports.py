"""The results lists as XLSX: what the workbook says, who gets which rows, and bounded queries."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.classification import services
from dangvu.classification.choices import Level
from dangvu.classification.models import MemberRating
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member

from .factories import decide_all, make_members, open_campaign, propose_all

pytestmark = pytest.mark.django_db


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


def _column(sheet, header: str) -> list:
    headers = [c.value for c in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in _rows(sheet)]


@pytest.fixture
def results(world):
    """Cell A: Bình and An proposed good and decided, Cường exempt (not reviewed); cell B: Dũng
    proposed excellent, not decided yet."""
    campaign = open_campaign(world)
    binh = make_member(world.admin, world.cell_a, "Trần Thị Bình", born=date(1985, 2, 3))
    an = make_member(world.admin, world.cell_a, "Nguyễn Văn An", born=date(1980, 5, 1))
    cuong = make_member(world.admin, world.cell_a, "Lê Văn Cường")
    member_services.event_add(
        actor=world.admin, member=cuong, kind=EventKind.EXEMPTION, date=date(2020, 1, 1)
    )
    make_member(world.admin, world.cell_b, "Phạm Văn Dũng")
    decide_all(world, campaign, propose_all(world, campaign, world.cell_a, Level.GOOD))
    propose_all(world, campaign, world.cell_b, Level.EXCELLENT)
    return campaign, an, binh


def test_the_office_gets_every_members_rating_sorted_by_cell_then_given_name(world, as_user, results):
    campaign, an, binh = results
    response = as_user(world.office).get(reverse("classification:export", args=[campaign.pk]))
    book = _workbook(response)
    assert book.sheetnames == ["Đảng viên", "Chi bộ"]
    sheet = book["Đảng viên"]
    assert [c.value for c in sheet[1]][:4] == ["STT", "Họ và tên", "Ngày sinh", "Chi bộ"]
    assert _column(sheet, "Họ và tên") == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng"]
    assert _column(sheet, "STT") == [1, 2, 3, 4]
    assert _column(sheet, "Chi bộ") == ["Chi bộ A", "Chi bộ A", "Chi bộ A", "Chi bộ B"]
    assert sheet["C2"].value == datetime(1980, 5, 1) and sheet["C2"].number_format == "DD/MM/YYYY"
    assert _column(sheet, "Được đánh giá") == ["x", "x", None, "x"]
    assert _column(sheet, "Lý do không đánh giá")[2] == "Được miễn công tác và sinh hoạt đảng"
    assert _column(sheet, "Tự xếp loại")[:2] == ["Hoàn thành tốt nhiệm vụ"] * 2
    assert _column(sheet, "Ghi thay")[:2] == ["x", "x"]  # recorded by the secretary for them
    assert _column(sheet, "Điểm tự chấm")[:2] == [80, 80]
    assert _column(sheet, "Chi bộ đề xuất") == [
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        None,
        "Hoàn thành xuất sắc nhiệm vụ",
    ]
    assert _column(sheet, "Quyết định") == ["Hoàn thành tốt nhiệm vụ", "Hoàn thành tốt nhiệm vụ", None, None]
    decided_on = MemberRating.objects.get(member=an).decided_on
    assert _column(sheet, "Ngày quyết định")[0] == datetime.combine(decided_on, datetime.min.time())


def test_the_cells_sheet_counts_each_level_and_the_cells_own_rating(world, as_user, results):
    campaign, _an, _binh = results
    rating = services.cell_self_assess(
        actor=world.secretary_a,
        campaign=campaign,
        cell=world.cell_a,
        score=Decimal(92),
        level=Level.EXCELLENT,
    )
    services.cell_decide(
        actor=world.office,
        rating=rating,
        level=Level.EXCELLENT,
        expected_version=rating.version,
        exemplary=True,
        override_reason="Thành tích nổi bật, cấp ủy cho phép vượt tỉ lệ",  # the only cell rated
    )
    sheet = _workbook(as_user(world.office).get(reverse("classification:export", args=[campaign.pk])))[
        "Chi bộ"
    ]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Mã", "Tên chi bộ", "Tự xếp loại", "Quyết định", "Tiêu biểu"]
    rows = {row[0]: dict(zip(headers, row, strict=True)) for row in _rows(sheet)}
    assert set(rows) == {"CB-A", "CB-B", "CB-C", None}  # every cell, and the total
    cell_a = rows["CB-A"]
    assert cell_a["Quyết định"] == "Hoàn thành xuất sắc nhiệm vụ" and cell_a["Tiêu biểu"] == "x"
    assert cell_a["Hoàn thành tốt nhiệm vụ"] == 2 and cell_a["Không đánh giá"] == 1
    assert rows["CB-B"]["Chưa quyết định"] == 1 and rows["CB-B"]["Quyết định"] is None
    total = rows[None]
    assert total["Tên chi bộ"] == "Tổng cộng"
    assert (total["Hoàn thành tốt nhiệm vụ"], total["Chưa quyết định"], total["Không đánh giá"]) == (2, 1, 1)


def test_a_secretary_gets_only_the_rows_of_their_cell(world, as_user, results):
    campaign, _an, _binh = results
    response = as_user(world.secretary_a).get(reverse("classification:export", args=[campaign.pk]))
    assert "CB-A" in response["Content-Disposition"]
    book = _workbook(response)
    assert _column(book["Đảng viên"], "Họ và tên") == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert [row[0] for row in _rows(book["Chi bộ"])] == ["CB-A", None]


@pytest.mark.parametrize("persona", ["leader", "inspection"])
def test_those_who_read_the_committee_get_the_whole_list(world, as_user, results, persona):
    campaign, _an, _binh = results
    response = as_user(getattr(world, persona)).get(reverse("classification:export", args=[campaign.pk]))
    assert len(_rows(_workbook(response)["Đảng viên"])) == 4


@pytest.mark.parametrize("persona", ["stranger", "member_a", "member_b"])
def test_others_get_not_found(world, as_user, results, persona):
    campaign, _an, _binh = results
    response = as_user(getattr(world, persona)).get(reverse("classification:export", args=[campaign.pk]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(world, client, results):
    campaign, _an, _binh = results
    response = client.get(reverse("classification:export", args=[campaign.pk]))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(world, as_user):
    campaign = open_campaign(world)
    member = make_member(world.admin, world.cell_a, "Nguyễn Văn An")
    services.member_propose(
        actor=world.secretary_a,
        campaign=campaign,
        cell=world.cell_a,
        proposals=[
            services.Proposal(
                member=member,
                level=Level.GOOD,
                score=Decimal(80),
                note='=HYPERLINK("http://x.example","bấm")',
                self_score=Decimal(80),
                self_level=Level.GOOD,
            )
        ],
    )
    sheet = _workbook(as_user(world.office).get(reverse("classification:export", args=[campaign.pk])))[
        "Đảng viên"
    ]
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Ghi chú") + 1)
    assert cell.value == '\'=HYPERLINK("http://x.example","bấm")' and cell.data_type == "s"


def _export_queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("classification:export", args=[campaign.pk])).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["office", "secretary_a"])
def test_the_export_makes_as_many_queries_for_one_member_as_for_many(world, as_user, persona):
    campaign = open_campaign(world)
    client = as_user(getattr(world, persona))
    make_members(world, world.cell_a, 1, prefix="Một")
    propose_all(world, campaign, world.cell_a, Level.GOOD)
    one = _export_queries(client, campaign)
    make_members(world, world.cell_a, 5, prefix="Nhiều")
    make_members(world, world.cell_b, 3)
    decide_all(world, campaign, propose_all(world, campaign, world.cell_b, Level.GOOD))
    propose_all(world, campaign, world.cell_a, Level.COMPLETED)
    assert _export_queries(client, campaign) == one
