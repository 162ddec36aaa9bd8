"""No N+1: pages and API lists cost the same number of queries for a small and a large tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.organization.choices import SeatRole
from dangvu.testing import make_org, make_person, make_seat

pytestmark = pytest.mark.django_db


def _grow(world, cells: int) -> None:
    for i in range(cells):
        cell = make_org(world.admin, f"CB-N{i:02d}", parent=world.partial if i % 2 else world.root)
        person = make_person(world.admin, cell, f"Nguyễn Văn Số {i}")
        make_seat(world.admin, person, cell, role=SeatRole.SECRETARY)
        make_person(world.admin, cell, f"Lê Thị Thứ {i}")


def _count(client, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("/to-chuc/DU/", {}),
        ("/to-chuc/DU/tai-khoan/", {}),
        ("/to-chuc/DU/vai-tro/", {}),
        ("/api/v1/organizations", {}),
        ("/api/v1/organizations/DU/seats", {}),
        ("/api/v1/reports/annual", {"data": {"year": 2026, "org": "DU"}}),
    ],
)
def test_the_same_queries_for_5_cells_and_60(world, as_user, url, kwargs):
    client = as_user(world.office)
    _grow(world, 2)  # 5 cells in all
    small = _count(client, url, **kwargs)
    _grow_more(world)
    assert _count(client, url, **kwargs) == small


def _grow_more(world) -> None:
    for i in range(55):
        cell = make_org(world.admin, f"CB-M{i:02d}", parent=world.root)
        person = make_person(world.admin, cell, f"Trần Văn Số {i}")
        make_seat(world.admin, person, cell, role=SeatRole.SECRETARY)
        make_seat(world.admin, person, world.root, role=SeatRole.COMMITTEE_MEMBER)
