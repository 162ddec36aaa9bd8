"""In headless Chromium: a cell secretary finds a member by a name typed without accents, edits a
field, sees the change in the history, and gets 404 on a member of another cell."""

import pytest
from playwright.sync_api import expect

from dangvu.testing import make_member, make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_members(transactional_db):
    world = make_world()
    mine = make_member(world.office, world.cell_a, "Nguyễn Thị Hằng")
    make_member(world.office, world.cell_a, "Trần Văn Đức")
    other = make_member(world.office, world.cell_b, "Lê Thị Hằng")
    return mine, other


def test_secretary_finds_and_edits_a_member(live_server, live_members, page):
    mine, other = live_members
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "secretary_a")
    page.fill("#id_password", "mat-khau-thu")
    page.click("button[type=submit].primary")
    page.goto(f"{base}/to-chuc/CB-A/dang-vien/")
    page.fill("#id_q", "nguyen thi hang")
    # htmx redraws the table as the secretary types (the page's CSP forbids evaluated scripts,
    # so the test waits with locators).
    expect(page.locator("#members tbody tr")).to_have_count(1)
    expect(page.locator("#members")).to_contain_text("Nguyễn Thị Hằng")
    assert "Lê Thị Hằng" not in page.inner_text("#members")  # another cell's member
    page.click("#members >> text=Nguyễn Thị Hằng")
    page.click("text=Sửa hồ sơ")
    page.fill("#id_hometown", "Nam Định")
    page.click("button[type=submit].primary")
    assert page.url == f"{base}/dang-vien/{mine.pk}/"
    history = page.inner_text("#history-title + ol")
    assert "Nam Định" in history and "Nguyễn Văn Bí Thư" in history

    response = page.goto(f"{base}/dang-vien/{other.pk}/")
    assert response.status == 404
