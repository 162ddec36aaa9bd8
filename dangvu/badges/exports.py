"""Next year's badge budget as an Excel workbook: the lines of the budget page (selectors.budget), in
a fixed number of queries; every text a spreadsheet would run as a formula is neutralised
(core.spreadsheets.write_tables)."""

from datetime import date

from django.utils import translation

from dangvu.core.access import Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.members.rules import months_between
from dangvu.organization.models import Organization

from . import proposals, selectors
from .choices import Early

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


def badge_name(years: int) -> str:
    """The badge as the files name it, in Vietnamese whatever the user's language."""
    return f"Huy hiệu {years} năm tuổi Đảng"


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
        badge_name(line.years),
        line.batch,
        line.amount if line.amount is not None else NEEDS_LOCAL_AMOUNT,
    ]


REGISTER_SHEET = "Sổ tặng Huy hiệu Đảng"
REGISTER_HEADERS = (
    "STT",
    "Họ và tên",
    "Chi bộ",
    "Huy hiệu",
    "Ngày quyết định",
    "Số quyết định",
    "Cơ quan quyết định",
    "Đợt trao",
    "Tặng sớm / truy tặng",
    "Số huy hiệu",
    "Ngày trao",
    "Tiền thưởng kèm theo",
    "Đã chi",
)
# A gravely ill member's award reads as an ordinary one to who may not know the illness.
EARLY_LABELS = {"": "", "gravely_ill": "", "posthumous": "Truy tặng"}
EARLY_ILL_LABEL = "Tặng sớm (bệnh nặng)"


def register_file(
    scope: Scope, organization: Organization, year: int, years: int | None = None, q: str = ""
) -> tuple[str, bytes, list[selectors.RegisterLine]]:
    """The register page's lines as a workbook, same columns; the illness only for those who keep
    the member's record (selectors.register_in decides). The lines too: the caller logs the
    illnesses shown."""
    found = selectors.register_in(scope, organization, year, years, q)
    rows = [_register_row(i, line) for i, line in enumerate(found.lines, start=1)]
    data = write_tables([(REGISTER_SHEET, REGISTER_HEADERS, rows)])
    return f"so-huy-hieu-{year}-{organization.code}.xlsx", data, found.lines


def _register_row(number: int, line: selectors.RegisterLine) -> list:
    a = line.award
    return [
        number,
        a.member.person.full_name,
        a.member.person.organization.name,
        badge_name(a.years),
        a.awarded_on,
        a.decision_number,
        a.issuer,
        a.batch,
        EARLY_ILL_LABEL if line.illness_shown else EARLY_LABELS.get(a.early, ""),
        a.badge_number,
        a.handed_over_on,
        line.amount if line.amount is not None else NEEDS_LOCAL_AMOUNT,
        a.money_paid,
    ]


# -------------------------------------------------------------------------------- a batch


BATCH_SHEET = "Đề nghị tặng Huy hiệu Đảng"
BATCH_HEADERS = (
    "Họ và tên",
    "Ngày sinh",
    "Chi bộ",
    "Ngày quyết định kết nạp",
    "Tuổi đảng",
    "Huy hiệu",
    "Đợt",
    "Tặng sớm/Truy tặng",
    "Giấy tờ đã có",
    "Giấy tờ còn thiếu",
)


def batch_file(
    scope: Scope, org: Organization, batch_date: date
) -> tuple[str, bytes, list[proposals.ProposalRow]]:
    """The batch's proposals in the subtree as XLSX (the headers in Vietnamese, the papers in
    Vietnamese whatever the user's language), by cell then given name; also the rows written (the
    caller logs the illnesses shown)."""
    with translation.override("vi"):
        rows = proposals.proposal_rows(scope, proposals.proposals_in(scope, org, batch_date))
        table = [_batch_row(row, batch_date) for row in rows]
    data = write_tables([(BATCH_SHEET, BATCH_HEADERS, table)])
    return f"de-nghi-huy-hieu-{batch_date:%Y-%m-%d}-{org.code}.xlsx", data, rows


def _batch_row(row: proposals.ProposalRow, batch_date: date) -> list:
    proposal = row.proposal
    member = proposal.member
    age = proposals.party_age_months(proposal, batch_date)  # stops at death (members.rules)
    # "early" alone would tell the illness: a hidden one reads as an ordinary proposal
    shown = proposal.early == Early.GRAVELY_ILL and not row.early_hidden
    early = EARLY_ILL_LABEL if shown else EARLY_LABELS.get(proposal.early, "")
    return [
        member.person.full_name,
        member.person.date_of_birth,
        row.cell_name,
        member.first_decision_on,
        f"{age // 12} năm {age % 12} tháng" if age is not None else "",
        badge_name(proposal.years),
        proposal.batch,
        early,
        "; ".join(p.label for p in row.papers if p.present),
        "; ".join(p.label for p in row.missing),
    ]
