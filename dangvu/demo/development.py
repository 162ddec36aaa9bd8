"""The demo's member development (issue 9; rules §3), for every demo year: the three complete years
before the demo's today and the current year.

Each year some cells build up candidates (quần chúng): listed as sympathisers with a member to help
them, the awareness class, the procedure with the dossier's papers, the cell's and the committee's
resolutions (passing), the admission decision that opens the member's record, the ceremony, the
new-member class, and a year later the recognition as official member (one admitted the year before
the first is recognised in it). A few stop at a sympathiser (some removed from the list) and one
probationary member is removed instead of being recognised.

The last complete year has the article's figures: 7 candidates in the pool (`development.pool`), 3
of them admitted (`development.admitted_from_pool`, "3/7"). The current year has candidates on
their way at every step, among them a decision and a ceremony overdue, a probation ending within 30
days and a certificate about to expire, so the reminders and the organisation's page show them.

Every step goes through development.services (checks, audit, the member's record and events), as
the office (`vanphong`) and CB-02's secretary (`bithu.cb02`) would. The plans are made first, as
dates, so that the pool of the last complete year is counted (rules.in_pool) before anything is
written; the steps after the real today are not written (the services refuse them).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from dangvu.core import periods
from dangvu.development import rules, selectors, services
from dangvu.development.choices import ORDER, VOTES, Paper, Step
from dangvu.members.choices import Gender
from dangvu.members.models import MembershipPeriod
from dangvu.members.rules import add_months

from . import names
from .classification import complete_years

POOL, ADMITTED = 7, 3  # the last complete year: the article's "3/7"
OCCUPATIONS = (
    "Chuyên viên",
    "Kỹ sư",
    "Nghiên cứu viên",
    "Kế toán viên",
    "Biên tập viên",
    "Chuyên viên chính",
    "Cán bộ dự án",
)


@dataclass
class _Plan:
    """A candidate's way as dates: the listing, then each step in order up to where they stop."""

    listed: date
    steps: dict[str, date] = field(default_factory=dict)
    removed: date | None = None
    papers: tuple[str, ...] | None = None  # None: the full dossier before the cell's resolution
    extended: bool = False
    cell: object = None

    @property
    def certified(self) -> date | None:
        return self.steps.get(Step.CLASS)

    @property
    def decided(self) -> date | None:
        return self.steps.get(Step.DECISION)


def build_development(ctx) -> None:
    _Builder(ctx).build()


class _Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        # A copy of the demo's generator: deterministic for the seed and the date, and the builders
        # after this one draw what they drew without it.
        self.rng = random.Random()
        self.rng.setstate(ctx.rng.getstate())
        # The services refuse a date after the real today: the demo built for a later day stops there.
        self.today = min(ctx.today, periods.today())
        self.years = [*complete_years(ctx.today), ctx.today.year]
        users = {
            u.username: u for u in get_user_model().objects.filter(username__in=["vanphong", "bithu.cb02"])
        }
        self.office = users.get("vanphong", ctx.actor)
        self.secretary = users.get("bithu.cb02", ctx.actor)
        self.cb02 = ctx.cells[1]
        first = date(self.years[0], 1, 1)
        self.cells = [c for c in ctx.cells[1:] if c.active_from <= first and c.active_to is None][
            :24
        ]  # CB-02 first
        self.helpers: dict[int, list] = {}
        self.serial = 0

    # ------------------------------------------------------------------ the plans

    def _way(self, certified: date, *, decided: date | None = None) -> _Plan:
        """A full way from the awareness class, the decision about six months later (or on
        `decided`), the ceremony within 30 working days, the recognition after the 12 months."""
        rng = self.rng
        decision = decided or certified + timedelta(days=rng.randint(150, 190))
        cell_vote = decision - timedelta(days=rng.randint(35, 50))
        procedure = min(cell_vote - timedelta(days=30), certified + timedelta(days=rng.randint(20, 40)))
        procedure = max(procedure, certified)
        ceremony = decision + timedelta(days=rng.randint(14, 28))
        end = rules.probation_end(ceremony)
        steps = {
            Step.CLASS: certified,
            Step.PROCEDURE: procedure,
            Step.CELL_VOTE: cell_vote,
            Step.COMMITTEE_VOTE: cell_vote + timedelta(days=rng.randint(10, 20)),
            Step.DECISION: decision,
            Step.CEREMONY: ceremony,
            Step.NEW_MEMBER_CLASS: ceremony + timedelta(days=rng.randint(60, 120)),
            Step.RECOGNITION_CELL_VOTE: end + timedelta(days=rng.randint(5, 15)),
        }
        steps[Step.RECOGNITION_COMMITTEE_VOTE] = steps[Step.RECOGNITION_CELL_VOTE] + timedelta(days=10)
        steps[Step.RECOGNISED] = steps[Step.RECOGNITION_COMMITTEE_VOTE] + timedelta(days=rng.randint(8, 15))
        return _Plan(listed=certified - timedelta(days=rng.randint(60, 120)), steps=steps)

    @staticmethod
    def _stop(plan: _Plan, after: str) -> _Plan:
        """The plan up to the step `after` included."""
        keep = ORDER[: ORDER.index(after) + 1]
        plan.steps = {s: d for s, d in plan.steps.items() if s in keep}
        return plan

    def _relative(self) -> list[_Plan]:
        """This year's cases dated from today: a decision and a ceremony overdue, a probation
        ending within 30 days, a certificate expiring within 30 days."""
        today, rng = self.today, self.rng
        plans = []
        overdue_decision = self._way(today - timedelta(days=300), decided=today + timedelta(days=10))
        overdue_decision.steps[Step.CELL_VOTE] = today - timedelta(days=110)
        overdue_decision.steps[Step.COMMITTEE_VOTE] = today - timedelta(days=95)
        overdue_decision.steps[Step.PROCEDURE] = today - timedelta(days=170)
        plans.append(self._stop(overdue_decision, Step.COMMITTEE_VOTE))
        plans.append(
            self._stop(
                self._way(today - timedelta(days=300), decided=today - timedelta(days=80)), Step.DECISION
            )
        )
        ceremony = add_months(today + timedelta(days=rng.randint(8, 25)), -12)
        soon = self._way(ceremony - timedelta(days=200), decided=ceremony - timedelta(days=20))
        soon.steps[Step.CEREMONY] = ceremony
        soon.steps[Step.NEW_MEMBER_CLASS] = ceremony + timedelta(days=90)
        plans.append(self._stop(soon, Step.NEW_MEMBER_CLASS))
        expiring = add_months(today + timedelta(days=rng.randint(10, 25)), -rules.CERTIFICATE_MONTHS)
        plan = self._stop(self._way(expiring), Step.PROCEDURE)
        plan.steps[Step.PROCEDURE] = today - timedelta(days=20)
        plan.papers = (Paper.APPLICATION, Paper.PERSONAL_RECORD)
        plans.append(plan)
        ceremony = add_months(today - timedelta(days=rng.randint(25, 35)), -12)
        recognising = self._way(ceremony - timedelta(days=200), decided=ceremony - timedelta(days=20))
        recognising.steps[Step.CEREMONY] = ceremony
        recognising.steps[Step.NEW_MEMBER_CLASS] = ceremony + timedelta(days=90)
        recognising.steps[Step.RECOGNITION_CELL_VOTE] = rules.probation_end(ceremony) + timedelta(days=4)
        recognising.steps[Step.RECOGNITION_COMMITTEE_VOTE] = rules.probation_end(ceremony) + timedelta(
            days=12
        )
        plans.append(self._stop(recognising, Step.RECOGNITION_COMMITTEE_VOTE))
        for plan in plans:
            plan.cell = self.cb02
        return plans

    def _plans(self) -> list[_Plan]:
        rng = self.rng
        first, *_, last, current = self.years
        relative = self._relative()
        in_last = [p for p in relative if rules.in_pool(p.certified, p.decided, last)]
        admitted_last = sum(1 for p in in_last if p.decided and p.decided.year == last)
        plans: list[_Plan] = []
        for year in self.years[:-1]:
            # admitted in the year (class early in the year) and the next (class in the autumn)
            same = {first: 4}.get(year, 3)
            # one candidate of the autumn is admitted the next year (but for the last year: room for
            # this year's cases dated from today, whose decision may fall in the last year)
            later = 1 if year != self.years[-3] or admitted_last <= ADMITTED - 1 else 0
            if year == last:
                before = sum(1 for p in plans if rules.in_pool(p.certified, p.decided, last))
                same = ADMITTED - before - admitted_last
                later = POOL - ADMITTED - (len(in_last) - admitted_last)
            for _ in range(max(0, same)):
                plans.append(self._way(date(year, rng.randint(2, 4), rng.randint(1, 28))))
            autumn = []
            for _ in range(max(0, later)):
                certified = date(year, rng.randint(9, 10), rng.randint(1, 28))
                decided = date(year + 1, rng.randint(2, 4), rng.randint(1, 28))
                autumn.append(self._way(certified, decided=decided))
            if year == last:  # this year they are on their way, at several steps
                for plan, stop in zip(
                    autumn, (Step.RECOGNISED, Step.CEREMONY, Step.CELL_VOTE, Step.PROCEDURE), strict=False
                ):
                    self._stop(plan, stop)
                    plan.papers = None if stop != Step.PROCEDURE else (Paper.APPLICATION,)
            plans += autumn
            # a sympathiser listed who has not taken the class yet; in the second year one is removed
            plans.append(_Plan(listed=date(year, rng.randint(5, 11), rng.randint(1, 28))))
            if year == self.years[1]:
                plans[-1].removed = plans[-1].listed + timedelta(days=rng.randint(60, 120))
        # Admitted the year before the first: recognised as official during the first year.
        plans.append(self._way(date(first - 1, 2, rng.randint(1, 28))))
        # A sympathiser removed from the list in the first, the last and this year.
        for year in (first, last, current):
            listed = date(year, 1, rng.randint(2, 20))
            if listed + timedelta(days=60) <= self.today:
                plans.append(_Plan(listed=listed, removed=listed + timedelta(days=60)))
        # A probationary member of the first year removed instead of recognised.
        removed = self._stop(self._way(date(first, 3, rng.randint(1, 28))), Step.NEW_MEMBER_CLASS)
        removed.removed = rules.probation_end(removed.steps[Step.CEREMONY]) + timedelta(days=20)
        plans.append(removed)
        # This year's own: listed, at the class, at the procedure.
        start = date(current, 1, 1)
        for days, stop in (
            (15, None),
            (40, Step.CLASS),
            (75, Step.PROCEDURE),
            (100, Step.CLASS),
            (130, Step.PROCEDURE),
            (160, None),
        ):
            listed = max(start, self.today - timedelta(days=days))
            plan = _Plan(listed=listed)
            if stop is not None and listed + timedelta(days=7) <= self.today:
                plan.steps[Step.CLASS] = listed + timedelta(days=7)
                if stop == Step.PROCEDURE and listed + timedelta(days=30) <= self.today:
                    plan.steps[Step.PROCEDURE] = listed + timedelta(days=30)
                    plan.papers = (Paper.APPLICATION, Paper.PERSONAL_RECORD, Paper.INTRODUCTION)
            plans.append(plan)
        return plans + relative

    # ------------------------------------------------------------------ writing them

    def build(self) -> None:
        cells = self.cells
        for index, plan in enumerate(self._plans()):
            if plan.cell is None:
                plan.cell = self.cb02 if index % 3 == 0 else cells[1 + self.rng.randrange(len(cells) - 1)]
            self._write(plan)

    def _helper(self, cell):
        if cell.pk not in self.helpers:
            self.helpers[cell.pk] = [
                p.member
                for p in MembershipPeriod.objects.filter(
                    cell=cell, end__isnull=True, recognised_on__isnull=False, member__deleted_at__isnull=True
                )
                .select_related("member__person")
                .order_by("member_id")[:5]
                if p.member.person.organization_id == cell.pk
            ]
        return self.rng.choice(self.helpers[cell.pk]) if self.helpers[cell.pk] else None

    def _name(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            family, middle, given = names.FAMILY, names.MIDDLE_MALE, names.GIVEN_MALE
            gender = Gender.MALE
        else:
            family, middle, given = names.FAMILY, names.MIDDLE_FEMALE, names.GIVEN_FEMALE
            gender = Gender.FEMALE
        return f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}", gender

    def _write(self, plan: _Plan) -> None:
        if plan.listed > self.today:
            return
        rng, cell = self.rng, plan.cell
        keeper = self.secretary if cell == self.cb02 else self.office
        full_name, gender = self._name()
        self.serial += 1
        candidate = services.candidate_add(
            actor=keeper,
            cell=cell,
            full_name=full_name,
            date_of_birth=date(
                plan.listed.year - rng.randint(23, 40), rng.randint(1, 12), rng.randint(1, 28)
            ),
            listed_on=plan.listed,
            document_number=f"{rng.randint(1, 12):02d}-NQ/CB",
            helper=self._helper(cell),
            gender=gender,
            occupation=rng.choice(OCCUPATIONS),
            general_education="12/12",
        )
        for step, on in plan.steps.items():
            if on > self.today:
                break
            if step == Step.CELL_VOTE or (step == Step.PROCEDURE and plan.papers is not None):
                self._papers(candidate, plan, keeper)
            if step == Step.CELL_VOTE and plan.papers is not None:
                break  # the dossier is not complete yet
            self._step(candidate, step, on, keeper)
        if plan.removed and plan.removed <= self.today:
            self._step(candidate, Step.REMOVED, plan.removed, keeper)

    def _papers(self, candidate, plan: _Plan, keeper) -> None:
        made = plan.steps[Step.PROCEDURE] + timedelta(days=self.rng.randint(3, 12))
        made = min(made, self.today)
        if Step.CELL_VOTE in plan.steps:
            made = min(made, plan.steps[Step.CELL_VOTE])
        wanted = (
            plan.papers if plan.papers is not None else (*services.REQUIRED_PAPERS, Paper.UNION_RESOLUTION)
        )
        done = set(candidate.papers.values_list("paper", flat=True))
        for paper in wanted:
            if paper not in done:
                services.paper_record(actor=keeper, candidate=candidate, paper=paper, made_on=made)

    def _step(self, candidate, step: str, on: date, keeper) -> None:
        rng, root = self.rng, self.ctx.root
        cell_step = step in {Step.SYMPATHISER, Step.CELL_VOTE, Step.RECOGNITION_CELL_VOTE, Step.REMOVED}
        committee = step in {Step.COMMITTEE_VOTE, Step.RECOGNITION_COMMITTEE_VOTE}
        votes = {}
        if step in VOTES:
            # All who vote, as the records know them (the services refuse fewer), at least two thirds for.
            _body, known = selectors.voting_body(candidate.cell, step, on)
            of = known or (rng.randint(5, 13) if not committee else 13)
            votes = {"votes_for": rng.randint(-(-2 * of // 3), of), "votes_of": of}
        if step == Step.CLASS:
            body, number = "Trung tâm Chính trị", f"{rng.randint(100, 999)}/GCN"
        elif cell_step:
            body, number = candidate.cell.name, f"{rng.randint(1, 30):02d}-NQ/CB"
        elif step in {Step.CEREMONY, Step.NEW_MEMBER_CLASS}:
            body, number = candidate.cell.name, ""
        elif committee:
            body, number = root.name, f"{rng.randint(100, 400)}-NQ/ĐU"
        else:
            body, number = f"Ban Thường vụ {root.name}", f"{rng.randint(1000, 4000)}-QĐ/ĐU"
        services.step_record(
            actor=self.office if not cell_step else keeper,
            candidate=candidate,
            expected_version=candidate.version,
            step=step,
            on=on,
            document_number=number,
            issuing_body=body,
            received_on=min(on + timedelta(days=3), self.today) if step == Step.DECISION else None,
            **votes,
        )
        candidate.refresh_from_db()
