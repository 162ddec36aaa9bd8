"""In headless Chromium on a 360 × 740 phone screen, the office opens a draft, edits a section's
text and its recipients, issues the document, sees its number and downloads the DOCX; the register
fits the screen (nothing scrolls sideways), with no console error and no Content-Security-Policy
violation."""

import pytest
from playwright.sync_api import expect

from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from .factories import docx_lines, make_draft

pytestmark = pytest.mark.browser


def test_the_office_edits_issues_and_downloads_a_draft_on_a_phone(
    live_server,
    live_world,  # noqa: F811
    page,
):
    document = make_draft(live_world.office, live_world.root)
    for year in range(2015, 2024):  # a register with long rows
        make_draft(live_world.office, live_world.root, year=year)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = live_server.url

    page.set_viewport_size(PHONE)
    browser_login(page, base, "office")
    page.goto(f"{base}/to-chuc/DU/van-ban/")
    expect(page.locator("#document-table")).to_contain_text("Báo cáo tổng kết năm 2025")
    assert_no_sideways_scroll(page)

    page.goto(f"{base}/van-ban/{document.pk}/")
    assert_no_sideways_scroll(page)
    page.fill("#id_section_0", "46 chi bộ hoàn thành tốt nhiệm vụ (78%), vượt chỉ tiêu đề ra.")
    page.fill("#id_recipients", "- Ban Thường vụ Đảng ủy,\nCác chi bộ,\n- Lưu VP.")
    page.click("#draft-save")
    expect(page.locator(".messages")).to_contain_text("Đã lưu nội dung dự thảo")
    expect(page.locator("#id_section_0")).to_have_value(
        "46 chi bộ hoàn thành tốt nhiệm vụ (78%), vượt chỉ tiêu đề ra."
    )

    page.click("#issue-submit")
    expect(page.locator("#document-number")).to_have_text("Số 01-BC/ĐU")
    expect(page.locator("#draft-form")).to_have_count(0)
    assert_no_sideways_scroll(page)

    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    assert download.suggested_filename == "bc-01-2025.docx"
    with open(download.path(), "rb") as handle:
        text = docx_lines(handle.read())
    assert "Số 01-BC/ĐU" in text
    assert any("vượt chỉ tiêu đề ra." in line for line in text)
    assert "- Các chi bộ," in text  # the recipient typed without "- " gets it
    assert errors == []
