"""The money of Party badges (rules.md §2.5, §2.6) and a committee's badge settings: the base salary
table, each badge's coefficient and amount as they apply to an organisation, and the forms that add
to them. Thin views over selectors and services.

Whoever sees the organisation reads the tables (404 otherwise). The base salary and the national
coefficients are national: only the office of a top organisation (MANAGE on an organisation with no
parent) adds to them; a committee's office (MANAGE) sets its own coefficients and settings."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.access import MANAGE, Scope
from dangvu.core.forms import write_from_form
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .table_forms import NATIONAL, OWN, BaseSalaryForm, CoefficientForm, SettingsForm, settings_initial


def may_set_national(scope: Scope, org: Organization) -> bool:
    """The national tables are the office's of a top organisation."""
    return org.parent_id is None and scope.covers(org.path, MANAGE)


def _levels(scope: Scope, org: Organization) -> list[str]:
    """The coefficient tables the user may write from this organisation's page."""
    if not scope.covers(org.path, MANAGE):
        return []
    return [NATIONAL, OWN] if may_set_national(scope, org) else [OWN]


@login_required
def tables(request: HttpRequest, code: str) -> HttpResponse:
    """The base salaries (the one in force today marked), each badge's coefficient and amount today
    for this organisation, and the coefficient rows behind them."""
    org = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    found = selectors.tables_of(org, today)
    context = {
        "org": org,
        "today": today,
        "tables": found,
        "may_set_national": may_set_national(request.scope, org),
        "may_set_own": request.scope.covers(org.path, MANAGE),
    }
    return render(request, "badges/tables.html", context)


def _back(org: Organization) -> str:
    return reverse("badges:tables", args=[org.code])


@login_required
def base_salary_add(request: HttpRequest, code: str) -> HttpResponse:
    """A new base salary from a day, by decree (national: the office of a top organisation)."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    if not may_set_national(request.scope, org):
        raise Http404
    form = BaseSalaryForm(request.POST or None)
    if request.method == "POST":

        def write(data):
            services.base_salary_add(actor=request.user, **data)

        here = reverse("badges:base_salary_add", args=[org.code])
        answer = write_from_form(
            request, form, write, done=_("The base salary is added."), back=here, done_url=_back(org)
        )
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/salary_form.html", {"org": org, "form": form}, status=status)


@login_required
def coefficient_set(request: HttpRequest, code: str) -> HttpResponse:
    """A badge's coefficient from a day, national or the committee's own (?huy_hieu= preselects the
    badge)."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    levels = _levels(request.scope, org)
    initial = {"level": OWN, "starts_on": periods.today()}
    wanted = request.GET.get("huy_hieu", "")
    if wanted.isascii() and wanted.isdigit() and int(wanted) in rules.MILESTONES:
        initial["years"] = int(wanted)
    form = CoefficientForm(request.POST or None, levels=levels, org_name=org.name, initial=initial)
    if request.method == "POST":

        def write(data):
            services.coefficient_set(
                actor=request.user,
                organization=None if data["level"] == NATIONAL else org,
                years=data["years"],
                starts_on=data["starts_on"],
                value=data["value"],
                source=data["source"],
            )

        here = reverse("badges:coefficient_set", args=[org.code])
        answer = write_from_form(
            request, form, write, done=_("The coefficient is saved."), back=here, done_url=_back(org)
        )
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/coefficient_form.html", {"org": org, "form": form}, status=status)


@login_required
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's badge settings: the batch windows, the province's symbol, where the wait after
    a discipline runs from. Version-checked; the rules' refusal of the windows shown on the form."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    own = selectors.own_settings(org)
    in_force = own or selectors.settings_for(org)
    form = SettingsForm(
        request.POST or None, initial=settings_initial(in_force, own.version if own else None)
    )
    if request.method == "POST":

        def write(data):
            services.settings_save(
                actor=request.user, organization=org, expected_version=data["version"], **form.values()
            )

        here = reverse("badges:settings", args=[org.code])
        answer = write_from_form(request, form, write, done=_("The badge settings are saved."), back=here)
        if answer is not None:
            return answer
    inherited = None if own or not in_force.pk else in_force.organization
    context = {"org": org, "form": form, "own": own, "inherited": inherited}
    return render(
        request, "badges/settings_form.html", context, status=400 if request.method == "POST" else 200
    )
