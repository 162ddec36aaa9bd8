"""REST API of member development (issue 9): the pages' selectors and services, the same scopes.

A candidate is seen by whoever sees their cell (a cell's secretary sees only their cell's; the
office the whole subtree). The next step is recorded by whoever keeps the cell's candidates
(selectors.can_keep: the cell's chi ủy, the office), through services.step_record: the same checks
as the page (order, dates, two thirds, the age, certificate and dossier at the cell's resolution),
and the admission decision opens the member's record. Outside one's scope: 404."""

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core.access import RECORDS
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .api_schemas import CandidateFilters, CandidateOut, StepIn
from .choices import Step

router = Router(tags=["development"])


def candidate_out(row: selectors.Row) -> dict:
    """A candidate read with_steps, with what they await next, as the API answers it."""
    candidate = row.candidate
    steps = list(candidate.steps.all())
    certificate = next((s.date for s in steps if s.step == Step.CLASS), None)
    helper = candidate.helper
    return {
        "id": candidate.pk,
        "cell_code": candidate.cell.code,
        "cell_name": candidate.cell.name,
        "full_name": candidate.full_name,
        "date_of_birth": candidate.date_of_birth,
        "gender": candidate.gender,
        "occupation": candidate.occupation,
        "general_education": candidate.general_education,
        "helper": {"member_id": helper.pk, "full_name": helper.person.full_name} if helper else None,
        "step": candidate.step,
        "step_on": candidate.step_on,
        "member_id": candidate.member_id,
        "certificate_valid_until": rules.certificate_valid_until(certificate) if certificate else None,
        "steps": steps,
        "papers": [
            {
                "id": p.pk,
                "paper": p.paper,
                "made_on": p.made_on,
                "valid_until": rules.paper_valid_until(p.made_on) if p.paper in rules.EXPIRING else None,
                "note": p.note,
            }
            for p in candidate.papers.all()
        ],
        "next_due": (
            {"step": row.due.step, "on": row.due.on, "overdue": row.overdue} if row.due is not None else None
        ),
        "version": candidate.version,
    }


class _Rows:
    """The candidates of a queryset as the API answers them, a page at a time: the pager counts
    them and slices a page, whose steps, papers and due dates are read together (a fixed number
    of queries, whatever the page's size)."""

    def __init__(self, candidates):
        self.candidates = candidates

    def __len__(self) -> int:
        return self.candidates.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [candidate_out(r) for r in selectors.rows(selectors.with_steps(self.candidates[page]))]


@router.get("/organizations/{code}/candidates", response={200: list[CandidateOut], 404: ErrorOut})
@paginate(Pages)
def candidate_list(request, code: str, filters: Query[CandidateFilters]):
    """The candidates of the organisation's cells the caller sees, by given name, each with their
    steps, papers and the next due date: those still on their way, or with `all` also the
    recognised and the removed; `step` keeps one step; `q` searches the name."""
    organization = org_selectors.organization_get(request.scope, code)
    candidates = selectors.candidates_in(
        request.scope,
        organization,
        step=filters.step or "",
        query=filters.q,
        current=not filters.all and filters.step not in {Step.RECOGNISED, Step.REMOVED},
    )
    return _Rows(candidates)


def _read(request, candidate_id: int) -> dict:
    candidate = selectors.candidate_get(request.scope, candidate_id)
    prefetch_related_objects([candidate], "steps", "papers")  # as selectors.with_steps: by date, by paper
    return candidate_out(selectors.rows([candidate])[0])


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, 404: ErrorOut})
def candidate_read(request, candidate_id: int):
    """A candidate with their steps, papers and next due date."""
    return _read(request, candidate_id)


@router.post("/candidates/{candidate_id}/steps", response={201: CandidateOut, **ERRORS})
def step_create(request, candidate_id: int, payload: StepIn):
    """Record the candidate's next step (services.step_record): whoever keeps the cell's
    candidates. `version` is the candidate's, as read."""
    candidate = selectors.candidate_get(request.scope, candidate_id, RECORDS)
    if not selectors.can_keep(request.scope, candidate.cell):
        raise Http404
    try:
        services.step_record(
            actor=request.user,
            candidate=candidate,
            expected_version=payload.version,
            step=payload.step,
            on=payload.date,
            document_number=payload.document_number,
            issuing_body=payload.issuing_body,
            votes_for=payload.votes_for,
            votes_of=payload.votes_of,
            extended=payload.extended,
            received_on=payload.received_on,
            note=payload.note,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return Status(201, _read(request, candidate_id))
