"""Attendance sheets and the cells' year as XLSX: what the workbooks say, formulas neutralised, who
may download them, and bounded queries."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.meetings.models import Session
from dangvu.testing import make_member, make_org

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_B = {"office", "leader", "inspection"}


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _table(sheet, header_row: int = 1) -> list[dict]:
    """The rows under the header row, as {header: value}."""
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


# ------------------------------------------------------------------------- the attendance sheet


@pytest.fixture
def marked(world):
    """CB-A's regular meeting today at a place written like a formula: An present, Bình excused
    (ill), a member named like a formula absent without a reason."""
    an = make_member(world.admin, world.cell_a, "Nguyễn Văn An", born=date(1980, 5, 1))
    binh = make_member(world.admin, world.cell_a, "Trần Thị Bình", born=date(1985, 2, 3))
    formula = make_member(world.admin, world.cell_a, "=cmd")
    session = make_session(world, world.cell_a, place='=HYPERLINK("http://x")', starts_at=None)
    mark_all(
        world,
        session,
        **{str(binh.person_id): Attendance.EXCUSED, str(formula.person_id): Attendance.UNEXCUSED},
    )
    return session, an, binh, formula


def test_the_attendance_sheet_has_the_heading_and_the_invitees_in_name_order(world, as_user, marked):
    session, an, binh, formula = marked
    book = _workbook(as_user(world.secretary_a).get(reverse("meetings:attendance_export", args=[session.pk])))
    sheet = book["Điểm danh"]
    heading = {row[0]: row[1] for row in sheet.iter_rows(max_row=6, values_only=True)}
    assert heading["Đơn vị tổ chức"] == "Chi bộ A"
    assert heading["Loại"] == "Sinh hoạt chi bộ thường kỳ hằng tháng"
    assert heading["Thời gian"] == f"{today():%d/%m/%Y}"
    assert heading["Có mặt"] == "1/3"
    assert sheet["A1"].value == f"Sinh hoạt chi bộ thường kỳ hằng tháng {today():%d/%m/%Y}"
    rows = _table(sheet, header_row=8)
    by_name = {row["Họ và tên"]: row for row in rows}
    assert [row["Họ và tên"] for row in rows if row["Họ và tên"] != "'=cmd"] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]
    assert [row["STT"] for row in rows] == [1, 2, 3]
    assert by_name["Nguyễn Văn An"]["Ngày sinh"] == datetime(1980, 5, 1)
    assert by_name["Nguyễn Văn An"]["Điểm danh"] == "Có mặt"
    assert (by_name["Trần Thị Bình"]["Điểm danh"], by_name["Trần Thị Bình"]["Lý do"]) == (
        "Vắng có lý do",
        "ốm",
    )
    assert by_name["'=cmd"]["Điểm danh"] == "Vắng không lý do"
    codes = {row["Họ và tên"]: row["Mã"] for row in rows}
    assert codes["Nguyễn Văn An"] == session.invitations.get(person=an.person).pk
    assert sheet.freeze_panes == "A9"


def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(world, as_user, marked):
    session = marked[0]
    book = _workbook(as_user(world.office).get(reverse("meetings:attendance_export", args=[session.pk])))
    sheet = book["Điểm danh"]
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.value for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert {c.data_type for c in texts} == {"s"}
    assert "'=cmd" in [c.value for c in texts]
    assert '\'=HYPERLINK("http://x")' in [c.value for c in texts]  # the place, in the heading


@pytest.mark.parametrize("persona", PERSONAS)
def test_whoever_sees_the_session_may_download_its_sheet(world, client, persona):
    members_of(world, world.cell_a, 1)
    members_of(world, world.cell_b, 1)
    session_a = make_session(world, world.cell_a)
    session_b = make_session(world, world.cell_b)
    client.force_login(getattr(world, persona))
    for session, readers in ((session_a, READERS_OF_A), (session_b, READERS_OF_B)):
        response = client.get(reverse("meetings:attendance_export", args=[session.pk]))
        assert response.status_code == (200 if persona in readers else 404), (persona, session.organization)


def test_a_deleted_or_unknown_session_has_no_sheet(world, as_user):
    session = make_session(world, world.cell_a)
    Session.objects.filter(pk=session.pk).update(deleted_at=datetime.now().astimezone())
    client = as_user(world.office)
    assert client.get(reverse("meetings:attendance_export", args=[session.pk])).status_code == 404
    assert client.get(reverse("meetings:attendance_export", args=[session.pk + 99])).status_code == 404


def test_the_sheet_costs_the_same_queries_for_one_invitee_and_many(world, as_user):
    client, counts = as_user(world.office), []
    for cell, size in ((world.cell_a, 1), (world.cell_b, 15)):
        members_of(world, cell, size)
        session = mark_all(world, make_session(world, cell))
        url = reverse("meetings:attendance_export", args=[session.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            book = _workbook(client.get(url))
        assert len(_table(book["Điểm danh"], header_row=8)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------------- the summary


@pytest.fixture
def last_year(world):
    """Last year (a whole past year, whatever today is): CB-A met regularly in January to March,
    where Bình was absent without a reason each time (flagged), and held one thematic meeting in
    February, Bình excused; CB-B met never. A resolution was set in March for the whole committee
    and studied in April by An and Dũng."""
    year = today().year - 1
    an = make_member(world.admin, world.cell_a, "Nguyễn Văn An")
    binh = make_member(world.admin, world.cell_a, "Trần Thị Bình")
    dung = make_member(world.admin, world.cell_b, "Phạm Văn Dũng")
    for month in (1, 2, 3):
        session = make_session(world, world.cell_a, held_on=date(year, month, 10))
        mark_all(world, session, **{str(binh.person_id): Attendance.UNEXCUSED})
    thematic = make_session(world, world.cell_a, SessionKind.THEMATIC, held_on=date(year, 2, 20))
    mark_all(world, thematic, **{str(binh.person_id): Attendance.EXCUSED})
    document = set_document(
        world, set_on=date(year, 3, 1), study_by=date(year, 6, 30), title="=Nghị quyết 57"
    )
    study = make_session(world, world.root, SessionKind.STUDY, held_on=date(year, 4, 5), documents=[document])
    mark_all(world, study, **{str(binh.person_id): Attendance.UNEXCUSED})
    return year, an, binh, dung


def test_the_summary_gives_each_cells_year_and_the_years_documents(world, as_user, last_year):
    year, an, binh, dung = last_year
    url = reverse("meetings:summary_export", args=["DU"]) + f"?nam={year}"
    book = _workbook(as_user(world.leader).get(url))
    assert book.sheetnames == ["Chi bộ", "Văn bản học tập"]
    cells = {row["Mã"]: row for row in _table(book["Chi bộ"])}
    assert list(cells) == ["CB-A", "CB-B", "CB-C"]
    a, b = cells["CB-A"], cells["CB-B"]
    assert (a["Số tháng đã sinh hoạt thường kỳ"], a["Số tháng phải sinh hoạt"]) == (3, 12)
    assert a["Tháng chưa sinh hoạt"] == "T4, T5, T6, T7, T8, T9, T10, T11, T12"
    assert a["Kỳ chưa sinh hoạt chuyên đề"] == "T4–T6, T7–T9, T10–T12"  # quarterly by default
    assert (a["Lượt có mặt"], a["Lượt được mời"], a["Tỷ lệ dự sinh hoạt (%)"]) == (4, 8, 50)
    assert a["Đảng viên vắng không lý do 3 tháng trở lên"] == "Trần Thị Bình (T1, T2, T3)"
    assert (b["Số tháng đã sinh hoạt thường kỳ"], b["Tháng chưa sinh hoạt"]) == (
        0,
        ", ".join(f"T{m}" for m in range(1, 13)),
    )
    assert (b["Tỷ lệ dự sinh hoạt (%)"], b["Đảng viên vắng không lý do 3 tháng trở lên"]) == (None, None)
    (document,) = _table(book["Văn bản học tập"])
    assert document["Trích yếu"] == "'=Nghị quyết 57"  # neutralised
    assert (document["Ngày giao"], document["Hạn học tập"]) == (datetime(year, 3, 1), datetime(year, 6, 30))
    assert (document["Số đảng viên phải học"], document["Số đã học"], document["Số chưa học"]) == (3, 2, 1)
    assert document["Tỷ lệ đã học (%)"] == 67


def test_a_cells_secretary_gets_their_cell_only(world, as_user, last_year):
    year = last_year[0]
    client = as_user(world.secretary_a)
    book = _workbook(client.get(reverse("meetings:summary_export", args=["CB-A"]) + f"?nam={year}"))
    assert [row["Mã"] for row in _table(book["Chi bộ"])] == ["CB-A"]
    (document,) = _table(book["Văn bản học tập"])  # set by the committee for the cell
    assert (document["Số đảng viên phải học"], document["Số đã học"]) == (2, 1)
    assert client.get(reverse("meetings:summary_export", args=["DU"])).status_code == 404
    assert client.get(reverse("meetings:summary_export", args=["CB-B"])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_whoever_sees_the_organisation_may_download_its_summary(world, client, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("meetings:summary_export", args=["DU"]))
    assert response.status_code == (200 if persona in READERS_OF_B else 404)


@pytest.mark.parametrize("year", ["abc", "20255", "1800", "-1", "２０２５"])
def test_a_bad_year_gives_this_years_file_as_the_page_does(world, as_user, year):
    # core.periods.year_param: a value that is not a year is never an error, on the page or here.
    response = as_user(world.office).get(reverse("meetings:summary_export", args=["DU"]), {"nam": year})
    assert response.status_code == 200
    assert f"tong-hop-sinh-hoat-{today().year}-DU.xlsx" in response["Content-Disposition"]


def test_the_summary_defaults_to_this_year(world, as_user):
    response = as_user(world.office).get(reverse("meetings:summary_export", args=["DU"]))
    assert response["Content-Disposition"].endswith(f'tong-hop-sinh-hoat-{today().year}-DU.xlsx"')


def test_the_summary_costs_the_same_queries_for_one_cell_and_many(world, as_user):
    year = today().year - 1
    client, counts = as_user(world.office), []
    url = reverse("meetings:summary_export", args=["DBBP"]) + f"?nam={year}"
    for round_ in (1, 2):
        cells = (
            [world.cell_c]
            if round_ == 1
            else [make_org(world.admin, f"CB-P{n}", parent=world.partial) for n in range(3)]
        )
        for cell in cells:
            make_member(world.admin, cell, f"Đảng viên {cell.code}")
            mark_all(world, make_session(world, cell, held_on=date(year, 5, 5)), Attendance.UNEXCUSED)
            document = set_document(
                world,
                organization=world.partial,
                set_on=date(year, 1, 2) + timedelta(days=len(counts)),
                study_by=date(year, 9, 1),
                title=f"Văn bản {cell.code}",
            )
            mark_all(
                world,
                make_session(world, cell, SessionKind.STUDY, held_on=date(year, 6, 1), documents=[document]),
            )
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            book = _workbook(client.get(url))
        assert len(_table(book["Chi bộ"])) == (1 if round_ == 1 else 4)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_summary_counts_an_excused_absence_as_not_studied(world, as_user):
    year = today().year - 1
    (an,) = members_of(world, world.cell_b, 1)
    document = set_document(world, set_on=date(year, 2, 1), study_by=date(year, 3, 1))
    study = make_session(
        world, world.cell_b, SessionKind.STUDY, held_on=date(year, 2, 15), documents=[document]
    )
    services.attendance_mark(
        actor=world.office,
        session=study,
        marks=[services.Mark(study.invitations.get().pk, Attendance.EXCUSED, "công tác")],
        expected_version=study.version,
    )
    url = reverse("meetings:summary_export", args=["DU"]) + f"?nam={year}"
    (row,) = _table(_workbook(as_user(world.office).get(url))["Văn bản học tập"])
    assert (row["Số đảng viên phải học"], row["Số đã học"], row["Tỷ lệ đã học (%)"]) == (1, 0, 0)
