"""Review pages: thin views over selectors and services, every read through core.access.

The office (MANAGE on the campaign's organisation) opens the campaign and decides; a cell's chi ủy
(RECORDS on the cell) records self-assessments on the members' behalf and proposes; a member fills
in their own self-assessment; leaders and the inspection read. The cell sheet's views are in
sheet_views."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, RECORDS, VIEW
from dangvu.core.audit import Change, HistoryEntry, StaleVersionError, history_entries
from dangvu.core.forms import add_refusal, write_from_form
from dangvu.members.models import Member
from dangvu.organization import selectors as org_selectors

from . import selectors, services
from .choices import Exclusion, Level, Stage
from .forms import (
    CampaignEditForm,
    CampaignForm,
    MemberTriggersForm,
    ReopenForm,
    SelfAssessmentForm,
    campaign_edit_initial,
    campaign_initial,
)
from .models import Campaign, MemberRating
from .overview import cap_overview, settings_shown, visible_progress
from .rules import TRIGGER_LABELS
from .sheet_views import cell_decide, cell_decide_members, cell_propose, cell_reopen, cell_self, cell_sheet

__all__ = [
    "campaign_list",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "self_assessment",
    "member_rating",
    "member_triggers",
    "member_reopen",
    "cell_sheet",
    "cell_propose",
    "cell_decide_members",
    "cell_self",
    "cell_decide",
    "cell_reopen",
]


# ------------------------------------------------------------------------------------- campaigns


@login_required
def campaign_list(request: HttpRequest, code: str) -> HttpResponse:
    """The campaigns covering the organisation or under it, by year."""
    org = org_selectors.organization_get(request.scope, code)
    campaigns = list(selectors.campaigns_in(org).order_by("-year", "organization__path"))
    for campaign in campaigns:
        campaign.own_sheet = campaign.sheet_url(org) if org.is_cell else ""
    return render(
        request,
        "classification/list.html",
        {
            "org": org,
            "campaigns": campaigns,
            "can_manage": request.scope.covers(org.path, MANAGE) and not org.is_cell,
            "year": periods.today().year,
        },
    )


def _cell_codes(org) -> set[str]:
    return {c.code for c in selectors.cells_of(Campaign(organization=org, year=periods.today().year))}


@login_required
def campaign_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    if org.is_cell:
        raise Http404
    form = CampaignForm(
        request.POST or None, initial=campaign_initial(periods.today()), cell_codes=_cell_codes(org)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_open(
                    actor=request.user,
                    organization=org,
                    year=data["year"],
                    start=data["start"],
                    end=data["end"],
                    review_date=data["review_date"],
                    settings=services.Settings(**form.settings_values()),
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The review campaign is open; the cells have been told."))
                return redirect(campaign)
    return render(
        request,
        "classification/campaign_form.html",
        {"form": form, "org": org, "rule_set": form.rule_set(), "title": _("Open a review campaign")},
        status=status,
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    campaign = selectors.campaign_get(scope, pk)
    rows, total = visible_progress(scope, campaign)
    member_caps, cell_caps = cap_overview(scope, campaign)
    can_manage = scope.covers(campaign.organization.path, MANAGE)
    return render(
        request,
        "classification/campaign_detail.html",
        {
            "campaign": campaign,
            "rule_set": campaign.rules,
            "settings": settings_shown(campaign),
            "rows": rows,
            "total": total,
            "levels": list(Level),
            "member_caps": member_caps,
            "cell_caps": cell_caps,
            "can_manage": can_manage,
            "sees_all": scope.covers(campaign.organization.path),
        },
    )


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.scope, pk, MANAGE)
    codes = {c.code for c in selectors.cells_of(campaign)}
    form = CampaignEditForm(request.POST or None, initial=campaign_edit_initial(campaign), cell_codes=codes)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.campaign_update(
                    actor=request.user,
                    campaign=campaign,
                    expected_version=data["version"],
                    start=data["start"],
                    end=data["end"],
                    review_date=data["review_date"],
                    **form.settings_values(),
                )
            except (ValidationError, StaleVersionError) as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(campaign)
    return render(
        request,
        "classification/campaign_form.html",
        {
            "form": form,
            "org": campaign.organization,
            "campaign": campaign,
            "rule_set": campaign.rules,
            "title": _("Change the review campaign of %(year)d") % {"year": campaign.year},
        },
        status=status,
    )


# ------------------------------------------------------------------------- a member's own rating


def _own_entry(request: HttpRequest, campaign: Campaign) -> selectors.Entry:
    """The logged-in user's place in the campaign's roster, through their own member record."""
    members = Member.objects.select_related("person").filter(person_id__in=request.scope.person_ids)
    for member in members:
        entry = selectors.roster_entry(campaign, member)
        if entry is not None:
            return entry
    raise Http404


@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own score and level (rules.md §1.6 step 1), until the cell proposes."""
    campaign = access.get_for_user_or_404(
        Campaign.objects.select_related("organization"), access.SYSTEM_SCOPE, pk=pk
    )
    entry = _own_entry(request, campaign)
    rating = entry.rating
    open_ = entry.reviewed and (rating is None or rating.stage == Stage.SELF_ASSESSED)
    needs_score = campaign.rules.has_score_bands
    form = None
    if open_:
        initial = (
            {"score": rating.self_score, "level": rating.self_level, "version": rating.version}
            if rating
            else {}
        )
        form = SelfAssessmentForm(request.POST or None, initial=initial, needs_score=needs_score)
    elif request.method == "POST":  # the page says why: not reviewed, or already proposed
        return redirect("classification:self", pk=campaign.pk)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.member_self_assess(
                    actor=request.user,
                    campaign=campaign,
                    member=entry.member,
                    score=data["score"],
                    level=data["level"],
                    expected_version=data["version"],
                )
            except (ValidationError, StaleVersionError) as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request, _("Your self-assessment is recorded; the cell will propose your level.")
                )
                return redirect("classification:self", pk=campaign.pk)
    return render(
        request,
        "classification/self.html",
        {
            "campaign": campaign,
            "entry": entry,
            "rating": rating,
            "exclusion": Exclusion(entry.exclusion).label if entry.exclusion else "",
            "form": form,
        },
        status=status,
    )


# ---------------------------------------------------------------------------- one member's rating


def _rating_page(
    request: HttpRequest, rating: MemberRating, *, triggers_form=None, reopen_form=None, status=200
):
    scope = request.scope
    campaign = rating.campaign
    entry = selectors.Entry(member=rating.member, cell_id=rating.cell_id, exclusion=None, rating=rating)
    selectors.member_checks(campaign, [entry])
    can_record = scope.covers(rating.cell.path, RECORDS)
    can_manage = scope.covers(campaign.organization.path, MANAGE)
    if can_record and rating.stage != Stage.DECIDED and triggers_form is None:
        triggers_form = MemberTriggersForm(initial={"triggers": rating.triggers, "version": rating.version})
    if can_manage and rating.stage == Stage.DECIDED and reopen_form is None:
        reopen_form = ReopenForm(initial={"version": rating.version})
    return render(
        request,
        "classification/member_rating.html",
        {
            "rating": rating,
            "campaign": campaign,
            "problems": entry.problems,
            "trigger_labels": _trigger_labels(rating.triggers),
            "triggers_form": triggers_form if can_record and rating.stage != Stage.DECIDED else None,
            "reopen_form": reopen_form if can_manage and rating.stage == Stage.DECIDED else None,
            "sees_sheet": scope.covers(rating.cell.path),
            "history": readable_history(rating),
        },
        status=status,
    )


def readable_history(rating: MemberRating) -> list[HistoryEntry]:
    """The rating's history with levels and stages in words; who and when of each step are on the
    page already, so their raw columns are left out."""
    entries = []
    for entry in history_entries(rating, limit=30):
        changes = tuple(
            Change(c.field, c.label, _display(rating, c.field, c.old), _display(rating, c.field, c.new))
            for c in entry.changes
            if not c.field.endswith(("_by", "_at"))
        )
        entries.append(replace(entry, changes=changes))
    return entries


def _display(rating: MemberRating, field: str, value):
    if field == "triggers":
        return "; ".join(_trigger_labels(value)) if value else None
    choices = dict(rating._meta.get_field(field).flatchoices)
    return choices.get(value, value) if choices else value


def _trigger_labels(keys) -> list[str]:
    return [str(TRIGGER_LABELS.get(key, key)) for key in keys or []]


def _rating_get(request: HttpRequest, pk: int, action: str = VIEW) -> MemberRating:
    return access.get_for_user_or_404(
        MemberRating.objects.select_related(
            "campaign__organization", "member__person", "cell", "self_by", "proposed_by", "decided_by"
        ),
        request.scope,
        action,
        pk=pk,
    )


@login_required
def member_rating(request: HttpRequest, pk: int) -> HttpResponse:
    """Every step of one member's rating, its checks and history; the member sees their own."""
    return _rating_page(request, _rating_get(request, pk))


@login_required
@require_POST
def member_triggers(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating_get(request, pk, RECORDS)
    form = MemberTriggersForm(request.POST)
    done = write_from_form(
        request,
        form,
        lambda data: services.member_triggers_set(
            actor=request.user, rating=rating, keys=data["triggers"], expected_version=data["version"]
        ),
        done=_("Changes saved."),
        back=rating.get_absolute_url(),
    )
    return done or _rating_page(request, rating, triggers_form=form, status=400)


@login_required
@require_POST
def member_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating_get(request, pk)
    access.require(request.scope, rating.campaign.organization.path, MANAGE)
    form = ReopenForm(request.POST)
    done = write_from_form(
        request,
        form,
        lambda data: services.member_reopen(
            actor=request.user, rating=rating, reason=data["reason"], expected_version=data["version"]
        ),
        done=_("The decision is reopened; the rating is back to the cell's proposal."),
        back=rating.get_absolute_url(),
    )
    return done or _rating_page(request, rating, reopen_form=form, status=400)
