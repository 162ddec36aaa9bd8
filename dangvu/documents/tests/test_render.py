"""Both renderers write the Party's format (rules.md §8.2, §8.3): checked by opening the files, by
text and by style, never against a stored binary."""

import io
from datetime import date

import pytest
from docx import Document as open_docx
from docx.shared import Pt
from pypdf import PdfReader

from dangvu.documents import rules, selectors
from dangvu.documents.content import Content, Section, Signature, Table
from dangvu.documents.render import Heading
from dangvu.documents.render_docx import render_docx
from dangvu.documents.render_pdf import render_pdf

from .factories import docx_paragraphs

HEADING = Heading(
    superior="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG",
    issuer="ĐẢNG ỦY LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM",
    number_line=rules.number_line(12, "BC", "ĐU"),
    place_date=rules.place_date("Hà Nội", date(2024, 1, 19)),
)
CONTENT = Content(
    type_name="BÁO CÁO",
    subject="tổng kết công tác xây dựng Đảng năm 2023,\nphương hướng, nhiệm vụ năm 2024",
    sections=[
        Section("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023", level=1),
        Section(
            "1. Công tác tổ chức, xây dựng Đảng",
            "100% chi bộ hoàn thành nhiệm vụ trở lên, trong đó 46 chi bộ hoàn thành tốt nhiệm vụ (78%).\n\n"
            "- kết nạp 3/7 quần chúng đã học lớp đối tượng Đảng;\n- Ẳ Ậ Ễ Ợ Ự ữ ỹ.",
            level=2,
        ),
        Section(
            "a) Danh sách",
            level=3,
            table=Table(["Họ và tên", "Chi bộ"], [["Nguyễn Thị Ánh", "Chi bộ 1"]], numbered=True),
        ),
    ],
    signatures=[Signature("T/M ĐẢNG ỦY", "BÍ THƯ", "Phạm Ngọc Linh")],
    recipients=["- Ban Thường vụ Đảng ủy Khối (để báo cáo),", "- Lưu Văn phòng Đảng ủy."],
)


def _docx():
    return open_docx(io.BytesIO(render_docx(HEADING, CONTENT)))


def _styled(document, text: str):
    return next(p for p in docx_paragraphs(document) if p.text == text)


def test_the_docx_letterhead_title_and_closing_carry_their_styles():
    document = _docx()
    expected = {
        "ĐẢNG CỘNG SẢN VIỆT NAM": ("Party Heading", 15, True, False),
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG": ("Party Superior", 14, False, False),
        "ĐẢNG ỦY LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM": ("Party Issuer", 14, True, False),
        "Số 12-BC/ĐU": ("Party Number", 14, False, False),
        "Hà Nội, ngày 19 tháng 01 năm 2024": ("Party Place Date", 14, False, True),
        "BÁO CÁO": ("Party Type Name", 15, True, False),
        "tổng kết công tác xây dựng Đảng năm 2023,": ("Party Subject", 14, True, False),
        "T/M ĐẢNG ỦY": ("Party Signature", 14, True, False),
        "Phạm Ngọc Linh": ("Party Signer", 14, True, False),
        "Nơi nhận:": ("Party Recipients Title", 14, True, True),
        "- Lưu Văn phòng Đảng ủy.": ("Party Recipients", 12, False, False),
    }
    for text, (style, size, bold, italic) in expected.items():
        paragraph = _styled(document, text)
        assert paragraph.style.name == style, text
        assert paragraph.style.font.size == Pt(size), text
        assert bool(paragraph.style.font.bold) is bold and bool(paragraph.style.font.italic) is italic, text
        assert paragraph.style.font.name == "Times New Roman", text


def test_the_docx_heading_has_its_rule_and_the_issuer_its_star():
    document = _docx()
    heading = _styled(document, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert (
        heading._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr") is not None
    )
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert left == [HEADING.superior, HEADING.issuer, "*", "Số 12-BC/ĐU"]


def test_the_docx_body_parts_and_points_use_word_headings_in_times_new_roman():
    document = _docx()
    part = _styled(document, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023")
    point = _styled(document, "1. Công tác tổ chức, xây dựng Đảng")
    assert (part.style.name, point.style.name) == ("Heading 1", "Heading 2")
    for paragraph in (part, point):
        assert paragraph.style.font.name == "Times New Roman" and paragraph.style.font.size == Pt(14)
    body = _styled(
        document, "100% chi bộ hoàn thành nhiệm vụ trở lên, trong đó 46 chi bộ hoàn thành tốt nhiệm vụ (78%)."
    )
    assert body.style.name == "Party Body"
    item = _styled(document, "- kết nạp 3/7 quần chúng đã học lớp đối tượng Đảng;")
    assert item.style.name == "Party Item"
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["TT", "Họ và tên", "Chi bộ"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Nguyễn Thị Ánh", "Chi bộ 1"]


def test_the_docx_page_is_a4_with_the_party_margins_and_numbers_from_page_two():
    section = _docx().sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # in twips
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert tuple(round(m.mm) for m in margins) == (20, 15, 20, 30)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml


def test_a_landscape_document_turns_the_page():
    content = Content(type_name="TỜ TRÌNH", subject="về việc", sections=[], landscape=True)
    section = open_docx(io.BytesIO(render_docx(HEADING, content))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)


def test_two_signatures_stand_side_by_side_without_recipients():
    content = Content(
        type_name="BIÊN BẢN",
        subject="sinh hoạt chi bộ",
        sections=[],
        signatures=[Signature("", "THƯ KÝ", "Lê Văn Cường"), Signature("", "CHỦ TRÌ", "Đỗ Thị Dung")],
    )
    closing = open_docx(io.BytesIO(render_docx(HEADING, content))).tables[-1].rows[0].cells
    texts = [[p.text for p in cell.paragraphs if p.text] for cell in closing]
    assert texts == [["THƯ KÝ", "Lê Văn Cường"], ["CHỦ TRÌ", "Đỗ Thị Dung"]]


@pytest.fixture(scope="module")
def pdf_reader() -> PdfReader:
    """The PDF of the report, rendered once for the module."""
    return PdfReader(io.BytesIO(render_pdf(HEADING, CONTENT)))


def test_the_pdf_is_a4_and_its_text_keeps_every_diacritic(pdf_reader):
    reader = pdf_reader
    pdf_text = [page.extract_text() for page in reader.pages]
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    first = " ".join(pdf_text[0].split())
    for text in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-BC/ĐU",
        "Hà Nội, ngày 19 tháng 01 năm 2024",
        "BÁO CÁO",
        "46 chi bộ hoàn thành tốt nhiệm vụ (78%)",
        "kết nạp 3/7 quần chúng",
        "Ẳ Ậ Ễ Ợ Ự ữ ỹ",
        "Nguyễn Thị Ánh",
        "Phạm Ngọc Linh",
        "Nơi nhận:",
    ):
        assert text in first, text


def test_the_pdf_embeds_a_times_new_roman_twin(pdf_reader):
    reader = pdf_reader
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Liberation Serif (fonts-liberation2) where installed; DejaVu Serif is the fallback.
    assert fonts and all(
        ("Liberation" in f and "Serif" in f) or "DejaVuSerif" in f or "Times" in f for f in fonts
    )


def test_no_docx_style_names_a_theme_font_that_would_win_over_times_new_roman():
    xml = _docx().styles.element.xml
    assert "asciiTheme" not in xml and "hAnsiTheme" not in xml


def test_the_heading_column_is_wide_enough_for_the_heading_on_one_line():
    # "ĐẢNG CỘNG SẢN VIỆT NAM" at 15 pt bold is about 73 mm wide in Times New Roman or its twin.
    right = _docx().tables[0].rows[0].cells[1]
    heading = right.paragraphs[0].paragraph_format
    room = right.width.mm - 2 * 1.9 - heading.left_indent.mm - heading.right_indent.mm
    assert room >= 74


def test_a_tables_columns_take_the_widths_the_builder_gave():
    content = Content(
        type_name="TỜ TRÌNH",
        subject="về việc",
        sections=[
            Section(
                "",
                table=Table(["Họ và tên", "Ghi chú"], [["Nguyễn Văn A", ""]], widths=[3, 1], numbered=True),
            )
        ],
    )
    row = open_docx(io.BytesIO(render_docx(HEADING, content))).tables[1].rows[1].cells
    tt, name, note = (cell.width for cell in row)
    assert tt < note < name and abs(name / note - 3) < 0.01


def test_control_characters_pasted_from_word_become_line_breaks_or_go():
    content = Content(
        type_name="BIÊN BẢN",
        subject="sinh hoạt",
        sections=[Section("III. NỘI DUNG", "Dòng một\x0bdòng hai\x01.")],
    )
    docx = open_docx(io.BytesIO(selectors.render(HEADING, content, "docx")))
    assert [p.text for p in docx.paragraphs if p.text.startswith("Dòng")] == ["Dòng một dòng hai."]
    assert b"%PDF" in selectors.render(HEADING, content, "pdf")[:8]
