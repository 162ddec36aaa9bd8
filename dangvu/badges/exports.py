"""Next year's badge budget as an Excel workbook: the lines of the budget page (selectors.budget), in
a fixed number of queries; every text a spreadsheet would run as a formula is neutralised
(core.spreadsheets.write_tables)."""

from datetime import date

from dangvu.core.access import Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.members.rules import months_between
from dangvu.organization.models import Organization

from . import selectors

BUDGET_SHEET = "Dự toán Huy hiệu Đảng"
BUDGET_HEADERS = (
    "Họ và tên",
    "Ngày sinh",
    "Chi bộ",
    "Ngày quyết định kết nạp",
    "Tuổi đảng",
    "Huy hiệu",
    "Đợt trao",
    "Tiền thưởng kèm theo",
)
NEEDS_LOCAL_AMOUNT = "Cần mức tiền địa phương"


def budget_file(scope: Scope, organization: Organization, year: int, as_of: date) -> tuple[str, bytes]:
    """One row per line of the budget of next year (`year` + 1); the amount, or "needs the local
    amount" when the badge has no coefficient (never 0). Party age in whole years on the day the
    milestone is reached."""
    found = selectors.budget(scope, organization, year, as_of)
    rows = [_row(line) for line in found.lines]
    data = write_tables([(BUDGET_SHEET, BUDGET_HEADERS, rows)])
    return f"du-toan-huy-hieu-{found.year}-{organization.code}.xlsx", data


def _row(line: selectors.Line) -> list:
    member = line.member
    origin = member.party_age_origin
    return [
        member.person.full_name,
        member.person.date_of_birth,
        line.cell_name,
        member.first_decision_on,
        months_between(origin, line.reached_on) // 12 if origin else None,
        f"Huy hiệu {line.years} năm tuổi Đảng",
        line.batch,
        line.amount if line.amount is not None else NEEDS_LOCAL_AMOUNT,
    ]
