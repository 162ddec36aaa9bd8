"""Badge proposals per batch (rules.md §2.3): who a batch may propose, the proposals made with the
papers of their dossier at hand, and the batch's list as XLSX.

Writes (proposal_add, proposal_update, proposal_delete) are one transaction each, audited; a
proposal is refused for a member the batch may not propose (selectors.candidates_for_batch's rules
for that one member), a second time for the same badge, or for a badge already in the register.
Reads cost a fixed number of queries whatever the size of the batch. Whether a member is gravely ill
is health data: only who keeps the records of the member's cell (RECORDS: the office, the cell's
chi ủy) reads it; others read "early award"."""

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from dangvu.core import access
from dangvu.core.access import MANAGE, RECORDS, Scope
from dangvu.core.audit import personal_data_shown, save_audited, soft_delete, update_versioned
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.members.rules import add_months, months_between
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import Early, Paper
from .models import Award, Proposal

# --------------------------------------------------------------------------------- the batches


def batch_choices(org: Organization, today: date) -> list[date]:
    """This year's and next year's batches of the settings in force for the organisation."""
    batches = selectors.batches_of(selectors.settings_for(org))
    return sorted(date(year, b.month, b.day) for year in (today.year, today.year + 1) for b in batches)


def chosen_batch(raw: str | None, choices: list[date], today: date) -> date:
    """The batch asked (YYYY-MM-DD) when it is one of the choices, else the next one."""
    if raw:
        try:
            wanted = date.fromisoformat(raw)
        except ValueError:
            wanted = None
        if wanted in choices:
            return wanted
    return next((day for day in choices if day >= today), choices[-1])


def _is_batch(day: date, org: Organization) -> bool:
    batches = selectors.batches_of(selectors.settings_for(org))
    return any((b.month, b.day) == (day.month, day.day) for b in batches)


# ------------------------------------------------------------------------------------ services


@transaction.atomic
def proposal_add(*, actor, member: Member, years: int, batch: date, early: str = "") -> Proposal:
    """Propose a member for a badge in a batch (rules.md §2.3): the Party age reaches the milestone
    in the batch's window, or the early allowance applies with the illness or the death recorded;
    no discipline wait left at the batch; once per member and badge; not already awarded."""
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if years not in rules.MILESTONES:
        raise ValidationError({"years": _("Choose the badge from the list.")})
    if Award.objects.filter(member=member, years=years).exists():
        raise ValidationError(
            {
                "years": _("This member already has the %(years)d-year badge in the register.")
                % {"years": years}
            }
        )
    existing = Proposal.objects.filter(member=member, years=years).first()
    if existing:
        raise ValidationError(
            _("This member is already proposed for the %(years)d-year badge, in the batch of %(day)s.")
            % {"years": years, "day": f"{existing.batch:%d/%m/%Y}"}
        )
    candidate = selectors.candidate_of(member, years, batch)
    if candidate is None or candidate.early != early:
        raise ValidationError(
            _("The batch of %(day)s may not propose this member for the %(years)d-year badge.")
            % {"day": f"{batch:%d/%m/%Y}", "years": years}
        )
    if candidate.not_yet_until:
        raise ValidationError(
            _("Disciplined: this member may be considered for a badge from %(day)s.")
            % {"day": f"{candidate.not_yet_until:%d/%m/%Y}"}
        )
    proposal = Proposal(member=member, years=years, batch=batch, early=early, papers=[])
    save_audited(proposal, actor=actor, reason="badge proposal made")
    return proposal


def _first_batch(proposal: Proposal) -> date | None:
    """The earliest batch the proposal may be in: that of the day the member may be proposed."""
    member = proposal.member
    origin = member.party_age_origin
    if origin is None:
        return None
    months = rules.early_months(
        proposal.years,
        gravely_ill=proposal.early == Early.GRAVELY_ILL,
        deceased=proposal.early == Early.POSTHUMOUS,
    )
    batches = selectors.batches_of(selectors.settings_for(member.person.organization))
    return rules.batch_of(add_months(origin, 12 * proposal.years - months), batches)


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    expected_version: int,
    papers: list[str] | None = None,
    note: str | None = None,
    batch: date | None = None,
) -> Proposal:
    """The papers of the dossier at hand (only those the proposal needs: rules.papers_required),
    the note, or the batch (a later one: a dossier not ready moves to the next batch)."""
    changes: dict = {}
    if papers is not None:
        required = rules.papers_required(proposal.early)
        extra = [p for p in papers if p not in required]
        if extra:
            raise ValidationError({"papers": _("Tick only the papers this proposal needs.")})
        changes["papers"] = [p for p in required if p in set(papers)]
    if note is not None:
        changes["note"] = note.strip()
    if batch is not None and batch != proposal.batch:
        first = _first_batch(proposal)
        if not _is_batch(batch, proposal.member.person.organization) or first is None or batch < first:
            raise ValidationError(
                {
                    "batch": _("Choose a batch from the list, not before %(day)s.")
                    % {"day": f"{first:%d/%m/%Y}"}
                }
                if first
                else {"batch": _("Choose a batch from the list.")}
            )
        changes["batch"] = batch
    return update_versioned(
        proposal,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        reason="badge proposal updated",
    )


@transaction.atomic
def proposal_delete(*, actor, proposal: Proposal, expected_version: int) -> None:
    """Withdraw a proposal (kept, marked deleted)."""
    soft_delete(proposal, actor=actor, expected_version=expected_version, reason="badge proposal withdrawn")


# ----------------------------------------------------------------------------------- selectors


def can_propose(scope: Scope, cell_path: str) -> bool:
    """Whoever keeps the records of the member's cell (its chi ủy, the office) proposes."""
    return scope.covers(cell_path, RECORDS)


def can_record_award(scope: Scope, cell_path: str) -> bool:
    """The office records the award in the register."""
    return scope.covers(cell_path, MANAGE)


def proposals_in(scope: Scope, org: Organization, batch_date: date | None = None) -> QuerySet[Proposal]:
    """The proposals of the subtree the user sees (of a batch when given), with the member, the
    cell, the member's death date (`died_on`, None when alive) and whether the badge is in the
    register, by cell then given name: one query."""
    rows = access.restrict(Proposal.objects.all(), scope, access.VIEW).filter(
        member__person__organization__path__startswith=org.path
    )
    if batch_date:
        rows = rows.filter(batch=batch_date)
    awarded = Award.objects.filter(member=OuterRef("member"), years=OuterRef("years"))
    death = MemberEvent.objects.filter(member=OuterRef("member"), kind=EventKind.DEATH, annulled=False)
    return (
        rows.annotate(awarded=Exists(awarded), died_on=Subquery(death.values("date")[:1]))
        .select_related("member__person__organization")
        .order_by("member__person__organization__name", "member__person__sort_key", "pk")
    )


@dataclass(frozen=True)
class PaperLine:
    code: str
    label: str
    present: bool


@dataclass(frozen=True)
class ProposalRow:
    """A proposal as shown: the dossier checklist, the early award as the user may read it."""

    proposal: Proposal
    cell_name: str
    cell_path: str
    papers: list[PaperLine]
    early_label: str  # the illness only to whoever keeps the cell's records, else "early award"
    early_hidden: bool
    awarded: bool
    can_keep: bool
    can_record_award: bool

    @property
    def missing(self) -> list[PaperLine]:
        return [p for p in self.papers if not p.present]


def early_label(early: str, hidden: bool) -> str:
    """The early award's label; none for a gravely ill member's to who may not know the illness
    ("early" alone would tell it, posthumous awards being shown)."""
    if hidden:
        return ""
    return str(Early(early).label) if early else ""


def party_age_months(proposal: Proposal, batch: date) -> int | None:
    """The member's Party age in months at the batch, stopping at death (members.rules); None without
    an origin to count from."""
    origin = proposal.member.party_age_origin
    if origin is None:
        return None
    died_on = getattr(proposal, "died_on", None)
    return months_between(origin, min(batch, died_on) if died_on else batch)


def proposal_rows(scope: Scope, proposals) -> list[ProposalRow]:
    rows = []
    for proposal in proposals:
        cell = proposal.member.person.organization
        present = set(proposal.papers or [])
        hidden = selectors.illness_hidden(scope, proposal.early, cell.path)
        rows.append(
            ProposalRow(
                proposal=proposal,
                cell_name=cell.name,
                cell_path=cell.path,
                papers=[
                    PaperLine(code, str(Paper(code).label), code in present)
                    # the medical record would tell the illness: not to whoever may not know it
                    for code in rules.papers_required(Early.NO if hidden else proposal.early)
                ],
                early_label=early_label(proposal.early, hidden),
                early_hidden=hidden,
                awarded=bool(getattr(proposal, "awarded", False)),
                can_keep=can_propose(scope, cell.path),
                can_record_award=can_record_award(scope, cell.path),
            )
        )
    return rows


def illness_shown(rows: list[ProposalRow]) -> dict[int, Member]:
    """The gravely ill members whose illness the rows show to their reader, by member (once each)."""
    return {
        r.proposal.member_id: r.proposal.member
        for r in rows
        if r.proposal.early == Early.GRAVELY_ILL and not r.early_hidden
    }


def log_illness(*, user, path: str, shown: dict[int, Member]) -> None:
    """Log each gravely ill member whose illness a page (or a document) shows `user` (once per member)."""
    for member in shown.values():
        personal_data_shown(user=user, record=member, path=path)


@dataclass(frozen=True)
class CandidateRow:
    candidate: selectors.Candidate
    early_label: str
    early_hidden: bool
    proposed_in: date | None  # the batch of the member's proposal for that badge, if any
    can_propose: bool


def candidate_rows(scope: Scope, org: Organization, batch_date: date) -> list[CandidateRow]:
    """The members the batch may propose (selectors.candidates_for_batch), by cell then given name,
    each with its explanation as the user may read it and whether it is proposed. Four queries."""
    settings = selectors.settings_for(org)
    candidates = selectors.candidates_for_batch(scope, org, batch_date)
    proposed = {
        (member_id, years): batch
        for member_id, years, batch in Proposal.objects.filter(
            member__in=[c.member.pk for c in candidates]
        ).values_list("member_id", "years", "batch")
    }
    rows = []
    for candidate in candidates:
        hidden = selectors.illness_hidden(scope, candidate.early, candidate.cell_path)
        if hidden:  # the explanation without the illness
            plain = dataclasses.replace(candidate, early=Early.NO)
            candidate = dataclasses.replace(
                candidate, explanation=selectors.explain(plain, candidate.member, settings)
            )
        rows.append(
            CandidateRow(
                candidate=candidate,
                early_label=early_label(candidate.early, hidden),
                early_hidden=hidden,
                proposed_in=proposed.get((candidate.member.pk, candidate.years)),
                can_propose=can_propose(scope, candidate.cell_path),
            )
        )
    rows.sort(
        key=lambda r: (r.candidate.cell_name, r.candidate.member.person.sort_key, r.candidate.member.pk)
    )
    return rows
