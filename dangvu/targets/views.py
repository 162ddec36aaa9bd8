"""The pages of targets (chỉ tiêu) and of past years' figures (issue 11, points 3 and 5): the year's
targets of an organisation with their actual values and whether they are met; the office sets them,
corrects them, removes them or copies last year's; and, for a first-year installation, types the
figures of past years the system holds no data for. Thin views over selectors and services.

Whoever sees the organisation reads (a leader, the inspection, a cell's secretary for the cell); the
office (selectors.can_set: MANAGE) writes; a reader gets 404 on the write pages, as development's
settings page does."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dangvu.core import access, metrics, periods
from dangvu.core.access import MANAGE
from dangvu.core.forms import VersionOnlyForm, write_from_form
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .forms import FigureForm, TargetForm
from .models import EnteredFigure, Target
from .wording import shown, wording


def _fraction(figure: dict) -> str:
    """A ratio's "a/b", as the article writes "3/7"; "" for a count."""
    if figure.get("denominator") is None or figure.get("numerator") is None:
        return ""
    return f"{figure['numerator']}/{figure['denominator']}"


def _past_year(raw: str | None, today: date) -> int:
    """Figures are entered for past years only: this year or later asks for last year's."""
    year = periods.year_param(raw, today.year - 1)
    return year if year < today.year else today.year - 1


def _with_year(name: str, code: str, year: int) -> str:
    return f"{reverse(name, args=[code])}?nam={year}"


def _entered_as_figure(row: EnteredFigure) -> dict:
    return selectors.entered(row, metrics.get(row.metric).kind).as_dict()


# ------------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Line:
    """A target of the page: in words, with its actual value and whether it is met."""

    target: Target
    wording: str
    actual: str
    fraction: str
    met: bool | None
    entered: bool
    detail_url: str


def _actuals(org: Organization, year: int, keys: set[str], today: date) -> tuple[dict, set[str]]:
    """The targeted figures only (each computed once, whatever the number of targets), as of today
    or the year's end, the office's entered figures in place of the computed ones as on the
    dashboard. Returns the figures and the keys entered."""
    found = selectors.figures_of_year(org, year, today, keys)
    return {k: f.as_dict() for k, f in found.items()}, {k for k, f in found.items() if f.entered}


def _line(org: Organization, year: int, target: Target, figures: dict, entered: set[str]) -> Line:
    found = selectors.evaluated(target, figures)
    if not target.metric:
        return Line(target, target.text, "", "", None, False, "")
    key = target.metric
    detail = "" if key in entered else f"{reverse('targets:detail', args=[org.code, key])}?nam={year}"
    return Line(
        target=target,
        wording=wording(target),
        actual=shown(key, found["actual"]),
        fraction=_fraction(figures.get(key, {})),
        met=found["met"],
        entered=key in entered,
        detail_url=detail,
    )


@login_required
def targets(request: HttpRequest, code: str) -> HttpResponse:
    """The organisation's targets of the year, in their order, against the actual figures."""
    org = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    year = periods.year_param(request.GET.get("nam"), today.year)
    rows = selectors.targets_of(org, year)
    figures, entered = _actuals(org, year, {t.metric for t in rows if t.metric}, today)
    lines = [_line(org, year, target, figures, entered) for target in rows]
    as_of = periods.Year(year).default_as_of(today)
    context = {
        "org": org,
        "year": year,
        "as_of": as_of,
        "future": year > today.year,
        "measured": [line for line in lines if line.target.metric],
        "written": [line for line in lines if not line.target.metric],
        "can_set": selectors.can_set(request.scope, org),
        "previous_url": _with_year("targets:targets", org.code, year - 1),
        "next_url": _with_year("targets:targets", org.code, year + 1),
        "add_url": _with_year("targets:target_add", org.code, year),
        "figures_url": reverse("targets:figures", args=[org.code]),
    }
    return render(request, "targets/targets.html", context)


def _form_page(request: HttpRequest, form, context: dict) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "targets/target_form.html", {"form": form, **context}, status=status)


@login_required
def target_add(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, MANAGE)  # selectors.can_set
    year = periods.year_param(request.GET.get("nam"), periods.today().year)
    form = TargetForm(request.POST or None)
    back = _with_year("targets:targets", org.code, year)
    if request.method == "POST":

        def write(data):
            services.target_add(actor=request.user, organization=org, year=year, **form.values())

        answer = write_from_form(request, form, write, done=_("The target is added."), back=back)
        if answer is not None:
            return answer
    title = _("Add a target for %(year)d") % {"year": year}
    return _form_page(request, form, {"org": org, "year": year, "title": title, "back": back})


def _target_for_office(request: HttpRequest, pk: int) -> Target:
    """A target of an organisation the user manages; 404 otherwise (missing or forbidden alike)."""
    return access.get_for_user_or_404(
        Target.objects.select_related("organization"), request.scope, MANAGE, pk=pk
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_for_office(request, pk)
    org = target.organization
    initial = {
        "metric": target.metric,
        "op": target.op,
        "value": "" if target.value is None else str(rules.published(target.value)),
        "text": target.text,
        "note": target.note,
        "version": target.version,
    }
    form = TargetForm(request.POST or None, initial=initial)
    form.fields["version"].required = True
    back = _with_year("targets:targets", org.code, target.year)
    if request.method == "POST":

        def write(data):
            services.target_update(
                actor=request.user, target=target, expected_version=data["version"], **form.values()
            )

        again = reverse("targets:target_edit", args=[target.pk])
        answer = write_from_form(
            request, form, write, done=_("The target is saved."), back=again, done_url=back
        )
        if answer is not None:
            return answer
    title = _("Change a target of %(year)d") % {"year": target.year}
    context = {"org": org, "year": target.year, "title": title, "back": back, "target": target}
    return _form_page(request, form, context)


@login_required
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a target set by mistake (after a confirmation): it stays in the history."""
    target = _target_for_office(request, pk)
    org = target.organization
    form = VersionOnlyForm(request.POST or None, initial={"version": target.version})
    back = _with_year("targets:targets", org.code, target.year)
    if request.method == "POST":

        def write(data):
            services.target_delete(actor=request.user, target=target, expected_version=data["version"])

        answer = write_from_form(request, form, write, done=_("The target is removed."), back=back)
        if answer is not None:
            return answer
    context = {
        "org": org,
        "target": target,
        "wording": wording(target) if target.metric else target.text,
        "form": form,
        "back": back,
    }
    return render(
        request, "targets/target_delete.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def targets_copy(request: HttpRequest, code: str) -> HttpResponse:
    """Copy last year's targets into the year (those already there are kept as they are)."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    year = periods.year_param(request.POST.get("nam") or request.GET.get("nam"), periods.today().year)
    back = _with_year("targets:targets", org.code, year)
    source = len(selectors.targets_of(org, year - 1))
    try:
        made = services.targets_copy(actor=request.user, organization=org, from_year=year - 1, to_year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    words = {"count": len(made), "source": year - 1, "year": year}
    if not source:
        messages.info(request, _("%(source)d has no targets to copy.") % words)
    elif not made:
        messages.info(request, _("All the targets of %(source)d are already present in %(year)d.") % words)
    else:
        text = ngettext(
            "%(count)d target copied from %(source)d.", "%(count)d targets copied from %(source)d.", len(made)
        )
        messages.success(request, text % words)
    return redirect(back)


# ---------------------------------------------------------------------------- past years' figures


@dataclass(frozen=True)
class FigureLine:
    """A figure of a past year: what the data gives, what the office entered, and which one counts."""

    key: str
    label: str
    computed: str
    computed_fraction: str
    entered: EnteredFigure | None
    entered_value: str
    entered_fraction: str
    differs: bool
    enter_url: str


def _figure_line(org: Organization, year: int, key: str, computed: dict, row: EnteredFigure | None):
    metric = metrics.get(key)
    as_entered = _entered_as_figure(row) if row else {}
    return FigureLine(
        key=key,
        label=str(metric.label),
        computed=shown(key, computed.get("value")),
        computed_fraction=_fraction(computed),
        entered=row,
        entered_value=shown(key, as_entered.get("value")) if row else "",
        entered_fraction=_fraction(as_entered),
        differs=bool(row) and as_entered.get("value") != computed.get("value"),
        enter_url=f"{_with_year('targets:figure_enter', org.code, year)}&chi_so={key}",
    )


@login_required
def figures(request: HttpRequest, code: str) -> HttpResponse:
    """Every figure of a past year: computed from the data and, where the office entered one, the
    entered figure the dashboard uses instead."""
    org = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    year = _past_year(request.GET.get("nam"), today)
    computed = metrics.compute_all(metrics.MetricContext.of(org.path, year, on=today))
    entered = {row.metric: row for row in selectors.entered_of(org, year)}
    lines = [
        _figure_line(org, year, key, computed.get(key, {}), entered.get(key))
        for key in metrics.CATALOGUE
        if metrics.get(key)
    ]
    can_set = selectors.can_set(request.scope, org)
    context = {
        "org": org,
        "year": year,
        "lines": lines,
        "entered_count": sum(1 for line in lines if line.entered),
        "can_set": can_set,
        "import_url": reverse("classification:import_past", args=[org.code])
        if can_set and not org.is_cell
        else "",
        "previous_url": _with_year("targets:figures", org.code, year - 1),
        "next_url": _with_year("targets:figures", org.code, year + 1) if year + 1 < today.year else "",
        "targets_url": _with_year("targets:targets", org.code, year),
    }
    return render(request, "targets/figures.html", context)


@login_required
def figure_enter(request: HttpRequest, code: str) -> HttpResponse:
    """Enter (or correct) a past year's figure: its value, or a ratio's numerator and denominator."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)  # selectors.can_set
    today = periods.today()
    year = _past_year(request.GET.get("nam"), today)
    key = request.POST.get("metric") or request.GET.get("chi_so") or ""
    known = metrics.get(key) is not None
    row = selectors.entered_figure(org, year, key) if known else None
    initial = {"metric": key, "version": row.version if row else None}
    if row:
        as_entered = _entered_as_figure(row)
        initial |= {
            "value": str(rules.published(row.value)),
            "numerator": row.numerator,
            "denominator": row.denominator,
            "note": row.note,
        }
    form = FigureForm(request.POST or None, initial=initial)
    back = _with_year("targets:figures", org.code, year)
    if request.method == "POST":

        def write(data):
            services.figure_enter(
                actor=request.user,
                organization=org,
                year=year,
                expected_version=data["version"],
                **form.values(),
            )

        again = f"{_with_year('targets:figure_enter', org.code, year)}&chi_so={key}"
        answer = write_from_form(
            request, form, write, done=_("The figure is saved."), back=again, done_url=back
        )
        if answer is not None:
            return answer
    metric = metrics.get(key)
    computed = ""
    if metric:
        figure = metric.compute(metrics.MetricContext.of(org.path, year, on=today))
        computed = " ".join(filter(None, [shown(key, figure.get("value")), _fraction(figure)]))
    context = {
        "org": org,
        "year": year,
        "form": form,
        "row": row,
        "entered": shown(key, as_entered["value"]) if row else "",
        "computed": computed,
        "back": back,
        "delete_form": VersionOnlyForm(initial={"version": row.version}) if row else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "targets/figure_form.html", context, status=status)


@login_required
@require_POST
def figure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an entered figure: the one computed from the data counts again."""
    figure = access.get_for_user_or_404(
        EnteredFigure.objects.select_related("organization"), request.scope, MANAGE, pk=pk
    )
    form = VersionOnlyForm(request.POST)
    back = _with_year("targets:figures", figure.organization.code, figure.year)

    def write(data):
        services.figure_delete(actor=request.user, figure=figure, expected_version=data["version"])

    done = _("The entered figure is removed: the one computed from the data counts again.")
    answer = write_from_form(request, form, write, done=done, back=back)
    if answer is not None:
        return answer
    messages.error(request, _("The form was incomplete: nothing was deleted."))
    return redirect(back)
