"""The demo's documents (issue 12): last year's annual report issued with its number in January, this
year's six-month review a draft, CB-02's invitation and minutes, the programme and the badge list."""

from datetime import date

import pytest

from dangvu.documents import selectors
from dangvu.documents.choices import DocState, DocType
from dangvu.documents.models import Document
from dangvu.documents.tests.factories import docx_lines
from dangvu.organization.models import Organization

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_2025_report_is_issued_with_its_number_and_the_review_is_a_draft(demo):
    report = Document.objects.get(organization=demo, doc_type=DocType.ANNUAL_REPORT)
    assert (report.year, report.state, report.number) == (2025, DocState.ISSUED, 1)
    assert report.issued_on == date(2026, 1, 15) and report.issued_by.username == "vanphong"
    assert report.docx_sha256 and report.pdf_sha256 and report.figures
    text = "\n".join(docx_lines(selectors.rendered(report, "docx", TODAY)))
    assert "Số 01-BC/ĐU" in text and "Hà Nội, ngày 15 tháng 01 năm 2026" in text
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG" in text

    review = Document.objects.get(organization=demo, doc_type=DocType.MIDYEAR_REPORT)
    assert (review.year, review.state, review.number, review.issued_on) == (2026, DocState.DRAFT, None, None)
    assert not review.docx and not review.pdf  # a draft is rendered when downloaded


def test_the_secretarys_cell_the_programme_and_the_badge_list_have_drafts(demo):
    cell = Organization.objects.get(code="CB-02")
    kinds = set(Document.objects.filter(organization=cell).values_list("doc_type", flat=True))
    assert kinds == {DocType.INVITATION, DocType.MINUTES}
    at_root = set(Document.objects.filter(organization=demo).values_list("doc_type", "state"))
    assert (DocType.INSPECTION_PROGRAMME, DocState.DRAFT) in at_root
    assert (DocType.BADGE_LIST, DocState.DRAFT) in at_root
    assert Document.objects.filter(state=DocState.ISSUED).count() == 1
    assert set(Document.objects.values_list("created_by__username", flat=True)) == {"vanphong"}
