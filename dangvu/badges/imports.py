"""Past awards of the badge register from Excel (issue 10, point 3), through the one import
mechanism (core.imports) and the one import page (core.import_views): every problem by row and
column, nothing written unless the whole sheet is right. The member is found among those of the
subtree the user manages, by Party card number or by name and date of birth; each row goes through
services.award_record (the register's checks hold). A row whose member already has that badge in the
register is reported and skipped, never recorded twice."""

import re
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import imports, periods
from dangvu.core.imports import Column, Problem, Report, Row
from dangvu.core.vietnamese import fold
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .choices import Early
from .models import Award

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
CARD = "Số thẻ đảng viên"
NAME = "Họ và tên"
BIRTH = "Ngày sinh"
YEARS = "Huy hiệu (số năm tuổi Đảng)"
AWARDED = "Ngày quyết định"
DECISION = "Số quyết định"
ISSUER = "Cơ quan quyết định"
BATCH = "Đợt trao"
EARLY = "Tặng sớm / truy tặng"
NUMBER = "Số huy hiệu"
HANDED = "Ngày trao"
PAID = "Tiền đã chi"
NOTE = "Ghi chú"

COLUMNS = (
    Column(
        "card_number",
        CARD,
        ("Số thẻ", "Số thẻ Đảng"),
        note=gettext_lazy("The member's Party card number; else the name and date of birth find them."),
    ),
    Column("full_name", NAME, ("Họ tên", "Họ và tên đảng viên"), "name"),
    Column("date_of_birth", BIRTH, ("Ngày tháng năm sinh", "Sinh ngày"), "date"),
    Column(
        "years",
        YEARS,
        ("Huy hiệu", "Loại huy hiệu", "Số năm"),
        required=True,
        note=gettext_lazy("The badge's years of Party age: 30, 40, 45, 50, … 90."),
    ),
    Column("awarded_on", AWARDED, ("Ngày quyết định tặng", "Ngày tặng"), "date", required=True),
    Column("decision_number", DECISION, ("Quyết định số",)),
    Column("issuer", ISSUER, ("Cấp quyết định", "Nơi quyết định")),
    Column(
        "batch",
        BATCH,
        ("Ngày đợt trao", "Đợt"),
        "date",
        note=gettext_lazy("The day of the award batch: 3/2, 19/5, 2/9 or 7/11 of the year."),
    ),
    Column("early", EARLY, ("Tặng sớm", "Truy tặng"), "choice", choices=tuple(Early.choices)),
    Column("badge_number", NUMBER, ("Số HH",)),
    Column("handed_over_on", HANDED, ("Ngày trao huy hiệu",), "date"),
    Column("money_paid", PAID, ("Đã chi", "Tiền thưởng đã chi"), note=gettext_lazy("In đồng, digits only.")),
    Column("note", NOTE),
)

FIELD_COLUMNS = {
    "years": YEARS,
    "awarded_on": AWARDED,
    "decision_number": DECISION,
    "issuer": ISSUER,
    "batch": BATCH,
    "early": EARLY,
    "badge_number": NUMBER,
    "handed_over_on": HANDED,
    "money_paid": PAID,
    "note": NOTE,
}
LENGTHS = (("decision_number", DECISION, 64), ("issuer", ISSUER, 255), ("badge_number", NUMBER, 20))


def template(organization: Organization) -> bytes:
    """The file to fill in: the headers, one example row, and a sheet explaining each column."""
    year = periods.today().year - 1
    example = {
        "card_number": "",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": date(1950, 5, 20),
        "years": 50,
        "awarded_on": date(year, 8, 20),
        "decision_number": "123-QĐ/TU",
        "issuer": "Thành ủy",
        "batch": date(year, 9, 2),
        "early": "",
        "badge_number": "",
        "handed_over_on": date(year, 9, 2),
        "money_paid": "",
        "note": "",
    }
    return imports.template("Sổ tặng Huy hiệu Đảng", COLUMNS, example)


@dataclass
class Plan:
    """Who imports and where: the organisation of the page (its subtree's members they manage)."""

    actor: Any
    organization: Organization
    scope: Any


def run(data: IO[bytes] | str, plan: Plan, *, dry_run: bool) -> Report:
    return imports.run(data, COLUMNS, dry_run, lambda rows, report: _Sheet(plan, report).run(rows))


class _Sheet:
    def __init__(self, plan: Plan, report: Report) -> None:
        self.plan, self.report = plan, report
        members = list(selectors.members_for_award(plan.scope, plan.organization))
        self.by_card = {fold(m.card_number): m for m in members if m.card_number}
        self.by_name: dict[tuple, list] = {}
        for m in members:
            self.by_name.setdefault((m.person.search_text, m.person.date_of_birth), []).append(m)
        self.awarded = set(Award.objects.filter(member__in=members).values_list("member_id", "years"))
        self.seen: dict[tuple, int] = {}

    def run(self, rows: list[Row]) -> None:
        checked = []
        for row in rows:
            found = self._check(row)
            self.report.problems.extend(row.problems)
            if found is not None and not row.problems:
                checked.append((row, *found))
        if self.report.problems:
            return
        if not rows:
            self.report.problems.append(Problem(1, NAME, _("The file lists no badge award.")))
            return
        for row, member, years in checked:
            self._write(row, member, years)
            self.report.problems.extend(row.problems)

    def _check(self, row: Row):
        v = row.values
        for field, header, longest in LENGTHS:
            if len(v.get(field) or "") > longest:
                row.refuse(header, _("At most %(n)d characters.") % {"n": longest})
        years = self._years(row)
        paid = v.get("money_paid") or ""
        if paid:
            digits = re.sub(r"[.,\s]|đ$", "", str(paid).strip())
            if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
                row.refuse(PAID, _("The money paid is an amount in đồng, digits only."))
            else:
                v["money_paid"] = int(digits)
        member = self._member(row)
        if member is None or years is None or row.problems:
            return None
        key = (member.pk, years)
        if key in self.awarded:
            self.report.skipped += 1
            self.report.warnings.append(
                Problem(
                    row.number,
                    YEARS,
                    _("%(name)s already has the %(years)d-year badge in the register: row skipped.")
                    % {"name": member.person.full_name, "years": years},
                )
            )
            return None
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.refuse(YEARS, _("Row %(row)d already has this member's badge.") % {"row": first})
            return None
        return member, years

    def _years(self, row: Row) -> int | None:
        written = str(row.values.get("years") or "")
        match = re.search(r"\d+", written)
        if not written:
            return None  # refused by the reading: a required column
        if not match or int(match.group()) not in rules.MILESTONES:
            row.refuse(
                YEARS,
                _("“%(value)s” is not a badge: write its years of Party age (30, 40, 45, … 90).")
                % {"value": written},
            )
            return None
        return int(match.group())

    def _member(self, row: Row):
        v = row.values
        card = fold(v.get("card_number") or "")
        if card:
            member = self.by_card.get(card)
            if member is None:
                row.refuse(CARD, _("No member of yours has this Party card number."))
            return member
        name, born = v.get("full_name") or "", v.get("date_of_birth")
        if not name or born is None:
            row.refuse(NAME, _("Give the Party card number, or the name and the date of birth."))
            return None
        found = self.by_name.get((fold(name), born), [])
        if len(found) != 1:
            message = (
                _("No member of yours is %(name)s, born %(born)s.")
                if not found
                else _("Several members are %(name)s, born %(born)s: give the Party card number.")
            )
            row.refuse(NAME, message % {"name": name, "born": f"{born:%d/%m/%Y}"})
            return None
        return found[0]

    def _write(self, row: Row, member, years: int) -> None:
        v = row.values
        try:
            services.award_record(
                actor=self.plan.actor,
                member=member,
                years=years,
                awarded_on=v["awarded_on"],
                decision_number=v.get("decision_number") or "",
                issuer=v.get("issuer") or "",
                batch=v.get("batch"),
                early=v.get("early") or "",
                badge_number=v.get("badge_number") or "",
                handed_over_on=v.get("handed_over_on"),
                money_paid=v.get("money_paid") or None,
                note=v.get("note") or "",
            )
        except ValidationError as exc:
            items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
            for field, messages in items:
                for message in messages:
                    row.refuse(FIELD_COLUMNS.get(field, YEARS), message)
            return
        self.report.created += 1
