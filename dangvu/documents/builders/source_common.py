"""What the builders of the documents written from another page's data share: the signer, the
recipients, the Vietnamese way of writing a day and a time (rules.md §8)."""

from datetime import date, time

from dangvu.documents import rules, selectors
from dangvu.documents.content import Signature
from dangvu.organization.choices import OrgKind

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
BLANK = "……"  # a blank the signer fills by hand


def signer(organization, on: date) -> list[Signature]:
    """The issuer's signature block: "T/M CHI BỘ / BÍ THƯ" and the current secretary."""
    head = selectors.letterhead(organization, on)
    return [Signature(head.authority, head.signer_title, head.signer_name)]


def day_text(day: date) -> str:
    """ "thứ Năm, ngày 05/11/2026"."""
    return f"{WEEKDAYS[day.weekday()]}, ngày {day:%d/%m/%Y}"


def time_text(at: time | None) -> str:
    """ "14 giờ 00", or the blank to fill when the time is not known."""
    return f"{at.hour} giờ {at.minute:02d}" if at is not None else f"{BLANK} giờ {BLANK}"


def date_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def committee_name(organization) -> str:
    """ "Đảng ủy X" for "Đảng bộ X" (the committee speaks for a đảng bộ), a cell's own name."""
    return rules.committee_name(organization.name, organization.is_cell)


def recipients(organization, *, to_superior: bool = True, extra: tuple[str, ...] = ()) -> list[str]:
    """ "Nơi nhận": the body above (to report), the given ones, the issuer's own file."""
    lines: list[str] = []
    parent = organization.parent
    if to_superior and parent is not None:
        lines.append(f"- {committee_name(parent)} (để b/c),")
    lines.extend(extra)
    lines.append(_own_file(organization))
    return lines


def _own_file(organization) -> str:
    """The last "Nơi nhận" line: the issuer's own file."""
    return "- Lưu Chi bộ." if organization.is_cell else "- Lưu Văn phòng Đảng ủy."


def lower_first(text: str) -> str:
    """ "Tổng kết công tác năm" → "tổng kết công tác năm", for a title that follows other words.
    A first word in capitals (an abbreviation: "BCH", "HĐND") is kept as written."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def report_recipients(organization) -> list[str]:
    """ "Nơi nhận" of a report: the committee above (a đảng bộ bộ phận and a cell report to the đảng
    ủy, a grassroots committee to the standing committee above it), the cells under a committee, the
    issuer's own file."""
    parent = organization.parent
    if parent is None:
        above = "Cấp ủy cấp trên"
    elif organization.is_cell or organization.kind == OrgKind.PARTIAL_COMMITTEE:
        above = committee_name(parent)
    else:
        above = f"Ban Thường vụ {committee_name(parent)}"
    lines = [f"- {above} (để báo cáo),"]
    if not organization.is_cell:
        lines.append("- Các chi bộ trực thuộc,")
    lines.append(_own_file(organization))
    return lines
