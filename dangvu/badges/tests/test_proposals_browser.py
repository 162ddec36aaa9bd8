"""In headless Chromium on a 360 × 740 phone screen, the secretary of cell A opens next year's batch
of 19/05, proposes a member due the 30-year badge, ticks a paper of the dossier and sees the rest
still missing. No page on the way scrolls sideways."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dangvu.badges.models import Proposal
from dangvu.core.periods import today
from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from . import factories

pytestmark = pytest.mark.browser


def test_the_secretary_proposes_a_member_and_keeps_the_dossier(
    live_server,
    live_world,  # noqa: F811
    page,
):
    batch = date(today().year + 1, 5, 19)
    member = factories.reaching(
        live_world, live_world.cell_a, "Nguyễn Văn Ba Mươi", 30, batch.replace(month=4)
    )
    base = live_server.url
    page.set_viewport_size(PHONE)
    browser_login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/huy-hieu/dot/?dot={batch.isoformat()}")
    expect(page.locator("#batch-candidates")).to_contain_text("Nguyễn Văn Ba Mươi")
    assert_no_sideways_scroll(page)
    page.locator(".propose-form button").first.click()
    expect(page.locator(".messages")).to_contain_text("Nguyễn Văn Ba Mươi")
    proposal = Proposal.objects.get(member=member)
    expect(page.locator(f"#proposal-{proposal.pk} .status-missing")).to_have_count(4)
    assert_no_sideways_scroll(page)
    page.locator(f"#proposal-{proposal.pk} a.button").first.click()
    page.check("input[value=declaration]")
    page.click("#proposal-save")
    expect(page.locator(f"#proposal-{proposal.pk} .status-missing")).to_have_count(3)
    assert_no_sideways_scroll(page)
    assert Proposal.objects.get(pk=proposal.pk).papers == ["declaration"]
