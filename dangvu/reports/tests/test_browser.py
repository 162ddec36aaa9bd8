"""In headless Chromium: the office asks the cells for a report, a secretary sends it with its file,
the office accepts it and sees it on time; a report of a round already closed shows as late."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangvu.reports import services
from dangvu.reports.models import ReportRequest
from dangvu.testing import make_world

from .factories import make_request, submission_of

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return make_world()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "mat-khau-thu")
    page.click("button[type=submit].primary")


def test_request_send_accept_on_time_and_a_late_one(live_server, live_world, page, tmp_path: Path):
    world = live_world
    base = live_server.url
    due = timezone.localdate() + timedelta(days=7)

    _login(page, base, "office")
    page.goto(f"{base}/to-chuc/DU/bao-cao/")
    page.click("text=Yêu cầu báo cáo mới")
    page.fill("#id_title", "Báo cáo chuyên đề")
    page.select_option("#id_period_kind", "adhoc")
    page.fill("#id_year", str(due.year))
    page.fill("#id_number", "1")
    page.fill("#id_first_due", due.strftime("%d/%m/%Y"))
    page.fill("#id_form_text", "Số đảng viên tham gia (số)")
    page.check("#id_requires_file")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Báo cáo chuyên đề")
    request = ReportRequest.objects.get(title="Báo cáo chuyên đề")
    page.click("text=Đăng xuất")

    _login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/")
    page.click("text=Báo cáo chuyên đề")
    page.fill("#id_f1", "15")
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(b"%PDF-1.4\n%bao cao\n")
    page.set_input_files("#id_file", str(report))
    page.click("button[type=submit].primary")
    expect(page.locator(".status")).to_contain_text("Đã nộp, chờ duyệt")
    page.click("text=Đăng xuất")

    _login(page, base, "office")
    submission = submission_of(request, world.cell_a)
    page.goto(f"{base}{submission.get_absolute_url()}")
    page.click("button:has-text('Nhận báo cáo')")
    expect(page.locator("header .status")).to_contain_text("Đúng hạn")

    # A round closed yesterday, sent today: late.
    closed = make_request(
        world, due=timezone.localdate() - timedelta(days=1), cells=[world.cell_b], title="Báo cáo cũ"
    )
    late = submission_of(closed, world.cell_b)
    services.submit(actor=world.office, submission=late, values={"f1": "3"})
    page.goto(f"{base}{closed.rounds.get().get_absolute_url()}")
    expect(page.locator("#round-cells")).to_contain_text("Nộp muộn")
