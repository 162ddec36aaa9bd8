"""The year of the cells (months held, thematic periods, attendance, the 3-month flag, study), the
office's meeting settings and the section on an organisation's page: who may see and change what,
what a secretary and the office read there, bad input refused, and bounded queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.meetings.models import MeetingSettings
from dangvu.meetings.panels import meetings_panel
from dangvu.testing import make_org, panel_of

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db

LAST_YEAR = today().year - 1


def _summary(client, code: str, year: int | None = None):
    url = reverse("meetings:summary", args=[code])
    return client.get(url, {"nam": year} if year else {})


def _last_year(world):
    """Cell A last year: regular meetings held in February, May and August, a thematic one in May;
    a3 absent without a reason from the three regular meetings, a2 from two; a document of the
    root studied by a1, a2 and b1, not by a3."""
    a1, a2, a3 = members_of(world, world.cell_a, 3)
    (b1,) = members_of(world, world.cell_b, 1)
    unexcused = str(a3.person_id)
    for month in (2, 5, 8):
        session = make_session(world, world.cell_a, held_on=date(LAST_YEAR, month, 10))
        a2_status = Attendance.EXCUSED if month == 8 else Attendance.UNEXCUSED
        mark_all(world, session, **{unexcused: Attendance.UNEXCUSED, str(a2.person_id): a2_status})
    mark_all(world, make_session(world, world.cell_a, SessionKind.THEMATIC, held_on=date(LAST_YEAR, 5, 20)))
    document = set_document(world, set_on=date(LAST_YEAR, 3, 1), study_by=date(LAST_YEAR, 6, 30))
    study = make_session(
        world, world.root, SessionKind.STUDY, held_on=date(LAST_YEAR, 4, 1), documents=[document]
    )
    mark_all(world, study, **{unexcused: Attendance.UNEXCUSED})
    return a1, a2, a3, b1


# ------------------------------------------------------------------------------------ summary


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-A", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_sees_the_summary(as_user, world, persona, code, status):
    assert _summary(as_user(getattr(world, persona)), code).status_code == status


def test_the_summary_shows_each_month_the_thematic_periods_attendance_and_study(as_user, world):
    _last_year(world)
    response = _summary(as_user(world.office), "DU", LAST_YEAR)
    rows = {row.year.cell.code: row for row in response.context["rows"]}
    assert set(rows) == {"CB-A", "CB-B", "CB-C"}
    cell_a = rows["CB-A"]
    assert [box.state for box in cell_a.months] == [
        "held" if month in (2, 5, 8) else "missing" for month in range(1, 13)
    ]
    assert cell_a.months[1].label == "đã họp" and cell_a.months[0].label == "chưa họp"
    assert cell_a.thematic_missing == ["tháng 1–3", "tháng 7–9", "tháng 10–12"]
    # 3 regular meetings of 3 invitees and 1 thematic meeting of 3: 6 present of 12 marked.
    assert (cell_a.year.present, cell_a.year.invited, cell_a.year.attendance_percent) == (6, 12, 50)
    assert (cell_a.study.studied, cell_a.study.owed, cell_a.study.percent) == (2, 3, 67)
    assert (rows["CB-B"].study.studied, rows["CB-B"].study.owed) == (1, 1)
    assert all(box.state == "missing" for box in rows["CB-B"].months)
    page = response.content.decode()
    assert "T2: đã họp" in page and "T3: chưa họp" in page
    assert reverse("meetings:summary_export", args=["DU"]) + f"?nam={LAST_YEAR}" in page


def test_members_absent_without_reason_in_three_months_are_flagged_never_acted_on(as_user, world):
    _a1, a2, a3, _b1 = _last_year(world)
    response = _summary(as_user(world.secretary_a), "CB-A", LAST_YEAR)
    [row] = response.context["rows"]
    assert row.flagged == [(a3.person.full_name, "tháng 2, 5, 8")]
    page = response.content.decode()
    assert f"{a3.person.full_name}: tháng 2, 5, 8" in page
    assert a2.person.full_name not in page  # two months only
    assert "không bao giờ tự động xử lý" in page
    a3.refresh_from_db()
    assert a3.deleted_at is None


def test_this_years_months_not_ended_are_not_yet_due(as_user, world):
    members_of(world, world.cell_a, 1)
    mark_all(world, make_session(world, world.cell_a))
    response = _summary(as_user(world.office), "CB-A")
    [row] = response.context["rows"]
    states = [box.state for box in row.months]
    this_month = today().month
    assert states[this_month - 1] == "held"
    assert states[this_month:] == ["not_due"] * (12 - this_month)
    assert states[: this_month - 1] == ["missing"] * (this_month - 1)


def test_a_cell_not_yet_active_shows_its_months_as_inactive(as_user, world):
    late = make_org(world.admin, "CB-MOI", parent=world.root, active_from=date(LAST_YEAR, 7, 1))
    response = _summary(as_user(world.office), "DU", LAST_YEAR)
    [row] = [r for r in response.context["rows"] if r.year.cell == late]
    assert [box.state for box in row.months] == ["inactive"] * 6 + ["missing"] * 6


def test_the_summary_shows_the_settings_in_force_and_where_they_come_from(as_user, world):
    page = _summary(as_user(world.office), "DU").content.decode()
    assert "mỗi quý một lần" in page and "90" in page
    services.settings_save(
        actor=world.office,
        organization=world.root,
        thematic_every_months=2,
        min_minutes=100,
        expected_version=None,
    )
    response = _summary(as_user(world.secretary_a), "CB-A")
    assert response.context["settings"].thematic_every_months == 2
    page = response.content.decode()
    assert "2 tháng một lần" in page and "100" in page and world.root.name in page
    assert reverse("meetings:settings", args=["CB-A"]) not in page


def test_a_bad_year_shows_this_year(as_user, world):
    for bad in ("abc", "0", "20255", "<script>"):
        response = _summary(as_user(world.office), "DU", bad)
        assert response.status_code == 200 and response.context["year"] == today().year


def test_the_summary_costs_the_same_queries_for_one_cell_and_for_many(as_user, world):
    client = as_user(world.office)
    members_of(world, world.cell_c, 2)
    document = set_document(
        world, organization=world.partial, set_on=date(LAST_YEAR, 1, 5), study_by=date(LAST_YEAR, 2, 1)
    )
    _summary(client, "DBBP", LAST_YEAR)
    with CaptureQueriesContext(connection) as one:
        assert len(_summary(client, "DBBP", LAST_YEAR).context["rows"]) == 1
    document = set_document(
        world, organization=world.partial, set_on=date(LAST_YEAR, 1, 6), study_by=date(LAST_YEAR, 3, 1)
    )
    for n in range(4):
        cell = make_org(world.admin, f"CB-P{n}", parent=world.partial)
        members_of(world, cell, 2, prefix=f"P{n}")
        session = make_session(world, cell, held_on=date(LAST_YEAR, 3, 3))
        mark_all(world, session, Attendance.UNEXCUSED)
        mark_all(world, make_session(world, cell, SessionKind.THEMATIC, held_on=date(LAST_YEAR, 4, 3)))
        for month in (5, 6):
            mark_all(
                world, make_session(world, cell, held_on=date(LAST_YEAR, month, 3)), Attendance.UNEXCUSED
            )
    study = make_session(
        world, world.partial, SessionKind.STUDY, held_on=date(LAST_YEAR, 1, 20), documents=[document]
    )
    mark_all(world, study)
    with CaptureQueriesContext(connection) as many:
        response = _summary(client, "DBBP", LAST_YEAR)
    assert len(response.context["rows"]) == 5
    assert sum(len(row.flagged) for row in response.context["rows"]) == 8
    assert len(many) == len(one)


# ----------------------------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "DBBP", 200),
        ("office", "CB-A", 404),  # a cell has no settings of its own
        ("secretary_a", "CB-A", 404),
        ("secretary_a", "DU", 404),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("member_a", "DU", 404),
        ("stranger", "DU", 404),
    ],
)
def test_only_the_office_of_a_committee_opens_the_settings(as_user, world, persona, code, status):
    client = as_user(getattr(world, persona))
    url = reverse("meetings:settings", args=[code])
    assert client.get(url).status_code == status
    if status == 404:
        assert client.post(url, {"thematic_every_months": 1, "min_minutes": 60}).status_code == 404
        assert not MeetingSettings.objects.exists()


def test_the_office_saves_the_settings_and_the_committees_under_it_follow(as_user, world):
    client = as_user(world.office)
    url = reverse("meetings:settings", args=["DU"])
    page = client.get(url)
    assert page.context["settings"].pk is None and "mặc định" in page.content.decode()
    response = client.post(url, {"thematic_every_months": 6, "min_minutes": 120})
    assert response.status_code == 302
    saved = MeetingSettings.objects.get()
    assert (saved.organization, saved.thematic_every_months, saved.min_minutes) == (world.root, 6, 120)
    assert "Nguồn: do tổ chức này đặt" in client.get(url).content.decode()
    under = client.get(reverse("meetings:settings", args=["DBBP"]))
    assert under.context["form"]["thematic_every_months"].value() == 6
    assert f"Nguồn: do {world.root.name} đặt" in under.content.decode()
    again = client.post(url, {"thematic_every_months": 3, "min_minutes": 90, "version": saved.version})
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.thematic_every_months, saved.min_minutes, saved.version) == (3, 90, 2)


@pytest.mark.parametrize(
    "data",
    [
        {"thematic_every_months": 5, "min_minutes": 90},
        {"thematic_every_months": 3, "min_minutes": 10},
        {"thematic_every_months": 3, "min_minutes": 100000},
        {"thematic_every_months": 3, "min_minutes": "chín mươi"},
        {"thematic_every_months": "", "min_minutes": ""},
        {"thematic_every_months": 3, "min_minutes": 90, "version": "x"},
    ],
)
def test_bad_settings_are_refused_with_nothing_written(as_user, world, data):
    response = as_user(world.office).post(reverse("meetings:settings", args=["DU"]), data)
    assert response.status_code == 400
    assert not MeetingSettings.objects.exists()


def test_settings_saved_from_a_stale_page_are_refused(as_user, world):
    client = as_user(world.office)
    url = reverse("meetings:settings", args=["DU"])
    client.post(url, {"thematic_every_months": 6, "min_minutes": 120})
    # A second page read before the first save posts no version: stale.
    stale = client.post(url, {"thematic_every_months": 1, "min_minutes": 45}, follow=True)
    assert "người khác đã thay đổi hồ sơ này" in stale.content.decode()
    older = client.post(url, {"thematic_every_months": 1, "min_minutes": 45, "version": 0})
    assert older.status_code == 400  # not a version at all
    saved = MeetingSettings.objects.get()
    assert (saved.thematic_every_months, saved.min_minutes, saved.version) == (6, 120, 1)


# -------------------------------------------------------------------- the organisation's page


def _panel(world, user, org):
    return panel_of(meetings_panel, user, org)


def test_the_cell_page_shows_its_months_next_session_and_what_is_still_to_study(as_user, world):
    a1, a2 = members_of(world, world.cell_a, 2)
    mark_all(world, make_session(world, world.cell_a))
    coming = make_session(world, world.cell_a, held_on=today() + timedelta(days=5), place="Hội trường")
    document = set_document(world, study_by=today())
    study = make_session(world, world.cell_a, SessionKind.STUDY, documents=[document])
    mark_all(world, study, **{str(a2.person_id): Attendance.UNEXCUSED})
    panel = _panel(world, world.secretary_a, world.cell_a).context
    assert panel["months"][today().month - 1].state == "held"
    assert panel["next_session"] == coming
    assert (
        panel["study"].owed,
        panel["study"].studied,
        panel["study"].pending,
        panel["study"].documents,
    ) == (
        2,
        1,
        1,
        1,
    )
    page = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"])).content.decode()
    assert 'id="meetings-panel"' in page and coming.get_absolute_url() in page
    assert reverse("meetings:sessions", args=["CB-A"]) in page
    assert reverse("meetings:session_create", args=["CB-A"]) in page


def test_the_committee_page_counts_over_its_cells(as_user, world):
    members_of(world, world.cell_a, 1)
    members_of(world, world.cell_b, 1)
    mark_all(world, make_session(world, world.cell_a))  # this month: held, not yet due
    totals = _panel(world, world.leader, world.root).context["totals"]
    past_months = today().month - 1
    assert (totals.cells, totals.months_due, totals.months_held) == (3, 3 * past_months, 0)
    assert totals.cells_missing == (3 if past_months else 0)
    if past_months:  # on 1 January no month of the year has ended yet
        mark_all(world, make_session(world, world.cell_b, held_on=today().replace(day=1) - timedelta(days=1)))
        totals = _panel(world, world.leader, world.root).context["totals"]
        assert totals.months_held == 1 and totals.held_percent == round(100 / (3 * past_months))
    page = as_user(world.leader).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert 'id="meetings-panel"' in page
    assert reverse("meetings:summary", args=["DU"]) in page
    assert reverse("meetings:sessions", args=["DU"]) in page  # the button next to the review's
    assert reverse("meetings:session_create", args=["DU"]) not in page  # the leader reads only


def test_the_section_costs_the_same_queries_for_one_cell_and_for_many(world):
    members_of(world, world.cell_c, 2)
    set_document(world, organization=world.partial, study_by=today())
    _panel(world, world.office, world.partial)
    with CaptureQueriesContext(connection) as one:
        panel_of(meetings_panel, world.office, world.partial)
    document = set_document(world, organization=world.partial, title="Văn bản 2", study_by=today())
    for n in range(4):
        cell = make_org(world.admin, f"CB-Q{n}", parent=world.partial)
        members_of(world, cell, 2, prefix=f"Q{n}")
        mark_all(world, make_session(world, cell), Attendance.UNEXCUSED)
        make_session(world, cell, held_on=today() + timedelta(days=3))
    mark_all(world, make_session(world, world.partial, SessionKind.STUDY, documents=[document]))
    with CaptureQueriesContext(connection) as many:
        panel = panel_of(meetings_panel, world.office, world.partial)
    # A committee's study is the page's figure (study.members_studied_pct), not read again here.
    assert panel.context["totals"].cells == 5 and panel.context["totals"].owed == 0
    assert len(many) == len(one) <= 9  # the user's scope, the subtree, then the panel's own
