"""The reads of the dashboard of an organisation's subtree (issue 11, points 2, 4 and 6): the year's
targets against the figures and last year's, the month-by-month course of the main figures, what is
late, the charts' data, and what each figure is made of. Every figure comes from the metric registry
(core.metrics) over the subtree, so the same page serves a cell, a đảng bộ bộ phận, the committee and
a committee above committees; each costs a bounded number of queries whatever the subtree's size."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangvu.core import metrics, periods
from dangvu.core.access import VIEW, Scope
from dangvu.core.metrics import Entry, MetricContext
from dangvu.core.vietnamese import fold, name_sort_key
from dangvu.organization.models import Organization

from . import selectors
from .models import Target
from .wording import comparison

# The figures whose month-by-month course the dashboard draws (issue 11 point 4).
COURSE = (
    "study.members_studied_pct",
    "reports.on_time_pct",
    "meetings.cell_meetings_held_pct",
    "inspection.completed_pct",
    "members.total",
)
CELL_RATINGS = tuple(f"classification.cells.{b}" for b in ("excellent", "good", "completed", "not_completed"))
CELL_RATINGS_ALL = (*CELL_RATINGS, "classification.cells.unrated")
MEMBER_RATINGS = tuple(
    f"classification.members.{b}" for b in ("excellent", "good", "completed", "not_completed", "not_reviewed")
)
MONEY = ("badges.reward_total_vnd", "badges.reward_forecast_next_year_vnd")


# ------------------------------------------------------------------------------ the period asked


@dataclass(frozen=True)
class Period:
    """The year and the as-of day a dashboard is read for (?nam=YYYY&ngay=dd/mm/yyyy)."""

    year: int
    as_of: date
    bad_day: bool = False  # the day typed could not be read, or lies outside the year

    @property
    def query(self) -> str:
        return urlencode({"nam": self.year, "ngay": f"{self.as_of:%d/%m/%Y}"})

    def context(self, organization: Organization) -> MetricContext:
        return MetricContext.of(organization.path, self.year, self.as_of)


def period_of(params) -> Period:
    """This year and today by default; a past year as of its last day. A day that is not a date of
    the year asked is ignored (the default day is used and the page says so), never an error."""
    year = periods.year_param(params.get("nam"))
    default = periods.Year(year).default_as_of(periods.today())
    raw = (params.get("ngay") or "").strip()
    if not raw:
        return Period(year, default)
    try:
        day = periods.parse_vn_date(raw)
    except ValueError:
        return Period(year, default, bad_day=True)
    if day.year != year:
        return Period(year, default, bad_day=True)
    return Period(year, day)


# --------------------------------------------------------------------------------- presentation


def shown(value: float | int | None, kind: str, key: str = "") -> str:
    """A figure the Vietnamese way: 86,3%, 1.850, 1.800.000 đ; "—" when there is none."""
    if value is None:
        return "—"
    if kind == metrics.RATIO:
        return f"{number_format(value, 1, use_l10n=True, force_grouping=True)}%"
    text = number_format(value, 0, use_l10n=True, force_grouping=True)
    return f"{text} đ" if key in MONEY else text


def detail_url(organization: Organization, key: str, period: Period, as_of: date | None = None) -> str:
    query = urlencode({"nam": period.year, "ngay": f"{(as_of or period.as_of):%d/%m/%Y}"})
    return f"{reverse('targets:detail', args=[organization.code, key])}?{query}"


@dataclass(frozen=True)
class Shown:
    """A figure on the page: its metric, its published value, its text and its drill-down."""

    key: str
    label: str
    kind: str
    value: float | int | None
    text: str
    url: str
    numerator: int | None = None
    denominator: int | None = None
    entered: bool = False
    note: str = ""


def shown_figure(
    organization, period, key, figure: dict[str, Any], as_of=None, entered: bool = False
) -> Shown | None:
    """A figure on the page; one the office entered has no drill-down (nothing stands behind it)."""
    metric = metrics.get(key)
    if metric is None:
        return None
    return Shown(
        key=key,
        label=str(metric.label),
        kind=metric.kind,
        value=figure.get("value"),
        text=shown(figure.get("value"), metric.kind, key),
        url="" if entered else detail_url(organization, key, period, as_of),
        numerator=figure.get("numerator"),
        denominator=figure.get("denominator"),
        entered=entered,
    )


def figures_of(organization: Organization, ctx: MetricContext) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The year's figures as the targets page and the API read them (selectors.figures_at: a past
    year's entered figures in place of the computed ones), and the keys entered."""
    found = selectors.figures_at(organization, ctx)
    return {key: f.as_dict() for key, f in found.items()}, {key for key, f in found.items() if f.entered}


# ---------------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetLine:
    """A target of the year with its actual figure, whether it is met, and last year's figure."""

    target: Target
    label: str
    actual: Shown | None
    met: bool | None
    last_year: Shown | None

    @property
    def target_text(self) -> str:
        return comparison(self.target)


def target_lines(
    organization, period, figures, last_year, targets=None, entered: set[str] = frozenset()
) -> list[TargetLine]:
    """The organisation's targets of the year (or those given), evaluated as the annual document
    evaluates them (against the figures given: `entered` those the office typed)."""
    lines = []
    if targets is None:
        targets = selectors.targets_of(organization, period.year)
    for target in targets:
        if not target.metric:
            lines.append(TargetLine(target, target.text, None, None, None))
            continue
        evaluated = selectors.evaluated(target, figures)
        metric = metrics.get(target.metric)
        label = str(metric.label) if metric else target.metric
        actual = shown_figure(
            organization,
            period,
            target.metric,
            figures.get(target.metric, {}),
            entered=target.metric in entered,
        )
        lines.append(TargetLine(target, label, actual, evaluated["met"], last_year.get(target.metric)))
    return lines


def last_year_figures(organization, period: Period, keys: set[str]) -> dict[str, Shown]:
    """Last year's figures of `keys` (the targeted ones), the office's entered ones in place of the
    computed ones (marked, with no drill-down)."""
    previous = period.year - 1
    found = selectors.figures_of_year(organization, previous, periods.today(), keys)
    before = Period(previous, periods.Year(previous).default_as_of(periods.today()))
    return {
        key: shown_figure(organization, before, key, figure.as_dict(), entered=figure.entered)
        for key, figure in found.items()
    }


# ---------------------------------------------------------------------------- the month's course


def month_ends(period: Period) -> list[date]:
    """The end of each month of the year up to the as-of day, the last point being the as-of day."""
    ends = []
    for month in range(1, 13):
        first_next = date(period.year + 1, 1, 1) if month == 12 else date(period.year, month + 1, 1)
        end = first_next - timedelta(days=1)
        if date(period.year, month, 1) > period.as_of:
            break
        ends.append(min(end, period.as_of))
    return ends


@dataclass(frozen=True)
class Course:
    """A figure's course over the months: one Shown per month end."""

    key: str
    label: str
    kind: str
    points: list[Shown]


def courses(organization: Organization, period: Period) -> tuple[list[date], list[Course]]:
    """Each main figure computed by the registry as of each month end: bounded queries per point."""
    ends = month_ends(period)
    found = []
    for key in COURSE:
        metric = metrics.get(key)
        if metric is None:
            continue
        points = []
        for end in ends:
            ctx = MetricContext.of(organization.path, period.year, end)
            points.append(shown_figure(organization, period, key, metric.compute(ctx), end))
        found.append(Course(key, str(metric.label), metric.kind, points))
    return ends, found


# -------------------------------------------------------------------------------- what is late


@dataclass(frozen=True)
class Late:
    label: str
    count: int
    url: str


def late_work(scope: Scope, organization: Organization) -> list[Late]:
    """What is late today in the subtree, only what the user sees, from the apps' own selectors:
    reports missing or returned past their deadline, remedial actions and plan tasks overdue,
    candidates' steps overdue. A bounded number of queries."""
    from dangvu.development import selectors as development
    from dangvu.programme import selectors as programme
    from dangvu.programme.choices import TaskState
    from dangvu.reports import selectors as reports
    from dangvu.reports.choices import Status

    today = periods.today()
    code = organization.code
    owed = reports.owed_in(scope, organization, timezone.now())
    late_reports = sum(1 for row in owed if row.status in {Status.MISSING, Status.INCOMPLETE})
    actions = (
        programme.actions_visible(scope)
        .filter(owner__path__startswith=organization.path, state=TaskState.OPEN, due_on__lt=today)
        .count()
    )
    visible_plans = programme.plans_visible(scope).values("pk")
    tasks = programme.overdue_tasks(organization.path, today).filter(plan__in=visible_plans).count()
    candidates = development.with_steps(development.candidates_in(scope, organization))
    steps = sum(1 for row in development.rows(candidates, today=today) if row.overdue)
    return [
        Late(_("Reports late or missing"), late_reports, reverse("reports:list", args=[code])),
        Late(_("Remedial actions overdue"), actions, reverse("programme:actions", args=[code])),
        Late(_("Plan tasks overdue"), tasks, reverse("programme:plans", args=[code])),
        Late(_("Candidates' steps overdue"), steps, reverse("development:candidates", args=[code])),
    ]


# ---------------------------------------------------------------------------------------- charts


@dataclass
class Chart:
    """A chart and its table: labels, one or more series of numbers, and a link for each label."""

    id: str
    title: str
    kind: str  # Chart.js type: "bar" or "line"
    labels: list[str]
    series: list[tuple[str, list]]  # (series label, values)
    percent: bool = False
    urls: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.kind,
            "labels": self.labels,
            "datasets": [{"label": label, "data": values} for label, values in self.series],
            "percent": self.percent,
        }

    @property
    def rows(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The table behind the chart: (label, url, [(series label, value shown)]); the series label
        heads each value when a phone stacks the table's cells."""
        urls = self.urls or [""] * len(self.labels)
        kind = metrics.RATIO if self.percent else metrics.COUNT
        return [
            (label, urls[i], [(name, shown(values[i], kind)) for name, values in self.series])
            for i, label in enumerate(self.labels)
        ]


def ratings_chart(organization, period, figures, keys, chart_id, title) -> Chart:
    present = [k for k in keys if k in figures]
    return Chart(
        chart_id,
        title,
        "bar",
        [str(metrics.get(k).label) for k in present],
        [(title, [figures[k]["value"] for k in present])],
        urls=[detail_url(organization, k, period) for k in present],
    )


def visible(scope: Scope, entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if scope.covers(e.path, VIEW)]


def on_time_by_cell(scope, organization, period, ctx) -> Chart:
    """Reports on time ÷ required, by cell, from what reports.on_time_pct is made of."""
    made_of = metrics.detail("reports.on_time_pct", ctx)
    counted, out_of = Counter(), Counter()
    if made_of is not None:
        for entry in visible(scope, made_of.counted):
            counted[entry.cell or entry.name] += 1
        for entry in visible(scope, made_of.out_of or []):
            out_of[entry.cell or entry.name] += 1
    cells = sorted(out_of, key=fold)
    return Chart(
        "chart-reports-by-cell",
        _("Reports on time by cell"),
        "bar",
        cells,
        [
            (_("Reports received on time"), [counted[c] for c in cells]),
            (_("Reports required"), [out_of[c] for c in cells]),
        ],
        urls=[detail_url(organization, "reports.on_time_pct", period)] * len(cells),
    )


def study_chart(organization, ends: list[date], found: list[Course]) -> Chart | None:
    course = next((c for c in found if c.key == "study.members_studied_pct"), None)
    if course is None:
        return None
    return Chart(
        "chart-study",
        _("Study coverage by month"),
        "line",
        [f"{end:%m/%Y}" for end in ends],
        [(course.label, [p.value for p in course.points])],
        percent=True,
        urls=[p.url for p in course.points],
    )


def budget_chart(scope, organization, period) -> Chart:
    from dangvu.badges import selectors as badges

    budget = badges.budget(scope, organization, period.year, period.as_of)
    days = list(budget.by_batch)
    return Chart(
        "chart-badges",
        _("Badges to award next year by batch"),
        "bar",
        [f"{day:%d/%m/%Y}" for day in days],
        [(_("Badges to award"), [budget.by_batch[d].count for d in days])],
        urls=[reverse("badges:budget", args=[organization.code]) + f"?nam={period.year}"] * len(days),
    )


# ------------------------------------------------------------------------------------ the page


def dashboard(scope: Scope, organization: Organization, period: Period) -> dict[str, Any]:
    """Everything the dashboard shows."""
    ctx = period.context(organization)
    figures, entered = figures_of(organization, ctx)
    targets = selectors.targets_of(organization, period.year)
    last_year = last_year_figures(organization, period, {t.metric for t in targets if t.metric})
    ends, found = courses(organization, period)
    charts = [
        ratings_chart(
            organization, period, figures, CELL_RATINGS_ALL, "chart-cells", _("Ratings of the cells")
        ),
        ratings_chart(
            organization, period, figures, MEMBER_RATINGS, "chart-members", _("Ratings of the members")
        ),
        on_time_by_cell(scope, organization, period, ctx),
        study_chart(organization, ends, found),
        budget_chart(scope, organization, period),
    ]
    charts = [c for c in charts if c is not None]
    return {
        "targets": target_lines(organization, period, figures, last_year, targets, entered=entered),
        "ends": ends,
        "courses": found,
        "course_rows": [(end, [c.points[i] for c in found]) for i, end in enumerate(ends)],
        "late": late_work(scope, organization),
        "charts": charts,
        "chart_data": {"charts": [c.data() for c in charts]},
        "figures": [
            f
            for key, value in figures.items()
            if (f := shown_figure(organization, period, key, value, entered=key in entered))
        ],
    }


# ----------------------------------------------------------------------------- the drill-down


@dataclass(frozen=True)
class Made:
    """What a figure is made of, as the user may see it: the counted entries and the rest."""

    figure: Shown
    has_detail: bool
    counted: list[Entry]
    rest: list[Entry]
    hidden: int  # entries dropped because the user may not see them
    with_amounts: bool


def _sorted(entries: list[Entry]) -> list[Entry]:
    """By cell, then by given name (a cell listed as itself sorts by its own name)."""

    def key(entry: Entry):
        cell = entry.cell if entry.kind != "cell" else entry.name
        name = name_sort_key(entry.name) if entry.kind == "member" else fold(entry.name)
        return (fold(cell), name)

    return sorted(entries, key=key)


def _rest(counted: list[Entry], out_of: list[Entry]) -> list[Entry]:
    """The whole less the counted ones (the numerator's entries are among the whole's)."""
    left = Counter(counted)
    rest = []
    for entry in out_of:
        if left[entry] > 0:
            left[entry] -= 1
        else:
            rest.append(entry)
    return rest


def made_of(scope: Scope, organization: Organization, period: Period, key: str) -> Made | None:
    """The figure `key` and what it is made of; None for a key the registry does not compute."""
    metric = metrics.get(key)
    if metric is None:
        return None
    figure, found = selectors.figure_made_of(organization, period.context(organization), key)
    head = shown_figure(organization, period, key, figure.as_dict(), entered=figure.entered)
    if found is None:
        return Made(head, False, [], [], 0, False)
    counted = visible(scope, found.counted)
    rest = _rest(found.counted, found.out_of) if found.out_of is not None else []
    rest_visible = visible(scope, rest)
    hidden = len(found.counted) - len(counted) + len(rest) - len(rest_visible)
    amounts = any(e.amount is not None for e in found.counted)
    return Made(head, True, _sorted(counted), _sorted(rest_visible), hidden, amounts)
