"""The year's inspection and supervision programme from Excel (issue 8, point 4), through the one
import mechanism (core.imports): every problem by row and column, nothing written unless the whole
sheet is right; the year's programme opened when there is none (services.programme_open), then one
services.item_add per row, all in one transaction.

A row names its subject as the cells and members are named in the offices' files: a cell by its
code (or its name), a member by their Party card number, else by their name and, when two members of
the organisation share it, their date of birth (as the members import matches a member)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import imports
from dangvu.core.imports import Column, Problem, Report, Row
from dangvu.core.vietnamese import fold
from dangvu.members.models import Member
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from . import rules, services
from .choices import ItemKind
from .models import Item, Programme

# The file's Vietnamese headers: fixed, not translated (they are the format of the file).
KIND = "Loại công việc"
CELL = "Mã chi bộ"
CARD = "Số thẻ đảng viên"
MEMBER = "Đảng viên"
BIRTH = "Ngày sinh"
CONTENT = "Nội dung"
FROM = "Từ ngày"
UNTIL = "Đến ngày"
DECISION = "Số quyết định, kế hoạch"
RESPONSIBLE = "Người phụ trách"
SHEET = "Chương trình kiểm tra"

# The kinds as offices write them, besides the codes and the labels (compared folded: without
# diacritics, any case).
SHORT_FORMS = {
    ItemKind.COMPLIANCE: (
        "Kiểm tra chấp hành",
        "Kiểm tra đảng viên chấp hành",
        "Kiểm tra việc chấp hành",
        "KT chấp hành",
    ),
    ItemKind.THEMATIC_INSPECTION: ("Kiểm tra chuyên đề", "KT chuyên đề"),
    ItemKind.SIGNS_OF_VIOLATION: (
        "Kiểm tra khi có dấu hiệu vi phạm",
        "Kiểm tra dấu hiệu vi phạm",
        "Dấu hiệu vi phạm",
        "KT dấu hiệu vi phạm",
    ),
    ItemKind.ONGOING_SUPERVISION: ("Giám sát thường xuyên", "GS thường xuyên"),
    ItemKind.THEMATIC_SUPERVISION: ("Giám sát chuyên đề", "GS chuyên đề"),
    ItemKind.DENUNCIATION: ("Giải quyết tố cáo", "Tố cáo"),
    ItemKind.DISCIPLINE: ("Thi hành kỷ luật", "Xem xét, thi hành kỷ luật", "Xem xét kỷ luật", "Kỷ luật"),
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "kind",
        KIND,
        ("Loại", "Hình thức", "Loại kiểm tra, giám sát"),
        "choice",
        required=True,
        choices=tuple(ItemKind.choices),
        value_aliases=tuple(SHORT_FORMS.items()),
    ),
    Column(
        "cell",
        CELL,
        ("Chi bộ", "Chi bộ được kiểm tra", "Tổ chức đảng được kiểm tra", "Đơn vị"),
        note=gettext_lazy(
            "The code (or the name) of the cell concerned; empty when the item concerns a member."
        ),
    ),
    Column(
        "card_number",
        CARD,
        ("Số thẻ", "Số thẻ Đảng"),
        note=gettext_lazy("Finds the member concerned exactly; empty when the item concerns a cell."),
    ),
    Column(
        "member",
        MEMBER,
        ("Họ và tên đảng viên", "Đảng viên được kiểm tra", "Họ và tên"),
        "name",
        note=gettext_lazy("The member concerned, when there is no card number; with one, it must agree."),
    ),
    Column(
        "date_of_birth",
        BIRTH,
        ("Ngày tháng năm sinh", "Sinh ngày"),
        "date",
        note=gettext_lazy("With the name, tells apart two members of the same name."),
    ),
    Column("content", CONTENT, ("Nội dung kiểm tra, giám sát",), required=True),
    Column(
        "starts_on",
        FROM,
        ("Bắt đầu", "Thời gian bắt đầu"),
        "date",
        required=True,
        note=gettext_lazy("Within the programme's year."),
    ),
    Column("ends_on", UNTIL, ("Kết thúc", "Thời gian kết thúc"), "date", required=True),
    Column("decision_number", DECISION, ("Số quyết định", "Số kế hoạch", "Quyết định")),
    Column("responsible", RESPONSIBLE, ("Phụ trách", "Người chịu trách nhiệm", "Đoàn kiểm tra")),
)
HEADERS = {c.field: c.header for c in COLUMNS}
# A service's refusal names a field of the item: the column of the file it comes from.
FIELD_COLUMNS = {"subject_cell": CELL, "subject_member": MEMBER, "year": FROM, "__all__": CONTENT}


@dataclass
class ProgrammePlan:
    actor: Any
    organization: Organization
    year: int


def _cells_under(organization: Organization):
    return Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS).order_by(
        "code"
    )


# ------------------------------------------------------------------------------------ template


def programme_template(organization: Organization, year: int) -> bytes:
    """The headers, an example row (a thematic inspection of the first cell, in the year) and the
    sheet explaining each column."""
    cell = _cells_under(organization).first()
    example = {
        "kind": "Kiểm tra chuyên đề",
        "cell": cell.code if cell else "",
        "content": "Kiểm tra việc thực hiện Quy chế làm việc của chi ủy",
        "starts_on": date(year, 4, 1),
        "ends_on": date(year, 4, 30),
        "decision_number": f"01-QĐ/{year}",
        "responsible": "Ủy ban kiểm tra",
    }
    return imports.template(SHEET, COLUMNS, example)


# ------------------------------------------------------------------------------------- the run


def run_programme(data: IO[bytes] | str, plan: ProgrammePlan, *, dry_run: bool) -> Report:
    """Read and check the whole sheet and write it in one transaction: rolled back when anything
    is wrong, or for a preview (dry run)."""
    return imports.run(data, COLUMNS, dry_run, lambda rows, report: _Sheet(plan, report).run(rows))


@dataclass
class _Planned:
    row: Row
    fields: dict[str, Any]


class _Sheet:
    def __init__(self, plan: ProgrammePlan, report: Report) -> None:
        self.plan, self.report = plan, report
        cells = list(_cells_under(plan.organization))
        self.cells: dict[str, Organization] = {fold(cell.name): cell for cell in cells}
        self.cells |= {fold(cell.code): cell for cell in cells}  # a code wins over a name spelt like it
        self.programme = Programme.objects.filter(organization=plan.organization, year=plan.year).first()
        self.seen: dict[tuple, int] = {}  # an item's key -> the first row giving it

    def run(self, rows: list[Row]) -> None:
        self._load_members(rows)
        self.recorded = self._recorded_keys()
        planned = []
        for row in rows:
            fields = self._check(row)
            self.report.problems.extend(row.problems)
            if fields is not None and not row.problems:
                planned.append(_Planned(row, fields))
        if self.report.problems:
            return
        if not planned and not self.report.skipped:
            number = rows[0].number if rows else 1
            self.report.problems.append(Problem(number, KIND, _("No row of the file gives an item.")))
            return
        self._write(planned)

    # ---------------------------------------------------------------------------- the members

    def _load_members(self, rows: list[Row]) -> None:
        """The members of the organisation that rows name, by card number and by folded name: one
        query. A member outside the organisation reads as unknown (the file learns nothing)."""
        cards = {v["card_number"] for v in (r.values for r in rows) if v.get("card_number")}
        names = {fold(v["member"]) for v in (r.values for r in rows) if v.get("member")}
        self.by_card: dict[str, Member] = {}
        self.by_name: dict[str, list[Member]] = defaultdict(list)
        if not cards and not names:
            return
        members = Member.objects.filter(
            Q(card_number__in=cards) | Q(person__search_text__in=names),
            person__organization__path__startswith=self.plan.organization.path,
        ).select_related("person")
        for member in members.order_by("pk"):
            if member.card_number:
                self.by_card.setdefault(member.card_number, member)
            self.by_name[member.person.search_text].append(member)

    def _member(self, row: Row) -> Member | None:
        v = row.values
        card, folded, born = (
            (v.get("card_number") or "").strip(),
            fold(v.get("member") or ""),
            v.get("date_of_birth"),
        )
        org = self.plan.organization
        if card:
            member = self.by_card.get(card)
            if member is None:
                row.refuse(
                    CARD,
                    _("No member of %(org)s has the card number “%(card)s”.") % {"org": org, "card": card},
                )
            elif folded and folded != member.person.search_text:
                row.refuse(
                    MEMBER,
                    _("The card number %(card)s is %(name)s's.")
                    % {"card": card, "name": member.person.full_name},
                )
            return member
        if not folded:
            return None
        found = self.by_name.get(folded, [])
        if born is not None and len(found) > 1:
            found = [m for m in found if m.person.date_of_birth == born]
        if not found:
            row.refuse(MEMBER, _("No member of %(org)s has this name.") % {"org": org})
            return None
        if len(found) > 1:
            row.refuse(
                MEMBER, _("Several members have this name: give the card number or the date of birth.")
            )
            return None
        return found[0]

    # ------------------------------------------------------------------------------ the rows

    def _check(self, row: Row) -> dict[str, Any] | None:
        v = row.values
        cell = None
        if v.get("cell"):
            cell = self.cells.get(fold(v["cell"]))
            if cell is None:
                row.refuse(
                    CELL,
                    _("%(org)s has no cell “%(cell)s”.") % {"org": self.plan.organization, "cell": v["cell"]},
                )
        member = self._member(row)
        if row.problems:
            return None
        problem = rules.subject_problem(v["kind"], has_cell=cell is not None, has_member=member is not None)
        if problem:
            row.refuse(CELL, problem)
        starts_on, ends_on = v["starts_on"], v["ends_on"]
        if starts_on.year != self.plan.year:
            row.refuse(
                FROM, _("The item must start in %(year)d, the programme's year.") % {"year": self.plan.year}
            )
        if ends_on < starts_on:
            row.refuse(UNTIL, _("The end of the period cannot be before its start."))
        for name in ("decision_number", "responsible"):
            longest = Item._meta.get_field(name).max_length
            if len(v.get(name) or "") > longest:
                row.refuse(HEADERS[name], _("Write at most %(n)d characters.") % {"n": longest})
        if row.problems:
            return None
        fields = {
            "kind": v["kind"],
            "subject_cell": cell,
            "subject_member": member,
            "content": v["content"],
            "starts_on": starts_on,
            "ends_on": ends_on,
            "decision_number": v.get("decision_number") or "",
            "responsible": v.get("responsible") or "",
        }
        return self._once(row, fields)

    def _once(self, row: Row, fields: dict[str, Any]) -> dict[str, Any] | None:
        """A row giving an item twice in the file is refused; one already in the programme is
        skipped (the file may be imported again after more rows were added)."""
        key = _key(
            fields["kind"],
            fields["subject_cell"],
            fields["subject_member"],
            fields["content"],
            fields["starts_on"],
        )
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.refuse(CONTENT, _("Row %(row)d already gives this item.") % {"row": first})
            return None
        if key in self.recorded:
            self.report.skipped += 1
            self.report.warnings.append(
                Problem(row.number, CONTENT, _("Already in the programme: the row is skipped."))
            )
            return None
        if rules.outside_compliance_window(fields["kind"], fields["starts_on"], fields["ends_on"]):
            self.report.warnings.append(
                Problem(
                    row.number,
                    FROM,
                    _("A compliance inspection is usually planned from March to September."),
                )
            )
        return fields

    def _recorded_keys(self) -> set[tuple]:
        if self.programme is None:
            return set()
        items = Item.objects.filter(programme=self.programme).values_list(
            "kind", "subject_cell_id", "subject_member_id", "content", "starts_on"
        )
        return {(kind, cell, member, fold(content), start) for kind, cell, member, content, start in items}

    def _write(self, planned: list[_Planned]) -> None:
        plan = self.plan
        programme = self.programme
        if programme is None and planned:
            try:
                programme = services.programme_open(
                    actor=plan.actor, organization=plan.organization, year=plan.year
                )
            except ValidationError as exc:  # opened by someone else meanwhile
                self._refused(planned[0].row, exc)
                return
        for one in planned:
            try:
                services.item_add(actor=plan.actor, programme=programme, **one.fields)
            except ValidationError as exc:
                self._refused(one.row, exc)
                continue
            self.report.created += 1

    def _refused(self, row: Row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = FIELD_COLUMNS.get(name) or HEADERS.get(name, CONTENT)
                self.report.problems.extend(Problem(row.number, column, m) for m in messages)
        else:
            self.report.problems.extend(Problem(row.number, CONTENT, m) for m in exc.messages)


def _key(kind: str, cell: Organization | None, member: Member | None, content: str, starts_on: date) -> tuple:
    return (kind, cell.pk if cell else None, member.pk if member else None, fold(content), starts_on)
