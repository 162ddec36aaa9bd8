"""Past years' final ratings from Excel (issue 6, point 6), by the office of a committee."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.imports import Problem, Report, Row
from dangvu.core.vietnamese import fold
from dangvu.members.models import Member, MembershipPeriod
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from .. import rules, selectors, services
from ..choices import Level
from ..models import Campaign, CellRating, MemberRating
from .common import (
    CELL,
    EXEMPLARY,
    LEVEL,
    NAME,
    PAST_COLUMNS,
    YEAR,
    Finder,
    level_label,
    level_of,
    parsed,
    run,
    template,
)


@dataclass
class PastPlan:
    actor: Any
    organization: Organization  # the committee whose past reviews are imported
    on_duplicate: str = "stop"
    decisions: dict[int, str] = field(default_factory=dict)


@dataclass
class _Line:
    """A checked row: a member's final rating, or the cell's own when `member` is None."""

    row: Row
    year: int
    cell: Organization
    level: str
    member: Member | None = None
    matched_by: str = "code"
    exemplary: bool = False

    @property
    def key(self) -> tuple:
        return (self.year, "member", self.member.pk) if self.member else (self.year, "cell", self.cell.pk)


def past_template(organization: Organization) -> bytes:
    cell = _cells_under(organization).order_by("code").first()
    code, year = (cell.code if cell else "CB-01"), periods.today().year - 1
    rows = [
        {
            "year": year,
            "cell": code,
            "full_name": "Nguyễn Văn An",
            "date_of_birth": date(1985, 5, 20),
            "level": level_label(Level.GOOD),
        },
        {"year": year, "cell": code, "level": level_label(Level.EXCELLENT), "exemplary": "x"},
    ]
    return template("Kết quả xếp loại", PAST_COLUMNS, rows)


def run_past(data: IO[bytes] | str, plan: PastPlan, *, dry_run: bool) -> Report:
    """Past years' final ratings: a campaign made for each year that has none, the ratings decided
    on 31/12 of the year (services.campaign_open, services.ratings_import)."""
    return run(data, PAST_COLUMNS, dry_run, lambda rows, report: _Past(plan, report).run(rows))


def _cells_under(organization: Organization):
    return Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)


def _cell_lookup(cells: Iterable[Organization]) -> dict[str, Organization]:
    """Cells by code, and by name where no two cells share it."""
    cells = list(cells)
    names = Counter(fold(c.name) for c in cells)
    lookup = {fold(c.name): c for c in cells if names[fold(c.name)] == 1}
    lookup.update({fold(c.code): c for c in cells})
    return lookup


def _subtree_members(root: Organization, rows: list[Row]) -> list[Member]:
    """The members the rows may name, recorded anywhere in the subtree, those who left included
    (their records stay; a period at one of its cells places them)."""
    cards = {c for r in rows if (c := (r.values.get("card_number") or "").strip())}
    names = {fold(n) for r in rows if (n := r.values.get("full_name"))}
    if not cards and not names:
        return []
    was_here = MembershipPeriod.objects.filter(member=OuterRef("pk"), cell__path__startswith=root.path)
    return list(
        Member.objects.filter(Q(person__organization__path__startswith=root.path) | Exists(was_here))
        .filter(Q(card_number__in=cards) | Q(person__search_text__in=names))
        .select_related("person")
        .prefetch_related("periods")
    )


def _active_in(cell: Organization, year: int) -> bool:
    return (cell.active_from is None or cell.active_from <= date(year, 12, 31)) and (
        cell.active_to is None or cell.active_to >= date(year, 1, 1)
    )


def _member_at(member: Member, cell: Organization, year: int) -> bool:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return any(
        p.cell_id == cell.pk and p.start <= end and (p.end is None or p.end > start)
        for p in member.periods.all()
    )


class _Past:
    def __init__(self, plan: PastPlan, report: Report) -> None:
        self.plan, self.report, self.root = plan, report, plan.organization
        self.cells = _cell_lookup(_cells_under(plan.organization))
        self.this_year = periods.today().year

    def run(self, rows: list[Row]) -> None:
        finder = Finder(_subtree_members(self.root, rows), self.root)
        lines = [line for row in rows if (line := self._line(row, finder)) is not None]
        self._once_a_year(lines)
        campaigns = self._campaigns(lines)
        for row in rows:
            self.report.problems.extend(row.problems)
        if self.report.problems:
            return
        lines = self._duplicates(lines, campaigns)
        if self.report.ok:
            self._write(lines, campaigns)

    def _line(self, row: Row, finder: Finder) -> _Line | None:
        v = row.values
        year = self._year(row)
        cell = self.cells.get(fold(v.get("cell") or ""))
        if v.get("cell") and cell is None:
            row.refuse(
                CELL,
                _("No cell with this code or name in %(org)s: “%(cell)s”.")
                % {"org": self.root, "cell": v["cell"]},
            )
        elif cell is not None and year is not None and not _active_in(cell, year):
            row.refuse(CELL, _("%(cell)s was not active in %(year)d.") % {"cell": cell, "year": year})
        level = parsed(row, "level", LEVEL, level_of)
        member, how = (None, "code")
        if v.get("full_name"):
            member, how = finder.find(row)
        elif v.get("date_of_birth") or v.get("card_number"):
            row.refuse(
                NAME, _("Give the member's name; for the cell's own rating leave the member's columns empty.")
            )
        exemplary = bool(v.get("exemplary"))
        if exemplary and v.get("full_name"):
            row.refuse(EXEMPLARY, _("Only a cell is marked exemplary: leave it empty on a member's row."))
        elif exemplary and level and level != Level.EXCELLENT:
            row.refuse(EXEMPLARY, _("Only an excellent cell is marked exemplary."))
        if row.problems or not level:
            return None
        if member is not None and not _member_at(member, cell, year):
            self.report.warnings.append(
                Problem(
                    row.number,
                    NAME,
                    _("According to the records, %(name)s was not a member of %(cell)s in %(year)d.")
                    % {"name": member, "cell": cell, "year": year},
                )
            )
        return _Line(row, year, cell, level, member, how, exemplary)

    def _year(self, row: Row) -> int | None:
        raw = row.values.get("year") or ""
        if not raw:
            return None  # refused by the reading: a required column
        if not (raw.isascii() and raw.isdigit()) or len(raw) != 4:
            row.refuse(YEAR, _("“%(value)s” is not a year.") % {"value": raw})
            return None
        year = int(raw)
        if year >= self.this_year:
            row.refuse(
                YEAR, _("%(year)d is not a past year: its review is held in the system.") % {"year": year}
            )
            return None
        try:
            rules.rule_set_for(year)
        except ValueError:
            row.refuse(YEAR, _("No rules are known for the review of %(year)d.") % {"year": year})
            return None
        return year

    def _once_a_year(self, lines: list[_Line]) -> None:
        first: dict[tuple, int] = {}
        for line in lines:
            number = first.setdefault(line.key, line.row.number)
            if number != line.row.number:
                line.row.refuse(
                    NAME if line.member else CELL,
                    _("Row %(row)d already rates it in %(year)d.") % {"row": number, "year": line.year},
                )

    def _campaigns(self, lines: list[_Line]) -> dict[int, Campaign | None]:
        """Each year's campaign: this organisation's imported one, or None when one is to be made.
        A year with a live campaign, or one above or under this organisation, is refused."""
        found: dict[int, Campaign | None] = {}
        for year in sorted({line.year for line in lines}):
            existing = list(selectors.overlapping(self.root, year))
            own = [c for c in existing if c.organization_id == self.root.pk]
            if len(existing) == len(own) and all(c.imported for c in own):
                found[year] = own[0] if own else None
                continue
            message = (
                _("The review of %(year)d is held in the system: its ratings are decided there.")
                if own
                else _("The review of %(year)d is already open for this organisation or part of it.")
            ) % {"year": year}
            for line in lines:
                if line.year == year:
                    line.row.refuse(YEAR, message)
        return found

    def _duplicates(self, lines: list[_Line], campaigns: dict[int, Campaign | None]) -> list[_Line]:
        """Ratings already imported: stopped, skipped or replaced, as the user chooses per row."""
        ids = [c.pk for c in campaigns.values() if c is not None]
        if not ids:
            return lines
        existing = {
            (r.campaign.year, "member", r.member_id): r
            for r in MemberRating.objects.filter(
                campaign_id__in=ids, member_id__in=[line.member.pk for line in lines if line.member]
            ).select_related("campaign", "member__person")
        }
        existing |= {
            (r.campaign.year, "cell", r.cell_id): r
            for r in CellRating.objects.filter(campaign_id__in=ids).select_related("campaign", "cell")
        }
        kept = []
        for line in lines:
            rating = existing.get(line.key)
            if rating is None:
                kept.append(line)
                continue
            action = self.plan.decisions.get(line.row.number, self.plan.on_duplicate)
            self.report.add_duplicate(line.row.number, rating, line.matched_by, action)
            if action == "skip":
                self.report.skipped += 1
            elif action == "update":
                kept.append(line)
        return kept

    def _write(self, lines: list[_Line], campaigns: dict[int, Campaign | None]) -> None:
        for year in sorted({line.year for line in lines}):
            of_year = [line for line in lines if line.year == year]
            try:
                campaign = campaigns[year] or self._open(year)
                done = services.ratings_import(
                    actor=self.plan.actor,
                    campaign=campaign,
                    members=[(line.member, line.cell, line.level) for line in of_year if line.member],
                    cells=[(line.cell, line.level, line.exemplary) for line in of_year if not line.member],
                )
            except ValidationError as exc:
                self.report.problems.append(Problem(of_year[0].row.number, YEAR, " ".join(exc.messages)))
                return
            self.report.created += done.created
            self.report.updated += done.updated
            self.report.unchanged += done.unchanged

    def _open(self, year: int) -> Campaign:
        """The campaign of a past year, marked as imported: nobody is told, nothing is to do."""
        return services.campaign_open(
            actor=self.plan.actor,
            organization=self.root,
            year=year,
            start=date(year, 12, 1),
            end=date(year, 12, 31),
            review_date=date(year, 12, 31),
            notify=False,
            imported=True,
        )
