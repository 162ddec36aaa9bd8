"""REST API of Party badges and the commendations register (issue 10): the pages' selectors and
services, the same scopes.

Whoever sees an organisation reads its subtree's badge register, the members a batch may propose,
the proposals of a batch, next year's budget and the commendations, each with the members they see.
The register is kept by the office (`MANAGE` on the member's cell), through services.award_record /
award_update / award_delete; the commendations by the office of the subtree
(commendations.can_record). Outside one's scope: 404.

Whether a member is gravely ill is health data: only those who keep the records of the member's cell
(`RECORDS`: the office, the cell's chi ủy) read "gravely_ill", and that showing is logged
(core.audit.personal_data_shown). To others such an award or proposal reads as an ordinary one (no
early reason, no medical record among its papers: "early" alone would tell it, posthumous awards
being shown) and the candidate is left out of the batch's list — the same rule as the pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, Scope
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError, personal_data_shown
from dangvu.members import selectors as member_selectors
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import commendations, proposals, selectors, services
from .api_schemas import (
    AwardIn,
    AwardOut,
    AwardPatch,
    BatchFilter,
    BudgetFilters,
    BudgetOut,
    CandidateOut,
    CommendationIn,
    CommendationOut,
    OfferOut,
    ProposalOut,
    RegisterFilters,
    YearFilter,
)
from .choices import Early
from .models import Award

router = Router(tags=["badges"])

# A gravely ill member's award or proposal reads as an ordinary one to who may not know the illness
# (health data): "early" alone would tell it, posthumous awards being shown.
HIDDEN = ""


# ------------------------------------------------------------------------------ small reads


def _log_shown(request, record, shown: bool) -> None:
    if shown:
        personal_data_shown(user=request.user, record=record, path=request.path)


def _awards(scope: Scope, organization: Organization) -> QuerySet[Award]:
    """The register of the subtree the user sees: newest award first, then by given name."""
    return (
        access.restrict(Award.objects, scope)
        .filter(member__person__organization__path__startswith=organization.path)
        .select_related("member__person__organization")
        .order_by("-awarded_on", "member__person__sort_key", "pk")
    )


def _award_out(award: Award, amount: int | None, hidden: bool) -> dict:
    cell = award.member.person.organization
    return {
        "id": award.pk,
        "member_id": award.member_id,
        "full_name": award.member.person.full_name,
        "cell_code": cell.code,
        "cell_name": cell.name,
        "years": award.years,
        "awarded_on": award.awarded_on,
        "decision_number": award.decision_number,
        "issuer": award.issuer,
        "batch": award.batch,
        "early": HIDDEN if hidden else award.early,
        "badge_number": award.badge_number,
        "handed_over_on": award.handed_over_on,
        "money_paid": award.money_paid,
        "amount": amount,
        "note": award.note,
        "version": award.version,
    }


class _Register:
    """The awards of a queryset as the API answers them, a page at a time: the pager counts them
    and slices a page, whose money is read together (a fixed number of queries)."""

    def __init__(self, request, awards: QuerySet[Award], organization: Organization):
        self.request, self.awards, self.organization = request, awards, organization

    def __len__(self) -> int:
        return self.awards.count()

    def __getitem__(self, page: slice) -> list[dict]:
        scope = self.request.scope
        awards = list(self.awards[page])
        amounts = selectors.amounts_of(awards)
        rows, shown = [], False
        for award in awards:
            hidden = selectors.illness_hidden(scope, award.early, award.member.person.organization.path)
            shown |= award.early == Early.GRAVELY_ILL and not hidden
            rows.append(_award_out(award, amounts.get(award.pk), hidden))
        _log_shown(self.request, self.organization, shown)
        return rows


def _read_award(request, award: Award) -> dict:
    hidden = selectors.illness_hidden(request.scope, award.early, award.member.person.organization.path)
    _log_shown(request, award.member, award.early == Early.GRAVELY_ILL and not hidden)
    return _award_out(award, selectors.money_of(award), hidden)


def _batch_or_refused(organization: Organization, batch: date) -> Status | None:
    """A refusal when `batch` is not a batch of the settings in force for the organisation."""
    batches = selectors.batches_of(selectors.settings_for(organization))
    if periods.FIRST_YEAR <= batch.year <= periods.LAST_YEAR and any(
        (b.month, b.day) == (batch.month, batch.day) for b in batches
    ):
        return None
    days = ", ".join(f"{b.day:02d}/{b.month:02d}" for b in sorted(batches, key=lambda b: b.month))
    return Status(
        422,
        {
            "detail": _("%(day)s is not an award batch: the batches are %(days)s.")
            % {"day": f"{batch:%d/%m/%Y}", "days": days},
            "errors": {"batch": [_("Choose one of the award batches.")]},
        },
    )


# ---------------------------------------------------------------------------------- register


@router.get("/organizations/{code}/badge-awards", response={200: list[AwardOut], 404: ErrorOut})
@paginate(Pages)
def award_list(request, code: str, filters: Query[RegisterFilters]):
    """The badge register (sổ tặng Huy hiệu Đảng) of the organisation's subtree, the members the
    caller sees, newest award first: `year` keeps the awards dated in that year, `years` one badge.
    `amount` is the money with the badge on its award date, null when it needs the local amount."""
    organization = org_selectors.organization_get(request.scope, code)
    awards = _awards(request.scope, organization)
    if filters.year is not None:
        awards = awards.filter(awarded_on__year=filters.year)
    if filters.years is not None:
        awards = awards.filter(years=filters.years)
    return _Register(request, awards, organization)


@router.get("/badge-awards/{award_id}", response={200: AwardOut, 404: ErrorOut})
def award_read(request, award_id: int):
    """One line of the register."""
    return _read_award(request, selectors.award_get(request.scope, award_id))


@router.post("/members/{member_id}/badge-awards", response={201: AwardOut, **ERRORS})
def award_create(request, member_id: int, payload: AwardIn):
    """Record a badge awarded to the member (services.award_record): the office (`MANAGE` on the
    member's cell). The checks of the page: a milestone, once per member and badge, the Party age
    reached on the award date (with the early allowance), a valid badge number."""
    member = member_selectors.member_get(request.scope, member_id, MANAGE)
    try:
        award = services.award_record(actor=request.user, member=member, **payload.dict())
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _read_award(request, selectors.award_get(request.scope, award.pk)))


@router.patch("/badge-awards/{award_id}", response={200: AwardOut, **ERRORS})
def award_patch(request, award_id: int, payload: AwardPatch):
    """Correct a line of the register, or record the hand-over, the money paid, the number
    (services.award_update). `version` is the award's, as read."""
    award = selectors.award_get(request.scope, award_id, MANAGE)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    try:
        services.award_update(actor=request.user, award=award, expected_version=payload.version, **changes)
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _read_award(request, selectors.award_get(request.scope, award_id))


@router.delete("/badge-awards/{award_id}", response={204: None, **ERRORS})
def award_remove(request, award_id: int, version: int):
    """Take a line entered by mistake out of the register (kept, marked deleted)."""
    award = selectors.award_get(request.scope, award_id, MANAGE)
    try:
        services.award_delete(actor=request.user, award=award, expected_version=version)
    except StaleVersionError as exc:
        return refused(exc)
    return Status(204, None)


# ------------------------------------------------------------------------ eligibility, budget


@router.get(
    "/organizations/{code}/badge-eligibility",
    response={200: list[CandidateOut], 404: ErrorOut, 422: ErrorOut},
)
def eligibility(request, code: str, filters: Query[BatchFilter]):
    """The members of the subtree the batch may propose (selectors.candidates_for_batch), by given
    name, each with the milestone, the day reached, an early award, a discipline's wait and why.
    `batch` must be a batch of the settings in force (422 otherwise)."""
    scope = request.scope
    organization = org_selectors.organization_get(scope, code)
    refusal = _batch_or_refused(organization, filters.batch)
    if refusal:
        return refusal
    found = selectors.candidates_for_batch(scope, organization, filters.batch)
    rows, shown = [], False
    for candidate in found:
        early = candidate.early
        if selectors.illness_hidden(scope, early, candidate.cell_path):
            # a gravely ill member is left out for who may not know it: "early" alone would tell
            continue
        shown |= early == Early.GRAVELY_ILL
        rows.append(
            {
                "member_id": candidate.member.pk,
                "full_name": candidate.member.person.full_name,
                "cell_code": candidate.member.cell_code or "",
                "cell_name": candidate.cell_name,
                "years": candidate.years,
                "reached_on": candidate.reached_on,
                "eligible_from": candidate.eligible_from,
                "batch": candidate.batch,
                "early": early,
                "not_yet_until": candidate.not_yet_until,
                "explanation": candidate.explanation,
            }
        )
    _log_shown(request, organization, shown)
    return rows


@router.get("/organizations/{code}/badge-budget", response={200: BudgetOut, 404: ErrorOut})
def budget(request, code: str, filters: Query[BudgetFilters]):
    """Next year's badges of the subtree (selectors.budget): `year` is the year asked (this one by
    default), the awards fall in the year after; at the base salary and coefficients in force on
    `as_of` (today by default). A badge with no coefficient is counted in `uncosted`, never as 0."""
    organization = org_selectors.organization_get(request.scope, code)
    year = filters.year or periods.today().year
    found = selectors.budget(request.scope, organization, year, filters.as_of or periods.today())

    def subtotal(s: selectors.Subtotal) -> dict:
        return {"count": s.count, "total": s.total, "uncosted": s.uncosted}

    return {
        "year": found.year,
        "as_of": found.as_of,
        "base_salary": found.base_salary,
        "total": subtotal(found.total),
        "by_batch": [{"batch": day, **subtotal(s)} for day, s in found.by_batch.items()],
        "by_cell": [
            {"cell_path": path, "cell_code": s.code, "cell_name": s.name, **subtotal(s)}
            for path, s in found.by_cell.items()
        ],
        "lines": [
            {
                "member_id": line.member.pk,
                "full_name": line.member.person.full_name,
                "cell_code": line.cell_code,
                "cell_name": line.cell_name or "",
                "years": line.years,
                "reached_on": line.reached_on,
                "batch": line.batch,
                "amount": line.amount,
            }
            for line in found.lines
        ],
    }


# --------------------------------------------------------------------------------- proposals


@router.get(
    "/organizations/{code}/badge-proposals",
    response={200: list[ProposalOut], 404: ErrorOut, 422: ErrorOut},
)
def proposal_list(request, code: str, filters: Query[BatchFilter]):
    """The members of the subtree proposed in the batch, by given name, with the papers of their
    dossier at hand and those still missing (rules.md §2.3)."""
    scope = request.scope
    organization = org_selectors.organization_get(scope, code)
    refusal = _batch_or_refused(organization, filters.batch)
    if refusal:
        return refusal
    found = proposals.proposals_in(scope, organization, filters.batch).order_by(
        "member__person__sort_key", "years", "pk"
    )
    rows, shown = [], False
    for row in proposals.proposal_rows(scope, found):
        proposal, cell = row.proposal, row.proposal.member.person.organization
        shown |= proposal.early == Early.GRAVELY_ILL and not row.early_hidden
        rows.append(
            {
                "id": proposal.pk,
                "member_id": proposal.member_id,
                "full_name": proposal.member.person.full_name,
                "cell_code": cell.code,
                "cell_name": cell.name,
                "years": proposal.years,
                "batch": proposal.batch,
                "early": HIDDEN if row.early_hidden else proposal.early,
                "papers_present": [p.code for p in row.papers if p.present],
                "papers_missing": [p.code for p in row.missing],
                "note": proposal.note,
                "version": proposal.version,
            }
        )
    _log_shown(request, organization, shown)
    return rows


# ----------------------------------------------------------------------------- commendations


@router.get("/organizations/{code}/commendations", response={200: list[CommendationOut], 404: ErrorOut})
@paginate(Pages)
def commendation_list(request, code: str, filters: Query[YearFilter]):
    """The commendations decided in the year (this one by default) for the organisation's subtree,
    newest first."""
    organization = org_selectors.organization_get(request.scope, code)
    year = filters.year or periods.today().year
    return commendations.commendations_in(request.scope, organization, year)


@router.post("/organizations/{code}/commendations", response={201: CommendationOut, **ERRORS})
def commendation_create(request, code: str, payload: CommendationIn):
    """Record a commendation of the organisation, or of one of its members (`member_id`; kept at
    the member's cell): the office of the subtree (commendations.can_record). Without `amount`,
    a member's giấy khen for an "excellent" rating of `rated_year` gets the money of §1.10."""
    organization = org_selectors.organization_get(request.scope, code)
    if not commendations.can_record(request.scope, organization):
        raise Http404
    data = payload.dict()
    member_id = data.pop("member_id")
    member = member_selectors.member_get(request.scope, member_id) if member_id is not None else None
    try:
        found = commendations.commendation_add(
            actor=request.user, organization=organization, member=member, **data
        )
    except ValidationError as exc:
        return refused(exc)
    return Status(201, commendations.commendation_get(request.scope, found.pk))


@router.get("/organizations/{code}/commendation-offers", response={200: list[OfferOut], 404: ErrorOut})
def offer_list(request, code: str, filters: Query[YearFilter]):
    """The members and cells of the subtree rated "excellent" (hoàn thành xuất sắc nhiệm vụ) in the
    year's final classification (this year by default) with no commendation for it yet: what the
    office would record, without retyping."""
    organization = org_selectors.organization_get(request.scope, code)
    year = filters.year or periods.today().year
    return commendations.offered_from_classification(request.scope, organization, year)
