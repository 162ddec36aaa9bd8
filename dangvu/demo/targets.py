"""The demo's targets and entered figures (issue 11, point 3; shared/spec/metrics.md "Targets").

Targets: the source article's 2024 targets, set by the office on the grassroots committee for 2024
with the written one ("Nâng cao phẩm chất đạo đức, lối sống của đảng viên", with its note), then
copied forward year by year (`targets_copy`) to every later year up to the demo's today; in the
current year two values are raised (more than 85% of cells good, at least 15 cells inspected), as
an office does when last year's were met comfortably.

Entered figures: the demo's data starts with the first of its complete years; for the year before
it the office typed the main percentages from that year's summary (`figure_enter`, "nhập tay"), so
the first year has a comparison. A ratio with a count of cells is entered as its numerator and
denominator, a members' ratio as its value alone (the demo's size varies with --members).

Every write goes through the services (their checks and audit) as the office (`vanphong`)."""

from django.contrib.auth import get_user_model

from dangvu.core import periods
from dangvu.targets import services
from dangvu.targets.models import Target

from .classification import complete_years

TARGETS_YEAR = 2024
ARTICLE_TARGETS = (
    ("study.members_studied_pct", ">=", 100),
    ("regulations.cells_reviewed_pct", ">=", 100),
    ("inspection.cells_inspected", ">=", 12),
    ("classification.cells.completed_or_above_pct", ">=", 100),
    ("classification.cells.good_pct", ">", 80),
    ("classification.members.good_or_above_pct", ">=", 80),
)
WRITTEN = "Nâng cao phẩm chất đạo đức, lối sống của đảng viên"
WRITTEN_NOTE = (
    "Theo Quy định 144-QĐ/TW về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên; "
    "đánh giá qua kiểm điểm cuối năm."
)
# The current year's raised values.
RAISED = {("classification.cells.good_pct", ">"): 85, ("inspection.cells_inspected", ">="): 15}


def build_targets(ctx) -> None:
    office = get_user_model().objects.get(username="vanphong")
    _targets(ctx, office)
    _entered(ctx, office)


def _targets(ctx, office) -> None:
    for metric, op, value in ARTICLE_TARGETS:
        services.target_add(
            actor=office, organization=ctx.root, year=TARGETS_YEAR, metric=metric, op=op, value=value
        )
    services.target_add(
        actor=office, organization=ctx.root, year=TARGETS_YEAR, text=WRITTEN, note=WRITTEN_NOTE
    )
    for year in range(TARGETS_YEAR + 1, ctx.today.year + 1):
        services.targets_copy(actor=office, organization=ctx.root, from_year=year - 1, to_year=year)
    if ctx.today.year <= TARGETS_YEAR:
        return
    for target in Target.objects.filter(organization=ctx.root, year=ctx.today.year):
        raised = RAISED.get((target.metric, target.op))
        if raised is not None:
            services.target_update(
                actor=office,
                target=target,
                expected_version=target.version,
                metric=target.metric,
                op=target.op,
                value=raised,
                text=target.text,
                note="Nâng so với năm trước",
            )


def _entered(ctx, office) -> None:
    year = complete_years(ctx.today)[0] - 1
    if year >= periods.today().year:  # only a past year's figures are typed
        return
    cells = len(ctx.cells)
    good, excellent = round(cells * 0.74), 5
    note = f"Theo Báo cáo tổng kết công tác xây dựng Đảng năm {year}"
    ratios = (
        ("classification.cells.good_pct", good, cells),
        ("classification.cells.good_or_above_pct", good + excellent, cells),
        ("classification.cells.completed_or_above_pct", cells, cells),
        ("regulations.cells_reviewed_pct", cells - 4, cells),
        ("development.admitted_from_pool", 2, 6),
    )
    for metric, numerator, denominator in ratios:
        services.figure_enter(
            actor=office,
            organization=ctx.root,
            year=year,
            metric=metric,
            numerator=numerator,
            denominator=denominator,
            note=note,
        )
    values = (
        ("study.members_studied_pct", 98.6),
        ("training.committee_members_trained_pct", 100),
        ("classification.members.good_or_above_pct", 81.4),
        ("inspection.cells_inspected", 11),
        ("cells.total", cells),
    )
    for metric, value in values:
        services.figure_enter(
            actor=office, organization=ctx.root, year=year, metric=metric, value=value, note=note
        )
