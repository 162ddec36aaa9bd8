"""The demo's year's work programme (issue 8; rules §4), for every demo year: the three complete
years before the demo's today and the current year.

Each year:

- the root committee's inspection and supervision programme of 14 items: compliance inspections of
  members from March to September, thematic inspections and supervisions of cells (12 cells in all,
  the article's "12 chi bộ, đạt 100% kế hoạch"), the ongoing supervision of the committee itself and
  one item cancelled with its reason; a past year's items are all concluded, this year's when their
  period ended a fortnight before today; conclusions with their result and remedial actions, most
  reported done, one of CB-02 overdue this year; one member reprimanded (a past year), the discipline
  written on the member's record by the conclusion;
- an action plan for one of the committee's documents of the year, with 4 to 6 tasks for some cells,
  progress reports, a difficulty answered and, this year, a proposal still unanswered;
- every cell's review of its working regulations in the first quarter (a few cells not yet this
  year), and of its coordination rules for about a quarter of them.

The programme, its items and the reviews are written through the programme's services (each
audited), as the inspection commission (`ubkt`), the office (`vanphong`) and CB-02's secretary
(`bithu.cb02`) would. The action plans, tasks and notes are saved directly (audited too): the services
date an answer or a task done today and send notifications, and the demo's past years need their own
dates without telling anyone.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from dangvu.core import periods
from dangvu.core.audit import save_audited
from dangvu.meetings.models import StudyDocument
from dangvu.members.choices import DisciplineForm
from dangvu.members.models import MembershipPeriod
from dangvu.programme import services
from dangvu.programme.choices import (
    ItemKind,
    ItemState,
    NoteKind,
    RegulationKind,
    Result,
    ReviewKind,
    TaskState,
)
from dangvu.programme.models import ActionPlan, Note, Task

from .classification import complete_years

CELL_THEMES = (
    "Việc thực hiện quy chế làm việc và chế độ sinh hoạt chi bộ",
    "Việc lãnh đạo thực hiện nhiệm vụ chính trị của cơ quan",
    "Công tác quản lý đảng viên và thu, nộp, quản lý đảng phí",
    "Việc học tập, quán triệt và thực hiện các nghị quyết, chỉ thị của Đảng",
    "Việc thực hiện Quy định về những điều đảng viên không được làm",
    "Công tác phát triển đảng viên và bồi dưỡng quần chúng ưu tú",
    "Việc thực hiện dân chủ trong sinh hoạt chi bộ",
    "Việc giữ gìn phẩm chất đạo đức, lối sống của đảng viên",
)
ACTIONS = (
    "Bổ sung, hoàn thiện sổ ghi biên bản sinh hoạt chi bộ",
    "Rà soát, cập nhật hồ sơ đảng viên",
    "Sửa đổi quy chế làm việc của chi ủy cho phù hợp",
    "Đôn đốc thu, nộp đảng phí đúng kỳ hạn",
    "Xây dựng chương trình sinh hoạt chuyên đề hằng quý",
)
TASKS = (
    "Tổ chức quán triệt nội dung văn bản đến toàn thể đảng viên",
    "Xây dựng chương trình hành động của chi bộ",
    "Lồng ghép nội dung vào sinh hoạt chuyên đề",
    "Sơ kết 6 tháng việc thực hiện",
    "Báo cáo kết quả thực hiện về Văn phòng Đảng ủy",
    "Tuyên truyền trong cán bộ, hội viên của cơ quan",
)
# (months after the plan, kind) of the items: compliance of members Mar–Sep, cells, the committee.
PLAN = (
    (3, ItemKind.COMPLIANCE),
    (5, ItemKind.COMPLIANCE),
    (6, ItemKind.COMPLIANCE),
    (8, ItemKind.COMPLIANCE),
    (3, ItemKind.THEMATIC_INSPECTION),
    (4, ItemKind.THEMATIC_INSPECTION),
    (6, ItemKind.THEMATIC_INSPECTION),
    (7, ItemKind.THEMATIC_INSPECTION),
    (9, ItemKind.THEMATIC_INSPECTION),
    (4, ItemKind.THEMATIC_SUPERVISION),
    (8, ItemKind.THEMATIC_SUPERVISION),
    (10, ItemKind.THEMATIC_SUPERVISION),
)


def build_programme(ctx) -> None:
    _Builder(ctx).build()


class _Builder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.root = ctx, ctx.rng, ctx.root
        # The services refuse a date after the real today: the demo built for a later day stops there.
        self.today = min(ctx.today, periods.today())
        self.cb02 = ctx.cells[1]
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["ubkt", "vanphong", "bithu.cb02"])
        }
        self.inspector = users.get("ubkt", ctx.actor)
        self.office = users.get("vanphong", ctx.actor)
        self.secretary = users.get("bithu.cb02", ctx.actor)
        self.years = [*complete_years(ctx.today), ctx.today.year]
        # The member reprimanded: in the last complete year.
        self.discipline_year = self.years[-2]

    def build(self) -> None:
        for year in self.years:
            self._programme(year)
            self._action_plan(year)
            self._regulations(year)

    # ------------------------------------------------------------------ the programme

    def _cells_of(self, year: int) -> list:
        """The cells active all year (on the as-of date for this year), CB-02 first."""
        end = min(date(year, 12, 31), self.ctx.today)
        found = [
            c
            for c in self.ctx.cells
            if c.active_from <= date(year, 1, 1) and (c.active_to is None or c.active_to >= end)
        ]
        others = [c for c in found if c != self.cb02]
        return [self.cb02, *self.rng.sample(others, 12)]

    def _member_of(self, cell, year: int):
        """An official member of the cell from before the year to its end (or today)."""
        end = min(date(year, 12, 31), self.ctx.today)
        periods_ = MembershipPeriod.objects.filter(
            cell=cell,
            start__lt=date(year, 1, 1),
            recognised_on__lt=date(year, 1, 1),
            member__deleted_at__isnull=True,
        ).exclude(end__lte=end)
        return periods_.select_related("member__person").order_by("member_id").first()

    def _programme(self, year: int) -> None:
        rng = self.rng
        programme = services.programme_open(
            actor=self.office,
            organization=self.root,
            year=year,
            number=f"{rng.randint(2, 9):02d}-CTr/ĐU",
            adopted_on=date(year, 1, rng.randint(8, 20)),
        )
        cells = self._cells_of(year)
        # CB-02 thematically inspected in April (this year: its overdue remedial action).
        subjects = [cells[1], cells[2], cells[3], cells[4], cells[5], cells[0], *cells[6:]]
        for index, ((month, kind), cell) in enumerate(zip(PLAN, subjects, strict=False)):
            starts = date(year, month, rng.randint(1, 10))
            ends = starts + timedelta(days=rng.randint(20, 40))
            subject = {"subject_cell": cell}
            if kind == ItemKind.COMPLIANCE:
                period = self._member_of(cell, year)
                subject = {"subject_member": period.member} if period else subject
            item = services.item_add(
                actor=self.inspector,
                programme=programme,
                kind=kind,
                content=CELL_THEMES[index % len(CELL_THEMES)]
                if kind != ItemKind.COMPLIANCE
                else "Kiểm tra việc chấp hành Điều lệ Đảng, nghị quyết, chỉ thị và quy định của Đảng",
                starts_on=starts,
                ends_on=ends,
                decision_number=f"{10 + index}-QĐ/UBKT",
                responsible="Ủy ban Kiểm tra Đảng ủy",
                **subject,
            )
            discipline = index == 1 and year == self.discipline_year and "subject_member" in subject
            self._progress(item, cell, discipline=discipline)
        self._committee_supervision(programme, year)
        cancelled = services.item_add(
            actor=self.inspector,
            programme=programme,
            kind=ItemKind.THEMATIC_SUPERVISION,
            content="Giám sát việc thực hiện quy chế phối hợp với chính quyền cơ quan",
            starts_on=date(year, 11, 3),
            ends_on=date(year, 11, 28),
            subject_cell=cells[-1],
        )
        services.item_move(
            actor=self.inspector,
            item=cancelled,
            to=ItemState.CANCELLED,
            expected_version=cancelled.version,
            reason="Chi bộ đã được giám sát chuyên đề trong năm; chuyển sang chương trình năm sau",
        )

    def _progress(self, item, cell, *, discipline: bool) -> None:
        """Start an item whose period began, conclude it a fortnight after its end, with its actions."""
        if item.starts_on >= self.today:
            return
        concluded_on = item.ends_on + timedelta(days=self.rng.randint(7, 14))
        if concluded_on >= self.today:
            services.item_move(
                actor=self.inspector, item=item, to=ItemState.IN_PROGRESS, expected_version=item.version
            )
            return
        result, form, actions = Result.NO_VIOLATION, "", []
        if discipline:
            result, form = Result.VIOLATION_DISCIPLINE, DisciplineForm.REPRIMAND
        elif self.rng.random() < 0.5 or cell == self.cb02:
            result = Result.SHORTCOMINGS
            due = concluded_on + timedelta(days=self.rng.choice([30, 45, 60]))
            actions = [services.Action(self.rng.choice(ACTIONS), cell, due)]
        conclusion = {
            Result.NO_VIOLATION: "Thực hiện nghiêm túc, đúng quy định; không có vi phạm.",
            Result.SHORTCOMINGS: "Cơ bản thực hiện đúng quy định; còn một số thiếu sót cần khắc phục.",
            Result.VIOLATION_DISCIPLINE: "Vi phạm Quy định về những điều đảng viên không được làm; "
            "đề nghị thi hành kỷ luật bằng hình thức khiển trách.",
        }[result]
        item = services.item_conclude(
            actor=self.inspector,
            item=item,
            expected_version=item.version,
            concluded_on=concluded_on,
            conclusion=conclusion,
            result=result,
            discipline_form=form,
            actions=actions,
        )
        for action in item.actions.all():
            overdue_here = cell == self.cb02 and item.programme.year == self.ctx.today.year
            done_on = action.due_on - timedelta(days=self.rng.randint(2, 15))
            if overdue_here or done_on >= self.today:
                continue
            services.action_done(
                actor=self.secretary if cell == self.cb02 else self.ctx.actor,
                action=action,
                expected_version=action.version,
                done_on=done_on,
                report="Chi bộ đã khắc phục, báo cáo bằng văn bản gửi Ủy ban Kiểm tra.",
            )

    def _committee_supervision(self, programme, year: int) -> None:
        """The ongoing supervision of the committee itself, all year: concluded at the year's end."""
        item = services.item_add(
            actor=self.inspector,
            programme=programme,
            kind=ItemKind.ONGOING_SUPERVISION,
            content="Giám sát thường xuyên việc thực hiện chức trách, nhiệm vụ của các đồng chí cấp ủy viên",
            starts_on=date(year, 1, 15),
            ends_on=date(year, 12, 15),
            responsible="Ủy ban Kiểm tra Đảng ủy",
        )
        if date(year, 12, 22) < self.today:
            services.item_conclude(
                actor=self.inspector,
                item=item,
                expected_version=item.version,
                concluded_on=date(year, 12, 22),
                conclusion="Các đồng chí cấp ủy viên thực hiện đúng chức trách, nhiệm vụ được giao.",
                result=Result.NO_VIOLATION,
            )
        elif item.starts_on < self.today:
            services.item_move(
                actor=self.inspector, item=item, to=ItemState.IN_PROGRESS, expected_version=item.version
            )

    # ------------------------------------------------------------------ the action plan

    def _action_plan(self, year: int) -> None:
        document = (
            StudyDocument.objects.filter(organization=self.root, set_on__year=year, set_on__lt=self.today)
            .order_by("set_on", "pk")
            .first()
        )
        if document is None:
            return
        rng = self.rng
        adopted = document.set_on + timedelta(days=10)
        if adopted >= self.today:
            return
        plan = ActionPlan(
            organization=self.root,
            document=document,
            title=f"Kế hoạch thực hiện {document.number or document.title[:120]}",
            number=f"{rng.randint(20, 90)}-KH/ĐU",
            adopted_on=adopted,
        )
        save_audited(plan, actor=self.office, reason="action plan adopted")
        current = year == self.ctx.today.year
        for index, what in enumerate(rng.sample(TASKS, rng.randint(4, 6))):
            due = adopted + timedelta(days=30 * (index + 1))
            late = current and index == 1  # this year, one task left late
            done = due < self.today and not late
            task = Task(
                plan=plan,
                what=what,
                responsible="Các chi bộ" if index else "Văn phòng Đảng ủy",
                due_on=due,
                state=TaskState.DONE if done else TaskState.OPEN,
                done_on=due - timedelta(days=rng.randint(1, 10)) if done else None,
                evidence="Báo cáo kết quả của các chi bộ" if done else "",
            )
            save_audited(task, actor=self.office, reason="task set")
            cells = [self.cb02, *rng.sample(self.ctx.cells[2:20], rng.randint(1, 4))]
            task.cells.set(cells)
            self._notes(task, cells, index, current)

    def _notes(self, task, cells, index: int, current: bool) -> None:
        raised = task.plan.adopted_on + timedelta(days=20 + 10 * index)
        if raised >= self.today:
            return
        notes = [(NoteKind.PROGRESS, "Chi bộ đã quán triệt đến toàn thể đảng viên.", True)]
        if index == 0:
            notes.append((NoteKind.DIFFICULTY, "Nhiều đảng viên đi công tác, khó bố trí thời gian.", True))
        if index == 2:
            notes.append((NoteKind.PROPOSAL, "Đề nghị Đảng ủy cung cấp tài liệu hướng dẫn.", not current))
        for kind, text, answered in notes:
            answered_on = raised + timedelta(days=7)
            answered = answered and kind != NoteKind.PROGRESS and answered_on < self.today
            note = Note(
                task=task,
                cell=cells[0] if kind != NoteKind.PROGRESS else self.rng.choice(cells),
                kind=kind,
                text=text,
                raised_on=raised,
                answer="Văn phòng Đảng ủy đã gửi hướng dẫn, đề nghị chi bộ triển khai." if answered else "",
                answered_on=answered_on if answered else None,
            )
            save_audited(note, actor=self.secretary, reason="note raised")

    # ------------------------------------------------------------------ regulations

    def _regulations(self, year: int) -> None:
        """Every cell active in the year reviews its working regulations in the first quarter (a
        new cell issues them); this year a few have not yet; a quarter also their coordination rules."""
        rng = self.rng
        missing = set(rng.sample(self.ctx.cells[3:], 3)) if year == self.ctx.today.year else set()
        for cell in self.ctx.cells:
            if (cell.active_to and cell.active_to < date(year, 1, 1)) or cell.active_from > date(
                year, 12, 31
            ):
                continue
            if cell in missing:
                continue
            new = cell.active_from.year == year
            day = (
                (cell.active_from + timedelta(days=30))
                if new
                else date(year, rng.randint(1, 3), rng.randint(5, 28))
            )
            if day >= self.today:
                continue
            review = (
                ReviewKind.ISSUED if new else rng.choice([ReviewKind.REVIEWED] * 4 + [ReviewKind.AMENDED])
            )
            services.regulation_review_record(
                actor=self.secretary if cell == self.cb02 else self.ctx.actor,
                cell=cell,
                regulation=RegulationKind.WORKING,
                review=review,
                reviewed_on=day,
                document_number=f"{rng.randint(1, 30):02d}-QC/CB" if review != ReviewKind.REVIEWED else "",
            )
            if rng.random() < 0.25:
                services.regulation_review_record(
                    actor=self.ctx.actor,
                    cell=cell,
                    regulation=RegulationKind.COORDINATION,
                    review=ReviewKind.REVIEWED,
                    reviewed_on=day,
                )
