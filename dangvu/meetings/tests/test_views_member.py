"""A member's own page (issue 7, point 4) and the meetings section of a member's record: who may
open them, the reply to an invitation (coming, excused with a reason, refused when there is no
reason or the session is past), the home page that leads a member there, and bounded queries."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import periods
from dangvu.core.audit import save_audited
from dangvu.core.models import Notification
from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, Reply, SessionKind
from dangvu.meetings.models import Invitation
from dangvu.testing import make_member, make_user

from .factories import make_session, mark_all, set_document, today

pytestmark = pytest.mark.django_db


def member_with_login(world, username: str = "cu_a", cell=None, name: str = "Nguyễn Văn Cụ"):
    """A real member of cell A (a Member record) who logs in as `username`."""
    member = make_member(world.admin, cell or world.cell_a, name)
    member.person.user = make_user(username, first_name=name)
    save_audited(member.person, actor=world.admin, update_fields=["user"])
    return member


def coming_meeting(world, days: int = 3, **extra):
    """The cell A's regular meeting in a few days: every member of the cell is invited."""
    return make_session(
        world,
        world.cell_a,
        SessionKind.REGULAR,
        held_on=today() + timedelta(days=days),
        place=extra.pop("place", "Hội trường tầng 2"),
        **extra,
    )


def invitation_of(session, person) -> Invitation:
    return Invitation.objects.get(session=session, person=person)


def post_reply(client, invitation, reply, reason="", version=None):
    return client.post(
        reverse("meetings:reply", args=[invitation.pk]),
        {"reply": reply, "reason": reason, "version": version or invitation.version},
    )


# ------------------------------------------------------------------------------------- access


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    for response in (
        client.get(reverse("meetings:mine")),
        client.post(reverse("meetings:reply", args=[invitation.pk]), {"reply": Reply.COMING, "version": 1}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_a_login_that_is_no_ones_person_has_no_page(world, as_user):
    assert as_user(world.stranger).get(reverse("meetings:mine")).status_code == 404


def test_a_member_sees_their_coming_meeting_their_documents_and_their_year(world, as_user):
    member = member_with_login(world)
    document = set_document(world, title="Nghị quyết về xây dựng Đảng")
    session = coming_meeting(world, starts_at=time(14, 0))
    held = mark_all(world, make_session(world, world.cell_a, SessionKind.THEMATIC, title="Chuyên đề"))
    response = as_user(member.person.user).get(reverse("meetings:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    # (1) the coming meeting: date, weekday in Vietnamese, place, organiser, the two buttons
    weekday = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")[session.held_on.weekday()]
    assert f"{weekday}, {session.held_on:%d/%m/%Y}" in page and "14:00" in page
    assert "Hội trường tầng 2" in page and "Chi bộ A" in page
    assert "Tôi sẽ dự" in page and "Xin vắng" in page
    assert "Đồng chí chưa trả lời." in page
    # (2) the document still to study, with its deadline
    assert "Nghị quyết về xây dựng Đảng" in page and f"{document.study_by:%d/%m/%Y}" in page
    # (3) the year's attendance: the thematic meeting held today, present
    assert f"{held.held_on:%d/%m/%Y} · Chuyên đề" in page
    assert 'class="att mine-status att-present">Có mặt' in page
    # (4) their own record
    assert reverse("members:detail", args=[member.pk]) in page


def test_a_person_without_a_member_record_sees_their_meetings_and_no_record_link(world, as_user):
    session = make_session(
        world,
        world.root,
        SessionKind.CONFERENCE,
        held_on=today() + timedelta(days=5),
        title="Hội nghị sơ kết",
        person_ids=[world.member_a_person.pk],
    )
    page = as_user(world.member_a).get(reverse("meetings:mine")).content.decode()
    assert "Hội nghị sơ kết" in page and f"{session.held_on:%d/%m/%Y}" in page
    assert "Văn bản còn phải học tập" not in page and "/dang-vien/" not in page


def test_a_member_does_not_see_someone_elses_meetings(world, as_user):
    member = member_with_login(world)
    coming_meeting(world)
    make_session(
        world, world.cell_b, SessionKind.REGULAR, held_on=today() + timedelta(days=2), place="Phòng chi bộ B"
    )
    page = as_user(member.person.user).get(reverse("meetings:mine")).content.decode()
    assert "Hội trường tầng 2" in page and "Phòng chi bộ B" not in page


# -------------------------------------------------------------------------------------- reply


def test_a_member_confirms_they_will_attend(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    client = as_user(member.person.user)
    response = post_reply(client, invitation, Reply.COMING)
    assert response.status_code == 302 and response["Location"] == reverse("meetings:mine")
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_reason, invitation.version) == (Reply.COMING, "", 2)
    assert invitation.replied_at is not None
    page = client.get(reverse("meetings:mine")).content.decode()
    assert "Đã ghi nhận: đồng chí sẽ dự" in page  # the message
    assert "Đồng chí đã trả lời: sẽ dự." in page  # the reply, on the invitation


def test_a_member_asks_to_be_excused_with_a_reason_and_the_secretary_is_told(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    client = as_user(member.person.user)
    response = post_reply(client, invitation, Reply.EXCUSED, "  Đi khám   bệnh ")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_reason) == (Reply.EXCUSED, "Đi khám bệnh")
    assert Notification.objects.filter(recipient=world.secretary_a, kind="meetings.excuse").exists()
    page = client.get(reverse("meetings:mine")).content.decode()
    assert "Đồng chí đã trả lời: xin vắng." in page and "Đi khám bệnh" in page


def test_an_excuse_without_a_reason_is_refused_and_nothing_changes(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    response = post_reply(as_user(member.person.user), invitation, Reply.EXCUSED, "   ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy ghi lý do không dự được." in page
    assert '<details class="mine-excuse" open>' in page  # the excuse form is open again
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.version) == ("", 1)


def test_a_reply_after_the_session_is_refused(world, as_user):
    member = member_with_login(world)
    past = make_session(world, world.cell_a, SessionKind.REGULAR, held_on=today() - timedelta(days=1))
    invitation = invitation_of(past, member.person)
    response = post_reply(as_user(member.person.user), invitation, Reply.COMING)
    assert response.status_code == 400
    assert "Buổi sinh hoạt đã diễn ra: không thể thay đổi trả lời nữa." in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.version) == ("", 1)


def test_a_reply_to_a_cancelled_session_is_refused(world, as_user):
    member = member_with_login(world)
    session = coming_meeting(world)
    services.session_cancel(actor=world.office, session=session, expected_version=session.version)
    invitation = invitation_of(session, member.person)
    response = post_reply(as_user(member.person.user), invitation, Reply.COMING)
    assert response.status_code == 400 and "Buổi sinh hoạt đã bị hủy." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reply": "maybe", "version": "1"}, "Hãy chọn dự hoặc xin vắng."),
        ({"version": "1"}, "Hãy chọn dự hoặc xin vắng."),
        ({"reply": Reply.COMING}, "Trang đã cũ"),
        ({"reply": Reply.COMING, "version": "abc"}, "Trang đã cũ"),
        ({"reply": Reply.EXCUSED, "reason": "x" * 300, "version": "1"}, "tối đa 255 ký tự"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(world, as_user, data, message):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    response = as_user(member.person.user).post(reverse("meetings:reply", args=[invitation.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.version) == ("", 1)


def test_someone_elses_invitation_is_not_found(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    for user in (world.member_b, world.secretary_a, world.office):
        assert post_reply(as_user(user), invitation, Reply.COMING).status_code == 404
    missing = reverse("meetings:reply", args=[invitation.pk + 1000])
    assert as_user(member.person.user).post(missing, {"reply": Reply.COMING, "version": 1}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_the_reply_is_only_posted(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    assert as_user(member.person.user).get(reverse("meetings:reply", args=[invitation.pk])).status_code == 405


def test_a_double_tap_is_no_error_but_a_stale_change_is_refused(world, as_user):
    member = member_with_login(world)
    invitation = invitation_of(coming_meeting(world), member.person)
    client = as_user(member.person.user)
    post_reply(client, invitation, Reply.COMING)
    again = post_reply(client, invitation, Reply.COMING, version=1)  # the same page, tapped twice
    assert again.status_code == 302
    assert "Đã ghi nhận: đồng chí sẽ dự" in client.get(reverse("meetings:mine")).content.decode()
    stale = post_reply(client, invitation, Reply.EXCUSED, "Ốm", version=1)  # from an old page
    assert stale.status_code == 302
    assert "người khác đã thay đổi" in client.get(reverse("meetings:mine")).content.decode()
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.version) == (Reply.COMING, 2)


# ------------------------------------------------------------------------- home and navigation


def test_home_leads_a_member_to_their_own_page(world, as_user):
    member = member_with_login(world)
    for user in (member.person.user, world.member_a):  # with and without a member record
        response = as_user(user).get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("meetings:mine")
    assert as_user(world.office).get(reverse("home"))["Location"] == "/to-chuc/DU/"


def test_the_navigation_shows_my_page_to_those_with_a_person_record(world, as_user):
    mine = f'href="{reverse("meetings:mine")}"'
    assert mine in as_user(world.member_a).get(reverse("meetings:mine")).content.decode()
    assert mine in as_user(world.secretary_a).get("/to-chuc/CB-A/").content.decode()
    assert mine not in as_user(world.stranger).get(reverse("home")).content.decode()


# -------------------------------------------------------------------- the member's record page


def test_the_record_shows_documents_owed_and_the_years_attendance_to_the_member_and_the_cell(world, as_user):
    member = member_with_login(world)
    set_document(world, title="Chỉ thị về học tập")
    mark_all(world, make_session(world, world.cell_a), Attendance.EXCUSED)
    url = reverse("members:detail", args=[member.pk])
    for user in (member.person.user, world.secretary_a, world.office):
        page = as_user(user).get(url).content.decode()
        assert 'id="member-meetings"' in page
        assert "Chỉ thị về học tập" in page
        assert "có mặt 0, vắng có lý do 1, vắng không lý do 0, trên 1 lượt đã điểm danh" in page
    assert reverse("meetings:mine") in as_user(member.person.user).get(url).content.decode()
    assert as_user(world.member_b).get(url).status_code == 404


def test_the_record_flags_three_months_of_unexcused_absence_for_the_cell(world, as_user, monkeypatch):
    year = today().year
    monkeypatch.setattr(periods, "today", lambda: date(year, 12, 15))  # late in the year
    member = member_with_login(world)
    person = str(member.person_id)
    for month in (1, 2, 3):
        held = make_session(world, world.cell_a, held_on=date(year, month, 10))
        mark_all(world, held, **{person: Attendance.UNEXCUSED})
    mark_all(world, make_session(world, world.cell_a, held_on=date(year, 4, 10)))
    conference = make_session(
        world, world.root, SessionKind.CONFERENCE, held_on=date(year, 5, 10), person_ids=[member.person_id]
    )
    mark_all(world, conference, Attendance.UNEXCUSED)  # not a meeting of the cell: not counted
    url = reverse("members:detail", args=[member.pk])
    page = as_user(world.secretary_a).get(url).content.decode()
    assert "tháng 1, tháng 2, tháng 3" in page
    assert 'id="member-meetings-flag"' in page and "để chi bộ xem xét" in page


def test_two_months_of_unexcused_absence_are_shown_without_a_flag(world, as_user, monkeypatch):
    year = today().year
    monkeypatch.setattr(periods, "today", lambda: date(year, 12, 15))
    member = member_with_login(world)
    for month in (6, 9):
        held = make_session(world, world.cell_a, held_on=date(year, month, 10))
        mark_all(world, held, **{str(member.person_id): Attendance.UNEXCUSED})
    page = as_user(world.secretary_a).get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "tháng 6, tháng 9" in page and 'id="member-meetings-flag"' not in page


# ------------------------------------------------------------------------------- query counts


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_page_costs_the_same_for_one_invitation_and_document_as_for_many(world, as_user):
    member = member_with_login(world)
    client = as_user(member.person.user)
    url = reverse("meetings:mine")
    document = set_document(world)
    coming_meeting(world, days=2)
    make_session(
        world, world.cell_a, SessionKind.STUDY, held_on=today() + timedelta(days=4), documents=[document]
    )
    mark_all(world, make_session(world, world.cell_a))
    one = _queries(client, url)
    for n in range(4):
        more = set_document(world, title=f"Kết luận {n}")
        make_session(
            world, world.cell_a, SessionKind.STUDY, held_on=today() + timedelta(days=5 + n), documents=[more]
        )
        coming_meeting(world, days=10 + n)
        mark_all(world, make_session(world, world.cell_a, SessionKind.THEMATIC))
    assert _queries(client, url) == one


def test_the_record_section_costs_the_same_for_one_document_and_session_as_for_many(world, as_user):
    member = member_with_login(world)
    client = as_user(world.secretary_a)
    url = reverse("members:detail", args=[member.pk])
    set_document(world)
    mark_all(world, make_session(world, world.cell_a))
    one = _queries(client, url)
    for n in range(4):
        set_document(world, title=f"Kết luận {n}")
        mark_all(world, make_session(world, world.cell_a, SessionKind.THEMATIC), Attendance.UNEXCUSED)
    assert _queries(client, url) == one
