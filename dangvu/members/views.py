"""Member pages: lists and registers, the record with its timeline, and the forms that keep it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import periods
from dangvu.core.access import RECORDS, VIEW
from dangvu.core.audit import StaleVersionError, personal_data_shown
from dangvu.core.forms import add_refusal
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from . import exports, imports, panels, rules, selectors, services
from .choices import EventKind
from .forms import EventForm, FilterForm, MemberCreateForm, MemberEditForm
from .models import Member

PAGE_SIZE = 50


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
    return (key, int(pk)) if key.isascii() and key.isdigit() and pk.isascii() and pk.isdigit() else None


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
            "panels": panels.for_member(request, member),
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
        path__startswith=org.path, kind__in=CELL_KINDS
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
            add_refusal(form, exc)
        else:
            messages.success(request, _("Record of %(name)s created.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "cancel_url": reverse("members:list", args=[org.code]),
            "title": _("New member record"),
        },
    )


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
            add_refusal(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:detail", pk=member.pk)
    personal_data_shown(user=request.user, record=member, path=request.path)  # the form shows it
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "cancel_url": member.get_absolute_url(),
            "title": _("Edit the record of %(name)s") % {"name": member},
        },
    )


@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.scope, pk, RECORDS)
    cells = (
        org_selectors.organizations_visible(request.scope, VIEW).filter(kind__in=CELL_KINDS).order_by("code")
    )
    form = EventForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_add(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Event recorded."))
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "cancel_url": member.get_absolute_url(),
            "title": _("New event for %(name)s") % {"name": member},
        },
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
    """The list as the page shows it (same filters, same scope), as the import's own file; a long list
    is made by the background worker, and the user waits on the job's page."""
    on = periods.today()
    args = {
        "organization": org,
        "filters": filters,
        "register": register,
        "on": on,
        "path": request.get_full_path(),
    }
    if (
        selectors.members_matching(request.scope, org, filters, on=on).count()
        > settings.DANGVU_EXPORT_INLINE_MAX
    ):
        job = exports.start_job(user=request.user, **args)
        return redirect("core:job", pk=job.pk)
    name, data = exports.export_file(scope=request.scope, user=request.user, **args)
    return xlsx_response(data, name)


@login_required
def member_import_template(request: HttpRequest, code: str) -> HttpResponse:
    org_selectors.organization_get(request.scope, code, RECORDS)
    return xlsx_response(imports.template(), "mau-nhap-dang-vien.xlsx")


@login_required
def member_import(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, RECORDS)
    cells = _cells_for(request, org)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.Plan(
            actor=request.user,
            cells=cells,
            scope=request.scope,
            on_duplicate=on_duplicate,
            decisions=decisions,
        )
        return imports.run(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"members:{org.code}",
        title=_("Import members from Excel"),
        runner=runner,
        back_url=reverse("members:list", args=[org.code]),
        template_url=reverse("members:import_template", args=[org.code]),
        actions=imports.ACTIONS,
    )
