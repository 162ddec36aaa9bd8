"""A cell's proposals and past years' ratings from Excel: the preview says every problem by row and
column and writes nothing; a good file writes everything; who may import (allowed and denied)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.classification import services
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member

from .factories import decide_all, member_for_person, open_campaign, propose_all, this_year

pytestmark = pytest.mark.django_db

PROPOSAL_HEADERS = ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Điểm tự chấm", "Tự xếp loại"]
PROPOSAL_HEADERS += ["Điểm chi bộ đề xuất", "Chi bộ đề xuất", "Ghi chú"]
PAST_HEADERS = ["Năm", "Chi bộ", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Xếp loại", "Tiêu biểu"]


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
    return SimpleUploadedFile("tep.xlsx", out.getvalue())


def preview(client, url: str, upload, on_duplicate: str = "stop"):
    response = client.post(url, {"file": upload, "on_duplicate": on_duplicate})
    assert response.status_code == 200
    return response


def confirm(client, url: str, previewed, **decisions):
    return client.post(
        url,
        {"token": previewed.context["token"], "on_duplicate": previewed.context["on_duplicate"], **decisions},
    )


def problems_of(response) -> dict[tuple[int, str], str]:
    return {(p.row, p.column): p.message for p in response.context["report"].problems}


# ------------------------------------------------------------------------------ the proposals


@pytest.fixture
def cell_a(world):
    """The year's campaign; in cell A: An (with a card), Bình, Cường (exempt), Em (already decided);
    in cell B: Dũng."""
    campaign = open_campaign(world)
    people = {
        "an": make_member(
            world.admin, world.cell_a, "Nguyễn Văn An", born=date(1980, 5, 1), card_number="01234567"
        ),
        "binh": make_member(world.admin, world.cell_a, "Trần Thị Bình", born=date(1985, 2, 3)),
        "cuong": make_member(world.admin, world.cell_a, "Lê Văn Cường", born=date(1979, 1, 9)),
        "em": make_member(world.admin, world.cell_a, "Đỗ Thị Em", born=date(1990, 7, 7)),
        "dung": make_member(world.admin, world.cell_b, "Phạm Văn Dũng", born=date(1982, 3, 4)),
    }
    member_services.event_add(
        actor=world.admin, member=people["cuong"], kind=EventKind.EXEMPTION, date=date(2020, 1, 1)
    )
    decide_all(world, campaign, propose_all(world, campaign, world.cell_a, {people["em"]: Level.GOOD}))
    return campaign, people


def _proposals_url(campaign, code: str = "CB-A") -> str:
    return reverse("classification:import_proposals", args=[campaign.pk, code])


def test_a_bad_proposals_file_says_each_problem_by_row_and_column_and_writes_nothing(world, as_user, cell_a):
    campaign, people = cell_a
    before = MemberRating.objects.get(member=people["em"]).version
    upload = xlsx(
        PROPOSAL_HEADERS,
        [
            ["Nguyễn Văn An", "01/05/1980", "", 85, "Tốt", 120, "Tốt", ""],
            ["Trần Thị Bình", date(1985, 2, 3), "", 90, "Xuất sắc", 90, "Rất tốt", ""],
            ["Lê Văn Cường", "09/01/1979", "", 80, "Tốt", 80, "Tốt", ""],
            ["Phạm Văn Dũng", "04/03/1982", "", 80, "Tốt", 80, "Tốt", ""],
            ["Đỗ Thị Em", "07/07/1990", "", "", "", 80, "Tốt", ""],
            ["Nguyễn Văn An", "", "99999999", "", "", 80, "Tốt", ""],
        ],
        title="DANH SÁCH ĐỀ XUẤT XẾP LOẠI ĐẢNG VIÊN",
    )
    response = preview(as_user(world.secretary_a), _proposals_url(campaign), upload)
    found = problems_of(response)
    assert set(found) == {
        (3, "Điểm chi bộ đề xuất"),  # 120 is not a score
        (4, "Chi bộ đề xuất"),  # "Rất tốt" is not a level
        (5, "Họ và tên"),  # exempt: not reviewed
        (6, "Họ và tên"),  # a member of cell B
        (7, "Chi bộ đề xuất"),  # already decided
        (8, "Số thẻ đảng viên"),  # no such card in the cell
    }
    assert "Lê Văn Cường" in found[(5, "Họ và tên")] and "miễn" in found[(5, "Họ và tên")]
    assert "Đỗ Thị Em" in found[(7, "Chi bộ đề xuất")]
    assert "Rất tốt" in found[(4, "Chi bộ đề xuất")]
    assert confirm(as_user(world.secretary_a), _proposals_url(campaign), response).status_code == 200
    assert not MemberRating.objects.filter(member__in=[people["an"], people["binh"]]).exists()
    assert MemberRating.objects.get(member=people["em"]).version == before


def test_a_good_proposals_file_writes_every_proposal_once_confirmed(world, as_user, cell_a):
    campaign, people = cell_a
    client, url = as_user(world.secretary_a), _proposals_url(campaign)
    upload = xlsx(
        PROPOSAL_HEADERS,
        [
            ["NGUYỄN VĂN AN", "01/05/1980", "", "85,5", "Tốt", 84, "Hoàn thành tốt nhiệm vụ", "Gương mẫu"],
            ["Trần Thị Bình", "03/02/1985", "", 95, "HTXSNV", "", "excellent", ""],
            ["Đỗ Thị Em", "07/07/1990", "", "", "", "", "", ""],  # nothing proposed: skipped
        ],
    )
    previewed = preview(client, url, upload)
    report = previewed.context["report"]
    assert report.problems == [] and (report.created, report.skipped) == (2, 1)
    assert not MemberRating.objects.filter(member=people["an"]).exists()  # a preview writes nothing
    response = confirm(client, url, previewed)
    assert response.status_code == 302 and response["Location"] == campaign.sheet_url(world.cell_a)
    an = MemberRating.objects.get(member=people["an"])
    assert (an.stage, an.proposed_level, an.proposed_score, an.proposal_note) == (
        Stage.PROPOSED,
        Level.GOOD,
        Decimal("84"),
        "Gương mẫu",
    )
    assert (an.self_level, an.self_score, an.self_on_behalf) == (Level.GOOD, Decimal("85.5"), True)
    assert an.self_by == world.secretary_a and an.proposed_by == world.secretary_a
    binh = MemberRating.objects.get(member=people["binh"])
    assert (binh.proposed_level, binh.proposed_score, binh.self_score) == (Level.EXCELLENT, None, Decimal(95))


def test_a_member_is_found_by_card_number_and_the_name_must_agree(world, as_user, cell_a):
    campaign, people = cell_a
    client, url = as_user(world.secretary_a), _proposals_url(campaign)
    wrong = preview(
        client, url, xlsx(PROPOSAL_HEADERS, [["Trần Thị Bình", "", "01234567", 80, "Tốt", 80, "Tốt", ""]])
    )
    assert set(problems_of(wrong)) == {(2, "Số thẻ đảng viên")}
    right = preview(
        client, url, xlsx(PROPOSAL_HEADERS, [["Nguyễn Văn An", "", "01234567", 70, "Tốt", 72, "Tốt", ""]])
    )
    assert right.context["report"].problems == []
    confirm(client, url, right)
    assert MemberRating.objects.get(member=people["an"]).proposed_score == Decimal(72)


def test_the_same_member_twice_and_a_missing_score_are_refused(world, as_user, cell_a):
    campaign, _people = cell_a
    upload = xlsx(
        PROPOSAL_HEADERS,
        [
            ["Nguyễn Văn An", "01/05/1980", "", 85, "Tốt", 84, "Tốt", ""],
            ["Nguyễn Văn An", "01/05/1980", "", 85, "Tốt", 84, "Tốt", ""],
            ["Trần Thị Bình", "03/02/1985", "", "", "Tốt", "", "Tốt", ""],  # 366-QĐ/TW needs the score
            ["Trần Thị Bình", "03/02/1985", "", "", "", "", "", "Chưa rõ"],  # a note but no level
        ],
    )
    found = problems_of(preview(as_user(world.secretary_a), _proposals_url(campaign), upload))
    assert set(found) == {(3, "Họ và tên"), (4, "Điểm tự chấm"), (5, "Chi bộ đề xuất")}
    assert "2" in found[(3, "Họ và tên")]  # names the row that already has the member


def test_a_members_own_self_assessment_is_kept_over_the_file(world, as_user, cell_a):
    campaign, _people = cell_a
    member = member_for_person(world, world.member_a_person, world.cell_a)
    services.member_self_assess(
        actor=world.member_a, campaign=campaign, member=member, score=Decimal(92), level=Level.EXCELLENT
    )
    client, url = as_user(world.secretary_a), _proposals_url(campaign)
    name = world.member_a_person.full_name
    previewed = preview(
        client,
        url,
        xlsx(
            ["Họ và tên", "Số thẻ", "Tự xếp loại", "Chi bộ đề xuất", "Điểm chi bộ đề xuất"],
            [[name, "", "Tốt", "Tốt", 88]],
        ),
    )
    assert set(problems_of(previewed)) == {(2, "Ngày sinh")}  # neither a date of birth nor a card
    member.card_number = "55555555"
    member.save(update_fields=["card_number"])
    upload = xlsx(
        ["Họ và tên", "Số thẻ", "Tự xếp loại", "Chi bộ đề xuất"], [[name, "55555555", "Tốt", "Tốt"]]
    )
    previewed = preview(client, url, upload)
    report = previewed.context["report"]
    assert report.problems == []
    # Her own level is kept over the file's (92 points proposed "good" is no problem: §1.3).
    assert [w.column for w in report.warnings] == ["Tự xếp loại"]
    confirm(client, url, previewed)
    rating = MemberRating.objects.get(member=member)
    assert (rating.self_level, rating.self_on_behalf, rating.proposed_level) == (
        Level.EXCELLENT,
        False,
        Level.GOOD,
    )


def test_the_template_lists_the_cells_members_still_to_propose_and_goes_back_in(world, as_user, cell_a):
    campaign, people = cell_a
    client = as_user(world.secretary_a)
    response = client.get(reverse("classification:import_proposals_template", args=[campaign.pk, "CB-A"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == PROPOSAL_HEADERS
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]  # not Cường (exempt), Em (decided), Dũng (cell B)
    assert len(book.worksheets) == 2  # the guide to each column
    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value, row[6].value = 75, "Tốt", "Tốt"
    out = BytesIO()
    book.save(out)
    url = _proposals_url(campaign)
    previewed = preview(client, url, SimpleUploadedFile("mau.xlsx", out.getvalue()))
    assert previewed.context["report"].problems == []
    confirm(client, url, previewed)
    assert set(MemberRating.objects.filter(stage=Stage.PROPOSED).values_list("member", flat=True)) == {
        people["an"].pk,
        people["binh"].pk,
    }


@pytest.mark.parametrize("persona", ["secretary_a", "office"])
def test_the_cells_secretary_and_the_office_may_import_proposals(world, as_user, cell_a, persona):
    campaign, _people = cell_a
    client = as_user(getattr(world, persona))
    assert client.get(_proposals_url(campaign)).status_code == 200
    template = reverse("classification:import_proposals_template", args=[campaign.pk, "CB-A"])
    assert client.get(template).status_code == 200


@pytest.mark.parametrize(
    "persona, code",
    [
        ("secretary_a", "CB-B"),
        ("leader", "CB-A"),
        ("inspection", "CB-A"),
        ("member_a", "CB-A"),
        ("stranger", "CB-A"),
        ("office", "DU"),  # a committee is not a cell
    ],
)
def test_others_may_not_import_proposals(world, as_user, cell_a, persona, code):
    campaign, people = cell_a
    client = as_user(getattr(world, persona))
    assert client.get(_proposals_url(campaign, code)).status_code == 404
    template = reverse("classification:import_proposals_template", args=[campaign.pk, code])
    assert client.get(template).status_code == 404
    upload = xlsx(PROPOSAL_HEADERS, [["Nguyễn Văn An", "01/05/1980", "", 85, "Tốt", 84, "Tốt", ""]])
    assert client.post(_proposals_url(campaign, code), {"file": upload}).status_code == 404
    assert not MemberRating.objects.filter(member=people["an"]).exists()


def test_a_file_that_is_not_a_workbook_is_refused(world, as_user, cell_a):
    campaign, _people = cell_a
    upload = SimpleUploadedFile("tep.xlsx", "Họ và tên;Chi bộ đề xuất\n".encode())
    response = as_user(world.secretary_a).post(_proposals_url(campaign), {"file": upload})
    assert response.status_code == 200 and "report" not in response.context
    assert response.context["form"].errors["file"]


# ----------------------------------------------------------------------------- past ratings


def _past_url(code: str = "DU") -> str:
    return reverse("classification:import_past", args=[code])


@pytest.fixture
def past(world):
    """An and Bình of cell A; Giang of cell B, who transferred out the year after."""
    year = this_year() - 2
    people = {
        "an": make_member(world.admin, world.cell_a, "Nguyễn Văn An", born=date(1980, 5, 1)),
        "binh": make_member(world.admin, world.cell_a, "Trần Thị Bình", born=date(1985, 2, 3)),
        "giang": make_member(
            world.admin, world.cell_b, "Hoàng Văn Giang", born=date(1975, 9, 9), card_number="777"
        ),
    }
    member_services.event_add(
        actor=world.admin,
        member=people["giang"],
        kind=EventKind.TRANSFER_OUT,
        date=date(year + 1, 3, 1),
        other_organization="Đảng bộ Phường Khác",
    )
    return year, people


def _past_rows(year: int) -> list[list]:
    return [
        [year, "CB-A", "Nguyễn Văn An", "01/05/1980", "", "Tốt", ""],
        [year, "Chi bộ A", "Trần Thị Bình", date(1985, 2, 3), "", "Xuất sắc", ""],
        [year, "CB-B", "Hoàng Văn Giang", "", "777", "Hoàn thành nhiệm vụ", ""],
        [year, "CB-A", "", "", "", "Xuất sắc", "x"],
        [year, "CB-B", "", "", "", "HTTNV", ""],
        [year - 1, "CB-A", "Nguyễn Văn An", "01/05/1980", "", "Không hoàn thành", ""],
    ]


def test_past_ratings_make_the_years_campaigns_and_decided_ratings(world, as_user, past):
    year, people = past
    client = as_user(world.office)
    previewed = preview(client, _past_url(), xlsx(PAST_HEADERS, _past_rows(year)))
    report = previewed.context["report"]
    assert report.problems == [] and report.warnings == [] and report.created == 6
    assert not Campaign.objects.exists()  # the preview made nothing
    response = confirm(client, _past_url(), previewed)
    assert response.status_code == 302 and response["Location"] == reverse("classification:list", args=["DU"])
    campaign = Campaign.objects.get(year=year)
    assert campaign.imported and campaign.organization == world.root
    assert (campaign.start, campaign.end, campaign.review_date) == (
        date(year, 12, 1),
        date(year, 12, 31),
        date(year, 12, 31),
    )
    assert Campaign.objects.get(year=year - 1).imported
    ratings = {r.member_id: r for r in MemberRating.objects.filter(campaign=campaign)}
    assert {pk: (r.decided_level, r.cell.code) for pk, r in ratings.items()} == {
        people["an"].pk: (Level.GOOD, "CB-A"),
        people["binh"].pk: (Level.EXCELLENT, "CB-A"),
        people["giang"].pk: (Level.COMPLETED, "CB-B"),  # left since: matched on the record
    }
    an = ratings[people["an"].pk]
    assert (an.stage, an.decided_on, an.decided_by) == (Stage.DECIDED, date(year, 12, 31), world.office)
    assert an.history.get().history_user == world.office  # audited
    cell = CellRating.objects.get(campaign=campaign, cell=world.cell_a)
    assert (cell.stage, cell.decided_level, cell.exemplary, cell.decided_on) == (
        Stage.DECIDED,
        Level.EXCELLENT,
        True,
        date(year, 12, 31),
    )
    earlier = MemberRating.objects.get(campaign__year=year - 1)
    assert (earlier.member, earlier.decided_level) == (people["an"], Level.NOT_COMPLETED)


def test_the_current_year_and_later_are_refused(world, as_user, past):
    _year, _people = past
    rows = [
        [this_year(), "CB-A", "Nguyễn Văn An", "01/05/1980", "", "Tốt", ""],
        [this_year() + 1, "CB-A", "", "", "", "Tốt", ""],
        [2010, "CB-A", "", "", "", "Tốt", ""],  # before any rule set the product knows
    ]
    response = preview(as_user(world.office), _past_url(), xlsx(PAST_HEADERS, rows))
    assert set(problems_of(response)) == {(2, "Năm"), (3, "Năm"), (4, "Năm")}
    assert not Campaign.objects.exists()


def test_a_year_reviewed_in_the_system_is_refused(world, as_user, past):
    year, people = past
    services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=year,
        start=date(year, 12, 1),
        end=date(year, 12, 31),
        notify=False,
    )
    response = preview(as_user(world.office), _past_url(), xlsx(PAST_HEADERS, _past_rows(year)))
    found = problems_of(response)
    assert {row for row, column in found} == {2, 3, 4, 5, 6} and {c for _r, c in found} == {"Năm"}
    assert not MemberRating.objects.exists() and Campaign.objects.count() == 1


def test_bad_past_rows_are_refused_by_row_and_column(world, as_user, past):
    year, _people = past
    rows = [
        [year, "CB-A", "Nguyễn Văn An", "01/05/1980", "", "Tốt", ""],
        [year, "CB-A", "nguyễn văn an", "01/05/1980", "", "Xuất sắc", ""],  # the same member again
        [year, "CB-Z", "", "", "", "Tốt", ""],  # no such cell
        [year, "CB-B", "", "", "", "Tốt", "x"],  # exemplary, but not excellent
        [year, "CB-A", "Người Lạ", "01/01/1990", "", "Tốt", ""],  # nobody of the organisation
        [year, "CB-A", "Trần Thị Bình", "03/02/1985", "", "Giỏi", ""],  # not a level
        ["năm ngoái", "CB-A", "", "", "", "Tốt", ""],
    ]
    found = problems_of(preview(as_user(world.office), _past_url(), xlsx(PAST_HEADERS, rows)))
    assert set(found) == {
        (3, "Họ và tên"),
        (4, "Chi bộ"),
        (5, "Tiêu biểu"),
        (6, "Họ và tên"),
        (7, "Xếp loại"),
        (8, "Năm"),
    }
    assert not Campaign.objects.exists()


def test_importing_again_stops_on_ratings_already_there_unless_told_to_update(world, as_user, past):
    year, people = past
    client = as_user(world.office)
    confirm(client, _past_url(), preview(client, _past_url(), xlsx(PAST_HEADERS, _past_rows(year))))
    changed = [[year, "CB-A", "Nguyễn Văn An", "01/05/1980", "", "Xuất sắc", ""]]
    stopped = preview(client, _past_url(), xlsx(PAST_HEADERS, changed))
    report = stopped.context["report"]
    assert not report.ok and [d["row"] for d in report.duplicates] == [2]
    updating = preview(client, _past_url(), xlsx(PAST_HEADERS, changed), on_duplicate="update")
    assert updating.context["report"].updated == 1
    assert confirm(client, _past_url(), updating).status_code == 302
    rating = MemberRating.objects.get(member=people["an"], campaign__year=year)
    assert rating.decided_level == Level.EXCELLENT and rating.version == 2
    assert Campaign.objects.filter(year=year).count() == 1


def test_the_past_template_has_a_member_row_and_a_cell_row(world, as_user):
    response = as_user(world.office).get(reverse("classification:import_past_template", args=["DU"]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == PAST_HEADERS
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["Nguyễn Văn An", None] and rows[1][6] == "x"
    assert rows[0][0] == this_year() - 1 and rows[0][1] == "CB-A"


def test_the_office_may_import_past_ratings(world, as_user):
    client = as_user(world.office)
    assert client.get(_past_url()).status_code == 200
    assert client.get(_past_url("DBBP")).status_code == 200  # a partial committee under it


@pytest.mark.parametrize(
    "persona, code",
    [
        ("secretary_a", "DU"),
        ("secretary_a", "CB-A"),
        ("leader", "DU"),
        ("inspection", "DU"),
        ("member_a", "DU"),
        ("stranger", "DU"),
        ("office", "CB-A"),  # a cell is not a committee
    ],
)
def test_others_may_not_import_past_ratings(world, as_user, past, persona, code):
    year, _people = past
    client = as_user(getattr(world, persona))
    assert client.get(_past_url(code)).status_code == 404
    assert client.get(reverse("classification:import_past_template", args=[code])).status_code == 404
    upload = xlsx(PAST_HEADERS, _past_rows(year))
    assert client.post(_past_url(code), {"file": upload}).status_code == 404
    assert not Campaign.objects.exists()


def test_a_confirmation_is_refused_to_another_session(world, as_user, client, past):
    year, _people = past
    previewed = preview(as_user(world.office), _past_url(), xlsx(PAST_HEADERS, _past_rows(year)))
    client.logout()
    client.force_login(world.office)  # a new session: the token is not its own
    assert confirm(client, _past_url(), previewed).status_code == 404
    assert not Campaign.objects.exists()


def test_ratings_are_imported_only_into_a_campaign_made_by_an_import(world, past):
    year, people = past
    live = services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=year,
        start=date(year, 12, 1),
        end=date(year, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.ratings_import(
            actor=world.office, campaign=live, members=[(people["an"], world.cell_a, Level.GOOD)]
        )
    assert not MemberRating.objects.exists()
