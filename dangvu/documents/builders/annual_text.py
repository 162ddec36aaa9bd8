"""The prose of the annual summary report and of the six-month review (builders/annual.py): the
sections of rules.md §7 written from the figures, as the article writes them ("46 chi bộ hoàn thành tốt
nhiệm vụ (78%)", "kết nạp 3/7 quần chúng"; documents.rules for every figure). The Vietnamese here is
the document's own text, not UI. Pure: nothing here reads the database."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dangvu.core import metrics
from dangvu.core.metrics import MetricContext
from dangvu.members.choices import EventKind
from dangvu.targets.models import Target
from dangvu.targets.wording import MONEY, SYMBOLS, wording

from ..content import Section
from ..rules import fraction, grouped, money, percent

NO_DATA = "chưa có số liệu"

# The figures compared with the previous year, in the order the report lists them; a cell's report
# leaves out those counting cells.
COMPARED = (
    "members.total",
    "members.admitted",
    "cells.total",
    "study.members_studied_pct",
    "regulations.cells_reviewed_pct",
    "inspection.cells_inspected",
    "training.committee_members_trained_pct",
    "classification.cells.good_pct",
    "classification.cells.good_or_above_pct",
    "classification.members.good_or_above_pct",
    "badges.awarded",
)
# The members' events of the period told under organisation and members (rules.md §7), in this order.
EVENTS = (EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT, EventKind.DEATH, EventKind.REMOVAL)
CELL_COUNTS = frozenset(
    {"cells.total", "inspection.cells_inspected"} | {k for k in metrics.CATALOGUE if ".cells." in k}
)


@dataclass(frozen=True)
class Facts:
    """What the report is written from: the subtree, the period and its figures."""

    organization: Any
    year: int
    half: bool
    ctx: MetricContext
    figures: dict[str, dict[str, Any]]
    # The reports due on or before the as-of date: "required", "on_time", "missing" (builders/annual.py).
    reports: dict[str, int] = field(default_factory=dict)
    # How many members each of EVENTS concerns in the period.
    events: dict[str, int] = field(default_factory=dict)

    @property
    def is_cell(self) -> bool:
        return self.organization.is_cell

    def value(self, key: str):
        return self.figures.get(key, {}).get("value")

    def count(self, key: str) -> int:
        return int(self.value(key) or 0)

    def ratio(self, key: str) -> tuple[int, int, float | None]:
        found = self.figures.get(key, {})
        return found.get("numerator") or 0, found.get("denominator") or 0, found.get("value")

    @property
    def as_of_text(self) -> str:
        return self.ctx.as_of.strftime("%d/%m/%Y")

    @property
    def period(self) -> str:
        """ "năm 2023", "6 tháng đầu năm 2023"."""
        return f"6 tháng đầu năm {self.year}" if self.half else f"năm {self.year}"

    @property
    def us(self) -> str:
        return "Chi bộ" if self.is_cell else "Đảng bộ"


def _figure(key: str, value) -> str:
    """A figure in prose: "1.850", "78%", "86,3%", "2.340.000 đồng"; a null one "chưa có số liệu"."""
    metric = metrics.get(key)
    if value is None or metric is None:
        return NO_DATA
    if metric.kind == metrics.RATIO:
        return percent(value)
    return money(int(value)) if key in MONEY else grouped(int(value))


def as_target(found: dict) -> Target:
    """An evaluated target (metrics.annual_document) as a Target, for targets.wording."""
    if not found["metric"]:
        return Target(metric="", text=found["text"], note=found["note"])
    return Target(metric=found["metric"], op=found["op"], value=Decimal(str(found["value"])))


def sections(
    facts: Facts, targets: list[dict], previous: dict, shortcomings: dict, coming: list[Target]
) -> list[Section]:
    """The report's sections, each editable and named by a stable key."""
    results = "KẾT QUẢ THỰC HIỆN NHIỆM VỤ " + facts.period.upper()
    return [
        Section("I. ĐẶC ĐIỂM, TÌNH HÌNH", _situation(facts), 1, key="situation"),
        Section("II. " + results, "", 1, key="results"),
        Section("1. Công tác chính trị, tư tưởng", _study(facts), 2, key="results.study"),
        Section("2. Công tác tổ chức, xây dựng Đảng", _organisation(facts), 2, key="results.organisation"),
        Section("3. Công tác kiểm tra, giám sát", _inspection(facts), 2, key="results.inspection"),
        Section("4. Sinh hoạt Đảng và chế độ báo cáo", _meetings(facts), 2, key="results.meetings"),
        Section("5. Công tác dân vận", _placeholder("kết quả công tác dân vận"), 2, key="results.mass"),
        Section(
            "6. Lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị",
            _placeholder("kết quả lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị"),
            2,
            key="results.unit",
        ),
        Section("III. SO SÁNH VỚI CHỈ TIÊU VÀ CÙNG KỲ NĂM TRƯỚC", "", 1, key="comparison"),
        Section(f"1. Thực hiện chỉ tiêu năm {facts.year}", _targets(facts, targets), 2, key="targets"),
        Section(_previous_heading(facts), _previous(facts, previous), 2, key="previous_year"),
        Section(
            "IV. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
            _shortcomings_text(facts, shortcomings),
            1,
            key="shortcomings",
        ),
        Section("V. BÀI HỌC KINH NGHIỆM", _placeholder("những bài học kinh nghiệm"), 1, key="lessons"),
        Section(_next_heading(facts), _next_text(facts, coming), 1, key="next_year"),
    ]


def _placeholder(what: str) -> str:
    return f"(Bổ sung {what}.)"


def _situation(facts: Facts) -> str:
    members = grouped(facts.count("members.total"))
    sentence = f"Tính đến ngày {facts.as_of_text}, {facts.us} có {members} đảng viên"
    extra = []
    if facts.count("members.probationary"):
        extra.append(f"{grouped(facts.count('members.probationary'))} đảng viên dự bị")
    if facts.count("members.exempt"):
        extra.append(f"{grouped(facts.count('members.exempt'))} đảng viên được miễn sinh hoạt")
    if extra:
        sentence += f" (trong đó {', '.join(extra)})"
    if not facts.is_cell:
        sentence += f", sinh hoạt tại {grouped(facts.count('cells.total'))} chi bộ trực thuộc"
    _, committee, part_time = facts.ratio("committee.part_time_pct")
    if committee:
        # committee.* counts everyone who held a seat at any time in the period, at every level of the
        # subtree (the cells' chi ủy included).
        where = "chi ủy" if facts.is_cell else "cấp ủy các cấp"
        sentence += (
            f"; trong {facts.period}, {grouped(committee)} đồng chí tham gia {where}, "
            f"{percent(part_time)} kiêm nhiệm"
        )
    return sentence + ".\n\n" + _placeholder("thuận lợi, khó khăn của đơn vị trong " + facts.period)


def _study(facts: Facts) -> str:
    documents = facts.count("study.documents")
    if not documents:
        return f"Trong {facts.period} không có văn bản được giao học tập, quán triệt.\n\n" + _placeholder(
            "công tác chính trị, tư tưởng"
        )
    studied, required, pct = facts.ratio("study.members_studied_pct")
    if facts.half:
        # The figures count the documents whose study deadline falls in the year, some of them due
        # after the as-of date: say so.
        text = (
            f"Năm {facts.year} có {grouped(documents)} văn bản (nghị quyết, chỉ thị, kết luận) của Đảng "
            f"được giao học tập, quán triệt; đến ngày {facts.as_of_text}, "
        )
        done = "đã học tập, quán triệt đầy đủ các văn bản được giao trong năm"
    else:
        text = (
            f"Tổ chức học tập, quán triệt {grouped(documents)} văn bản (nghị quyết, chỉ thị, kết luận) "
            "của Đảng; "
        )
        done = "được học tập, quán triệt đầy đủ các văn bản được giao"
    if pct is None:
        text += f"số đảng viên được học tập, quán triệt {NO_DATA}."
    else:
        text += f"{percent(pct)} đảng viên {done} ({fraction(studied, required)} đảng viên)."
    return text + "\n\n" + _placeholder("tình hình tư tưởng của đảng viên")


def _organisation(facts: Facts) -> str:
    lines = [_admissions(facts), _movements(facts), _training(facts), _regulations(facts), _badges(facts)]
    commendations = [
        f"{grouped(n)} {who}"
        for n, who in (
            (facts.count("commendations.collective"), "tập thể"),
            (facts.count("commendations.individual"), "cá nhân"),
        )
        if n
    ]
    if commendations:
        lines.append(f"- Khen thưởng {' và '.join(commendations)}.")
    if not facts.half:
        lines += _ratings(facts)
    return "\n".join(lines)


def _admissions(facts: Facts) -> str:
    # Two sentences: the year's admissions count every decision (re-admissions, members admitted
    # elsewhere and transferred in), the pool only the candidates who took the class in the year.
    text = f"- Kết nạp {grouped(facts.count('members.admitted'))} đảng viên mới"
    recognised = facts.count("members.recognised_official")
    if recognised:
        text += f"; công nhận đảng viên chính thức cho {grouped(recognised)} đồng chí"
    text += "."
    admitted, pool, _ = facts.ratio("development.admitted_from_pool")
    if pool:
        text += f" Về tạo nguồn: kết nạp {fraction(admitted, pool)} quần chúng đã học lớp đối tượng Đảng."
    return text


_EVENT_WORDS = {
    EventKind.TRANSFER_IN: "chuyển sinh hoạt đảng đến",
    EventKind.TRANSFER_OUT: "chuyển sinh hoạt đảng đi",
    EventKind.DEATH: "từ trần",
    EventKind.REMOVAL: "bị xóa tên",
}


def _movements(facts: Facts) -> str:
    """The members' transfers in and out, deaths and removals of the period (rules.md §7)."""
    parts = [f"{grouped(facts.events[k])} đồng chí {_EVENT_WORDS[k]}" for k in EVENTS if facts.events.get(k)]
    if not parts:
        return (
            f"- Trong {facts.period} không có đảng viên chuyển sinh hoạt đảng đến, đi, từ trần "
            "hoặc bị xóa tên."
        )
    return f"- Biến động đảng viên trong {facts.period}: {', '.join(parts)}."


def _training(facts: Facts) -> str:
    trained, committee, pct = facts.ratio("training.committee_members_trained_pct")
    if pct is None:
        return f"- Cấp ủy viên dự tập huấn nghiệp vụ công tác Đảng: {NO_DATA}."
    who = "cấp ủy viên" if facts.is_cell else "cấp ủy viên các cấp"
    return f"- {percent(pct)} {who} dự tập huấn nghiệp vụ công tác Đảng ({fraction(trained, committee)})."


def _regulations(facts: Facts) -> str:
    reviewed, cells, pct = facts.ratio("regulations.cells_reviewed_pct")
    if pct is None:
        return f"- Rà soát quy chế làm việc của chi bộ: {NO_DATA}."
    if facts.is_cell:
        done = "đã" if reviewed else "chưa"
        return f"- Chi bộ {done} rà soát, bổ sung quy chế làm việc trong {facts.period}."
    return (
        f"- {percent(pct)} chi bộ rà soát, sửa đổi, bổ sung quy chế làm việc "
        f"({fraction(reviewed, cells)} chi bộ)."
    )


def _badges(facts: Facts) -> str:
    awarded = facts.count("badges.awarded")
    if not awarded:
        return f"- Trong {facts.period} không có đảng viên được tặng Huy hiệu Đảng."
    reward = money(facts.count("badges.reward_total_vnd"))
    return f"- Tặng Huy hiệu Đảng cho {grouped(awarded)} đồng chí, tiền thưởng kèm theo {reward}."


def _ratings(facts: Facts) -> list[str]:
    """The year's review: the cells' ratings (the article's sentence), then the members'."""
    lines = []
    c = {
        b: facts.count(f"classification.cells.{b}")
        for b in ("excellent", "good", "completed", "not_completed")
    }
    rated = sum(c.values())
    if facts.is_cell:
        level = next((b for b in c if c[b]), None)
        lines.append(f"- Chi bộ {_LEVELS[level]}." if level else "- Chi bộ chưa được đánh giá, xếp loại.")
    elif rated:
        _, _, completed_pct = facts.ratio("classification.cells.completed_or_above_pct")
        _, _, good_pct = facts.ratio("classification.cells.good_pct")
        text = (
            f"- Đánh giá, xếp loại chi bộ: {percent(completed_pct)} chi bộ hoàn thành nhiệm vụ trở lên, "
            f"trong đó {grouped(c['good'])} chi bộ hoàn thành tốt nhiệm vụ ({percent(good_pct)}), "
            f"{grouped(c['excellent'])} chi bộ hoàn thành xuất sắc nhiệm vụ"
        )
        if c["not_completed"]:
            text += f"; {grouped(c['not_completed'])} chi bộ không hoàn thành nhiệm vụ"
        unrated = facts.count("classification.cells.unrated")
        lines.append(text + (f"; {grouped(unrated)} chi bộ chưa được xếp loại." if unrated else "."))
    else:
        lines.append("- Đánh giá, xếp loại chi bộ: chưa có kết quả.")
    lines.append(_member_ratings(facts))
    return lines


_LEVELS = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "completed": "hoàn thành nhiệm vụ",
    "not_completed": "không hoàn thành nhiệm vụ",
}


def _member_ratings(facts: Facts) -> str:
    m = {b: facts.count(f"classification.members.{b}") for b in _LEVELS}
    if not sum(m.values()):
        return "- Đánh giá, xếp loại đảng viên: chưa có kết quả."
    _, _, good_or_above = facts.ratio("classification.members.good_or_above_pct")
    parts = ", ".join(f"{grouped(m[b])} đồng chí {_LEVELS[b]}" for b in _LEVELS if m[b])
    text = (
        f"- Đánh giá, xếp loại đảng viên: {parts} ({percent(good_or_above)} hoàn thành tốt nhiệm vụ trở lên)"
    )
    skipped = facts.count("classification.members.not_reviewed")
    return text + (
        f"; {grouped(skipped)} đảng viên không đánh giá, xếp loại theo quy định." if skipped else "."
    )


def _inspection(facts: Facts) -> str:
    planned = facts.count("inspection.planned")
    if not planned:
        return (
            f"Trong {facts.period} không có nội dung kiểm tra, giám sát theo chương trình.\n\n"
            + _placeholder("kết quả kiểm tra, giám sát")
        )
    completed, _, pct = facts.ratio("inspection.completed_pct")
    text = f"Thực hiện {fraction(completed, planned)} nội dung kiểm tra, giám sát theo chương trình; "
    if facts.is_cell:
        text += f"hoàn thành {percent(pct)} theo kế hoạch."
    else:
        cells = grouped(facts.count("inspection.cells_inspected"))
        text += (
            f"hoàn thành kiểm tra, giám sát theo kế hoạch đối với {cells} chi bộ trực thuộc "
            f"({percent(pct)} theo kế hoạch)."
        )
    return text + "\n\n" + _placeholder("nội dung và kết luận kiểm tra, giám sát")


def _meetings(facts: Facts) -> str:
    held, months, pct = facts.ratio("meetings.cell_meetings_held_pct")
    lines = [
        f"- Sinh hoạt chi bộ thường kỳ hằng tháng: {NO_DATA}."
        if pct is None
        else f"- Sinh hoạt chi bộ thường kỳ hằng tháng đạt {percent(pct)} "
        f"({fraction(held, months)} lượt chi bộ - tháng)."
    ]
    _, invited, attendance = facts.ratio("meetings.conference_attendance_pct")
    lines.append(
        f"- Trong {facts.period} không có hội nghị do cấp ủy triệu tập được ghi nhận."
        if not invited
        else f"- Tỉ lệ đảng viên dự hội nghị do cấp ủy triệu tập đạt {percent(attendance)}."
    )
    # The reports due on or before the as-of date: one due later is not owed yet.
    required = facts.reports.get("required", 0)
    if not required:
        lines.append(f"- Đến ngày {facts.as_of_text} không có báo cáo chi bộ phải nộp theo yêu cầu.")
    else:
        on_time, missing = facts.reports["on_time"], facts.reports["missing"]
        text = (
            f"- Chế độ báo cáo (các báo cáo đến hạn đến ngày {facts.as_of_text}): "
            f"{fraction(on_time, required)} báo cáo được tiếp nhận đúng hạn "
            f"({percent(metrics.ratio(on_time, required)['value'])})"
        )
        lines.append(text + (f"; {grouped(missing)} báo cáo chưa nộp." if missing else "."))
    return "\n".join(lines)


def _target_line(found: dict) -> str:
    if not found["metric"]:
        note = f" ({found['note'].rstrip('. ')})" if found.get("note") else ""
        return f"- {found['text']}{note}: (bổ sung đánh giá kết quả)."
    target = as_target(found)
    if found["actual"] is None:  # no figure: no verdict
        return f"- {wording(target)}: {NO_DATA}."
    verdict = "đạt" if found["met"] else "chưa đạt"
    return f"- {wording(target)}: thực hiện {_figure(found['metric'], found['actual'])} ({verdict})."


def _rated_at_year_end(facts: Facts, found: dict) -> bool:
    return facts.half and (found["metric"] or "").startswith("classification.")


def _targets(facts: Facts, targets: list[dict]) -> str:
    if not targets:
        return f"Năm {facts.year} chưa đặt chỉ tiêu."
    lead = (
        f"Đến ngày {facts.as_of_text}:" if facts.half else f"Kết quả thực hiện các chỉ tiêu năm {facts.year}:"
    )
    lines = [
        f"- {wording(as_target(found))}: đánh giá vào cuối năm."
        if _rated_at_year_end(facts, found)
        else _target_line(found)
        for found in targets
    ]
    return "\n".join([lead, *lines])


def _previous_heading(facts: Facts) -> str:
    if facts.half:
        return f"2. So sánh với 6 tháng đầu năm {facts.year - 1}"
    return f"2. So sánh với năm {facts.year - 1}"


def _change(key: str, now, then) -> str:
    if now is None or then is None:
        return ""
    difference = Decimal(str(now)) - Decimal(str(then))
    if not difference:
        return ", không thay đổi"
    word = "tăng" if difference > 0 else "giảm"
    size = abs(difference)
    if metrics.get(key).kind == metrics.RATIO:
        return f", {word} {percent(size)[:-1]} điểm phần trăm"
    return f", {word} {grouped(int(size))}"


def _previous(facts: Facts, previous: dict) -> str:
    lines = []
    before = f"cùng kỳ năm {facts.year - 1}" if facts.half else f"năm {facts.year - 1}"
    for key in COMPARED:
        if key not in previous:
            continue
        now, then = facts.value(key), previous[key].value
        if now is None and then is None:
            continue
        typed = " (số liệu nhập)" if previous[key].entered else ""
        lines.append(
            f"- {metrics.get(key).label}: {_figure(key, now)} "
            f"({before}: {_figure(key, then)}{typed}{_change(key, now, then)})."
        )
    return "\n".join(lines)


def _shortcomings_text(facts: Facts, found: dict[str, Any]) -> str:
    lines = [
        _reports_line("chưa nộp", found["reports_missing"]),
        _reports_line(NOT_ACCEPTED_ON_TIME, found["reports_not_accepted_on_time"]),
    ]
    if not facts.is_cell:
        cells = found["cells_without_regulation_review"]
        lines.append(
            f"- {grouped(len(cells))} chi bộ chưa rà soát quy chế làm việc: {_some(cells, 'chi bộ')}."
            if cells
            else "- Không có chi bộ chưa rà soát quy chế làm việc."
        )
    elif found["cells_without_regulation_review"]:
        lines.append(f"- Chi bộ chưa rà soát quy chế làm việc trong {facts.period}.")
    if found["attendance"]:
        lines.append(_attendance_line(found["attendance"]))
    lines.append(_actions_line(found["remedial_actions_overdue"]))
    return "\n".join(lines) + "\n\n" + "Nguyên nhân: " + _placeholder("nguyên nhân của hạn chế, khuyết điểm")


# Neither accepted on time nor missing: sent late, or sent on time and returned or not accepted yet.
NOT_ACCEPTED_ON_TIME = "chưa được tiếp nhận đúng hạn (nộp muộn hoặc bị trả lại để sửa)"

# A report names the cells concerned, the most first, up to this many; the figures keep them all.
MOST_NAMED = 10


def _some(names: list[str], what: str, sep: str = ", ") -> str:
    """ "A, B, C" or, past MOST_NAMED, "A, B, … và 35 chi bộ khác"."""
    if len(names) <= MOST_NAMED:
        return sep.join(names)
    return f"{sep.join(names[:MOST_NAMED])} và {len(names) - MOST_NAMED} {what} khác"


def _reports_line(what: str, by_cell: dict[str, int]) -> str:
    if not by_cell:
        return f"- Không có báo cáo {what}."
    count = grouped(sum(by_cell.values()))
    cells = _some([f"{cell} ({n})" for cell, n in by_cell.items()], "chi bộ")
    return f"- {count} báo cáo {what}, ở {grouped(len(by_cell))} chi bộ: {cells}."


def _attendance_line(found: dict) -> str:
    key = "meetings.conference_attendance_pct"
    target = f"{SYMBOLS.get(found['op'], found['op'])} {percent(found['value'])}"
    text = f"- Tỉ lệ đảng viên dự hội nghị đạt {_figure(key, found['actual'])}, chưa đạt chỉ tiêu ({target})"
    cells = found["cells_absent"]
    return text + (f"; vắng mặt: đảng viên {_some(cells, 'chi bộ')}." if cells else ".")


def _actions_line(actions: list[dict[str, str]]) -> str:
    if not actions:
        return "- Không có nội dung khắc phục sau kiểm tra, giám sát quá hạn."
    listed = _some([f"{a['cell']} ({a['action']}, hạn {a['due_on']})" for a in actions], "nội dung", "; ")
    count = grouped(len(actions))
    return f"- {count} nội dung khắc phục sau kiểm tra, giám sát quá hạn chưa hoàn thành: {listed}."


def _next_heading(facts: Facts) -> str:
    if facts.half:
        return f"VI. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM {facts.year}"
    return f"VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {facts.year + 1}"


def _next_text(facts: Facts, coming: list[Target]) -> str:
    tasks = _placeholder("nhiệm vụ, giải pháp chủ yếu")
    if not coming:
        if facts.half:
            return f"Tiếp tục thực hiện các chỉ tiêu năm {facts.year}.\n\n{tasks}"
        return f"(Chưa đặt chỉ tiêu năm {facts.year + 1}; bổ sung phương hướng, chỉ tiêu.)\n\n{tasks}"
    lead = (
        f"Tập trung thực hiện các chỉ tiêu năm {facts.year} chưa đạt:"
        if facts.half
        else f"Phấn đấu năm {facts.year + 1} đạt các chỉ tiêu:"
    )
    items = [f"- {wording(t)}." if t.metric else f"- {t.text}." for t in coming]
    return "\n".join([lead, *items]) + "\n\n" + tasks
