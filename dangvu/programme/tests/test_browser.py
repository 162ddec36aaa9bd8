"""In headless Chromium on a 360 × 740 phone screen (issue 8's browser test): the inspection
commission opens an item of the programme concerning cell A and concludes it with one remedial action
carried out by cell A; then the secretary of cell A finds it on the cell's list of remedial actions
(and the item), reports it done, and the item's page shows it done. No page on the way scrolls
sideways."""

import pytest
from playwright.sync_api import expect

from dangvu.programme.choices import ItemState, Result, TaskState
from dangvu.programme.models import RemedialAction
from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from . import factories

pytestmark = pytest.mark.browser


def test_the_commission_concludes_with_an_action_and_the_cell_reports_it_done(live_server, live_world, page):  # noqa: F811
    world = live_world
    base = live_server.url
    programme = factories.programme(world)
    item = factories.item(
        world, programme, subject_cell=world.cell_a, content="Kiểm tra việc sinh hoạt chi bộ"
    )

    page.set_viewport_size(PHONE)
    browser_login(page, base, "inspection")
    page.goto(f"{base}/to-chuc/DU/kiem-tra/")
    assert_no_sideways_scroll(page)
    page.click(f"#own-items a[href='{item.get_absolute_url()}']")
    expect(page.locator("#item-record")).to_contain_text("Chi bộ A")
    assert_no_sideways_scroll(page)

    page.click("#item-conclude")
    page.fill("#id_conclusion", "Chi bộ chưa ghi đủ biên bản sinh hoạt")
    page.select_option("#id_result", Result.SHORTCOMINGS.value)
    page.fill("#id_actions-0-action", "Bổ sung biên bản các kỳ sinh hoạt")
    page.select_option("#id_actions-0-owner", label="Chi bộ A")
    assert_no_sideways_scroll(page)
    page.click("#conclude-save")
    expect(page.locator("#conclusion")).to_contain_text("Chi bộ chưa ghi đủ biên bản sinh hoạt")
    expect(page.locator("#actions")).to_contain_text("Bổ sung biên bản các kỳ sinh hoạt")
    assert_no_sideways_scroll(page)
    item.refresh_from_db()
    assert item.state == ItemState.CONCLUDED

    page.context.clear_cookies()
    browser_login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/khac-phuc/")
    expect(page.locator("#action-list")).to_contain_text("Bổ sung biên bản các kỳ sinh hoạt")
    assert_no_sideways_scroll(page)
    page.click(f"#action-list a[href='{item.get_absolute_url()}']")
    expect(page.locator("#conclusion")).to_contain_text("Chi bộ chưa ghi đủ biên bản sinh hoạt")
    assert_no_sideways_scroll(page)

    page.click("#actions a.report-done")
    page.fill("#id_report", "Đã bổ sung đủ biên bản từ tháng 1")
    assert_no_sideways_scroll(page)
    page.click("#done-save")
    expect(page.locator("#actions")).to_contain_text("Đã bổ sung đủ biên bản từ tháng 1")
    expect(page.locator("#actions a.report-done")).to_have_count(0)
    assert_no_sideways_scroll(page)
    action = RemedialAction.objects.get(item=item)
    assert action.state == TaskState.DONE and action.report == "Đã bổ sung đủ biên bản từ tháng 1"
