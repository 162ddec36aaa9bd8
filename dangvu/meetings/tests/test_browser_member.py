"""In headless Chromium on a phone-sized screen (360 × 740): a member logs in, lands on their own
page, sees the cell's coming meeting, taps "Tôi sẽ dự", and finds the reply saved and shown; then
asks to be excused from a second meeting through the folded excuse form. Nothing on the page
needs sideways scrolling."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dangvu.core.audit import save_audited
from dangvu.meetings.choices import Reply, SessionKind
from dangvu.meetings.models import Invitation
from dangvu.testing import (
    assert_no_sideways_scroll,
    browser_login,
    live_world,  # noqa: F401, F811 (the fixture)
    make_member,
    make_user,
)

from .factories import make_session, set_document, today

pytestmark = pytest.mark.browser


def test_a_member_confirms_a_meeting_from_their_phone(live_server, live_world, page):  # noqa: F811
    world = live_world
    member = make_member(world.admin, world.cell_a, "Nguyễn Thị Bà Cụ Có Tên Rất Dài Để Thử Màn Hình")
    member.person.user = make_user("ba_cu", first_name=member.person.full_name)
    save_audited(member.person, actor=world.admin, update_fields=["user"])
    set_document(world, title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng về nhiều nội dung")
    meeting = make_session(
        world,
        world.cell_a,
        SessionKind.REGULAR,
        held_on=today() + timedelta(days=2),
        place="Hội trường nhà văn hóa khu dân cư số 5",
    )
    thematic = make_session(
        world, world.cell_a, SessionKind.THEMATIC, held_on=today() + timedelta(days=9), title="Chuyên đề"
    )
    invitation = Invitation.objects.get(session=meeting, person=member.person)
    other = Invitation.objects.get(session=thematic, person=member.person)

    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "ba_cu")
    expect(page.locator("h1")).to_have_text(member.person.full_name)  # home led here
    card = page.locator(f"#invitation-{invitation.pk}")
    expect(card).to_contain_text(f"{meeting.held_on:%d/%m/%Y}")
    expect(card).to_contain_text("Hội trường nhà văn hóa khu dân cư số 5")
    expect(card.locator(".mine-reply")).to_have_text("Đồng chí chưa trả lời.")
    assert_no_sideways_scroll(page)

    page.click(f"#coming-{invitation.pk}")
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận: đồng chí sẽ dự")
    expect(page.locator(f"#reply-{invitation.pk}")).to_have_text("Đồng chí đã trả lời: sẽ dự.")
    invitation.refresh_from_db()
    assert invitation.reply == Reply.COMING
    assert_no_sideways_scroll(page)

    page.click(f"#excuse-{other.pk}")  # unfolds the excuse form
    page.fill(f"#reason-{other.pk}", "Đi khám bệnh ở bệnh viện tỉnh")
    page.click(f"#send-excuse-{other.pk}")
    expect(page.locator(f"#reply-{other.pk}")).to_contain_text("xin vắng")
    other.refresh_from_db()
    assert (other.reply, other.reply_reason) == (Reply.EXCUSED, "Đi khám bệnh ở bệnh viện tỉnh")
    assert_no_sideways_scroll(page)
