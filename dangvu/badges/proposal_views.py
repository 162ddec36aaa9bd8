"""The pages of a badge batch (rules.md §2.3; issue 10 point 2): the members the batch may propose,
each explained, the proposals with their dossier checklist, the batch's XLSX; propose a member,
keep a proposal's papers, withdraw it.

Whoever sees the organisation reads (404 otherwise), each with the members they see; whoever keeps
the records of a member's cell (its chi ủy, the office) proposes and keeps the dossier (404 for the
others); the office records the award. Whether a member is gravely ill is health data: shown only to
who keeps the records of the member's cell, and every showing is logged."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.core import access, periods
from dangvu.core.access import RECORDS
from dangvu.core.audit import personal_data_shown
from dangvu.core.forms import VersionOnlyForm, write_from_form
from dangvu.core.import_views import xlsx_response
from dangvu.members.models import Member
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import exports, proposals
from .choices import Early
from .models import Proposal
from .proposal_forms import ProposalForm, ProposeForm, proposal_initial


def _batch_url(org: Organization, day: date) -> str:
    return reverse("badges:batch", args=[org.code]) + f"?dot={day.isoformat()}"


def _batch_page(
    request: HttpRequest, org: Organization, raw: str | None, *, status: int = 200
) -> HttpResponse:
    scope = request.scope
    today = periods.today()
    choices = proposals.batch_choices(org, today)
    chosen = proposals.chosen_batch(raw, choices, today)
    rows = proposals.candidate_rows(scope, org, chosen)
    proposed = proposals.proposal_rows(scope, proposals.proposals_in(scope, org, chosen))
    shown = {
        r.candidate.member.pk: r.candidate.member
        for r in rows
        if r.candidate.early == Early.GRAVELY_ILL and not r.early_hidden
    }
    shown |= proposals.illness_shown(proposed)
    proposals.log_illness(user=request.user, path=request.path, shown=shown)
    award_url = reverse("badges:award_add", args=[org.code])
    context = {
        "org": org,
        "chosen": chosen,
        "choices": choices,
        # a gravely ill candidate is left out for who may not know the illness: only counted
        "rows": [r for r in rows if not r.early_hidden],
        "kept_by_cells": sum(1 for r in rows if r.early_hidden),
        "proposals": [
            (
                row,
                award_url
                + "?"
                + urlencode(
                    {
                        "dang_vien": row.proposal.member_id,
                        "huy_hieu": row.proposal.years,
                        "dot": row.proposal.batch.isoformat(),
                        "som": row.proposal.early,
                    }
                ),
            )
            for row in proposed
        ],
        "export_url": reverse("badges:batch_export", args=[org.code]) + f"?dot={chosen.isoformat()}",
        "propose_url": reverse("badges:proposal_add", args=[org.code]),
    }
    return render(request, "badges/batch.html", context, status=status)


@login_required
@require_GET
def batch(request: HttpRequest, code: str) -> HttpResponse:
    """The batch chosen (?dot=YYYY-MM-DD) among this year's and next year's, the next by default:
    the members it may propose, by cell then given name, and its proposals with their dossiers."""
    org = org_selectors.organization_get(request.scope, code)
    return _batch_page(request, org, request.GET.get("dot"))


@login_required
@require_GET
def batch_export(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    today = periods.today()
    choices = proposals.batch_choices(org, today)
    chosen = proposals.chosen_batch(request.GET.get("dot"), choices, today)
    name, data, rows = exports.batch_file(request.scope, org, chosen)
    proposals.log_illness(user=request.user, path=request.path, shown=proposals.illness_shown(rows))
    return xlsx_response(data, name)


@login_required
@require_POST
def proposal_add(request: HttpRequest, code: str) -> HttpResponse:
    """Propose a member of the batch (the candidate's button): RECORDS on the member's cell."""
    org = org_selectors.organization_get(request.scope, code)
    form = ProposeForm(request.POST, batches=proposals.batch_choices(org, periods.today()))
    if not form.is_valid():
        if "batch" in form.errors:
            messages.error(request, _("The proposal was not made: choose one of the batches on the page."))
        else:
            messages.error(
                request, _("The proposal could not be read: choose the member on the batch's page.")
            )
        return _batch_page(request, org, request.POST.get("batch"), status=400)
    data = form.cleaned_data
    member = access.get_for_user_or_404(
        Member.objects.select_related("person__organization").filter(
            person__organization__path__startswith=org.path
        ),
        request.scope,
        RECORDS,
        pk=data["member"],
    )
    try:
        proposal = proposals.proposal_add(
            actor=request.user, member=member, years=data["years"], batch=data["batch"], early=data["early"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _batch_page(request, org, data["batch"].isoformat(), status=400)
    messages.success(
        request,
        _("%(name)s is proposed for the %(years)d-year badge.")
        % {"name": member.person.full_name, "years": proposal.years},
    )
    return redirect(_batch_url(org, proposal.batch))


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return access.get_for_user_or_404(
        Proposal.objects.select_related("member__person__organization"), request.scope, RECORDS, pk=pk
    )


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier of a proposal: the papers at hand (only those it needs), a note, the batch."""
    proposal = _proposal(request, pk)
    cell = proposal.member.person.organization
    batches = proposals.batch_choices(cell, periods.today())
    if proposal.batch not in batches:
        batches = sorted([*batches, proposal.batch])
    form = ProposalForm(
        request.POST or None, early=proposal.early, batches=batches, initial=proposal_initial(proposal)
    )
    back_org = org_selectors.organization_or(
        request.scope, request.POST.get("to") or request.GET.get("to"), proposal.member.person.organization
    )
    if request.method == "POST":

        def write(data):
            proposals.proposal_update(
                actor=request.user,
                proposal=proposal,
                expected_version=data["version"],
                papers=data["papers"],
                note=data["note"],
                batch=data["batch"],
            )

        back = reverse("badges:proposal_edit", args=[proposal.pk]) + f"?to={back_org.code}"
        answer = write_from_form(
            request,
            form,
            write,
            done=_("The proposal's dossier is saved."),
            back=back,
            done_url=_batch_url(back_org, proposal.batch),
        )
        if answer is not None:
            return answer
    # the proposal is read with RECORDS on the member's cell: the illness is shown, and logged
    if proposal.early == Early.GRAVELY_ILL:
        personal_data_shown(user=request.user, record=proposal.member, path=request.path)
    context = {
        "form": form,
        "proposal": proposal,
        "org": back_org,
        "early_label": proposals.early_label(proposal.early, False),
        "back_url": _batch_url(back_org, proposal.batch),
        "delete_form": VersionOnlyForm(initial={"version": proposal.version}, prefix="xoa"),
    }
    return render(
        request, "badges/proposal_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def proposal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a proposal (kept, marked deleted)."""
    proposal = _proposal(request, pk)
    back_org = org_selectors.organization_or(
        request.scope, request.POST.get("to") or request.GET.get("to"), proposal.member.person.organization
    )
    form = VersionOnlyForm(request.POST, prefix="xoa")
    back = _batch_url(back_org, proposal.batch)

    def write(data):
        proposals.proposal_delete(actor=request.user, proposal=proposal, expected_version=data["version"])

    answer = write_from_form(request, form, write, done=_("The proposal is withdrawn."), back=back)
    if answer is not None:
        return answer
    if form.errors:
        messages.error(request, _("The proposal could not be withdrawn: reload the page and try again."))
    return redirect(back)
