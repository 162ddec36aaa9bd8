"""Builders and readers shared by the documents' tests: small drafts as a builder would hand them over
(without the data), a stand-in for the report builder, issuing, and the text of a DOCX."""

import io

from docx import Document as open_docx

from dangvu.core.periods import today
from dangvu.documents import services
from dangvu.documents.choices import DocType
from dangvu.documents.content import Content, Draft, Section, Signature, Table
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


def draft_content(organization, year, doc_type=DocType.ANNUAL_REPORT) -> Draft:
    """A small report as a builder would hand it over (not stored): a text and a figures' table."""
    content = Content(
        type_name="BÁO CÁO",
        subject=f"tổng kết công tác xây dựng Đảng năm {year},\nphương hướng, nhiệm vụ năm {year + 1}",
        sections=[
            Section(heading="I. KẾT QUẢ", text="46 chi bộ hoàn thành tốt nhiệm vụ (78%).", key="results"),
            Section(
                heading="Số liệu",
                editable=False,
                key="figures",
                table=Table(columns=["Chỉ tiêu", "Kết quả"], rows=[["Kết nạp", "3/7"]], numbered=True),
            ),
        ],
        signatures=[Signature("T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Bí Thư")],
        recipients=["- Lưu Văn phòng."],
    )
    return Draft(
        doc_type=doc_type,
        organization=organization,
        year=year,
        title=f"Báo cáo tổng kết công tác xây dựng Đảng năm {year}",
        content=content,
        figures={"cells.total": 3, "development.admitted": 3},
        source=f"report:{year}",
    )


def draft_of(world, organization, year=2025, doc_type=DocType.ANNUAL_REPORT) -> Document:
    """draft_content stored by the office."""
    return services.draft_create(actor=world.office, draft=draft_content(organization, year, doc_type))


def report_stub(organization, year, *, half=False, **_) -> Draft:
    """A stand-in for builders.annual.report_draft: draft_content, a six-month review when `half`."""
    return draft_content(organization, year, DocType.MIDYEAR_REPORT if half else DocType.ANNUAL_REPORT)


def issue(world, document, *, day=None, number=None) -> Document:
    """`document` issued by the office on `day` (today by default), with `number` or the next one."""
    return services.issue(
        actor=world.office,
        document=document,
        expected_version=document.version,
        issued_on=day or today(),
        number=number,
    )


def badge_list(world, *, early: str) -> Document:
    """A badge list as builders/badges.py keeps it: the award's reason in figures["proposals"]."""
    note = "Tặng sớm" if early == "gravely_ill" else ""
    content = Content(
        type_name="TỜ TRÌNH",
        subject="về việc đề nghị tặng Huy hiệu Đảng đợt 03/02/2025",
        sections=[
            Section("", "Kính trình Ban Thường vụ xem xét.", key="request"),
            Section(
                "DANH SÁCH",
                "",
                table=Table(columns=["Họ và tên", "Ghi chú"], rows=[["Nguyễn Văn A", note]], numbered=True),
                editable=False,
                key="list",
            ),
        ],
    )
    draft = Draft(
        doc_type=DocType.BADGE_LIST,
        organization=world.cell_a,
        year=2025,
        title="Tờ trình về việc đề nghị tặng Huy hiệu Đảng",
        content=content,
        figures={"batch": "2025-02-03", "proposals": [{"id": 1, "member": 1, "years": 30, "early": early}]},
    )
    return services.draft_create(actor=world.office, draft=draft)


# ------------------------------------------------------------------------------ reading documents


def docx_paragraphs(document) -> list:
    """Every paragraph of an opened DOCX: the body's, then every table cell's (the letterhead, the
    closing), in order."""
    found = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
    return found


def docx_lines(data: bytes) -> list[str]:
    """The text of a DOCX's paragraphs (docx_paragraphs), one a line."""
    return [p.text for p in docx_paragraphs(open_docx(io.BytesIO(data)))]


def section(content, key: str) -> Section:
    """The section of a Content with `key`."""
    return next(s for s in content.sections if s.key == key)


def section_text(draft, key: str) -> str:
    """The text of a draft's section with `key`."""
    return section(draft.content, key).text


def draft_text(draft) -> str:
    """A draft's sections, each heading then text."""
    return "\n".join(f"{s.heading}\n{s.text}" for s in draft.content.sections)
