"""Member pages: lists and registers, the record with its timeline, and the forms that keep it."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import periods, spreadsheets
from dangvu.core.access import RECORDS, VIEW
from dangvu.core.audit import StaleVersionError, personal_data_shown
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import imports, rules, selectors, services
from .choices import EventKind
from .forms import EventForm, FilterForm, ImportForm, MemberCreateForm, MemberEditForm
from .models import Member

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_error(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def member_list(request: HttpRequest, code: str, register: str | None = None) -> HttpResponse:
    """Members kept in the subtree, filtered; a register is the list with its filter fixed."""
    org = org_selectors.organization_get(request.scope, code)
    if register is not None and register not in selectors.REGISTERS:
        raise Http404
    data = request.GET.copy()
    if register:
        data["status"] = selectors.REGISTERS[register][0]
    data.setdefault("status", "active")
    form = FilterForm(data)
    filters = selectors.MemberFilters(status="active")
    if form.is_valid():
        cleaned = dict(form.cleaned_data)
        filters = selectors.MemberFilters(query=cleaned.pop("q"), **cleaned)
    if request.GET.get("xuat") == "xlsx":
        return _export(request, org, filters, register)
    rows = selectors.member_list(
        request.scope,
        org,
        filters,
        on=periods.today(),
        after=_after(request.GET.get("sau", "")),
        limit=PAGE_SIZE,
    )
    context = {
        "org": org,
        "form": form,
        "rows": rows[:PAGE_SIZE],
        "register": register,
        "title": selectors.REGISTERS[register][1] if register else _("Party members"),
        "next_after": _key(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else "",
        "can_keep": request.scope.covers(org.path, RECORDS),
    }
    template = "members/_table.html" if request.htmx else "members/list.html"
    return render(request, template, context)


def _key(member: Member) -> str:
    return f"{member.person.sort_key}.{member.pk}"


def _after(raw: str) -> tuple[str, int] | None:
    key, _dot, pk = raw.partition(".")
    return (key, int(pk)) if key.isdigit() and pk.isdigit() else None


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.scope, pk)
    today = periods.today()
    events = selectors.events_of(member)
    history = rules.derive(services.facts_of(events))
    can_keep = request.scope.covers(member.person.organization.path, RECORDS)
    sees_sensitive = can_keep or member.person_id in request.scope.person_ids
    if sees_sensitive:
        personal_data_shown(user=request.user, record=member, path=request.path)
    values = {f: getattr(member, f) for f in rules.RECORD_FIELDS if hasattr(member, f)}
    values |= {"date_of_birth": member.person.date_of_birth, "card_number": member.card_number}
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "events": events,
            "status": rules.status_on(history, today),
            "party_age": _years_months(rules.party_age_months(history, today)),
            "missing": [_label(name) for name in rules.missing_items(values, history, today)],
            "warnings": _warnings(member, events),
            "can_keep": can_keep,
            "sees_sensitive": sees_sensitive,
            "history": selectors.record_history(member),
        },
    )


def _years_months(months: int | None) -> tuple[int, int] | None:
    return None if months is None else divmod(months, 12)


def _label(name: str) -> str:
    if name in EventKind.values:
        return str(EventKind(name).label)
    if name == "date_of_birth":
        return _("Date of birth")
    return str(Member._meta.get_field(name).verbose_name).capitalize()


def _warnings(member: Member, events) -> list[rules.Problem]:
    """Non-blocking findings on recorded history: shown, never silently dropped."""
    found = rules.identifier_problems(
        citizen_id=member.citizen_id,
        card_number=member.card_number,
        card_issued_on=member.card_issued_on,
        record_number=member.record_number,
    )
    decisions = [e for e in events if e.kind in {"admission_decision", "readmission_decision"}]
    if decisions:
        found.append(
            rules.admission_age_problem(member.person.date_of_birth, decisions[0].date, blocking=False)
        )
    ceremonies = [e.date for e in events if e.kind == "ceremony"]
    for event in events:
        if event.kind == "recognition":
            earlier = [c for c in ceremonies if c <= event.date]
            found.append(rules.recognition_problem(earlier[-1] if earlier else None, event.date))
    return [p for p in found if p]


def _cells_for(request: HttpRequest, org: Organization):
    """The cells of the subtree whose records the user keeps."""
    cells = org_selectors.organizations_visible(request.scope, RECORDS).filter(
        path__startswith=org.path, kind__in=["grassroots_cell", "attached_cell"]
    )
    return list(cells.order_by("code"))


@login_required
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, RECORDS)
    cells = _cells_for(request, org)
    if not cells:
        raise Http404
    form = MemberCreateForm(
        request.POST or None,
        cells=cells,
        initial={"cell": cells[0].pk, "ethnicity": "Kinh", "religion": "Không"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cell_id = data.pop("cell")
        cell = next(c for c in cells if c.pk == cell_id)
        admission = services.AdmissionDates(
            data.pop("admission_decision"), data.pop("ceremony"), data.pop("recognition")
        )
        try:
            member = services.member_create(actor=request.user, cell=cell, admission=admission, **data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Record of %(name)s created.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "org": org, "title": _("New member record")})


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.scope, pk, RECORDS)
    initial = {f: getattr(member, f) for f in MemberEditForm.Meta.fields}
    initial |= {
        "full_name": member.person.full_name,
        "date_of_birth": member.person.date_of_birth,
        "version": member.version,
    }
    form = MemberEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.member_update(actor=request.user, member=member, expected_version=version, **data)
        except (ValidationError, StaleVersionError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:detail", pk=member.pk)
    personal_data_shown(user=request.user, record=member, path=request.path)  # the form shows it
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": _("Edit the record of %(name)s") % {"name": member}},
    )


@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.scope, pk, RECORDS)
    cells = (
        org_selectors.organizations_visible(request.scope, VIEW)
        .filter(kind__in=["grassroots_cell", "attached_cell"])
        .order_by("code")
    )
    form = EventForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_add(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Event recorded."))
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": _("New event for %(name)s") % {"name": member}},
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.scope, pk, RECORDS)
    try:
        services.event_delete(
            actor=request.user, event=event, expected_version=int(request.POST.get("version", "0") or 0)
        )
    except (StaleVersionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Event removed."))
    return redirect("members:detail", pk=event.member_id)


def _export(request: HttpRequest, org: Organization, filters, register: str | None) -> HttpResponse:
    """The list as the page shows it (same filters, same scope), as the import's own file."""
    members = selectors.members_matching(request.scope, org, filters, on=periods.today())
    members = members.select_related("person", "person__organization").prefetch_related("events")
    with_sensitive = request.scope.covers(org.path, RECORDS)
    if with_sensitive:
        personal_data_shown(user=request.user, record=org, path=request.get_full_path())
    name = f"dang-vien-{org.code}-{register or 'danh-sach'}-{periods.today():%Y%m%d}.xlsx"
    return _xlsx_response(imports.export(members, with_sensitive=with_sensitive), name)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def member_import_template(request: HttpRequest, code: str) -> HttpResponse:
    org_selectors.organization_get(request.scope, code, RECORDS)
    return _xlsx_response(imports.template(), "mau-nhap-dang-vien.xlsx")


@login_required
def member_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload → preview (nothing written, every problem by row and column, a choice for each
    duplicate) → confirm (all rows in one transaction, or none)."""
    org = org_selectors.organization_get(request.scope, code, RECORDS)
    context = {"org": org, "form": ImportForm(), "actions": imports.ACTIONS}
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, org, context)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                spreadsheets.check_xlsx(upload, size=upload.size)
                token = _keep_upload(request, upload, code)
                report = imports.run(
                    _upload_path(token), _plan(request, org, form.cleaned_data), dry_run=True
                )
            except spreadsheets.SpreadsheetError as exc:
                form.add_error("file", str(exc))
            else:
                context |= {
                    "report": report,
                    "token": token,
                    "on_duplicate": form.cleaned_data["on_duplicate"],
                }
    return render(request, "members/import.html", context)


def _import_confirm(request: HttpRequest, org: Organization, context: dict) -> HttpResponse:
    token = request.POST["token"]
    kept = request.session.get("imports", {}).get(token)
    if not kept or kept["org"] != org.code:
        raise Http404
    decisions = {
        int(k[4:]): v
        for k, v in request.POST.items()
        if k.startswith("dup-") and k[4:].isdigit() and v in imports.ACTIONS
    }
    on_duplicate = request.POST.get("on_duplicate", "stop")
    plan = _plan(
        request, org, {"on_duplicate": on_duplicate if on_duplicate in imports.ACTIONS else "stop"}, decisions
    )
    try:
        report = imports.run(_upload_path(token), plan, dry_run=False)
    except (spreadsheets.SpreadsheetError, FileNotFoundError) as exc:
        raise Http404 from exc
    if not report.ok:
        context |= {"report": report, "token": token, "on_duplicate": on_duplicate}
        return render(request, "members/import.html", context)
    _upload_path(token).unlink(missing_ok=True)
    request.session["imports"].pop(token, None)
    request.session.modified = True
    messages.success(
        request,
        _("Imported: %(created)d created, %(updated)d updated, %(skipped)d skipped.")
        % {"created": report.created, "updated": report.updated, "skipped": report.skipped},
    )
    return redirect("members:list", code=org.code)


def _plan(request: HttpRequest, org: Organization, data: dict, decisions=None) -> imports.Plan:
    return imports.Plan(
        actor=request.user,
        cells=_cells_for(request, org),
        on_duplicate=data.get("on_duplicate") or "stop",
        decisions=decisions or {},
    )


def _keep_upload(request: HttpRequest, upload, code: str) -> str:
    """Keep the uploaded file until the preview is confirmed (the session holds its token)."""
    token = secrets.token_urlsafe(16)
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session.setdefault("imports", {})[token] = {"org": code}
    request.session.modified = True
    return token


def _upload_path(token: str) -> Path:
    safe = "".join(ch for ch in token if ch.isalnum() or ch in "-_")
    return Path(settings.MEDIA_ROOT) / "imports" / f"{safe}.xlsx"
