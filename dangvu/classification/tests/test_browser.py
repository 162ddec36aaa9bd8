"""In headless Chromium: a secretary proposes the levels of the cell's members, recording their
self-assessments on their behalf, with one excellent too many for the cap; the office opens the
sheet, decides, sees the cap message with nothing saved, lowers one level and sees the decided
levels."""

import pytest
from playwright.sync_api import expect

from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import MemberRating
from dangvu.testing import make_world

from .factories import make_members, open_campaign

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return make_world()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "mat-khau-thu")
    page.click("button[type=submit].primary")


def test_the_cell_proposes_and_the_office_decides_within_the_cap(live_server, live_world, page):
    world = live_world
    base = live_server.url
    campaign = open_campaign(world)
    members = make_members(world, world.cell_a, 7)
    # Two excellent (one scored in the good band) and five good: reading A allows 1 excellent.
    chosen = {m.pk: (Level.GOOD, "80") for m in members}
    chosen[members[0].pk] = (Level.EXCELLENT, "95")
    chosen[members[1].pk] = (Level.EXCELLENT, "88")

    _login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/")
    page.click("#classification-panel >> text=Bảng xếp loại của chi bộ")
    expect(page.locator("h1")).to_contain_text("Chi bộ A")
    for pk, (level, score) in chosen.items():
        page.fill(f"#id_p-self_score_{pk}", score)
        page.select_option(f"#id_p-self_level_{pk}", level)
        page.select_option(f"#id_p-level_{pk}", level)
    live = page.locator("#live-cap")  # recounted in the page as the levels are chosen
    expect(live.locator("[data-chosen]")).to_have_text("2")
    expect(live.locator("[data-most]")).to_have_text("1")
    expect(live.locator("[data-over]")).to_be_visible()
    page.click("#propose-submit")
    expect(page.locator(".messages")).to_contain_text("Đã lưu đề xuất của 7 đảng viên")
    expect(page.locator("#group-cap")).to_contain_text("vượt 1 suất hoàn thành xuất sắc")
    expect(page.locator("#roster")).to_contain_text("ghi thay")
    page.click("text=Đăng xuất")

    _login(page, base, "office")
    page.goto(f"{base}{campaign.sheet_url(world.cell_a)}")
    expect(page.locator("#roster")).to_contain_text("88.00 điểm thuộc mức")  # the score band, live
    page.click("#decide-submit")  # the levels come prefilled with the proposals
    expect(page.locator("#blocked")).to_contain_text("Vượt tỉ lệ 1 hoàn thành xuất sắc")
    expect(page.locator("#blocked")).to_contain_text("Tối đa 1 hoàn thành xuất sắc: 20% của 5 hoàn thành tốt")
    assert not MemberRating.objects.filter(stage=Stage.DECIDED).exists()

    lowered = MemberRating.objects.get(member=members[1])
    page.select_option(f"#id_d-level_{lowered.pk}", Level.GOOD)
    page.click("#decide-submit")
    expect(page.locator(".messages")).to_contain_text("Đã quyết định xếp loại 7 đảng viên")
    roster = page.locator("#roster")
    expect(roster.locator("strong", has_text="Hoàn thành xuất sắc nhiệm vụ")).to_have_count(1)
    expect(roster.locator("strong", has_text="Hoàn thành tốt nhiệm vụ")).to_have_count(6)
    lowered.refresh_from_db()
    assert (lowered.stage, lowered.decided_level, lowered.override_reason) == (Stage.DECIDED, Level.GOOD, "")
