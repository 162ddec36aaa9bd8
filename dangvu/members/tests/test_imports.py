"""The member import: forgiving of real files, strict about the rules, all or nothing."""

import unicodedata
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dangvu.core import spreadsheets
from dangvu.members import imports, selectors
from dangvu.members.models import Member, MembershipPeriod
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chi bộ",
    "Ngày quyết định kết nạp",
    "Ngày lễ kết nạp",
    "Ngày công nhận chính thức",
    "Số căn cước",
]


def _xlsx(rows, header=HEADER, title_rows=()) -> BytesIO:
    book = Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _good(i: int, cell="CB-A"):
    return [
        i,
        f"Nguyễn Văn Số {i}",
        date(1980, 1, 1),
        "Nam",
        cell,
        "01/03/2010",
        "20/03/2010",
        "25/03/2011",
        f"{1000000000 + i:012d}",
    ]


def _plan(world, **extra):
    return imports.Plan(actor=world.office, cells=[world.cell_a, world.cell_b, world.cell_c], **extra)


def test_a_good_file_creates_members_with_events_and_history(world):
    report = imports.run(_xlsx([_good(1), _good(2, "Chi bộ B")]), _plan(world), dry_run=False)
    assert report.ok and report.created == 2
    member = Member.objects.get(citizen_id="001000000001")
    assert member.person.organization == world.cell_a and member.gender == "male"
    assert [e.kind for e in member.events.order_by("date")] == [
        "admission_decision",
        "ceremony",
        "recognition",
    ]
    created = member.history.get()
    assert (created.history_user, created.history_type) == (world.office, "+")
    assert (created.citizen_id, created.person_id) == (member.citizen_id, member.person_id)
    assert member.person.history.get().full_name == member.person.full_name
    assert MembershipPeriod.objects.get(member=member).official_on == date(2011, 3, 20)
    assert Member.objects.get(citizen_id="001000000002").person.organization == world.cell_b


def test_a_preview_writes_nothing(world):
    report = imports.run(_xlsx([_good(1)]), _plan(world), dry_run=True)
    assert report.ok and report.created == 1 and not Member.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ([1, "", date(1980, 1, 1), "Nam", "CB-A"], "Họ và tên", "bắt buộc"),
        ([1, "Lê Văn A", "31/02/1980", "Nam", "CB-A"], "Ngày sinh", "không phải là ngày"),
        ([1, "Lê Văn A", date(1980, 1, 1), "Không rõ", "CB-A"], "Giới tính", "Nam"),
        ([1, "Lê Văn A", date(1980, 1, 1), "Nam", "CB-Z"], "Chi bộ", "CB-Z"),
        ([1, "Lê Văn A", date(1980, 1, 1), "Nam", "CB-A", "", "", "", "12345"], "Số căn cước", "12"),
        (
            [1, "Lê Văn A", date(1980, 1, 1), "Nam", "CB-A", "01/05/2010", "01/04/2010"],
            "Ngày quyết định kết nạp",
            "lễ kết nạp",
        ),
    ],
)
def test_each_kind_of_bad_row_gets_its_message_and_nothing_is_written(world, row, column, fragment):
    report = imports.run(_xlsx([_good(7), row]), _plan(world), dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert fragment.lower() in report.problems[0].message.lower()
    assert not Member.objects.exists()


def test_a_cell_outside_the_users_cells_is_refused(world):
    plan = imports.Plan(actor=world.secretary_a, cells=[world.cell_a])
    report = imports.run(_xlsx([_good(1, "CB-B")]), plan, dry_run=False)
    assert report.problems and not Member.objects.exists()


def test_twenty_bad_rows_among_five_thousand_write_nothing_then_the_fixed_file_writes_all(world):
    bad = set(range(100, 5000, 245))  # 20 rows
    rows = [_good(i) if i not in bad else [i, f"Sai {i}", "không rõ", "Nam", "CB-A"] for i in range(5000)]
    report = imports.run(_xlsx(rows), _plan(world), dry_run=False)
    assert sorted(p.row for p in report.problems) == sorted(i + 2 for i in bad)
    assert not Member.objects.exists()
    fixed = imports.run(_xlsx([_good(i) for i in range(5000)]), _plan(world), dry_run=False)
    assert fixed.ok and fixed.created == 5000 and Member.objects.count() == 5000


def test_real_files_are_forgiven(world):
    decomposed = unicodedata.normalize("NFD", "Trần Thị Hằng")
    header = ["Số CCCD", "  HỌ TÊN ", "Ngày tháng năm sinh", "Tên chi bộ", "Ngày kết nạp"]
    rows = [["001000000009", "  " + decomposed.upper() + "  ", 29221.0, "chi bo a", "01-03-2010"]]
    title = [["ĐẢNG BỘ THỬ NGHIỆM"], ["DANH SÁCH ĐẢNG VIÊN"], []]
    report = imports.run(_xlsx(rows, header=header, title_rows=title), _plan(world), dry_run=False)
    assert report.ok, report.problems
    member = Member.objects.get()
    assert member.person.full_name == "Trần Thị Hằng"  # NFC, title case, single spaces
    assert member.person.full_name == unicodedata.normalize("NFC", member.person.full_name)
    assert member.person.date_of_birth == date(1980, 1, 1)  # an Excel serial
    assert member.first_decision_on == date(2010, 3, 1)


def test_a_file_saved_by_libreoffice_imports(world):
    report = imports.run(str(FIXTURES / "libreoffice.xlsx"), _plan(world), dry_run=False)
    assert report.ok and report.created == 2, report.problems
    assert set(Member.objects.values_list("person__full_name", flat=True)) == {"Phạm Thị Thu", "Đỗ Văn Hùng"}


def test_a_file_without_a_header_is_refused_clearly(world):
    with pytest.raises(spreadsheets.SpreadsheetError, match="tiêu đề|header"):
        imports.run(_xlsx([["a", "b"]], header=["x", "y"]), _plan(world), dry_run=False)


def test_not_an_xlsx_is_refused():
    fake = BytesIO(b"PK\x03\x04 not really a zip")
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.check_xlsx(fake, size=40)
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.check_xlsx(BytesIO(b"Ho ten;Ngay sinh"), size=20)
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.check_xlsx(BytesIO(b"PK\x03\x04"), size=spreadsheets.MAX_BYTES + 1)


def test_duplicates_inside_the_file_are_reported(world):
    report = imports.run(_xlsx([_good(1), _good(1)]), _plan(world), dry_run=False)
    assert [p.row for p in report.problems] == [3] and "2" in report.problems[0].message
    assert not Member.objects.exists()


def test_duplicates_of_recorded_members_follow_the_users_choice(world):
    make_member(
        world.office,
        world.cell_a,
        "Nguyễn Văn Số 1",
        born=date(1980, 1, 1),
        citizen_id="001000000001",
        hometown="Huế",
    )
    stop = imports.run(_xlsx([_good(1), _good(2)]), _plan(world), dry_run=False)
    assert not stop.ok and stop.duplicates[0]["matched_by"] == "citizen_id"
    assert Member.objects.count() == 1
    skip = imports.run(_xlsx([_good(1), _good(2)]), _plan(world, on_duplicate="skip"), dry_run=False)
    assert (skip.ok, skip.skipped, skip.created, Member.objects.count()) == (True, 1, 1, 2)


def test_keep_both_only_for_namesakes_with_different_citizen_ids(world):
    make_member(
        world.office, world.cell_a, "Nguyễn Văn Số 5", born=date(1980, 1, 1), citizen_id="001000000099"
    )
    refused = imports.run(_xlsx([_good(5)]), _plan(world, decisions={2: "both"}), dry_run=False)
    assert refused.ok and refused.created == 1  # same name and birth date, other citizen ID
    again = imports.run(_xlsx([_good(5)]), _plan(world, decisions={2: "both"}), dry_run=False)
    assert not again.ok and Member.objects.count() == 2  # same citizen ID: never two records


def test_update_changes_only_what_differs_and_is_audited(world):
    member = make_member(
        world.office, world.cell_a, "Nguyễn Văn Số 1", born=date(1980, 1, 1), citizen_id="001000000001"
    )
    header = [*HEADER, "Quê quán"]
    report = imports.run(
        _xlsx([[*_good(1), "Nam Định"]], header=header), _plan(world, on_duplicate="update"), dry_run=False
    )
    assert report.updated == 1
    member.refresh_from_db()
    assert member.hometown == "Nam Định" and member.history.latest().history_user == world.office


def test_an_export_reimports_without_any_change(world):
    make_member(
        world.office,
        world.cell_a,
        "Nguyễn Thị An",
        citizen_id="001000000011",
        hometown="=cmd|' /C calc'!A0",
        gender="female",
        record_number="000001 HN",
    )
    make_member(world.office, world.cell_b, "Lê Văn Bình", citizen_id="001000000012", recognition=None)
    members = selectors.member_list(
        access_scope(world.office),
        world.root,
        selectors.MemberFilters(status="all"),
        on=date(2026, 1, 1),
        limit=100,
    )
    data = imports.export(
        Member.objects.filter(pk__in=[m.pk for m in members])
        .select_related("person", "person__organization")
        .prefetch_related("events"),
        with_sensitive=True,
    )
    sheet = load_workbook(BytesIO(data)).active
    assert any(str(c.value).startswith("'=") for row in sheet.iter_rows() for c in row)
    before = list(Member.objects.order_by("pk").values())
    report = imports.run(BytesIO(data), _plan(world, on_duplicate="update"), dry_run=False)
    assert report.ok and report.unchanged == 2 and report.updated == report.created == 0
    assert list(Member.objects.order_by("pk").values()) == before


def access_scope(user):
    from dangvu.core import access

    return access.scope_for(user)


def test_dates_are_read_from_every_form_real_files_use():
    assert spreadsheets.to_date(datetime(2020, 5, 1, 0, 0)) == date(2020, 5, 1)
    assert spreadsheets.to_date(43952) == date(2020, 5, 1)
    assert spreadsheets.to_date("1/5/2020") == date(2020, 5, 1)
    assert spreadsheets.to_date("01.05.2020") == date(2020, 5, 1)
    assert spreadsheets.to_date("2020-05-01") == date(2020, 5, 1)
    with pytest.raises(ValueError):
        spreadsheets.to_date("5/2020")


def test_a_secretary_cannot_reach_a_member_of_another_cell_through_an_import(world):
    make_member(world.office, world.cell_b, "Trần Văn Khác", citizen_id="001000000001", hometown="Huế")
    plan = imports.Plan(
        actor=world.secretary_a,
        cells=[world.cell_a],
        scope=access_scope(world.secretary_a),
        on_duplicate="update",
    )
    report = imports.run(_xlsx([_good(1)]), plan, dry_run=False)
    assert [p.column for p in report.problems] == ["Số căn cước"]
    assert "Trần Văn Khác" not in report.problems[0].message and not report.duplicates
    assert Member.objects.get(citizen_id="001000000001").person.full_name == "Trần Văn Khác"


def test_an_update_changes_only_the_columns_the_file_has(world):
    member = make_member(
        world.office, world.cell_a, "Nguyễn Văn Số 1", born=date(1980, 1, 1), citizen_id="001000000001"
    )
    header = ["Họ và tên", "Ngày sinh", "Chi bộ", "Quê quán"]
    report = imports.run(
        _xlsx([["Nguyễn Văn Số 1", date(1980, 1, 1), "CB-A", "Vinh"]], header),
        _plan(world, on_duplicate="update"),
        dry_run=False,
    )
    assert report.updated == 1
    member.refresh_from_db()
    assert (member.hometown, member.citizen_id) == ("Vinh", "001000000001")
