"""In headless Chromium: the office creates a cell and its secretary, who logs in with the printed
password, must change it, sees their cell and gets 404 on another cell."""

import pytest

from dangvu.testing import make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return make_world()


def _login(page, base, username, password):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")


def test_office_sets_up_a_cell_whose_secretary_logs_in(live_server, live_world, page):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    _login(page, base, "office", "mat-khau-thu")
    assert page.url == f"{base}/to-chuc/DU/"
    page.click("text=Thêm tổ chức trực thuộc")
    page.fill("#id_code", "CB-MOI")
    page.fill("#id_name", "Chi bộ Phòng Thí nghiệm")
    page.select_option("#id_kind", "attached_cell")
    page.fill("#id_active_from", "01/01/2026")
    page.click("button[type=submit].primary")
    assert page.url == f"{base}/to-chuc/CB-MOI/"
    assert page.locator("h1").inner_text() == "Chi bộ Phòng Thí nghiệm"

    page.click("text=Thêm chức danh cấp ủy")
    page.fill("#id_new_person_name", "Nguyễn Thị Mới")
    page.select_option("#id_role", "secretary")
    page.fill("#id_term_start", "01/01/2026")
    page.click("button[type=submit].primary")
    assert "Nguyễn Thị Mới" in page.locator("#seats-title + table").inner_text()

    page.click("text=Tài khoản đăng nhập")
    page.click("text=Tạo tài khoản đăng nhập cho tất cả những người chưa có")
    row = page.locator("table.logins tbody tr").first
    username = row.locator("td").nth(2).inner_text().strip()
    password = row.locator("td").nth(3).inner_text().strip()
    assert username == "moi.nt" and len(password) == 10
    page.click("text=Đăng xuất")

    _login(page, base, username, password)
    assert page.url == f"{base}/doi-mat-khau/"
    assert page.locator("h1").inner_text() == "Đổi mật khẩu"
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Chi bộ mới 2026!")
    page.fill("#id_new_password2", "Chi bộ mới 2026!")
    page.click("button[type=submit].primary")
    assert page.url == f"{base}/to-chuc/CB-MOI/"
    assert page.locator("h1").inner_text() == "Chi bộ Phòng Thí nghiệm"
    assert page.locator("text=Thêm chức danh cấp ủy").count() == 0  # a secretary only reads

    response = page.goto(f"{base}/to-chuc/CB-A/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
