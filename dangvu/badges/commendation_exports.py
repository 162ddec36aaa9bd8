"""The commendations register of a year as an Excel workbook: the columns of the register page
(commendations.commendations_in), in one query; every text a spreadsheet would run as a formula is
neutralised (core.spreadsheets.write_tables)."""

from django.utils import translation

from dangvu.core.access import Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.organization.models import Organization

from .commendations import commendations_in
from .models import Commendation

# The file's Vietnamese headers: fixed, not translated (they are the format of the file).
SHEET = "Sổ khen thưởng"
HEADERS = (
    "STT",
    "Hình thức",
    "Cấp khen",
    "Số quyết định",
    "Ngày quyết định",
    "Khen thưởng cho",
    "Tổ chức",
    "Lý do",
    "Năm xếp loại",
    "Tiền thưởng",
)


def commendations_file(scope: Scope, organization: Organization, year: int) -> tuple[str, bytes]:
    """One row per commendation of `year` in the subtree that the user sees."""
    with translation.override("vi"):
        rows = [_row(i, c) for i, c in enumerate(commendations_in(scope, organization, year), start=1)]
    data = write_tables([(SHEET, HEADERS, rows)])
    return f"khen-thuong-{year}-{organization.code}.xlsx", data


def _row(number: int, c: Commendation) -> list:
    return [
        number,
        str(c.get_form_display()),
        c.issuer,
        c.decision_number,
        c.decided_on,
        c.member.person.full_name if c.member else c.organization.name,
        c.organization.name,
        c.reason,
        c.rated_year,
        c.amount,
    ]
