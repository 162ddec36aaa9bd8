"""A session's attendance from Excel: the template goes round, every problem is named by row and
column with nothing written, a sheet confirmed after someone else marked is refused, and only the
session's organisers may import."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.meetings import imports, services
from dangvu.meetings.choices import Attendance, Reply, SessionState
from dangvu.meetings.models import Invitation
from dangvu.testing import make_member

from .factories import make_session, mark_all, today

pytestmark = pytest.mark.django_db
HEADERS = ["Mã", "Họ và tên", "Ngày sinh", "Điểm danh", "Lý do"]


def xlsx(headers: list, rows: list[list], title: str | None = None) -> SimpleUploadedFile:
    """A workbook made in memory as an office would fill it: an optional title row, the header, rows."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("diem-danh.xlsx", out.getvalue())


def preview(client, session, upload):
    response = client.post(reverse("meetings:attendance_import", args=[session.pk]), {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, session, previewed):
    return client.post(
        reverse("meetings:attendance_import", args=[session.pk]),
        {"token": previewed.context["token"], "on_duplicate": "stop"},
    )


def problems_of(response) -> dict[tuple[int, str], str]:
    return {(p.row, p.column): p.message for p in response.context["report"].problems}


def marks(session) -> dict[str, tuple[str, str]]:
    return {
        i.person.full_name: (i.attendance, i.reason) for i in session.invitations.select_related("person")
    }


@pytest.fixture
def meeting(world):
    """CB-A's regular meeting today: An, Bình, Cường (born 1979), another Cường (born 1990) and a
    member named like a formula; CB-B's meeting today with Dũng."""
    people = {
        "an": make_member(world.admin, world.cell_a, "Nguyễn Văn An", born=date(1980, 5, 1)),
        "binh": make_member(world.admin, world.cell_a, "Trần Thị Bình", born=date(1985, 2, 3)),
        "cuong": make_member(world.admin, world.cell_a, "Lê Văn Cường", born=date(1979, 1, 9)),
        "cuong2": make_member(world.admin, world.cell_a, "Lê Văn Cường", born=date(1990, 7, 7)),
        "formula": make_member(world.admin, world.cell_a, "=cmd"),
        "dung": make_member(world.admin, world.cell_b, "Phạm Văn Dũng"),
    }
    session = make_session(world, world.cell_a)
    other = make_session(world, world.cell_b)
    return session, other, people


def _code(session, member) -> int:
    return session.invitations.get(person=member.person).pk


def test_the_template_round_trip_saves_the_marks(world, as_user, meeting):
    session, _other, people = meeting
    client = as_user(world.secretary_a)
    template = client.get(reverse("meetings:attendance_import_template", args=[session.pk]))
    assert template.status_code == 200
    book = load_workbook(BytesIO(template.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == ["Mã", "Họ và tên", "Ngày sinh", "Trả lời", "Điểm danh", "Lý do"]
    assert book.sheetnames[1] == "Hướng dẫn"  # the guide explains each column
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 5 and all(row[4].value is None for row in rows)  # nothing marked yet
    assert {row[0].value for row in rows} == set(session.invitations.values_list("pk", flat=True))
    # The secretary fills it in as people do: short forms, no diacritics, any case; Cường left blank.
    filled = {"Nguyễn Văn An": ("co mat", None), "Trần Thị Bình": ("VẮNG CÓ LÝ DO", "Đi công tác")}
    filled["'=cmd"] = ("vkld", None)
    for row in rows:
        status, reason = filled.get(row[1].value, (None, None))
        row[4].value, row[5].value = status, reason
    out = BytesIO()
    book.save(out)
    previewed = preview(client, session, SimpleUploadedFile("mau.xlsx", out.getvalue()))
    report = previewed.context["report"]
    assert (report.problems, report.updated, report.skipped) == ([], 3, 2)
    assert all(a == "" for a, _r in marks(session).values())  # a preview writes nothing
    done = confirm(client, session, previewed)
    assert done.status_code == 302 and done["Location"] == reverse("meetings:attendance", args=[session.pk])
    assert marks(session) == {
        "Nguyễn Văn An": (Attendance.PRESENT, ""),
        "Trần Thị Bình": (Attendance.EXCUSED, "Đi công tác"),
        "Lê Văn Cường": ("", ""),  # both left blank: unmarked
        "=cmd": (Attendance.UNEXCUSED, ""),
    }
    session.refresh_from_db()
    assert session.state == SessionState.HELD


def test_one_bad_row_refuses_the_whole_sheet_and_the_report_names_it(world, as_user, meeting):
    session, _other, people = meeting
    client = as_user(world.secretary_a)
    rows = [
        [_code(session, people["an"]), "Nguyễn Văn An", None, "Có mặt", None],
        [_code(session, people["binh"]), "Trần Thị Bình", None, "đến muộn", None],
    ]
    previewed = preview(client, session, xlsx(HEADERS, rows, title="Danh sách điểm danh"))
    problems = problems_of(previewed)
    assert list(problems) == [(4, "Điểm danh")]  # under the title and the header
    assert "“đến muộn”" in problems[(4, "Điểm danh")] and "Vắng có lý do" in problems[(4, "Điểm danh")]
    assert "token" not in previewed.context or not previewed.context["report"].ok
    assert all(a == "" for a, _r in marks(session).values())
    # Run for real (not a preview), the good row is not written either.
    report = imports.run_attendance(
        xlsx(HEADERS, rows).file,
        imports.AttendancePlan(actor=world.secretary_a, session=session, expected_version=session.version),
        dry_run=False,
    )
    assert not report.ok and not Invitation.objects.exclude(attendance="").exists()
    session.refresh_from_db()
    assert (session.state, session.version) == (SessionState.PLANNED, 1)


def test_every_problem_is_reported_by_row_and_column(world, as_user, meeting):
    session, other, people = meeting
    client = as_user(world.office)
    dung_code = other.invitations.get().pk
    rows = [
        [999999, "Nguyễn Văn An", None, "Có mặt", None],  # 2: an unknown code
        # 3: an invitee of another session reads as unknown (the file learns nothing of elsewhere)
        [dung_code, "Phạm Văn Dũng", None, "Có mặt", None],
        [None, "Hồ Văn Lạ", None, "Có mặt", None],  # 4: nobody of this name
        [_code(session, people["an"]), "Trần Thị Bình", None, "Có mặt", None],  # 5: the code is An's
        [None, "Trần Thị Bình", None, "Vắng có lý do", None],  # 6: no reason
        [None, "Lê Văn Cường", None, "Có mặt", None],  # 7: two of this name
        [None, "Lê Văn Cường", "09/01/1979", None, "ốm"],  # 8: a reason without an attendance
        [None, "Nguyễn Văn An", None, "Có mặt", None],  # 9: fine
        [_code(session, people["an"]), "Nguyễn Văn An", None, "Có mặt", None],  # 10: An again
        [None, "Lê Văn Cường", "07/07/1990", "Có mặt", None],  # 11: fine: told apart by the birth date
        ["abc", "'=cmd", "30/02/2000", "Có mặt", None],  # 12: a bad date, a code that is none
    ]
    problems = problems_of(preview(client, session, xlsx(HEADERS, rows)))
    assert problems == {
        (2, "Mã"): "Không có giấy mời nào có mã “999999”.",
        (3, "Mã"): f"Không có giấy mời nào có mã “{dung_code}”.",
        (4, "Họ và tên"): "Không có người nào tên này được mời dự buổi này.",
        (5, "Họ và tên"): f"Mã {_code(session, people['an'])} là giấy mời của Nguyễn Văn An.",
        (6, "Lý do"): "Trần Thị Bình: hãy ghi lý do vắng.",
        (7, "Họ và tên"): "Có nhiều người được mời cùng tên: hãy ghi mã hoặc ngày sinh.",
        (8, "Điểm danh"): "Hãy ghi điểm danh của Lê Văn Cường, hoặc xóa lý do.",
        (10, "Họ và tên"): "Dòng 9 đã có người được mời này.",
        (12, "Ngày sinh"): "“30/02/2000” không phải là ngày (dd/mm/yyyy).",
        (12, "Mã"): "Không có giấy mời nào có mã “abc”.",
    }
    assert not Invitation.objects.exclude(attendance="").exists()


def test_an_excuse_sent_before_stands_as_the_reason(world, as_user, meeting):
    session, _other, people = meeting
    invitation = session.invitations.get(person=people["binh"].person)
    services.invitation_reply(
        actor=world.admin, invitation=invitation, reply=Reply.EXCUSED, reason="Ốm", expected_version=1
    )
    client = as_user(world.secretary_a)
    template = load_workbook(
        BytesIO(client.get(reverse("meetings:attendance_import_template", args=[session.pk])).content)
    )
    replies = {row[1]: row[3] for row in template.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert replies["Trần Thị Bình"] == "Xin vắng: Ốm"
    previewed = preview(client, session, xlsx(HEADERS, [[None, "Trần Thị Bình", None, "VCLD", None]]))
    assert problems_of(previewed) == {}
    confirm(client, session, previewed)
    assert marks(session)["Trần Thị Bình"] == (Attendance.EXCUSED, "Ốm")


def test_a_sheet_confirmed_after_someone_else_marked_is_refused(world, as_user, meeting):
    session, _other, people = meeting
    client = as_user(world.secretary_a)
    previewed = preview(
        client, session, xlsx(HEADERS, [[None, "Nguyễn Văn An", None, "Vắng không lý do", None]])
    )
    assert previewed.context["report"].ok
    mark_all(world, session)  # the office marks everyone present meanwhile
    refused = confirm(client, session, previewed)
    assert refused.status_code == 200
    (message,) = problems_of(refused).values()
    assert "thay đổi" in message
    assert marks(session)["Nguyễn Văn An"] == (Attendance.PRESENT, "")


def test_a_file_with_no_attendance_or_not_a_workbook_is_refused_with_a_message(world, as_user, meeting):
    session, _other, _people = meeting
    client = as_user(world.secretary_a)
    blank = problems_of(preview(client, session, xlsx(HEADERS, [[None, "Nguyễn Văn An", None, None, None]])))
    assert blank == {(2, "Điểm danh"): "Không có dòng nào ghi điểm danh."}
    no_column = problems_of(preview(client, session, xlsx(["Họ và tên"], [["Nguyễn Văn An"]])))
    assert no_column == {(2, "Điểm danh"): "Tệp không có cột “Điểm danh”."}
    fake = preview(client, session, SimpleUploadedFile("a.xlsx", b"=cmd|' /C calc'!A0"))
    assert "Excel" in str(fake.context["form"].errors["file"])
    assert not Invitation.objects.exclude(attendance="").exists()


def test_a_session_in_the_future_cannot_be_marked(world, as_user, meeting):
    _session, _other, people = meeting
    coming = make_session(world, world.cell_a, held_on=today() + timedelta(days=3))
    client = as_user(world.secretary_a)
    problems = problems_of(
        preview(client, coming, xlsx(HEADERS, [[None, "Nguyễn Văn An", None, "Có mặt", None]]))
    )
    assert list(problems.values()) == ["Chỉ điểm danh từ ngày diễn ra buổi sinh hoạt trở đi."]


PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "stranger")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_sessions_organisers_may_import(world, client, meeting, persona):
    """The leader and the inspection see the session and download its sheet, but do not mark it;
    the secretary of CB-A does not reach CB-B's session at all."""
    session, other, _people = meeting
    client.force_login(getattr(world, persona))
    allowed = {session.pk: {"office", "secretary_a"}, other.pk: {"office"}}
    for pk, organisers in allowed.items():
        for name in ("meetings:attendance_import", "meetings:attendance_import_template"):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == (200 if persona in organisers else 404), (name, pk)
        upload = xlsx(HEADERS, [[None, "Nguyễn Văn An", None, "Có mặt", None]])
        posted = client.post(reverse("meetings:attendance_import", args=[pk]), {"file": upload})
        assert posted.status_code == (200 if persona in organisers else 404)
    assert not Invitation.objects.exclude(attendance="").exists()


def test_a_token_from_another_session_is_not_confirmed(world, as_user, meeting):
    session, other, _people = meeting
    client = as_user(world.office)
    previewed = preview(client, session, xlsx(HEADERS, [[None, "Nguyễn Văn An", None, "Có mặt", None]]))
    response = client.post(
        reverse("meetings:attendance_import", args=[other.pk]), {"token": previewed.context["token"]}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exclude(attendance="").exists()
