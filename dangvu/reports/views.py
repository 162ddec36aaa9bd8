"""Report pages: thin views over selectors and services, every read through core.access.

The office (MANAGE on the requesting organisation) makes requests and reviews what comes in; a
cell's committee (RECORDS on the cell) sends its reports; whoever sees a cell sees its reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import periods
from dangvu.core.access import MANAGE, RECORDS
from dangvu.core.audit import StaleVersionError, history_entries
from dangvu.core.files import file_response
from dangvu.core.forms import VersionOnlyForm, add_refusal
from dangvu.core.import_views import xlsx_response
from dangvu.core.spreadsheets import write_table
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .choices import State
from .forms import (
    RequestEditForm,
    RequestForm,
    RescheduleForm,
    ReturnForm,
    SubmitForm,
    template_initial,
)


@login_required
def report_list(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's reports: what its cells owe, and the requests it (or one under it) made."""
    org = org_selectors.organization_get(request.scope, code)
    owed = selectors.owed_in(request.scope, org, timezone.now())
    return render(
        request,
        "reports/list.html",
        {
            "org": org,
            "owed": owed if org.is_cell else [],
            "owed_rounds": [] if org.is_cell else selectors.by_round(request.scope, owed),
            "requests": list(selectors.requests_in(request.scope, org)),
            "can_manage": request.scope.covers(org.path, MANAGE) and not org.is_cell,
            "templates": rules.TEMPLATES,
        },
    )


@login_required
def request_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    today = periods.today()
    cells = selectors.recipient_cells(org, today)
    if not cells:
        raise Http404
    template = rules.TEMPLATES_BY_KEY.get(request.GET.get("mau", ""))
    form = RequestForm(request.POST or None, cells=cells, initial=template_initial(template, today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        schedule = services.Schedule(
            period_kind=data["period_kind"],
            year=data["year"],
            number=data["number"],
            first_due=data["first_due"],
            due_time=data["due_time"],
            repeat_until=data["repeat_until"],
            move_to_working_day=data["move_to_working_day"],
        )
        try:
            made = services.request_create(
                actor=request.user,
                organization=org,
                title=data["title"],
                schedule=schedule,
                recipients=list(data["recipients"]),
                requires_file=data["requires_file"],
                form_fields=data["form_text"],
                instructions=data["instructions"],
                template=template.key if template else "",
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(
                request, _("Report request sent to %(count)s cells.") % {"count": made.recipients.count()}
            )
            return redirect(made)
    return render(
        request,
        "reports/request_form.html",
        {"form": form, "org": org, "template": template, "templates": rules.TEMPLATES},
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.request_get(request.scope, pk)
    can_manage = request.scope.covers(report.organization.path, MANAGE)
    return render(
        request,
        "reports/request_detail.html",
        {
            "report": report,
            "rounds": selectors.rounds_of(report),
            "recipients": report.recipients.order_by("code"),
            "can_manage": can_manage,
            "edit_form": RequestEditForm(
                initial={
                    "title": report.title,
                    "instructions": report.instructions,
                    "version": report.version,
                }
            )
            if can_manage
            else None,
            "history": history_entries(report, limit=20),
        },
    )


@login_required
@require_POST
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.request_get(request.scope, pk, MANAGE)
    form = RequestEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.request_update(actor=request.user, request=report, expected_version=version, **data)
        except (ValidationError, StaleVersionError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Changes saved."))
    else:
        messages.error(request, _("Give the report a title."))
    return redirect(report)


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.request_get(request.scope, pk, MANAGE)
    form = VersionOnlyForm(request.POST)
    if form.is_valid():
        try:
            services.request_cancel(
                actor=request.user, request=report, expected_version=form.cleaned_data["version"]
            )
        except StaleVersionError as exc:
            messages.error(request, str(exc))
            return redirect(report)
        messages.success(request, _("The request was withdrawn."))
    return redirect("reports:list", code=report.organization.code)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(request.scope, pk)
    can_manage = request.scope.covers(round_.request.organization.path, MANAGE)
    form = None
    if can_manage:
        form = RescheduleForm(
            request.POST or None,
            initial={"due_date": round_.due_date, "due_time": round_.due_time, "version": round_.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.round_reschedule(
                    actor=request.user,
                    round_=round_,
                    expected_version=form.cleaned_data["version"],
                    due_date=form.cleaned_data["due_date"],
                    due_time=form.cleaned_data["due_time"],
                )
            except (ValidationError, StaleVersionError) as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The deadline was moved."))
                return redirect(round_)
    elif request.method == "POST":
        raise Http404
    rows = selectors.round_rows(request.scope, round_, timezone.now())
    if request.GET.get("xuat") == "xlsx":
        return _round_export(round_, rows)
    return render(
        request,
        "reports/round_detail.html",
        {"round": round_, "rows": rows, "form": form, "can_manage": can_manage},
    )


def _round_export(round_, rows: list[selectors.Row]) -> HttpResponse:
    items = round_.request.form_fields
    headers = [
        _("Cell code"),
        _("Cell"),
        _("Status"),
        _("First sent"),
        _("Last sent"),
        *[i["label"] for i in items],
    ]
    local = timezone.localtime
    table = []
    for row in rows:
        s = row.submission
        values = s.accepted_version.values if s.accepted_version else {}
        table.append(
            [
                s.cell.code,
                s.cell.name,
                str(row.status.label),
                local(s.first_submitted_at).strftime("%d/%m/%Y %H:%M") if s.first_submitted_at else "",
                local(s.last_submitted_at).strftime("%d/%m/%Y %H:%M") if s.last_submitted_at else "",
                *[values.get(i["key"], "") for i in items],
            ]
        )
    data = write_table(str(round_.label or _("Report")), headers, table)
    return xlsx_response(data, f"bao-cao-{round_.request_id}-{round_.pk}.xlsx")


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(request.scope, pk)
    return _submission_page(request, submission)


def _submission_page(request: HttpRequest, submission, *, submit_form=None, return_form=None, status=200):
    scope = request.scope
    report = submission.round.request
    versions = selectors.versions_of(submission)
    can_submit = scope.covers(submission.cell.path, RECORDS) and submission.state != State.ACCEPTED
    can_review = scope.covers(report.organization.path, MANAGE) and submission.state == State.SUBMITTED
    if can_submit and submit_form is None:
        submit_form = SubmitForm(
            items=report.form_fields,
            requires_file=report.requires_file,
            has_file=bool(versions and versions[0].file),
            initial_values=versions[0].values if versions else None,
        )
    if can_review and return_form is None:
        return_form = ReturnForm(initial={"version": submission.version})
    return render(
        request,
        "reports/submission_detail.html",
        {
            "submission": submission,
            "report": report,
            "status": selectors.status_of(submission, timezone.now()),
            "versions": versions,
            "latest": versions[0] if versions else None,
            "latest_values": [(i["label"], versions[0].values.get(i["key"], "")) for i in report.form_fields]
            if versions
            else [],
            "submit_form": submit_form if can_submit else None,
            "return_form": return_form if can_review else None,
            "can_review": can_review,
            "sees_request": scope.covers(report.organization.path),
        },
        status=status,
    )


@login_required
@require_POST
def submission_send(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(request.scope, pk, RECORDS)
    report = submission.round.request
    previous = submission.versions.order_by("-number").first()
    form = SubmitForm(
        request.POST,
        request.FILES,
        items=report.form_fields,
        requires_file=report.requires_file,
        has_file=bool(previous and previous.file),
    )
    if form.is_valid():
        try:
            services.submit(
                actor=request.user,
                submission=submission,
                values=form.values(),
                file=form.cleaned_data.get("file"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Report sent. The office has been told."))
            return redirect(submission)
    return _submission_page(request, submission, submit_form=form, status=400)


@login_required
@require_POST
def submission_accept(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_to_review(request.scope, pk)
    form = VersionOnlyForm(request.POST)
    if form.is_valid():
        try:
            services.accept(
                actor=request.user, submission=submission, expected_version=form.cleaned_data["version"]
            )
        except (ValidationError, StaleVersionError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Report accepted."))
    return redirect(submission)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_to_review(request.scope, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_incomplete(
                actor=request.user,
                submission=submission,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleVersionError) as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Report returned to the cell."))
            return redirect(submission)
    return _submission_page(request, submission, return_form=form, status=400)


@login_required
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    """A sent file, to whoever sees the cell; never by a guessable public URL."""
    version = selectors.version_get(request.scope, pk)
    return file_response(version.file, version.file_name, "bao-cao")
