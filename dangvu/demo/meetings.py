"""The demo's study, training and meetings (issue 7; rules §5), for every demo year: the three
complete years before the demo's today and the current year (the years of the reviews).

Each year:

- 4 to 7 documents set by the root committee: resolutions, directives, conclusions and regulations of
  the Central Committee studied in the months after their issue, and the higher committee's own;
  every document is studied at a session of the committee about a week after it is set, then at a
  catch-up of the committee for those absent, then at their cells' catch-ups for the last few: in a
  complete year every member studied every document, bar those who left before they could;
- every cell's regular meeting each month in its first days (a few cells miss a month), a thematic
  meeting in the middle month of most quarters, the minutes with a resolution for about half;
- a Party-work training course for the committee members in March, and one in the autumn for
  those who took a seat after it (the new term's committees);
- two conferences convened by the committee: the 6-month review in July and the year-end review in
  December, with a few invitees absent;
- attendance mostly present, some excused with a reason, a few unexcused (at most one month a year
  per member), and one ordinary member of CB-02 absent without a reason in 3 months of the current
  year: flagged for the cell.

The sessions after the demo's today are planned, with their invitations (some already answered):
next month's regular meetings, the study of the document in progress, the year-end conference. The
invitees with a login (the demo personas) are told.

Written at import speed: the sessions and invitations through core.bulk (a "+" history row each,
naming the system), the invitees computed in memory from the member records, as
meetings.services.invitee_ids would; who owes a document through meetings.services.obligations_build.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone, translation

from dangvu.core import bulk
from dangvu.core.audit import save_audited
from dangvu.meetings import rules, services
from dangvu.meetings.choices import Attendance, DocumentKind, Invitees, Reply, SessionKind, SessionState
from dangvu.meetings.models import Invitation, Session, StudyDocument, StudyObligation
from dangvu.members.choices import EventKind
from dangvu.members.models import MemberEvent, MembershipPeriod
from dangvu.organization.choices import COMMITTEE_ROLES
from dangvu.organization.models import CommitteeSeat, Person

from .classification import complete_years

HALL = "Hội trường Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam, 53 Nguyễn Du, Hà Nội"
ROOMS = ("Phòng họp tầng 2", "Phòng họp tầng 3", "Phòng họp nhỏ", "Văn phòng Hội", "Phòng họp trực tuyến")
EXCUSES = (
    "Ốm, có giấy của cơ sở y tế",
    "Đi công tác theo quyết định của cơ quan",
    "Việc gia đình (có báo cáo bí thư chi bộ)",
    "Đi học tập trung",
    "Chăm người nhà ốm",
    "Trùng lịch hội nghị của cơ quan",
)
PRESENT, EXCUSED, UNEXCUSED = Attendance.PRESENT, Attendance.EXCUSED, Attendance.UNEXCUSED
K = DocumentKind

# Documents of the Central Committee (BCH TW), its Politburo (BCT) and Secretariat (BBT): (number,
# kind, issuer, issued, title). A demo year studies those issued from the July before to its
# September, the higher committee's own filling up the year.
CENTRAL = (
    (
        "27-NQ/TW",
        K.RESOLUTION,
        "Ban Chấp hành Trung ương",
        date(2022, 11, 9),
        "Nghị quyết Hội nghị Trung ương 6 khóa XIII về tiếp tục xây dựng và hoàn thiện Nhà nước pháp "
        "quyền xã hội chủ nghĩa Việt Nam trong giai đoạn mới",
    ),
    (
        "28-NQ/TW",
        K.RESOLUTION,
        "Ban Chấp hành Trung ương",
        date(2022, 11, 17),
        "Nghị quyết về tiếp tục đổi mới phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống chính "
        "trị trong giai đoạn mới",
    ),
    (
        "29-NQ/TW",
        K.RESOLUTION,
        "Ban Chấp hành Trung ương",
        date(2022, 11, 17),
        "Nghị quyết về tiếp tục đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước đến năm 2030, tầm nhìn "
        "đến năm 2045",
    ),
    (
        "21-CT/TW",
        K.DIRECTIVE,
        "Ban Bí thư",
        date(2023, 5, 20),
        "Chỉ thị về công tác phụ nữ trong tình hình mới",
    ),
    (
        "114-QĐ/TW",
        K.REGULATION,
        "Bộ Chính trị",
        date(2023, 7, 11),
        "Quy định về kiểm soát quyền lực và phòng, chống tham nhũng, tiêu cực trong công tác cán bộ",
    ),
    (
        "41-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2023, 10, 10),
        "Nghị quyết về xây dựng và phát huy vai trò của đội ngũ doanh nhân Việt Nam trong thời kỳ mới",
    ),
    (
        "45-NQ/TW",
        K.RESOLUTION,
        "Ban Chấp hành Trung ương",
        date(2023, 11, 24),
        "Nghị quyết Hội nghị Trung ương 8 khóa XIII về tiếp tục xây dựng và phát huy vai trò của đội ngũ "
        "trí thức đáp ứng yêu cầu phát triển nhanh và bền vững đất nước trong giai đoạn mới",
    ),
    (
        "43-NQ/TW",
        K.RESOLUTION,
        "Ban Chấp hành Trung ương",
        date(2023, 11, 24),
        "Nghị quyết về tiếp tục phát huy truyền thống, sức mạnh đại đoàn kết toàn dân tộc, xây dựng đất "
        "nước ta ngày càng phồn vinh, hạnh phúc",
    ),
    (
        "144-QĐ/TW",
        K.REGULATION,
        "Bộ Chính trị",
        date(2024, 5, 9),
        "Quy định về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới",
    ),
    (
        "35-CT/TW",
        K.DIRECTIVE,
        "Bộ Chính trị",
        date(2024, 6, 14),
        "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    ),
    (
        "57-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2024, 12, 22),
        "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    ),
    (
        "123-KL/TW",
        K.CONCLUSION,
        "Ban Chấp hành Trung ương",
        date(2025, 1, 24),
        "Kết luận về Đề án bổ sung về phát triển kinh tế - xã hội năm 2025 với mục tiêu tăng trưởng đạt "
        "8% trở lên",
    ),
    (
        "59-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2025, 1, 24),
        "Nghị quyết về hội nhập quốc tế trong tình hình mới",
    ),
    (
        "66-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2025, 4, 30),
        "Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước "
        "trong kỷ nguyên mới",
    ),
    ("68-NQ/TW", K.RESOLUTION, "Bộ Chính trị", date(2025, 5, 4), "Nghị quyết về phát triển kinh tế tư nhân"),
    (
        "50-CT/TW",
        K.DIRECTIVE,
        "Ban Bí thư",
        date(2025, 7, 23),
        "Chỉ thị về tiếp tục nâng cao chất lượng sinh hoạt chi bộ trong tình hình mới",
    ),
    (
        "71-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2025, 8, 22),
        "Nghị quyết về đột phá phát triển giáo dục và đào tạo",
    ),
    (
        "72-NQ/TW",
        K.RESOLUTION,
        "Bộ Chính trị",
        date(2025, 9, 9),
        "Nghị quyết về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân",
    ),
)
# The higher committee's own documents of a year: (kind, symbol, month issued, title).
HIGHER = (
    (K.RESOLUTION, "NQ", 1, "Nghị quyết về lãnh đạo thực hiện nhiệm vụ chính trị năm {year}"),
    (
        K.DIRECTIVE,
        "CT",
        3,
        "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}",
    ),
    (K.CONCLUSION, "KL", 7, "Kết luận về kết quả công tác xây dựng Đảng 6 tháng đầu năm {year}"),
    (
        K.DIRECTIVE,
        "CT",
        10,
        "Chỉ thị về kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {year}",
    ),
)
THEMES = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Vai trò của trí thức khoa học và công nghệ trong chuyển đổi số",
    "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
    "Công tác phát triển đảng viên trong đội ngũ trí thức trẻ",
    "Thực hành tiết kiệm, chống lãng phí trong cơ quan",
    "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
    "Phát huy dân chủ cơ sở trong các hội thành viên",
)


def higher_committee(year: int) -> str:
    """The committee above the demo's: the Bloc of central agencies, then (from 2025) the committee of
    the Fatherland Front and central mass organisations."""
    return (
        "Đảng ủy Khối các cơ quan Trung ương"
        if year < 2025
        else "Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương"
    )


def build_meetings(ctx) -> None:
    with translation.override("vi"):  # the notifications to the personas
        _Builder(ctx).build()


# ------------------------------------------------------------------------------------- the people


@dataclass
class _Roll:
    """The member records, read once: who was active where, and exempt when."""

    periods: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # cell → periods
    exemptions: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # member → spans
    person_of: dict[int, int] = field(default_factory=dict)  # member → person

    @classmethod
    def read(cls) -> "_Roll":
        roll = cls()
        for member_id, person_id, cell_id, start, end in MembershipPeriod.objects.filter(
            cell__isnull=False, member__deleted_at__isnull=True
        ).values_list("member_id", "member__person_id", "cell_id", "start", "end"):
            roll.periods[cell_id].append((start, end, member_id))
            roll.person_of[member_id] = person_id
        for member_id, start, end in MemberEvent.objects.filter(
            kind=EventKind.EXEMPTION, annulled=False
        ).values_list("member_id", "date", "end_date"):
            roll.exemptions[member_id].append((start, end))
        return roll

    def exempt(self, member_id: int, day: date) -> bool:
        return any(rules.exempt_during(day, s, e) for s, e in self.exemptions.get(member_id, ()))

    def members(self, cell_ids, day: date, *, with_exempt: bool = False) -> list[int]:
        """Members active at the cells on `day`, not exempt (unless asked), by member id."""
        found = []
        for cell_id in cell_ids:
            for start, end, member_id in self.periods.get(cell_id, ()):
                if rules.in_span(day, start, end) and (with_exempt or not self.exempt(member_id, day)):
                    found.append(member_id)
        return sorted(set(found))

    def cell_on(self, member_id: int, day: date, cell_ids) -> int | None:
        for cell_id in cell_ids:
            for start, end, found in self.periods.get(cell_id, ()):
                if found == member_id and rules.in_span(day, start, end):
                    return cell_id
        return None


# ------------------------------------------------------------------------------------- the build


@dataclass
class _Planned:
    """A session to write, its invitees' attendance (person → (status, reason)) and documents."""

    record: dict
    attendance: dict[int, tuple[str, str]]
    documents: list[int] = field(default_factory=list)


class _Builder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.root = ctx.root
        self.cells = ctx.cells
        self.cell_ids = [c.pk for c in ctx.cells]
        self.roll = _Roll.read()
        self.planned: list[_Planned] = []
        self.used: set[str] = set()  # the numbers of the documents set so far
        # (person, year) → months with an unexcused absence from a cell meeting: at most one.
        self.unexcused: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.seats = list(
            CommitteeSeat.objects.filter(
                organization__path__startswith=self.root.path, role__in=COMMITTEE_ROLES
            ).values_list("person_id", "organization_id", "role", "term_start", "term_end")
        )
        personas = dict(
            Person.objects.filter(user__username__in=["dangvien.cb02", "dangvien.cb03"]).values_list(
                "user__username", "pk"
            )
        )
        self.persona = personas.get("dangvien.cb02")
        # Exempt (aged), so invited by no rule; the cell invites them to its next meeting all the same.
        self.guest = personas.get("dangvien.cb03")
        self.flagged = self._flagged_member()

    def build(self) -> None:
        years = [*complete_years(self.today), self.today.year]
        for year in years:
            self._documents(year)
            self._cell_meetings(year)
            self._training(year)
            self._conferences(year)
        self._cell_meetings_next()
        self._write()

    # ------------------------------------------------------------------ helpers

    def _state(self, day: date) -> str:
        return SessionState.HELD if day < self.today else SessionState.PLANNED

    def _weekday(self, day: date) -> date:
        """The day, or the Monday after when it falls on a weekend."""
        return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day

    def _session(self, org, kind: str, day: date, invitees: str, people, *, title="", place="", **extra):
        """A session with its invitees; held before today (attendance marked), planned after."""
        rng = self.rng
        record = {
            "organization_id": org.pk,
            "kind": kind,
            "title": title,
            "held_on": day,
            "starts_at": time(*rng.choice([(8, 0), (8, 30), (14, 0), (14, 0), (15, 30)])),
            "duration_minutes": extra.pop("duration", rng.choice([90, 100, 120, 120])),
            "place": place or rng.choice(ROOMS),
            "invitees": invitees,
            "state": self._state(day),
            **extra,
        }
        planned = _Planned(record, dict.fromkeys(people))
        self.planned.append(planned)
        return planned

    def _mark(self, planned: _Planned, present_share: float, month: tuple[int, int] | None = None) -> None:
        """Mark the attendance of a held session: mostly present, some excused with a reason, a very
        few unexcused; at a cell meeting (`month` given) in at most one month a year per member, so
        that only the chosen member reaches the 3-month flag."""
        if planned.record["state"] != SessionState.HELD:
            return
        rng = self.rng
        for person_id in planned.attendance:
            roll = rng.random()
            if roll < present_share:
                planned.attendance[person_id] = (PRESENT, "")
                continue
            unexcused = roll > 1 - (1 - present_share) * 0.15
            if unexcused and month is not None:
                if person_id == self.flagged:  # their three months are chosen, no more
                    planned.attendance[person_id] = (EXCUSED, rng.choice(EXCUSES))
                    continue
                months = self.unexcused[(person_id, month[0])]
                unexcused = not (months - {month[1]})
                if unexcused:
                    months.add(month[1])
            planned.attendance[person_id] = (UNEXCUSED, "") if unexcused else (EXCUSED, rng.choice(EXCUSES))

    def _people(self, member_ids) -> list[int]:
        return sorted({self.roll.person_of[m] for m in member_ids})

    # ------------------------------------------------------------------ study

    def _documents(self, year: int) -> None:
        """The year's documents, each studied at the committee, then at catch-ups. This year's: those
        set before today, and one set a few days ago whose study is still to come."""
        rng = self.rng
        first, last = date(year - 1, 7, 1), date(year, 9, 30)
        central = [d for d in CENTRAL if first <= d[3] <= last and d[0] not in self.used]
        rng.shuffle(central)
        chosen = central[: rng.randint(2, 4)]
        serial = rng.randint(2, 6)
        suffix = "ĐUK" if year < 2025 else "ĐU"
        for kind, symbol, month, title in HIGHER[: max(0, rng.randint(4, 7) - len(chosen))]:
            serial += rng.randint(1, 4)
            issued = date(year, month, rng.randint(5, 20))
            number = f"{serial:02d}-{symbol}/{suffix}"
            chosen.append((number, kind, higher_committee(year), issued, title.format(year=year)))
        planned = []
        for number, kind, issuer, issued, title in sorted(chosen, key=lambda d: d[3]):
            set_on = self._weekday(
                min(max(issued + timedelta(days=rng.randint(20, 45)), date(year, 1, 8)), date(year, 10, 31))
            )
            study_by = min(set_on + timedelta(days=rng.randint(40, 70)), date(year, 12, 20))
            if set_on < self.today - timedelta(days=1):
                planned.append((number, kind, issuer, issued, title, set_on, study_by))
        if year == self.today.year and not planned:  # early January: one set in the last days
            set_on = self.today - timedelta(days=6)
            number = f"{serial + 3:02d}-NQ/{suffix}"
            title = f"Nghị quyết chuyên đề về nâng cao chất lượng sinh hoạt chi bộ năm {year}"
            planned.append(
                (
                    number,
                    K.RESOLUTION,
                    higher_committee(year),
                    set_on - timedelta(days=12),
                    title,
                    set_on,
                    set_on + timedelta(days=40),
                )
            )
        for index, (number, *rest) in enumerate(planned):
            self.used.add(number)
            latest = year == self.today.year and index == len(planned) - 1
            self._study(self._document(number, *rest), latest=latest)

    def _document(self, number, kind, issuer, issued, title, set_on, study_by) -> StudyDocument:
        """Set by the root committee; who owes it follows from the member records."""
        document = StudyDocument(
            organization=self.root,
            kind=kind,
            number=number,
            issuer=issuer,
            issued_on=issued,
            title=title,
            set_on=set_on,
            study_by=study_by,
        )
        save_audited(document, actor=self.ctx.actor, reason="document set for study")
        services.obligations_build(document)
        return document

    def _study(self, document: StudyDocument, latest: bool = False) -> None:
        """The committee's study session about a week after the document is set, a catch-up of the
        committee two to three weeks later, then the cells' catch-ups for the last few."""
        rng, roll = self.rng, self.roll
        owing = set(
            StudyObligation.objects.filter(document=document).values_list("member__person_id", flat=True)
        )
        number = document.number
        day = self._weekday(document.set_on + timedelta(days=rng.randint(6, 12)))
        if latest:  # this year's latest document: studied by yesterday, its catch-up still to come
            day = max(document.set_on, min(day, self.today - timedelta(days=1)))
        people = self._people(roll.members(self.cell_ids, day))
        study = self._session(
            self.root,
            SessionKind.STUDY,
            day,
            Invitees.SUBTREE_MEMBERS,
            people,
            title=f"Học tập, quán triệt {number}",
            place=HALL,
            duration=rng.choice([120, 180, 240]),
        )
        study.documents = [document.pk]
        self._mark(study, 0.93)
        if study.record["state"] != SessionState.HELD:
            return
        if latest and self.persona in study.attendance:  # the demo member owes it: shown on their page
            study.attendance[self.persona] = (EXCUSED, EXCUSES[1])
        studied = {p for p, (status, _r) in study.attendance.items() if status == PRESENT}
        day = self._weekday(day + timedelta(days=rng.randint(14, 21)))
        if latest:
            day = self.today + timedelta(days=rng.randint(2, 6))
        # Still owing and active on the day, wherever they are now (the rule of a catch-up).
        active = set(self._people(roll.members(self.cell_ids, day, with_exempt=True)))
        still = sorted((owing - studied) & active)
        if not still:
            return
        catch_up = self._session(
            self.root,
            SessionKind.CATCH_UP,
            day,
            Invitees.STILL_OWING,
            still,
            title=f"Học bù {number}",
            place=HALL,
        )
        catch_up.documents = [document.pk]
        self._mark(catch_up, 0.85)
        if catch_up.record["state"] != SessionState.HELD:
            return
        studied |= {p for p, (status, _r) in catch_up.attendance.items() if status == PRESENT}
        day = self._weekday(day + timedelta(days=rng.randint(7, 14)))
        member_of = {p: m for m, p in roll.person_of.items()}
        by_cell: dict[int, list[int]] = defaultdict(list)
        for person_id in sorted(owing - studied):
            cell_id = roll.cell_on(member_of[person_id], day, self.cell_ids)
            if cell_id is not None:
                by_cell[cell_id].append(person_id)
        cells = {c.pk: c for c in self.cells}
        for cell_id, still in sorted(by_cell.items()):
            last = self._session(
                cells[cell_id],
                SessionKind.CATCH_UP,
                day,
                Invitees.STILL_OWING,
                still,
                title=f"Học bù {number}",
            )
            last.documents = [document.pk]
            self._mark(last, 1.0)

    # ------------------------------------------------------------------ cell meetings

    def _months(self, year: int) -> list[int]:
        """The months of the year with meetings: all of a complete year; this year's to today's."""
        return list(range(1, 13 if year < self.today.year else self.today.month + 1))

    def _meeting_day(self, cell, year: int, month: int, first: int, last: int) -> date | None:
        day = date(year, month, self.rng.randint(first, last))
        if cell.active_from and day < cell.active_from:
            day = cell.active_from
        if day.month != month or (cell.active_to and day > cell.active_to):
            return None
        return self._weekday(day) if self._weekday(day).month == month else day

    def _cell_meetings(self, year: int) -> None:
        rng = self.rng
        flag_months = self._flag_months() if year == self.today.year else set()
        for index, cell in enumerate(self.cells):
            # A few cells miss a month or two; the demo secretary's cell never does.
            skipping = index % 9 == 4 and index != 1
            for month in self._months(year):
                day = self._meeting_day(cell, year, month, 2, 10)
                if day is None:
                    continue
                missed = index != 1 and (rng.random() < 0.03 or (skipping and rng.random() < 0.2))
                if missed and day < self.today:
                    continue
                self._cell_meeting(cell, SessionKind.REGULAR, day, year, month in flag_months)
                if month % 3 == 2 and rng.random() < 0.85:
                    theme = rng.choice(THEMES)
                    day = self._meeting_day(cell, year, month, 15, 25)
                    if day is not None:
                        self._cell_meeting(cell, SessionKind.THEMATIC, day, year, title=f"Chuyên đề: {theme}")

    def _cell_meeting(
        self, cell, kind: str, day: date, year: int, flag: bool = False, title: str = ""
    ) -> _Planned:
        rng = self.rng
        people = self._people(self.roll.members([cell.pk], day))
        month_label = f"tháng {day.month:02d}/{day.year}"
        title = title or f"Sinh hoạt chi bộ thường kỳ {month_label}"
        extra = {}
        if day < self.today and rng.random() < 0.5:
            extra = {
                "chair": "Bí thư chi bộ",
                "recorder": "Chi ủy viên" if rng.random() < 0.5 else "Phó Bí thư chi bộ",
                "minutes": (
                    f"Chi bộ kiểm điểm việc thực hiện nghị quyết {month_label}, thông tin thời sự, "
                    "phổ biến văn bản mới của cấp trên; các đảng viên thảo luận, đóng góp ý kiến."
                ),
                "resolution": (
                    "1. Hoàn thành nhiệm vụ chuyên môn được giao.\n"
                    "2. Đảng viên tham gia đầy đủ hoạt động của cơ quan, đoàn thể.\n"
                    "3. Đóng đảng phí đầy đủ, đúng hạn."
                ),
            }
        planned = self._session(cell, kind, day, Invitees.CELL_MEMBERS, people, title=title, **extra)
        self._mark(planned, 0.94, (day.year, day.month))
        if flag and self.flagged in planned.attendance and planned.record["state"] == SessionState.HELD:
            planned.attendance[self.flagged] = (UNEXCUSED, "")
        return planned

    def _cell_meetings_next(self) -> None:
        """Next month's regular meeting of every cell active then: planned."""
        first = (self.today.replace(day=28) + timedelta(days=4)).replace(day=1)
        for cell in self.cells:
            day = self._meeting_day(cell, first.year, first.month, 2, 8)
            if day is not None and day > self.today:
                planned = self._cell_meeting(cell, SessionKind.REGULAR, day, first.year)
                if cell == self.cells[2] and self.guest:
                    planned.attendance.setdefault(self.guest, None)

    def _flagged_member(self) -> int | None:
        """A member of CB-02 without a login, active and not exempt all this year: one without a
        seat if the cell has one (a small cell may have only its committee)."""
        cell = self.cells[1]
        seated = {person for person, *_rest in self.seats}
        logins = set(Person.objects.filter(user__isnull=False).values_list("pk", flat=True))
        first = date(self.today.year, 1, 1)
        throughout = set(self.roll.members([cell.pk], first)) & set(self.roll.members([cell.pk], self.today))
        people = [self.roll.person_of[m] for m in sorted(throughout)]
        people = [p for p in people if p not in logins]
        return next((p for p in people if p not in seated), people[0] if people else None)

    def _flag_months(self) -> set[int]:
        """Three months of this year before the current one (fewer early in the year)."""
        months = list(range(1, self.today.month))
        return {months[-5], months[-3], months[-2]} if len(months) >= 5 else set(months[-3:])

    # ------------------------------------------------------------------ training and conferences

    def _committee(self, day: date) -> list[int]:
        return sorted(
            {
                person
                for person, _org, _role, start, end in self.seats
                if start <= day and (end is None or end >= day)
            }
        )

    def _training(self, year: int) -> None:
        """A course in March for the committee members of the day; one in the autumn for those who
        took a seat since (every committee member of the year trained)."""
        day = self._weekday(date(year, 3, 16 + self.rng.randint(0, 8)))
        people = self._committee(day)
        course = self._session(
            self.root,
            SessionKind.TRAINING,
            day,
            Invitees.COMMITTEE_MEMBERS,
            people,
            title=f"Lớp bồi dưỡng nghiệp vụ công tác Đảng năm {year}",
            place=HALL,
            duration=480,
        )
        self._mark(course, 1.0)
        later = self._weekday(date(year, 9, 10 + self.rng.randint(0, 10)))
        newcomers = sorted(
            {
                person
                for person, _org, _role, start, end in self.seats
                if date(year, 1, 1) <= start <= later and start > day and (end is None or end >= start)
            }
            - set(people)
        )
        if newcomers and later < self.today:
            second = self._session(
                self.root,
                SessionKind.TRAINING,
                later,
                Invitees.CHOSEN,
                newcomers,
                title=f"Lớp bồi dưỡng nghiệp vụ công tác Đảng cho cấp ủy viên mới năm {year}",
                place=HALL,
                duration=480,
            )
            self._mark(second, 1.0)

    def _conferences(self, year: int) -> None:
        """The 6-month review in July and the year-end review in December: the committee members and
        the cells' secretaries; some absent."""
        for day, title in (
            (
                date(year, 7, 10 + self.rng.randint(0, 10)),
                f"Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm {year}",
            ),
            (
                date(year, 12, 15 + self.rng.randint(0, 8)),
                f"Hội nghị tổng kết công tác xây dựng Đảng năm {year}, triển khai nhiệm vụ năm {year + 1}",
            ),
        ):
            day = self._weekday(day)
            if day.year != year:
                day -= timedelta(days=3)
            people = self._committee(day)
            conference = self._session(
                self.root,
                SessionKind.CONFERENCE,
                day,
                Invitees.CHOSEN,
                people,
                title=title,
                place=HALL,
                duration=240,
            )
            self._mark(conference, 0.88)

    # ------------------------------------------------------------------ writing

    def _write(self) -> None:
        """The sessions, their documents and invitations in bulk; the invitees of the coming
        sessions who have a login are told."""
        rng, actor = self.rng, self.ctx.actor
        now = timezone.now()
        ids = bulk.insert(Session, [p.record for p in self.planned], actor=actor, when=now)
        through = Session.documents.through
        through.objects.bulk_create(
            through(session_id=pk, studydocument_id=d)
            for pk, p in zip(ids, self.planned, strict=True)
            for d in p.documents
        )
        zone = timezone.get_default_timezone()
        rows = []
        for pk, planned in zip(ids, self.planned, strict=True):
            day = planned.record["held_on"]
            for person_id, marked in planned.attendance.items():
                row = {"session_id": pk, "person_id": person_id}
                if marked:
                    row["attendance"], row["reason"] = marked
                elif day >= self.today and rng.random() < 0.35:
                    replied = datetime.combine(
                        self.today - timedelta(days=rng.randint(0, 3)), time(20), tzinfo=zone
                    )
                    if rng.random() < 0.12:
                        row.update(reply=Reply.EXCUSED, reply_reason=rng.choice(EXCUSES), replied_at=replied)
                    else:
                        row.update(reply=Reply.COMING, replied_at=replied)
                rows.append(row)
        bulk.insert(Invitation, rows, actor=actor, when=now)
        coming = [
            pk for pk, p in zip(ids, self.planned, strict=True) if p.record["state"] == SessionState.PLANNED
        ]
        with_login = set(
            Invitation.objects.filter(session_id__in=coming, person__user__isnull=False).values_list(
                "session_id", flat=True
            )
        )
        for session in (
            Session.objects.filter(pk__in=with_login).select_related("organization").order_by("pk")
        ):
            services.invitees_notify(session, "invitation")
