"""The commendations register (rules.md §1.10): a year's certificates and merits in an organisation's
subtree with their count and money, its XLSX, and the members and cells rated "excellent" that year
and not yet commended, each recorded from its offer without retyping. Thin views over
commendations.py (its reads and its services).

Whoever sees the organisation reads (404 otherwise); whoever commendations.can_record allows (the
office of the subtree) adds, corrects and deletes; the others get 404 on those and see no button."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.core import periods
from dangvu.core.access import MANAGE
from dangvu.core.forms import VersionOnlyForm, add_refusal, write_from_form
from dangvu.core.import_views import xlsx_response
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import commendations as register
from .choices import CommendationForm
from .commendation_exports import commendations_file
from .commendation_forms import CommendationAddForm, CommendationEditForm
from .models import Commendation


def _year(request: HttpRequest) -> int:
    return periods.year_param(request.GET.get("nam"))


@dataclass(frozen=True)
class OfferLine:
    offer: register.Offer
    record_url: str  # "" when the user may not record it


def _offer_line(request: HttpRequest, org: Organization, offer: register.Offer) -> OfferLine:
    if not register.can_record(request.scope, offer.organization):
        return OfferLine(offer, "")
    params = {"to_chuc": offer.organization.code, "nam": offer.rated_year, "hinh_thuc": offer.form}
    if offer.member:
        params["dang_vien"] = offer.member.pk
    url = reverse("badges:commendation_add", args=[org.code]) + "?" + urlencode(params)
    return OfferLine(offer, url)


@login_required
@require_GET
def commendations(request: HttpRequest, code: str) -> HttpResponse:
    """The year's commendations of the subtree (?nam=), the count and money at the foot, and the
    offers from the year's classification."""
    org = org_selectors.organization_get(request.scope, code)
    year = _year(request)
    rows = list(register.commendations_in(request.scope, org, year))
    offers = register.offered_from_classification(request.scope, org, year)
    url = reverse("badges:commendations", args=[org.code])
    context = {
        "org": org,
        "year": year,
        "rows": rows,
        "total": sum(c.amount for c in rows if c.amount is not None),
        "by_form": [
            (label, sum(1 for c in rows if c.form == value)) for value, label in CommendationForm.choices
        ],
        "offers": [_offer_line(request, org, offer) for offer in offers],
        "can_record": register.can_record(request.scope, org),
        "previous_url": f"{url}?nam={year - 1}",
        "next_url": f"{url}?nam={year + 1}",
        "export_url": reverse("badges:commendations_export", args=[org.code]) + f"?nam={year}",
    }
    return render(request, "badges/commendations.html", context)


@login_required
@require_GET
def commendations_export(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    name, data = commendations_file(request.scope, org, _year(request))
    return xlsx_response(data, name)


def _prefill(request: HttpRequest, org: Organization, organizations, members) -> dict:
    """The form's values from an offer's link (?to_chuc= ?dang_vien= ?nam= ?hinh_thuc=), each kept
    only when it is one the form offers."""
    today = periods.today()
    initial = {"decided_on": today, "form": CommendationForm.CERTIFICATE}
    initial["issuer"] = org.name if not org.is_cell or org.parent is None else org.parent.name
    if org.is_cell:
        initial["organization"] = org.code
    raw = request.GET
    if raw.get("hinh_thuc") in CommendationForm.values:
        initial["form"] = raw["hinh_thuc"]
    if raw.get("to_chuc"):
        chosen = organizations.filter(code=raw["to_chuc"]).first()
        if chosen:
            initial["organization"] = chosen.code
    member_pk = raw.get("dang_vien", "")
    if member_pk.isascii() and member_pk.isdigit() and len(member_pk) < 18:
        member = members.filter(pk=int(member_pk)).first()
        if member:
            initial["member"] = member.pk
            initial["organization"] = member.person.organization.code
    year = raw.get("nam", "")
    if year.isascii() and year.isdigit() and len(year) == 4 and periods.FIRST_YEAR <= int(year) <= today.year:
        initial["rated_year"] = int(year)
        initial["reason"] = _("Completed their tasks excellently in %(year)d") % {"year": int(year)}
    return initial


@login_required
def commendation_add(request: HttpRequest, code: str) -> HttpResponse:
    """Record a commendation of an organisation of the subtree or of a member; from an offer the
    form arrives filled in."""
    org = org_selectors.organization_get(request.scope, code)
    if not register.can_record(request.scope, org):
        raise Http404
    organizations, members = register.subjects_for_record(request.scope, org)
    form = CommendationAddForm(
        request.POST or None,
        organizations=organizations,
        members=members,
        initial=_prefill(request, org, organizations, members),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                found = register.commendation_add(
                    actor=request.user,
                    organization=data["organization"],
                    member=data["member"],
                    **form.values(),
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The commendation is recorded."))
                url = reverse("badges:commendations", args=[org.code])
                return redirect(f"{url}?nam={found.decided_on.year}")
    context = {"org": org, "form": form, "title": _("Record a commendation")}
    return render(request, "badges/commendation_form.html", context, status=status)


def _register_url(org: Organization, commendation: Commendation) -> str:
    return reverse("badges:commendations", args=[org.code]) + f"?nam={commendation.decided_on.year}"


@login_required
def commendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a commendation (version-checked); its subject stays."""
    commendation = register.commendation_get(request.scope, pk, MANAGE)
    back_org = org_selectors.organization_or(
        request.scope, request.POST.get("ve") or request.GET.get("ve"), commendation.organization
    )
    initial = {name: getattr(commendation, name) for name in CommendationEditForm.FIELDS}
    form = CommendationEditForm(request.POST or None, initial={**initial, "version": commendation.version})
    if request.method == "POST":

        def write(data):
            register.commendation_update(
                actor=request.user,
                commendation=commendation,
                expected_version=data["version"],
                **form.values(),
            )

        here = reverse("badges:commendation_edit", args=[pk]) + f"?ve={back_org.code}"
        answer = write_from_form(
            request,
            form,
            write,
            done=_("Changes saved."),
            back=here,
            done_url=_register_url(back_org, commendation),
        )
        if answer is not None:
            return answer
    context = {
        "org": back_org,
        "form": form,
        "commendation": commendation,
        "title": _("Correct a commendation"),
        "delete_form": VersionOnlyForm(initial={"version": commendation.version}),
    }
    return render(
        request, "badges/commendation_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def commendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a commendation out of the register (kept, marked deleted; version-checked)."""
    commendation = register.commendation_get(request.scope, pk, MANAGE)
    back_org = org_selectors.organization_or(
        request.scope, request.POST.get("ve") or request.GET.get("ve"), commendation.organization
    )
    form = VersionOnlyForm(request.POST)

    def write(data):
        register.commendation_delete(
            actor=request.user, commendation=commendation, expected_version=data["version"]
        )

    back = reverse("badges:commendation_edit", args=[pk]) + f"?ve={back_org.code}"
    done = _("The commendation is deleted.")
    answer = write_from_form(
        request, form, write, done=done, back=back, done_url=_register_url(back_org, commendation)
    )
    if answer is not None:
        return answer
    messages.error(request, _("The commendation was not deleted: reload the page and try again."))
    return redirect(back)
