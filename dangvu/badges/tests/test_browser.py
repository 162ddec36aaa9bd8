"""In headless Chromium, the office takes a member who reached 30 years of Party age a few days ago
from the batch page of the committee to the badge register through the pages alone: proposes them,
ticks the papers of the dossier, follows "record the award" (the form prefilled from the proposal),
records it with a badge number in the form of §2.4, and finds the member in the register with the
money (1.5 × the base salary in force today). Then the secretary of cell A, on a 360 × 740 phone
screen, reads the batch page of the cell with the proposal, and nothing scrolls sideways."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dangvu.badges import rules, selectors
from dangvu.badges.models import Award, Proposal
from dangvu.core.periods import today
from dangvu.testing import (
    PHONE,
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
)

from .factories import reaching

pytestmark = pytest.mark.browser

NAME = "Nguyễn Văn Ba Mươi"
NUMBER = "HN 00001234"


def _money(amount: int) -> str:
    """As the pages show it: dot thousands."""
    return f"{amount:,}".replace(",", ".")


def test_the_office_proposes_a_member_and_records_the_award_in_the_register(
    live_server,
    live_world,  # noqa: F811
    page,
):
    base = live_server.url
    now = today()
    reached = now - timedelta(days=5)
    member = reaching(live_world, live_world.cell_a, NAME, 30, reached)
    batch = rules.batch_of(reached)
    batch_url = f"{base}/to-chuc/DU/huy-hieu/dot/?dot={batch.isoformat()}"

    browser_login(page, base, "office")
    # The committee's page leads to the batch.
    page.goto(f"{base}/to-chuc/DU/")
    expect(page.locator("#badges-panel")).to_be_visible()
    page.goto(batch_url)
    row = page.locator("#batch-candidates tr", has_text=NAME)
    expect(row).to_contain_text(f"{reached:%d/%m/%Y}")
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    proposal = Proposal.objects.get(member=member)
    assert (proposal.years, proposal.batch, proposal.papers) == (30, batch, [])

    # The dossier: every paper is missing until ticked.
    line = page.locator(f"#proposal-{proposal.pk}")
    expect(line.locator(".status-missing")).to_have_count(len(rules.PAPERS))
    line.locator(f"a[href*='/huy-hieu/de-nghi/{proposal.pk}/']").click()
    for paper in rules.PAPERS:
        page.check(f"#proposal-form input[name=papers][value={paper}]")
    page.click("#proposal-save")
    page.goto(batch_url)
    line = page.locator(f"#proposal-{proposal.pk}")
    expect(line.locator(".status-missing")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.papers == list(rules.PAPERS)

    # "Record the award": the form comes prefilled with the member, the badge and the batch.
    line.locator("a[href*='/huy-hieu/so/them/']").click()
    expect(page.locator("#id_member")).to_have_value(str(member.pk))
    expect(page.locator("#id_years")).to_have_value("30")
    expect(page.locator("#id_batch")).to_have_value(f"{batch:%d/%m/%Y}")
    page.fill("#id_awarded_on", f"{now:%d/%m/%Y}")
    page.fill("#id_decision_number", "125-QĐ/TU")
    page.fill("#id_badge_number", "HN 1234")  # 30 years: 8 digits (§2.4)
    page.click("#award-form button[type=submit].primary")
    expect(page.locator("#award-form .error").first).to_be_visible()
    assert not Award.objects.filter(member=member).exists()
    page.fill("#id_badge_number", NUMBER)
    page.click("#award-form button[type=submit].primary")
    expect(page.locator(".messages")).to_be_visible()
    award = Award.objects.get(member=member)
    assert (award.years, award.awarded_on, award.badge_number, award.batch) == (30, now, NUMBER, batch)

    # The register shows the member with the money: 1.5 × the base salary in force on the award date.
    amount = rules.amount(rules.COEFFICIENTS[30], selectors.base_salary_on(now))
    page.goto(f"{base}/to-chuc/DU/huy-hieu/so/?nam={now.year}")
    entry = page.locator("#register tr", has_text=NAME)
    expect(entry).to_contain_text(NUMBER)
    expect(entry).to_contain_text(f"{_money(amount)} đ")

    # The cell's secretary on a phone: the cell's batch, the proposal, no sideways scroll.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    browser_login(page, base, "secretary_a")
    page.goto(f"{base}/to-chuc/CB-A/huy-hieu/dot/?dot={batch.isoformat()}")
    expect(page.locator(f"#proposal-{proposal.pk}")).to_contain_text(NAME)
    assert_no_sideways_scroll(page)
    page.goto(f"{base}/to-chuc/CB-A/")
    expect(page.locator("#badges-panel")).to_be_visible()
    assert_no_sideways_scroll(page)
