"""Organisations and seats in and out of Excel, and the import commands."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.members.models import Member
from dangvu.organization import imports
from dangvu.organization.models import CommitteeSeat, Organization, Person

pytestmark = pytest.mark.django_db


def _xlsx(header, rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


ORG_HEADER = ["Mã", "Tên tổ chức", "Loại", "Tổ chức cấp trên", "Hoạt động từ ngày"]


def _plan(world, **extra):
    orgs = list(Organization.objects.filter(path__startswith=world.root.path))
    return imports.Plan(actor=world.office, root=world.root, organizations=orgs, **extra)


def test_organisations_import_parents_first_whatever_the_row_order(world):
    rows = [
        ["CB-X1", "Chi bộ X1", "Chi bộ trực thuộc", "DBBP-X", "01/01/2020"],
        ["DBBP-X", "Đảng bộ bộ phận X", "đảng bộ bộ phận", "Đảng bộ Thử nghiệm", ""],
    ]
    report = imports.run_organizations(_xlsx(ORG_HEADER, rows), _plan(world), dry_run=False)
    assert report.ok and report.created == 2, report.problems
    child = Organization.objects.get(code="CB-X1")
    assert child.parent.code == "DBBP-X" and child.path.startswith(world.root.path)
    assert child.history.latest().history_user == world.office


def test_an_unknown_parent_or_kind_writes_nothing(world):
    rows = [
        ["CB-X1", "Chi bộ X1", "Chi bộ trực thuộc", "KHONG-CO", ""],
        ["CB-X2", "Chi bộ X2", "Loại lạ", "DU", ""],
        ["CB-X3", "Chi bộ X3", "Chi bộ trực thuộc", "DU", ""],
    ]
    report = imports.run_organizations(_xlsx(ORG_HEADER, rows), _plan(world), dry_run=False)
    assert sorted((p.row, p.column) for p in report.problems) == [(2, "Tổ chức cấp trên"), (3, "Loại")]
    assert not Organization.objects.filter(code__startswith="CB-X").exists()


def test_an_organisation_export_reimports_unchanged(world, as_user):
    response = as_user(world.office).get(reverse("organization:export", args=["DU"]))
    assert response.status_code == 200
    before = list(Organization.objects.order_by("pk").values())
    report = imports.run_organizations(
        BytesIO(response.content), _plan(world, on_duplicate="update"), dry_run=False
    )
    assert report.ok and report.unchanged == 5 and report.updated == report.created == 0
    assert list(Organization.objects.order_by("pk").values()) == before


def test_seats_import_finds_or_creates_the_people(world):
    header = ["Họ và tên", "Tổ chức", "Chức danh", "Nhiệm kỳ từ ngày", "Kiêm nhiệm"]
    rows = [
        ["Nguyễn Văn Bí Thư", "CB-A", "Ủy viên cấp ủy", "01/07/2025", "x"],
        ["Đào Thị Mới", "Chi bộ B", "Bí thư", "01/07/2025", ""],
    ]
    report = imports.run_seats(_xlsx(header, rows), _plan(world), dry_run=False)
    assert report.ok and report.created == 2, report.problems
    assert CommitteeSeat.objects.filter(person=world.secretary_a_person).count() == 2
    new = CommitteeSeat.objects.get(person__full_name="Đào Thị Mới")
    assert new.organization == world.cell_b and not new.part_time


def test_a_seat_for_an_ambiguous_name_is_refused(world):
    for _ in range(2):
        Person.objects.create(
            full_name="Lê Văn Trùng", sort_key="1", search_text="le van trung", organization=world.cell_b
        )
    header = ["Họ và tên", "Tổ chức", "Chức danh", "Nhiệm kỳ từ ngày"]
    report = imports.run_seats(
        _xlsx(header, [["Lê Văn Trùng", "CB-B", "Bí thư", "01/07/2025"]]), _plan(world), dry_run=False
    )
    assert [p.column for p in report.problems] == ["Họ và tên"]
    assert not CommitteeSeat.objects.filter(organization=world.cell_b).exists()


def test_seats_export_lists_the_subtree(world, as_user):
    response = as_user(world.secretary_a).get(reverse("organization:seats_export", args=["CB-A"]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn Bí Thư"]
    assert (
        as_user(world.secretary_a).get(reverse("organization:seats_export", args=["CB-B"])).status_code == 404
    )


@pytest.mark.parametrize("persona", ["leader", "inspection", "secretary_a", "member_a"])
def test_only_the_office_imports_organisations_and_seats(world, as_user, persona):
    client = as_user(getattr(world, persona))
    for name in ("organization:import", "organization:seats_import"):
        assert client.get(reverse(name, args=["CB-A"])).status_code == 404
    assert client.get(reverse("organization:import_template", args=["DU", "to-chuc"])).status_code == 404


def test_office_imports_organisations_from_the_page(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.office)
    url = reverse("organization:import", args=["DU"])
    upload = SimpleUploadedFile(
        "tc.xlsx", _xlsx(ORG_HEADER, [["CB-Y", "Chi bộ Y", "Chi bộ trực thuộc", "DU", ""]]).read()
    )
    preview = client.post(url, {"file": upload, "on_duplicate": "stop"})
    assert preview.context["report"].created == 1 and not Organization.objects.filter(code="CB-Y").exists()
    client.post(url, {"token": preview.context["token"], "on_duplicate": "stop"})
    assert Organization.objects.filter(code="CB-Y", parent=world.root).exists()


def test_import_members_command_dry_run_then_real(world, tmp_path):
    path = tmp_path / "dv.xlsx"
    path.write_bytes(
        _xlsx(["Họ và tên", "Ngày sinh", "Chi bộ"], [["Trần Văn Lệnh", date(1990, 1, 1), "CB-A"]]).read()
    )
    out = StringIO()
    call_command("import_members", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Sẽ tạo 1" in out.getvalue() and not Member.objects.exists()
    call_command("import_members", str(path), "--user", "office", stdout=StringIO(), stderr=StringIO())
    member = Member.objects.get()
    assert member.history.latest().history_user == world.office


def test_import_members_command_refuses_a_bad_file_and_writes_nothing(world, tmp_path):
    path = tmp_path / "dv.xlsx"
    path.write_bytes(
        _xlsx(["Họ và tên", "Ngày sinh", "Chi bộ"], [["Trần Văn Sai", "không rõ", "CB-A"]]).read()
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(path), stdout=out, stderr=StringIO())
    assert "Dòng 2" in out.getvalue() and not Member.objects.exists()


def test_a_new_installation_imports_its_tree_and_seats_from_the_command_line(db, tmp_path):
    orgs = tmp_path / "to-chuc.xlsx"
    orgs.write_bytes(
        _xlsx(
            ORG_HEADER,
            [
                ["CB-1", "Chi bộ Một", "Chi bộ trực thuộc", "DU-MOI", ""],
                ["DU-MOI", "Đảng bộ Mới", "Đảng bộ cơ sở", "", "01/01/2000"],
            ],
        ).read()
    )
    call_command("import_organizations", str(orgs), stdout=StringIO(), stderr=StringIO())
    assert Organization.objects.get(code="CB-1").parent.code == "DU-MOI"
    seats = tmp_path / "cap-uy.xlsx"
    seats.write_bytes(
        _xlsx(
            ["Họ và tên", "Tổ chức", "Chức danh", "Nhiệm kỳ từ ngày"],
            [["Lê Thị Một", "CB-1", "Bí thư", "01/07/2025"]],
        ).read()
    )
    call_command("import_seats", str(seats), stdout=StringIO(), stderr=StringIO())
    assert CommitteeSeat.objects.get().person.organization.code == "CB-1"


def test_an_import_command_outside_the_users_scope_is_a_clear_error(world, tmp_path):
    path = tmp_path / "tc.xlsx"
    path.write_bytes(_xlsx(ORG_HEADER, [["CB-Z", "Chi bộ Z", "Chi bộ trực thuộc", "CB-A", ""]]).read())
    with pytest.raises(CommandError, match="phạm vi"):
        call_command(
            "import_organizations",
            str(path),
            "--org",
            "DU",
            "--user",
            "secretary_a",
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_an_organisation_file_without_a_parent_column_is_refused_not_crashed(world):
    rows = [["CB-Q", "Chi bộ Q", "Chi bộ trực thuộc"]]
    report = imports.run_organizations(_xlsx(ORG_HEADER[:3], rows), _plan(world), dry_run=False)
    assert [p.column for p in report.problems] == ["Tổ chức cấp trên"]


def test_a_subtree_export_reimports_on_its_own_page(world, as_user):
    response = as_user(world.office).get(reverse("organization:export", args=["DBBP"]))
    orgs = list(Organization.objects.filter(path__startswith=world.partial.path))
    plan = imports.Plan(actor=world.office, root=world.partial, organizations=orgs, on_duplicate="update")
    report = imports.run_organizations(BytesIO(response.content), plan, dry_run=False)
    assert report.ok and report.unchanged == 2, report.problems


def test_an_export_made_in_english_imports_for_everyone(world, as_user):
    world.office.language = "en"
    world.office.save()
    response = as_user(world.office).get(reverse("organization:export", args=["DU"]))
    report = imports.run_organizations(
        BytesIO(response.content), _plan(world, on_duplicate="update"), dry_run=False
    )
    assert report.ok and report.unchanged == 5
