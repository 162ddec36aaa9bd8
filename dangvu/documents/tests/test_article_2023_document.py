"""The source article's 2023 (targets/tests/test_article_2023.py) written as the committee's annual
summary report: the article's sentences in the draft, in the DOCX and in the PDF."""

import io
from datetime import date

import docx
import pypdf
import pytest

from dangvu.documents import selectors, services
from dangvu.documents.builders.annual import report_draft
from dangvu.documents.choices import DocType
from dangvu.targets.tests.test_article_2023 import WRITTEN, article  # noqa: F401

from .factories import draft_text, section_text

pytestmark = pytest.mark.django_db

ON = date(2024, 2, 5)  # the report is written after the year, figures as of 31/12/2023

SENTENCES = (
    "46 chi bộ hoàn thành tốt nhiệm vụ (78%)",
    "6 chi bộ hoàn thành xuất sắc nhiệm vụ",
    "100% chi bộ hoàn thành nhiệm vụ trở lên",
    "kết nạp 3/7 quần chúng",
    "đối với 12 chi bộ trực thuộc (100% theo kế hoạch)",
    "100% đảng viên được học tập, quán triệt",
    "100% cấp ủy viên các cấp dự tập huấn nghiệp vụ công tác Đảng",
)


@pytest.fixture
def draft(world, article):  # noqa: F811 (the imported fixture)
    return report_draft(world.root, 2023, half=False, on=ON)


def test_the_draft_writes_the_articles_sentences(draft):
    assert draft.doc_type == DocType.ANNUAL_REPORT and draft.year == 2023
    assert draft.title == (
        "Báo cáo tổng kết công tác xây dựng Đảng năm 2023, phương hướng, nhiệm vụ năm 2024"
    )
    assert draft.content.type_name == "BÁO CÁO"
    assert (
        draft.content.subject == "tổng kết công tác xây dựng Đảng năm 2023,\nphương hướng, nhiệm vụ năm 2024"
    )
    text = draft_text(draft)
    for sentence in SENTENCES:
        assert sentence in text, sentence
    assert "Tính đến ngày 31/12/2023, Đảng bộ có 62 đảng viên (trong đó 3 đảng viên dự bị)" in text
    # Everyone who held a seat in the year, at every level: not "the committee has 3 members".
    assert "trong năm 2023, 3 đồng chí tham gia cấp ủy các cấp, 100% kiêm nhiệm" in text
    assert "Tỷ lệ" not in text and "nộp chậm" not in text
    assert "None" not in text


def test_the_2023_targets_are_judged(draft):
    targets = section_text(draft, "targets")
    assert "Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ > 80%: thực hiện 78% (chưa đạt)." in targets
    assert "Chi bộ được kiểm tra, giám sát ≥ 12: thực hiện 12 (đạt)." in targets
    assert [t["met"] for t in draft.figures["targets"]] == [False, True]


def test_next_year_lists_the_2024_targets(draft):
    coming = section_text(draft, "next_year")
    assert "Phấn đấu năm 2024 đạt các chỉ tiêu:" in coming
    assert "- Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ > 80%." in coming
    assert "- Chi bộ được kiểm tra, giám sát ≥ 12." in coming
    assert "- Đảng viên học tập đầy đủ các văn bản ≥ 100%." in coming
    assert f"- {WRITTEN}." in coming
    assert len(draft.figures["next_year_targets"]) == 7
    heading = next(s.heading for s in draft.content.sections if s.key == "next_year")
    assert heading == "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024"


def test_the_figures_kept_are_those_the_text_was_written_from(draft):
    figures = draft.figures
    assert figures["as_of"] == "2023-12-31"
    assert figures["metrics"]["classification.cells.good_pct"]["value"] == 78.0
    assert figures["previous_year"]["members.total"] == 59  # the 3 admitted in 2023 are new
    assert figures["shortcomings"]["cells_without_regulation_review"] == []


def test_the_docx_carries_the_sentences(world, draft):
    document = services.draft_create(actor=world.office, draft=draft)
    data = selectors.rendered(document, "docx", ON)
    found = docx.Document(io.BytesIO(data)).paragraphs
    paragraphs = "\n".join(p.text for p in found)
    styles = {p.text: p.style.name for p in found}
    assert styles["III. SO SÁNH VỚI CHỈ TIÊU VÀ CÙNG KỲ NĂM TRƯỚC"] == "Heading 1"
    assert styles["3. Công tác kiểm tra, giám sát"] == "Heading 2"
    ratings = next(p for p in found if "46 chi bộ hoàn thành tốt nhiệm vụ (78%)" in p.text)
    assert ratings.style.name == "Party Item"
    for sentence in SENTENCES:
        assert sentence in paragraphs, sentence
    assert "BÁO CÁO" in paragraphs
    assert "Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ > 80%: thực hiện 78% (chưa đạt)." in paragraphs


def test_the_pdf_keeps_the_diacritics(world, draft):
    document = services.draft_create(actor=world.office, draft=draft)
    reader = pypdf.PdfReader(io.BytesIO(selectors.rendered(document, "pdf", ON)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "46 chi bộ hoàn thành tốt nhiệm vụ (78%)" in text
