"""The shapes of the member development API (api.py): what it reads in, what it answers."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from .choices import Paper, Step

Votes = Annotated[int, Field(ge=0, le=10_000)]


class CandidateFilters(Schema):
    step: Step | None = None  # only the candidates at this step
    all: bool = False  # also the recognised and the removed
    q: Annotated[str, Field(max_length=150)] = ""  # words of the name, accents optional


class StepOut(Schema):
    id: int
    step: Step
    date: date
    document_number: str
    issuing_body: str
    votes_for: int | None
    votes_of: int | None
    extended: bool
    received_on: date | None
    note: str


class PaperOut(Schema):
    id: int
    paper: Paper
    made_on: date
    valid_until: date | None  # for the papers valid 12 months (rules.md §3.3)
    note: str


class DueOut(Schema):
    step: Step  # the step awaited with a time limit
    on: date  # due by this day (working days counted with the office's calendar)
    overdue: bool


class HelperOut(Schema):
    member_id: int
    full_name: str


class CandidateOut(Schema):
    id: int
    cell_code: str
    cell_name: str
    full_name: str
    date_of_birth: date
    gender: str
    occupation: str
    general_education: str
    helper: HelperOut | None
    step: Step  # where the candidate is
    step_on: date  # since when
    member_id: int | None  # the member's record, once the admission decision is recorded
    certificate_valid_until: date | None
    steps: list[StepOut]
    papers: list[PaperOut]
    next_due: DueOut | None
    version: int


class StepIn(Schema):
    version: int  # the candidate's, as read
    step: Step  # the next step of the pipeline (or the removal)
    date: date
    document_number: Annotated[str, Field(max_length=64)] = ""
    issuing_body: Annotated[str, Field(max_length=255)] = ""
    votes_for: Votes | None = None  # a resolution: how many agreed
    votes_of: Votes | None = None  # ... of how many
    extended: bool = False  # a committee's resolution: its time limit extended by 15 working days
    received_on: date | None = None  # the decision: the day it reached the cell
    note: Annotated[str, Field(max_length=2000)] = ""
