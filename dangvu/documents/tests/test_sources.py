"""Drafts written from another page's data (issue 12 point 4): a session's invitation and minutes,
the inspection programme of a year, a badge batch's submission and list. The builders' Content and
DOCX, one PDF, who may write each (the personas), the refusals, the health-data rule, the buttons."""

import io
from collections import Counter
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangvu.badges import proposals
from dangvu.badges.choices import Early
from dangvu.badges.tests import factories as badge_factories
from dangvu.core.access import scope_for
from dangvu.core.models import PersonalDataAccess
from dangvu.core.periods import today
from dangvu.documents import selectors, services
from dangvu.documents.builders.badges import _request as badge_request
from dangvu.documents.builders.badges import badge_list_draft
from dangvu.documents.builders.meetings import _participants, invitation_draft, minutes_draft
from dangvu.documents.builders.programme import _summary as programme_summary
from dangvu.documents.builders.programme import programme_draft
from dangvu.documents.builders.source_common import lower_first
from dangvu.documents.choices import DocState, DocType
from dangvu.documents.models import Document
from dangvu.documents.render import Heading
from dangvu.documents.source_views import parse_batch
from dangvu.meetings import services as meeting_services
from dangvu.meetings.choices import Attendance, Invitees, SessionKind
from dangvu.meetings.tests import factories as meeting_factories
from dangvu.programme import services as programme_services
from dangvu.programme.choices import ItemKind, ItemState
from dangvu.programme.tests import factories as programme_factories
from dangvu.testing import make_member, query_count

from .factories import docx_lines, section

pytestmark = pytest.mark.django_db

HEADING = Heading(superior="ĐẢNG BỘ THỬ NGHIỆM", issuer="CHI BỘ A", number_line="Số 01-GM/CB", place_date="")


def _docx_text(content) -> str:
    """The DOCX of a Content: its paragraphs and its tables' cells."""
    return "\n".join(docx_lines(selectors.render(HEADING, content, "docx")))


# ----------------------------------------------------------------------------------- meetings


def _cell_members(world):
    """Three members of cell A whose given names sort An, Bình, Cường (not by family name)."""
    return [
        make_member(world.admin, world.cell_a, name)
        for name in ("Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Cường")
    ]


def _meeting(world, *, held_on=None, **extra):
    fields = {"starts_at": time(14, 0), "duration_minutes": 120, "place": "Hội trường tầng 2"}
    return meeting_factories.make_session(
        world,
        world.cell_a,
        SessionKind.REGULAR,
        held_on=held_on or today() - timedelta(days=3),
        **(fields | extra),
    )


def _held(world, session):
    """Cường absent with a reason, Bình without; the minutes written."""
    by_name = {i.person.full_name: i for i in session.invitations.select_related("person")}
    session = meeting_factories.mark_all(
        world,
        session,
        **{
            str(by_name["Lê Văn Cường"].person_id): Attendance.EXCUSED,
            str(by_name["Trần Văn Bình"].person_id): Attendance.UNEXCUSED,
        },
    )
    return meeting_services.minutes_save(
        actor=world.office,
        session=session,
        expected_version=session.version,
        chair="Nguyễn Văn Bí Thư",
        recorder="Nguyễn Thị An",
        minutes="Chi bộ thảo luận kết quả tháng.",
        resolution="Chi bộ thống nhất thực hiện nhiệm vụ tháng tới.",
        duration_minutes=120,
    )


def test_the_invitation_says_when_where_what_and_lists_the_invitees_by_given_name(world):
    _cell_members(world)
    held_on = today() + timedelta(days=7)
    session = _meeting(world, held_on=held_on)
    draft = invitation_draft(session, on=today())
    content = draft.content
    assert content.type_name == "GIẤY MỜI"
    assert content.subject == f"dự sinh hoạt chi bộ thường kỳ tháng {held_on:%m/%Y}"
    assert content.addressee == "Kính mời: các đồng chí có tên trong danh sách kèm theo"
    weekday = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")[held_on.weekday()]
    assert section(content, "time").text == f"Thời gian: 14 giờ 00, {weekday}, ngày {held_on:%d/%m/%Y}."
    assert section(content, "place").text == "Địa điểm: Hội trường tầng 2."
    assert section(content, "content").text == f"Nội dung: Sinh hoạt chi bộ thường kỳ tháng {held_on:%m/%Y}."
    assert section(content, "request").text == "Đề nghị các đồng chí sắp xếp công việc, đến dự đúng giờ."
    table = section(content, "invitees").table
    assert table.numbered and table.columns == ["Họ và tên", "Chi bộ"]
    assert [row[0] for row in table.rows] == ["Nguyễn Thị An", "Trần Văn Bình", "Lê Văn Cường"]
    assert {row[1] for row in table.rows} == {"Chi bộ A"}
    assert (
        content.signatures[0].authority == "T/M CHI BỘ" and content.signatures[0].name == "Nguyễn Văn Bí Thư"
    )
    assert (draft.organization, draft.year, draft.source) == (
        world.cell_a,
        held_on.year,
        f"session:{session.pk}",
    )
    assert len(draft.figures["invitees"]) == 3
    text = _docx_text(content)
    assert "GIẤY MỜI" in text and "Lê Văn Cường" in text and "Hội trường tầng 2" in text


def test_the_invitation_to_a_study_session_lists_the_documents(world):
    document = meeting_factories.set_document(world, title="Nghị quyết về xây dựng Đảng")
    session = meeting_factories.make_session(
        world, world.cell_a, SessionKind.STUDY, held_on=today() + timedelta(days=2), documents=[document]
    )
    content = invitation_draft(session, on=today()).content
    assert content.subject == "dự hội nghị học tập, quán triệt"
    text = section(content, "content").text
    assert "Các văn bản học tập, quán triệt:" in text
    assert "- Nghị quyết về xây dựng Đảng (số 01-NQ/TW, của Ban Chấp hành Trung ương);" in text


def test_an_invitation_to_one_person_names_them_and_a_conference_says_so(world):
    session = meeting_factories.make_session(
        world,
        world.root,
        SessionKind.CONFERENCE,
        held_on=today() + timedelta(days=3),
        title="Tổng kết công tác năm",
        invitees=Invitees.CHOSEN,
        person_ids=[world.secretary_a_person.pk],
    )
    content = invitation_draft(session, on=today()).content
    assert content.addressee == "Kính mời: Đồng chí Nguyễn Văn Bí Thư"
    # the title follows other words: its first letter is lowered, not capitalised mid-sentence
    assert content.subject == "dự hội nghị tổng kết công tác năm"
    assert section(content, "content").text == "Nội dung: Tổng kết công tác năm."  # a sentence's start
    assert section(content, "time").text.startswith("Thời gian: …… giờ ……, ")  # no time: a blank


def test_a_thematic_title_is_lowered_after_the_colon_but_an_abbreviation_is_kept(world):
    session = meeting_factories.make_session(
        world,
        world.cell_a,
        SessionKind.THEMATIC,
        held_on=today() + timedelta(days=3),
        title="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    content = invitation_draft(session, on=today()).content
    assert content.subject == (
        "dự sinh hoạt chuyên đề: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    )
    assert lower_first("BCH Đoàn thanh niên") == "BCH Đoàn thanh niên"
    assert lower_first("Hội nghị") == "hội nghị" and lower_first("") == ""


def test_a_cancelled_session_has_no_invitation(world):
    session = _meeting(world, held_on=today() + timedelta(days=5))
    meeting_services.session_cancel(actor=world.office, session=session, expected_version=session.version)
    with pytest.raises(ValidationError):
        invitation_draft(session, on=today())


def test_the_minutes_of_a_held_meeting(world):
    _cell_members(world)
    session = _held(world, _meeting(world))
    draft = minutes_draft(session, on=today())
    content = draft.content
    assert content.type_name == "BIÊN BẢN"
    assert content.subject == f"sinh hoạt chi bộ thường kỳ tháng {session.held_on:%m/%Y}"
    assert "tại Hội trường tầng 2, Chi bộ A tiến hành sinh hoạt chi bộ" in section(content, "time_place").text
    people = section(content, "participants").text
    assert "Chủ trì: Đồng chí Nguyễn Văn Bí Thư." in people
    assert "Thư ký: Đồng chí Nguyễn Thị An." in people
    assert "Có mặt: 1/3 đồng chí được mời." in people
    assert "Vắng có lý do: 1 đồng chí:\n- Đồng chí Lê Văn Cường (ốm);" in people
    assert "Vắng không có lý do: 1 đồng chí:\n- Đồng chí Trần Văn Bình;" in people
    assert section(content, "content").text == "Chi bộ thảo luận kết quả tháng."
    assert section(content, "resolution").text == "Chi bộ thống nhất thực hiện nhiệm vụ tháng tới."
    assert section(content, "closing").text == "Buổi sinh hoạt kết thúc vào lúc 16 giờ 00 cùng ngày."
    assert [(s.authority, s.title, s.name) for s in content.signatures] == [
        ("", "THƯ KÝ", "Nguyễn Thị An"),
        ("", "CHỦ TRÌ", "Nguyễn Văn Bí Thư"),
    ]
    assert content.recipients == []
    text = _docx_text(content)
    assert "BIÊN BẢN" in text and "Lê Văn Cường (ốm)" in text and "CHỦ TRÌ" in text


def test_the_minutes_group_large_counts_as_the_article_writes_them():
    """ "Có mặt: 1.020/1.050": every count of the prose through rules.grouped."""
    statuses = [Attendance.PRESENT] * 1020 + [Attendance.EXCUSED] * 20 + [Attendance.UNEXCUSED] * 10
    invitations = [
        SimpleNamespace(attendance=status, reason="ốm", person=SimpleNamespace(full_name=f"Người {n}"))
        for n, status in enumerate(statuses)
    ]
    people = _participants(SimpleNamespace(chair="A", recorder="B"), invitations)
    assert "Có mặt: 1.020/1.050 đồng chí được mời." in people
    assert "Vắng có lý do: 20 đồng chí:" in people and "Vắng không có lý do: 10 đồng chí:" in people
    many_unmarked = invitations + [
        SimpleNamespace(attendance="", reason="", person=SimpleNamespace(full_name=f"Chưa {n}"))
        for n in range(1200)
    ]
    assert "Chưa điểm danh: 1.200 đồng chí:" in _participants(
        SimpleNamespace(chair="A", recorder="B"), many_unmarked
    )


def test_minutes_without_a_known_end_leave_a_blank(world):
    _cell_members(world)
    session = _held(world, _meeting(world, starts_at=None))
    closing = section(minutes_draft(session, on=today()).content, "closing").text
    assert closing == "Buổi sinh hoạt kết thúc vào lúc …… giờ …… cùng ngày."


def test_minutes_are_refused_before_the_meeting_is_held_and_for_other_sessions(world):
    _cell_members(world)
    planned = _meeting(world, held_on=today() + timedelta(days=5))
    with pytest.raises(ValidationError):
        minutes_draft(planned, on=today())
    study = meeting_factories.make_session(
        world,
        world.cell_a,
        SessionKind.STUDY,
        held_on=today() - timedelta(days=2),
        documents=[meeting_factories.set_document(world, set_on=today() - timedelta(days=5))],
    )
    study = meeting_factories.mark_all(world, study)
    with pytest.raises(ValidationError):
        minutes_draft(study, on=today())


def test_the_minutes_as_pdf_keep_their_diacritics(world):
    from pypdf import PdfReader

    _cell_members(world)
    session = _held(world, _meeting(world))
    data = selectors.render(HEADING, minutes_draft(session, on=today()).content, "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "BIÊN BẢN" in text
    assert "Lê Văn Cường" in text and "thường kỳ" in text


# ---------------------------------------------------------------------------------- programme


def _programme(world, year):
    programme = programme_factories.programme(world, year=year)
    first = programme_factories.item(
        world,
        programme,
        content="Kiểm tra việc chấp hành Điều lệ Đảng",
        subject_cell=world.cell_a,
        starts_on=date(year, 3, 1),
        ends_on=date(year, 3, 31),
        responsible="Ủy ban Kiểm tra",
    )
    programme_factories.item(
        world,
        programme,
        ItemKind.THEMATIC_SUPERVISION,
        content="Giám sát chuyên đề công tác phát triển đảng viên",
        subject_cell=world.cell_b,
        starts_on=date(year, 6, 1),
        ends_on=date(year, 6, 30),
    )
    cancelled = programme_factories.item(
        world,
        programme,
        content="Nội dung đã hủy",
        subject_cell=world.cell_c,
        starts_on=date(year, 9, 1),
        ends_on=date(year, 9, 30),
    )
    programme_services.item_move(
        actor=world.office,
        item=cancelled,
        to=ItemState.CANCELLED,
        expected_version=cancelled.version,
        reason="Trùng",
    )
    return programme, first


def test_the_programme_lists_its_items_but_the_cancelled(world):
    year = today().year - 1
    _programme(world, year)
    draft = programme_draft(world.root, year, on=today())
    content = draft.content
    assert (content.type_name, content.subject) == ("CHƯƠNG TRÌNH", f"kiểm tra, giám sát năm {year}")
    assert [s.heading for s in content.sections] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    assert content.sections[0].editable and content.sections[2].editable
    items = section(content, "items")
    assert (
        items.text
        == f"Năm {year}, Đảng ủy Thử nghiệm tiến hành kiểm tra 1 cuộc, giám sát 1 cuộc, cụ thể như sau:"
    )
    assert items.table.numbered and items.table.columns == ["Nội dung", "Đối tượng", "Thời gian", "Thực hiện"]
    assert items.table.rows == [
        [
            "Kiểm tra việc chấp hành Điều lệ Đảng",
            "Chi bộ A",
            f"01/03/{year} – 31/03/{year}",
            "Ủy ban Kiểm tra",
        ],
        ["Giám sát chuyên đề công tác phát triển đảng viên", "Chi bộ B", f"01/06/{year} – 30/06/{year}", ""],
    ]
    assert (draft.year, draft.source) == (year, f"programme:DU:{year}")
    assert len(draft.figures["items"]) == 2
    text = _docx_text(content)
    assert "CHƯƠNG TRÌNH" in text and "Giám sát chuyên đề công tác phát triển đảng viên" in text
    assert "Nội dung đã hủy" not in text


def test_an_item_concerning_a_member_names_them_and_their_cell(world):
    year = today().year - 1
    programme = programme_factories.programme(world, year=year)
    member = make_member(world.admin, world.cell_b, "Đinh Thị Giám Sát")
    programme_factories.item(
        world,
        programme,
        ItemKind.ONGOING_SUPERVISION,
        subject_member=member,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    table = section(programme_draft(world.root, year, on=today()).content, "items").table
    assert table.rows[0][1] == "Đồng chí Đinh Thị Giám Sát (Chi bộ B)"


def test_an_item_about_the_whole_organisation_says_so(world):
    """No cell nor member: the whole đảng bộ (the programme page's "the whole organisation")."""
    year = today().year - 1
    programme = programme_factories.programme(world, year=year)
    programme_factories.item(
        world,
        programme,
        ItemKind.ONGOING_SUPERVISION,
        content="Giám sát thường xuyên",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    table = section(programme_draft(world.root, year, on=today()).content, "items").table
    assert table.rows[0][:2] == ["Giám sát thường xuyên", "Toàn Đảng bộ"]


def test_the_programme_summary_groups_its_counts():
    items = [SimpleNamespace(kind=ItemKind.THEMATIC_SUPERVISION)] * 1200
    org = SimpleNamespace(name="Chi bộ A", is_cell=True)
    assert (
        programme_summary(items, org, 2025)
        == "Năm 2025, Chi bộ A tiến hành giám sát 1.200 cuộc, cụ thể như sau:"
    )


def test_no_programme_for_the_year_is_refused(world):
    with pytest.raises(ValidationError):
        programme_draft(world.root, today().year - 1, on=today())


# ------------------------------------------------------------------------------------- badges


def _batch_day() -> date:
    return date(today().year + 1, 5, 19)  # a batch of the default settings (Hanoi's windows)


class BadgeFixture:
    def __init__(self, world):
        nxt, f = today().year + 1, badge_factories
        self.thirty = f.reaching(world, world.cell_a, "Phạm Văn Ba Mươi", 30, date(nxt, 4, 10))
        self.forty = f.reaching(world, world.cell_b, "Đỗ Thị Bốn Mươi", 40, date(nxt, 5, 5))
        self.ill = f.reaching(world, world.cell_a, "Vũ Văn Bệnh", 30, date(nxt + 1, 3, 1))
        f.illness(world, self.ill, today())
        for member, years, early in (
            (self.thirty, 30, ""),
            (self.forty, 40, ""),
            (self.ill, 30, Early.GRAVELY_ILL),
        ):
            proposals.proposal_add(
                actor=world.office, member=member, years=years, batch=_batch_day(), early=early
            )


@pytest.fixture
def badges(world):
    return BadgeFixture(world)


def _note_of(content, name):
    table = section(content, "list").table
    row = next(r for r in table.rows if r[0] == name)
    return row[table.columns.index("Ghi chú")]


def test_the_badge_list_counts_per_badge_and_lists_the_proposals(world, badges):
    draft = badge_list_draft(world.root, _batch_day(), scope=scope_for(world.office), on=today())
    content = draft.content
    assert content.type_name == "TỜ TRÌNH" and content.landscape
    assert content.subject == f"về việc đề nghị tặng Huy hiệu Đảng đợt {_batch_day():%d/%m/%Y}"
    assert content.addressee.startswith("Kính gửi: Ban Thường vụ")
    request = section(content, "request").text
    # rules.md §2.1: the committee above only proposes, the province decides: one request, no decision
    assert request == (
        "Căn cứ các quy định, hướng dẫn hiện hành về việc xét tặng Huy hiệu Đảng; xét đề nghị của các "
        "chi bộ, Đảng ủy Thử nghiệm kính đề nghị Ban Thường vụ …… xem xét, đề nghị cấp có thẩm quyền "
        "tặng Huy hiệu Đảng cho các đồng chí có tên trong danh sách kèm theo (tổng số 3 đồng chí), gồm: "
        "Huy hiệu 30 năm tuổi đảng: 2 đồng chí; Huy hiệu 40 năm tuổi đảng: 1 đồng chí."
    )
    assert "quyết định" not in request
    table = section(content, "list").table
    assert table.numbered and table.columns == [
        "Họ và tên", "Năm sinh", "Chi bộ", "Ngày vào Đảng",
        "Ngày chính thức", "Tuổi đảng", "Loại Huy hiệu", "Ghi chú",
    ]  # fmt: skip
    thirty = next(r for r in table.rows if r[0] == "Phạm Văn Ba Mươi")
    member = badges.thirty
    assert thirty[1] == str(member.person.date_of_birth.year)
    assert thirty[2] == "Chi bộ A"
    assert thirty[3] == f"{member.first_decision_on:%d/%m/%Y}"
    assert thirty[4] and thirty[5].startswith("30 năm") and thirty[6] == "30 năm"
    # the office keeps every cell's records: the early award of the gravely ill reads as such
    assert _note_of(content, "Vũ Văn Bệnh") == "Tặng sớm"
    assert (draft.year, draft.source) == (_batch_day().year, f"badges:DU:{_batch_day().isoformat()}")
    text = _docx_text(content)
    assert "TỜ TRÌNH" in text and "Đỗ Thị Bốn Mươi" in text and "Tặng sớm" in text


def test_the_illness_reads_as_an_ordinary_award_to_who_lacks_the_cells_records(world, badges):
    """Health data: the leader reads the subtree without RECORDS; the list they would get shows the
    gravely ill member's early award as an ordinary one, in the text, the file and the figures."""
    draft = badge_list_draft(world.root, _batch_day(), scope=scope_for(world.leader), on=today())
    assert _note_of(draft.content, "Vũ Văn Bệnh") == ""
    assert "Tặng sớm" not in _docx_text(draft.content)
    assert "sớm" not in section(draft.content, "request").text
    assert {p["early"] for p in draft.figures["proposals"]} == {""}


def test_the_builders_cost_the_same_queries_however_many_rows(world):
    """No query per invitee or proposal: none or one row, then several, the same count."""

    session = _meeting(world, held_on=today() + timedelta(days=3))
    one = query_count(lambda: invitation_draft(session, on=today()))
    _cell_members(world)
    meeting_services.invitees_refresh(actor=world.office, session=session)
    assert session.invitations.count() == 3
    assert query_count(lambda: invitation_draft(session, on=today())) == one

    nxt = today().year + 1
    first = badge_factories.reaching(world, world.cell_a, "Một Người", 30, date(nxt, 4, 10))
    proposals.proposal_add(actor=world.office, member=first, years=30, batch=_batch_day())
    scope = scope_for(world.office)
    one = query_count(lambda: badge_list_draft(world.root, _batch_day(), scope=scope, on=today()))
    for n, cell in enumerate((world.cell_b, world.cell_c)):
        other = badge_factories.reaching(world, cell, f"Người Thứ {n}", 30, date(nxt, 4, 12))
        proposals.proposal_add(actor=world.office, member=other, years=30, batch=_batch_day())
    assert query_count(lambda: badge_list_draft(world.root, _batch_day(), scope=scope, on=today())) == one


def test_the_request_names_the_board_above_and_groups_the_counts(world):
    request = badge_request(world.partial, Counter({40: 5, 30: 1200}))
    assert (
        "Đảng ủy bộ phận P kính đề nghị Ban Thường vụ Đảng ủy Thử nghiệm xem xét, đề nghị cấp có" in request
    )
    assert "(tổng số 1.205 đồng chí), gồm: Huy hiệu 30 năm tuổi đảng: 1.200 đồng chí; Huy hiệu 40" in request


def test_a_batch_without_proposals_is_refused(world):
    with pytest.raises(ValidationError):
        badge_list_draft(world.root, _batch_day(), scope=scope_for(world.office), on=today())


def test_the_batch_is_read_as_the_page_sends_it():
    assert parse_batch("2027-05-19") == date(2027, 5, 19)
    assert parse_batch("19/05/2027") == date(2027, 5, 19)
    assert parse_batch("19-05") is None and parse_batch("") is None


# -------------------------------------------------------------------------------------- views


def _post(client, name, arg, data=None):
    return client.post(reverse(f"documents:{name}", args=[arg]), data or {})


def _created(response):
    assert response.status_code == 302, response.status_code
    document = Document.objects.order_by("-pk").first()
    assert response.url == reverse("documents:detail", args=[document.pk])
    assert document.state == DocState.DRAFT
    return document


@pytest.mark.parametrize(
    "persona, cell, ok",
    [
        ("office", "cell_a", True),
        ("secretary_a", "cell_a", True),
        ("secretary_a", "cell_b", False),
        ("leader", "cell_a", False),
        ("inspection", "cell_a", False),
        ("member_a", "cell_a", False),
        ("stranger", "cell_a", False),
    ],
)
def test_who_writes_a_sessions_invitation_and_minutes(as_user, world, persona, cell, ok):
    """A cell's secretary writes their cell's documents, not another's."""
    session = meeting_factories.make_session(
        world, getattr(world, cell), SessionKind.REGULAR, held_on=today() - timedelta(days=1)
    )
    session = meeting_factories.mark_all(world, session) if session.invitations.exists() else session
    meeting_services.minutes_save(
        actor=world.office,
        session=session,
        expected_version=session.version,
        chair="Nguyễn Văn Bí Thư",
        recorder="Hoàng Thị Đảng Viên",
        minutes="Nội dung",
        resolution="Nghị quyết",
    )
    client = as_user(getattr(world, persona))
    for name, doc_type in (("invitation", DocType.INVITATION), ("minutes", DocType.MINUTES)):
        response = _post(client, name, session.pk)
        if ok:
            document = _created(response)
            assert (document.doc_type, document.organization) == (doc_type, session.organization)
            assert document.source == f"session:{session.pk}" and document.created_by == getattr(
                world, persona
            )
        else:
            assert response.status_code == 404
    assert Document.objects.count() == (2 if ok else 0)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("office", 302),
        ("inspection", 302),
        ("leader", 404),
        ("secretary_a", 404),
        ("member_a", 404),
        ("stranger", 404),
    ],
)
def test_who_writes_the_programme(as_user, world, persona, status):
    year = today().year - 1
    _programme(world, year)
    response = _post(as_user(getattr(world, persona)), "programme", "DU", {"year": year})
    assert response.status_code == status
    if status == 302:
        document = _created(response)
        assert (document.doc_type, document.year) == (DocType.INSPECTION_PROGRAMME, year)
    else:
        assert not Document.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("office", 302),
        ("inspection", 404),
        ("leader", 404),
        ("secretary_a", 404),
        ("member_a", 404),
        ("stranger", 404),
    ],
)
def test_who_writes_the_badge_list(as_user, world, badges, persona, status):
    response = _post(
        as_user(getattr(world, persona)), "badge_list", "DU", {"batch": _batch_day().isoformat()}
    )
    assert response.status_code == status
    if status == 302:
        document = _created(response)
        assert document.doc_type == DocType.BADGE_LIST and document.content["landscape"] is True
    else:
        assert not Document.objects.exists()


def test_writing_the_list_logs_the_illness_it_shows(as_user, world, badges):
    _created(_post(as_user(world.office), "badge_list", "DU", {"batch": _batch_day().isoformat()}))
    logged = PersonalDataAccess.objects.filter(user=world.office)
    assert list(logged.values_list("record", flat=True)) == [f"members.Member:{badges.ill.pk}"]


def test_the_illness_is_logged_only_once_the_list_is_kept(as_user, world, badges, monkeypatch):
    """A list refused when it is stored was never shown: nothing logged, nothing written."""

    def refuse(**kwargs):
        raise ValidationError("Từ chối")

    monkeypatch.setattr(services, "draft_create", refuse)
    response = _post(as_user(world.office), "badge_list", "DU", {"batch": _batch_day().isoformat()})
    assert response.status_code == 302 and response.url.startswith(reverse("badges:batch", args=["DU"]))
    assert not PersonalDataAccess.objects.exists()
    assert not Document.objects.exists()


def test_the_secretary_cannot_write_the_badge_list_of_their_own_cell(as_user, world, badges):
    response = _post(as_user(world.secretary_a), "badge_list", "CB-A", {"batch": _batch_day().isoformat()})
    assert response.status_code == 404


def test_the_anonymous_are_sent_to_log_in_and_get_is_not_allowed(client, as_user, world):
    session = _meeting(world)
    urls = [
        reverse("documents:invitation", args=[session.pk]),
        reverse("documents:minutes", args=[session.pk]),
        reverse("documents:programme", args=["DU"]),
        reverse("documents:badge_list", args=["DU"]),
    ]
    for url in urls:
        response = client.post(url)
        assert response.status_code == 302 and "/dang-nhap/" in response.url
    office = as_user(world.office)
    for url in urls:
        assert office.get(url).status_code == 405
    assert not Document.objects.exists()


def _messages(client, url) -> str:
    return client.get(url).content.decode()


def test_refusals_go_back_with_the_reason_and_write_nothing(as_user, world, badges):
    client = as_user(world.office)
    # a cancelled session
    cancelled = _meeting(world, held_on=today() + timedelta(days=5))
    meeting_services.session_cancel(actor=world.office, session=cancelled, expected_version=cancelled.version)
    response = _post(client, "invitation", cancelled.pk)
    assert response.status_code == 302 and response.url == cancelled.get_absolute_url()
    assert "đã bị hủy" in _messages(client, response.url)
    # minutes of a meeting not held yet
    planned = _meeting(world, held_on=today() + timedelta(days=6))
    response = _post(client, "minutes", planned.pk)
    assert response.status_code == 302 and response.url == planned.get_absolute_url()
    # no programme that year; a year that is no year
    year = today().year - 1
    response = _post(client, "programme", "DU", {"year": year})
    assert response.status_code == 302 and response.url.endswith(f"?nam={year}")
    assert "Chưa có chương trình kiểm tra, giám sát" in _messages(client, response.url)
    for bad in ("", "abc", "99999", "0"):
        response = _post(client, "programme", "DU", {"year": bad})
        assert response.status_code == 302
    # a batch the page does not offer, a batch without proposals, nonsense
    for bad in ("", "31/02/2027", "2001-05-19", "<script>"):
        response = _post(client, "badge_list", "DU", {"batch": bad})
        assert response.status_code == 302 and response.url.startswith(reverse("badges:batch", args=["DU"]))
    empty = next(d for d in proposals.batch_choices(world.root, today()) if d != _batch_day())
    response = _post(client, "badge_list", "DU", {"batch": f"{empty:%d/%m/%Y}"})
    assert response.status_code == 302
    assert "chưa có đảng viên nào được đề nghị" in _messages(client, response.url)
    assert not Document.objects.exists()


def test_the_batch_typed_dd_mm_yyyy_is_taken(as_user, world, badges):
    response = _post(as_user(world.office), "badge_list", "DU", {"batch": f"{_batch_day():%d/%m/%Y}"})
    _created(response)


# ------------------------------------------------------------------------------------ buttons


def test_the_session_page_shows_the_document_buttons_only_to_who_may_write(as_user, world):
    _cell_members(world)
    session = _held(world, _meeting(world))
    for persona, shown in (("office", True), ("secretary_a", True), ("leader", False), ("inspection", False)):
        page = as_user(getattr(world, persona)).get(session.get_absolute_url()).content.decode()
        assert ('id="write-invitation"' in page) is shown, persona
        assert ('id="write-minutes"' in page) is shown, persona
    planned = _meeting(world, held_on=today() + timedelta(days=4))
    page = as_user(world.office).get(planned.get_absolute_url()).content.decode()
    assert 'id="write-invitation"' in page and 'id="write-minutes"' not in page  # not held yet


def test_the_programme_page_shows_its_button_only_to_who_may_write(as_user, world):
    year = today().year - 1
    _programme(world, year)
    url = reverse("programme:programme", args=["DU"]) + f"?nam={year}"
    for persona, shown in (("office", True), ("inspection", True), ("leader", False)):
        page = as_user(getattr(world, persona)).get(url).content.decode()
        assert ('id="write-programme"' in page) is shown, persona


def test_the_batch_page_shows_its_button_only_to_who_may_write(as_user, world, badges):
    url = reverse("badges:batch", args=["DU"]) + f"?dot={_batch_day().isoformat()}"
    for persona, shown in (("office", True), ("inspection", False), ("leader", False)):
        page = as_user(getattr(world, persona)).get(url).content.decode()
        assert ('id="write-badge-list"' in page) is shown, persona
    page = as_user(world.secretary_a).get(
        reverse("badges:batch", args=["CB-A"]) + f"?dot={_batch_day().isoformat()}"
    )
    assert 'id="write-badge-list"' not in page.content.decode()
