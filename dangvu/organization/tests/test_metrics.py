"""cells.total and committee.part_time_pct as shared/spec/metrics.md defines them."""

from datetime import date

import pytest

from dangvu.core.metrics import MetricContext, compute_all
from dangvu.core.periods import Year
from dangvu.organization import services
from dangvu.organization.choices import SeatRole
from dangvu.testing import make_org, make_person, make_seat

pytestmark = pytest.mark.django_db


def _figures(org, year, as_of=None):
    return compute_all(MetricContext(org.path, Year(year), as_of or date(year, 12, 31)))


def test_cells_count_when_active_on_any_day_of_the_year(world):
    make_org(world.admin, "CB-NEW", parent=world.root, active_from=date(2024, 12, 31))
    make_org(world.admin, "CB-GONE", parent=world.partial, active_to=date(2024, 1, 1))
    make_org(world.admin, "CB-OLD", parent=world.partial, active_to=date(2023, 12, 31))
    assert _figures(world.root, 2024)["cells.total"] == {"value": 5}
    assert _figures(world.root, 2025)["cells.total"] == {"value": 4}
    assert _figures(world.partial, 2024)["cells.total"] == {"value": 2}


def test_a_cell_founded_after_the_as_of_date_is_not_seen_yet(world):
    make_org(world.admin, "CB-NEW", parent=world.root, active_from=date(2024, 9, 1))
    assert _figures(world.root, 2024, date(2024, 8, 31))["cells.total"] == {"value": 3}
    assert _figures(world.root, 2024, date(2024, 9, 1))["cells.total"] == {"value": 4}


def test_committees_are_not_cells_and_deleted_cells_do_not_count(world):
    empty = make_org(world.admin, "CB-DEL", parent=world.root)
    services.organization_delete(actor=world.office, organization=empty, expected_version=1)
    assert _figures(world.root, 2026)["cells.total"] == {"value": 3}


def test_part_time_share_counts_each_person_once(world):
    # The secretary of cell A holds a second, full-time seat on the root committee: not part-time.
    make_seat(
        world.admin, world.secretary_a_person, world.root, role=SeatRole.COMMITTEE_MEMBER, part_time=False
    )
    for i in range(3):
        person = make_person(world.admin, world.cell_b, f"Lê Văn Số {i}")
        make_seat(
            world.admin,
            person,
            world.cell_b,
            role=SeatRole.SECRETARY if i == 0 else SeatRole.COMMITTEE_MEMBER,
        )
    assert _figures(world.root, 2026)["committee.part_time_pct"] == {
        "numerator": 3,
        "denominator": 4,
        "value": 75.0,
    }
    # Within cell A alone, the secretary's only seat there is part-time.
    assert _figures(world.cell_a, 2026)["committee.part_time_pct"] == {
        "numerator": 1,
        "denominator": 1,
        "value": 100.0,
    }


def test_inspection_commission_seats_are_not_committee_seats(world):
    inspector = make_person(world.admin, world.root, "Phan Văn Kiểm")
    make_seat(world.admin, inspector, world.root, role=SeatRole.INSPECTION_CHAIR, part_time=False)
    assert _figures(world.root, 2026)["committee.part_time_pct"]["denominator"] == 1


def test_seats_count_in_the_years_their_term_covers(world):
    old = make_person(world.admin, world.cell_b, "Trịnh Văn Cũ")
    make_seat(world.admin, old, world.cell_b, start=date(2020, 7, 1), end=date(2025, 6, 30), part_time=False)
    assert _figures(world.root, 2024)["committee.part_time_pct"] == {
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
    }
    assert _figures(world.root, 2025)["committee.part_time_pct"]["denominator"] == 2
    assert _figures(world.root, 2026)["committee.part_time_pct"]["denominator"] == 1


def test_no_committee_gives_no_percentage(world):
    assert _figures(world.cell_c, 2026)["committee.part_time_pct"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
    }
