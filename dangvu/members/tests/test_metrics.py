"""The member keys of shared/spec/metrics.md, with its settled readings."""

from datetime import date

import pytest

from dangvu.core.metrics import MetricContext, compute_all
from dangvu.core.periods import Year
from dangvu.members import services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db
K = EventKind


def _m(org, year, as_of=None):
    figures = compute_all(MetricContext(org.path, Year(year), as_of or date(year, 12, 31)))
    return {k.split(".")[1]: v["value"] for k, v in figures.items() if k.startswith("members.")}


def test_active_probationary_and_exempt_members_on_the_as_of_date(world):
    make_member(world.office, world.cell_a, "Một")  # official since 2011
    new = make_member(
        world.office,
        world.cell_a,
        "Hai",
        decision=date(2024, 5, 1),
        ceremony=date(2024, 6, 1),
        recognition=None,
    )
    old = make_member(world.office, world.cell_b, "Ba")
    services.event_add(
        actor=world.office, member=old, kind=K.EXEMPTION, date=date(2024, 1, 1), end_date=date(2024, 12, 31)
    )
    figures = _m(world.root, 2024)
    assert (figures["total"], figures["probationary"], figures["exempt"]) == (3, 1, 1)
    assert _m(world.root, 2025)["exempt"] == 0  # an exemption from A to B covers A and B only
    # Probationary until the recognition decision, even after the 12 months.
    assert _m(world.root, 2025)["probationary"] == 1
    services.event_add(actor=world.office, member=new, kind=K.RECOGNITION, date=date(2025, 7, 1))
    assert _m(world.root, 2025, date(2025, 6, 30))["probationary"] == 1
    assert _m(world.root, 2025)["probationary"] == 0


def test_members_are_active_from_the_ceremony_until_the_day_before_an_exit(world):
    member = make_member(
        world.office,
        world.cell_a,
        "Bốn",
        decision=date(2024, 3, 1),
        ceremony=date(2024, 3, 20),
        recognition=None,
    )
    services.event_add(actor=world.office, member=member, kind=K.DEATH, date=date(2024, 9, 1))
    assert _m(world.root, 2024, date(2024, 3, 19))["total"] == 0
    assert _m(world.root, 2024, date(2024, 3, 20))["total"] == 1
    assert _m(world.root, 2024, date(2024, 8, 31))["total"] == 1
    assert _m(world.root, 2024, date(2024, 9, 1))["total"] == 0


def test_a_temporary_transfer_counts_at_the_official_cell(world):
    member = make_member(world.office, world.cell_a, "Năm")
    services.event_add(
        actor=world.office,
        member=member,
        kind=K.TRANSFER_OUT,
        date=date(2024, 2, 1),
        end_date=date(2024, 10, 1),
        temporary=True,
        other_organization="Chi bộ nơi học tập",
    )
    assert _m(world.cell_a, 2024)["total"] == 1


def test_admissions_and_recognitions_of_the_year_follow_the_member(world):
    member = make_member(
        world.office,
        world.cell_a,
        "Sáu",
        decision=date(2024, 3, 1),
        ceremony=date(2024, 3, 20),
        recognition=date(2025, 3, 25),
    )
    services.event_add(
        actor=world.office, member=member, kind=K.CELL_TRANSFER, date=date(2025, 6, 1), cell=world.cell_c
    )
    # Attributed to the official cell on the as-of date: cell C (under the partial committee).
    assert _m(world.partial, 2024)["admitted"] == 0
    assert _m(world.cell_a, 2024)["admitted"] == 1
    assert _m(world.partial, 2025)["recognised_official"] == 1
    assert _m(world.cell_a, 2025)["recognised_official"] == 0
    assert _m(world.root, 2025)["admitted"] == 0


def test_re_admissions_count_as_admissions(world):
    member = make_member(world.office, world.cell_a, "Bảy")
    services.member_history_record(
        actor=world.office,
        member=member,
        events=[
            dict(kind=K.REMOVAL, date=date(2019, 1, 1)),
            dict(kind=K.READMISSION_DECISION, date=date(2024, 2, 1)),
            dict(kind=K.CEREMONY, date=date(2024, 2, 20)),
        ],
    )
    figures = _m(world.root, 2024)
    assert figures["admitted"] == 1 and figures["probationary"] == 1
