"""A cell's sheet in a campaign: its roster with each member's rating and checks, the cell's batch of
proposals (its chi ủy, RECORDS on the cell), the office's batch of decisions (MANAGE on the
campaign's organisation), and the cell's own rating after its members (rules.md §1.5, §1.6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dangvu.core.access import MANAGE, RECORDS, VIEW, Scope
from dangvu.core.audit import StaleVersionError
from dangvu.core.forms import add_refusal, write_from_form
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .choices import Exclusion, Level, Stage
from .forms import CellDecideForm, CellSelfForm, DecideForm, ProposeForm, ReopenForm
from .models import Campaign
from .overview import group_cap


def _cell_in(scope: Scope, campaign: Campaign, code: str, action: str = VIEW) -> Organization:
    """A cell under the campaign's organisation that the user holds for `action`, else 404."""
    cell = org_selectors.organization_get(scope, code, action)
    if not cell.is_cell or not cell.path.startswith(campaign.organization.path):
        raise Http404
    return cell


def _proposable(entries, cell) -> list:
    return [e for e in entries if e.reviewed and e.cell_id == cell.pk and e.stage != Stage.DECIDED]


def _proposed(entries) -> list:
    return [e for e in entries if e.stage == Stage.PROPOSED]


def _exclusion_label(entry) -> str:
    if entry.exclusion:
        return str(Exclusion(entry.exclusion).label)
    return _("left the cell before the review date") if entry.left and not entry.reviewed else ""


def _sheet(request, campaign, cell, entries=None, *, status=200, **forms):
    """Render the sheet; `forms` holds bound forms (and `blocked`, `cell_blocked` problems) of a
    refused POST so that what was typed stays."""
    scope = request.scope
    entries = entries if entries is not None else selectors.roster(campaign, cell)
    selectors.member_checks(campaign, entries)
    can_record = scope.covers(cell.path, RECORDS)
    can_manage = scope.covers(campaign.organization.path, MANAGE)
    needs_score = campaign.rules.has_score_bands
    propose_form = forms.get("propose_form")
    if propose_form is None and can_record and _proposable(entries, cell):
        propose_form = ProposeForm(entries=_proposable(entries, cell), needs_score=needs_score)
    decide_form = forms.get("decide_form")
    if decide_form is None and can_manage and _proposed(entries):
        decide_form = DecideForm(entries=_proposed(entries))
    cap = group_cap(campaign, cell)
    context = {
        "campaign": campaign,
        "cell": cell,
        "rows": [(e, _exclusion_label(e)) for e in entries],
        "reviewed": sum(1 for e in entries if e.reviewed),
        "can_record": can_record,
        "can_manage": can_manage,
        "needs_score": needs_score,
        "propose_form": propose_form,
        "propose_rows": [(e, b, propose_form.row_fields(e)) for e, b in propose_form.rows]
        if propose_form
        else [],
        "decide_form": decide_form,
        "decide_rows": [(e, decide_form.row_fields(e)) for e in decide_form.entries] if decide_form else [],
        "blocked": forms.get("blocked", []),
        "cap": cap.status,
        "live_cap": _live_cap(campaign, cap, _proposable(entries, cell)) if propose_form else None,
    }
    context |= _cell_rating_context(scope, campaign, cell, entries, can_record, can_manage, forms)
    return render(request, "classification/cell_sheet.html", context, status=status)


def _live_cap(campaign, cap, rows) -> dict:
    """What the proposal form's script needs to recount the cap as levels are chosen: the levels of
    the group outside the form's rows, the rate and the base (rules.md §1.4)."""
    others = cap.projected.copy()
    others.subtract(e.rating.proposed_level for e in rows if e.stage == Stage.PROPOSED)
    return {
        "excellent": others[Level.EXCELLENT],
        "good": others[Level.GOOD],
        "rate_percent": int(campaign.cap_rate * 100),
        "base": campaign.cap_base,
    }


def _cell_rating_context(scope, campaign, cell, entries, can_record, can_manage, forms) -> dict:
    rating = selectors.cell_rating_of(campaign, cell)
    facts = selectors.cell_member_facts(campaign, cell, entries)
    order = rules.order_problem(members_unrated=facts["members_unrated"])
    stage = rating.stage if rating else ""
    blocking, warnings = [], []
    if stage == Stage.SELF_ASSESSED:
        blocking, warnings = services.cell_problems(campaign, rating, rating.self_level, facts)
    self_form = forms.get("cell_self_form")
    if self_form is None and can_record and stage in {"", Stage.SELF_ASSESSED}:
        initial = {"version": rating.version if rating else None}
        if rating:
            initial |= {"score": rating.self_score, "level": rating.self_level, "note": rating.self_note}
            initial["triggers"] = rating.triggers
        self_form = CellSelfForm(initial=initial)
    decide_form = forms.get("cell_decide_form")
    if decide_form is None and can_manage and stage == Stage.SELF_ASSESSED:
        decide_form = CellDecideForm(initial={"level": rating.self_level, "version": rating.version})
    reopen_form = forms.get("cell_reopen_form")
    if reopen_form is None and can_manage and stage == Stage.DECIDED:
        reopen_form = ReopenForm(initial={"version": rating.version}, prefix="cr")
    return {
        "cell_rating": rating,
        "cell_triggers": [str(rules.TRIGGER_LABELS[k]) for k in (rating.triggers if rating else [])],
        "order_problem": order,
        "cell_blocking": blocking,
        "cell_warnings": warnings,
        "cell_blocked": forms.get("cell_blocked", []),
        "cell_self_form": self_form if stage in {"", Stage.SELF_ASSESSED} and can_record else None,
        "cell_decide_form": decide_form if stage == Stage.SELF_ASSESSED and can_manage else None,
        "cell_reopen_form": reopen_form if stage == Stage.DECIDED and can_manage else None,
    }


@login_required
def cell_sheet(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(request.scope, pk)
    return _sheet(request, campaign, _cell_in(request.scope, campaign, code))


def _stale(request: HttpRequest, exc: StaleVersionError, campaign, cell) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect(campaign.sheet_url(cell))


@login_required
@require_POST
def cell_propose(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The cell's proposals, all or none (services.member_propose)."""
    campaign = selectors.campaign_get(request.scope, pk)
    cell = _cell_in(request.scope, campaign, code, RECORDS)
    entries = selectors.roster(campaign, cell)
    form = ProposeForm(
        request.POST, entries=_proposable(entries, cell), needs_score=campaign.rules.has_score_bands
    )
    if form.is_valid():
        proposals = [
            services.Proposal(
                member=entry.member,
                level=level,
                score=score,
                self_score=self_score,
                self_level=self_level,
                expected_version=version,
            )
            for entry, level, score, self_score, self_level, version in form.changed_rows()
        ]
        if not proposals:
            messages.info(request, _("Nothing to save: choose a level for at least one member."))
            return redirect(campaign.sheet_url(cell))
        try:
            services.member_propose(actor=request.user, campaign=campaign, cell=cell, proposals=proposals)
        except StaleVersionError as exc:
            return _stale(request, exc, campaign, cell)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            count = len(proposals)
            messages.success(
                request,
                ngettext("%(count)d proposal saved.", "%(count)d proposals saved.", count) % {"count": count},
            )
            return redirect(campaign.sheet_url(cell))
    return _sheet(request, campaign, cell, entries, propose_form=form, status=400)


@login_required
@require_POST
def cell_decide_members(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The office's decisions on the cell's proposed members, all or none; a failed check blocks
    unless a reason is given (services.member_decide)."""
    campaign = selectors.campaign_get(request.scope, pk, MANAGE)
    cell = _cell_in(request.scope, campaign, code)
    entries = selectors.roster(campaign, cell)
    form = DecideForm(request.POST, entries=_proposed(entries))
    blocked = []
    if form.is_valid():
        decisions = [services.Decision(rating=r, level=lv, expected_version=v) for r, lv, v in form.chosen()]
        if not decisions:
            messages.info(request, _("Nothing to save: choose a level for at least one member."))
            return redirect(campaign.sheet_url(cell))
        try:
            outcome = services.member_decide(
                actor=request.user,
                campaign=campaign,
                decisions=decisions,
                override_reason=form.cleaned_data["override_reason"],
            )
        except services.BlockedByRules as exc:
            blocked = exc.problems
        except StaleVersionError as exc:
            return _stale(request, exc, campaign, cell)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            count = len(outcome.ratings)
            messages.success(
                request,
                ngettext("%(count)d member decided.", "%(count)d members decided.", count) % {"count": count},
            )
            if outcome.warnings:
                messages.warning(request, _("Decided against the checks, with the reason given."))
            return redirect(campaign.sheet_url(cell))
    return _sheet(request, campaign, cell, entries, decide_form=form, blocked=blocked, status=400)


@login_required
@require_POST
def cell_self(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The chi ủy's self-rating of the cell."""
    campaign = selectors.campaign_get(request.scope, pk)
    cell = _cell_in(request.scope, campaign, code, RECORDS)
    form = CellSelfForm(request.POST)
    done = write_from_form(
        request,
        form,
        lambda data: services.cell_self_assess(
            actor=request.user,
            campaign=campaign,
            cell=cell,
            score=data["score"],
            level=data["level"],
            note=data["note"],
            triggers=data["triggers"],
            expected_version=data["version"],
        ),
        done=_("The cell's self-rating is saved."),
        back=campaign.sheet_url(cell),
    )
    return done or _sheet(request, campaign, cell, cell_self_form=form, status=400)


def _cell_rating_or_404(campaign, cell):
    rating = selectors.cell_rating_of(campaign, cell)
    if rating is None:
        raise Http404
    return rating


@login_required
@require_POST
def cell_decide(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The office's decision on the cell, once its members are decided."""
    campaign = selectors.campaign_get(request.scope, pk, MANAGE)
    cell = _cell_in(request.scope, campaign, code)
    rating = _cell_rating_or_404(campaign, cell)
    form = CellDecideForm(request.POST)
    blocked = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.cell_decide(
                actor=request.user,
                rating=rating,
                level=data["level"],
                expected_version=data["version"],
                exemplary=data["exemplary"],
                override_reason=data["override_reason"],
            )
        except services.BlockedByRules as exc:
            blocked = exc.problems
        except StaleVersionError as exc:
            return _stale(request, exc, campaign, cell)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("The cell's rating is decided."))
            for warning in outcome.warnings:
                messages.warning(request, f"{warning.message} ({warning.rule})")
            return redirect(campaign.sheet_url(cell))
    return _sheet(request, campaign, cell, cell_decide_form=form, cell_blocked=blocked, status=400)


@login_required
@require_POST
def cell_reopen(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(request.scope, pk, MANAGE)
    cell = _cell_in(request.scope, campaign, code)
    rating = _cell_rating_or_404(campaign, cell)
    form = ReopenForm(request.POST, prefix="cr")
    done = write_from_form(
        request,
        form,
        lambda data: services.cell_reopen(
            actor=request.user, rating=rating, reason=data["reason"], expected_version=data["version"]
        ),
        done=_("The cell's decision is reopened."),
        back=campaign.sheet_url(cell),
    )
    return done or _sheet(request, campaign, cell, cell_reopen_form=form, status=400)
