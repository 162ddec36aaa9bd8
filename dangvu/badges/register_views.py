"""The badge register (sổ tặng Huy hiệu Đảng, rules.md §2): a year's awards in an organisation's
subtree with their money, its XLSX, the import of past awards, a line added, corrected or deleted,
and a member's grave illness recorded. Thin views over selectors.py and services.py.

Whoever sees the organisation reads (404 otherwise); the office of the subtree (MANAGE on the
member's cell) writes, the others get 404 on the write views and see no button. That an early award
is for a grave illness (health data) is shown only to those with RECORDS on the member's cell, and
each showing is logged."""

import contextlib
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.core import periods
from dangvu.core.access import MANAGE, RECORDS
from dangvu.core.audit import personal_data_shown
from dangvu.core.forms import add_refusal, write_from_form
from dangvu.core.import_views import import_page, xlsx_response
from dangvu.members import selectors as member_selectors
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import imports, rules, selectors, services
from .choices import BADGE_YEARS, Early
from .exports import register_file
from .models import Award
from .register_forms import AwardAddForm, AwardDeleteForm, AwardEditForm, IllnessForm


def _filters(request: HttpRequest) -> tuple[int, int | None, str]:
    year = periods.year_param(request.GET.get("nam"))
    raw = request.GET.get("huy_hieu", "")
    years = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in rules.MILESTONES else None
    return year, years, request.GET.get("q", "")[:100]


def _can_write(request: HttpRequest, org: Organization) -> bool:
    return request.scope.covers(org.path, MANAGE)


def _log_illness(request: HttpRequest, lines) -> None:
    """Log each award whose ground, a grave illness, the page or file shows."""
    for line in lines:
        if line.illness_shown:
            personal_data_shown(user=request.user, record=line.award, path=request.path)


@login_required
@require_GET
def register(request: HttpRequest, code: str) -> HttpResponse:
    """The awards dated in the year (?nam=) of the subtree, a badge (?huy_hieu=) and a name (?q=)
    narrowing it; the count and money at the foot."""
    org = org_selectors.organization_get(request.scope, code)
    year, years, q = _filters(request)
    found = selectors.register_in(request.scope, org, year, years, q)
    _log_illness(request, found.lines)
    url = reverse("badges:register", args=[org.code])
    keep = {k: v for k, v in (("huy_hieu", years or ""), ("q", q)) if v}
    context = {
        "org": org,
        "year": year,
        "years": years,
        "q": q,
        "badges": BADGE_YEARS,
        "register": found,
        "can_write": _can_write(request, org),
        "previous_url": f"{url}?{urlencode({'nam': year - 1, **keep})}",
        "next_url": f"{url}?{urlencode({'nam': year + 1, **keep})}",
        "export_url": reverse("badges:register_export", args=[org.code])
        + f"?{urlencode({'nam': year, **keep})}",
        "gravely_ill": Early.GRAVELY_ILL,
    }
    return render(request, "badges/register.html", context)


@login_required
@require_GET
def register_export(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    year, years, q = _filters(request)
    name, data, lines = register_file(request.scope, org, year, years, q)
    _log_illness(request, lines)
    return xlsx_response(data, name)


def _prefill(request: HttpRequest, members) -> dict:
    """The form's values from a proposal's link (?dang_vien= ?huy_hieu= ?dot= ?som=), each kept
    only when the form offers it."""
    raw = request.GET
    initial: dict = {"awarded_on": periods.today()}
    member_pk = raw.get("dang_vien", "")
    if member_pk.isascii() and member_pk.isdigit() and len(member_pk) < 18:
        member = members.filter(pk=int(member_pk)).first()
        if member:
            initial["member"] = member.pk
    years = raw.get("huy_hieu", "")
    if years.isascii() and years.isdigit() and int(years) in rules.MILESTONES:
        initial["years"] = int(years)
    batch = raw.get("dot", "")
    if batch:
        with contextlib.suppress(ValueError):
            initial["batch"] = date.fromisoformat(batch[:10])
    if raw.get("som") in Early.values:
        initial["early"] = raw["som"]
    return initial


def _register_url(org: Organization, award: Award) -> str:
    return reverse("badges:register", args=[org.code]) + f"?nam={award.awarded_on.year}"


@login_required
def award_add(request: HttpRequest, code: str) -> HttpResponse:
    """Record a badge awarded to a member of the subtree (the services check the award)."""
    org = org_selectors.organization_get(request.scope, code)
    if not _can_write(request, org):
        raise Http404
    members = selectors.members_for_award(request.scope, org)
    form = AwardAddForm(request.POST or None, members=members, initial=_prefill(request, members))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                award = services.award_record(
                    actor=request.user,
                    member=form.cleaned_data["member"],
                    years=form.cleaned_data["years"],
                    **form.values(),
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The badge award is recorded in the register."))
                return redirect(_register_url(org, award))
    context = {"org": org, "form": form, "title": _("Add an award to the badge register")}
    return render(request, "badges/award_form.html", context, status=status)


@login_required
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a line of the register, or record its hand-over, money paid, number (version-checked)."""
    award = selectors.award_get(request.scope, pk, MANAGE)
    org = org_selectors.organization_or(
        request.scope, request.POST.get("ve") or request.GET.get("ve"), award.member.person.organization
    )
    initial = {name: getattr(award, name) for name in AwardEditForm.FIELDS}
    form = AwardEditForm(request.POST or None, initial={**initial, "version": award.version})
    if request.method == "POST":

        def write(data):
            services.award_update(
                actor=request.user, award=award, expected_version=data["version"], **form.values()
            )

        here = reverse("badges:award_edit", args=[pk]) + f"?ve={org.code}"
        answer = write_from_form(
            request, form, write, done=_("Changes saved."), back=here, done_url=_register_url(org, award)
        )
        if answer is not None:
            return answer
    context = {
        "org": org,
        "form": form,
        "award": award,
        "title": _("Correct a badge award"),
        "delete_form": AwardDeleteForm(initial={"version": award.version}),
    }
    return render(request, "badges/award_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def award_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a line entered by mistake out of the register (kept, marked deleted), with a reason."""
    award = selectors.award_get(request.scope, pk, MANAGE)
    org = org_selectors.organization_or(
        request.scope, request.POST.get("ve") or request.GET.get("ve"), award.member.person.organization
    )
    form = AwardDeleteForm(request.POST)

    def write(data):
        services.award_delete(
            actor=request.user, award=award, expected_version=data["version"], reason=data["reason"]
        )

    back = reverse("badges:award_edit", args=[pk]) + f"?ve={org.code}"
    answer = write_from_form(
        request,
        form,
        write,
        done=_("The badge award is deleted from the register."),
        back=back,
        done_url=_register_url(org, award),
    )
    if answer is not None:
        return answer
    messages.error(request, _("The award was not deleted: give the reason and try again."))
    return redirect(back)


@login_required
def illness_add(request: HttpRequest, member: int) -> HttpResponse:
    """Record that a member is gravely ill, with its evidence (health data: the member's keepers
    only)."""
    found = member_selectors.member_get(request.scope, member, RECORDS)
    cell = found.person.organization
    form = IllnessForm(request.POST or None, initial={"recorded_on": periods.today()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.illness_record(actor=request.user, member=found, **form.cleaned_data)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The grave illness is recorded."))
                target = request.POST.get("next") or request.GET.get("next") or ""
                safe = url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                )
                if target and safe and target.startswith("/"):
                    return redirect(target)
                return redirect(reverse("badges:register", args=[cell.code]))
    context = {
        "org": cell,
        "member": found,
        "form": form,
        "next": request.GET.get("next", "") or request.POST.get("next", ""),
    }
    return render(request, "badges/illness_form.html", context, status=status)


def _importer(request: HttpRequest, code: str) -> Organization:
    org = org_selectors.organization_get(request.scope, code)
    if not _can_write(request, org):
        raise Http404
    return org


@login_required
@require_GET
def register_import_template(request: HttpRequest, code: str) -> HttpResponse:
    org = _importer(request, code)
    return xlsx_response(imports.template(org), f"so-huy-hieu-mau-{org.code}.xlsx")


@login_required
def register_import(request: HttpRequest, code: str) -> HttpResponse:
    org = _importer(request, code)

    def runner(path: str, on_duplicate: str, decisions: dict[int, str], dry_run: bool):
        plan = imports.Plan(actor=request.user, organization=org, scope=request.scope)
        return imports.run(path, plan, dry_run=dry_run)

    return import_page(
        request,
        key=f"badges.register:{org.code}",
        title=_("Import past badge awards from Excel"),
        runner=runner,
        back_url=reverse("badges:register", args=[org.code]),
        template_url=reverse("badges:register_import_template", args=[org.code]),
        actions=("stop",),
    )
