"""The targets' section on an organisation's page: this year's targets met and not met, the first
few not met with their actual figure, the links to the dashboard and the targets; only the targeted
figures computed, in a bounded number of queries whatever the subtree's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import periods
from dangvu.organization.choices import SeatRole
from dangvu.targets import services
from dangvu.targets.panels import targets_panel
from dangvu.testing import make_member, make_org, make_person, make_seat, panel_of

pytestmark = pytest.mark.django_db


def _page(as_user, user, code: str):
    return as_user(user).get(reverse("organization:detail", args=[code]))


def _target(world, organization, metric, op, value):
    services.target_add(
        actor=world.office,
        organization=organization,
        year=periods.today().year,
        metric=metric,
        op=op,
        value=value,
    )


def _five_seats_four_part_time(world):
    for number in range(3):
        person = make_person(world.admin, world.cell_b, f"Đỗ Văn Ủy Viên {number}")
        make_seat(world.admin, person, world.root, role=SeatRole.COMMITTEE_MEMBER)
    full_time = make_person(world.admin, world.root, "Bùi Thị Chuyên Trách")
    make_seat(world.admin, full_time, world.root, role=SeatRole.DEPUTY_SECRETARY, part_time=False)


def test_the_section_counts_the_targets_met_at_the_boundary_and_lists_those_not_met(as_user, world):
    _five_seats_four_part_time(world)  # committee.part_time_pct = 80.0
    _target(world, world.root, "committee.part_time_pct", ">", 80)
    _target(world, world.root, "committee.part_time_pct", ">=", 80)
    services.target_add(
        actor=world.office, organization=world.root, year=periods.today().year, text="Đạo đức"
    )
    panel = panel_of(targets_panel, world.leader, world.root).context
    assert (panel["total"], panel["met"], panel["not_met_count"]) == (2, 1, 1)
    (line,) = panel["not_met"]
    assert (line.target.op, line.actual.value) == (">", 80.0)
    page = _page(as_user, world.leader, "DU").content.decode()
    section = page.split('id="targets-panel"')[1].split("</section>")[0]
    assert reverse("targets:dashboard", args=["DU"]) in section
    assert reverse("targets:targets", args=["DU"]) in section
    assert reverse("targets:detail", args=["DU", "committee.part_time_pct"]) in section


def test_a_secretary_sees_their_cells_section_and_the_committees_page_stays_closed(as_user, world):
    page = _page(as_user, world.secretary_a, "CB-A")
    assert page.status_code == 200 and 'id="targets-panel"' in page.content.decode()
    assert _page(as_user, world.secretary_a, "DU").status_code == 404
    assert _page(as_user, world.member_a, "CB-A").status_code == 404
    assert _page(as_user, world.stranger, "CB-A").status_code == 404


@pytest.mark.parametrize("persona", ["office", "leader", "inspection"])
def test_the_committees_readers_see_the_section(as_user, world, persona):
    assert 'id="targets-panel"' in _page(as_user, getattr(world, persona), "DU").content.decode()


def test_the_section_costs_the_same_queries_for_one_cell_and_for_several(world):
    _target(world, world.partial, "members.total", ">=", 3)
    _target(world, world.partial, "cells.total", ">=", 2)
    make_member(world.admin, world.cell_c, "Nguyễn Văn Một")
    panel_of(targets_panel, world.office, world.partial)
    with CaptureQueriesContext(connection) as one:
        before = panel_of(targets_panel, world.office, world.partial).context
    for number in range(6):
        cell = make_org(world.admin, f"CB-Q{number}", parent=world.partial)
        make_member(world.admin, cell, f"Trần Văn Số {number}")
    with CaptureQueriesContext(connection) as many:
        after = panel_of(targets_panel, world.office, world.partial).context
    assert (before["met"], after["met"]) == (0, 2)
    assert len(many) == len(one)
