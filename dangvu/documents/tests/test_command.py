"""`dangvu report annual|midyear --format docx|pdf`: the report written into the document register and
its file, as the system or as a login that may write it; the JSON contract unchanged."""

import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from dangvu.core import periods
from dangvu.core.audit import SYSTEM_USERNAME
from dangvu.documents import selectors
from dangvu.documents.builders import annual
from dangvu.documents.choices import DocState, DocType
from dangvu.documents.models import Document

from .factories import docx_lines, report_stub

pytestmark = pytest.mark.django_db


def report(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_annual_report_is_written_as_docx_and_kept_in_the_register(world, tmp_path):
    year = periods.today().year - 1
    target = tmp_path / "bao-cao.docx"
    out = report("annual", "--year", str(year), "--format", "docx", "--org", "DU", "--output", str(target))
    document = Document.objects.get()
    assert (document.organization, document.doc_type, document.year) == (
        world.root,
        DocType.ANNUAL_REPORT,
        year,
    )
    assert document.state == DocState.DRAFT and document.created_by.username == SYSTEM_USERNAME
    assert str(target) in out and f"#{document.pk}" in out
    text = "\n".join(docx_lines(target.read_bytes()))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BÁO CÁO" in text
    assert f"tổng kết công tác xây dựng Đảng năm {year}" in text


def test_the_report_as_pdf_keeps_its_diacritics(world, tmp_path):
    year = periods.today().year - 1
    target = tmp_path / "bao-cao.pdf"
    report("annual", "--year", str(year), "--format", "pdf", "--org", "DU", "--output", str(target))
    text = PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BÁO CÁO" in text
    assert "tổng kết công tác xây dựng Đảng" in text


def test_without_output_the_file_takes_its_own_name_here(world, tmp_path, monkeypatch):
    monkeypatch.setattr(annual, "report_draft", report_stub)
    monkeypatch.chdir(tmp_path)
    out = report("annual", "--year", "2025", "--format", "docx", "--org", "CB-A")
    document = Document.objects.get()
    written = tmp_path / selectors.file_name(document, "docx")
    assert written.exists() and str(written) in out
    assert "46 chi bộ hoàn thành tốt nhiệm vụ (78%)." in "\n".join(docx_lines(written.read_bytes()))
    folder = tmp_path / "van-ban"
    folder.mkdir()
    report("annual", "--year", "2025", "--format", "docx", "--org", "CB-A", "--output", str(folder))
    second = Document.objects.latest("pk")
    assert (folder / selectors.file_name(second, "docx")).exists()


def test_the_six_month_review_comes_as_a_file(world, tmp_path):
    year = periods.today().year - 1
    target = tmp_path / "so-ket.docx"
    report("midyear", "--year", str(year), "--org", "DU", "--output", str(target))  # docx by default
    assert Document.objects.get().doc_type == DocType.MIDYEAR_REPORT
    assert "sơ kết công tác xây dựng Đảng 6 tháng đầu năm" in "\n".join(docx_lines(target.read_bytes()))
    with pytest.raises(CommandError, match="docx"):
        report("midyear", "--year", str(year), "--org", "DU", "--format", "json")


def test_a_cell_secretary_writes_their_cells_report_not_another_cells(world, tmp_path, monkeypatch):
    monkeypatch.setattr(annual, "report_draft", report_stub)
    target = tmp_path / "cb-a.docx"
    report("annual", "--year", "2025", "--format", "docx", "--user", "secretary_a", "--output", str(target))
    document = Document.objects.get()
    assert (document.organization, document.created_by) == (world.cell_a, world.secretary_a)
    for org, user in (("CB-B", "secretary_a"), ("DU", "secretary_a"), ("DU", "leader"), ("CB-A", "member_a")):
        with pytest.raises(CommandError) as refused:
            report("annual", "--year", "2025", "--format", "pdf", "--org", org, "--user", user)
        assert "Không" in str(refused.value) or "không" in str(refused.value)
    with pytest.raises(CommandError, match="Không có tài khoản"):
        report("annual", "--year", "2025", "--format", "docx", "--user", "ai-do")
    assert Document.objects.count() == 1


def test_an_unwritable_path_is_a_clear_error_and_leaves_no_draft(world, tmp_path, monkeypatch):
    monkeypatch.setattr(annual, "report_draft", report_stub)
    missing = tmp_path / "khong-co" / "bc.docx"
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        report("annual", "--year", "2025", "--format", "docx", "--org", "DU", "--output", str(missing))
    assert not Document.objects.exists()


def test_bad_arguments_are_refused(world, tmp_path):
    next_year = str(periods.today().year + 1)
    for args in (
        ("--year", next_year, "--format", "docx"),
        ("--year", "1800", "--format", "docx"),
        ("--year", "2025", "--format", "docx", "--as-of", "2025-06-30"),
        ("--year", "2025", "--format", "pdf", "--org", "KHONG-CO"),
    ):
        with pytest.raises(CommandError):
            report("annual", *args, "--output", str(tmp_path / "x.docx"))
    assert not Document.objects.exists()


def test_the_json_output_is_unchanged(world):
    year = periods.today().year - 1
    implicit = json.loads(report("annual", "--year", str(year), "--org", "DU"))
    explicit = json.loads(report("annual", "--year", str(year), "--org", "DU", "--format", "json"))
    assert implicit == explicit and implicit["organization"]["code"] == "DU" and "metrics" in implicit
    assert not Document.objects.exists()
