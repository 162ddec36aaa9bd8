"""The inspection and supervision programme of a year (CHƯƠNG TRÌNH kiểm tra, giám sát năm …),
written from the organisation's programme (dangvu.programme): its items, cancelled ones left out,
in a numbered table; the purpose and the organisation of the work are the office's to write."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.documents import rules
from dangvu.documents.choices import DocType
from dangvu.documents.content import Content, Draft, Section, Table
from dangvu.programme import selectors as programme_selectors
from dangvu.programme.choices import INSPECTION_KINDS, SUPERVISION_KINDS
from dangvu.programme.models import Item

from .source_common import committee_name, date_text, recipients, signer

PURPOSE = (
    "- Thực hiện nghiêm túc, có hiệu quả công tác kiểm tra, giám sát theo quy định của Điều lệ Đảng; "
    "kịp thời phát hiện, biểu dương nhân tố tích cực, nhắc nhở, uốn nắn, khắc phục thiếu sót, "
    "khuyết điểm, phòng ngừa vi phạm.\n"
    "- Công tác kiểm tra, giám sát phải đúng nguyên tắc, phương pháp, quy trình; khách quan, công "
    "khai, dân chủ; có trọng tâm, trọng điểm."
)


def _organising(org) -> str:
    if org.is_cell:
        return (
            "- Chi ủy (Bí thư chi bộ) chỉ đạo, phân công đảng viên thực hiện Chương trình; định kỳ "
            "báo cáo kết quả với cấp ủy cấp trên.\n"
            "- Đảng viên được phân công chuẩn bị nội dung, thực hiện đúng thời gian đề ra."
        )
    return (
        f"- Ủy ban Kiểm tra {committee_name(org)} giúp {committee_name(org)} tổ chức thực hiện "
        "Chương trình; định kỳ sơ kết, tổng kết, báo cáo kết quả.\n"
        "- Các chi bộ trực thuộc căn cứ Chương trình xây dựng và thực hiện chương trình kiểm tra, "
        "giám sát của chi bộ."
    )


def _subject(item: Item, org) -> str:
    """Who the item concerns: a cell, a member with their cell, or (as the programme page says "the
    whole organisation") the whole đảng bộ or chi bộ."""
    if item.subject_cell_id:
        return item.subject_cell.name
    if item.subject_member_id:
        person = item.subject_member.person
        return f"Đồng chí {person.full_name} ({person.organization.name})"
    return "Toàn Chi bộ" if org.is_cell else "Toàn Đảng bộ"


def _summary(items: list[Item], org, year: int) -> str:
    inspections = sum(1 for i in items if i.kind in INSPECTION_KINDS)
    supervisions = sum(1 for i in items if i.kind in SUPERVISION_KINDS)
    others = len(items) - inspections - supervisions
    parts = []
    if inspections:
        parts.append(f"kiểm tra {rules.grouped(inspections)} cuộc")
    if supervisions:
        parts.append(f"giám sát {rules.grouped(supervisions)} cuộc")
    if others:
        parts.append(f"{rules.grouped(others)} nội dung công tác khác")
    if not parts:
        return f"Năm {year}, {committee_name(org)} chưa có nội dung kiểm tra, giám sát trong chương trình."
    return f"Năm {year}, {committee_name(org)} tiến hành {', '.join(parts)}, cụ thể như sau:"


def programme_draft(organization, year: int, *, on: date) -> Draft:
    programme = programme_selectors.programme_of(organization, year)
    if programme is None:
        raise ValidationError(
            _("There is no inspection and supervision programme of %(year)s to write.") % {"year": year}
        )
    items = programme_selectors.programme_items(programme)
    table = Table(
        columns=["Nội dung", "Đối tượng", "Thời gian", "Thực hiện"],
        rows=[
            [
                " ".join(item.content.split()),
                _subject(item, organization),
                f"{date_text(item.starts_on)} – {date_text(item.ends_on)}",
                item.responsible,
            ]
            for item in items
        ],
        widths=[5, 3, 2.6, 2.6],
        numbered=True,
    )
    subject = f"kiểm tra, giám sát năm {year}"
    content = Content(
        type_name=rules.TYPE_NAMES[DocType.INSPECTION_PROGRAMME],
        subject=subject,
        sections=[
            Section("I. MỤC ĐÍCH, YÊU CẦU", PURPOSE, key="purpose"),
            Section("II. NỘI DUNG", _summary(items, organization, year), table=table, key="items"),
            Section("III. TỔ CHỨC THỰC HIỆN", _organising(organization), key="organising"),
        ],
        signatures=signer(organization, on),
        recipients=recipients(
            organization, extra=("- Các chi bộ trực thuộc,",) if not organization.is_cell else ()
        ),
    )
    figures = {
        "programme": programme.pk,
        "year": year,
        "items": [
            {
                "id": item.pk,
                "kind": item.kind,
                "state": item.state,
                "starts_on": item.starts_on.isoformat(),
                "ends_on": item.ends_on.isoformat(),
                "subject_cell": item.subject_cell_id,
                "subject_member": item.subject_member_id,
            }
            for item in items
        ],
    }
    return Draft(
        doc_type=DocType.INSPECTION_PROGRAMME,
        organization=organization,
        year=year,
        title=f"Chương trình {subject}",
        content=content,
        figures=figures,
        source=f"programme:{organization.code}:{year}"[:64],
    )
