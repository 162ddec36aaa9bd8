"""The dashboard of an organisation's subtree and what each figure is made of (issue 11 points 2, 4
and 6): who reads them, the targets met and not met at the boundary, last year's entered figure
marked, the months' course equal to the registry's, the drill-down's lists equal to the figure, the
roll-up on a cell and on the root, and the queries constant in the subtree's size."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import metrics, periods
from dangvu.organization.choices import SeatRole
from dangvu.targets import dashboard, services
from dangvu.testing import make_member, make_org, make_person, make_seat

pytestmark = pytest.mark.django_db


def _url(code: str, **query) -> str:
    url = reverse("targets:dashboard", args=[code])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _detail_url(code: str, key: str) -> str:
    return reverse("targets:detail", args=[code, key])


def _committee_of_five(world):
    """Five committee members this year, four of them part-time: committee.part_time_pct = 80.0."""
    for number in range(3):
        person = make_person(world.admin, world.cell_b, f"Đỗ Văn Ủy Viên {number}")
        make_seat(world.admin, person, world.root, role=SeatRole.COMMITTEE_MEMBER)
    full_time = make_person(world.admin, world.root, "Bùi Thị Chuyên Trách")
    make_seat(world.admin, full_time, world.root, role=SeatRole.DEPUTY_SECRETARY, part_time=False)


def _members(world):
    for cell, name in (
        (world.cell_a, "Nguyễn Văn An"),
        (world.cell_a, "Trần Thị Bình"),
        (world.cell_b, "Lê Văn Cường"),
        (world.cell_c, "Phạm Thị Dung"),
    ):
        make_member(world.admin, cell, name)


# ------------------------------------------------------------------------------------- personas


@pytest.mark.parametrize("persona", ["office", "leader", "inspection"])
def test_the_committees_readers_open_its_dashboard(as_user, world, persona):
    response = as_user(getattr(world, persona)).get(_url("DU"))
    assert response.status_code == 200
    assert 'id="dashboard-targets"' in response.content.decode()


def test_a_secretary_opens_their_cells_dashboard_but_not_the_committees(as_user, world):
    client = as_user(world.secretary_a)
    assert client.get(_url("CB-A")).status_code == 200
    assert client.get(_url("DU")).status_code == 404
    assert client.get(_url("CB-B")).status_code == 404
    assert client.get(_detail_url("CB-A", "members.total")).status_code == 200
    assert client.get(_detail_url("DU", "members.total")).status_code == 404


@pytest.mark.parametrize("persona", ["member_a", "stranger"])
def test_a_member_or_a_stranger_gets_not_found(as_user, world, persona):
    client = as_user(getattr(world, persona))
    assert client.get(_url("CB-A")).status_code == 404
    assert client.get(_detail_url("CB-A", "members.total")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    for url in (_url("DU"), _detail_url("DU", "members.total")):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_only_the_office_is_offered_to_set_the_targets(as_user, world):
    assert as_user(world.office).get(_url("DU")).context["can_set"]
    assert not as_user(world.leader).get(_url("DU")).context["can_set"]


# -------------------------------------------------------------------------------------- targets


def test_a_target_above_80_is_not_met_by_80_0_and_at_least_80_is(as_user, world):
    _committee_of_five(world)
    year = periods.today().year
    for op in (">", ">="):
        services.target_add(
            actor=world.office,
            organization=world.root,
            year=year,
            metric="committee.part_time_pct",
            op=op,
            value=80,
        )
    services.target_add(actor=world.office, organization=world.root, year=year, text="Giữ gìn đạo đức")
    response = as_user(world.leader).get(_url("DU"))
    lines = response.context["targets"]
    assert [line.actual.value for line in lines[:2]] == [80.0, 80.0]
    assert [line.met for line in lines] == [False, True, None]
    page = response.content.decode()
    assert page.count('class="status status-missing not-met"') == 1
    assert page.count('class="status status-on_time met"') == 1
    assert "Giữ gìn đạo đức" in page
    assert _detail_url("DU", "committee.part_time_pct") in page


def test_last_years_entered_figure_is_shown_and_marked(as_user, world):
    year = periods.today().year
    services.target_add(
        actor=world.office,
        organization=world.root,
        year=year,
        metric="committee.part_time_pct",
        op=">=",
        value=80,
    )
    services.figure_enter(
        actor=world.office,
        organization=world.root,
        year=year - 1,
        metric="committee.part_time_pct",
        value=75,
        numerator=3,
        denominator=4,
    )
    response = as_user(world.office).get(_url("DU"))
    (line,) = response.context["targets"]
    assert (line.last_year.value, line.last_year.entered) == (75.0, True)
    row = response.content.decode().split('data-metric="committee.part_time_pct"')[1].split("</tr>")[0]
    assert "75,0%" in row and 'class="status entered"' in row


# --------------------------------------------------------------------------- course and roll-up


def test_the_months_course_equals_the_registry_at_each_month_end(as_user, world):
    _members(world)
    year = periods.today().year - 1
    response = as_user(world.office).get(_url("DU", nam=year))
    ends = response.context["ends"]
    assert len(ends) == 12 and ends[1] == date(year, 2, 28 if year % 4 else 29)
    assert ends[-1] == date(year, 12, 31)
    for course in response.context["courses"]:
        metric = metrics.get(course.key)
        for end, point in zip(ends, course.points, strict=True):
            ctx = metrics.MetricContext(root_path=world.root.path, year=periods.Year(year), as_of=end)
            assert point.value == metric.compute(ctx)["value"], (course.key, end)
    assert {c.key for c in response.context["courses"]} >= set(dashboard.COURSE) - {
        k for k in dashboard.COURSE if metrics.get(k) is None
    }


def test_the_course_of_this_year_stops_at_the_day_asked(as_user, world):
    today = periods.today()
    day = date(today.year, 3, 15)
    response = as_user(world.office).get(_url("DU", nam=today.year, ngay=day.strftime("%d/%m/%Y")))
    assert response.context["ends"] == [
        date(today.year, 1, 31),
        date(today.year, 2, 28 if today.year % 4 else 29),
        day,
    ]


def test_a_bad_day_is_said_and_the_default_day_used(as_user, world):
    response = as_user(world.office).get(_url("DU", ngay="31/02/xx"))
    assert response.status_code == 200
    assert response.context["period"].as_of == periods.today()
    assert 'id="bad-day"' in response.content.decode()


def test_the_dashboard_rolls_up_a_cell_and_the_root(as_user, world):
    _members(world)
    client = as_user(world.office)
    total = {
        code: next(f for f in client.get(_url(code)).context["figures"] if f.key == "members.total").value
        for code in ("CB-A", "DBBP", "DU")
    }
    assert total == {"CB-A": 2, "DBBP": 1, "DU": 4}


def test_every_chart_has_its_table_and_its_data_for_the_script(as_user, world):
    _members(world)
    page = as_user(world.office).get(_url("DU")).content.decode()
    data = json.loads(page.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    ids = [chart["id"] for chart in data["charts"]]
    assert {"chart-cells", "chart-members", "chart-reports-by-cell", "chart-badges"} <= set(ids)
    for chart_id in ids:
        assert f'id="{chart_id}-title"' in page
    assert "vendor/chart.umd.min.js" in page and "targets/dashboard.js" in page
    assert "<script>" not in page  # no inline script (CSP)


# --------------------------------------------------------------------------------- the detail


def test_the_detail_of_a_count_lists_what_it_counts_sorted_by_cell_then_given_name(as_user, world):
    _members(world)
    response = as_user(world.office).get(_detail_url("DU", "members.total"))
    made = response.context["made"]
    assert made.figure.value == len(made.counted) == 4
    assert [e.name for e in made.counted] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]


def test_the_detail_of_a_ratio_has_the_numerator_and_the_rest_of_the_denominator(as_user, world):
    _committee_of_five(world)
    made = as_user(world.office).get(_detail_url("DU", "committee.part_time_pct")).context["made"]
    assert (made.figure.numerator, made.figure.denominator) == (4, 5)
    assert len(made.counted) == 4 and [e.name for e in made.rest] == ["Bùi Thị Chuyên Trách"]


def test_a_secretary_sees_only_their_cells_entries(as_user, world):
    _members(world)
    made = as_user(world.secretary_a).get(_detail_url("CB-A", "members.total")).context["made"]
    assert [e.name for e in made.counted] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_an_unknown_key_is_not_found_and_a_key_without_detail_says_so(as_user, world, monkeypatch):
    client = as_user(world.office)
    assert client.get(_detail_url("DU", "members.nothing")).status_code == 404
    monkeypatch.delitem(metrics._details, "members.total")
    response = client.get(_detail_url("DU", "members.total"))
    assert response.status_code == 200 and 'id="no-detail"' in response.content.decode()


# ------------------------------------------------------------------------------------- queries


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as found:
        assert client.get(url).status_code == 200
    return len(found)


def test_the_pages_cost_the_same_queries_for_one_cell_and_for_several(as_user, world):
    client = as_user(world.office)
    make_member(world.admin, world.cell_c, "Nguyễn Văn Một")
    urls = [_url("DBBP"), _detail_url("DBBP", "members.total"), _detail_url("DBBP", "reports.on_time_pct")]
    for url in urls:
        client.get(url)
    one = [_queries(client, url) for url in urls]
    for number in range(6):
        cell = make_org(world.admin, f"CB-Q{number}", parent=world.partial)
        make_member(world.admin, cell, f"Trần Văn Số {number}")
    many = [_queries(client, url) for url in urls]
    assert many == one
