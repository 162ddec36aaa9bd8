"""Study and meetings data in and out: a session's attendance sheet as XLSX and back from XLSX
(through the one import page, core.import_views), and the cells' year of an organisation as XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangvu.core import periods
from dangvu.core.access import RECORDS
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.organization import selectors as org_selectors

from . import exports, imports, selectors


@login_required
@require_GET
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet: whoever sees the session; the reasons of absences (often health) and
    the birth dates only to those who organise it."""
    session = selectors.session_get(request.scope, pk)
    private = selectors.can_organise(request.scope, session.organization)
    name, data = exports.attendance_file(session, private=private)
    return xlsx_response(data, name)


@login_required
@require_GET
def attendance_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.scope, pk, RECORDS)  # selectors.can_organise
    return xlsx_response(imports.attendance_template(session), f"diem-danh-mau-{session.pk}.xlsx")


@login_required
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance from a filled sheet, all or nothing. The marks are checked against the session
    as it was when the file was checked: a sheet confirmed after someone else marked is refused."""
    session = selectors.session_get(request.scope, pk, RECORDS)  # selectors.can_organise
    version_key = f"meetings.attendance.version:{session.pk}"
    if request.method == "POST" and "token" not in request.POST:
        request.session[version_key] = session.version  # the preview reads this version
    expected = request.session.get(version_key, session.version)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.AttendancePlan(actor=request.user, session=session, expected_version=expected)
        return imports.run_attendance(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"meetings.attendance:{session.pk}",
        title=_("Import the attendance from Excel"),
        runner=runner,
        back_url=reverse("meetings:attendance", args=[session.pk]),
        template_url=reverse("meetings:attendance_import_template", args=[session.pk]),
        actions=("stop",),
    )


@login_required
@require_GET
def summary_export(request: HttpRequest, code: str) -> HttpResponse:
    """The cells' year under an organisation: whoever sees it. `nam` is the year (this year when
    absent or not a year, as on the page)."""
    organization = org_selectors.organization_get(request.scope, code)
    year = periods.year_param(request.GET.get("nam"))
    name, data = exports.summary_file(organization, year, periods.today())
    return xlsx_response(data, name)
