"""The documents API: every endpoint with the personas (a cell secretary writes their cell's reports,
not another's), the register and its numbers, a draft's edits and its issue, the files, the report
as a background job, refusals (422) and stale versions (409) with nothing written, bounded queries."""

import io
from datetime import timedelta

import pytest

from dangvu.core import jobs as core_jobs
from dangvu.core import periods
from dangvu.core.api import API
from dangvu.core.models import Job, PersonalDataAccess
from dangvu.documents import jobs, rules, selectors
from dangvu.documents.choices import DocState, DocType
from dangvu.documents.models import Document
from dangvu.testing import api_headers, api_send, query_count

from .factories import badge_list, docx_lines, draft_of, issue, report_stub

pytestmark = pytest.mark.django_db
PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")
READERS_OF_A = {"office", "leader", "inspection", "secretary_a"}
READERS_OF_DU = {"office", "leader", "inspection"}
WRITERS_OF_A = {"office", "secretary_a"}
DOCX = selectors.MEDIA_TYPES["docx"]


@pytest.fixture
def setup(world):
    year = periods.today().year - 1
    return {
        "year": year,
        "a": draft_of(world, world.cell_a, year),
        "a_issue": draft_of(world, world.cell_a, year),
        "du": draft_of(world, world.root, year),
        "job": jobs.start_report_job(
            user=world.office, organization=world.root, year=year, kind="annual", fmt="docx"
        ),
    }


def _calls(setup) -> list[tuple[str, str, dict | None, set[str], int]]:
    year, a, a_issue, du, job = setup["year"], setup["a"], setup["a_issue"], setup["du"], setup["job"]
    report = {"year": year, "format": "docx"}
    return [
        ("get", f"{API}/documents?org=CB-A&year={year}", None, READERS_OF_A, 200),
        ("get", f"{API}/documents?org=DU", None, READERS_OF_DU, 200),
        ("get", f"{API}/documents/{a.pk}", None, READERS_OF_A, 200),
        ("get", f"{API}/documents/{du.pk}", None, READERS_OF_DU, 200),
        ("get", f"{API}/documents/{a.pk}/file?format=docx", None, READERS_OF_A, 200),
        ("get", f"{API}/documents/{du.pk}/file?format=docx", None, READERS_OF_DU, 200),
        ("patch", f"{API}/documents/{a.pk}", {"version": 1, "texts": {"0": "Đã sửa."}}, WRITERS_OF_A, 200),
        ("patch", f"{API}/documents/{du.pk}", {"version": 1, "texts": {"0": "Đã sửa."}}, {"office"}, 200),
        ("post", f"{API}/documents/{a_issue.pk}/issue", {"version": 1}, WRITERS_OF_A, 200),
        ("post", f"{API}/reports/annual/document", {"org": "CB-A", **report}, WRITERS_OF_A, 202),
        ("post", f"{API}/reports/midyear/document", {"org": "CB-A", **report}, WRITERS_OF_A, 202),
        ("post", f"{API}/reports/annual/document", {"org": "CB-B", **report}, {"office"}, 202),
        ("post", f"{API}/reports/annual/document", {"org": "DU", **report}, {"office"}, 202),
        ("get", f"{API}/jobs/{job.pk}", None, {"office"}, 200),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_with_every_persona(world, client, persona, setup):
    user = getattr(world, persona)
    headers = api_headers(user)
    for method, path, body, allowed, success in _calls(setup):
        response = api_send(client, method, path, body, headers)
        expected = success if persona in allowed else 404
        assert response.status_code == expected, (path, response.content[:300])
    writer_of_a = persona in WRITERS_OF_A
    a, du, a_issue = (Document.objects.get(pk=setup[k].pk) for k in ("a", "du", "a_issue"))
    assert (a.version, a.content["sections"][0]["text"] == "Đã sửa.") == (
        (2, True) if writer_of_a else (1, False)
    )
    assert du.version == (2 if persona == "office" else 1)
    assert a_issue.state == (DocState.ISSUED if writer_of_a else DocState.DRAFT)
    asked = Job.objects.filter(user=user).exclude(pk=setup["job"].pk)
    assert sorted(asked.values_list("params__code", flat=True)) == (
        ["CB-A", "CB-A", "CB-B", "DU"] if persona == "office" else ["CB-A", "CB-A"] if writer_of_a else []
    )


def test_a_cell_secretary_writes_their_cells_report_not_another_cells(world, client):
    secretary = api_headers(world.secretary_a)
    year = periods.today().year - 1
    own = api_send(client, "post", f"{API}/reports/annual/document", {"org": "CB-A", "year": year}, secretary)
    other = api_send(
        client, "post", f"{API}/reports/annual/document", {"org": "CB-B", "year": year}, secretary
    )
    above = api_send(client, "post", f"{API}/reports/annual/document", {"org": "DU", "year": year}, secretary)
    assert (own.status_code, other.status_code, above.status_code) == (202, 404, 404)
    assert Job.objects.get().params == {"code": "CB-A", "year": year, "kind": "annual", "format": "docx"}
    b_draft = draft_of(world, world.cell_b)
    for method, path, body in (
        ("get", f"{API}/documents/{b_draft.pk}", None),
        ("get", f"{API}/documents?org=CB-B", None),
        ("patch", f"{API}/documents/{b_draft.pk}", {"version": 1, "texts": {"0": "x"}}),
        ("post", f"{API}/documents/{b_draft.pk}/issue", {"version": 1}),
    ):
        assert api_send(client, method, path, body, secretary).status_code == 404, path
    assert Document.objects.get(pk=b_draft.pk).version == 1


def test_without_a_token_every_endpoint_answers_401_and_nothing_changes(world, client, setup):
    for method, path, body, _allowed, _success in _calls(setup):
        assert api_send(client, method, path, body, {}).status_code == 401, path
    assert Job.objects.count() == 1
    assert set(Document.objects.values_list("version", "state")) == {(1, DocState.DRAFT)}


def test_the_register_lists_an_issuers_documents_with_their_number_lines(world, client):
    office = api_headers(world.office)
    draft = draft_of(world, world.root, 2024)
    issued = draft_of(world, world.root, 2025)
    issue(world, issued, number=12)
    draft_of(world, world.root, 2025, DocType.INVITATION)
    draft_of(world, world.cell_a, 2025)  # another issuer's register
    body = client.get(f"{API}/documents?org=DU&type=annual_report", headers=office).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["id"], first["number"], first["number_line"], first["state"]) == (
        issued.pk,
        12,
        "Số 12-BC/ĐU",
        "issued",
    )
    assert (first["issued_by"], first["created_by"], first["organization"]) == ("office", "office", "DU")
    assert second["id"] == draft.pk and second["number"] is None and second["issued_on"] is None
    assert second["number_line"] == rules.number_line(None, "BC", "ĐU")  # the number left blank
    assert second["urls"]["docx"] == f"{API}/documents/{draft.pk}/file?format=docx"
    assert second["urls"]["page"] == draft.get_absolute_url()
    assert len(second["content_sha256"]) == 64 and second["template_revision"]
    assert second["docx_sha256"] == second["pdf_sha256"] == ""
    assert client.get(f"{API}/documents?org=DU&year=2024", headers=office).json()["count"] == 1
    assert client.get(f"{API}/documents?org=DU&page_size=1&page=3", headers=office).json()["items"][0]["id"]
    cell = client.get(f"{API}/documents", headers=api_headers(world.secretary_a)).json()  # their only top
    assert [d["organization"] for d in cell["items"]] == ["CB-A"] and cell["items"][0][
        "number_line"
    ].endswith("/CB")


def test_the_register_costs_the_same_queries_for_one_document_or_many(world, client):
    office = api_headers(world.office)
    path = f"{API}/documents?org=DU"
    draft_of(world, world.root, 2019)
    client.get(path, headers=office)
    one = query_count(lambda: client.get(path, headers=office))
    assert client.get(path, headers=office).json()["count"] == 1
    for n in range(6):
        made = draft_of(world, world.root, 2020 + n)
        if n % 2:
            issue(world, made, number=n)
    client.get(path, headers=office)
    many = query_count(lambda: client.get(path, headers=office))
    assert client.get(path, headers=office).json()["count"] == 1 + 6
    assert one == many


def test_a_document_reads_with_its_sections_and_figures(world, client):
    document = draft_of(world, world.cell_a)
    body = client.get(f"{API}/documents/{document.pk}", headers=api_headers(world.secretary_a)).json()
    results, table = body["content"]["sections"]
    assert (results["index"], results["key"], results["editable"]) == (0, "results", True)
    assert results["text"] == "46 chi bộ hoàn thành tốt nhiệm vụ (78%)."
    assert (table["editable"], table["table"]["rows"], table["table"]["numbered"]) == (
        False,
        [["Kết nạp", "3/7"]],
        True,
    )
    assert body["content"]["type_name"] == "BÁO CÁO" and body["content"]["recipients"] == ["- Lưu Văn phòng."]
    assert body["figures"] == {"cells.total": 3, "development.admitted": 3}
    assert body["number_line"].endswith("-BC/CB") and body["version"] == 1


def test_the_office_edits_a_draft_and_a_stale_version_is_refused(world, client):
    office = api_headers(world.office)
    document = draft_of(world, world.root)
    path = f"{API}/documents/{document.pk}"
    body = {
        "version": 1,
        "texts": {"0": "Đảng bộ có 46 chi bộ.\n\n- Kết nạp 3/7 quần chúng."},
        "addressee": "Kính gửi: Ban Thường vụ",
    }
    edited = api_send(client, "patch", path, body, office)
    assert edited.status_code == 200
    assert edited.json()["content"]["sections"][0]["text"].startswith("Đảng bộ có 46 chi bộ.")
    assert (
        edited.json()["content"]["addressee"] == "Kính gửi: Ban Thường vụ" and edited.json()["version"] == 2
    )
    stale = api_send(client, "patch", path, {"version": 1, "texts": {"0": "Cũ."}}, office)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Document.objects.get(pk=document.pk).content["sections"][0]["text"].startswith("Đảng bộ có")


def test_the_recipients_are_edited_through_the_api(world, client):
    document = draft_of(world, world.cell_a)
    path = f"{API}/documents/{document.pk}"
    body = {"version": 1, "recipients": ["- Đảng ủy cơ sở,", "  Các chi bộ, ", "", "- Lưu VP."]}
    edited = api_send(client, "patch", path, body, api_headers(world.secretary_a))
    assert edited.status_code == 200, edited.content[:300]
    wanted = ["- Đảng ủy cơ sở,", "- Các chi bộ,", "- Lưu VP."]
    assert edited.json()["content"]["recipients"] == wanted
    assert Document.objects.get(pk=document.pk).content["recipients"] == wanted
    texts_only = api_send(
        client, "patch", path, {"version": 2, "texts": {"0": "x"}}, api_headers(world.office)
    )
    assert texts_only.json()["content"]["recipients"] == wanted  # left out: kept
    for persona in ("leader", "member_a", "stranger"):
        denied = api_send(
            client,
            "patch",
            path,
            {"version": 3, "recipients": ["- Ai."]},
            api_headers(getattr(world, persona)),
        )
        assert denied.status_code == 404
    too_many = api_send(
        client, "patch", path, {"version": 3, "recipients": ["x"] * 51}, api_headers(world.office)
    )
    assert too_many.status_code == 422
    assert Document.objects.get(pk=document.pk).content["recipients"] == wanted


def test_reading_a_badge_list_with_an_early_award_for_illness_is_logged(world, client):
    ill, plain = badge_list(world, early="gravely_ill"), badge_list(world, early="")
    secretary = api_headers(world.secretary_a)
    for document in (ill, plain):
        assert (
            client.get(f"{API}/documents/{document.pk}/file?format=docx", headers=secretary).status_code
            == 200
        )
        assert client.get(f"{API}/documents/{document.pk}", headers=secretary).status_code == 200
    logged = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "record", "path"))
    record = f"documents.Document:{ill.pk}"
    assert logged == [
        (world.secretary_a.pk, record, f"{API}/documents/{ill.pk}/file"),
        (world.secretary_a.pk, record, f"{API}/documents/{ill.pk}"),
    ]
    assert (
        client.get(f"{API}/documents/{ill.pk}/file", headers=api_headers(world.member_a)).status_code == 404
    )
    assert PersonalDataAccess.objects.count() == 2


def test_bad_edits_are_refused_with_a_message_and_nothing_changes(world, client):
    office = api_headers(world.office)
    document = draft_of(world, world.root)
    path = f"{API}/documents/{document.pk}"
    for body in (
        {"version": 1, "texts": {"1": "Bảng không sửa được."}},  # the figures' table
        {"version": 1, "texts": {"7": "Không có phần này."}},
        {"version": 1, "texts": {"-1": "x"}},
        {"version": 1, "texts": {"0": "x" * 20_001}},
        {"version": 1, "texts": {"một": "x"}},
        {"version": "một", "texts": {}},
        {"texts": {"0": "x"}},
        {"version": 1, "texts": ["x"]},
    ):
        answer = api_send(client, "patch", path, body, office)
        assert answer.status_code == 422, (body, answer.content[:200])
        assert answer.json()["detail"]
    refused = api_send(client, "patch", path, {"version": 1, "texts": {"1": "x"}}, office).json()
    assert "không" in refused["detail"].lower()  # the service's message, in Vietnamese
    assert Document.objects.get(pk=document.pk).version == 1


def test_issuing_through_the_api_gives_the_registers_next_numbers(world, client):
    office = api_headers(world.office)
    first, second, third = (draft_of(world, world.root) for _ in range(3))
    today = periods.today()
    one = api_send(client, "post", f"{API}/documents/{first.pk}/issue", {"version": 1}, office).json()
    assert (one["state"], one["number"], one["number_line"], one["issued_on"]) == (
        "issued",
        1,
        "Số 01-BC/ĐU",
        today.isoformat(),
    )
    assert len(one["docx_sha256"]) == 64 and len(one["pdf_sha256"]) == 64 and one["issued_by"] == "office"
    typed = api_send(
        client, "post", f"{API}/documents/{second.pk}/issue", {"version": 1, "number": 12}, office
    )
    assert typed.json()["number_line"] == "Số 12-BC/ĐU"
    taken = api_send(
        client, "post", f"{API}/documents/{third.pk}/issue", {"version": 1, "number": 12}, office
    )
    assert taken.status_code == 422 and "12-BC/ĐU" in taken.json()["detail"]
    stale = api_send(client, "post", f"{API}/documents/{third.pk}/issue", {"version": 7}, office)
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert Document.objects.get(pk=third.pk).state == DocState.DRAFT
    three = api_send(client, "post", f"{API}/documents/{third.pk}/issue", {"version": 1}, office).json()
    assert three["number"] == 13  # the register continues after the number typed
    again = api_send(client, "post", f"{API}/documents/{first.pk}/issue", {"version": 2}, office)
    assert again.status_code == 422 and again.json()["detail"]
    edit = api_send(
        client, "patch", f"{API}/documents/{first.pk}", {"version": 2, "texts": {"0": "x"}}, office
    )
    assert edit.status_code == 422  # an issued document is not edited


def test_bad_issue_input_is_a_422_never_a_500(world, client):
    office = api_headers(world.office)
    document = draft_of(world, world.root)
    path = f"{API}/documents/{document.pk}/issue"
    tomorrow = periods.today() + timedelta(days=1)

    for body in (
        {"version": 1, "number": 0},
        {"version": 1, "number": 100_000},
        {"version": 1, "number": 10**30},
        {"version": 1, "number": "mười"},
        {"version": 1, "issued_on": tomorrow.isoformat()},
        {"version": 1, "issued_on": "2026-13-01"},
        {},
    ):
        answer = api_send(client, "post", path, body, office)
        assert answer.status_code == 422, (body, answer.content[:200])
    assert Document.objects.get(pk=document.pk).state == DocState.DRAFT


def test_the_file_comes_in_the_format_asked_as_an_attachment(world, client):
    reader = api_headers(world.leader)
    document = draft_of(world, world.root)
    docx = client.get(f"{API}/documents/{document.pk}/file?format=docx", headers=reader)
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"] == f'attachment; filename="du-thao-bc-2025-{document.pk}.docx"'
    text = "\n".join(docx_lines(docx.content))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "46 chi bộ hoàn thành tốt nhiệm vụ (78%)." in text
    for bad in ("odt", "DOCX", "", "x" * 20):
        answer = client.get(f"{API}/documents/{document.pk}/file?format={bad}", headers=reader)
        assert answer.status_code == 422 and answer.json()["detail"], bad
    assert (
        client.get(f"{API}/documents/{document.pk + 99}/file?format=docx", headers=reader).status_code == 404
    )


def test_the_pdf_keeps_the_vietnamese_text(world, client):
    from pypdf import PdfReader

    document = draft_of(world, world.root)
    pdf = client.get(f"{API}/documents/{document.pk}/file?format=pdf", headers=api_headers(world.office))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('.pdf"')
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "hoàn thành tốt nhiệm vụ" in text


def test_report_input_is_checked(world, client):
    office = api_headers(world.office)
    path = f"{API}/reports/annual/document"
    next_year = periods.today().year + 1
    for body in (
        {"org": "DU", "year": 1800},
        {"org": "DU", "year": next_year},
        {"org": "DU", "year": 2025, "format": "odt"},
        {"org": "DU"},
    ):
        answer = api_send(client, "post", path, body, office)
        assert answer.status_code == 422, (body, answer.content[:200])
    assert api_send(client, "post", path, {"org": "KHONG-CO", "year": 2025}, office).status_code == 404
    assert not Job.objects.exists()
    implied = api_send(client, "post", path, {"year": 2025}, office)  # the office's only top organisation
    assert implied.status_code == 202 and Job.objects.get().params["code"] == "DU"


def test_the_report_job_writes_the_draft_and_shows_it_when_done(world, client, monkeypatch):
    monkeypatch.setattr(jobs, "report_draft", report_stub)
    secretary = api_headers(world.secretary_a)
    year = periods.today().year - 1
    started = api_send(
        client, "post", f"{API}/reports/annual/document", {"org": "CB-A", "year": year}, secretary
    )
    job = started.json()
    assert started.status_code == 202 and (job["status"], job["document"], job["file_url"]) == (
        "queued",
        None,
        None,
    )
    assert job["url"] == f"{API}/jobs/{job['id']}"
    core_jobs.run(job["id"])
    done = client.get(job["url"], headers=secretary).json()
    assert done["status"] == "done" and done["error"] == "" and done["file_url"]
    document = Document.objects.get(pk=done["document"])
    assert (document.organization, document.created_by, document.year) == (
        world.cell_a,
        world.secretary_a,
        year,
    )
    assert done["link"] == document.get_absolute_url() and job["link"] is None
    assert (
        client.get(job["url"], headers=api_headers(world.office)).status_code == 404
    )  # not the office's job
    assert client.get(f"{API}/documents/{document.pk}", headers=secretary).json()["state"] == "draft"


def test_the_real_annual_report_job_writes_a_draft(world, client):
    """The builder itself (documents.builders.annual), not a stand-in."""
    office = api_headers(world.office)
    year = periods.today().year - 1
    job = api_send(
        client, "post", f"{API}/reports/annual/document", {"org": "DU", "year": year}, office
    ).json()
    core_jobs.run(job["id"])
    done = client.get(job["url"], headers=office).json()
    assert done["status"] == "done", done["error"]
    document = Document.objects.get(pk=done["document"])
    assert document.doc_type == DocType.ANNUAL_REPORT and document.organization == world.root


def test_a_job_is_only_its_owners(world, client):
    job = jobs.start_report_job(
        user=world.leader, organization=world.root, year=2025, kind="annual", fmt="docx"
    )
    assert client.get(f"{API}/jobs/{job.pk}", headers=api_headers(world.leader)).json()["status"] == "queued"
    for persona in ("office", "secretary_a", "stranger"):
        assert (
            client.get(f"{API}/jobs/{job.pk}", headers=api_headers(getattr(world, persona))).status_code
            == 404
        )
    assert client.get(f"{API}/jobs/{job.pk + 1}", headers=api_headers(world.leader)).status_code == 404


def test_the_openapi_schema_lists_the_documents_api(world, client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/file",
        "/api/v1/documents/{document_id}/issue",
        "/api/v1/reports/annual/document",
        "/api/v1/reports/midyear/document",
        "/api/v1/jobs/{job_id}",
    ):
        assert path in paths, path
    file_ok = paths["/api/v1/documents/{document_id}/file"]["get"]["responses"]["200"]["content"]
    assert set(file_ok) == {DOCX, "application/pdf"}
    assert set(paths["/api/v1/documents/{document_id}"]["patch"]["responses"]) >= {"200", "404", "409", "422"}
