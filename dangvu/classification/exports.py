"""The results lists of a campaign as an Excel workbook: a sheet of the members' ratings and one of
the cells', within the user's scope (a cell's secretary gets their cell only). Its headers are the
imports' own, so a cell's list goes back in as the cell's proposals."""

from collections.abc import Iterable

from django.utils import translation

from dangvu.core.access import VIEW, Scope
from dangvu.core.spreadsheets import write_tables
from dangvu.organization.models import Organization

from . import selectors
from .choices import Exclusion, Level, Stage
from .imports.common import (
    BIRTH,
    CELL,
    EXEMPLARY,
    NAME,
    NOTE,
    PROPOSED_LEVEL,
    PROPOSED_SCORE,
    SELF_LEVEL,
    SELF_SCORE,
    level_label,
    number,
)
from .models import Campaign

MEMBER_SHEET, CELL_SHEET = "Đảng viên", "Chi bộ"
MEMBER_HEADERS = (
    "STT",
    NAME,
    BIRTH,
    CELL,
    "Được đánh giá",
    "Lý do không đánh giá",
    SELF_SCORE,
    SELF_LEVEL,
    "Ghi thay",
    PROPOSED_SCORE,
    PROPOSED_LEVEL,
    NOTE,
    "Quyết định",
    "Ngày quyết định",
    "Lý do quyết định khác kết quả kiểm tra",
)
CELL_HEADERS = ("Mã", "Tên chi bộ", SELF_LEVEL, "Quyết định", EXEMPLARY)
CELL_COUNTS = ("Chưa quyết định", "Không đánh giá")  # after one column per level
TOTAL = "Tổng cộng"


def export_file(*, scope: Scope, campaign: Campaign) -> tuple[str, bytes]:
    """The file name and the workbook of the campaign's results the user may see. A fixed number
    of queries, whatever the number of members: six per part of the campaign the user sees."""
    areas = areas_seen(scope, campaign)
    entries, progress, total = [], [], selectors.CellProgress(cell=campaign.organization)
    for area in areas:
        entries += selectors.roster(campaign, area)
        cells, area_total = selectors.progress(campaign, area)
        progress += cells
        _add(total, area_total)
    cells = _cells_by_id(progress, entries)
    entries.sort(key=lambda e: (cells[e.cell_id].code, e.member.person.sort_key, e.member.pk))
    with translation.override("vi"):  # the file's values are Vietnamese, like its headers
        data = write_tables(
            [
                (MEMBER_SHEET, MEMBER_HEADERS, _member_rows(entries, cells)),
                (CELL_SHEET, _cell_headers(), [*(_cell_row(p) for p in progress), _total_row(total)]),
            ]
        )
    where = areas[0].code if len(areas) == 1 else campaign.organization.code
    return f"ket-qua-xep-loai-{campaign.year}-{where}.xlsx", data


def areas_seen(scope: Scope, campaign: Campaign) -> list[Organization]:
    """The campaign's organisation when the user sees all of it, else the parts under it they
    see (a secretary: their cell)."""
    top = campaign.organization
    if scope.covers(top.path, VIEW):
        return [top]
    paths = [p for p in scope.paths_for(VIEW) if p.startswith(top.path)]
    return list(Organization.objects.filter(path__in=paths).order_by("path"))


def _cells_by_id(progress: list[selectors.CellProgress], entries: list) -> dict[int, Organization]:
    """The cells of the rows: those of the campaign, and any other a rating names (one query)."""
    cells = {p.cell.pk: p.cell for p in progress}
    missing = {e.cell_id for e in entries} - set(cells)
    if missing:
        cells |= {c.pk: c for c in Organization.objects.filter(pk__in=missing)}
    return cells


def _add(total: selectors.CellProgress, part: selectors.CellProgress) -> None:
    for name in ("reviewed", "not_reviewed", "not_self_assessed", "not_proposed", "not_decided"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.levels.update(part.levels)


def _member_rows(entries: list, cells: dict[int, Organization]) -> Iterable[list]:
    for index, entry in enumerate(entries, start=1):
        person, rating = entry.member.person, entry.rating
        decided = rating is not None and rating.stage == Stage.DECIDED
        yield [
            index,
            person.full_name,
            person.date_of_birth,
            cells[entry.cell_id].name,
            "x" if entry.reviewed else "",
            "" if entry.reviewed else str(Exclusion(entry.exclusion).label),
            number(rating.self_score) if rating else "",
            level_label(rating.self_level) if rating else "",
            "x" if rating and rating.self_on_behalf else "",
            number(rating.proposed_score) if rating else "",
            level_label(rating.proposed_level) if rating else "",
            rating.proposal_note if rating else "",
            level_label(rating.decided_level) if decided else "",
            rating.decided_on if decided else None,
            rating.override_reason if decided else "",
        ]


def _cell_headers() -> list[str]:
    return [*CELL_HEADERS, *(str(level.label) for level in Level), *CELL_COUNTS]


def _cell_row(progress: selectors.CellProgress) -> list:
    rating = progress.rating
    decided = rating is not None and rating.stage == Stage.DECIDED
    return [
        progress.cell.code,
        progress.cell.name,
        level_label(rating.self_level) if rating else "",
        level_label(rating.decided_level) if decided else "",
        "x" if decided and rating.exemplary else "",
        *_counts(progress),
    ]


def _total_row(total: selectors.CellProgress) -> list:
    return ["", TOTAL, "", "", "", *_counts(total)]


def _counts(progress: selectors.CellProgress) -> list[int]:
    return [*(progress.levels[level] for level in Level), progress.not_decided, progress.not_reviewed]
