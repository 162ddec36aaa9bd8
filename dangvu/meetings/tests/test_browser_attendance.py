"""In headless Chromium on a 360 × 740 phone screen: the secretary of cell A opens today's regular
meeting from the cell's sessions, finds everyone pre-marked present, marks one member absent
without a reason, saves once, and the database holds that mark and the others present. No page on
the way scrolls sideways."""

import pytest
from playwright.sync_api import expect

from dangvu.meetings.choices import Attendance, SessionState
from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from .factories import make_session, members_of

pytestmark = pytest.mark.browser


def test_the_secretary_marks_one_absentee_on_a_phone_and_saves_once(live_server, live_world, page):  # noqa: F811
    world = live_world
    base = live_server.url
    members = members_of(world, world.cell_a, 5)
    session = make_session(world, world.cell_a, place="Hội trường khu phố 3")
    absentee = session.invitations.get(person_id=members[2].person_id)

    page.set_viewport_size(PHONE)
    browser_login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/sinh-hoat/")
    assert_no_sideways_scroll(page)
    page.click(f"#session-table a[href='{session.get_absolute_url()}'] >> nth=0")
    expect(page.locator("h1")).to_contain_text("Sinh hoạt chi bộ thường kỳ")
    assert_no_sideways_scroll(page)

    page.click("#mark-attendance")
    expect(page.locator("h1")).to_have_text("Điểm danh")
    rows = page.locator("ol.marks > li")
    expect(rows).to_have_count(5)
    expect(page.locator("input[value=present]:checked")).to_have_count(5)  # pre-marked present
    assert_no_sideways_scroll(page)

    page.click(f"label[for=id_a_{absentee.pk}_2]")  # the large "absent without a reason" choice
    expect(page.locator(f"#id_a_{absentee.pk}_2")).to_be_checked()
    page.click("#attendance-save")

    expect(page.locator(".messages")).to_contain_text(
        "Đã lưu điểm danh: 4 có mặt, 0 vắng có lý do, 1 vắng không lý do."
    )
    expect(page.locator("#invitees")).to_contain_text("Vắng không lý do")
    assert_no_sideways_scroll(page)
    marks = dict(session.invitations.values_list("pk", "attendance"))
    assert marks.pop(absentee.pk) == Attendance.UNEXCUSED
    assert set(marks.values()) == {Attendance.PRESENT} and len(marks) == 4
    session.refresh_from_db()
    assert session.state == SessionState.HELD
