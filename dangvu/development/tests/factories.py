"""Builders of candidates and their steps through the services, dated back from today (no time
freezing): a candidate listed about three years ago reaches each step in turn."""

from dataclasses import dataclass
from datetime import date, timedelta

from dangvu.core.periods import today
from dangvu.development import rules, services
from dangvu.development.choices import ORDER, VOTES, Paper, Step
from dangvu.development.models import Candidate
from dangvu.development.services import REQUIRED_PAPERS


@dataclass(frozen=True)
class Way:
    """The days of each step for a candidate who is recognised a little before today."""

    listed: date
    steps: dict[str, date]


def way(recognised: date | None = None) -> Way:
    """Steps a month or so apart, the ceremony 12 months and a few weeks before the recognition."""
    end = recognised or today() - timedelta(days=5)
    ceremony = end - timedelta(days=400)
    steps = {
        Step.CLASS: ceremony - timedelta(days=200),
        Step.PROCEDURE: ceremony - timedelta(days=150),
        Step.CELL_VOTE: ceremony - timedelta(days=90),
        Step.COMMITTEE_VOTE: ceremony - timedelta(days=80),
        Step.DECISION: ceremony - timedelta(days=40),
        Step.CEREMONY: ceremony,
        Step.NEW_MEMBER_CLASS: ceremony + timedelta(days=100),
        Step.RECOGNITION_CELL_VOTE: rules.probation_end(ceremony) + timedelta(days=3),
        Step.RECOGNITION_COMMITTEE_VOTE: rules.probation_end(ceremony) + timedelta(days=10),
        Step.RECOGNISED: end,
    }
    return Way(listed=ceremony - timedelta(days=300), steps=steps)


def candidate(
    world, cell=None, name: str = "Trần Thị Quần Chúng", born: date | None = None, at=None
) -> Candidate:
    """A candidate listed on `at.listed` (default: way())."""
    at = at or way()
    return services.candidate_add(
        actor=world.secretary_a,
        cell=cell or world.cell_a,
        full_name=name,
        date_of_birth=born or date(at.listed.year - 25, 6, 15),
        listed_on=at.listed,
        document_number="05-NQ/CB",
    )


def papers(world, of: Candidate, made_on: date) -> None:
    for paper in (*REQUIRED_PAPERS, Paper.UNION_RESOLUTION):
        services.paper_record(actor=world.secretary_a, candidate=of, paper=paper, made_on=made_on)


def advance(world, of: Candidate, to: str, at: Way | None = None, actor=None) -> Candidate:
    """Record every step after the current one up to `to` included, on the days of `at`; votes
    pass with 6 of 9; the papers are made before the cell's vote."""
    at = at or way()
    for step in ORDER[ORDER.index(of.step) + 1 : ORDER.index(to) + 1]:
        if step == Step.CELL_VOTE:
            papers(world, of, at.steps[Step.PROCEDURE])
        votes = {"votes_for": 6, "votes_of": 9} if step in VOTES else {}
        services.step_record(
            actor=actor or world.office,
            candidate=of,
            expected_version=of.version,
            step=step,
            on=at.steps[step],
            document_number=f"{ORDER.index(step)}-QĐ/ĐU",
            **votes,
        )
        of.refresh_from_db()
    return of
