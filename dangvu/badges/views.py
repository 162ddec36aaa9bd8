"""Pages of Party badges (issue 10): next year's budget of an organisation's subtree (a page and its
XLSX) and the members a batch may propose. Whoever sees the organisation reads (404 otherwise), each
with the members they see. Whether a member is gravely ill is health data: only those who keep the
records of the member's cell (the office, the cell's chi ủy) see it; others read "early award"."""

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangvu.core import periods
from dangvu.core.access import RECORDS
from dangvu.core.import_views import xlsx_response
from dangvu.organization import selectors as org_selectors

from . import exports, selectors
from .choices import Early


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


def batch_choices(org, today: date) -> list[date]:
    """This year's and next year's batches of the settings in force for the organisation."""
    batches = selectors.batches_of(selectors.settings_for(org))
    return sorted(date(year, b.month, b.day) for year in (today.year, today.year + 1) for b in batches)


def _chosen(raw: str | None, choices: list[date], today: date) -> date:
    if raw:
        try:
            wanted = date.fromisoformat(raw)
        except ValueError:
            wanted = None
        if wanted in choices:
            return wanted
    return next((day for day in choices if day >= today), choices[-1])


@dataclass(frozen=True)
class Row:
    candidate: selectors.Candidate
    early_label: str  # "gravely ill" only to whoever keeps the cell's records, else "early award"
    early_hidden: bool  # an early award whose reason the user may not see


@login_required
@require_GET
def batch(request: HttpRequest, code: str) -> HttpResponse:
    """The members of the subtree a batch may propose (selectors.candidates_for_batch), the batch
    chosen (?dot=YYYY-MM-DD) among this year's and next year's, the next one by default."""
    scope = request.scope
    org = org_selectors.organization_get(scope, code)
    today = periods.today()
    choices = batch_choices(org, today)
    chosen = _chosen(request.GET.get("dot"), choices, today)
    settings = selectors.settings_for(org)
    rows = []
    for candidate in selectors.candidates_for_batch(scope, org, chosen):
        hidden = candidate.early == Early.GRAVELY_ILL and not scope.covers(candidate.cell_path, RECORDS)
        if hidden:
            # the explanation without the illness; the row reads "early award"
            plain = dataclasses.replace(candidate, early=Early.NO)
            candidate = dataclasses.replace(
                candidate, explanation=selectors._explain(plain, candidate.member, settings)
            )
        label = str(Early(candidate.early).label) if candidate.early else ""
        if hidden:
            label = _("Early award")
        rows.append(Row(candidate=candidate, early_label=label, early_hidden=hidden))
    return render(
        request,
        "badges/batch.html",
        {
            "org": org,
            "chosen": chosen,
            "choices": choices,
            "rows": rows,
        },
    )
