"""The shapes of the classification API (api.py): what it reads in, what it answers, and how a
roster entry, a rating and a problem are put into those shapes."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from dangvu.core.api_errors import ErrorOut
from dangvu.members.rules import Problem
from dangvu.organization.models import Organization

from . import selectors
from .choices import MANUAL_CELL_TRIGGERS, CapBase, CountFrom, Exclusion, Grouping, Level, Stage
from .models import Campaign, MemberRating

Score = Annotated[float, Field(ge=0, le=100)]  # kept to two decimals (score_in)
Note = Annotated[str, Field(max_length=5000)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id: within what the database holds


class ProblemOut(Schema):
    rule: str
    message: str
    blocking: bool


class RefusedOut(ErrorOut):
    """A refusal; for a decision blocked by the checks, each problem with its rule."""

    problems: list[ProblemOut] | None = None


def score_in(value: float | None) -> Decimal | None:
    """A score as stored: two decimals, half up."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def problem_out(problem: Problem) -> dict:
    return {"rule": problem.rule, "message": str(problem.message), "blocking": problem.blocking}


class CampaignOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    year: int
    start: date
    end: date
    review_date: date
    rule_set: str
    rule_set_confirmed: bool
    score_bands: bool
    special_unit: bool
    cap_base: CapBase
    cap_rate: float
    grouping: Grouping
    custom_groups: dict
    count_from: CountFrom
    cell_warning: bool
    warning_threshold: int
    imported: bool
    version: int

    @staticmethod
    def resolve_organization_code(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_rule_set_confirmed(obj) -> bool:
        return obj.rules.confirmed

    @staticmethod
    def resolve_score_bands(obj) -> bool:
        return obj.rules.has_score_bands


class SettingsIn(Schema):
    """The settings of rules.md "Product defaults", with their defaults."""

    cap_base: CapBase = CapBase.A
    cap_rate: Annotated[float, Field(ge=0, le=1)] = 0.2  # 0.2, or 0.25 where the exception is granted
    grouping: Grouping = Grouping.PER_COMMITTEE
    custom_groups: Annotated[
        dict[Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=64)]],
        Field(max_length=1000),
    ] = {}
    count_from: CountFrom = CountFrom.DECISION
    cell_warning: StrictBool = True
    warning_threshold: Annotated[int, Field(ge=1, le=1000)] = 1
    special_unit: StrictBool = False


class CampaignIn(Schema):
    organization_code: str
    year: Annotated[int, Field(ge=2000, le=2100)]
    start: date
    end: date
    review_date: date | None = None  # the end by default
    settings: SettingsIn = SettingsIn()


class CampaignFilters(Schema):
    org: str | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None


class RosterRow(Schema):
    member_id: int
    full_name: str
    cell_code: str
    reviewed: bool
    exclusion: Exclusion | None  # why the member is not reviewed (rules.md §1.2)
    rating_id: int | None = None
    stage: Stage | None = None
    self_score: float | None = None
    self_level: Level | None = None
    self_on_behalf: bool = False
    proposed_score: float | None = None
    proposed_level: Level | None = None
    decided_level: Level | None = None
    problems: list[ProblemOut]
    version: int | None = None  # the rating's, sent back with a write


def row_out(entry: selectors.Entry, cells: dict[int, Organization]) -> dict:
    row = {
        "member_id": entry.member.pk,
        "full_name": entry.member.person.full_name,
        "cell_code": cells[entry.cell_id].code,
        "reviewed": entry.reviewed,
        "exclusion": entry.exclusion,
        "problems": [problem_out(p) for p in entry.problems],
    }
    rating = entry.rating
    if rating is not None:
        row |= {
            "rating_id": rating.pk,
            "stage": rating.stage,
            "self_score": rating.self_score,
            "self_level": rating.self_level or None,
            "self_on_behalf": rating.self_on_behalf,
            "proposed_score": rating.proposed_score,
            "proposed_level": rating.proposed_level or None,
            "decided_level": rating.decided_level or None,
            "version": rating.version,
        }
    return row


class MemberRatingOut(Schema):
    id: int
    campaign_id: int
    year: int
    member_id: int
    full_name: str
    cell_code: str
    stage: Stage
    self_score: float | None
    self_level: Level | None
    self_on_behalf: bool
    self_by: str | None
    self_at: datetime | None
    proposed_score: float | None
    proposed_level: Level | None
    proposal_note: str
    proposed_by: str | None
    proposed_at: datetime | None
    triggers: list[str]
    decided_level: Level | None
    decided_by: str | None
    decided_at: datetime | None
    decided_on: date | None
    override_reason: str
    problems: list[ProblemOut]  # the checks of the level, as the roster shows them
    version: int


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def rating_out(rating: MemberRating, campaign: Campaign, problems: list[Problem]) -> dict:
    return {
        "id": rating.pk,
        "campaign_id": campaign.pk,
        "year": campaign.year,
        "member_id": rating.member_id,
        "full_name": rating.member.person.full_name,
        "cell_code": rating.cell.code,
        "stage": rating.stage,
        "self_score": rating.self_score,
        "self_level": rating.self_level or None,
        "self_on_behalf": rating.self_on_behalf,
        "self_by": _name(rating.self_by),
        "self_at": rating.self_at,
        "proposed_score": rating.proposed_score,
        "proposed_level": rating.proposed_level or None,
        "proposal_note": rating.proposal_note,
        "proposed_by": _name(rating.proposed_by),
        "proposed_at": rating.proposed_at,
        "triggers": rating.triggers or [],
        "decided_level": rating.decided_level or None,
        "decided_by": _name(rating.decided_by),
        "decided_at": rating.decided_at,
        "decided_on": rating.decided_on,
        "override_reason": rating.override_reason,
        "problems": [problem_out(p) for p in problems],
        "version": rating.version,
    }


class SelfAssessmentIn(Schema):
    member: Id
    score: Score | None = None  # out of 100; required by the rules of 366-QĐ/TW
    level: Level
    version: int | None = None  # of the member's rating; none before the first self-assessment


class ProposalIn(Schema):
    member: Id
    level: Level
    score: Score | None = None  # the member's own score is kept when none is given
    note: Note = ""
    self_score: Score | None = None  # with self_level: the self-assessment recorded on their behalf
    self_level: Level | None = None
    version: int | None = None  # of the member's rating; none when there is none yet


class ProposalsIn(Schema):
    cell: str
    proposals: Annotated[list[ProposalIn], Field(min_length=1, max_length=500)]


class DecisionIn(Schema):
    rating: Id
    level: Level
    version: int


class DecisionsIn(Schema):
    decisions: Annotated[list[DecisionIn], Field(min_length=1, max_length=500)]
    override_reason: Note = ""  # required to decide against a failed check


class DecisionsOut(Schema):
    ratings: list[MemberRatingOut]
    warnings: list[ProblemOut]  # the checks a reason overrode


class ReopenIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=5000)]
    version: int


class CellRatingOut(Schema):
    id: int
    cell_code: str
    stage: Stage
    self_score: float | None
    self_level: Level | None
    self_note: str
    triggers: list[str]
    self_at: datetime | None
    decided_level: Level | None
    exemplary: bool
    decided_at: datetime | None
    decided_on: date | None
    override_reason: str
    version: int

    @staticmethod
    def resolve_cell_code(obj) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_self_level(obj) -> str | None:
        return obj.self_level or None

    @staticmethod
    def resolve_decided_level(obj) -> str | None:
        return obj.decided_level or None


class LevelCount(Schema):
    level: Level
    count: int
    percent: int | None  # of the decided members; none while nobody is decided


class ProgressOut(Schema):
    reviewed: int
    not_reviewed: int
    not_self_assessed: int
    not_proposed: int
    not_decided: int
    decided: int
    levels: list[LevelCount]

    @staticmethod
    def resolve_levels(obj) -> list[dict]:
        return [{"level": v, "count": n, "percent": p} for v, _label, n, p in obj.distribution]


class CellProgressOut(ProgressOut):
    cell_code: str
    cell_name: str
    rating: CellRatingOut | None

    @staticmethod
    def resolve_cell_code(obj) -> str:
        return obj.cell.code

    @staticmethod
    def resolve_cell_name(obj) -> str:
        return obj.cell.name


class CapResultOut(Schema):
    allowed: bool
    limit: int
    over_by: int
    places_left: int
    base: CapBase
    base_count: int
    rate: float
    explanation: str


class CapOut(Schema):
    group: str  # "" when the cap is counted across the whole committee
    decided: CapResultOut
    projected: CapResultOut  # if every pending proposal were decided as proposed


class CellsOut(Schema):
    cells: list[CellProgressOut]
    total: ProgressOut
    caps: list[CapOut]


class CellSelfIn(Schema):
    score: Score | None = None
    level: Level
    note: Note = ""
    triggers: Annotated[list[Literal[MANUAL_CELL_TRIGGERS]], Field(max_length=10)] = []  # rules.md §1.3
    version: int | None = None  # of the cell's rating; none before the first self-rating


class CellDecisionIn(Schema):
    level: Level
    exemplary: StrictBool = False  # "tiêu biểu": only for an excellent cell
    override_reason: Note = ""
    version: int


class CellDecisionOut(Schema):
    rating: CellRatingOut
    warnings: list[ProblemOut]  # the warnings of §1.5, and the checks a reason overrode
