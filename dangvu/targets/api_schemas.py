"""The shapes of the targets and dashboard API (api.py): what it reads in, what it answers."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from dangvu.core.periods import FIRST_YEAR, LAST_YEAR

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id: within what the database holds
# A target's or a figure's value: the service decides what fits the figure (a percentage from 0 to
# 100 with one decimal, a whole count from 0); the bound only keeps it within the column.
Value = Annotated[float, Field(ge=-(10**14), le=10**14)]
Whole = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Text = Annotated[str, Field(max_length=4000)]
Number = float | int | None  # a count is whole, a percentage has one decimal; null: out of nothing


class YearFilter(Schema):
    year: Year


class FiguresFilter(Schema):
    year: Year
    as_of: date | None = None  # the figures as they stood that day (31/12, or today this year)


class TargetOut(Schema):
    id: int
    year: int
    position: int  # the order the office gave the targets
    metric: str | None  # a key of the contract; null for a written target
    label: str  # the figure's name in the user's language ("" for a written target)
    op: str | None  # ">=", ">", "<=", "<", "="; null for a written target
    value: Number
    text: str  # the written target
    note: str
    actual: Number  # the figure of the year (null: nothing to compare, or a written target)
    entered: bool  # the actual is a figure the office entered, not one computed from the data
    met: bool | None  # null for a written target
    version: int


class TargetIn(Schema):
    """A figure's target (`metric`, `op`, `value`) or a written one (`text`, with a `note`)."""

    year: Year
    metric: Annotated[str, Field(max_length=80)] = ""
    op: Annotated[str, Field(max_length=2)] = ""
    value: Value | None = None
    text: Text = ""
    note: Text = ""


class TargetPatch(Schema):
    """Only the fields sent are changed."""

    version: int
    metric: Annotated[str, Field(max_length=80)] = None  # type: ignore[assignment]
    op: Annotated[str, Field(max_length=2)] = None  # type: ignore[assignment]
    value: Value | None = None
    text: Text = None  # type: ignore[assignment]
    note: Text = None  # type: ignore[assignment]


class CopyIn(Schema):
    from_year: Year
    to_year: Year


class EnteredOut(Schema):
    id: int
    year: int
    metric: str
    label: str
    kind: str  # "count" or "ratio"
    value: Number
    numerator: int | None
    denominator: int | None
    note: str
    version: int


class EnteredIn(Schema):
    """A count's value, or a ratio's numerator and denominator (its value follows) or value alone.
    `version`: that of the figure read, to correct one already entered."""

    value: Value | None = None
    numerator: Whole | None = None
    denominator: Whole | None = None
    note: Text = ""
    version: int | None = None


class OrganizationRef(Schema):
    code: str
    name: str


class PreviousOut(Schema):
    value: Number
    numerator: int | None
    denominator: int | None
    entered: bool  # typed by the office (a year before the installation), not computed


class FigureOut(Schema):
    metric: str
    label: str
    kind: str
    value: Number
    numerator: int | None
    denominator: int | None
    entered: bool
    note: str  # the office's note on an entered figure
    previous: PreviousOut | None  # the same figure the year before


class FiguresOut(Schema):
    organization: OrganizationRef
    year: int
    as_of: date
    figures: list[FigureOut]


class EntryOut(Schema):
    name: str
    kind: str  # "member", "cell" or "other"
    cell: str  # the cell's name, for what is not the cell itself
    note: str  # why it counts
    url: str  # its page, when it has one
    amount: int | None  # for the money figures: what this entry adds


class DetailOut(Schema):
    organization: OrganizationRef
    year: int
    as_of: date
    metric: str
    label: str
    kind: str
    value: Number
    numerator: int | None
    denominator: int | None
    entered: bool  # an entered figure has nothing listed behind it: counted and out_of are null
    counted: list[EntryOut] | None  # a count's entries, a ratio's numerator; null: nothing listed
    out_of: list[EntryOut] | None  # a ratio's whole (the counted among them)
