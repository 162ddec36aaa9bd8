"""The pipeline as XLSX and candidates from XLSX: what the workbook says to whom, formulas
neutralised, bounded queries; the import all or nothing with each problem by row and column, its
limits, and only for who keeps a cell."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.core import spreadsheets
from dangvu.core.periods import today
from dangvu.development import exports, imports, rules, services
from dangvu.development.choices import Paper, Step
from dangvu.development.models import Candidate, StepRecord
from dangvu.members.choices import Gender
from dangvu.testing import make_member

from .factories import advance, candidate, way

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
KEEPERS_OF_A = {"office", "secretary_a"}


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _day(value) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _export(client, code: str, everyone: bool = False):
    url = reverse("development:pipeline_export", args=[code])
    return client.get(url + ("?all=1" if everyone else ""))


# ------------------------------------------------------------------------------------ the export


@pytest.fixture
def pipeline(world):
    """CB-A: Bình at the class with a helper, An admitted (decision recorded, the ceremony now
    overdue), a candidate named like a formula just listed, Hà recognised; CB-B: Dũng listed."""
    at = way()
    helper = make_member(world.admin, world.cell_a, "Lê Văn Giúp")
    binh = services.candidate_add(
        actor=world.secretary_a,
        cell=world.cell_a,
        full_name="Trần Thị Bình",
        date_of_birth=date(at.listed.year - 22, 3, 4),
        listed_on=at.listed,
        helper=helper,
        occupation="Giáo viên",
    )
    advance(world, binh, Step.CLASS, at)
    an = advance(world, candidate(world, name="Nguyễn Văn An"), Step.DECISION, at)
    formula = candidate(world, name="=cmd")
    ha = advance(world, candidate(world, name="Phạm Thu Hà"), Step.RECOGNISED, at)
    dung = candidate(world, world.cell_b, name="Vũ Văn Dũng")
    return {"at": at, "binh": binh, "an": an, "formula": formula, "ha": ha, "dung": dung}


def test_the_pipeline_lists_each_candidate_with_steps_due_dates_and_papers(world, as_user, pipeline):
    at, an, binh = pipeline["at"], pipeline["an"], pipeline["binh"]
    book = _workbook(_export(as_user(world.office), "DU"))
    assert book.sheetnames == ["Quần chúng", "Hồ sơ"]
    sheet = book["Quần chúng"]
    rows = _table(sheet)
    # By given name (An, Bình, Dũng, then the formula); the recognised only with ?all=1.
    assert [r["Họ và tên"] for r in rows] == ["Nguyễn Văn An", "Trần Thị Bình", "Vũ Văn Dũng", "'=cmd"]
    first, second = rows[0], rows[1]
    assert first["Chi bộ"] == "Chi bộ A" and rows[2]["Chi bộ"] == "Chi bộ B"
    assert first["Bước hiện tại"] == exports.step_label(Step.DECISION)
    assert _day(first["Từ ngày"]) == at.steps[Step.DECISION]
    assert first["Bước tiếp theo"] == exports.step_label(Step.CEREMONY)
    assert first["Việc có thời hạn"] == exports.step_label(Step.CEREMONY)
    assert _day(first["Hạn"]) < today() and first["Quá hạn"] == "x"  # 30 working days, long past
    for step in (Step.CLASS, Step.PROCEDURE, Step.CELL_VOTE, Step.COMMITTEE_VOTE, Step.DECISION):
        assert _day(first[exports.step_label(step)]) == at.steps[step]
    assert _day(first[exports.step_label(Step.SYMPATHISER)]) == at.listed
    assert first[exports.step_label(Step.CEREMONY)] is None
    certificate = rules.certificate_valid_until(at.steps[Step.CLASS])
    assert _day(first["Giấy chứng nhận còn giá trị đến"]) == certificate
    # Bình awaits the cell's resolution while the certificate is valid; her helper is named.
    assert second["Đảng viên giúp đỡ"] == "Lê Văn Giúp" and second["Quá hạn"] is None
    assert second["Bước tiếp theo"] == exports.step_label(Step.PROCEDURE)
    assert second["Việc có thời hạn"] == exports.step_label(Step.CELL_VOTE)
    assert _day(second["Hạn"]) == certificate
    assert _day(second["Ngày sinh"]) == binh.date_of_birth
    # Real dates, shown dd/mm/yyyy.
    header = [c.value for c in sheet[1]]
    birth = sheet.cell(2, header.index("Ngày sinh") + 1)
    assert isinstance(birth.value, datetime) and birth.number_format == "DD/MM/YYYY"
    # The dossier: An's five papers, those valid 12 months with their last day.
    papers = _table(book["Hồ sơ"])
    assert {p["Họ và tên"] for p in papers} == {an.full_name}
    by_paper = {p["Giấy tờ"]: p for p in papers}
    assert set(by_paper) == {exports.paper_label(p) for p in Paper.values}
    made = at.steps[Step.PROCEDURE]
    assert _day(by_paper[exports.paper_label(Paper.COMMENTS)]["Ngày lập"]) == made
    assert _day(by_paper[exports.paper_label(Paper.COMMENTS)]["Còn giá trị đến"]) == rules.paper_valid_until(
        made
    )
    assert by_paper[exports.paper_label(Paper.APPLICATION)]["Còn giá trị đến"] is None


def test_all_adds_the_recognised_and_the_removed(world, as_user, pipeline):
    client = as_user(world.office)
    rows = _table(_workbook(_export(client, "CB-A", everyone=True))["Quần chúng"])
    ha = next(r for r in rows if r["Họ và tên"] == "Phạm Thu Hà")
    assert ha["Bước hiện tại"] == exports.step_label(Step.RECOGNISED)
    assert ha["Bước tiếp theo"] is None and ha["Hạn"] is None
    assert _day(ha[exports.step_label(Step.RECOGNISED)]) == pipeline["at"].steps[Step.RECOGNISED]
    assert len(rows) == 4


def test_a_formula_in_a_cell_is_written_as_text(world, as_user):
    candidate(world, name='=HYPERLINK("http://x")')
    candidate(world, name="@cmd")
    sheet = _workbook(_export(as_user(world.office), "CB-A"))["Quần chúng"]
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_downloads_the_pipeline_and_what_they_see(world, client, persona, pipeline):
    client.force_login(getattr(world, persona))
    response = _export(client, "CB-A")
    if persona not in READERS_OF_A:
        assert response.status_code == 404
        assert _export(client, "DU").status_code == 404
        return
    names = {r["Họ và tên"] for r in _table(_workbook(response)["Quần chúng"])}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình", "'=cmd"}
    whole = _export(client, "DU")
    if persona == "secretary_a":  # their cell's candidates only
        assert whole.status_code == 404
        assert _export(client, "CB-B").status_code == 404
    else:
        assert "Vũ Văn Dũng" in {r["Họ và tên"] for r in _table(_workbook(whole)["Quần chúng"])}


def test_the_export_costs_the_same_queries_for_one_candidate_and_thirty(world, as_user):
    client, counts = as_user(world.office), []
    at = way()
    for cell, size in ((world.cell_a, 1), (world.cell_b, 30)):
        for n in range(size):
            person = advance(world, candidate(world, cell, name=f"Nguyễn Văn Số {n}", at=at), Step.CLASS, at)
            services.paper_record(
                actor=world.office, candidate=person, paper=Paper.APPLICATION, made_on=today()
            )
        _export(client, cell.code)
        with CaptureQueriesContext(connection) as queries:
            book = _workbook(_export(client, cell.code))
        assert len(_table(book["Quần chúng"])) == size and len(_table(book["Hồ sơ"])) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------------------------ the import

HEADERS = [
    "Chi bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Nghề nghiệp",
    "Giáo dục phổ thông",
    "Ngày vào danh sách cảm tình Đảng",
    "Số nghị quyết",
    "Ngày cấp giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
]
CERTIFICATE = HEADERS[-1]


def xlsx(rows: list[list], headers: list | None = None, title: str | None = None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("quan-chung.xlsx", out.getvalue())


def _import_url(code: str) -> str:
    return reverse("development:candidates_import", args=[code])


def preview(client, upload, code: str = "CB-A"):
    response = client.post(_import_url(code), {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, previewed, code: str = "CB-A"):
    return client.post(_import_url(code), {"token": previewed.context["token"], "on_duplicate": "stop"})


def problems_of(response) -> dict[tuple[int, str], str]:
    return {(p.row, p.column): p.message for p in response.context["report"].problems}


def _dates():
    listed = today() - timedelta(days=90)
    return listed, listed + timedelta(days=30)


def test_the_template_round_trip_lists_the_candidates(world, as_user):
    client = as_user(world.secretary_a)
    template = client.get(reverse("development:candidates_import_template", args=["CB-A"]))
    book = _workbook(template)
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    assert book.sheetnames[1] == "Hướng dẫn"
    listed, certificate = _dates()
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the example row
    # As offices fill it: no cell (the page is the cell's), a name in capitals, dates as text.
    sheet.append(
        [None, "TRẦN THỊ MAI", "04/03/2001", "Nữ", "Kế toán", "12/12", f"{listed:%d/%m/%Y}", "07-NQ/CB"]
    )
    sheet.append([None, "Lê Văn Hùng", date(1999, 8, 9), "nam", None, None, listed, None, certificate])
    out = BytesIO()
    book.save(out)
    previewed = preview(client, SimpleUploadedFile("mau.xlsx", out.getvalue()))
    report = previewed.context["report"]
    assert (report.problems, report.created) == ([], 2)
    assert not Candidate.objects.exists()  # a preview writes nothing
    done = confirm(client, previewed)
    assert done.status_code == 302 and done["Location"] == reverse("development:candidates", args=["CB-A"])
    mai = Candidate.objects.get(full_name="Trần Thị Mai")
    assert (mai.cell, mai.date_of_birth, mai.gender, mai.step, mai.step_on) == (
        world.cell_a,
        date(2001, 3, 4),
        Gender.FEMALE,
        Step.SYMPATHISER,
        listed,
    )
    assert (mai.occupation, mai.general_education) == ("Kế toán", "12/12")
    assert mai.steps.get().document_number == "07-NQ/CB"
    hung = Candidate.objects.get(full_name="Lê Văn Hùng")
    assert (hung.step, hung.step_on, hung.gender) == (Step.CLASS, certificate, Gender.MALE)
    assert list(hung.steps.values_list("step", "date")) == [
        (Step.SYMPATHISER, listed),
        (Step.CLASS, certificate),
    ]


def test_the_office_imports_for_its_cells_by_code_or_name(world, as_user):
    client = as_user(world.office)
    listed, _certificate = _dates()
    rows = [
        ["CB-B", "Vũ Thị Lan", "01/02/2000", None, None, None, listed],
        ["chi bo c", "Đỗ Văn Nam", "01/02/1998", None, None, None, listed],
    ]
    previewed = preview(client, xlsx(rows, title="Danh sách quần chúng"), "DU")
    assert confirm(client, previewed, "DU").status_code == 302
    assert dict(Candidate.objects.values_list("full_name", "cell__code")) == {
        "Vũ Thị Lan": "CB-B",
        "Đỗ Văn Nam": "CB-C",
    }


def test_one_bad_row_refuses_the_whole_file_and_the_report_names_it(world, as_user):
    candidate(world, name="Ngô Văn Cũ", born=date(1990, 1, 1))
    client = as_user(world.secretary_a)
    listed, certificate = _dates()
    future = today() + timedelta(days=3)
    rows = [
        [None, "Trần Thị Mai", "04/03/2001", None, None, None, listed, None, certificate],  # fine
        [None, "Lê Văn Hùng", "31/02/1999", None, None, None, listed],  # no such day
        [None, "Phạm Văn Tới", "01/01/2000", None, None, None, future],  # listed in the future
        [None, "Hồ Thị Trẻ", listed, None, None, None, listed],  # born on the day of listing
        [None, "Ngô Văn Cũ", "01/01/1990", None, None, None, listed],  # already listed
        ["CB-B", "Đinh Văn Xa", "01/01/2000", None, None, None, listed],  # not the secretary's cell
        [None, "Mai Văn Sớm", "01/01/2000", None, None, None, listed, None, listed - timedelta(days=1)],
        [None, "Trần Thị Mai", "04/03/2001", None, None, None, listed],  # twice in the file
        [None, None, "01/01/2000", "khác", None, None, listed],  # no name; an unknown gender
    ]
    previewed = preview(client, xlsx(rows, title="Danh sách"))
    problems = problems_of(previewed)
    assert set(problems) == {
        (4, "Ngày sinh"),
        (5, "Ngày vào danh sách cảm tình Đảng"),
        (6, "Ngày sinh"),
        (7, "Họ và tên"),
        (8, "Chi bộ"),
        (9, CERTIFICATE),
        (10, "Họ và tên"),
        (11, "Họ và tên"),
        (11, "Giới tính"),
    }
    assert "31/02/1999" in problems[(4, "Ngày sinh")]
    assert "CB-B" in problems[(8, "Chi bộ")]
    assert "dòng 3" in problems[(10, "Họ và tên")]
    assert "Chi bộ A" in problems[(7, "Họ và tên")]
    assert "token" not in previewed.context or not previewed.context["report"].ok
    assert list(Candidate.objects.values_list("full_name", flat=True)) == ["Ngô Văn Cũ"]
    # Confirmed anyway (the token of a refused preview), nothing is written either.
    if "token" in previewed.context:
        again = confirm(client, previewed)
        assert again.status_code == 200 and not again.context["report"].ok
    assert Candidate.objects.count() == 1 and StepRecord.objects.count() == 1


def test_a_refusal_by_the_service_is_reported_on_its_row_and_rolls_back_the_rows_written(
    world, as_user, monkeypatch
):
    """The rows pass the checks; the service then refuses the second one (say, changed meanwhile):
    the first row, already written in the transaction, is rolled back too."""
    recorded = services.step_record

    def step_record(**kwargs):
        if kwargs["candidate"].full_name == "Lê Văn Hùng":
            raise ValidationError({"date": "Bị từ chối."})
        return recorded(**kwargs)

    monkeypatch.setattr(services, "step_record", step_record)
    client = as_user(world.secretary_a)
    listed, certificate = _dates()
    rows = [
        [None, "Trần Thị Mai", "04/03/2001", None, None, None, listed, None, certificate],
        [None, "Lê Văn Hùng", "01/01/1999", None, None, None, listed, None, certificate],
    ]
    for response in (preview(client, xlsx(rows)), preview(client, xlsx(rows))):
        assert problems_of(response) == {(3, CERTIFICATE): "Bị từ chối."}
    assert not Candidate.objects.exists() and not StepRecord.objects.exists()
    report = imports.run(
        xlsx(rows).file,
        imports.Plan(actor=world.secretary_a, organization=world.cell_a, cells=[world.cell_a]),
        dry_run=False,
    )
    assert not report.ok and report.created == 1  # the first row was written, then rolled back
    assert not Candidate.objects.exists() and not StepRecord.objects.exists()


def test_a_file_too_large_or_not_a_workbook_is_refused_with_a_message(world, as_user):
    client = as_user(world.secretary_a)
    fake = preview(client, SimpleUploadedFile("a.xlsx", b"=cmd|' /C calc'!A0"))
    assert "Excel" in str(fake.context["form"].errors["file"])
    big = b"PK\x03\x04" + b"0" * spreadsheets.MAX_BYTES
    large = preview(client, SimpleUploadedFile("lon.xlsx", big))
    assert "quá lớn" in str(large.context["form"].errors["file"])
    no_header = preview(client, xlsx([["x"]], headers=["Cột lạ"]))
    assert "Họ và tên" in str(no_header.context["form"].errors["file"])
    empty = preview(client, xlsx([]))
    assert list(problems_of(empty)) == [(1, "Họ và tên")]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_who_keeps_a_cell_may_import(world, client, persona):
    """The office keeps every cell of DU; the secretary of CB-A keeps CB-A only; the leader and the
    inspection commission read them and may not import."""
    client.force_login(getattr(world, persona))
    listed, _certificate = _dates()
    rows = [["CB-A", "Vũ Thị Lan", "01/02/2000", None, None, None, listed]]
    allowed = {"DU": {"office"}, "CB-A": KEEPERS_OF_A, "CB-B": {"office"}}
    for code, keepers in allowed.items():
        status = 200 if persona in keepers else 404
        assert client.get(_import_url(code)).status_code == status
        template = reverse("development:candidates_import_template", args=[code])
        assert client.get(template).status_code == status
        assert client.post(_import_url(code), {"file": xlsx(rows)}).status_code == status
    assert not Candidate.objects.exists()


def test_a_preview_is_confirmed_only_where_it_was_made(world, as_user):
    client = as_user(world.office)
    listed, _certificate = _dates()
    previewed = preview(client, xlsx([["CB-A", "Vũ Thị Lan", "01/02/2000", None, None, None, listed]]), "DU")
    assert confirm(client, previewed, "CB-B").status_code == 404
    assert not Candidate.objects.exists()
