"""The shapes of the Party badges and commendations API (api.py): what it reads in, what it answers."""

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from dangvu.core.periods import FIRST_YEAR, LAST_YEAR

from .choices import CommendationForm, Early

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Badge = Annotated[int, Field(ge=0, le=32_767)]  # a milestone (rules.MILESTONES); the service checks it
Money = Annotated[int, Field(ge=0, le=2_147_483_647)]  # VND
# What an answer says of an early award: "" at the milestone, "gravely_ill", "posthumous", or
# "" also for a grave illness the caller may not know (health data): an ordinary award to them.
EarlyShown = Literal["", "gravely_ill", "posthumous"]


class RegisterFilters(Schema):
    year: Year | None = None  # the awards dated in that year; every year when left out
    years: Badge | None = None  # one badge (30, 40, 45, ...)


class BatchFilter(Schema):
    batch: date  # a batch of the settings in force for the organisation, e.g. 2027-05-19


class BudgetFilters(Schema):
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR - 1)] | None = None  # the year asked (this one)
    as_of: date | None = None  # the money and the members read on that day (today)


class YearFilter(Schema):
    year: Year | None = None  # this year when left out


class AwardOut(Schema):
    id: int
    member_id: int
    full_name: str
    cell_code: str
    cell_name: str
    years: int
    awarded_on: date
    decision_number: str
    issuer: str
    batch: date | None
    early: EarlyShown
    badge_number: str
    handed_over_on: date | None
    money_paid: int | None
    amount: int | None  # coefficient × base salary on the award date; null: needs the local amount
    note: str
    version: int


class AwardIn(Schema):
    years: Badge
    awarded_on: date
    decision_number: Annotated[str, Field(max_length=64)] = ""
    issuer: Annotated[str, Field(max_length=255)] = ""
    batch: date | None = None
    early: Early = Early.NO
    badge_number: Annotated[str, Field(max_length=20)] = ""
    handed_over_on: date | None = None
    money_paid: Money | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class AwardPatch(Schema):
    version: int  # the award's, as read
    awarded_on: date = None  # type: ignore[assignment]
    decision_number: Annotated[str, Field(max_length=64)] = None  # type: ignore[assignment]
    issuer: Annotated[str, Field(max_length=255)] = None  # type: ignore[assignment]
    batch: date | None = None
    early: Early = None  # type: ignore[assignment]
    badge_number: Annotated[str, Field(max_length=20)] = None  # type: ignore[assignment]
    handed_over_on: date | None = None
    money_paid: Money | None = None
    note: Annotated[str, Field(max_length=2000)] = None  # type: ignore[assignment]


class CandidateOut(Schema):
    member_id: int
    full_name: str
    cell_code: str
    cell_name: str
    years: int
    reached_on: date  # the day Party age reaches the milestone
    eligible_from: date  # the day the member may be proposed (earlier for an early award)
    batch: date
    early: EarlyShown
    not_yet_until: date | None  # a discipline's wait: may be considered from that day
    explanation: str


class ProposalOut(Schema):
    id: int
    member_id: int
    full_name: str
    cell_code: str
    cell_name: str
    years: int
    batch: date
    early: EarlyShown
    papers_present: list[str]  # choices.Paper codes; no medical record when the illness is hidden
    papers_missing: list[str]
    note: str
    version: int


class SubtotalOut(Schema):
    count: int  # badges
    total: int  # VND, of the costed ones
    uncosted: int  # badges needing the local amount (not in `total`)


class BatchTotalOut(SubtotalOut):
    batch: date


class CellTotalOut(SubtotalOut):
    cell_path: str  # tells apart cells of the same name under different committees
    cell_code: str
    cell_name: str


class LineOut(Schema):
    member_id: int
    full_name: str
    cell_code: str
    cell_name: str
    years: int
    reached_on: date
    batch: date
    amount: int | None  # null: needs the local amount (never 0)


class BudgetOut(Schema):
    year: int  # the year the awards fall in: the one after the year asked
    as_of: date
    base_salary: int | None
    total: SubtotalOut
    by_batch: list[BatchTotalOut]
    by_cell: list[CellTotalOut]
    lines: list[LineOut]


class CommendationOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    member_id: int | None
    member_name: str | None
    form: CommendationForm
    issuer: str
    decision_number: str
    decided_on: date
    reason: str
    rated_year: int | None
    amount: int | None
    version: int

    @staticmethod
    def resolve_organization_code(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.person.full_name if obj.member_id else None


class CommendationIn(Schema):
    member_id: int | None = None  # a member of the organisation (a cell); none: the organisation
    form: CommendationForm
    issuer: Annotated[str, Field(max_length=255)]
    decision_number: Annotated[str, Field(max_length=64)] = ""
    decided_on: date
    reason: Annotated[str, Field(max_length=2000)] = ""
    rated_year: Annotated[int, Field(ge=0, le=32_767)] | None = None
    amount: Money | None = None  # none: the money §1.10 sets, where it sets one


class OfferOut(Schema):
    organization_code: str
    organization_name: str
    member_id: int | None
    member_name: str | None
    rated_year: int
    decided_on: date | None
    exemplary: bool
    form: CommendationForm

    @staticmethod
    def resolve_organization_code(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_member_id(obj) -> int | None:
        return obj.member.pk if obj.member else None

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.person.full_name if obj.member else None
