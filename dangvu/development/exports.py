"""The development pipeline as an Excel workbook (issue 9, point 6).

One row per candidate the user sees under an organisation: who they are, their cell and helper,
where they are and since when, what they await next and by when (rules.next_due, with the
working-day calendar), one column per step with its date, and until when the awareness-class
certificate is valid; a second sheet lists the dossier's papers. Dates are real dates shown
dd/mm/yyyy; every text a spreadsheet would run as a formula is neutralised (core.spreadsheets)."""

from datetime import date

from django.utils import translation

from dangvu.core import periods
from dangvu.core.access import Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import Paper, Step

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
CANDIDATE_SHEET, PAPER_SHEET = "Quần chúng", "Hồ sơ"
NAME, BIRTH, CELL, HELPER = "Họ và tên", "Ngày sinh", "Chi bộ", "Đảng viên giúp đỡ"
CURRENT, SINCE = "Bước hiện tại", "Từ ngày"
NEXT, AWAITED, DUE, OVERDUE = "Bước tiếp theo", "Việc có thời hạn", "Hạn", "Quá hạn"
CERTIFICATE_UNTIL = "Giấy chứng nhận còn giá trị đến"
PAPER, MADE_ON, VALID_UNTIL = "Giấy tờ", "Ngày lập", "Còn giá trị đến"
STEPS = tuple(Step.values)  # one column each, in the pipeline's order, the removal last


def step_label(step: str) -> str:
    """A step as the file writes it: its Vietnamese label, whoever downloads the file."""
    if not step:
        return ""
    with translation.override("vi"):
        return str(Step(step).label)


def paper_label(paper: str) -> str:
    with translation.override("vi"):
        return str(Paper(paper).label)


def headers() -> list[str]:
    return [
        "STT",
        NAME,
        BIRTH,
        CELL,
        HELPER,
        CURRENT,
        SINCE,
        NEXT,
        AWAITED,
        DUE,
        OVERDUE,
        *(step_label(s) for s in STEPS),
        CERTIFICATE_UNTIL,
    ]


PAPER_HEADERS = (NAME, BIRTH, CELL, PAPER, MADE_ON, VALID_UNTIL)


def pipeline_file(
    scope: Scope, organization: Organization, *, everyone: bool = False, today: date | None = None
) -> tuple[str, bytes]:
    """The file name and the workbook of the candidates the user sees under the organisation (by
    given name): those still on their way, or with `everyone` also the recognised and the removed.
    Five queries, however many candidates."""
    today = today or periods.today()
    candidates = selectors.with_steps(selectors.candidates_in(scope, organization, current=not everyone))
    found = selectors.rows(candidates, today=today)
    rows = [_row(index, row) for index, row in enumerate(found, start=1)]
    papers = [_paper_row(row.candidate, paper) for row in found for paper in row.candidate.papers.all()]
    data = write_tables([(CANDIDATE_SHEET, headers(), rows), (PAPER_SHEET, PAPER_HEADERS, papers)])
    suffix = "-tat-ca" if everyone else ""
    return f"phat-trien-dang-vien-{organization.code}{suffix}.xlsx", data


def _row(index: int, row: selectors.Row) -> list:
    candidate = row.candidate
    done = {s.step: s.date for s in candidate.steps.all()}
    certificate = done.get(Step.CLASS)
    return [
        index,
        candidate.full_name,
        candidate.date_of_birth,
        candidate.cell.name,
        candidate.helper.person.full_name if candidate.helper else "",
        step_label(candidate.step),
        candidate.step_on,
        step_label(rules.next_step(candidate.step)),
        step_label(row.due.step) if row.due else "",
        row.due.on if row.due else None,
        "x" if row.overdue else "",
        *(done.get(s) for s in STEPS),
        rules.certificate_valid_until(certificate) if certificate else None,
    ]


def _paper_row(candidate, paper) -> list:
    expiring = paper.paper in rules.EXPIRING
    return [
        candidate.full_name,
        candidate.date_of_birth,
        candidate.cell.name,
        paper_label(paper.paper),
        paper.made_on,
        rules.paper_valid_until(paper.made_on) if expiring else None,
    ]
