"""The year's work programme in and out of Excel (issue 8, point 4): the programme, the action plans
and the regulation register as XLSX, whoever sees the organisation (each with what they see of it);
the year's programme from XLSX through the one import page (core.import_views), by whoever runs it.
`nam` is the year (this year when absent or not a year, as on the pages)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangvu.core import periods
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.organization import selectors as org_selectors

from . import exports, imports, selectors


def _year(request: HttpRequest) -> int:
    return periods.year_param(request.GET.get("nam"))


@login_required
@require_GET
def programme_export(request: HttpRequest, code: str) -> HttpResponse:
    organization = org_selectors.organization_get(request.scope, code)
    name, data = exports.programme_file(request.scope, organization, _year(request))
    return xlsx_response(data, name)


@login_required
@require_GET
def plans_export(request: HttpRequest, code: str) -> HttpResponse:
    organization = org_selectors.organization_get(request.scope, code)
    name, data = exports.plans_file(request.scope, organization, _year(request))
    return xlsx_response(data, name)


@login_required
@require_GET
def regulations_export(request: HttpRequest, code: str) -> HttpResponse:
    organization = org_selectors.organization_get(request.scope, code)
    name, data = exports.regulations_file(request.scope, organization, _year(request), periods.today())
    return xlsx_response(data, name)


@login_required
@require_GET
def programme_import_template(request: HttpRequest, code: str) -> HttpResponse:
    organization = selectors.organization_run(request.scope, code)
    year = _year(request)
    data = imports.programme_template(organization, year)
    return xlsx_response(data, f"chuong-trinh-kiem-tra-mau-{year}-{organization.code}.xlsx")


@login_required
def programme_import(request: HttpRequest, code: str) -> HttpResponse:
    """The year's items from a filled sheet, all or nothing; the programme of the year is opened
    when there is none. The key names the year: a file checked for one year is not confirmed for
    another."""
    organization = selectors.organization_run(request.scope, code)
    year = _year(request)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.ProgrammePlan(actor=request.user, organization=organization, year=year)
        return imports.run_programme(path, plan, dry_run=dry_run)

    query = f"?nam={year}"
    return import_page(
        request,
        key=f"programme.items:{organization.code}:{year}",
        title=_("Import the %(year)d inspection and supervision programme from Excel") % {"year": year},
        runner=runner,
        back_url=reverse("programme:programme", args=[organization.code]) + query,
        template_url=reverse("programme:programme_import_template", args=[organization.code]) + query,
        actions=("stop",),
    )
