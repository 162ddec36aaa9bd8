"""A cell's proposals from Excel (issue 6, point 6): all or none, by the cell's secretary."""

from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.core.audit import StaleVersionError
from dangvu.core.imports import Problem, Report, Row
from dangvu.organization.models import Organization

from .. import rules, selectors, services
from ..choices import Exclusion, Level, Stage
from ..models import Campaign, MemberRating
from .common import (
    NAME,
    PROPOSAL_COLUMNS,
    PROPOSED_LEVEL,
    PROPOSED_SCORE,
    SELF_LEVEL,
    SELF_SCORE,
    Finder,
    level_label,
    level_of,
    number,
    parsed,
    run,
    score_of,
    template,
)


@dataclass
class ProposalPlan:
    actor: Any
    campaign: Campaign
    cell: Organization


def proposals_template(campaign: Campaign, cell: Organization) -> bytes:
    """The cell's reviewed members not yet decided, with what is recorded for them, to fill in."""
    rows = [
        {
            "full_name": e.member.person.full_name,
            "date_of_birth": e.member.person.date_of_birth,
            "card_number": e.member.card_number,
            **_rating_values(e.rating),
        }
        for e in selectors.roster(campaign, cell)
        if e.cell_id == cell.pk and e.reviewed and e.stage != Stage.DECIDED
    ]
    example = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": date(1985, 5, 20),
        "self_score": 86,
        "self_level": level_label(Level.GOOD),
        "proposed_score": 85,
        "proposed_level": level_label(Level.GOOD),
    }
    return template("Đề xuất xếp loại", PROPOSAL_COLUMNS, rows or [example])


def _rating_values(rating: MemberRating | None) -> dict:
    if rating is None:
        return {}
    return {
        "self_score": number(rating.self_score),
        "self_level": level_label(rating.self_level),
        "proposed_score": number(rating.proposed_score),
        "proposed_level": level_label(rating.proposed_level),
        "note": rating.proposal_note,
    }


def run_proposals(data: IO[bytes] | str, plan: ProposalPlan, *, dry_run: bool) -> Report:
    """The cell's proposals from the file, all written by one call of services.member_propose."""
    return run(data, PROPOSAL_COLUMNS, dry_run, lambda rows, report: _Proposals(plan, report).run(rows))


class _Proposals:
    def __init__(self, plan: ProposalPlan, report: Report) -> None:
        self.plan, self.report = plan, report
        entries = [e for e in selectors.roster(plan.campaign, plan.cell) if e.cell_id == plan.cell.pk]
        self.entries = {e.member.pk: e for e in entries}
        self.finder = Finder([e.member for e in entries], plan.cell)
        self.seen: dict[int, int] = {}  # member -> the first row naming them

    def run(self, rows: list[Row]) -> None:
        planned = []
        for row in rows:
            proposal = self._check(row)
            self.report.problems.extend(row.problems)
            if proposal is not None and not row.problems:
                planned.append((row, proposal))
        if planned and not self.report.problems:
            self._write(planned)

    def _check(self, row: Row) -> services.Proposal | None:
        v = row.values
        if "proposed_level" not in v:
            row.refuse(PROPOSED_LEVEL, _("The file has no column “%(column)s”.") % {"column": PROPOSED_LEVEL})
            return None
        if not v.get("proposed_level") and not v.get("proposed_score") and not v.get("note"):
            self.report.skipped += 1  # nothing proposed on this row (a template row left as it was)
            return None
        level = parsed(row, "proposed_level", PROPOSED_LEVEL, level_of)
        score = parsed(row, "proposed_score", PROPOSED_SCORE, score_of)
        self_level = parsed(row, "self_level", SELF_LEVEL, level_of)
        self_score = parsed(row, "self_score", SELF_SCORE, score_of)
        if not v.get("proposed_level"):
            row.refuse(PROPOSED_LEVEL, _("Give the level the cell proposes."))
        member, _how = self.finder.find(row)
        if member is None or row.problems:
            return None
        first = self.seen.setdefault(member.pk, row.number)
        if first != row.number:
            row.refuse(NAME, _("Row %(row)d already has this member.") % {"row": first})
            return None
        return self._proposal(row, self.entries[member.pk], level, score, self_level, self_score)

    def _proposal(self, row: Row, entry, level, score, self_level, self_score) -> services.Proposal | None:
        """The row as a proposal, after the checks member_propose makes, each said on its column."""
        member, rating = entry.member, entry.rating
        if not entry.reviewed:
            reason = Exclusion(entry.exclusion).label
            row.refuse(
                NAME,
                _("%(name)s is not reviewed this year: %(reason)s.") % {"name": member, "reason": reason},
            )
            return None
        if rating is not None and rating.stage == Stage.DECIDED:
            row.refuse(
                PROPOSED_LEVEL,
                _("%(name)s is already decided; the office reopens a decision.") % {"name": member},
            )
            return None
        on_behalf = rating is None or (rating.stage == Stage.SELF_ASSESSED and rating.self_on_behalf)
        records_self = bool(self_level) and on_behalf
        if rating is None and not self_level:
            row.refuse(
                SELF_LEVEL,
                _("%(name)s has no self-assessment: fill in “%(column)s” to record it on their behalf.")
                % {"name": member, "column": SELF_LEVEL},
            )
            return None
        bands = self.plan.campaign.rules.has_score_bands
        checked = score if score is not None else (self_score if records_self else rating.self_score)
        if bands and records_self and self_score is None:
            row.refuse(SELF_SCORE, _("Give the score out of 100 (Regulation 366-QĐ/TW)."))
        elif bands and checked is None:
            row.refuse(PROPOSED_SCORE, _("Give the score out of 100 (Regulation 366-QĐ/TW)."))
        if row.problems:
            return None
        self._warn(row, member, rating, level, checked, self_level if not records_self else "")
        return services.Proposal(
            member=member,
            level=level,
            score=score,
            note=row.values.get("note") or "",
            self_score=self_score if records_self else None,
            self_level=self_level if records_self else "",
            expected_version=rating.version if rating else None,
        )

    def _warn(self, row: Row, member, rating, level: str, score, unused_self: str) -> None:
        """What does not stop the import: a level outside its score band (rules.md §1.3), and a
        self-assessment in the file that the member's own one overrides."""
        for problem in rules.level_problems(level, score, self.plan.campaign.rules):
            self.report.warnings.append(Problem(row.number, PROPOSED_LEVEL, f"{member}: {problem.message}"))
        if unused_self and rating is not None and unused_self != rating.self_level:
            self.report.warnings.append(
                Problem(
                    row.number,
                    SELF_LEVEL,
                    _("%(name)s has self-assessed: “%(column)s” in the file is not used.")
                    % {"name": member, "column": SELF_LEVEL},
                )
            )

    def _write(self, planned: list[tuple[Row, services.Proposal]]) -> None:
        plan = self.plan
        try:
            services.member_propose(
                actor=plan.actor, campaign=plan.campaign, cell=plan.cell, proposals=[p for _r, p in planned]
            )
        except (ValidationError, StaleVersionError) as exc:
            # The checks above make the service's own; a refusal here is a change made meanwhile.
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            number = next((r.number for r, p in planned if str(p.member) in message), planned[0][0].number)
            self.report.problems.append(Problem(number, PROPOSED_LEVEL, message))
            return
        self.report.created += sum(1 for _r, p in planned if p.expected_version is None)
        self.report.updated += sum(1 for _r, p in planned if p.expected_version is not None)
