"""Issue 11, point 1: every key of the registry, and every figure's detail, is computed in a number
of queries that does not depend on the subtree's size: a partial committee with 1 cell of 2 members
and one with 6 cells of 3 members each, with the same kinds of records in every app, cost the same
per key. The year is 2024 (a fixed past year)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.badges import commendations
from dangvu.badges import services as badge_services
from dangvu.badges.choices import CommendationForm
from dangvu.badges.tests.factories import reaching
from dangvu.classification import services as classification_services
from dangvu.classification.choices import Level
from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.development.choices import Step
from dangvu.development.tests import factories as development
from dangvu.meetings.choices import SessionKind
from dangvu.meetings.tests.factories import make_session, mark_all, set_document
from dangvu.organization.choices import OrgKind, SeatRole
from dangvu.programme.choices import ItemKind, Result, ReviewKind
from dangvu.programme.tests import factories as programme_factories
from dangvu.reports.tests.factories import make_request
from dangvu.testing import make_member, make_org, make_person, make_seat

pytestmark = pytest.mark.django_db

YEAR = 2024
LEVELS = (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)


def _subtree(world, code: str, cells: int, members: int):
    """A partial committee under DU with `cells` cells of `members` members, and in each app the
    same kinds of records: per cell a regulation review, a concluded inspection item, a candidate
    certified in the year, a regular meeting held, a report due; per subtree a document studied, a
    secretary trained, a commendation, a badge awarded, one member due a badge next year."""
    admin, office = world.admin, world.office
    committee = make_org(
        admin, code, OrgKind.PARTIAL_COMMITTEE, parent=world.root, name=f"Đảng bộ bộ phận {code}"
    )
    made = [make_org(admin, f"{code}-{n}", parent=committee, name=f"Chi bộ {code} {n}") for n in range(cells)]
    people = {
        cell: [make_member(admin, cell, f"Đảng viên {cell.code} {n}") for n in range(members)]
        for cell in made
    }
    secretary = make_person(admin, committee, f"Bí Thư {code}")
    make_seat(admin, secretary, committee, SeatRole.SECRETARY, start=date(2020, 7, 1))
    document = set_document(
        world, organization=committee, set_on=date(YEAR, 2, 1), study_by=date(YEAR, 5, 31)
    )
    mark_all(
        world,
        make_session(world, committee, SessionKind.STUDY, documents=[document], held_on=date(YEAR, 3, 1)),
    )
    mark_all(world, make_session(world, committee, SessionKind.TRAINING, held_on=date(YEAR, 4, 1)))
    programme = programme_factories.programme(world, committee, YEAR)
    make_request(world, due=date(YEAR, 3, 10), cells=made)
    for n, cell in enumerate(made):
        programme_factories.review(world, cell, date(YEAR, 6, 1), review=ReviewKind.AMENDED)
        item = programme_factories.item(
            world,
            programme,
            ItemKind.THEMATIC_INSPECTION,
            content="Giám sát việc thực hiện nghị quyết",
            starts_on=date(YEAR, 5, 1),
            ends_on=date(YEAR, 6, 30),
            subject_cell=cell,
        )
        programme_factories.conclude(
            world, item, Result.NO_VIOLATION, on=date(YEAR, 7, 1), conclusion="Thực hiện tốt"
        )
        way = development.Way(listed=date(YEAR, 1, 5), steps={Step.CLASS: date(YEAR, 2, 1)})
        development.advance(
            world,
            development.candidate(world, cell=cell, name=f"Quần Chúng {cell.code}", at=way),
            Step.CLASS,
            way,
        )
        mark_all(world, make_session(world, cell, SessionKind.REGULAR, held_on=date(YEAR, 3 + n % 3, 5)))
    first = reaching(world, made[0], f"Đủ Tuổi {code}", 30, date(YEAR, 8, 1))
    badge_services.award_record(actor=office, member=first, years=30, awarded_on=date(YEAR, 9, 2))
    commendations.commendation_add(
        actor=office,
        organization=made[0],
        member=first,
        form=CommendationForm.CERTIFICATE,
        issuer="Đảng ủy",
        decided_on=date(YEAR, 12, 20),
        amount=500_000,
    )
    reaching(world, made[-1], f"Sắp Đủ Tuổi {code}", 30, date(YEAR + 1, 3, 1))
    return committee, people


@pytest.fixture
def subtrees(world):
    small, small_people = _subtree(world, "S", cells=1, members=2)
    large, large_people = _subtree(world, "L", cells=6, members=3)
    campaign = classification_services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=YEAR,
        start=date(YEAR, 12, 1),
        end=date(YEAR, 12, 31),
        review_date=date(YEAR, 12, 31),
        notify=False,
        imported=True,
    )
    everyone = {**small_people, **large_people}
    classification_services.ratings_import(
        actor=world.office,
        campaign=campaign,
        members=[(m, cell, LEVELS[n % 3]) for cell, ms in everyone.items() for n, m in enumerate(ms)],
        cells=[(cell, LEVELS[n % 3], False) for n, cell in enumerate(everyone)],
    )
    return small, large


def _ctx(org) -> MetricContext:
    return MetricContext(root_path=org.path, year=Year(YEAR), as_of=date(YEAR, 12, 31))


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_subtrees_differ_in_size(world, subtrees):
    """The comparison below means something: the large subtree has more of everything."""
    small, large = (metrics.compute_all(_ctx(org)) for org in subtrees)
    assert (small["cells.total"], large["cells.total"]) == ({"value": 1}, {"value": 6})
    assert (small["members.total"]["value"], large["members.total"]["value"]) == (4, 20)
    assert (small["inspection.cells_inspected"], large["inspection.cells_inspected"]) == (
        {"value": 1},
        {"value": 6},
    )
    assert (small["development.pool"], large["development.pool"]) == ({"value": 1}, {"value": 6})
    assert (small["reports.required"], large["reports.required"]) == ({"value": 1}, {"value": 6})


def test_every_key_costs_the_same_queries_whatever_the_subtrees_size(world, subtrees):
    small, large = (_ctx(org) for org in subtrees)
    assert [m.key for m in metrics.implemented()] == list(metrics.CATALOGUE)  # every key is computed
    counts = {
        m.key: (_queries(lambda m=m: m.compute(small)), _queries(lambda m=m: m.compute(large)))
        for m in metrics.implemented()
    }
    assert {key: c for key, c in counts.items() if c[0] != c[1]} == {}


def test_every_figures_detail_costs_the_same_queries_whatever_the_subtrees_size(world, subtrees):
    small, large = (_ctx(org) for org in subtrees)
    probe = _ctx(world.root)  # another context: nothing the two compared may have kept is warmed
    with_detail = [key for key in metrics.CATALOGUE if metrics.detail(key, probe) is not None]
    lacking = [key for key in metrics.CATALOGUE if key not in with_detail]
    print(f"keys without a detail yet ({len(lacking)}): {', '.join(lacking) or 'none'}")
    assert with_detail
    counts = {
        key: (
            _queries(lambda k=key: metrics.detail(k, small)),
            _queries(lambda k=key: metrics.detail(k, large)),
        )
        for key in with_detail
    }
    assert {key: c for key, c in counts.items() if c[0] != c[1]} == {}
