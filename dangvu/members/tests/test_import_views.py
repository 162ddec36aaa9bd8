"""Import and export from the pages: upload, preview, confirm; export with the page's filters."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.members.models import Member
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db


def _upload(rows, name="ds.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Chi bộ", "Số căn cước"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_secretary_previews_then_confirms_an_import(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.secretary_a)
    url = reverse("members:import", args=["CB-A"])
    preview = client.post(
        url, {"file": _upload([["Lê Văn Mới", "01/01/1990", "CB-A", ""]]), "on_duplicate": "stop"}
    )
    assert preview.status_code == 200 and preview.context["report"].created == 1
    assert not Member.objects.exists()  # nothing written by the preview
    done = client.post(url, {"token": preview.context["token"], "on_duplicate": "stop"})
    assert done["Location"] == reverse("members:list", args=["CB-A"])
    assert Member.objects.get().person.full_name == "Lê Văn Mới"
    assert not list((tmp_path / "imports").iterdir())  # the upload is not kept


def test_a_duplicate_gets_a_choice_in_the_preview(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_member(world.office, world.cell_a, "Lê Văn Cũ", born=date(1990, 1, 1))
    client = as_user(world.office)
    url = reverse("members:import", args=["DU"])
    preview = client.post(
        url, {"file": _upload([["Lê Văn Cũ", "01/01/1990", "CB-A", ""]]), "on_duplicate": "stop"}
    )
    assert "dup-2" in preview.content.decode()
    client.post(url, {"token": preview.context["token"], "on_duplicate": "stop", "dup-2": "both"})
    assert Member.objects.filter(person__full_name="Lê Văn Cũ").count() == 2


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(world.office).post(
        reverse("members:import", args=["DU"]),
        {"file": SimpleUploadedFile("ds.xlsx", b"Ho ten,Ngay sinh\n"), "on_duplicate": "stop"},
    )
    assert response.status_code == 200 and "Excel" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "inspection", "member_a", "stranger"])
def test_only_record_keepers_import(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert client.get(reverse("members:import", args=["CB-A"])).status_code == 404
    assert client.get(reverse("members:import_template", args=["CB-A"])).status_code == 404


def test_another_users_upload_cannot_be_confirmed(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    preview = as_user(world.office).post(
        reverse("members:import", args=["DU"]),
        {"file": _upload([["Lê Văn Mới", "01/01/1990", "CB-A", ""]]), "on_duplicate": "stop"},
    )
    other = as_user(world.secretary_a)
    response = other.post(reverse("members:import", args=["CB-A"]), {"token": preview.context["token"]})
    assert response.status_code == 404 and not Member.objects.exists()


def test_the_template_explains_its_columns(world, as_user):
    response = as_user(world.office).get(reverse("members:import_template", args=["DU"]))
    book = load_workbook(BytesIO(response.content))
    assert book.worksheets[0]["B1"].value == "Ngày sinh"
    assert book.worksheets[1]["A1"].value == "Cột"


def test_export_keeps_the_filters_and_the_scope(world, as_user):
    make_member(world.office, world.cell_a, "Lê Văn Một", citizen_id="001000000001")
    make_member(world.office, world.cell_b, "Trần Văn Hai", citizen_id="001000000002")
    response = as_user(world.leader).get(reverse("members:list", args=["DU"]), {"q": "tran", "xuat": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Văn Hai"]
    assert "Số căn cước" not in [c.value for c in sheet[1]]  # a leader gets no citizen IDs
    secretary = as_user(world.secretary_a).get(reverse("members:list", args=["CB-A"]), {"xuat": "xlsx"})
    sheet = load_workbook(BytesIO(secretary.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Lê Văn Một"]
    assert "Số căn cước" in [c.value for c in sheet[1]]
    assert (
        as_user(world.secretary_a).get(reverse("members:list", args=["CB-B"]), {"xuat": "xlsx"}).status_code
        == 404
    )


def test_the_preview_counts_the_good_rows_even_when_others_are_wrong(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    preview = as_user(world.office).post(
        reverse("members:import", args=["DU"]),
        {
            "file": _upload(
                [["Lê Văn Đúng", "01/01/1990", "CB-A", ""], ["Lê Văn Sai", "31/02/1990", "CB-A", ""]]
            )
        },
    )
    report = preview.context["report"]
    assert (report.created, len(report.problems)) == (1, 1) and not Member.objects.exists()
