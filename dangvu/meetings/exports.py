"""Attendance sheets and the cells' year as Excel workbooks.

The attendance sheet of a session carries its heading (organiser, kind, date, place) above the
invitees; its columns are the import's own, so a sheet filled in goes back in. The summary of an
organisation gives one row per cell of its subtree (meetings held, missing, attendance, members
flagged) and a sheet of the year's documents to study. Every text a spreadsheet would run as a
formula is neutralised (core.spreadsheets)."""

from datetime import date
from io import BytesIO
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.core import metrics, periods
from dangvu.core.spreadsheets import add_table, neutralise, write_tables
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import SessionKind
from .imports import ATTENDANCE, BIRTH, CODE, NAME, REASON, REPLY, REPLY_VALUES, attendance_label, reply_text
from .models import Session
from .overview import month_label, period_short

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
ATTENDANCE_HEADERS = ("STT", CODE, NAME, BIRTH, REPLY, ATTENDANCE, REASON)
HEADING = ("Đơn vị tổ chức", "Loại", "Thời gian", "Địa điểm", "Có mặt")
CELL_SHEET, DOCUMENT_SHEET = "Chi bộ", "Văn bản học tập"
CELL_HEADERS = (
    "Mã",
    "Chi bộ",
    "Số tháng đã sinh hoạt thường kỳ",
    "Số tháng phải sinh hoạt",
    "Tháng chưa sinh hoạt",
    "Kỳ chưa sinh hoạt chuyên đề",
    "Lượt có mặt",
    "Lượt được mời",
    "Tỷ lệ dự sinh hoạt (%)",
    "Đảng viên vắng không lý do 3 tháng trở lên",
)
DOCUMENT_HEADERS = (
    "Số, ký hiệu",
    "Trích yếu",
    "Cơ quan ban hành",
    "Đơn vị giao",
    "Ngày giao",
    "Hạn học tập",
    "Số đảng viên phải học",
    "Số đã học",
    "Số chưa học",
    "Tỷ lệ đã học (%)",
)


# ---------------------------------------------------------------------------- attendance sheet


def attendance_file(session: Session, *, private: bool = True) -> tuple[str, bytes]:
    """The file name and the attendance sheet of a session: two queries. Without `private` (a reader
    who does not organise the session), the birth dates and the reasons given are left out."""
    invitations = selectors.invitations_of(session)
    present = rules.AttendanceCounts.of(i.attendance for i in invitations).present
    with translation.override("vi"):  # the file is in Vietnamese, whoever downloads it
        heading = [
            ("", str(session)),
            (HEADING[0], session.organization.name),
            (HEADING[1], str(SessionKind(session.kind).label)),
            (HEADING[2], session.when),
            (HEADING[3], session.place),
            (HEADING[4], f"{present}/{len(invitations)}"),
        ]
    rows = [
        [
            index,
            i.pk,
            i.person.full_name,
            i.person.date_of_birth if private else None,
            reply_text(i) if private else REPLY_VALUES.get(i.reply, ""),
            attendance_label(i.attendance),
            i.reason if private else "",
        ]
        for index, i in enumerate(invitations, start=1)
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_table(workbook, ATTENDANCE, ATTENDANCE_HEADERS, rows)
    _put_heading(workbook[ATTENDANCE], heading)
    out = BytesIO()
    workbook.save(out)
    return f"diem-danh-{session.held_on:%Y-%m-%d}-{session.pk}.xlsx", out.getvalue()


def _put_heading(sheet, heading: list[tuple[str, Any]]) -> None:
    """The session's heading above the table; the table's header stays frozen and printed on every
    page. The heading is neutralised like the table (a place may start with "=")."""
    above = len(heading) + 1  # and an empty row
    sheet.insert_rows(1, above)
    for number, (label, value) in enumerate(heading, start=1):
        sheet.cell(number, 1, neutralise(label)).font = Font(bold=True)
        sheet.cell(number, 2 if label else 1, neutralise(value))
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.freeze_panes = f"A{above + 2}"
    sheet.print_title_rows = f"{above + 1}:{above + 1}"


# --------------------------------------------------------------------------------- the summary


def summary_file(organization: Organization, year: int, today: date) -> tuple[str, bytes]:
    """The cells' year under an organisation and the year's documents: a fixed number of queries,
    whatever the number of cells, documents and members."""
    as_of = min(today, periods.Year(year).end)
    cells = selectors.cells_under(organization, year)
    years = selectors.cells_years(cells, year, as_of)
    settings = selectors.settings_of(cells)
    documents = list(selectors.documents_for(organization, year))
    counts = selectors.study_counts(documents, organization, as_of)
    with translation.override("vi"):  # the file is in Vietnamese, whoever downloads it
        cell_rows = [_cell_row(y, settings[y.cell.pk].thematic_every_months) for y in years]
    data = write_tables(
        [
            (CELL_SHEET, CELL_HEADERS, cell_rows),
            (
                DOCUMENT_SHEET,
                DOCUMENT_HEADERS,
                [_document_row(d, *counts.get(d.pk, (0, 0))) for d in documents],
            ),
        ]
    )
    return f"tong-hop-sinh-hoat-{year}-{organization.code}.xlsx", data


def _months(months) -> str:
    """Months, compact as in the page's month boxes: "T1, T4, T6"."""
    return ", ".join(month_label(month) for month in months)


def _cell_row(year: selectors.CellYear, thematic_every: int) -> list:
    flagged = "; ".join(f"{person.full_name} ({_months(months)})" for person, months in year.flagged)
    percent = year.attendance_percent
    return [
        year.cell.code,
        year.cell.name,
        len(year.months_held & set(year.months_due)),
        len(year.months_due),
        _months(month for _year, month in year.months_missing),
        ", ".join(period_short(n, thematic_every) for n in year.thematic_missing),
        year.present,
        year.invited,
        "" if percent is None else percent,
        flagged,
    ]


def _document_row(document, owed: int, studied: int) -> list:
    return [
        document.number,
        document.title,
        document.issuer,
        document.organization.name,
        document.set_on,
        document.study_by,
        owed,
        studied,
        owed - studied,
        "" if owed == 0 else metrics.percent(studied, owed),
    ]
