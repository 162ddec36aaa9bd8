"""What both imports share: the columns, reading a level or a score, finding a member, the run."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import imports, spreadsheets
from dangvu.core.imports import Column, Row
from dangvu.core.imports import run as run  # the shared import run, for past and proposals
from dangvu.core.vietnamese import fold
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from ..choices import Level

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
NAME = "Họ và tên"
BIRTH = "Ngày sinh"
CARD = "Số thẻ đảng viên"
CELL = "Chi bộ"
SELF_SCORE = "Điểm tự chấm"
SELF_LEVEL = "Tự xếp loại"
PROPOSED_SCORE = "Điểm chi bộ đề xuất"
PROPOSED_LEVEL = "Chi bộ đề xuất"
NOTE = "Ghi chú"
YEAR = "Năm"
LEVEL = "Xếp loại"
EXEMPLARY = "Tiêu biểu"

NAME_ALIASES = ("Họ tên", "Tên đảng viên", "Họ và tên đảng viên")
BIRTH_ALIASES = ("Ngày tháng năm sinh", "Sinh ngày")
CARD_ALIASES = ("Số thẻ", "Số thẻ Đảng")

PROPOSAL_COLUMNS: tuple[Column, ...] = (
    Column("full_name", NAME, NAME_ALIASES, "name", required=True),
    Column("date_of_birth", BIRTH, BIRTH_ALIASES, "date"),
    Column("card_number", CARD, CARD_ALIASES),
    Column("self_score", SELF_SCORE, ("Điểm tự đánh giá", "Tự chấm điểm")),
    Column("self_level", SELF_LEVEL, ("Tự đánh giá xếp loại", "Mức tự xếp loại")),
    Column("proposed_score", PROPOSED_SCORE, ("Điểm đề xuất", "Điểm chi bộ")),
    Column("proposed_level", PROPOSED_LEVEL, ("Xếp loại đề xuất", "Mức đề xuất", "Chi bộ đề xuất xếp loại")),
    Column("note", NOTE, ("Ghi chú của chi bộ", "Nhận xét")),
)
PAST_COLUMNS: tuple[Column, ...] = (
    Column("year", YEAR, ("Năm đánh giá", "Năm xếp loại"), required=True),
    Column("cell", CELL, ("Mã chi bộ", "Tên chi bộ"), required=True),
    Column("full_name", NAME, NAME_ALIASES, "name"),
    Column("date_of_birth", BIRTH, BIRTH_ALIASES, "date"),
    Column("card_number", CARD, CARD_ALIASES),
    Column("level", LEVEL, ("Kết quả xếp loại", "Xếp loại chất lượng", "Mức xếp loại"), required=True),
    Column("exemplary", EXEMPLARY, ("Chi bộ tiêu biểu",), "bool"),
)
PAST_ACTIONS = ("stop", "skip", "update")

# What the guide sheet of each template says of a column (in the language of who downloads it).
NOTES = {
    "full_name": gettext_lazy("As in the member's record."),
    "date_of_birth": gettext_lazy("With the name, finds the member; or give the Party card number."),
    "card_number": gettext_lazy("Finds the member without the date of birth."),
    "self_score": gettext_lazy("Out of 100. Used only for a member who has not self-assessed."),
    "self_level": gettext_lazy(
        "Used only for a member who has not self-assessed: recorded on their behalf by the cell."
    ),
    "proposed_score": gettext_lazy("Out of 100; left empty, the self-assessed score is used."),
    "proposed_level": gettext_lazy("The level the cell proposes; a row without it is skipped."),
    "note": gettext_lazy("The cell's note on the member."),
    "year": gettext_lazy("A past year (the current year is reviewed in the system)."),
    "cell": gettext_lazy("The cell's code or name."),
    "level": gettext_lazy("The final rating: the member's, or the cell's own when the name is empty."),
    "exemplary": gettext_lazy("“x” for a cell rated excellent and exemplary."),
}
LEVEL_FIELDS = {"self_level", "proposed_level", "level"}

# Short forms of the levels used in offices' files, besides the codes and the full labels.
SHORT_FORMS = {
    Level.EXCELLENT: ("Xuất sắc", "Hoàn thành xuất sắc", "HTXSNV"),
    Level.GOOD: ("Tốt", "Hoàn thành tốt", "HTTNV"),
    Level.COMPLETED: ("Hoàn thành", "HTNV"),
    Level.NOT_COMPLETED: ("Không hoàn thành", "KHTNV"),
}


# --------------------------------------------------------------------------------- cell values


def level_forms() -> dict[str, str]:
    """Every spelling of a level read on import: its code, its labels and the short forms."""
    return imports.choice_forms(tuple(Level.choices), tuple(SHORT_FORMS.items()))


def level_of(raw: str) -> str:
    """A level from its code, its label (Vietnamese or English) or a short form; "" when empty."""
    if not raw:
        return ""
    found = level_forms().get(fold(raw))
    if found is None:
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.") % {"value": raw, "choices": levels_note()}
        )
    return found


def levels_note() -> str:
    return ", ".join(f"{level.label} ({SHORT_FORMS[level][0]})" for level in Level)


def score_of(raw: str) -> Decimal | None:
    """A score out of 100, with a decimal point or comma; None when empty."""
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(_("“%(value)s” is not a score out of 100.") % {"value": raw})
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_("A score is from 0 to 100."))
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def level_label(value: str) -> str:
    """A level as the files write it: its Vietnamese label, whatever the user's language."""
    if not value:
        return ""
    with translation.override("vi"):
        return str(Level(value).label)


def number(value: Decimal | None) -> int | float | str:
    """A score as a spreadsheet number: 85, 85.5; empty when there is none."""
    if value is None:
        return ""
    return int(value) if value == value.to_integral_value() else float(value)


def parsed(row: Row, name: str, header: str, parse: Callable[[str], Any]) -> Any:
    try:
        return parse(row.values.get(name) or "")
    except ValueError as exc:
        row.refuse(header, str(exc))
        return None


class Finder:
    """Finds a row's member by the Party card number, else by the name and the date of birth."""

    def __init__(self, members: Iterable[Member], where: Organization):
        self.where = where
        self.by_card: dict[str, list[Member]] = defaultdict(list)
        self.by_name: dict[tuple, list[Member]] = defaultdict(list)
        for member in members:
            if member.card_number:
                self.by_card[member.card_number].append(member)
            self.by_name[(member.person.search_text, member.person.date_of_birth)].append(member)

    def find(self, row: Row) -> tuple[Member | None, str]:
        """The member and how they were matched ("card_number", "name_dob"), or None with the
        row refused."""
        v = row.values
        card, folded = (v.get("card_number") or "").strip(), fold(v.get("full_name") or "")
        if card:
            found = self.by_card.get(card, [])
            if len(found) == 1 and found[0].person.search_text != folded:
                row.refuse(CARD, _("This Party card number is %(name)s's.") % {"name": found[0]})
                return None, ""
            missing = _("No member of %(org)s has this Party card number.")
            return self._one(row, found, CARD, missing), "card_number"
        if v.get("date_of_birth") is None:
            if BIRTH not in {p.column for p in row.problems}:
                row.refuse(BIRTH, _("Give the date of birth or the Party card number to find the member."))
            return None, ""
        found = self.by_name.get((folded, v["date_of_birth"]), [])
        missing = _("No member of %(org)s has this name and date of birth.")
        return self._one(row, found, NAME, missing), "name_dob"

    def _one(self, row: Row, found: list[Member], header: str, missing: str) -> Member | None:
        if not found:
            row.refuse(header, missing % {"org": self.where})
            return None
        if len(found) > 1:
            row.refuse(header, _("Several members match: give the Party card number."))
            return None
        return found[0]


def template(title: str, columns: Sequence[Column], rows: list[dict]) -> bytes:
    """The file to fill in: the headers, the given rows, and a guide sheet for the columns."""
    guide = []
    for column in columns:
        parts = [str(NOTES[column.field])]
        if column.field in LEVEL_FIELDS:
            parts.append(_("One of: %(choices)s.") % {"choices": levels_note()})
        if column.kind == "date":
            parts.append(_("A date: dd/mm/yyyy, or an Excel date."))
        if column.required:
            parts.append(_("Required."))
        guide.append((column.header + (" *" if column.required else ""), " ".join(parts)))
    values = [[row.get(c.field, "") for c in columns] for row in rows]
    return spreadsheets.write_table(title, [c.header for c in columns], values, notes=guide)
