"""The register of the cells' regulation reviews (issue 8, point 3): per cell and year, what was
done with its working regulations and coordination rules, and which cells have not reviewed their
working regulations this year. Whoever sees the organisation reads; the cell's chi ủy (RECORDS) and
the office above it record and delete (selectors.can_record_review)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.core import metrics, periods
from dangvu.core.access import RECORDS
from dangvu.core.audit import StaleVersionError
from dangvu.core.forms import VersionOnlyForm, add_refusal
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import selectors, services
from .models import RegulationReview
from .regulation_forms import ReviewForm


@dataclass(frozen=True)
class Row:
    regulations: selectors.CellRegulations
    can_record: bool


def _register_url(org: Organization, year: int) -> str:
    return f"{reverse('programme:regulations', args=[org.code])}?nam={year}"


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    """The cells of the subtree active in the year with their reviews, the share of cells that
    reviewed their working regulations (as regulations.cells_reviewed_pct) and those that have not."""
    scope = request.scope
    org = org_selectors.organization_get(scope, code)
    year = periods.year_param(request.GET.get("nam"))
    today = periods.today()
    book = selectors.regulation_register(scope, org, year, today)
    rows = [Row(r, selectors.can_record_review(scope, r.cell)) for r in book.rows]
    url = reverse("programme:regulations", args=[org.code])
    return render(
        request,
        "programme/regulations.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "book": book,
            "ratio": metrics.ratio(book.reviewed, len(book.rows)),
            "can_record": selectors.cells_to_record(scope, org, today).exists(),
            "previous_url": f"{url}?nam={year - 1}",
            "next_url": f"{url}?nam={year + 1}",
        },
    )


def _preselected(org: Organization, cells, wanted: str | None) -> Organization | None:
    if org.is_cell:
        return org
    if wanted:
        return cells.filter(code=wanted).first()
    return None


@login_required
def review_create(request: HttpRequest, code: str) -> HttpResponse:
    """Record a review for a cell of the subtree the user records for (404 when there is none)."""
    org = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    cells = selectors.cells_to_record(request.scope, org, today)
    if not cells.exists():
        raise Http404
    initial = {"cell": _preselected(org, cells, request.GET.get("cell")), "reviewed_on": today}
    form = ReviewForm(request.POST or None, initial=initial, cells=cells)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                review = services.regulation_review_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The review is recorded."))
                return redirect(_register_url(org, review.reviewed_on.year))
    return render(
        request,
        "programme/regulation_form.html",
        {"form": form, "org": org, "cancel_url": _register_url(org, today.year)},
        status=status,
    )


def _back(request: HttpRequest, review: RegulationReview) -> str:
    """The register the user came from (?tu=, an organisation above the cell that they see), else the
    cell's, at the review's year."""
    code = request.POST.get("tu") or request.GET.get("tu")
    org = review.cell
    if code:
        try:
            seen = org_selectors.organization_get(request.scope, code)
        except Http404:
            seen = None
        if seen is not None and review.cell.path.startswith(seen.path):
            org = seen
    return _register_url(org, review.reviewed_on.year)


@login_required
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A review recorded by mistake: confirmed on a page, then soft-deleted at the version read."""
    review = selectors.review_get(request.scope, pk, RECORDS)
    back = _back(request, review)
    form = VersionOnlyForm(request.POST or None, initial={"version": review.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.regulation_review_delete(
                    actor=request.user, record=review, expected_version=form.cleaned_data["version"]
                )
            except StaleVersionError as exc:
                messages.error(request, str(exc))
                return redirect(request.get_full_path())
            messages.success(request, _("The review is deleted."))
            return redirect(back)
    return render(
        request,
        "programme/regulation_delete.html",
        {
            "form": form,
            "review": review,
            "back": back,
            "tu": request.POST.get("tu") or request.GET.get("tu", ""),
        },
        status=status,
    )
