"""The organiser's pages: who may see and do what on sessions (allowed and denied), creating one,
its page, changing and cancelling it, inviting more, the bulk attendance sheet, the minutes, and
bounded queries on the list and the sheet."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.meetings import services
from dangvu.meetings.choices import Attendance, Invitees, Reply, SessionKind, SessionState
from dangvu.meetings.models import Invitation, Session

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 bien ban"
STALE = "người khác đã thay đổi hồ sơ này"


@pytest.fixture
def cells(world):
    """Three members in cell A, two in cell B; today's regular meeting of each cell."""
    members_a = members_of(world, world.cell_a, 3)
    members_b = members_of(world, world.cell_b, 2)
    return {
        "a": make_session(world, world.cell_a, place="Hội trường A"),
        "b": make_session(world, world.cell_b),
        "members_a": members_a,
        "members_b": members_b,
    }


def _client(as_user, world, persona: str):
    return as_user(getattr(world, persona))


def _invitation(session: Session, member) -> Invitation:
    return session.invitations.get(person_id=member.person_id)


def _checked(page: str, invitation_pk: int) -> str:
    """The attendance the sheet shows chosen for an invitation."""
    found = re.findall(rf'name="a_{invitation_pk}" value="(\w+)"[^>]*checked', page)
    assert len(found) == 1
    return found[0]


def _sheet(session: Session, changes: dict | None = None) -> dict:
    """The attendance sheet as its page posts it: everyone present unless `changes` says
    {invitation: (attendance, reason)}."""
    data = {"version": session.version}
    for invitation in session.invitations.all():
        status, reason = (changes or {}).get(invitation, (Attendance.PRESENT, ""))
        data |= {f"a_{invitation.pk}": status, f"r_{invitation.pk}": reason}
    return data


# ------------------------------------------------------------------------------------- the list


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_list_of_sessions_by_persona(world, cells, as_user, persona, code, status):
    response = _client(as_user, world, persona).get(reverse("meetings:sessions", args=[code]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert cells["a"].get_absolute_url() in body
        assert (cells["b"].get_absolute_url() in body) == (code == "DU")
        create = reverse("meetings:session_create", args=[code])
        assert (create in body) == (persona in {"office", "secretary_a"})
        assert ("Tạo buổi sinh hoạt" in body) == (persona in {"office", "secretary_a"})
        assert reverse("meetings:documents", args=[code]) in body
        assert reverse("meetings:summary", args=[code]) in body


def test_the_list_shows_the_date_counts_and_filters_by_year_and_kind(world, cells, as_user):
    mark_all(world, cells["a"], **{str(cells["members_a"][0].person_id): Attendance.UNEXCUSED})
    last_year = make_session(world, world.cell_a, held_on=today().replace(day=1) - timedelta(days=366))
    training = make_session(world, world.root, SessionKind.TRAINING)
    client = as_user(world.office)
    url = reverse("meetings:sessions", args=["DU"])

    body = client.get(url).content.decode()
    row = body.split(cells["a"].get_absolute_url(), 1)[1].split("</tr>", 1)[0]
    assert today().strftime("%d/%m/%Y") in body and "2 / 3" in row  # present / invited
    assert last_year.get_absolute_url() not in body

    earlier = client.get(url, {"nam": last_year.held_on.year}).content.decode()
    assert last_year.get_absolute_url() in earlier and cells["a"].get_absolute_url() not in earlier
    only_training = client.get(url, {"loai": SessionKind.TRAINING}).content.decode()
    assert training.get_absolute_url() in only_training
    assert cells["a"].get_absolute_url() not in only_training
    fragment = client.get(url, {"loai": SessionKind.TRAINING}, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("<table")


def test_a_bad_year_shows_this_year_and_a_bad_kind_is_refused_with_a_message(world, cells, as_user):
    client = as_user(world.office)
    response = client.get(reverse("meetings:sessions", args=["DU"]), {"nam": "abc"})
    assert response.status_code == 200  # core.periods.year_param: this year, as on every page
    assert cells["a"].get_absolute_url() in response.content.decode()
    response = client.get(reverse("meetings:sessions", args=["DU"]), {"loai": "nonsense"})
    assert response.status_code == 400
    assert cells["a"].get_absolute_url() in response.content.decode()  # this year's list still shown


def test_the_list_costs_the_same_queries_for_one_session_or_many(world, as_user):
    make_session(world, world.cell_a)
    client = as_user(world.office)
    url = reverse("meetings:sessions", args=["DU"])
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for cell in (world.cell_a, world.cell_b, world.cell_c, world.cell_a):
        make_session(world, cell, SessionKind.THEMATIC)
    make_session(world, world.root, SessionKind.CONFERENCE, person_ids=[world.member_a_person.pk])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('href="/sinh-hoat/') >= 12  # 6 sessions, 2 links each
    assert len(many) == len(one)


# ---------------------------------------------------------------------------- a new session


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-B", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("leader", "CB-A", 404),
        ("inspection", "DU", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "CB-A", 404),
    ],
)
def test_who_may_create_a_session(world, as_user, persona, code, status):
    url = reverse("meetings:session_create", args=[code])
    assert _client(as_user, world, persona).get(url).status_code == status


def _new(**changes) -> dict:
    return {
        "kind": SessionKind.REGULAR,
        "held_on": today().strftime("%d/%m/%Y"),
        "starts_at": "14:00",
        "duration_minutes": "120",
        "place": "Hội trường",
        "title": "",
        "invitees": Invitees.CELL_MEMBERS,
    } | changes


def test_the_secretary_creates_the_regular_meeting_and_the_cell_is_invited(world, cells, as_user):
    client = as_user(world.secretary_a)
    page = client.get(reverse("meetings:session_create", args=["CB-A"])).content.decode()
    assert 'value="regular"' in page and 'value="conference"' not in page  # a cell's kinds only
    response = client.post(reverse("meetings:session_create", args=["CB-A"]), _new())
    session = Session.objects.exclude(pk__in=[cells["a"].pk, cells["b"].pk]).get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert (session.organization, session.kind, session.duration_minutes) == (
        world.cell_a,
        SessionKind.REGULAR,
        120,
    )
    assert f"{session.starts_at:%H:%M}" == "14:00"
    invited = set(session.invitations.values_list("person_id", flat=True))
    assert invited == {m.person_id for m in cells["members_a"]}


def test_a_chosen_session_invites_only_the_people_ticked(world, cells, as_user):
    client = as_user(world.office)
    data = _new(kind=SessionKind.CONFERENCE, invitees=Invitees.CHOSEN, people=[world.member_a_person.pk])
    response = client.post(reverse("meetings:session_create", args=["DU"]), data)
    assert response.status_code == 302
    session = Session.objects.get(kind=SessionKind.CONFERENCE)
    assert list(session.invitations.values_list("person_id", flat=True)) == [world.member_a_person.pk]

    nobody = client.post(reverse("meetings:session_create", args=["DU"]), data | {"people": []})
    assert nobody.status_code == 400
    assert Session.objects.filter(kind=SessionKind.CONFERENCE).count() == 1


def test_a_document_page_links_to_a_catch_up_session_prefilled(world, cells, as_user):
    document = set_document(world)
    url = reverse("meetings:session_create", args=["CB-A"])
    page = as_user(world.secretary_a).get(url, {"loai": "catch_up", "van-ban": document.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="catch_up" selected' in body
    assert f'value="{document.pk}" id="id_documents_0" checked' in body
    assert 'value="still_owing" selected' in body  # the invitees follow the kind's rule
    odd = as_user(world.secretary_a).get(url, {"loai": "conference", "van-ban": "x"})
    assert odd.status_code == 200 and 'value="regular" selected' in odd.content.decode()


def test_a_refused_session_says_why_and_creates_nothing(world, cells, as_user):
    client = as_user(world.secretary_a)
    url = reverse("meetings:session_create", args=["CB-A"])
    before = Session.objects.count()
    no_document = client.post(url, _new(kind=SessionKind.STUDY))
    assert no_document.status_code == 400
    assert "Hãy chọn văn bản được học tập tại buổi này." in no_document.content.decode()
    bad_date = client.post(url, _new(held_on="31/02/2024", starts_at="25:99", duration_minutes="-5"))
    assert bad_date.status_code == 400
    body = bad_date.content.decode()
    assert "Nhập ngày theo dạng ngày/tháng/năm" in body and "Nhập giờ theo dạng hh:mm" in body
    tampered = client.post(url, _new(kind="conference", people=["999999"]))
    assert tampered.status_code == 400
    assert Session.objects.count() == before


# ---------------------------------------------------------------------------------- one session


@pytest.mark.parametrize(
    ("persona", "which", "status", "acts"),
    [
        ("office", "a", 200, True),
        ("office", "b", 200, True),
        ("leader", "a", 200, False),
        ("inspection", "a", 200, False),
        ("secretary_a", "a", 200, True),
        ("secretary_a", "b", 404, False),
        ("member_a", "a", 404, False),
        ("stranger", "a", 404, False),
    ],
)
def test_the_session_page_by_persona(world, cells, as_user, persona, which, status, acts):
    session = cells[which]
    # member_a is invited, yet uses their own page: the organiser's page is not theirs.
    services.invitees_add(actor=world.office, session=cells["a"], person_ids=[world.member_a_person.pk])
    response = _client(as_user, world, persona).get(session.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert cells["members_a" if which == "a" else "members_b"][0].person.full_name in body
        assert reverse("meetings:attendance_export", args=[session.pk]) in body
        for name in ("attendance", "session_edit", "minutes", "attendance_import", "invitees_add"):
            assert (reverse(f"meetings:{name}", args=[session.pk]) in body) == acts, name


def test_the_session_page_shows_replies_attendance_and_counts(world, cells, as_user):
    session = cells["a"]
    asker, absent, present = cells["members_a"]
    asking = _invitation(session, asker)
    services.invitation_reply(
        actor=world.office,
        invitation=asking,
        reply=Reply.EXCUSED,
        reason="Đi công tác",
        expected_version=asking.version,
    )
    assert "Đi công tác" in as_user(world.secretary_a).get(session.get_absolute_url()).content.decode()
    mark_all(world, session, **{str(absent.person_id): Attendance.UNEXCUSED, str(asker.person_id): "excused"})
    body = as_user(world.leader).get(session.get_absolute_url()).content.decode()
    counts = body.split('id="counts"', 1)[1].split("</ul>", 1)[0]
    assert [part.split("</strong>")[0] for part in counts.split("<strong>")[1:]] == ["3", "1", "1", "1", "0"]


def test_a_short_regular_meeting_and_an_unmarked_past_one_are_pointed_out(world, cells, as_user):
    client = as_user(world.secretary_a)
    short = make_session(world, world.cell_a, duration_minutes=60, held_on=today() - timedelta(days=1))
    body = client.get(short.get_absolute_url()).content.decode()
    assert 'id="too-short"' in body and 'id="unmarked"' in body
    long_enough = make_session(world, world.cell_a, duration_minutes=120)
    body = client.get(long_enough.get_absolute_url()).content.decode()
    assert 'id="too-short"' not in body and 'id="unmarked"' not in body  # today: not passed yet
    mark_all(world, short)
    assert 'id="unmarked"' not in client.get(short.get_absolute_url()).content.decode()


# ------------------------------------------------------------------------- change and cancel


def _edit(session: Session, **changes) -> dict:
    return {
        "held_on": session.held_on.strftime("%d/%m/%Y"),
        "starts_at": "",
        "duration_minutes": "",
        "place": session.place,
        "title": session.title,
        "version": session.version,
    } | changes


@pytest.mark.parametrize(
    ("persona", "which", "status"),
    [
        ("office", "b", 200),
        ("secretary_a", "a", 200),
        ("secretary_a", "b", 404),
        ("leader", "a", 404),
        ("inspection", "a", 404),
        ("member_a", "a", 404),
        ("stranger", "a", 404),
    ],
)
def test_who_may_change_a_session(world, cells, as_user, persona, which, status):
    session = cells[which]
    client = _client(as_user, world, persona)
    assert client.get(reverse("meetings:session_edit", args=[session.pk])).status_code == status
    if status == 404:
        posted = client.post(reverse("meetings:session_edit", args=[session.pk]), _edit(session, place="X"))
        assert posted.status_code == 404
        session.refresh_from_db()
        assert session.place != "X"


def test_the_secretary_moves_the_meeting_and_a_stale_form_is_refused(world, cells, as_user):
    session = cells["a"]
    client = as_user(world.secretary_a)
    url = reverse("meetings:session_edit", args=[session.pk])
    stale = _edit(session, place="Phòng họp 2")
    moved = _edit(session, place="Phòng họp 1", starts_at="07:30")
    assert client.post(url, moved).status_code == 302
    session.refresh_from_db()
    assert (session.place, f"{session.starts_at:%H:%M}") == ("Phòng họp 1", "07:30")

    response = client.post(url, stale, follow=True)
    assert response.redirect_chain[-1][0] == url and STALE in response.content.decode()
    session.refresh_from_db()
    assert session.place == "Phòng họp 1"
    bad = client.post(url, _edit(session, held_on="hôm qua"))
    assert bad.status_code == 400


def test_cancelling_a_session(world, cells, as_user):
    session = cells["a"]
    url = reverse("meetings:session_cancel", args=[session.pk])
    assert as_user(world.leader).post(url, {"cancel-version": session.version}).status_code == 404
    assert as_user(world.secretary_a).get(url).status_code == 405
    stale = as_user(world.secretary_a).post(url, {"cancel-version": session.version + 5}, follow=True)
    assert STALE in stale.content.decode()
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    done = as_user(world.secretary_a).post(url, {"cancel-version": session.version})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED
    page = as_user(world.secretary_a).get(session.get_absolute_url()).content.decode()
    assert "Đã hủy buổi sinh hoạt" in page and 'id="cancel-form"' not in page
    assert reverse("meetings:attendance", args=[session.pk]) not in page


def test_a_session_with_attendance_cannot_be_cancelled(world, cells, as_user):
    session = mark_all(world, cells["a"])
    url = reverse("meetings:session_cancel", args=[session.pk])
    response = as_user(world.secretary_a).post(url, {"cancel-version": session.version})
    assert response.status_code == 400
    assert "Đã điểm danh: buổi sinh hoạt đã diễn ra, không thể hủy." in response.content.decode()
    session.refresh_from_db()
    assert session.state == SessionState.HELD


# ------------------------------------------------------------------------ withdraw an invitation


def test_the_organiser_withdraws_an_invitation_not_marked_yet(world, cells, as_user):
    session = cells["a"]
    invitation = session.invitations.select_related("person").first()
    page = as_user(world.secretary_a).get(session.get_absolute_url()).content.decode()
    assert f'name="wd-invitation" value="{invitation.pk}"' in page and "Rút giấy mời" in page
    assert "Rút giấy mời" not in as_user(world.leader).get(session.get_absolute_url()).content.decode()
    url = reverse("meetings:invitees_add", args=[session.pk])
    data = {"wd-invitation": invitation.pk, "wd-version": invitation.version}
    assert as_user(world.leader).post(url, data).status_code == 404
    stale = as_user(world.secretary_a).post(url, {**data, "wd-version": invitation.version + 5}, follow=True)
    assert STALE in stale.content.decode()
    assert session.invitations.filter(pk=invitation.pk).exists()
    done = as_user(world.secretary_a).post(url, data, follow=True)
    assert f"Đã rút giấy mời của {invitation.person}" in done.content.decode()
    assert not session.invitations.filter(pk=invitation.pk).exists()
    again = as_user(world.secretary_a).post(url, data)
    assert again.status_code == 400 and "không còn trong danh sách được mời" in again.content.decode()


def test_a_marked_invitee_cannot_be_withdrawn(world, cells, as_user):
    session = mark_all(world, cells["a"])
    invitation = session.invitations.first()
    page = as_user(world.secretary_a).get(session.get_absolute_url()).content.decode()
    assert 'name="wd-invitation"' not in page
    url = reverse("meetings:invitees_add", args=[session.pk])
    response = as_user(world.secretary_a).post(
        url, {"wd-invitation": invitation.pk, "wd-version": invitation.version}
    )
    assert response.status_code == 400 and 'id="withdraw-errors"' in response.content.decode()
    assert session.invitations.filter(pk=invitation.pk).exists()


# --------------------------------------------------------------------------------- invite more


def test_inviting_again_by_the_rule_adds_a_member_who_joined(world, cells, as_user):
    session = cells["a"]
    newcomer = members_of(world, world.cell_a, 1, prefix="Người mới")[0]
    url = reverse("meetings:invitees_add", args=[session.pk])
    assert as_user(world.leader).post(url, {"inv-action": "refresh"}).status_code == 404
    assert as_user(world.secretary_a).post(url, {"inv-action": "refresh"}).status_code == 302
    assert session.invitations.filter(person_id=newcomer.person_id).exists()


def test_adding_chosen_people(world, cells, as_user):
    session = cells["a"]
    url = reverse("meetings:invitees_add", args=[session.pk])
    client = as_user(world.secretary_a)
    empty = client.post(url, {"inv-action": "add"})
    assert empty.status_code == 400
    outside = client.post(url, {"inv-action": "add", "inv-people": [world.member_b_person.pk]})
    assert outside.status_code == 400  # not of the secretary's cell: not a choice
    added = client.post(url, {"inv-action": "add", "inv-people": [world.member_a_person.pk]})
    assert added.status_code == 302
    assert session.invitations.filter(person=world.member_a_person).exists()
    assert not session.invitations.filter(person=world.member_b_person).exists()


# ----------------------------------------------------------------------------------- attendance


@pytest.mark.parametrize(
    ("persona", "which", "status"),
    [
        ("office", "b", 200),
        ("secretary_a", "a", 200),
        ("secretary_a", "b", 404),
        ("leader", "a", 404),
        ("inspection", "a", 404),
        ("member_a", "a", 404),
        ("stranger", "a", 404),
    ],
)
def test_who_may_mark_attendance(world, cells, as_user, persona, which, status):
    session = cells[which]
    client = _client(as_user, world, persona)
    url = reverse("meetings:attendance", args=[session.pk])
    assert client.get(url).status_code == status
    if status == 404:
        assert client.post(url, _sheet(session)).status_code == 404
        assert not session.invitations.exclude(attendance="").exists()


def test_the_sheet_comes_prefilled_and_the_secretary_changes_only_the_absent(world, cells, as_user):
    session = cells["a"]
    asker, absent, present = cells["members_a"]
    asking = _invitation(session, asker)
    services.invitation_reply(
        actor=world.office,
        invitation=asking,
        reply=Reply.EXCUSED,
        reason="Đi công tác",
        expected_version=asking.version,
    )
    client = as_user(world.secretary_a)
    url = reverse("meetings:attendance", args=[session.pk])
    page = client.get(url).content.decode()
    assert {pk: _checked(page, pk) for pk in session.invitations.values_list("pk", flat=True)} == {
        asking.pk: Attendance.EXCUSED,
        _invitation(session, absent).pk: Attendance.PRESENT,
        _invitation(session, present).pk: Attendance.PRESENT,
    }
    assert f'name="r_{asking.pk}" value="Đi công tác"' in page  # the reason they gave, ready to keep

    # What the page posts unchanged, but for one absentee without reason.
    data = {"version": session.version}
    for invitation in session.invitations.all():
        status = {asking.pk: "excused"}.get(invitation.pk, "present")
        data |= {f"a_{invitation.pk}": status, f"r_{invitation.pk}": "Đi công tác" * (status == "excused")}
    data[f"a_{_invitation(session, absent).pk}"] = "unexcused"
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(session.get_absolute_url(), 302)]
    assert "Đã lưu điểm danh: 1 có mặt, 1 vắng có lý do, 1 vắng không lý do." in response.content.decode()
    marked = dict(session.invitations.values_list("person_id", "attendance"))
    assert marked == {
        asker.person_id: Attendance.EXCUSED,
        absent.person_id: Attendance.UNEXCUSED,
        present.person_id: Attendance.PRESENT,
    }
    assert _invitation(session, asker).reason == "Đi công tác"
    again = client.get(url).content.decode()  # a second visit shows what was saved
    assert _checked(again, _invitation(session, absent).pk) == Attendance.UNEXCUSED
    session.refresh_from_db()
    assert session.state == SessionState.HELD


def test_an_excused_absence_without_reason_is_refused_and_nothing_saved(world, cells, as_user):
    session = cells["a"]
    quiet = _invitation(session, cells["members_a"][1])
    response = as_user(world.secretary_a).post(
        reverse("meetings:attendance", args=[session.pk]),
        _sheet(session, {quiet: (Attendance.EXCUSED, "  ")}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{quiet.person.full_name}: hãy ghi lý do vắng." in body
    assert not session.invitations.exclude(attendance="").exists()
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED


def test_tampered_attendance_is_refused(world, cells, as_user):
    session = cells["a"]
    one = session.invitations.first()
    response = as_user(world.secretary_a).post(
        reverse("meetings:attendance", args=[session.pk]), _sheet(session, {one: ("maybe", "")})
    )
    assert response.status_code == 400
    no_version = _sheet(session) | {"version": "x"}
    assert (
        as_user(world.secretary_a)
        .post(reverse("meetings:attendance", args=[session.pk]), no_version)
        .status_code
        == 400
    )
    assert not session.invitations.exclude(attendance="").exists()


def test_a_stale_sheet_is_refused(world, cells, as_user):
    session = cells["a"]
    client = as_user(world.secretary_a)
    url = reverse("meetings:attendance", args=[session.pk])
    read_by_two = _sheet(session)
    assert client.post(url, read_by_two).status_code == 302
    second = _sheet(session, {_invitation(session, cells["members_a"][0]): (Attendance.UNEXCUSED, "")})
    second["version"] = read_by_two["version"]
    response = client.post(url, second, follow=True)
    assert response.redirect_chain[-1][0] == url and STALE in response.content.decode()
    assert set(session.invitations.values_list("attendance", flat=True)) == {Attendance.PRESENT}


def test_a_second_tap_on_save_sends_the_same_sheet_and_is_told_it_is_saved(world, cells, as_user):
    session = cells["a"]
    client = as_user(world.secretary_a)
    url = reverse("meetings:attendance", args=[session.pk])
    sheet = _sheet(session, {_invitation(session, cells["members_a"][0]): (Attendance.UNEXCUSED, "")})
    assert client.post(url, sheet).status_code == 302
    again = client.post(url, sheet, follow=True)  # the same form, read at the same version
    assert again.redirect_chain[-1][0] == session.get_absolute_url()
    assert STALE not in again.content.decode()
    assert sorted(session.invitations.values_list("attendance", flat=True)) == sorted(
        [Attendance.UNEXCUSED] + [Attendance.PRESENT] * (session.invitations.count() - 1)
    )


def test_the_sheet_waits_for_the_day_of_the_session(world, cells, as_user):
    coming = make_session(world, world.cell_a, held_on=today() + timedelta(days=3))
    client = as_user(world.secretary_a)
    url = reverse("meetings:attendance", args=[coming.pk])
    page = client.get(url).content.decode()
    assert 'id="not-open"' in page and 'id="attendance-form"' not in page
    response = client.post(url, _sheet(coming))
    assert response.status_code == 400
    assert "Chỉ điểm danh từ ngày diễn ra buổi sinh hoạt trở đi." in response.content.decode()


def test_the_sheet_costs_the_same_queries_for_one_invitee_or_many(world, as_user):
    members_of(world, world.cell_a, 1)
    few = make_session(world, world.cell_a)
    members_of(world, world.cell_a, 9, prefix="Thêm")
    many = make_session(world, world.cell_a)
    assert (few.invitations.count(), many.invitations.count()) == (1, 10)
    client = as_user(world.secretary_a)
    client.get(reverse("meetings:attendance", args=[few.pk]))
    counts = []
    for session in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("meetings:attendance", args=[session.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        client.get(many.get_absolute_url())
    with CaptureQueriesContext(connection) as few_queries:
        client.get(few.get_absolute_url())
    assert len(queries) == len(few_queries)  # the session's page too


# -------------------------------------------------------------------------------------- minutes


@pytest.mark.parametrize(
    ("persona", "which", "status"),
    [
        ("office", "b", 200),
        ("secretary_a", "a", 200),
        ("secretary_a", "b", 404),
        ("leader", "a", 404),
        ("member_a", "a", 404),
        ("stranger", "a", 404),
    ],
)
def test_who_may_write_the_minutes(world, cells, as_user, persona, which, status):
    url = reverse("meetings:minutes", args=[cells[which].pk])
    assert _client(as_user, world, persona).get(url).status_code == status


def _minutes(session: Session, **changes) -> dict:
    return {
        "chair": "Nguyễn Văn Bí Thư",
        "recorder": "Hoàng Thị Thư Ký",
        "duration_minutes": "100",
        "minutes": "Đánh giá công tác tháng.",
        "resolution": "Chi bộ thống nhất nhiệm vụ tháng tới.",
        "version": session.version,
    } | changes


def test_the_secretary_writes_the_minutes_with_a_file_that_readers_download(
    world, cells, as_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    session = cells["a"]
    client = as_user(world.secretary_a)
    url = reverse("meetings:minutes", args=[session.pk])
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(url, _minutes(session, minutes_file=upload))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.chair, session.duration_minutes, session.state) == ("Nguyễn Văn Bí Thư", 100, "held")
    body = as_user(world.leader).get(session.get_absolute_url()).content.decode()
    assert "Chi bộ thống nhất nhiệm vụ tháng tới." in body
    file_url = reverse("meetings:minutes_file", args=[session.pk])
    download = as_user(world.leader).get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "bien-ban.pdf" in download["Content-Disposition"]
    assert as_user(world.member_a).get(file_url).status_code == 404
    assert as_user(world.stranger).get(file_url).status_code == 404
    assert (
        as_user(world.office).get(reverse("meetings:minutes_file", args=[cells["b"].pk])).status_code == 404
    )


def test_a_refused_minutes_file_says_why_and_saves_nothing(world, cells, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = cells["a"]
    client = as_user(world.secretary_a)
    url = reverse("meetings:minutes", args=[session.pk])
    program = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    response = client.post(url, _minutes(session, minutes_file=program))
    assert response.status_code == 400
    session.refresh_from_db()
    assert (session.chair, session.minutes_file.name, session.state) == ("", "", SessionState.PLANNED)
    early = make_session(world, world.cell_a, held_on=today() + timedelta(days=2))
    refused = client.post(reverse("meetings:minutes", args=[early.pk]), _minutes(early))
    assert refused.status_code == 400
    assert "Biên bản được ghi từ ngày diễn ra buổi sinh hoạt trở đi." in refused.content.decode()
    stale = client.post(url, _minutes(session, version=session.version + 3), follow=True)
    assert STALE in stale.content.decode()
    session.refresh_from_db()
    assert session.chair == ""


def test_the_list_shows_fifty_sessions_a_page_and_keeps_its_filters(world, as_user):
    """A committee's year has hundreds of sessions (every cell meets monthly): the list pages them,
    and the next page keeps the year and the kind chosen."""
    day = today().replace(day=1)
    for n in range(51):
        make_session(world, world.cell_a, SessionKind.REGULAR, held_on=day - timedelta(days=n % 28))
    make_session(world, world.root, SessionKind.CONFERENCE, held_on=day)
    client = as_user(world.office)
    url = reverse("meetings:sessions", args=["DU"])
    first = client.get(url, {"nam": day.year, "loai": SessionKind.REGULAR}).content.decode()
    assert first.count('class="status status-session-') == 50
    assert f"?nam={day.year}&amp;loai=regular&amp;trang=2" in first
    second = client.get(url, {"nam": day.year, "loai": SessionKind.REGULAR, "trang": 2}).content.decode()
    assert second.count('class="status status-session-') == 1
