"""Pages of Party badges (issue 10): next year's budget of an organisation's subtree (a page and its
XLSX). Whoever sees the organisation reads (404 otherwise), each with the members they see. A
batch's candidates and proposals: proposal_views."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dangvu.core import periods
from dangvu.core.import_views import xlsx_response
from dangvu.organization import selectors as org_selectors

from . import exports, selectors


def _year(request: HttpRequest) -> int:
    return periods.year_param(request.GET.get("nam"))


def _as_of(request: HttpRequest) -> date:
    """?ngay= (dd/mm/yyyy): the day the money and the members are read on; today when absent or bad."""
    raw = request.GET.get("ngay")
    if raw:
        try:
            return periods.parse_vn_date(raw)
        except ValueError:
            pass
    return periods.today()


@login_required
@require_GET
def budget(request: HttpRequest, code: str) -> HttpResponse:
    """Next year's badges of the subtree (selectors.budget, `nam` the year asked, `ngay` the as-of
    day): the total of the costed, the count of those needing the local amount, by batch, by cell and
    line by line."""
    org = org_selectors.organization_get(request.scope, code)
    year = _year(request)
    as_of = _as_of(request)
    found = selectors.budget(request.scope, org, year, as_of)
    url = reverse("badges:budget", args=[org.code])
    ngay = f"&ngay={as_of:%d/%m/%Y}"
    return render(
        request,
        "badges/budget.html",
        {
            "org": org,
            "year": year,
            "as_of": as_of,
            "budget": found,
            "previous_url": f"{url}?nam={year - 1}{ngay}",
            "next_url": f"{url}?nam={year + 1}{ngay}",
            "export_url": reverse("badges:budget_export", args=[org.code]) + f"?nam={year}{ngay}",
        },
    )


@login_required
@require_GET
def budget_export(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    name, data = exports.budget_file(request.scope, org, _year(request), _as_of(request))
    return xlsx_response(data, name)
