"""The annual summary report (báo cáo tổng kết) and the six-month review (báo cáo sơ kết 6 tháng) of an
organisation's subtree, written from the metrics (shared/spec/metrics.md) in the outline of rules.md §7.

Three steps, as every document: the figures (core.metrics, the targets, the previous year, the
drill-down details behind the shortcomings) → a `Content` in Party prose, the figures written as the
article writes them ("46 chi bộ hoàn thành tốt nhiệm vụ (78%)", "kết nạp 3/7 quần chúng") → a `Draft`
that the office edits before it is issued. The prose is the document's own Vietnamese, not UI text.
A bounded number of queries, whatever the number of cells.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from dangvu.core import access, metrics
from dangvu.core.metrics import MetricContext
from dangvu.members import selectors as member_selectors
from dangvu.programme.choices import TaskState
from dangvu.programme.selectors import actions_carried_by
from dangvu.reports.metrics import submissions_due
from dangvu.targets import selectors as target_selectors
from dangvu.targets.models import Target
from dangvu.targets.rules import published

from ..choices import DocType
from ..content import Content, Draft
from ..rules import TYPE_NAMES
from .annual_text import CELL_COUNTS, COMPARED, EVENTS, Facts, as_target, sections
from .source_common import report_recipients, signer

Progress = Callable[[int, int], None]

STEPS = 5


def report_draft(organization, year: int, *, half: bool, on: date, progress: Progress | None = None) -> Draft:
    """The annual summary (half=False) or the six-month review (half=True) of an organisation's subtree."""
    if year > on.year:
        raise ValidationError(
            gettext("A report cannot be written for %(year)s: the year has not begun.") % {"year": year}
        )
    step = _stepper(progress)
    as_of = min(date(year, 6, 30), on) if half else None
    document = metrics.annual_document(organization=organization, year=year, as_of=as_of, on=on)
    ctx = MetricContext.of(organization.path, year, date.fromisoformat(document["as_of"]), on)
    due = _reports_due(ctx)
    facts = Facts(
        organization, year, half, ctx, document["metrics"], reports=_reports(due), events=_events(ctx)
    )
    step()
    previous = _previous_year(facts, on)
    step()
    shortcomings = _shortcomings(facts, document["targets"], due)
    step()
    coming = _coming_targets(facts, document["targets"])
    step()
    with translation.override("vi"):  # the metrics' labels, in the document's language
        written = sections(facts, document["targets"], previous, shortcomings, coming)
    content = Content(
        type_name=TYPE_NAMES[DocType.MIDYEAR_REPORT if half else DocType.ANNUAL_REPORT],
        subject=_subject(year, half),
        sections=written,
        signatures=signer(organization, on),
        recipients=report_recipients(organization),
    )
    step()
    return Draft(
        doc_type=DocType.MIDYEAR_REPORT if half else DocType.ANNUAL_REPORT,
        organization=organization,
        year=year,
        title=_title(year, half),
        content=content,
        figures={
            "as_of": document["as_of"],
            "metrics": document["metrics"],
            "targets": document["targets"],
            "previous_year": {key: figure.value for key, figure in previous.items()},
            "previous_year_entered": sorted(key for key, figure in previous.items() if figure.entered),
            "next_year_targets": [_target_json(target) for target in coming],
            "shortcomings": shortcomings,
            "reports_due_by_as_of": facts.reports,
            "member_events": facts.events,
        },
        source=f"{'midyear' if half else 'annual'}:{year}",
    )


def _stepper(progress: Progress | None) -> Callable[[], None]:
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], STEPS)

    return step


def _title(year: int, half: bool) -> str:
    return "Báo cáo " + _subject(year, half).replace("\n", " ")


def _subject(year: int, half: bool) -> str:
    if half:
        return (
            f"sơ kết công tác xây dựng Đảng 6 tháng đầu năm {year},\n"
            f"phương hướng, nhiệm vụ 6 tháng cuối năm {year}"
        )
    return f"tổng kết công tác xây dựng Đảng năm {year},\nphương hướng, nhiệm vụ năm {year + 1}"


def _previous_year(facts: Facts, on: date) -> dict[str, target_selectors.Figure]:
    """The previous year's figures: the whole year (the office's entered figures for a year before
    the installation), or for the six-month review its first six months, computed."""
    keys = {key for key in COMPARED if not (facts.is_cell and key in CELL_COUNTS)}
    if facts.half:  # the members and cells are rated at the year's end
        keys = {key for key in keys if not key.startswith("classification.")}
    before = facts.year - 1
    if not facts.half:
        return target_selectors.figures_of_year(facts.organization, before, on, keys)
    ctx = MetricContext.of(facts.organization.path, before, date(before, 6, 30), on)
    found = {}
    for key in keys:
        metric = metrics.get(key)
        if metric is not None:
            f = metric.compute(ctx)
            found[key] = target_selectors.Figure(f.get("value"), f.get("numerator"), f.get("denominator"))
    return found


def _names(entries: Iterable[metrics.Entry], attribute: str = "name") -> list[str]:
    """Distinct names in their first order."""
    return list(dict.fromkeys(getattr(entry, attribute) for entry in entries if getattr(entry, attribute)))


def _by_cell(entries: Iterable[metrics.Entry]) -> dict[str, int]:
    """How many report entries each cell has, the most first."""
    found = Counter(entry.cell or entry.name for entry in entries)
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _reports_due(ctx: MetricContext) -> list[tuple[dict, metrics.Entry]]:
    """The reports required from the cells (reports.metrics, the figures' own query) due on or before
    the as-of date: a report due later is neither missing nor late yet. One query."""
    return [(row, entry) for row, entry in submissions_due(ctx) if row["round__due_date"] <= ctx.as_of]


def _reports(due: list[tuple[dict, metrics.Entry]]) -> dict[str, int]:
    """The "Chế độ báo cáo" figures of the reports due by the as-of date."""
    return {
        "required": len(due),
        "on_time": sum(1 for row, _ in due if row["is_on_time"]),
        "missing": sum(1 for row, _ in due if row["is_missing"]),
    }


def _events(ctx: MetricContext) -> dict[str, int]:
    """How many transfers in and out, deaths and removals the subtree recorded in the period (to its
    as-of date): one query."""
    return member_selectors.events_counted(EVENTS, ctx.root_path, ctx.year.start, ctx.last_day)


def _shortcomings(facts: Facts, targets: list[dict], due: list[tuple[dict, metrics.Entry]]) -> dict[str, Any]:
    """What the data shows went wrong, each with the cells it concerns (the drill-down details)."""
    ctx = facts.ctx
    missing = [entry for row, entry in due if row["is_missing"]]
    # Neither accepted on time nor missing: sent late, or sent on time and returned to be corrected or
    # not accepted yet.
    late = [entry for row, entry in due if not row["is_on_time"] and not row["is_missing"]]
    regulations = metrics.detail("regulations.cells_reviewed_pct", ctx)
    reviewed = set(regulations.counted)
    return {
        "reports_missing": _by_cell(missing),
        "reports_not_accepted_on_time": _by_cell(late),
        "cells_without_regulation_review": _names(e for e in regulations.out_of if e not in reviewed),
        "attendance": _attendance(facts, targets),
        "remedial_actions_overdue": _overdue_actions(facts),
    }


def _attendance(facts: Facts, targets: list[dict]) -> dict[str, Any] | None:
    """The conference attendance when below its target of the year: the figure, the target and the
    cells of the invitees absent; None when no target is set for it or it is met."""
    key = "meetings.conference_attendance_pct"
    target = next((t for t in targets if t["metric"] == key and not t["met"]), None)
    if target is None or target["actual"] is None:  # met, no target, or no conference held
        return None
    found = metrics.detail(key, facts.ctx)
    present = set(found.counted)
    return {
        "actual": target["actual"],
        "op": target["op"],
        "value": target["value"],
        "cells_absent": _names((e for e in found.out_of if e not in present), "cell"),
    }


def _overdue_actions(facts: Facts) -> list[dict[str, str]]:
    """Remedial actions after an inspection carried out by the subtree, due before the as-of date
    and not done on it."""
    as_of = facts.ctx.as_of
    actions = (
        actions_carried_by(access.SYSTEM_SCOPE, facts.organization)
        .filter(due_on__lt=as_of)
        .exclude(state=TaskState.DROPPED)
        .exclude(state=TaskState.DONE, done_on__lte=as_of)
        .order_by("due_on", "owner__name", "pk")
    )
    return [
        {"cell": action.owner.name, "action": action.action, "due_on": action.due_on.strftime("%d/%m/%Y")}
        for action in actions
    ]


def _coming_targets(facts: Facts, targets: list[dict]) -> list[Target]:
    """Next year's targets; for the six-month review, the year's targets not met yet."""
    if facts.half:
        return [as_target(t) for t in targets if not t["met"]]
    return target_selectors.targets_of(facts.organization, facts.year + 1)


def _target_json(target: Target) -> dict[str, Any]:
    if not target.metric:
        return {"metric": None, "op": None, "value": None, "text": target.text, "note": target.note}
    return {"metric": target.metric, "op": target.op, "value": published(Decimal(target.value))}
