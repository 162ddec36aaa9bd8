"""In headless Chromium on a 360 × 740 phone screen, the office opens the committee's dashboard: the
charts draw (a canvas each, no console error, no Content-Security-Policy violation), nothing scrolls
sideways; a click on a figure opens the list of what it counts."""

import pytest
from playwright.sync_api import expect

from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
    make_member,
)

pytestmark = pytest.mark.browser


def test_the_office_reads_the_dashboard_on_a_phone_and_opens_a_figures_list(
    live_server,
    live_world,  # noqa: F811
    page,
):
    for cell, name in ((live_world.cell_a, "Nguyễn Văn An"), (live_world.cell_c, "Phạm Thị Dung")):
        make_member(live_world.admin, cell, name)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = live_server.url

    page.set_viewport_size(PHONE)
    browser_login(page, base, "office")
    page.goto(f"{base}/to-chuc/DU/tong-quan/")
    expect(page.locator("#dashboard-targets")).to_be_visible()
    for chart in ("chart-cells", "chart-members", "chart-badges"):
        expect(page.locator(f"canvas#{chart}")).to_have_attribute("data-drawn", "true")
    assert_no_sideways_scroll(page)
    assert errors == []  # a blocked script or style is reported on the console

    page.click('#figures-table a[data-key="members.total"]')
    expect(page.locator("#figure-value")).to_have_text("2")
    expect(page.locator("#counted-table")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#counted-table")).to_contain_text("Phạm Thị Dung")
    assert_no_sideways_scroll(page)
    assert errors == []
