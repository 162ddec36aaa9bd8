"""Organisation pages: thin views over selectors and services, every read through core.access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import metrics, periods
from dangvu.core.access import MANAGE
from dangvu.core.audit import StaleVersionError, history_entries
from dangvu.core.forms import add_refusal
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.core.services import api_token_revoke
from dangvu.core.services import password_reset as reset_password

from . import imports as org_imports
from . import panels, rules, selectors, services
from .forms import (
    OrganizationEditForm,
    OrganizationForm,
    RoleGrantForm,
    SeatEditForm,
    SeatForm,
    VersionOnlyForm,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = request.scope
    tops = selectors.top_organizations(scope)
    if len(tops) == 1:
        return redirect("organization:detail", code=tops[0].code)
    if not tops and scope.person_ids:
        return redirect("meetings:mine")  # a member's own page: meetings, study, their record
    return render(request, "organization/home.html", {"organizations": tops})


@login_required
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code)
    today = periods.today()
    nodes = selectors.subtree(org)
    year = periods.Year(today.year)
    ctx = metrics.MetricContext(root_path=org.path, year=year, as_of=today)
    figures = [(m, m.compute(ctx)) for m in metrics.implemented()]
    return render(
        request,
        "organization/detail.html",
        {
            "org": org,
            "nodes": nodes,
            "cell_count": sum(1 for n in nodes if n.organization.is_cell),
            "seats": selectors.seats_of(org, on=today),
            "attention": selectors.attention_in(nodes, on=today),
            "figures": figures,
            "year": year.number,
            "history": history_entries(org, limit=20),
            "can_manage": request.scope.covers(org.path, MANAGE),
            "parent_visible": org.parent is not None and request.scope.covers(org.parent.path),
            "can_add_child": bool(rules.allowed_child_kinds(org.kind)),
            "today": today,
            "panels": panels.for_page(request, org, nodes),
        },
    )


@login_required
def organization_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = selectors.organization_get(request.scope, code, MANAGE)
    kinds = rules.allowed_child_kinds(parent.kind)
    if not kinds:
        raise Http404
    form = OrganizationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Organisation %(name)s created.") % {"name": org.name})
            return redirect("organization:detail", code=org.code)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "cancel_url": parent.get_absolute_url(),
            "title": _("New organisation under %(name)s") % {"name": parent.name},
        },
    )


@login_required
def organization_edit(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)
    kinds = rules.allowed_child_kinds(org.parent.kind) if org.parent else None
    initial = {f: getattr(org, f) for f in ("code", "name", "kind", "active_from", "active_to")}
    form = OrganizationEditForm(
        request.POST or None, initial={**initial, "version": org.version}, kinds=kinds
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            org = services.organization_update(
                actor=request.user, organization=org, expected_version=version, **data
            )
        except (ValidationError, StaleVersionError) as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organization:detail", code=org.code)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "cancel_url": org.get_absolute_url(),
            "title": _("Edit %(name)s") % {"name": org.name},
        },
    )


@login_required
@require_POST
def organization_delete(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)
    done = _apply_versioned(
        request,
        lambda version: services.organization_delete(
            actor=request.user, organization=org, expected_version=version
        ),
        success=_("Organisation %(name)s deleted.") % {"name": org.name},
    )
    if not done:
        return redirect("organization:detail", code=org.code)
    if org.parent and request.scope.covers(org.parent.path):
        return redirect("organization:detail", code=org.parent.code)
    return redirect("home")


def _apply_versioned(request: HttpRequest, write, *, success: str) -> bool:
    """Run a delete-like write at the version the page showed; tell the user how it went."""
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return False
    try:
        write(form.cleaned_data["version"])
    except (ValidationError, StaleVersionError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return False
    messages.success(request, success)
    return True


@login_required
def seat_create(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)
    # Anyone whose record the subtree keeps: a cell secretary may also sit on the đảng ủy.
    people = list(selectors.people_in(request.scope, org))
    form = SeatForm(
        request.POST or None, people=people, initial={"term_start": periods.today(), "part_time": True}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = _create_seat(request, org, people, data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Seat added: %(seat)s.") % {"seat": seat})
            return redirect("organization:detail", code=org.code)
    return render(
        request, "organization/seat_form.html", {"form": form, "org": org, "title": _("New committee seat")}
    )


def _create_seat(request: HttpRequest, org, people, data):
    seat = {k: data[k] for k in ("role", "term_start", "term_end", "part_time")}
    person = next((p for p in people if p.pk == data["person"]), None)
    if person is None:
        return services.seat_create_for_new_person(
            actor=request.user, organization=org, full_name=data["new_person_name"], **seat
        )
    return services.seat_create(actor=request.user, person=person, organization=org, **seat)


@login_required
def seat_edit(request: HttpRequest, pk: int) -> HttpResponse:
    seat = selectors.seat_get(request.scope, pk, MANAGE)
    initial = {f: getattr(seat, f) for f in ("role", "term_start", "term_end", "part_time")}
    form = SeatEditForm(request.POST or None, initial={**initial, "version": seat.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.seat_update(actor=request.user, seat=seat, expected_version=version, **data)
        except (ValidationError, StaleVersionError) as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organization:detail", code=seat.organization.code)
    return render(
        request,
        "organization/seat_form.html",
        {
            "form": form,
            "org": seat.organization,
            "seat": seat,
            "history": history_entries(seat, limit=20),
            "title": _("Edit seat: %(seat)s") % {"seat": seat},
        },
    )


@login_required
@require_POST
def seat_delete(request: HttpRequest, pk: int) -> HttpResponse:
    seat = selectors.seat_get(request.scope, pk, MANAGE)
    _apply_versioned(
        request,
        lambda version: services.seat_delete(actor=request.user, seat=seat, expected_version=version),
        success=_("Seat removed."),
    )
    return redirect("organization:detail", code=seat.organization.code)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.scope, pk)
    today = periods.today()
    seats = selectors.person_seats(person)
    for seat in seats:
        seat.current = seat.is_current_on(today)
    return render(
        request,
        "organization/person.html",
        {
            "person": person,
            "seats": seats,
            "history": history_entries(person, limit=20),
            "can_manage": request.scope.covers(person.organization.path, MANAGE),
        },
    )


@login_required
def accounts(request: HttpRequest, code: str) -> HttpResponse:
    """People of the subtree with their logins; creates the missing logins in bulk."""
    org = selectors.organization_get(request.scope, code, MANAGE)
    query = request.GET.get("q", "")
    people = selectors.people_in(request.scope, org, query)
    if request.method == "POST":
        missing = list(selectors.people_in(request.scope, org).filter(user__isnull=True))
        issued = services.logins_create(actor=request.user, people=missing)
        return render(request, "organization/logins_issued.html", {"org": org, "issued": issued})
    template = "organization/_people_table.html" if request.htmx else "organization/accounts.html"
    return render(request, template, {"org": org, "people": people, "q": query})


@login_required
@require_POST
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.scope, pk, MANAGE)
    if person.user is None:
        raise Http404
    password = reset_password(actor=request.user, user=person.user)
    issued = [services.IssuedLogin(person=person, username=person.user.username, password=password)]
    return render(request, "organization/logins_issued.html", {"org": person.organization, "issued": issued})


@login_required
def roles(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.login_get(request.scope, form.cleaned_data["username"])
        if user is None:
            form.add_error("username", _("No login with this name in your organisations."))
        else:
            services.role_grant(
                actor=request.user, user=user, role=form.cleaned_data["role"], organization=org
            )
            messages.success(request, _("Role granted."))
            return redirect("organization:roles", code=org.code)
    return render(
        request,
        "organization/roles.html",
        {"org": org, "form": form, "grants": selectors.grants_in(request.scope, org)},
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(request.scope, pk, MANAGE)
    _apply_versioned(
        request,
        lambda version: services.role_revoke(actor=request.user, grant=grant, expected_version=version),
        success=_("Role revoked."),
    )
    return redirect("organization:roles", code=grant.organization.code)


def _org_plan(request: HttpRequest, org, on_duplicate: str, decisions: dict[int, str]):
    managed = list(selectors.organizations_visible(request.scope, MANAGE).filter(path__startswith=org.path))
    return org_imports.Plan(
        actor=request.user, root=org, organizations=managed, on_duplicate=on_duplicate, decisions=decisions
    )


@login_required
def organizations_import(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        return org_imports.run_organizations(
            path, _org_plan(request, org, on_duplicate, decisions), dry_run=dry_run
        )

    return import_page(
        request,
        key=f"organizations:{org.code}",
        title=_("Import organisations from Excel"),
        runner=runner,
        back_url=reverse("organization:detail", args=[org.code]),
        template_url=reverse("organization:import_template", args=[org.code, "to-chuc"]),
        actions=org_imports.ACTIONS,
    )


@login_required
def seats_import(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code, MANAGE)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        return org_imports.run_seats(path, _org_plan(request, org, on_duplicate, decisions), dry_run=dry_run)

    return import_page(
        request,
        key=f"seats:{org.code}",
        title=_("Import committee seats from Excel"),
        runner=runner,
        back_url=reverse("organization:detail", args=[org.code]),
        template_url=reverse("organization:import_template", args=[org.code, "cap-uy"]),
        actions=("stop",),
    )


@login_required
def import_template(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    selectors.organization_get(request.scope, code, MANAGE)
    templates = {"to-chuc": org_imports.org_template, "cap-uy": org_imports.seat_template}
    if kind not in templates:
        raise Http404
    return xlsx_response(templates[kind](), f"mau-{kind}.xlsx")


@login_required
def organizations_export(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code)
    rows = [node.organization for node in selectors.subtree(org)]
    parents = {o.pk: o for o in rows}
    for row in rows:
        row.parent = parents.get(row.parent_id, org.parent)
    data = org_imports.export_organizations(rows)
    return xlsx_response(data, f"to-chuc-{org.code}-{periods.today():%Y%m%d}.xlsx")


@login_required
def seats_export(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_get(request.scope, code)
    data = org_imports.export_seats(selectors.seats_in(org))
    return xlsx_response(data, f"cap-uy-{org.code}-{periods.today():%Y%m%d}.xlsx")


@login_required
@require_POST
def person_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    """The office revokes an API token of a login it manages."""
    person = selectors.person_get(request.scope, pk, MANAGE)
    if person.user is None:
        raise Http404
    token = person.user.api_tokens.filter(pk=token_pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("organization:person", pk=person.pk)
