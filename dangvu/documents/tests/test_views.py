"""The pages of the document register: who reads and who writes (allowed and denied, by persona; a
cell secretary writes their cell's documents, not another's), the register and its filter, the
report asked for as a background job, a draft's text edited (stale refused, nothing lost), issued
with the next number (a typed one taken, a future date, bad numbers refused), downloaded, deleted,
the office's settings used by the next document; bounded queries."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import jobs as core_jobs
from dangvu.core.models import Job, PersonalDataAccess
from dangvu.core.periods import today
from dangvu.documents import jobs, selectors, services
from dangvu.documents.choices import DocState, DocType
from dangvu.documents.content import Content
from dangvu.documents.models import Document, DocumentSettings
from dangvu.testing import STALE, messages_of

from .factories import badge_list, docx_lines, issue, make_draft, report_stub

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr id="document-\d+"')


def _issue_post(client, document, **data):
    body = {"issued_on": today().strftime("%d/%m/%Y"), "number": "", "version": document.version, **data}
    return client.post(reverse("documents:issue", args=[document.pk]), body)


# ------------------------------------------------------------------------------------ the register


@pytest.mark.parametrize(
    ("persona", "code", "status", "writes", "manages"),
    [
        ("office", "DU", 200, True, True),
        ("office", "CB-A", 200, True, True),
        ("leader", "DU", 200, False, False),
        ("inspection", "DU", 200, False, False),
        ("secretary_a", "CB-A", 200, True, False),
        ("secretary_a", "CB-B", 404, False, False),
        ("secretary_a", "DU", 404, False, False),
        ("member_a", "CB-A", 404, False, False),
        ("stranger", "DU", 404, False, False),
    ],
)
def test_the_register_by_persona(world, as_user, persona, code, status, writes, manages):
    org = world.root if code == "DU" else world.cell_a if code == "CB-A" else world.cell_b
    make_draft(world.office, org, year=2025)
    response = as_user(getattr(world, persona)).get(reverse("documents:register", args=[code]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Báo cáo tổng kết năm 2025" in page and "Dự thảo" in page
        assert ('id="report-new"' in page) == writes
        assert ('id="document-settings"' in page) == manages


def test_anonymous_is_sent_to_the_login_page_from_every_page(world, client):
    document = make_draft(world.office, world.root)
    for method, url in [
        ("get", reverse("documents:register", args=["DU"])),
        ("get", reverse("documents:report_new", args=["DU"])),
        ("get", reverse("documents:settings", args=["DU"])),
        ("get", reverse("documents:detail", args=[document.pk])),
        ("post", reverse("documents:detail", args=[document.pk])),
        ("post", reverse("documents:issue", args=[document.pk])),
        ("post", reverse("documents:delete", args=[document.pk])),
        ("get", reverse("documents:download", args=[document.pk, "docx"])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next="), url


def test_the_register_lists_the_issuers_documents_newest_first_with_their_numbers(world, as_user):
    old = issue(world, make_draft(world.office, world.root, year=2024))
    make_draft(world.office, world.root, year=2025)
    make_draft(world.office, world.cell_a, year=2025)  # another issuer's register
    page = as_user(world.leader).get(reverse("documents:register", args=["DU"])).content.decode()
    assert page.index("Báo cáo tổng kết năm 2025") < page.index("Báo cáo tổng kết năm 2024")
    assert "01-BC/ĐU" in page and today().strftime("%d/%m/%Y") in page
    assert "Lê Thị Văn Phòng" in page and "Đã ban hành" in page
    assert len(ROW.findall(page)) == 2 and f'id="document-{old.pk}"' in page


def test_the_register_filters_by_year_and_kind_and_ignores_bad_values(world, as_user):
    make_draft(world.office, world.root, year=2024)
    make_draft(world.office, world.root, year=2025, doc_type=DocType.MINUTES)
    client = as_user(world.office)
    url = reverse("documents:register", args=["DU"])
    page = client.get(url, {"nam": "2024"}).content.decode()
    assert "năm 2024" in page and "năm 2025" not in page
    page = client.get(url, {"loai": DocType.MINUTES}).content.decode()
    assert "năm 2025" in page and "năm 2024" not in page
    for bad in ({"nam": "abc"}, {"nam": "²"}, {"nam": "99999999999"}, {"loai": "x"}, {"trang": "-1"}):
        response = client.get(url, bad)
        assert response.status_code == 200, bad
        page = response.content.decode()
        assert "năm 2024" in page and "năm 2025" in page, bad  # the bad value is not applied
    assert 'class="error"' in client.get(url, {"nam": "abc"}).content.decode()


def test_the_register_reads_in_a_bounded_number_of_queries(world, as_user):
    client = as_user(world.leader)
    url = reverse("documents:register", args=["DU"])
    issue(world, make_draft(world.office, world.root))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(6):
        make_draft(world.secretary_a, world.root)
    issue(world, make_draft(world.office, world.root))
    with CaptureQueriesContext(connection) as many:
        assert len(ROW.findall(client.get(url).content.decode())) == 8
    assert len(many) == len(one)


def test_the_organisations_page_links_to_its_register(world, as_user):
    page = as_user(world.leader).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert reverse("documents:register", args=["DU"]) in page


# --------------------------------------------------------------------------------- a new report


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-B", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("secretary_a", "DU", 404),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_report_form_by_persona(world, as_user, persona, code, status):
    client = as_user(getattr(world, persona))
    url = reverse("documents:report_new", args=[code])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert f'value="{today().year}"' in response.content.decode()
    else:
        posted = client.post(url, {"kind": "annual", "year": "2025", "fmt": "docx"})
        assert posted.status_code == 404 and not Job.objects.exists()


def test_a_cell_secretary_writes_their_cells_report_which_waits_as_a_draft(world, as_user, monkeypatch):
    monkeypatch.setattr(jobs, "report_draft", report_stub)
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("documents:report_new", args=["CB-A"]), {"kind": "midyear", "year": "2025", "fmt": "pdf"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert core_jobs.run(job.pk) == "done"
    job.refresh_from_db()
    document = Document.objects.get()
    assert document.organization == world.cell_a and document.doc_type == DocType.MIDYEAR_REPORT
    assert document.created_by == world.secretary_a and document.state == DocState.DRAFT
    assert job.result.name.endswith(".pdf") and job.result.read().startswith(b"%PDF")
    job_page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert reverse("documents:detail", args=[document.pk]) in job_page
    assert 'id="job-document"' in job_page and "Mở kết quả" in job_page
    register = client.get(reverse("documents:register", args=["CB-A"])).content.decode()
    assert document.title in register


def test_the_real_annual_builder_writes_the_draft_from_the_page(world, as_user):
    """Runs the builder of documents.builders.annual itself: a regression fails here."""
    client = as_user(world.office)
    client.post(
        reverse("documents:report_new", args=["DU"]), {"kind": "annual", "year": "2025", "fmt": "docx"}
    )
    job = Job.objects.get()
    core_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    document = Document.objects.get()
    assert document.doc_type == DocType.ANNUAL_REPORT and document.year == 2025
    assert any("BÁO CÁO" in line for line in docx_lines(job.result.read()))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "annual", "year": "abc", "fmt": "docx"},
        {"kind": "annual", "year": "²", "fmt": "docx"},
        {"kind": "annual", "year": "99999999999", "fmt": "docx"},
        {"kind": "annual", "year": "1900", "fmt": "docx"},
        {"kind": "weekly", "year": "2025", "fmt": "docx"},
        {"kind": "annual", "year": "2025", "fmt": "xls"},
        {},
    ],
)
def test_a_bad_report_form_is_refused_and_starts_nothing(world, as_user, data):
    response = as_user(world.office).post(reverse("documents:report_new", args=["DU"]), data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode() and not Job.objects.exists()


def test_a_report_for_a_year_not_begun_is_refused_and_starts_nothing(world, as_user):
    next_year = today().year + 1
    response = as_user(world.office).post(
        reverse("documents:report_new", args=["DU"]),
        {"kind": "annual", "year": str(next_year), "fmt": "docx"},
    )
    assert response.status_code == 400
    assert "Không thể viết báo cáo cho năm chưa bắt đầu." in response.content.decode()
    assert not Job.objects.exists()
    this_year = as_user(world.office).post(
        reverse("documents:report_new", args=["DU"]),
        {"kind": "midyear", "year": str(today().year), "fmt": "docx"},
    )
    assert this_year.status_code == 302 and Job.objects.count() == 1


# -------------------------------------------------------------------------------- one document


@pytest.mark.parametrize(
    ("persona", "code", "status", "edits"),
    [
        ("office", "DU", 200, True),
        ("office", "CB-B", 200, True),
        ("leader", "DU", 200, False),
        ("inspection", "DU", 200, False),
        ("secretary_a", "CB-A", 200, True),
        ("secretary_a", "CB-B", 404, False),
        ("member_a", "CB-A", 404, False),
        ("stranger", "DU", 404, False),
    ],
)
def test_a_document_by_persona(world, as_user, persona, code, status, edits):
    org = {"DU": world.root, "CB-A": world.cell_a, "CB-B": world.cell_b}[code]
    document = make_draft(world.office, org)
    response = as_user(getattr(world, persona)).get(reverse("documents:detail", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "46 chi bộ hoàn thành tốt nhiệm vụ (78%)." in page
        assert document.content_sha256 in page and document.template_revision in page
        assert reverse("documents:download", args=[document.pk, "docx"]) in page
        for form in ('id="draft-form"', 'id="issue-form"', 'id="delete-form"'):
            assert (form in page) == edits


def test_the_document_shows_the_figures_it_was_written_from(world, as_user):
    document = make_draft(world.office, world.root)
    page = as_user(world.leader).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Số liệu dùng để viết văn bản" in page
    assert 'data-key="classification.cells.good_pct">78% (46/59)' in page


def test_the_figures_are_written_as_the_documents_write_them(world, as_user):
    document = make_draft(world.office, world.root)
    Document.objects.filter(pk=document.pk).update(
        figures={
            "metrics": {
                "development.admitted_pct": {"numerator": 1650, "denominator": 1850, "value": 89.19},
                "members.total": {"value": 1850},
                "classification.cells.good_pct": {"value": 86.3, "numerator": 46, "denominator": 59},
            }
        }
    )
    page = as_user(world.leader).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "(1.650/1.850)" in page and "(1650/1850)" not in page
    assert 'data-key="members.total">1.850<' in page
    assert 'data-key="classification.cells.good_pct">86,3% (46/59)<' in page


def test_an_issued_documents_page_shows_its_number_line(world, as_user):
    document = issue(world, make_draft(world.office, world.root))
    page = as_user(world.leader).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'id="document-number">Số 01-BC/ĐU' in page


def test_a_missing_document_is_404(world, as_user):
    assert as_user(world.office).get(reverse("documents:detail", args=[999_999])).status_code == 404


def _edit(client, document, version=None, **texts):
    body = {
        "version": document.version if version is None else version,
        "addressee": "Kính gửi: Ban Thường vụ Đảng ủy",
        "section_0": "Kết quả đã sửa.",
        "section_1": "Hạn chế đã sửa.",
        **texts,
    }
    return client.post(reverse("documents:detail", args=[document.pk]), body)


def test_the_writer_edits_the_drafts_text(world, as_user):
    document = make_draft(world.secretary_a, world.cell_a)
    response = _edit(as_user(world.secretary_a), document)
    assert response.status_code == 302
    document.refresh_from_db()
    content = Content.from_json(document.content)
    assert [s.text for s in content.sections[:2]] == ["Kết quả đã sửa.", "Hạn chế đã sửa."]
    assert content.sections[2].text == "Bảng số liệu"  # not editable: kept
    assert content.addressee == "Kính gửi: Ban Thường vụ Đảng ủy"
    assert content.recipients == ["- Lưu VP."]  # the box not sent: kept as they were
    assert "Đã lưu nội dung dự thảo." in messages_of(response)


def test_the_writer_edits_the_recipients_one_per_line(world, as_user):
    document = make_draft(world.secretary_a, world.cell_a)
    client = as_user(world.secretary_a)
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'name="recipients"' in page and "- Lưu VP.</textarea>" in page
    response = _edit(client, document, recipients="- Đảng ủy cơ sở,\r\n\r\n  Các đảng viên,  \r\n- Lưu VP.")
    assert response.status_code == 302
    document.refresh_from_db()
    recipients = Content.from_json(document.content).recipients
    assert recipients == ["- Đảng ủy cơ sở,", "- Các đảng viên,", "- Lưu VP."]
    docx = docx_lines(selectors.rendered(document, "docx", today()))
    assert "- Các đảng viên," in docx
    # a reader sees the recipients, without the box
    read = as_user(world.leader).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "- Các đảng viên," in read and 'name="recipients"' not in read


def test_recipients_are_not_edited_by_who_may_not_write(world, as_user):
    document = make_draft(world.office, world.cell_b)
    response = _edit(as_user(world.secretary_a), document, recipients="- Ai đó.")
    assert response.status_code == 404
    document.refresh_from_db()
    assert Content.from_json(document.content).recipients == ["- Lưu VP."] and document.version == 1


def test_an_edit_from_a_stale_page_is_refused_and_the_typed_text_is_shown_again(world, as_user):
    document = make_draft(world.office, world.root)
    read_at = document.version
    services.draft_text_update(
        actor=world.office, document=document, expected_version=read_at, texts={0: "Bản của người khác."}
    )
    response = _edit(as_user(world.office), document, version=read_at, section_0="Bản tôi vừa gõ.")
    assert response.status_code == 409
    page = response.content.decode()
    assert STALE in page.lower() and "Bản tôi vừa gõ." in page
    assert f'name="version" value="{read_at + 1}"' in page  # to save again after checking
    document.refresh_from_db()
    assert Content.from_json(document.content).sections[0].text == "Bản của người khác."


@pytest.mark.parametrize(
    ("persona", "code"), [("leader", "DU"), ("inspection", "DU"), ("secretary_a", "CB-B")]
)
def test_who_may_not_write_cannot_edit_issue_or_delete(world, as_user, persona, code):
    document = make_draft(world.office, world.root if code == "DU" else world.cell_b)
    client = as_user(getattr(world, persona))
    assert _edit(client, document).status_code == 404
    assert _issue_post(client, document).status_code == 404
    delete = client.post(reverse("documents:delete", args=[document.pk]), {"version": document.version})
    assert delete.status_code == 404
    document.refresh_from_db()
    assert document.state == DocState.DRAFT and document.version == 1 and document.deleted_at is None


def test_a_too_long_text_is_refused_on_its_field(world, as_user):
    document = make_draft(world.office, world.root)
    response = _edit(as_user(world.office), document, section_0="x" * (services.MAX_SECTION_TEXT + 1))
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    document.refresh_from_db()
    assert document.version == 1


# ------------------------------------------------------------------------------------------- issuing


def test_issuing_gives_one_then_two_and_the_docx_carries_the_number(world, as_user):
    client = as_user(world.office)
    first, second = make_draft(world.office, world.root), make_draft(world.office, world.root)
    response = _issue_post(client, first)
    assert response.status_code == 302 and "01-BC/ĐU" in messages_of(response)
    assert _issue_post(client, second).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.number, second.number) == (1, 2) and first.issued_by == world.office
    page = client.get(reverse("documents:detail", args=[first.pk])).content.decode()
    assert "Số 01-BC/ĐU" in page and first.docx_sha256 in page and 'id="draft-form"' not in page
    docx = client.get(reverse("documents:download", args=[first.pk, "docx"]))
    assert "Số 01-BC/ĐU" in docx_lines(b"".join(docx.streaming_content))


def test_a_cell_secretary_issues_their_cells_document(world, as_user):
    document = make_draft(world.secretary_a, world.cell_a)
    assert _issue_post(as_user(world.secretary_a), document).status_code == 302
    document.refresh_from_db()
    assert document.state == DocState.ISSUED and document.number == 1


def test_a_typed_number_already_taken_is_refused_with_a_message(world, as_user):
    issue(world, make_draft(world.office, world.root))
    draft = make_draft(world.office, world.root)
    response = _issue_post(as_user(world.office), draft, number="1")
    assert response.status_code == 400 and "01-BC/ĐU" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT and draft.number is None


def test_a_typed_number_assigned_elsewhere_is_kept(world, as_user):
    draft = make_draft(world.office, world.root)
    assert _issue_post(as_user(world.office), draft, number="14").status_code == 302
    draft.refresh_from_db()
    assert draft.number == 14 and draft.number_typed


def test_a_date_of_issue_in_the_future_is_refused(world, as_user):
    draft = make_draft(world.office, world.root)
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = _issue_post(as_user(world.office), draft, issued_on=tomorrow)
    assert response.status_code == 400 and "sau hôm nay" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


@pytest.mark.parametrize("number", ["abc", "0", "²", "99999999999", "-3", "1.5", "١٢"])
def test_a_bad_number_is_refused_with_a_message_never_an_error(world, as_user, number):
    draft = make_draft(world.office, world.root)
    response = _issue_post(as_user(world.office), draft, number=number)
    assert response.status_code == 400
    assert "Nhập số là một số nguyên từ 1 đến 99999." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


@pytest.mark.parametrize("data", [{"issued_on": "31/02/2025"}, {"issued_on": ""}, {"version": "abc"}])
def test_a_bad_issue_form_is_refused(world, as_user, data):
    draft = make_draft(world.office, world.root)
    assert _issue_post(as_user(world.office), draft, **data).status_code == 400
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


def test_a_refused_issue_is_said_on_the_page_with_the_form(world, as_user):
    first = issue(world, make_draft(world.office, world.root), number=5)
    draft = make_draft(world.office, world.root)
    response = _issue_post(as_user(world.office), draft, number="5")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="issue-form"' in page and first.number_line.removeprefix("Số ") in page
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


def test_issuing_from_a_stale_page_is_refused(world, as_user):
    draft = make_draft(world.office, world.root)
    read_at = draft.version
    services.draft_text_update(
        actor=world.office, document=draft, expected_version=read_at, texts={0: "Mới."}
    )
    response = _issue_post(as_user(world.office), draft, version=read_at)
    assert response.status_code == 302 and STALE in messages_of(response).lower()
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


def test_an_issued_document_is_not_issued_again_nor_edited(world, as_user):
    document = issue(world, make_draft(world.office, world.root))
    client = as_user(world.office)
    again = _issue_post(client, document)
    assert again.status_code == 302 and again["Location"] == document.get_absolute_url()
    assert "đã được ban hành" in messages_of(again)
    assert _edit(client, document).status_code == 302
    document.refresh_from_db()
    assert document.number == 1 and Content.from_json(document.content).sections[0].text.startswith("46")


# ------------------------------------------------------------------------------ download, delete


def test_a_draft_downloads_as_docx_for_a_reader(world, as_user):
    document = make_draft(world.office, world.root)
    response = as_user(world.leader).get(reverse("documents:download", args=[document.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == selectors.MEDIA_TYPES["docx"]
    assert f'filename="{selectors.file_name(document, "docx")}"' in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    assert any("46 chi bộ hoàn thành tốt nhiệm vụ (78%)." in t for t in docx_lines(b"".join(response)))


def test_an_issued_document_downloads_as_pdf(world, as_user):
    document = issue(world, make_draft(world.office, world.root))
    response = as_user(world.inspection).get(reverse("documents:download", args=[document.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("persona", "fmt", "status"),
    [
        ("office", "xls", 404),
        ("office", "DOCX", 404),
        ("secretary_a", "docx", 404),
        ("stranger", "docx", 404),
        ("member_a", "docx", 404),
    ],
)
def test_download_refused(world, as_user, persona, fmt, status):
    document = make_draft(world.office, world.cell_b)
    url = reverse("documents:download", args=[document.pk, fmt])
    assert as_user(getattr(world, persona)).get(url).status_code == status


def test_a_draft_is_deleted_and_leaves_the_register(world, as_user):
    document = make_draft(world.secretary_a, world.cell_a)
    client = as_user(world.secretary_a)
    response = client.post(reverse("documents:delete", args=[document.pk]), {"version": document.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:register", args=["CB-A"])
    assert not Document.objects.filter(pk=document.pk).exists()
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_an_issued_document_cannot_be_deleted(world, as_user):
    document = issue(world, make_draft(world.office, world.root))
    client = as_user(world.office)
    response = client.post(reverse("documents:delete", args=[document.pk]), {"version": document.version})
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert "không thể xóa" in messages_of(response) or "không xóa" in messages_of(response)
    assert Document.objects.filter(pk=document.pk, state=DocState.ISSUED).exists()


def test_a_delete_without_its_version_deletes_nothing(world, as_user):
    document = make_draft(world.office, world.root)
    response = as_user(world.office).post(reverse("documents:delete", args=[document.pk]), {"version": "x"})
    assert response.status_code == 302 and Document.objects.filter(pk=document.pk).exists()


# ----------------------------------------------------------------------------------- the settings


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-A", 200),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("secretary_a", "CB-A", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_settings_by_persona(world, as_user, persona, code, status):
    client = as_user(getattr(world, persona))
    url = reverse("documents:settings", args=[code])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert 'placeholder="BC"' in page and "chưa xác nhận" in page
    else:
        assert client.post(url, {"numbering": "year", "place": "Huế"}).status_code == 404
        assert not DocumentSettings.objects.exists()


def test_the_settings_show_the_defaults_derived_from_the_organisation(world, as_user):
    page = as_user(world.office).get(reverse("documents:settings", args=["CB-A"])).content.decode()
    assert 'placeholder="CHI BỘ A"' in page and 'placeholder="ĐẢNG BỘ THỬ NGHIỆM"' in page
    assert 'placeholder="CB"' in page and 'placeholder="Nguyễn Văn Bí Thư"' in page


def test_the_settings_are_saved_and_head_the_next_document(world, as_user):
    client = as_user(world.office)
    url = reverse("documents:settings", args=["DU"])
    data = {
        "issuer": "ĐẢNG ỦY CƠ QUAN THỬ",
        "place": "Hà Nội",
        "numbering": "year",
        "term_starts_on": "",
        "symbol_annual_report": "BCTK",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    own = DocumentSettings.objects.get(organization=world.root)
    assert own.place == "Hà Nội" and own.type_symbols == {"annual_report": "BCTK"}
    document = issue(world, make_draft(world.office, world.root))
    assert document.type_symbol == "BCTK"
    text = docx_lines(selectors.rendered(document, "docx", today()))
    assert "ĐẢNG ỦY CƠ QUAN THỬ" in text and "Số 01-BCTK/ĐU" in text
    assert any(line.startswith("Hà Nội, ngày") for line in text)
    again = client.get(url).content.decode()
    assert 'value="Hà Nội"' in again and f'name="version" value="{own.version}"' in again
    stale = client.post(url, {**data, "place": "Huế", "version": 99})
    assert stale.status_code == 409 and STALE in messages_of(stale).lower()
    assert 'value="Huế"' in stale.content.decode()  # what was typed is shown again
    own.refresh_from_db()
    assert own.place == "Hà Nội"


def test_two_office_users_opening_the_first_settings_are_told_of_the_conflict(world, as_user):
    url = reverse("documents:settings", args=["DU"])
    first, second = as_user(world.office), Client()
    page = first.get(url).content.decode()
    assert re.search(r'<input type="hidden" name="version" id="id_version">', page)  # sent, empty
    data = {"numbering": "year", "version": ""}
    assert first.post(url, {**data, "place": "Hà Nội"}).status_code == 302
    second.force_login(world.office)
    late = second.post(url, {**data, "place": "Huế"})
    assert late.status_code == 409 and STALE in messages_of(late).lower()
    own = DocumentSettings.objects.get(organization=world.root)
    page = late.content.decode()
    assert 'value="Huế"' in page and f'name="version" value="{own.version}"' in page
    assert own.place == "Hà Nội"
    again = second.post(url, {**data, "place": "Huế", "version": str(own.version)})
    assert again.status_code == 302
    own.refresh_from_db()
    assert own.place == "Huế"


@pytest.mark.parametrize(
    "data",
    [
        {"numbering": "term", "term_starts_on": ""},
        {"numbering": "year", "symbol_minutes": "B-B"},
        {"numbering": "year", "symbol_minutes": "ABCDEFGHIJ"},
        {"numbering": "century"},
        {"numbering": "term", "term_starts_on": "31/02/2025"},
        {"numbering": "year", "place": "x" * 101},
        {"numbering": "year", "version": "abc"},
    ],
)
def test_bad_settings_are_refused_with_a_message(world, as_user, data):
    response = as_user(world.office).post(reverse("documents:settings", args=["DU"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error"' in page or 'class="errors"' in page
    assert not DocumentSettings.objects.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808"])
def test_a_number_beyond_any_document_is_404_on_every_page(world, as_user, pk):
    client = as_user(world.office)
    for url in (f"/van-ban/{pk}/", f"/van-ban/{pk}/tai-ve.docx"):
        assert client.get(url).status_code == 404, url
    for url in (f"/van-ban/{pk}/", f"/van-ban/{pk}/ban-hanh/", f"/van-ban/{pk}/xoa/"):
        assert client.post(url, {"version": "1"}).status_code == 404, url


def test_the_inspection_writes_its_programme_but_not_the_reports(world, as_user):
    programme = make_draft(world.office, world.root, doc_type=DocType.INSPECTION_PROGRAMME)
    report = make_draft(world.office, world.root)
    client = as_user(world.inspection)
    page = client.get(reverse("documents:detail", args=[programme.pk])).content.decode()
    assert 'id="draft-form"' in page and 'id="issue-form"' in page
    assert _edit(client, programme).status_code == 302
    assert _edit(client, report).status_code == 404


# ------------------------------------------------------------------------------------ health data


def test_each_showing_of_a_badge_list_with_an_early_award_for_illness_is_logged(world, as_user):
    document = badge_list(world, early="gravely_ill")
    client = as_user(world.secretary_a)
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert page.status_code == 200 and "Tặng sớm" in page.content.decode()
    download = client.get(reverse("documents:download", args=[document.pk, "docx"]))
    assert download.status_code == 200
    logged = PersonalDataAccess.objects.order_by("pk")
    assert [(a.user, a.record, a.path) for a in logged] == [
        (world.secretary_a, f"documents.Document:{document.pk}", page.wsgi_request.path),
        (world.secretary_a, f"documents.Document:{document.pk}", download.wsgi_request.path),
    ]


def test_a_badge_list_without_health_data_and_a_report_are_not_logged(world, as_user):
    plain = badge_list(world, early="")
    posthumous = badge_list(world, early="posthumous")
    report = make_draft(world.office, world.cell_a)
    client = as_user(world.secretary_a)
    for document in (plain, posthumous, report):
        assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
        assert client.get(reverse("documents:download", args=[document.pk, "docx"])).status_code == 200
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("persona", ["member_a", "member_b", "stranger"])
def test_who_may_not_read_a_badge_list_sees_nothing_and_nothing_is_logged(world, as_user, persona):
    document = badge_list(world, early="gravely_ill")
    client = as_user(getattr(world, persona))
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[document.pk, "docx"])).status_code == 404
    assert not PersonalDataAccess.objects.exists()
