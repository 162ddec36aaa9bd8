"""The year of the cells of a subtree (months held, thematic periods, attendance, the 3-month flag,
study), and the office's meeting settings. Reads through core.access; a fixed number of queries
whatever the number of cells."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangvu.core import periods
from dangvu.core.access import MANAGE
from dangvu.core.forms import write_from_form
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .document_forms import SettingsForm
from .models import MeetingSettings
from .selectors import CellYear

# ------------------------------------------------------------------------------------- the year


@dataclass(frozen=True)
class MonthBox:
    """One month of a cell's year, in words as well as colour (never colour alone)."""

    month: int
    state: str  # held / missing / not_due / inactive
    label: str

    @property
    def short(self) -> str:
        return month_label(self.month)


def month_boxes(cell_year: CellYear, as_of: date) -> list[MonthBox]:
    labels = {
        "held": _("held"),
        "missing": _("missing"),
        "not_due": _("not yet due"),
        "inactive": _("cell not active"),
    }
    boxes = []
    for month in range(1, 13):
        key = (cell_year.year, month)
        if key in cell_year.months_held:
            state = "held"
        elif key in cell_year.months_due:
            state = "missing"
        elif rules.last_day(cell_year.year, month) > as_of:
            state = "not_due"
        else:
            state = "inactive"
        boxes.append(MonthBox(month, state, labels[state]))
    return boxes


def month_label(month: int) -> str:
    """A month, compact: "T5" in Vietnamese (inside the month boxes and the export's cells only)."""
    return _("M%(month)d") % {"month": month}


def months_text(months) -> str:
    """Months in a sentence: "tháng 1, 4, 6" in Vietnamese."""
    months = list(months)
    return ngettext("month %(months)s", "months %(months)s", len(months)) % {
        "months": ", ".join(str(m) for m in months)
    }


def period_label(number: int, every_months: int) -> str:
    """A thematic period in a sentence: "tháng 4–6" for the 2nd quarter, "tháng 5" for a month."""
    first, last = rules.period_months(number, every_months)
    if first == last:
        return _("month %(month)d") % {"month": first}
    return _("months %(first)d–%(last)d") % {"first": first, "last": last}


def period_short(number: int, every_months: int) -> str:
    """A thematic period, compact (the export's cells): "T4–T6", "T5"."""
    first, last = rules.period_months(number, every_months)
    return month_label(first) if first == last else f"{month_label(first)}–{month_label(last)}"


@dataclass(frozen=True)
class CellSummary:
    year: CellYear
    months: list[MonthBox]
    months_missing: str
    thematic_missing: list[str]
    flagged: list[tuple[str, str]]  # (name, months)
    study: selectors.CellStudy
    settings: MeetingSettings


def summaries(organization: Organization, cells: list[Organization], year: int, as_of: date):
    """The rows of the summary page and the settings in force for `organization`: seven queries."""
    cell_years = selectors.cells_years(cells, year, as_of)
    study = selectors.study_per_cell(cells, year, as_of)
    settings = selectors.settings_of([organization, *cells])
    rows = []
    for cell_year in cell_years:
        every = settings[cell_year.cell.pk].thematic_every_months
        rows.append(
            CellSummary(
                year=cell_year,
                months=month_boxes(cell_year, as_of),
                months_missing=months_text(m for _y, m in cell_year.months_missing),
                flagged=[(person.full_name, months_text(months)) for person, months in cell_year.flagged],
                thematic_missing=[period_label(n, every) for n in cell_year.thematic_missing],
                study=study[cell_year.cell.pk],
                settings=settings[cell_year.cell.pk],
            )
        )
    return rows, settings[organization.pk]


def source_of(settings: MeetingSettings, organization: Organization) -> str:
    """Where the setting in force comes from, in words."""
    if settings.pk is None:
        return _("the product defaults (no organisation has set them)")
    if settings.organization_id == organization.pk:
        return _("set by this organisation")
    return _("set by %(org)s") % {"org": settings.organization.name}


@login_required
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """Per cell of the subtree: the regular meeting of each month, the thematic periods missing,
    attendance, the members flagged for 3 months of unexcused absence, and study."""
    org = org_selectors.organization_get(request.scope, code)
    year = periods.year_param(request.GET.get("nam"))
    today = periods.today()
    rows, in_force = summaries(org, selectors.cells_under(org, year), year, today)
    url = reverse("meetings:summary", args=[org.code])
    return render(
        request,
        "meetings/summary.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "settings": in_force,
            "settings_source": source_of(in_force, org),
            "can_set": request.scope.covers(org.path, MANAGE) and not org.is_cell,
            "export_url": reverse("meetings:summary_export", args=[org.code]) + f"?nam={year}",
            "previous_url": f"{url}?nam={year - 1}",
            "next_url": f"{url}?nam={year + 1}",
            "as_of": min(today, periods.Year(year).end),
        },
    )


@login_required
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The office of a committee sets the thematic frequency and the shortest regular meeting for
    the cells under it (rules.md "Product defaults"); a nearer committee's own settings win."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    if org.is_cell:
        raise Http404
    in_force = selectors.settings_for(org)
    own = in_force if in_force.pk and in_force.organization_id == org.pk else None
    initial = {
        "thematic_every_months": in_force.thematic_every_months,
        "min_minutes": in_force.min_minutes,
        "version": own.version if own else None,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def write(data):
            services.settings_save(
                actor=request.user,
                organization=org,
                thematic_every_months=data["thematic_every_months"],
                min_minutes=data["min_minutes"],
                expected_version=data["version"],
            )

        back = reverse("meetings:settings", args=[org.code])
        answer = write_from_form(request, form, write, done=_("Settings saved."), back=back)
        if answer is not None:
            return answer
    return render(
        request,
        "meetings/settings.html",
        {"org": org, "form": form, "settings": in_force, "settings_source": source_of(in_force, org)},
        status=400 if request.method == "POST" else 200,
    )
