"""The year's work programme in and out of Excel: what the programme, plans and regulation workbooks
say to each persona, formulas neutralised, bounded queries; the year's programme imported from a
filled sheet, all or nothing, with every problem named by row and column, by whoever runs it."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.core import spreadsheets
from dangvu.core.periods import today
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, ItemState, NoteKind, RegulationKind, ReviewKind
from dangvu.programme.models import Item, Programme
from dangvu.testing import make_member

from . import factories as f

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")
READERS_OF_ROOT = {"office", "leader", "inspection"}
EXPORTS = ("programme:programme_export", "programme:plans_export", "programme:regulations_export")
YEAR = today().year


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _get(client, name: str, code: str, year: int = YEAR):
    return client.get(reverse(name, args=[code]) + f"?nam={year}")


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


# ------------------------------------------------------------------------------- the programme


@pytest.fixture
def programme(world):
    """DU's programme of the year: a thematic inspection of CB-A concluded with shortcomings and two
    remedial actions (CB-A's, CB-B's); an ongoing supervision of a CB-B member written like a
    formula; a cancelled item on CB-B. CB-A's own programme: its compliance inspection. Last year's
    DU programme: an item that is not this year's."""
    root = f.programme(world)
    binh = make_member(world.admin, world.cell_b, "Trần Thị Bình")
    on_a = f.item(
        world,
        root,
        ItemKind.THEMATIC_INSPECTION,
        subject_cell=world.cell_a,
        decision_number="05-QĐ/ĐU",
        responsible="Ủy ban kiểm tra",
    )
    on_a = f.conclude(
        world,
        on_a,
        actions=[
            f.action(world.cell_a, "Bổ sung sổ ghi biên bản"),
            f.action(world.cell_b, '=HYPERLINK("http://x")', due_in_days=40),
        ],
    )
    f.item(world, root, ItemKind.THEMATIC_SUPERVISION, subject_member=binh, content="=1+1")
    cancelled = f.item(world, root, ItemKind.COMPLIANCE, subject_cell=world.cell_b, content="Bỏ")
    services.item_move(
        actor=world.office, item=cancelled, to=ItemState.CANCELLED, expected_version=1, reason="Trùng lịch"
    )
    own = f.programme(world, world.cell_a)
    f.item(world, own, ItemKind.ONGOING_SUPERVISION, content="Giám sát thường xuyên đảng viên")
    past = f.programme(world, year=YEAR - 1)
    f.item(world, past, subject_cell=world.cell_a, content="Năm trước")
    return on_a


def test_the_programme_workbook_lists_the_year_s_items_and_their_remedial_actions(world, as_user, programme):
    book = _workbook(_get(as_user(world.inspection), "programme:programme_export", "DU"))
    items = _table(book["Kiểm tra, giám sát"])
    assert [row["Nội dung"] for row in items] == [
        "Kiểm tra việc chấp hành Điều lệ Đảng",
        "'=1+1",
        "Bỏ",
        "Giám sát thường xuyên đảng viên",
    ]
    first = items[0]
    assert first["Chương trình của"] == "Đảng bộ Thử nghiệm"
    assert first["Loại công việc"] == "Kiểm tra chuyên đề"
    assert first["Đối tượng"] == "Chi bộ A"
    assert (_day(first["Từ ngày"]), _day(first["Đến ngày"])) == (programme.starts_on, programme.ends_on)
    assert (first["Số quyết định, kế hoạch"], first["Người phụ trách"]) == ("05-QĐ/ĐU", "Ủy ban kiểm tra")
    assert (first["Tình trạng"], first["Kết quả"]) == ("Đã kết luận", "Có khuyết điểm")
    assert _day(first["Ngày kết luận"]) == programme.concluded_on
    assert first["Kết luận"] == "Chi bộ còn hạn chế trong sinh hoạt"
    assert items[1]["Đối tượng"] == "Trần Thị Bình"
    assert items[2]["Tình trạng"].endswith(": Trùng lịch")
    assert items[3]["Chương trình của"] == "Chi bộ A" and items[3]["Đối tượng"] is None
    assert book["Kiểm tra, giám sát"]["E2"].number_format == "DD/MM/YYYY"
    actions = _table(book["Việc khắc phục"])
    assert [(a["Việc khắc phục"], a["Đơn vị thực hiện"]) for a in actions] == [
        ("Bổ sung sổ ghi biên bản", "Chi bộ A"),
        ('\'=HYPERLINK("http://x")', "Chi bộ B"),
    ]
    assert actions[0]["Nội dung kiểm tra, giám sát"] == "Kiểm tra việc chấp hành Điều lệ Đảng"
    assert _day(actions[0]["Hạn"]) == today() + timedelta(days=30)


def test_a_cell_secretary_gets_only_what_concerns_their_cell(world, as_user, programme):
    client = as_user(world.secretary_a)
    book = _workbook(_get(client, "programme:programme_export", "CB-A"))
    assert [row["Nội dung"] for row in _table(book["Kiểm tra, giám sát"])] == [
        "Kiểm tra việc chấp hành Điều lệ Đảng",
        "Giám sát thường xuyên đảng viên",
    ]
    assert [a["Đơn vị thực hiện"] for a in _table(book["Việc khắc phục"])] == ["Chi bộ A"]
    last_year = _workbook(_get(client, "programme:programme_export", "CB-A", YEAR - 1))
    assert [row["Nội dung"] for row in _table(last_year["Kiểm tra, giám sát"])] == ["Năm trước"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_exports_of_the_committee_go_to_those_who_see_it(world, client, programme, persona):
    client.force_login(getattr(world, persona))
    for name in EXPORTS:
        response = _get(client, name, "DU")
        assert response.status_code == (200 if persona in READERS_OF_ROOT else 404), name
        of_cell_a = _get(client, name, "CB-A")
        assert of_cell_a.status_code == (200 if persona in READERS_OF_ROOT | {"secretary_a"} else 404)
        assert _get(client, name, "CB-B").status_code == (200 if persona in READERS_OF_ROOT else 404)


def test_the_exports_need_a_login(world, client):
    for name in EXPORTS:
        response = client.get(reverse(name, args=["DU"]))
        assert response.status_code == 302


def _count_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, name, "DU").status_code == 200
    return len(queries)


def test_the_programme_export_costs_the_same_for_one_item_and_thirty(world, as_user):
    client = as_user(world.office)
    root = f.programme(world)
    f.conclude(world, f.item(world, root, subject_cell=world.cell_a), actions=[f.action(world.cell_a)])
    few = _count_queries(client, "programme:programme_export")
    for n in range(29):
        member = make_member(world.admin, world.cell_b, f"Đảng viên Số {n}")
        item = f.item(world, root, ItemKind.THEMATIC_SUPERVISION, subject_member=member)
        f.conclude(world, item, actions=[f.action(world.cell_b), f.action(world.cell_a)])
    assert _count_queries(client, "programme:programme_export") == few


# ------------------------------------------------------------------------------ the action plans


@pytest.fixture
def plans(world):
    """DU's plan of the year with a task for CB-A and CB-B (CB-A proposes, answered; CB-B reports
    progress) and a task for CB-B alone; a plan without tasks; last year's plan."""
    plan = f.plan(world, number="09-KH/ĐU", adopted_on=date(YEAR, 1, 1))
    both = f.task(
        world,
        plan,
        cells=[world.cell_a, world.cell_b],
        what="Quán triệt nghị quyết",
        responsible="Ban Tuyên giáo",
    )
    note = f.note(world, both, text="=cmd|' /C calc'!A0")
    services.note_answer(
        actor=world.office, note=note, expected_version=note.version, answer="Đã cấp tài liệu"
    )
    f.note(world, both, NoteKind.PROGRESS, cell=world.cell_b, actor=world.office, text="Đã quán triệt")
    f.task(world, plan, cells=[world.cell_b], what="Sơ kết", due_on=today() + timedelta(days=20))
    f.plan(world, title="Kế hoạch chưa có nhiệm vụ", adopted_on=date(YEAR, 1, 1))
    f.plan(world, title="Kế hoạch năm trước", adopted_on=date(YEAR - 1, 6, 1))
    return plan


def test_the_plans_workbook_has_a_row_per_task_and_the_cells_notes(world, as_user, plans):
    book = _workbook(_get(as_user(world.leader), "programme:plans_export", "DU"))
    rows = _table(book["Kế hoạch"])
    assert [(r["Kế hoạch"], r["Nhiệm vụ"]) for r in rows] == [
        ("Kế hoạch thực hiện Nghị quyết", "Quán triệt nghị quyết"),
        ("Kế hoạch thực hiện Nghị quyết", "Sơ kết"),
        ("Kế hoạch chưa có nhiệm vụ", None),
    ]
    first = rows[0]
    assert (first["Số, ký hiệu"], _day(first["Ngày ban hành"])) == ("09-KH/ĐU", date(YEAR, 1, 1))
    assert (first["Người chịu trách nhiệm"], first["Chi bộ thực hiện"]) == (
        "Ban Tuyên giáo",
        "Chi bộ A, Chi bộ B",
    )
    assert _day(first["Hạn"]) == today() + timedelta(days=10)
    notes = _table(book["Báo cáo, kiến nghị"])
    assert [(n["Chi bộ"], n["Loại"], n["Nội dung"]) for n in notes] == [
        ("Chi bộ A", "Kiến nghị", "'=cmd|' /C calc'!A0"),
        ("Chi bộ B", "Báo cáo tiến độ", "Đã quán triệt"),
    ]
    assert (notes[0]["Trả lời"], _day(notes[0]["Ngày trả lời"])) == ("Đã cấp tài liệu", today())


def test_a_cell_secretary_gets_the_tasks_and_notes_of_their_cell(world, as_user, plans):
    book = _workbook(_get(as_user(world.secretary_a), "programme:plans_export", "CB-A"))
    assert [r["Nhiệm vụ"] for r in _table(book["Kế hoạch"])] == ["Quán triệt nghị quyết"]
    assert [n["Chi bộ"] for n in _table(book["Báo cáo, kiến nghị"])] == ["Chi bộ A"]


def test_the_plans_export_costs_the_same_for_one_plan_and_many(world, as_user):
    client = as_user(world.office)
    f.note(world, f.task(world, f.plan(world), cells=[world.cell_a]))
    few = _count_queries(client, "programme:plans_export")
    for n in range(10):
        plan = f.plan(world, title=f"Kế hoạch {n}")
        for cells in ([world.cell_a], [world.cell_b, world.cell_c]):
            f.note(world, f.task(world, plan, cells=cells), cell=cells[0], actor=world.office)
    assert _count_queries(client, "programme:plans_export") == few


# --------------------------------------------------------------------------- the regulation register


def test_the_register_lists_every_cell_and_those_not_reviewed(world, as_user):
    f.review(world, world.cell_a, date(YEAR, 1, 1), review=ReviewKind.AMENDED)
    services.regulation_review_record(
        actor=world.office,
        cell=world.cell_a,
        regulation=RegulationKind.COORDINATION,
        review=ReviewKind.ISSUED,
        reviewed_on=date(YEAR, 1, 1),
        document_number="=02-QC/CB",
    )
    f.review(world, world.cell_c, date(YEAR - 1, 12, 31))  # last year's: not this year's review
    book = _workbook(_get(as_user(world.office), "programme:regulations_export", "DU"))
    rows = {r["Mã"]: r for r in _table(book["Rà soát quy chế"])}
    assert list(rows) == ["CB-A", "CB-B", "CB-C"]
    a = rows["CB-A"]
    assert (a["Chi bộ"], a["Quy chế làm việc"], _day(a["Ngày (quy chế làm việc)"])) == (
        "Chi bộ A",
        "Sửa đổi, bổ sung",
        date(YEAR, 1, 1),
    )
    assert (a["Quy chế phối hợp"], a["Văn bản (quy chế phối hợp)"]) == ("Ban hành mới", "'=02-QC/CB")
    for code in ("CB-B", "CB-C"):
        assert rows[code]["Quy chế làm việc"] == rows[code]["Quy chế phối hợp"] == "Chưa rà soát"
        assert rows[code]["Ngày (quy chế làm việc)"] is None
    reviews = _table(book["Các lần rà soát"])
    assert [(r["Mã"], r["Quy chế"]) for r in reviews] == [
        ("CB-A", "Quy chế làm việc"),
        ("CB-A", "Quy chế phối hợp"),
    ]
    of_cell = _workbook(_get(as_user(world.secretary_a), "programme:regulations_export", "CB-A"))
    assert [r["Mã"] for r in _table(of_cell["Rà soát quy chế"])] == ["CB-A"]


def test_the_register_export_costs_the_same_for_one_review_and_many(world, as_user):
    client = as_user(world.office)
    f.review(world, world.cell_a)
    few = _count_queries(client, "programme:regulations_export")
    for cell in (world.cell_b, world.cell_c):
        f.review(world, cell)
        f.review(world, cell, regulation=RegulationKind.COORDINATION)
    assert _count_queries(client, "programme:regulations_export") == few


# ---------------------------------------------------------------------------------- the import

HEADERS = [
    "Loại công việc",
    "Mã chi bộ",
    "Số thẻ đảng viên",
    "Đảng viên",
    "Ngày sinh",
    "Nội dung",
    "Từ ngày",
    "Đến ngày",
    "Số quyết định, kế hoạch",
    "Người phụ trách",
]
START, END = f"01/01/{YEAR}", f"31/12/{YEAR}"


def xlsx(rows: list[list], headers=HEADERS, title: str | None = None) -> SimpleUploadedFile:
    """A workbook made in memory as an office would fill it: an optional title row, the header, rows."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("chuong-trinh.xlsx", out.getvalue())


def _import_url(code: str = "DU", year: int = YEAR) -> str:
    return reverse("programme:programme_import", args=[code]) + f"?nam={year}"


def preview(client, upload, code: str = "DU", year: int = YEAR):
    response = client.post(_import_url(code, year), {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, previewed, code: str = "DU", year: int = YEAR):
    return client.post(_import_url(code, year), {"token": previewed.context["token"]})


def problems_of(response) -> dict[tuple[int, str], str]:
    return {(p.row, p.column): p.message for p in response.context["report"].problems}


@pytest.fixture
def members(world):
    return {
        "an": make_member(world.admin, world.cell_a, "Nguyễn Văn An", card_number="01001"),
        "cuong": make_member(world.admin, world.cell_b, "Lê Văn Cường", born=date(1979, 1, 9)),
        "cuong2": make_member(world.admin, world.cell_b, "Lê Văn Cường", born=date(1990, 7, 7)),
    }


def test_the_template_goes_round_and_opens_the_year_s_programme(world, as_user, members):
    client = as_user(world.inspection)
    template = _workbook(
        client.get(reverse("programme:programme_import_template", args=["DU"]) + f"?nam={YEAR}")
    )
    sheet = template.worksheets[0]
    header, example = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    assert header == HEADERS
    assert example[0] == "Kiểm tra chuyên đề" and example[1] == "CB-A"
    rows = [list(example)]
    rows.append(
        [
            "Kiểm tra chấp hành",
            None,
            "01001",
            "Nguyễn Văn An",
            None,
            "Chấp hành Điều lệ",
            START,
            END,
            None,
            None,
        ]
    )
    rows.append(
        ["Giám sát chuyên đề", None, None, "LÊ VĂN CƯỜNG", "07/07/1990", "Tu dưỡng", START, END, None, None]
    )
    rows.append(
        ["Giám sát thường xuyên", None, None, None, None, "Toàn thể đảng viên", START, END, None, "Chi ủy"]
    )
    previewed = preview(client, xlsx(rows, header))
    assert previewed.context["report"].ok and previewed.context["report"].created == 4
    assert not Programme.objects.exists()  # a preview writes nothing
    done = confirm(client, previewed)
    assert done.status_code == 302
    programme = Programme.objects.get(organization=world.root, year=YEAR)
    items = list(programme.items.order_by("pk"))
    assert [(i.kind, i.subject_cell, i.subject_member) for i in items] == [
        (ItemKind.THEMATIC_INSPECTION, world.cell_a, None),
        (ItemKind.COMPLIANCE, None, members["an"]),
        (ItemKind.THEMATIC_SUPERVISION, None, members["cuong2"]),
        (ItemKind.ONGOING_SUPERVISION, None, None),
    ]
    assert (items[0].starts_on, items[0].ends_on) == (date(YEAR, 4, 1), date(YEAR, 4, 30))
    assert items[3].responsible == "Chi ủy" and items[0].history.first().history_user == world.inspection
    again = preview(client, xlsx(rows, header))  # the same file again: already in the programme
    assert again.context["report"].skipped == 4 and again.context["report"].created == 0


def test_one_bad_row_refuses_the_whole_sheet_and_the_report_names_it(world, as_user, members):
    f.programme(world)
    client = as_user(world.office)
    rows = [
        ["Kiểm tra chuyên đề", "CB-A", None, None, None, "Đúng", START, END, None, None],
        ["Kiểm tra lạ", "CB-Z", None, None, None, "Sai", "32/01/2020", END, None, None],
        ["Kiểm tra chuyên đề", None, "99999", None, None, "Thẻ lạ", START, END, None, None],
        ["Giám sát chuyên đề", None, None, "Lê Văn Cường", None, "Hai người", START, END, None, None],
        ["Kiểm tra chuyên đề", "CB-B", "01001", None, None, "Hai đối tượng", START, END, None, None],
        [
            "Kiểm tra chuyên đề",
            "CB-B",
            None,
            None,
            None,
            "Năm sau",
            f"01/01/{YEAR + 1}",
            f"02/01/{YEAR + 1}",
            None,
            None,
        ],
        [
            "Kiểm tra chuyên đề",
            "CB-B",
            None,
            None,
            None,
            "Ngược",
            f"02/01/{YEAR}",
            f"01/01/{YEAR}",
            None,
            None,
        ],
        ["Kiểm tra chuyên đề", "CB-A", None, None, None, "Đúng", START, END, None, None],
        ["Kiểm tra chuyên đề", None, None, None, None, "", START, END, None, None],
        ["Kiểm tra chuyên đề", "CB-A", None, None, None, "Dài", START, END, "1" * 65, None],
    ]
    response = preview(client, xlsx(rows))
    problems = problems_of(response)
    assert problems[(3, "Loại công việc")].startswith("“Kiểm tra lạ” không thuộc các giá trị")
    assert (3, "Mã chi bộ") in problems and (3, "Từ ngày") in problems
    assert "99999" in problems[(4, "Số thẻ đảng viên")]
    assert "ngày sinh" in problems[(5, "Đảng viên")]
    assert (6, "Mã chi bộ") in problems
    assert str(YEAR) in problems[(7, "Từ ngày")]
    assert (8, "Đến ngày") in problems
    assert problems[(9, "Nội dung")].startswith("Dòng 2 ")
    assert (10, "Nội dung") in problems and (10, "Mã chi bộ") not in problems
    assert problems[(11, "Số quyết định, kế hoạch")] == "Chỉ ghi tối đa 64 ký tự."
    assert (2, "Mã chi bộ") not in problems and (2, "Nội dung") not in problems
    assert "token" in response.context  # the page offers the corrected file, not a confirmation
    assert b'name="token"' not in response.content
    assert not Item.objects.exists()


def test_a_member_outside_the_organisation_reads_as_unknown(world, as_user, members):
    client = as_user(world.secretary_a)  # runs CB-A's own programme; Cường is CB-B's
    rows = [
        ["Giám sát chuyên đề", None, None, "Lê Văn Cường", "09/01/1979", "Tu dưỡng", START, END, None, None]
    ]
    problems = problems_of(preview(client, xlsx(rows), "CB-A"))
    assert list(problems) == [(2, "Đảng viên")]
    fine = [["Kiểm tra chấp hành", None, "01001", None, None, "Chấp hành", START, END, None, None]]
    assert confirm(client, preview(client, xlsx(fine), "CB-A"), "CB-A").status_code == 302
    assert Item.objects.get().programme.organization == world.cell_a


def test_a_file_too_large_or_not_a_workbook_is_refused_with_a_message(world, as_user):
    client = as_user(world.office)
    fake = preview(client, SimpleUploadedFile("a.xlsx", b"=cmd|' /C calc'!A0"))
    assert "Excel" in str(fake.context["form"].errors["file"])
    big = b"PK\x03\x04" + b"0" * spreadsheets.MAX_BYTES
    large = preview(client, SimpleUploadedFile("lon.xlsx", big))
    assert "quá lớn" in str(large.context["form"].errors["file"])
    no_header = preview(client, xlsx([["x"]], headers=["Cột lạ"]))
    assert "Loại công việc" in str(no_header.context["form"].errors["file"])
    assert not Programme.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_who_runs_the_programme_may_import(world, client, persona):
    """The office and the inspection commission run DU's programme; the leader sees it only; the
    secretary of CB-A runs their cell's own programme, not DU's."""
    client.force_login(getattr(world, persona))
    allowed = {"DU": {"office", "inspection"}, "CB-A": {"office", "inspection", "secretary_a"}}
    rows = [["Giám sát thường xuyên", None, None, None, None, "Toàn thể", START, END, None, None]]
    for code, runners in allowed.items():
        status = 200 if persona in runners else 404
        assert client.get(_import_url(code)).status_code == status
        template = reverse("programme:programme_import_template", args=[code])
        assert client.get(template).status_code == status
        assert client.post(_import_url(code), {"file": xlsx(rows)}).status_code == status
    assert not Programme.objects.exists()


def test_a_file_checked_for_one_year_is_not_confirmed_for_another(world, as_user):
    client = as_user(world.office)
    rows = [["Giám sát thường xuyên", None, None, None, None, "Toàn thể", START, END, None, None]]
    previewed = preview(client, xlsx(rows))
    assert confirm(client, previewed, year=YEAR + 1).status_code == 404
    assert not Programme.objects.exists()
    assert confirm(client, previewed).status_code == 302
    assert Programme.objects.get().year == YEAR
