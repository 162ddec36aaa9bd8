"""The Party's document format as pure rules (rules.md §8), checked on the document's own examples."""

from datetime import date
from decimal import Decimal

import pytest

from dangvu.documents import rules
from dangvu.documents.choices import DocType, Numbering
from dangvu.documents.content import Content, Section, Signature, Table, paragraphs


def test_the_number_line_is_number_hyphen_type_slash_issuer():
    # rules.md §8.4: "Số 12-BC/ĐU", "Số 09-KH/ĐU".
    assert rules.number_line(12, "BC", "ĐU") == "Số 12-BC/ĐU"
    assert rules.number_line(9, "KH", "ĐU") == "Số 09-KH/ĐU"
    assert rules.number_line(127, "CTr", "CB") == "Số 127-CTr/CB"


def test_a_draft_leaves_the_number_blank_for_the_signer():
    line = rules.number_line(None, "BC", "ĐU")
    assert line.startswith("Số ") and line.endswith("-BC/ĐU")
    assert not any(ch.isdigit() for ch in line)


def test_the_place_and_date_line_pads_day_and_month():
    # rules.md §8.2: "Hạ Long, ngày 20 tháng 02 năm 2018".
    assert rules.place_date("Hạ Long", date(2018, 2, 20)) == "Hạ Long, ngày 20 tháng 02 năm 2018"
    assert rules.place_date("Hà Nội", date(2025, 12, 5)) == "Hà Nội, ngày 05 tháng 12 năm 2025"
    assert rules.place_date("", date(2025, 12, 15)) == "ngày 15 tháng 12 năm 2025"


def test_type_symbols_default_to_the_seen_ones_and_the_office_may_change_them():
    assert rules.type_symbol(DocType.ANNUAL_REPORT) == "BC"
    assert rules.type_symbol(DocType.INSPECTION_PROGRAMME) == "CTr"
    assert rules.type_symbol(DocType.MINUTES) == "BB"  # UNCONFIRMED: a setting
    assert rules.type_symbol(DocType.MINUTES, {DocType.MINUTES: "BBSH"}) == "BBSH"
    assert rules.type_symbol(DocType.INVITATION, {DocType.INVITATION: ""}) == "GM"


@pytest.mark.parametrize(
    ("numbering", "day", "term", "expected"),
    [
        (Numbering.YEAR, date(2025, 12, 31), None, "2025"),
        (Numbering.YEAR, date(2026, 1, 1), date(2025, 10, 1), "2026"),
        (Numbering.TERM, date(2026, 3, 1), date(2025, 10, 1), "term-2025-10-01"),
        (Numbering.TERM, date(2027, 3, 1), date(2025, 10, 1), "term-2025-10-01"),
        (Numbering.TERM, date(2025, 9, 30), date(2025, 10, 1), "2025"),  # before the term: its year
        (Numbering.TERM, date(2025, 9, 30), None, "2025"),
    ],
)
def test_numbers_restart_each_year_by_default_or_run_through_the_term(numbering, day, term, expected):
    assert rules.period_key(numbering, day, term) == expected


def test_the_issuing_body_of_a_party_organisation_is_its_committee():
    # rules.md §8.3: "ĐẢNG BỘ HUYỆN ĐẠI TỪ / ĐẢNG ỦY XÃ LA BẰNG".
    assert rules.issuing_body("Đảng bộ xã La Bằng", is_cell=False) == "ĐẢNG ỦY XÃ LA BẰNG"
    assert rules.issuing_body("Chi bộ Ban Tổ chức", is_cell=True) == "CHI BỘ BAN TỔ CHỨC"
    assert rules.issuing_body("Đảng ủy Công ty A", is_cell=False) == "ĐẢNG ỦY CÔNG TY A"
    assert rules.issuer_symbol(is_cell=False) == "ĐU" and rules.issuer_symbol(is_cell=True) == "CB"
    assert rules.signature_lines(is_cell=False) == ("T/M ĐẢNG ỦY", "BÍ THƯ")
    assert rules.signature_lines(is_cell=True) == ("T/M CHI BỘ", "BÍ THƯ")


@pytest.mark.parametrize(
    ("value", "written"),
    [(78.0, "78%"), (100.0, "100%"), (86.3, "86,3%"), (Decimal("77.97"), "78%"), (0.05, "0,1%"), (None, "—")],
)
def test_percentages_are_written_as_the_article_writes_them(value, written):
    # "46 chi bộ hoàn thành tốt nhiệm vụ (78%)"; 69/80 is published 86.3.
    assert rules.percent(value) == written


def test_fractions_thousands_and_money():
    assert rules.fraction(3, 7) == "3/7"  # "kết nạp 3/7 quần chúng"
    assert rules.fraction(1650, 1850) == "1.650/1.850"
    assert rules.grouped(1850) == "1.850"
    assert rules.money(2_340_000) == "2.340.000 đồng"


def test_a_symbol_is_a_few_letters():
    assert rules.SYMBOL_PATTERN.fullmatch("CTr") and rules.SYMBOL_PATTERN.fullmatch("ĐU")
    assert not rules.SYMBOL_PATTERN.fullmatch("B C") and not rules.SYMBOL_PATTERN.fullmatch("BC/1")


def test_a_sections_text_is_paragraphs_and_dash_items():
    text = "Đoạn một\ncòn tiếp.\n\n- ý thứ nhất;\n- ý thứ hai.\n\nĐoạn hai."
    assert paragraphs(text) == [
        ("para", "Đoạn một còn tiếp."),
        ("item", "- ý thứ nhất;"),
        ("item", "- ý thứ hai."),
        ("para", "Đoạn hai."),
    ]
    assert paragraphs("  \n\n") == []


def test_content_survives_its_json_form():
    content = Content(
        type_name="BÁO CÁO",
        subject="tổng kết\nnăm 2025",
        sections=[
            Section("I. KẾT QUẢ", "Văn bản", key="results"),
            Section("", "", table=Table(["Họ và tên"], [["Nguyễn Văn Ấn"]], numbered=True), editable=False),
        ],
        signatures=[Signature("T/M ĐẢNG ỦY", "BÍ THƯ", "Trần Thị Bình")],
        recipients=["- Lưu VP."],
        addressee="Kính gửi: Ban Thường vụ",
        landscape=True,
    )
    assert Content.from_json(content.as_json()) == content
