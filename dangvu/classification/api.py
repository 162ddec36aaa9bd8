"""REST API of the annual review and quality classification (rules.md §1): the pages' selectors and
services, the same scopes.

A campaign is seen by whoever sees its organisation or an organisation under it; the roster and the
cells' progress show only the cells the user sees. A member self-assesses (or the chi ủy of their
cell records it on their behalf), the chi ủy proposes, the office decides and reopens. A decision
refused by the checks answers 422 with each problem and its rule: the same call with an
`override_reason` takes it against them."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import access
from dangvu.core.access import MANAGE, RECORDS, VIEW, Scope
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.members.models import Member
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from . import selectors, services
from .api_schemas import (
    CampaignFilters,
    CampaignIn,
    CampaignOut,
    CellDecisionIn,
    CellDecisionOut,
    CellRatingOut,
    CellSelfIn,
    CellsOut,
    DecisionsIn,
    DecisionsOut,
    MemberRatingOut,
    ProposalsIn,
    RefusedOut,
    ReopenIn,
    RosterRow,
    SelfAssessmentIn,
    problem_out,
    rating_out,
    row_out,
    score_in,
)
from .models import Campaign, MemberRating

router = Router(tags=["classification"])
DECISION_ERRORS = {**ERRORS, 422: RefusedOut}


def _refused(exc: ValidationError | StaleVersionError) -> Status:
    answer = refused(exc)
    if isinstance(exc, services.BlockedByRules):
        answer.value["problems"] = [problem_out(p) for p in exc.problems]
    return answer


# ------------------------------------------------------------------------------------ campaigns


@router.get("/classification/campaigns", response={200: list[CampaignOut], 404: ErrorOut})
@paginate(Pages)
def campaign_list(request, filters: Query[CampaignFilters]):
    """The campaigns the user sees, newest year first; `org` keeps those covering the organisation
    (its own, those above it) and those under it."""
    campaigns = selectors.campaigns_visible(request.scope)
    if filters.org is not None:
        organization = org_selectors.organization_get(request.scope, filters.org)
        campaigns = campaigns & selectors.campaigns_in(organization)
    if filters.year is not None:
        campaigns = campaigns.filter(year=filters.year)
    return campaigns.order_by("-year", "organization__path", "pk")


@router.get("/classification/campaigns/{campaign_id}", response={200: CampaignOut, 404: ErrorOut})
def campaign_read(request, campaign_id: int):
    return selectors.campaign_get(request.scope, campaign_id)


@router.post("/classification/campaigns", response={201: CampaignOut, **ERRORS})
def campaign_open(request, payload: CampaignIn):
    """The office opens the year's review for its organisation's subtree."""
    organization = org_selectors.organization_get(request.scope, payload.organization_code, MANAGE)
    try:
        campaign = services.campaign_open(
            actor=request.user,
            organization=organization,
            year=payload.year,
            start=payload.start,
            end=payload.end,
            review_date=payload.review_date,
            settings=services.Settings(**payload.settings.dict()),
        )
    except ValidationError as exc:
        return refused(exc)
    return Status(201, selectors.campaign_get(request.scope, campaign.pk))


# ------------------------------------------------------------------------------------ the roster


def _cells_seen(scope: Scope, cells: dict[int, Organization]) -> dict[int, Organization]:
    return {pk: c for pk, c in cells.items() if scope.covers(c.path, VIEW)}


def _cell(scope: Scope, campaign: Campaign, code: str, action: str = VIEW) -> Organization:
    """A cell of the campaign held for `action`; 404 otherwise."""
    cells = Organization.objects.filter(path__startswith=campaign.organization.path, kind__in=CELL_KINDS)
    return access.get_for_user_or_404(cells, scope, action, code=code)


@router.get("/classification/campaigns/{campaign_id}/roster", response={200: list[RosterRow], 404: ErrorOut})
@paginate(Pages)
def roster(request, campaign_id: int, cell: str | None = None):
    """Who the campaign reviews in the cells the user sees (or in `cell`), with the reason when a
    member is not reviewed, their rating's steps and the checks of its level; in name order."""
    campaign = selectors.campaign_get(request.scope, campaign_id)
    chosen = _cell(request.scope, campaign, cell) if cell is not None else None
    cells = {chosen.pk: chosen} if chosen else _cells_seen(request.scope, selectors.all_cells(campaign))
    entries = [e for e in selectors.roster(campaign, chosen) if e.cell_id in cells]
    selectors.member_checks(campaign, entries)
    return [row_out(e, cells) for e in entries]


# ------------------------------------------------------------------------------ member ratings


def _ratings_out(campaign: Campaign, pks: list[int]) -> list[dict]:
    """The ratings as the API shows them, with their checks, in the order of `pks`. Two queries."""
    ratings = MemberRating.objects.filter(pk__in=pks).select_related(
        "member__person", "cell", "self_by", "proposed_by", "decided_by"
    )
    entries = [selectors.Entry(member=r.member, cell_id=r.cell_id, exclusion=None, rating=r) for r in ratings]
    selectors.member_checks(campaign, entries)
    order = {pk: i for i, pk in enumerate(pks)}
    entries.sort(key=lambda e: order[e.rating.pk])
    return [rating_out(e.rating, campaign, e.problems) for e in entries]


@router.get("/classification/member-ratings/{rating_id}", response={200: MemberRatingOut, 404: ErrorOut})
def member_rating_read(request, rating_id: int):
    """A member's rating: seen by those who see the cell, and by the member."""
    rating = selectors.member_rating_get(request.scope, rating_id)
    return _ratings_out(rating.campaign, [rating.pk])[0]


def _member_of(request, campaign_id: int, member_id: int) -> tuple[Campaign, Member]:
    """The campaign and one of its members whom the user is, or whose cell they keep (RECORDS):
    404 otherwise, the same answer whether the campaign or the member exists or not."""
    campaign = Campaign.objects.select_related("organization").filter(pk=campaign_id).first()
    member = Member.objects.select_related("person").filter(pk=member_id).first()
    entry = selectors.roster_entry(campaign, member) if campaign and member else None
    if entry is None:
        raise Http404
    if member.person_id not in request.scope.person_ids:
        cell = Organization.objects.get(pk=entry.cell_id)
        access.require(request.scope, cell.path, RECORDS)
    return campaign, member


@router.post(
    "/classification/campaigns/{campaign_id}/self-assessments", response={200: MemberRatingOut, **ERRORS}
)
def member_self_assess(request, campaign_id: int, payload: SelfAssessmentIn):
    """A member's self-assessment (rules.md §1.6 step 1), by the member; recorded by the chi ủy of
    their cell, it is marked as made on the member's behalf."""
    campaign, member = _member_of(request, campaign_id, payload.member)
    try:
        rating = services.member_self_assess(
            actor=request.user,
            campaign=campaign,
            member=member,
            score=score_in(payload.score),
            level=payload.level,
            expected_version=payload.version,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _ratings_out(campaign, [rating.pk])[0]


@router.post(
    "/classification/campaigns/{campaign_id}/proposals", response={200: list[MemberRatingOut], **ERRORS}
)
def member_propose(request, campaign_id: int, payload: ProposalsIn):
    """The cell's proposals (rules.md §1.6 step 2), all or none: the chi ủy of the cell."""
    campaign = selectors.campaign_get(request.scope, campaign_id)
    cell = _cell(request.scope, campaign, payload.cell, RECORDS)
    members = {e.member.pk: e.member for e in selectors.roster(campaign, cell) if e.cell_id == cell.pk}
    unknown = sorted({p.member for p in payload.proposals} - set(members))
    if unknown:
        return Status(
            422,
            {
                "detail": _("Not members of the cell in this review: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            },
        )
    proposals = [
        services.Proposal(
            member=members[p.member],
            level=p.level,
            score=score_in(p.score),
            note=p.note,
            self_score=score_in(p.self_score),
            self_level=p.self_level or "",
            expected_version=p.version,
        )
        for p in payload.proposals
    ]
    try:
        done = services.member_propose(actor=request.user, campaign=campaign, cell=cell, proposals=proposals)
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _ratings_out(campaign, [r.pk for r in done])


@router.post(
    "/classification/campaigns/{campaign_id}/decisions", response={200: DecisionsOut, **DECISION_ERRORS}
)
def member_decide(request, campaign_id: int, payload: DecisionsIn):
    """The committee's decisions (rules.md §1.6 step 3), all or none: the office of the campaign's
    organisation. Refused with the problems of §1.3 and §1.4 unless `override_reason` is given."""
    campaign = selectors.campaign_get(request.scope, campaign_id, MANAGE)
    wanted = [d.rating for d in payload.decisions]
    ratings = {r.pk: r for r in MemberRating.objects.filter(campaign=campaign, pk__in=wanted)}
    if any(d.rating not in ratings for d in payload.decisions):
        return Status(422, {"detail": _("A rating does not belong to this review.")})
    decisions = [services.Decision(ratings[d.rating], d.level, d.version) for d in payload.decisions]
    try:
        outcome = services.member_decide(
            actor=request.user,
            campaign=campaign,
            decisions=decisions,
            override_reason=payload.override_reason,
        )
    except (ValidationError, StaleVersionError) as exc:
        return _refused(exc)
    return {
        "ratings": _ratings_out(campaign, [r.pk for r in outcome.ratings]),
        "warnings": [problem_out(p) for p in outcome.warnings],
    }


@router.post("/classification/member-ratings/{rating_id}/reopen", response={200: MemberRatingOut, **ERRORS})
def member_reopen(request, rating_id: int, payload: ReopenIn):
    """The office takes a decision back, with a reason (rules.md §1.6)."""
    rating = selectors.member_rating_get(request.scope, rating_id)
    campaign = selectors.campaign_get(request.scope, rating.campaign_id, MANAGE)
    try:
        services.member_reopen(
            actor=request.user, rating=rating, reason=payload.reason, expected_version=payload.version
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _ratings_out(campaign, [rating.pk])[0]


# -------------------------------------------------------------------------------- cell ratings


def _summed(organization: Organization, items: list[selectors.CellProgress]) -> selectors.CellProgress:
    total = selectors.CellProgress(cell=organization)
    for item in items:
        for name in ("reviewed", "not_reviewed", "not_self_assessed", "not_proposed", "not_decided"):
            setattr(total, name, getattr(total, name) + getattr(item, name))
        total.levels += item.levels
    return total


def _caps(campaign: Campaign, cells: dict[int, Organization], seen: dict[int, Organization]) -> list:
    """The cap in the groups of the cells the user sees, counted over the whole group. One query."""
    ratings = MemberRating.objects.filter(campaign=campaign, cell_id__in=list(cells)).only(
        "cell_id", "stage", "decided_level", "proposed_level"
    )
    groups = {campaign.group_of(c) for c in seen.values()}
    return [s for s in selectors.cap_statuses(campaign, ratings, cells) if s.group in groups]


@router.get("/classification/campaigns/{campaign_id}/cells", response={200: CellsOut, 404: ErrorOut})
def cell_progress(request, campaign_id: int):
    """Where each cell the user sees stands: who has not self-assessed, not been proposed, not been
    decided; the levels decided; the cell's own rating; and the cap in use."""
    campaign = selectors.campaign_get(request.scope, campaign_id)
    cells = selectors.all_cells(campaign)
    seen = _cells_seen(request.scope, cells)
    items, total = selectors.progress(campaign)
    items = [i for i in items if i.cell.pk in seen]
    for item in items:
        if item.rating is not None:
            item.rating.cell = item.cell  # the same row: shown without a query per cell
    if not request.scope.covers(campaign.organization.path, VIEW):
        total = _summed(campaign.organization, items)
    return {"cells": items, "total": total, "caps": _caps(campaign, cells, seen)}


@router.post(
    "/classification/campaigns/{campaign_id}/cells/{code}/self-assessment",
    response={200: CellRatingOut, **ERRORS},
)
def cell_self_assess(request, campaign_id: int, code: str, payload: CellSelfIn):
    """The chi ủy's self-rating of its cell (rules.md §1.6): RECORDS on the cell."""
    campaign = selectors.campaign_get(request.scope, campaign_id)
    cell = _cell(request.scope, campaign, code, RECORDS)
    try:
        return services.cell_self_assess(
            actor=request.user,
            campaign=campaign,
            cell=cell,
            score=score_in(payload.score),
            level=payload.level,
            note=payload.note,
            triggers=payload.triggers,
            expected_version=payload.version,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)


@router.post(
    "/classification/campaigns/{campaign_id}/cells/{code}/decision",
    response={200: CellDecisionOut, **DECISION_ERRORS},
)
def cell_decide(request, campaign_id: int, code: str, payload: CellDecisionIn):
    """The committee's decision on a cell, after all its reviewed members (rules.md §1.5): the
    office of the campaign's organisation."""
    campaign = selectors.campaign_get(request.scope, campaign_id, MANAGE)
    rating = selectors.cell_rating_of(campaign, _cell(request.scope, campaign, code, MANAGE))
    if rating is None:
        return Status(422, {"detail": _("The cell has not rated itself yet, or is already decided.")})
    try:
        outcome = services.cell_decide(
            actor=request.user,
            rating=rating,
            level=payload.level,
            expected_version=payload.version,
            exemplary=payload.exemplary,
            override_reason=payload.override_reason,
        )
    except (ValidationError, StaleVersionError) as exc:
        return _refused(exc)
    return {"rating": outcome.ratings[0], "warnings": [problem_out(p) for p in outcome.warnings]}


@router.post(
    "/classification/campaigns/{campaign_id}/cells/{code}/reopen", response={200: CellRatingOut, **ERRORS}
)
def cell_reopen(request, campaign_id: int, code: str, payload: ReopenIn):
    """The office takes the decision on a cell back, with a reason."""
    campaign = selectors.campaign_get(request.scope, campaign_id, MANAGE)
    rating = selectors.cell_rating_of(campaign, _cell(request.scope, campaign, code, MANAGE))
    if rating is None:
        return Status(422, {"detail": _("Only a decided rating is reopened.")})
    try:
        return services.cell_reopen(
            actor=request.user, rating=rating, reason=payload.reason, expected_version=payload.version
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
