"""A small draft for the documents' tests: what a builder would hand over, without the data."""

from dangvu.documents import services
from dangvu.documents.choices import DocType
from dangvu.documents.content import Content, Draft, Section, Signature
from dangvu.documents.models import Document


def make_draft(actor, organization, *, doc_type: str = DocType.ANNUAL_REPORT, year: int = 2025) -> Document:
    content = Content(
        type_name="BÁO CÁO",
        subject=f"tổng kết công tác xây dựng Đảng năm {year}",
        sections=[
            Section("I. KẾT QUẢ", "46 chi bộ hoàn thành tốt nhiệm vụ (78%).", key="results"),
            Section("II. HẠN CHẾ", "Báo cáo của chi bộ còn chậm.", key="shortcomings"),
            Section("", "Bảng số liệu", editable=False, key="fixed"),
        ],
        signatures=[Signature("T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Bí Thư")],
        recipients=["- Lưu VP."],
    )
    draft = Draft(
        doc_type=doc_type,
        organization=organization,
        year=year,
        title=f"Báo cáo tổng kết năm {year}",
        content=content,
        figures={
            "metrics": {"classification.cells.good_pct": {"numerator": 46, "denominator": 59, "value": 78.0}}
        },
    )
    return services.draft_create(actor=actor, draft=draft)
