"""In headless Chromium on a 360 × 740 phone screen, the secretary of cell A takes a person from the
sympathiser list to admission through the pages alone: lists them, records the awareness class, the
dossier's papers, the procedure, the cell's and the committee's votes, the decision and the ceremony
(dated in the past), follows the link to the new member's record, and finds the new member in the
cell's members list. No page on the way scrolls sideways."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dangvu.development.choices import Paper, Step
from dangvu.development.models import Candidate
from dangvu.development.services import REQUIRED_PAPERS
from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from .factories import way

pytestmark = pytest.mark.browser

NAME = "Trần Thị Quần Chúng"


def _day(on: date) -> str:
    return f"{on:%d/%m/%Y}"


def _record(page, on: date, document: str, *, refused: bool = False, **fields) -> None:
    """Fill the next step's form on the candidate's page and record it."""
    page.fill("#next_date", _day(on))
    page.fill("#next_document_number", document)
    for name, value in fields.items():
        page.fill(f"#next_{name}", value)
    page.click("#step-save")
    if refused:  # the form comes back with the reason under the field
        expect(page.locator("#step-form .error").first).to_be_visible()
    else:
        expect(page.locator(".messages")).to_contain_text("Đã ghi nhận")


def test_the_secretary_moves_a_candidate_to_admission_and_finds_the_new_member(
    live_server,
    live_world,  # noqa: F811
    page,
):
    base = live_server.url
    at = way()

    page.set_viewport_size(PHONE)
    browser_login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/phat-trien/")
    assert_no_sideways_scroll(page)
    page.click("#candidate-create")
    page.fill("#id_full_name", NAME)
    page.fill("#id_date_of_birth", _day(date(at.listed.year - 25, 6, 15)))
    page.fill("#id_listed_on", _day(at.listed))
    page.fill("#id_document_number", "05-NQ/CB")
    assert_no_sideways_scroll(page)
    page.click("#candidate-save")
    expect(page.locator("h1")).to_have_text(NAME)
    target = Candidate.objects.get(full_name=NAME)
    assert target.cell.code == "CB-A" and target.step == Step.SYMPATHISER

    _record(page, at.steps[Step.CLASS], "512/GCN")
    for paper in (*REQUIRED_PAPERS, Paper.UNION_RESOLUTION):
        page.select_option("#paper_paper", paper)
        page.fill("#paper_made_on", _day(at.steps[Step.PROCEDURE]))
        page.click("#paper-save")
        expect(page.locator("#papers")).to_contain_text(Paper(paper).label[:12])
    expect(page.locator("#missing")).to_have_count(0)
    _record(page, at.steps[Step.PROCEDURE], "31-QĐ/ĐU")
    assert_no_sideways_scroll(page)

    # The cell's and the committee's votes: their counts are asked, two thirds checked.
    expect(page.locator("#step-title")).to_contain_text("Nghị quyết chi bộ")
    _record(page, at.steps[Step.CELL_VOTE], "07-NQ/CB", votes_for="5", votes_of="8", refused=True)
    expect(page.locator("#step-form")).to_contain_text("5 trên 8 chưa đạt")
    _record(page, at.steps[Step.CELL_VOTE], "07-NQ/CB", votes_for="6", votes_of="8")
    expect(page.locator("#steps")).to_contain_text("6/8 tán thành")
    _record(page, at.steps[Step.COMMITTEE_VOTE], "15-NQ/ĐU", votes_for="7", votes_of="9")
    expect(page.locator("#steps")).to_contain_text("7/9 tán thành")
    assert_no_sideways_scroll(page)

    # The admission decision opens the member's record.
    expect(page.locator("#next_votes_for")).to_have_count(0)
    _record(page, at.steps[Step.DECISION], "120-QĐ/ĐU", received_on=_day(at.steps[Step.DECISION]))
    expect(page.locator(".messages")).to_contain_text("Đã mở hồ sơ đảng viên")
    expect(page.locator("#member-record")).to_be_visible()

    # The ceremony makes them an active (probationary) member of the cell.
    _record(page, at.steps[Step.CEREMONY], "")
    expect(page.locator("#steps")).to_contain_text("Lễ kết nạp")
    assert_no_sideways_scroll(page)
    target.refresh_from_db()
    assert target.step == Step.CEREMONY and target.member is not None

    page.click("#member-record")
    expect(page.locator("h1")).to_contain_text(NAME)
    assert_no_sideways_scroll(page)

    page.goto(f"{base}/to-chuc/CB-A/dang-vien/")
    expect(page.locator("#members")).to_contain_text(NAME)
    assert_no_sideways_scroll(page)
