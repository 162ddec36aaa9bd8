"""The annual summary report and the six-month review of a subtree (builders/annual.py), on the small
world of dangvu/testing.py in the fixed past year 2025: what the text is written from and what it
says where the data shows a shortcoming."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from dangvu.core import periods
from dangvu.core.metrics import MetricContext
from dangvu.documents.builders import annual_text
from dangvu.documents.builders.annual import report_draft
from dangvu.documents.builders.annual_text import Facts
from dangvu.documents.builders.source_common import report_recipients
from dangvu.documents.choices import DocType
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.organization.choices import OrgKind
from dangvu.programme import services as programme_services
from dangvu.programme.tests import factories as programme_factories
from dangvu.reports import services as report_services
from dangvu.reports.tests.factories import at, make_request, submission_of
from dangvu.targets import services as target_services
from dangvu.testing import make_member, make_org, query_count

from .factories import draft_text, section_text

pytestmark = pytest.mark.django_db

YEAR = 2025
ON = date(2026, 1, 10)  # written after the year: its figures as of 31/12/2025


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def _admitted_in(world, cell, name: str, day: date):
    return make_member(
        world.admin, cell, name, decision=day, ceremony=day + timedelta(days=10), recognition=None
    )


def test_the_six_month_review_reads_the_figures_as_of_30_06(world):
    _admitted_in(world, world.cell_a, "Đảng Viên Tháng Hai", date(YEAR, 2, 10))
    _admitted_in(world, world.cell_b, "Đảng Viên Tháng Bảy", date(YEAR, 7, 10))
    review = report_draft(world.root, YEAR, half=True, on=ON)
    assert review.doc_type == DocType.MIDYEAR_REPORT
    assert review.content.subject == (
        "sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2025,\nphương hướng, nhiệm vụ 6 tháng cuối năm 2025"
    )
    assert review.title.endswith("phương hướng, nhiệm vụ 6 tháng cuối năm 2025")
    assert review.figures["as_of"] == "2025-06-30"
    assert review.figures["metrics"]["members.admitted"] == {"value": 1}  # July's is not seen
    assert "Tính đến ngày 30/06/2025, Đảng bộ có 1 đảng viên (trong đó 1 đảng viên dự bị)" in draft_text(
        review
    )
    assert "- Kết nạp 1 đảng viên mới." in section_text(review, "results.organisation")
    headings = [s.heading for s in review.content.sections]
    assert "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025" in headings
    assert "2. So sánh với 6 tháng đầu năm 2024" in headings

    annual = report_draft(world.root, YEAR, half=False, on=ON)
    assert annual.figures["as_of"] == "2025-12-31"
    assert annual.figures["metrics"]["members.admitted"] == {"value": 2}


def test_a_review_written_before_30_06_is_as_of_the_day(world):
    _admitted_in(world, world.cell_a, "Đảng Viên Tháng Năm", date(YEAR, 5, 20))
    review = report_draft(world.root, YEAR, half=True, on=date(YEAR, 5, 1))
    assert review.figures["as_of"] == "2025-05-01"
    assert review.figures["metrics"]["members.admitted"] == {"value": 0}


def test_the_previous_year_comparison_uses_an_entered_figure(world):
    make_member(world.admin, world.cell_a, "Đảng Viên Một")
    target_services.figure_enter(
        actor=world.office, organization=world.root, year=YEAR - 1, metric="members.total", value=50
    )
    draft = report_draft(world.root, YEAR, half=False, on=ON)
    assert draft.figures["previous_year"]["members.total"] == 50
    assert draft.figures["previous_year_entered"] == ["members.total"]
    line = _line(section_text(draft, "previous_year"), "- Đảng viên:")
    assert line == "- Đảng viên: 1 (năm 2024: 50 (số liệu nhập), giảm 49)."


@pytest.fixture
def troubles(world):
    """A report due 25/03/2025: A sent it on time, B two days late, C nothing. Only A reviewed its
    working regulations. An inspection of B asked B to put things right by 01/06/2025 (not done), and
    A by 01/03/2026 (not due yet)."""
    due = date(YEAR, 3, 25)
    request = make_request(world, due=due)
    a, b = submission_of(request, world.cell_a), submission_of(request, world.cell_b)
    report_services.submit(actor=world.secretary_a, submission=a, values={"f1": "1"}, now=at(due, 8))
    a.refresh_from_db()
    report_services.accept(actor=world.office, submission=a, expected_version=a.version, now=at(due, 9))
    report_services.submit(
        actor=world.office, submission=b, values={"f1": "1"}, now=at(due + timedelta(days=2))
    )
    programme_factories.review(world, world.cell_a, date(YEAR, 4, 1))
    programme = programme_factories.programme(world, world.root, YEAR)
    item = programme_factories.item(
        world, programme, starts_on=date(YEAR, 3, 1), ends_on=date(YEAR, 4, 30), subject_cell=world.cell_b
    )
    actions = [
        programme_services.Action("Bổ sung sổ ghi biên bản sinh hoạt", world.cell_b, date(YEAR, 6, 1)),
        programme_services.Action("Hoàn thiện hồ sơ đảng viên", world.cell_a, date(YEAR + 1, 3, 1)),
    ]
    programme_factories.conclude(world, item, actions=actions, on=date(YEAR, 5, 10))


def test_each_shortcoming_names_its_cells(world, troubles):
    draft = report_draft(world.root, YEAR, half=False, on=ON)
    text = section_text(draft, "shortcomings")
    assert "- 1 báo cáo chưa nộp, ở 1 chi bộ: Chi bộ C (1)." in text
    # B sent it two days late: not "accepted on time", which also covers one returned to be corrected.
    assert (
        "- 1 báo cáo chưa được tiếp nhận đúng hạn (nộp muộn hoặc bị trả lại để sửa), ở 1 chi bộ: "
        "Chi bộ B (1)." in text
    )
    assert "nộp chậm" not in text
    regulations = _line(text, "- 2 chi bộ chưa rà soát quy chế làm việc: ")
    assert "Chi bộ B" in regulations and "Chi bộ C" in regulations and "Chi bộ A" not in regulations
    assert (
        "- 1 nội dung khắc phục sau kiểm tra, giám sát quá hạn chưa hoàn thành: "
        "Chi bộ B (Bổ sung sổ ghi biên bản sinh hoạt, hạn 01/06/2025)." in text
    )
    found = draft.figures["shortcomings"]
    assert found["reports_missing"] == {"Chi bộ C": 1}
    assert sorted(found["cells_without_regulation_review"]) == ["Chi bộ B", "Chi bộ C"]
    assert [a["cell"] for a in found["remedial_actions_overdue"]] == ["Chi bộ B"]


def test_an_action_due_after_the_as_of_date_is_not_overdue_yet(world, troubles):
    review = report_draft(world.root, YEAR, half=True, on=ON)  # as of 30/06: B's was due 01/06
    assert [a["cell"] for a in review.figures["shortcomings"]["remedial_actions_overdue"]] == ["Chi bộ B"]
    early = report_draft(world.root, YEAR, half=True, on=date(YEAR, 5, 20))
    assert early.figures["shortcomings"]["remedial_actions_overdue"] == []
    assert "- Không có nội dung khắc phục sau kiểm tra, giám sát quá hạn." in section_text(
        early, "shortcomings"
    )


def test_no_shortcoming_is_said_in_one_sentence_each(world):
    for cell in (world.cell_a, world.cell_b, world.cell_c):
        programme_factories.review(world, cell, date(YEAR, 4, 1))
    text = section_text(report_draft(world.root, YEAR, half=False, on=ON), "shortcomings")
    assert text.splitlines()[:4] == [
        "- Không có báo cáo chưa nộp.",
        "- Không có báo cáo chưa được tiếp nhận đúng hạn (nộp muộn hoặc bị trả lại để sửa).",
        "- Không có chi bộ chưa rà soát quy chế làm việc.",
        "- Không có nội dung khắc phục sau kiểm tra, giám sát quá hạn.",
    ]


def test_attendance_below_its_target_is_a_shortcoming_only_with_a_target(world):
    target_services.target_add(
        actor=world.office,
        organization=world.root,
        year=YEAR,
        metric="meetings.conference_attendance_pct",
        op=">=",
        value=90,
    )
    draft = report_draft(world.root, YEAR, half=False, on=ON)
    # No conference held: no figure, so neither a verdict nor a shortcoming.
    assert "hội nghị" not in section_text(draft, "shortcomings")
    assert draft.figures["shortcomings"]["attendance"] is None
    targets = section_text(draft, "targets")
    assert "chưa đạt" not in targets and "thực hiện chưa có số liệu" not in targets
    assert _line(targets, "- ").endswith("≥ 90%: chưa có số liệu.")


def test_a_cells_report(world, troubles):
    make_member(world.admin, world.cell_a, "Đảng Viên Chi Bộ A")
    draft = report_draft(world.cell_a, YEAR, half=False, on=ON)
    text = draft_text(draft)
    assert (
        "Tính đến ngày 31/12/2025, Chi bộ có 1 đảng viên; trong năm 2025, 1 đồng chí tham gia chi ủy, "
        "100% kiêm nhiệm." in text
    )
    assert "0 đảng viên dự bị" not in text
    assert "chi bộ trực thuộc" not in text
    assert "Chi bộ C" not in text and "Chi bộ B" not in text  # another cell's troubles are not this one's
    assert "- Chi bộ đã rà soát, bổ sung quy chế làm việc trong năm 2025." in text
    assert "cells.total" not in draft.figures["previous_year"]
    assert draft.content.recipients == ["- Đảng ủy Thử nghiệm (để báo cáo),", "- Lưu Chi bộ."]
    signature = draft.content.signatures[0]
    assert (signature.authority, signature.title, signature.name) == (
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Nguyễn Văn Bí Thư",
    )


def test_a_committees_recipients_and_signature(world):
    draft = report_draft(world.root, YEAR, half=False, on=ON)
    assert draft.content.recipients == [
        "- Cấp ủy cấp trên (để báo cáo),",
        "- Các chi bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert draft.content.signatures[0].authority == "T/M ĐẢNG ỦY"
    assert {s.key for s in draft.content.sections} >= {
        "situation",
        "results.study",
        "results.organisation",
        "results.inspection",
        "targets",
        "previous_year",
        "shortcomings",
        "lessons",
        "next_year",
    }
    assert all(s.editable for s in draft.content.sections)


def test_null_ratios_read_sensibly(world):
    draft = report_draft(world.root, YEAR, half=False, on=ON)
    text = draft_text(draft)
    assert "None" not in text and "—" not in text
    # A figure missing both years says nothing: its line is left out.
    assert "chưa có số liệu (năm 2024: chưa có số liệu)" not in text
    assert "Đảng viên học tập đầy đủ các văn bản" not in section_text(draft, "previous_year")
    assert "- Đảng viên: 0 (năm 2024: 0, không thay đổi)." in section_text(draft, "previous_year")
    assert "Trong năm 2025 không có văn bản được giao học tập, quán triệt." in text
    assert "- Đánh giá, xếp loại chi bộ: chưa có kết quả." in text
    assert "(Chưa đặt chỉ tiêu năm 2026; bổ sung phương hướng, chỉ tiêu.)" in section_text(draft, "next_year")


def test_progress_is_reported_as_it_goes(world):
    calls = []
    report_draft(
        world.root, YEAR, half=False, on=ON, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def _cell_with_member(world, n: int) -> None:
    cell = make_org(world.admin, f"CB-Q{n}", parent=world.root, name=f"Chi bộ Q{n}")
    make_member(world.admin, cell, f"Đảng Viên Q{n}")
    programme_factories.review(world, cell, date(YEAR, 4, 1))


def test_the_queries_do_not_grow_with_the_cells(world, troubles):
    _cell_with_member(world, 0)
    few = query_count(lambda: report_draft(world.root, YEAR, half=False, on=ON))
    for n in range(1, 6):
        _cell_with_member(world, n)
    assert query_count(lambda: report_draft(world.root, YEAR, half=False, on=ON)) == few


def test_a_long_list_of_cells_names_the_ten_with_the_most_and_counts_the_others():
    from dangvu.documents.builders.annual_text import _reports_line

    by_cell = {f"Chi bộ {i:02d}": 12 - i for i in range(12)}  # 12 cells owing 12, 11, … 1 reports
    line = _reports_line("chưa nộp", by_cell)
    assert line.startswith("- 78 báo cáo chưa nộp, ở 12 chi bộ: Chi bộ 00 (12), Chi bộ 01 (11), ")
    assert line.endswith("Chi bộ 09 (3) và 2 chi bộ khác.")


def test_a_report_for_a_year_not_begun_is_refused(world):
    on = periods.today()
    with pytest.raises(ValidationError):
        report_draft(world.root, on.year + 1, half=False, on=on)
    with pytest.raises(ValidationError):
        report_draft(world.root, on.year + 1, half=True, on=on)
    assert report_draft(world.root, on.year, half=True, on=on).year == on.year


def test_the_six_month_review_counts_only_the_reports_due_by_30_06(world, troubles):
    """troubles: a report due 25/03 (A on time, B late, C nothing); another due 25/10, nothing yet."""
    make_request(world, due=date(YEAR, 10, 25), title="Báo cáo tháng Mười")
    review = report_draft(world.root, YEAR, half=True, on=ON)
    line = _line(section_text(review, "results.meetings"), "- Chế độ báo cáo")
    assert line == (
        "- Chế độ báo cáo (các báo cáo đến hạn đến ngày 30/06/2025): 1/3 báo cáo được tiếp nhận đúng hạn "
        "(33,3%); 1 báo cáo chưa nộp."
    )
    assert review.figures["shortcomings"]["reports_missing"] == {"Chi bộ C": 1}
    assert "- 1 báo cáo chưa nộp, ở 1 chi bộ: Chi bộ C (1)." in section_text(review, "shortcomings")

    annual = report_draft(world.root, YEAR, half=False, on=ON)  # as of 31/12: both are due
    line = _line(section_text(annual, "results.meetings"), "- Chế độ báo cáo")
    assert "1/6 báo cáo được tiếp nhận đúng hạn (16,7%); 4 báo cáo chưa nộp." in line
    assert annual.figures["shortcomings"]["reports_missing"] == {"Chi bộ A": 1, "Chi bộ B": 1, "Chi bộ C": 2}


def test_the_six_month_review_leaves_the_ratings_to_the_year_end(world):
    target_services.target_add(
        actor=world.office,
        organization=world.root,
        year=YEAR,
        metric="classification.cells.good_pct",
        op=">",
        value=80,
    )
    review = report_draft(world.root, YEAR, half=True, on=ON)
    assert _line(section_text(review, "targets"), "- ").endswith("> 80%: đánh giá vào cuối năm.")
    assert not any(key.startswith("classification.") for key in review.figures["previous_year"])
    assert "xếp loại" not in section_text(review, "previous_year")


def test_the_members_moves_of_the_period_are_told(world):
    leaving = make_member(world.admin, world.cell_a, "Đảng Viên Chuyển Đi")
    member_services.event_add(
        actor=world.admin,
        member=leaving,
        kind=EventKind.TRANSFER_OUT,
        date=date(YEAR, 4, 1),
        cell=world.cell_a,
        other_organization="Đảng bộ Phường Khác",
    )
    late = make_member(world.admin, world.cell_c, "Đảng Viên Từ Trần")
    member_services.event_add(
        actor=world.admin, member=late, kind=EventKind.DEATH, date=date(YEAR, 9, 1), cell=world.cell_c
    )
    annual = section_text(report_draft(world.root, YEAR, half=False, on=ON), "results.organisation")
    assert (
        "- Biến động đảng viên trong năm 2025: 1 đồng chí chuyển sinh hoạt đảng đi, 1 đồng chí từ trần."
        in annual
    )
    review = report_draft(world.root, YEAR, half=True, on=ON)  # September's death is not seen yet
    assert "- Biến động đảng viên trong 6 tháng đầu năm 2025: 1 đồng chí chuyển sinh hoạt đảng đi." in (
        section_text(review, "results.organisation")
    )
    other = section_text(report_draft(world.cell_b, YEAR, half=False, on=ON), "results.organisation")
    assert "- Trong năm 2025 không có đảng viên chuyển sinh hoạt đảng đến, đi, từ trần" in other


def test_the_recipients_are_the_committee_the_report_goes_to(world):
    # A partial committee and its cells report to the đảng ủy (its committee), not to a standing one.
    partial = world.cell_c.parent
    assert report_recipients(partial) == [
        "- Đảng ủy Thử nghiệm (để báo cáo),",
        "- Các chi bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert report_recipients(world.cell_c)[0] == "- Đảng ủy bộ phận P (để báo cáo),"
    commune = make_org(world.admin, "DU-XA", OrgKind.UPPER_COMMUNE, name="Đảng bộ Xã Thử")
    grassroots = make_org(
        world.admin, "DU-CS", OrgKind.GRASSROOTS_COMMITTEE, parent=commune, name="Đảng bộ Trường"
    )
    assert report_recipients(grassroots)[0] == "- Ban Thường vụ Đảng ủy Xã Thử (để báo cáo),"
    assert report_draft(grassroots, YEAR, half=False, on=ON).content.recipients == report_recipients(
        grassroots
    )


def _facts(**values) -> Facts:
    figures = {key: {"value": value} for key, value in values.items()}
    figures["committee.part_time_pct"] = {"numerator": 1500, "denominator": 1850, "value": 81.1}
    organization = SimpleNamespace(is_cell=False)
    return Facts(organization, YEAR, False, MetricContext.of("x", YEAR, date(YEAR, 12, 31)), figures)


def test_every_count_in_prose_is_grouped_and_zero_parts_are_left_out():
    facts = _facts(
        **{
            "members.total": 12500,
            "members.probationary": 0,
            "cells.total": 1200,
            "study.documents": 1100,
            "commendations.collective": 0,
            "commendations.individual": 1300,
            "classification.cells.good": 1050,
            "classification.cells.excellent": 1010,
        }
    )
    situation = annual_text._situation(facts)
    assert situation.startswith(
        "Tính đến ngày 31/12/2025, Đảng bộ có 12.500 đảng viên, sinh hoạt tại 1.200 chi bộ trực thuộc; "
        "trong năm 2025, 1.850 đồng chí tham gia cấp ủy các cấp, 81,1% kiêm nhiệm."
    )
    assert "Tổ chức học tập, quán triệt 1.100 văn bản" in annual_text._study(facts)
    organisation = annual_text._organisation(facts)
    assert "- Khen thưởng 1.300 cá nhân." in organisation
    assert "1.050 chi bộ hoàn thành tốt nhiệm vụ" in organisation
    assert "1.010 chi bộ hoàn thành xuất sắc nhiệm vụ" in organisation
    everything = "\n".join(
        s.heading + "\n" + s.text
        for s in annual_text.sections(
            facts,
            [],
            {},
            {
                "reports_missing": {},
                "reports_not_accepted_on_time": {},
                "cells_without_regulation_review": [f"Chi bộ {i}" for i in range(1234)],
                "attendance": None,
                "remedial_actions_overdue": [],
            },
            [],
        )
    )
    assert "- 1.234 chi bộ chưa rà soát quy chế làm việc" in everything
    assert "Tỷ" not in everything


def test_the_six_month_review_says_until_when_the_study_is_counted():
    facts = _facts(**{"study.documents": 4})
    facts.figures["study.members_studied_pct"] = {"numerator": 45, "denominator": 60, "value": 75.0}
    half = Facts(
        facts.organization, YEAR, True, MetricContext.of("x", YEAR, date(YEAR, 6, 30)), facts.figures
    )
    assert annual_text._study(half).startswith(
        "Năm 2025 có 4 văn bản (nghị quyết, chỉ thị, kết luận) của Đảng được giao học tập, quán triệt; "
        "đến ngày 30/06/2025, 75% đảng viên đã học tập, quán triệt đầy đủ các văn bản được giao trong năm "
        "(45/60 đảng viên)."
    )
