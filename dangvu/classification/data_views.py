"""The review's data in and out: the results as XLSX, a cell's proposals and past years' final
ratings from XLSX, through the one import page (core.import_views)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangvu.core.access import MANAGE, RECORDS
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import exports, imports, selectors
from .models import Campaign


@login_required
@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The results lists the user may see: a cell's secretary gets their cell's."""
    campaign = selectors.campaign_get(request.scope, pk)
    name, data = exports.export_file(scope=request.scope, campaign=campaign)
    return xlsx_response(data, name)


def _campaign_cell(request: HttpRequest, pk: int, code: str) -> tuple[Campaign, Organization]:
    """A campaign held in the system and one of its cells the user keeps (RECORDS), or 404."""
    campaign = selectors.campaign_get(request.scope, pk)
    cell = org_selectors.organization_get(request.scope, code, RECORDS)
    if campaign.imported or not cell.is_cell or not cell.path.startswith(campaign.organization.path):
        raise Http404
    return campaign, cell


@login_required
@require_GET
def import_proposals_template(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign, cell = _campaign_cell(request, pk, code)
    data = imports.proposals_template(campaign, cell)
    return xlsx_response(data, f"de-xuat-xep-loai-{campaign.year}-{cell.code}.xlsx")


@login_required
def import_proposals(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign, cell = _campaign_cell(request, pk, code)
    plan = imports.ProposalPlan(actor=request.user, campaign=campaign, cell=cell)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        return imports.run_proposals(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"classification.proposals:{campaign.pk}:{cell.code}",
        title=_("Import the cell's proposals from Excel"),
        runner=runner,
        back_url=campaign.sheet_url(cell),
        template_url=reverse("classification:import_proposals_template", args=[campaign.pk, cell.code]),
        actions=("stop",),
    )


def _committee(request: HttpRequest, code: str) -> Organization:
    """A committee the user manages (the office): past reviews are imported for its subtree."""
    organization = org_selectors.organization_get(request.scope, code, MANAGE)
    if organization.is_cell:
        raise Http404
    return organization


@login_required
@require_GET
def import_past_template(request: HttpRequest, code: str) -> HttpResponse:
    organization = _committee(request, code)
    return xlsx_response(
        imports.past_template(organization), f"ket-qua-xep-loai-cac-nam-{organization.code}.xlsx"
    )


@login_required
def import_past(request: HttpRequest, code: str) -> HttpResponse:
    organization = _committee(request, code)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.PastPlan(
            actor=request.user, organization=organization, on_duplicate=on_duplicate, decisions=decisions
        )
        return imports.run_past(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"classification.past:{organization.code}",
        title=_("Import past years' final ratings from Excel"),
        runner=runner,
        back_url=reverse("classification:list", args=[organization.code]),
        template_url=reverse("classification:import_past_template", args=[organization.code]),
        actions=imports.PAST_ACTIONS,
    )
