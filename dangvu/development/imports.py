"""Candidates (quần chúng) from Excel (issue 9, point 6), through the one import mechanism
(core.imports) and the one import page (core.import_views): every problem by row and column, nothing
written unless the whole sheet is right. Each row lists a person as a Party sympathiser by
services.candidate_add, and an awareness-class certificate date given is recorded as the class step
by services.step_record: the same checks as the pages."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import imports, periods
from dangvu.core.imports import Column, Problem, Report, Row
from dangvu.core.vietnamese import fold
from dangvu.members.choices import Gender
from dangvu.organization.models import Organization

from . import rules, services
from .choices import Step
from .models import Candidate

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
CELL = "Chi bộ"
NAME = "Họ và tên"
BIRTH = "Ngày sinh"
GENDER = "Giới tính"
OCCUPATION = "Nghề nghiệp"
EDUCATION = "Giáo dục phổ thông"
LISTED = "Ngày vào danh sách cảm tình Đảng"
RESOLUTION = "Số nghị quyết"
CERTIFICATE = "Ngày cấp giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"


def columns(cell_required: bool) -> tuple[Column, ...]:
    """The columns of the file; the cell is required when importing for a committee (for a cell,
    the rows are its own)."""
    return (
        Column(
            "cell",
            CELL,
            ("Mã chi bộ", "Tên chi bộ", "Chi bộ sinh hoạt"),
            required=cell_required,
            note=gettext_lazy("The cell's code or name, as in the list of organisations."),
        ),
        Column(
            "full_name",
            NAME,
            ("Họ tên", "Họ và tên quần chúng", "Tên quần chúng"),
            "name",
            required=True,
        ),
        Column("date_of_birth", BIRTH, ("Ngày tháng năm sinh", "Sinh ngày"), "date", required=True),
        Column("gender", GENDER, ("Nam/Nữ", "Phái"), "choice", choices=tuple(Gender.choices)),
        Column("occupation", OCCUPATION, ("Nghề nghiệp hiện nay",)),
        Column("general_education", EDUCATION, ("Trình độ văn hóa", "Trình độ giáo dục phổ thông")),
        Column(
            "listed_on",
            LISTED,
            ("Ngày công nhận cảm tình Đảng", "Ngày cảm tình Đảng", "Ngày vào danh sách"),
            "date",
            required=True,
            note=gettext_lazy("The date of the cell's resolution listing the person as a Party sympathiser."),
        ),
        Column(
            "document_number",
            RESOLUTION,
            ("Số nghị quyết chi bộ", "Nghị quyết số", "Số văn bản"),
            note=gettext_lazy("The number of that resolution."),
        ),
        Column(
            "certificate",
            CERTIFICATE,
            (
                "Ngày cấp giấy chứng nhận",
                "Giấy chứng nhận lớp nhận thức về Đảng",
                "Ngày học xong lớp nhận thức về Đảng",
            ),
            "date",
            note=gettext_lazy(
                "Optional: the date of the Party-awareness class certificate, recorded as the class step."
            ),
        ),
    )


# Where a service's refusal on a field is said.
FIELD_COLUMNS = {
    "cell": CELL,
    "full_name": NAME,
    "date_of_birth": BIRTH,
    "listed_on": LISTED,
    "step": CERTIFICATE,
    "date": CERTIFICATE,
}
# The lengths the records hold (a longer text is refused on its row, never cut).
LENGTHS = (
    ("full_name", NAME, 150),
    ("occupation", OCCUPATION, 255),
    ("general_education", EDUCATION, 32),
    ("document_number", RESOLUTION, 64),
)


def template(organization: Organization, cells: list[Organization]) -> bytes:
    """The file to fill in: the headers, one example row, and a sheet explaining each column."""
    listed = periods.today() - timedelta(days=60)
    example = {
        "cell": cells[0].code if cells else organization.code,
        "full_name": "Nguyễn Văn An",
        "date_of_birth": date(listed.year - 24, 5, 20),
        "gender": "Nam",
        "occupation": "Kỹ sư",
        "general_education": "12/12",
        "listed_on": listed,
        "document_number": "05-NQ/CB",
        "certificate": listed + timedelta(days=30),
    }
    return imports.template("Quần chúng", columns(not organization.is_cell), example)


@dataclass
class Plan:
    """Who imports and where: the organisation of the page and the cells they keep under it."""

    actor: Any
    organization: Organization
    cells: list[Organization]


def run(data: IO[bytes] | str, plan: Plan, *, dry_run: bool) -> Report:
    """Read and check the whole sheet and list every row in one transaction: rolled back when
    anything is wrong, or for a preview (dry run)."""
    return imports.run(
        data,
        columns(not plan.organization.is_cell),
        dry_run,
        lambda rows, report: _Sheet(plan, report).run(rows),
    )


class _Sheet:
    def __init__(self, plan: Plan, report: Report) -> None:
        self.plan, self.report = plan, report
        self.cells: dict[str, Organization] = {}
        for cell in plan.cells:
            self.cells[fold(cell.code)] = cell
            self.cells[fold(cell.name)] = cell
        self.listed = {  # (cell, folded name, date of birth) of those on their way
            (c.cell_id, c.search_text, c.date_of_birth)
            for c in Candidate.objects.filter(cell__in=plan.cells).exclude(step=Step.REMOVED)
        }
        self.seen: dict[tuple, int] = {}  # the same person inside the file -> the first row
        self.today = periods.today()

    def run(self, rows: list[Row]) -> None:
        checked = []
        for row in rows:
            cell = self._check(row)
            self.report.problems.extend(row.problems)
            if cell is not None and not row.problems:
                checked.append((row, cell))
        if self.report.problems:
            return
        if not checked:
            self.report.problems.append(
                Problem(rows[0].number if rows else 1, NAME, _("The file lists no candidate."))
            )
            return
        for row, cell in checked:
            self._write(row, cell)
            self.report.problems.extend(row.problems)

    def _check(self, row: Row) -> Organization | None:
        v = row.values
        cell = self._cell(row)
        self._check_values(row)
        if cell is None or row.problems:
            return None
        key = (cell.pk, fold(v["full_name"]), v["date_of_birth"])
        if key in self.listed:
            row.refuse(
                NAME,
                _("%(name)s, born %(born)s, is already on the list of %(cell)s.")
                % {"name": v["full_name"], "born": f"{v['date_of_birth']:%d/%m/%Y}", "cell": cell},
            )
            return None
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.refuse(NAME, _("Row %(row)d already has this person.") % {"row": first})
            return None
        return cell

    def _check_values(self, row: Row) -> None:
        """The checks the services make, said on their columns before anything is written (so the
        report names every problem at once): the lengths, the dates in order and not ahead."""
        v = row.values
        for field, header, longest in LENGTHS:
            if len(v.get(field) or "") > longest:
                row.refuse(header, _("At most %(n)d characters.") % {"n": longest})
        listed, born, certificate = v.get("listed_on"), v.get("date_of_birth"), v.get("certificate")
        if listed is None:
            return
        problem = rules.dates_problem(None, listed, self.today)
        if problem:
            row.refuse(LISTED, problem)
        if born is not None and born >= listed:
            row.refuse(BIRTH, _("The date of birth is before the day of listing."))
        problem = rules.dates_problem(listed, certificate, self.today) if certificate else ""
        if problem:
            row.refuse(CERTIFICATE, problem)

    def _cell(self, row: Row) -> Organization | None:
        """The row's cell: the one written (among those the user keeps), or the page's own cell."""
        written = row.values.get("cell") or ""
        organization = self.plan.organization
        if not written:
            if organization.is_cell:
                return organization
            return None  # refused by the reading: a required column
        cell = self.cells.get(fold(written))
        if cell is None:
            row.refuse(CELL, _("No cell with this code or name among yours: “%(cell)s”.") % {"cell": written})
        return cell

    def _write(self, row: Row, cell: Organization) -> None:
        """The candidate listed and, when given, the class step recorded: refused on the row's
        column when a service says no (the whole file is then rolled back)."""
        v, actor = row.values, self.plan.actor
        try:
            candidate = services.candidate_add(
                actor=actor,
                cell=cell,
                full_name=v["full_name"],
                date_of_birth=v["date_of_birth"],
                listed_on=v["listed_on"],
                document_number=v.get("document_number") or "",
                gender=v.get("gender") or "",
                occupation=v.get("occupation") or "",
                general_education=v.get("general_education") or "",
            )
            if v.get("certificate") is not None:
                services.step_record(
                    actor=actor,
                    candidate=candidate,
                    expected_version=candidate.version,
                    step=Step.CLASS,
                    on=v["certificate"],
                )
        except ValidationError as exc:
            for field, messages in _messages(exc):
                for message in messages:
                    row.refuse(FIELD_COLUMNS.get(field, NAME), message)
            return
        self.report.created += 1


def _messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return list(exc.message_dict.items())
    return [("", exc.messages)]
