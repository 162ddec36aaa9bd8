"""The source article's 2023 figures (shared/seed/README.md), rebuilt through the apps' services, and
the annual figures document of shared/spec/metrics.md checked key by key, with the article's 2024
targets evaluated against 2024 and two targets of 2023 against 2023.

The committee DU: 59 cells (the world's A, B, C and 56 more), one member each admitted in 2010; 3
candidates of the 7 who held a class certificate in 2023 admitted in the autumn (probationary,
not reviewed); 1 document studied by everyone; 3 committee members, all part-time, all trained; 12
of 12 inspection items concluded on 12 cells; every cell reviewed its working regulations; the 2023
review imported (6 excellent, 46 good, 7 completed cells). Where the article gives no figure, there
is nothing (no reports, meetings, conferences, badges or commendations in 2023)."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.classification import services as classification_services
from dangvu.classification.choices import Level
from dangvu.core import metrics
from dangvu.development.choices import Step
from dangvu.development.tests import factories as development
from dangvu.meetings.choices import SessionKind
from dangvu.meetings.tests.factories import make_session, mark_all, set_document
from dangvu.organization.choices import SeatRole
from dangvu.programme.choices import Result
from dangvu.programme.tests import factories as programme_factories
from dangvu.targets import services as target_services
from dangvu.testing import make_member, make_org, make_person, make_seat

pytestmark = pytest.mark.django_db

YEAR = 2023

# The article's 2024 targets (metrics.md "Targets"), and the written one.
TARGETS_2024 = [
    ("study.members_studied_pct", ">=", 100),
    ("regulations.cells_reviewed_pct", ">=", 100),
    ("inspection.cells_inspected", ">=", 12),
    ("classification.cells.completed_or_above_pct", ">=", 100),
    ("classification.cells.good_pct", ">", 80),
    ("classification.members.good_or_above_pct", ">=", 80),
]
WRITTEN = "Nâng cao phẩm chất đạo đức, lối sống của đảng viên"


def _ratio(numerator: int, denominator: int, value: float | None) -> dict:
    return {"numerator": numerator, "denominator": denominator, "value": value}


def _count(value: int) -> dict:
    return {"value": value}


EXPECTED_2023 = {
    "members.total": _count(62),  # 59 + the 3 admitted (ceremony in October)
    "members.probationary": _count(3),
    "members.exempt": _count(0),
    "members.admitted": _count(3),
    "members.recognised_official": _count(0),
    "cells.total": _count(59),
    "study.documents": _count(1),
    # The 3 admitted after the document was set owe nothing for it.
    "study.members_studied_pct": _ratio(59, 59, 100.0),
    "regulations.cells_reviewed_pct": _ratio(59, 59, 100.0),
    "inspection.planned": _count(12),
    "inspection.completed": _count(12),
    "inspection.completed_pct": _ratio(12, 12, 100.0),
    "inspection.cells_inspected": _count(12),
    "development.pool": _count(7),
    "development.admitted_from_pool": _ratio(3, 7, 42.9),  # the article's "3/7"
    "training.committee_members_trained_pct": _ratio(3, 3, 100.0),
    "committee.part_time_pct": _ratio(3, 3, 100.0),
    "classification.cells.excellent": _count(6),
    "classification.cells.good": _count(46),
    "classification.cells.completed": _count(7),
    "classification.cells.not_completed": _count(0),
    "classification.cells.unrated": _count(0),
    "classification.cells.good_pct": _ratio(46, 59, 78.0),  # "46 chi bộ ... (78%)"
    "classification.cells.good_or_above_pct": _ratio(52, 59, 88.1),
    "classification.cells.completed_or_above_pct": _ratio(59, 59, 100.0),
    "classification.members.excellent": _count(10),
    "classification.members.good": _count(42),
    "classification.members.completed": _count(7),
    "classification.members.not_completed": _count(0),
    "classification.members.not_reviewed": _count(3),  # admitted less than 6 months before 31/12
    "classification.members.good_pct": _ratio(42, 59, 71.2),
    "classification.members.good_or_above_pct": _ratio(52, 59, 88.1),
    "classification.members.completed_or_above_pct": _ratio(59, 59, 100.0),
    "reports.required": _count(0),
    "reports.on_time_pct": _ratio(0, 0, None),
    "reports.missing": _count(0),
    # 59 cells × 12 months, no regular meeting recorded in this fixture.
    "meetings.cell_meetings_held_pct": _ratio(0, 708, 0.0),
    "meetings.conference_attendance_pct": _ratio(0, 0, None),
    "badges.awarded": _count(0),
    "badges.reward_total_vnd": _count(0),
    "badges.due_next_year": _count(0),  # Party age 13 years: no milestone in 2024
    "badges.due_next_year_without_amount": _count(0),
    "badges.reward_forecast_next_year_vnd": _count(0),
    "commendations.collective": _count(0),
    "commendations.individual": _count(0),
}


def _candidate_way(decided: date | None) -> development.Way:
    certified = date(YEAR, 3, 1)
    steps = {Step.CLASS: certified}
    if decided:
        steps |= {
            Step.PROCEDURE: decided - timedelta(days=30),
            Step.CELL_VOTE: decided - timedelta(days=20),
            Step.COMMITTEE_VOTE: decided - timedelta(days=10),
            Step.DECISION: decided,
            Step.CEREMONY: decided + timedelta(days=16),
        }
    return development.Way(listed=certified - timedelta(days=10), steps=steps)


@pytest.fixture
def article(world):
    """The committee DU as the article describes its 2023 (see the module's docstring)."""
    admin, office, root = world.admin, world.office, world.root
    cells = [world.cell_a, world.cell_b, world.cell_c]
    cells += [make_org(admin, f"CB-{n:02d}", parent=root, name=f"Chi bộ {n:02d}") for n in range(1, 57)]
    members = [make_member(admin, cell, f"Đảng viên {cell.code}") for cell in cells]

    # 7 candidates certified in March; 3 admitted in September (ceremony in October).
    for n in range(7):
        way = _candidate_way(date(YEAR, 9, 15) if n < 3 else None)
        candidate = development.candidate(world, name=f"Quần Chúng {n + 1}", at=way)
        development.advance(world, candidate, Step.CEREMONY if n < 3 else Step.CLASS, way)

    # One document for everyone, studied by all at the committee's session.
    document = set_document(world, set_on=date(YEAR, 3, 1), study_by=date(YEAR, 6, 30))
    mark_all(
        world, make_session(world, root, SessionKind.STUDY, documents=[document], held_on=date(YEAR, 4, 10))
    )

    # The committee: 3 part-time members, all at the Party-work training course.
    for name, role in (
        ("Nguyễn Văn Bí Thư Đảng Ủy", SeatRole.SECRETARY),
        ("Trần Thị Phó Bí Thư", SeatRole.DEPUTY_SECRETARY),
        ("Lê Văn Đảng Ủy Viên", SeatRole.COMMITTEE_MEMBER),
    ):
        person = make_person(admin, root, name)
        make_seat(admin, person, root, role, start=date(2020, 7, 1), end=date(2025, 6, 30))
    mark_all(world, make_session(world, root, SessionKind.TRAINING, held_on=date(YEAR, 11, 10)))

    # The inspection and supervision programme: 12 cells, all concluded.
    programme = programme_factories.programme(world, root, YEAR)
    for cell in cells[:12]:
        item = programme_factories.item(
            world, programme, starts_on=date(YEAR, 5, 1), ends_on=date(YEAR, 10, 31), subject_cell=cell
        )
        programme_factories.conclude(
            world, item, Result.NO_VIOLATION, on=date(YEAR, 11, 20), conclusion="Chi bộ chấp hành tốt"
        )

    for cell in cells:
        programme_factories.review(world, cell, date(YEAR, 6, 15))

    # The 2023 review, imported as decided on 31/12/2023.
    campaign = classification_services.campaign_open(
        actor=office,
        organization=root,
        year=YEAR,
        start=date(YEAR, 12, 1),
        end=date(YEAR, 12, 31),
        review_date=date(YEAR, 12, 31),
        notify=False,
        imported=True,
    )
    cell_levels = [Level.EXCELLENT] * 6 + [Level.GOOD] * 46 + [Level.COMPLETED] * 7
    member_levels = [Level.EXCELLENT] * 10 + [Level.GOOD] * 42 + [Level.COMPLETED] * 7
    classification_services.ratings_import(
        actor=office,
        campaign=campaign,
        members=[(m, c, lv) for m, c, lv in zip(members, cells, member_levels, strict=True)],
        cells=[(c, lv, False) for c, lv in zip(cells, cell_levels, strict=True)],
    )

    # The targets: the article's for 2024 (and its written one), two of 2023's.
    for metric, op, value in TARGETS_2024:
        target_services.target_add(
            actor=office, organization=root, year=2024, metric=metric, op=op, value=value
        )
    target_services.target_add(
        actor=office, organization=root, year=2024, text=WRITTEN, note="Theo Quy định 144-QĐ/TW"
    )
    target_services.target_add(
        actor=office, organization=root, year=YEAR, metric="classification.cells.good_pct", op=">", value=80
    )
    target_services.target_add(
        actor=office, organization=root, year=YEAR, metric="inspection.cells_inspected", op=">=", value=12
    )
    return cells


def _document(year: int, code: str = "DU") -> dict:
    out = StringIO()
    call_command("report", "annual", "--year", str(year), "--format", "json", "--org", code, stdout=out)
    return json.loads(out.getvalue())


def test_the_articles_2023_figures_key_by_key(world, article):
    document = _document(YEAR)
    assert document["organization"] == {"code": "DU", "name": "Đảng bộ Thử nghiệm"}
    assert document["year"] == YEAR and document["as_of"] == "2023-12-31"
    assert set(EXPECTED_2023) == set(metrics.CATALOGUE)  # the expectations name every key
    assert list(document["metrics"]) == list(metrics.CATALOGUE)  # every key, in the contract's order
    wrong = {
        key: (document["metrics"][key], expected)
        for key, expected in EXPECTED_2023.items()
        if document["metrics"][key] != expected
    }
    assert wrong == {}


def test_2023s_targets_are_judged_on_2023s_published_figures(world, article):
    """52 of 59 cells good or above is 88.135…%, published 88.1: "> 88.1" is not met by it, ">= 88.1"
    is; the comparison is on the figure as printed, not on the exact fraction."""
    for op in (">", ">="):
        target_services.target_add(
            actor=world.office,
            organization=world.root,
            year=YEAR,
            metric="classification.cells.good_or_above_pct",
            op=op,
            value="88.1",
        )
    good_or_above = {"metric": "classification.cells.good_or_above_pct", "value": 88.1, "actual": 88.1}
    assert _document(YEAR)["targets"] == [
        {"metric": "classification.cells.good_pct", "op": ">", "value": 80, "actual": 78.0, "met": False},
        {"metric": "inspection.cells_inspected", "op": ">=", "value": 12, "actual": 12, "met": True},
        {**good_or_above, "op": ">", "met": False},
        {**good_or_above, "op": ">=", "met": True},
    ]


def test_the_articles_2024_targets_in_the_2024_document(world, article):
    """In 2024 a document set for everyone was studied by all (met); nothing else was recorded yet:
    0% of cells reviewed, no cell inspected, no rating (a null value is not met)."""
    document = set_document(
        world, set_on=date(2024, 2, 1), study_by=date(2024, 4, 30), title="Nghị quyết 2024"
    )
    mark_all(
        world,
        make_session(world, world.root, SessionKind.STUDY, documents=[document], held_on=date(2024, 3, 5)),
    )
    targets = _document(2024)["targets"]
    assert [(t["metric"], t["op"], t["value"], t["actual"], t["met"]) for t in targets] == [
        ("study.members_studied_pct", ">=", 100, 100.0, True),
        ("regulations.cells_reviewed_pct", ">=", 100, 0.0, False),
        ("inspection.cells_inspected", ">=", 12, 0, False),
        ("classification.cells.completed_or_above_pct", ">=", 100, None, False),
        ("classification.cells.good_pct", ">", 80, None, False),
        ("classification.members.good_or_above_pct", ">=", 80, None, False),
        (None, None, None, None, None),
    ]
    assert targets[-1] == {
        "metric": None,
        "text": WRITTEN,
        "note": "Theo Quy định 144-QĐ/TW",
        "op": None,
        "value": None,
        "actual": None,
        "met": None,
    }
