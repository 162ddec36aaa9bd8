"""Member development's data in and out: the pipeline as XLSX, and candidates from XLSX through
the one import page (core.import_views: upload, preview, confirm; all or nothing)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangvu.core.import_views import import_page, xlsx_response
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import exports, imports, selectors


@login_required
@require_GET
def pipeline_export(request: HttpRequest, code: str) -> HttpResponse:
    """The candidates the user sees under the organisation (a cell's secretary: their cell's),
    those still on their way; with ?all=1 also the recognised and the removed."""
    organization = org_selectors.organization_get(request.scope, code)
    everyone = request.GET.get("all") == "1"
    name, data = exports.pipeline_file(request.scope, organization, everyone=everyone)
    return xlsx_response(data, name)


def _kept(request: HttpRequest, code: str) -> tuple[Organization, list[Organization]]:
    """The organisation and the cells under it whose candidates the user keeps
    (selectors.can_keep); 404 when they keep none."""
    organization = org_selectors.organization_get(request.scope, code)
    cells = selectors.cells_kept(request.scope, organization)
    if not cells:
        raise Http404
    return organization, cells


@login_required
@require_GET
def candidates_import_template(request: HttpRequest, code: str) -> HttpResponse:
    organization, cells = _kept(request, code)
    return xlsx_response(imports.template(organization, cells), f"quan-chung-mau-{organization.code}.xlsx")


@login_required
def candidates_import(request: HttpRequest, code: str) -> HttpResponse:
    organization, cells = _kept(request, code)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.Plan(actor=request.user, organization=organization, cells=cells)
        return imports.run(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"development.candidates:{organization.code}",
        title=_("Import candidates from Excel"),
        runner=runner,
        back_url=reverse("development:candidates", args=[organization.code]),
        template_url=reverse("development:candidates_import_template", args=[organization.code]),
        actions=("stop",),
    )
