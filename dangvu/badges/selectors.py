"""Reads of Party badges (rules.md §2): the money tables in force, a committee's settings, the
members a batch may propose (eligibility, each row explained) and next year's budget.

Every list costs a fixed number of queries whatever the size of the subtree: the members reaching a
milestone are found in the database from their Party-age origin (members.Member.party_age_origin:
Party age reaches L years on add_months(origin, 12 L)), one OR over the milestones; the money
tables are read once and applied in Python."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dangvu.core import access, periods
from dangvu.core.access import Scope
from dangvu.members.choices import DisciplineForm, EventKind, Status
from dangvu.members.models import Member, MemberEvent, MembershipPeriod
from dangvu.members.rules import add_months, months_between
from dangvu.members.selectors import covering, exempt_on
from dangvu.organization.models import Organization

from . import rules
from .choices import Early
from .models import Award, BadgeSettings, BaseSalary, Coefficient, Illness

# ------------------------------------------------------------------------------------- money


def prefixes(path: str) -> list[str]:
    """The paths of an organisation and of every organisation above it ("/a/b/" → "/a/", "/a/b/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def base_salary_on(day: date) -> int | None:
    """The base salary in force on `day` (rules.md §2.6), or None before the first row."""
    return (
        BaseSalary.objects.filter(starts_on__lte=day).order_by("-starts_on").values_list("amount", flat=True)
    ).first()


@dataclass
class MoneyTables:
    """The base salaries and the coefficients, read once (two queries) and applied to any number of
    badges: the coefficient of a badge for an organisation is that of the nearest organisation at or
    above it that set one in force on the day, else the national one (rules.md §2.5)."""

    salaries: list[tuple[date, int]]
    # years → [(organisation path or "" for national, starts_on, value)]
    coefficients: dict[int, list[tuple[str, date, Decimal]]] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: list[str] | None = None) -> "MoneyTables":
        """The tables; `paths` (organisation paths) limits the committees' own rows to theirs and
        those above them."""
        salaries = list(BaseSalary.objects.order_by("starts_on").values_list("starts_on", "amount"))
        rows = Coefficient.objects.all()
        if paths is not None:
            above = {p for path in paths for p in prefixes(path)}
            rows = rows.filter(Q(organization__isnull=True) | Q(organization__path__in=above))
        coefficients: dict[int, list[tuple[str, date, Decimal]]] = {}
        for years, path, starts_on, value in rows.values_list(
            "years", "organization__path", "starts_on", "value"
        ):
            coefficients.setdefault(years, []).append((path or "", starts_on, value))
        return cls(salaries=salaries, coefficients=coefficients)

    def base_salary(self, day: date) -> int | None:
        return rules.in_force(self.salaries, day)

    def coefficient(self, path: str, years: int, day: date) -> Decimal | None:
        best: tuple[int, date, Decimal] | None = None
        for owner, starts_on, value in self.coefficients.get(years, []):
            if starts_on > day or not path.startswith(owner):
                continue
            key = (len(owner), starts_on, value)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None

    def amount(self, path: str, years: int, day: date) -> int | None:
        """Coefficient × base salary on `day`; None = "needs the local amount", never 0."""
        return rules.amount(self.coefficient(path, years, day), self.base_salary(day))

    @classmethod
    def prices(cls, badges: list[tuple[str, int, date]]) -> list[int | None]:
        """The money of each badge (organisation path, years, award date), the tables read once
        for them all (two queries)."""
        tables = cls.load(sorted({path for path, _years, _day in badges}))
        return [tables.amount(path, years, day) for path, years, day in badges]


def coefficients_on(organization: Organization | None, day: date) -> dict[int, Decimal | None]:
    """Each badge's coefficient in force on `day` for `organization` (None: the national table):
    its own, or the nearest above, else the national one; None when none is set (one query)."""
    path = organization.path if organization else ""
    tables = MoneyTables(salaries=[])
    rows = Coefficient.objects.filter(
        Q(organization__isnull=True) | Q(organization__path__in=prefixes(path)), starts_on__lte=day
    ).values_list("years", "organization__path", "starts_on", "value")
    for years, owner, starts_on, value in rows:
        tables.coefficients.setdefault(years, []).append((owner or "", starts_on, value))
    return {years: tables.coefficient(path, years, day) for years in rules.MILESTONES}


def money_of(award: Award) -> int | None:
    """The money with an award: the coefficient × the base salary in force on the award date, at the
    member's organisation; None when the badge has no coefficient ("needs the local amount")."""
    path = award.member.person.organization.path
    tables = MoneyTables.load([path])
    return tables.amount(path, award.years, award.awarded_on)


def amounts_of(awards: list[Award]) -> dict[int, int | None]:
    """The money of each award of a list (read with its member's organisation), by award id: two
    queries whatever its length."""
    badges = [(a.member.person.organization.path, a.years, a.awarded_on) for a in awards]
    return dict(zip((a.pk for a in awards), MoneyTables.prices(badges), strict=True))


# ---------------------------------------------------------------------------------- settings


def settings_for(organization: Organization) -> BadgeSettings:
    """The settings in force for an organisation: its own or the nearest above; the defaults (an
    unsaved row: Hanoi's windows, wait from the effective date) when none is set."""
    rows = list(
        BadgeSettings.objects.filter(organization__path__in=prefixes(organization.path)).select_related(
            "organization"
        )
    )
    if rows:
        return max(rows, key=lambda s: len(s.organization.path))
    return BadgeSettings(organization=organization)


def batches_of(settings: BadgeSettings) -> tuple[rules.Batch, ...]:
    return tuple(rules.Batch(int(m), int(d), int(f)) for m, d, f in settings.batches)


def window_of(batch: rules.Batch, batches: tuple[rules.Batch, ...], year: int) -> tuple[date, date]:
    """The first and last day of the window of `batch` in `year` (its start may be in the year
    before: December for 03/02)."""
    months = rules._window(batch, batches)
    first, last = months[0], months[-1]
    start = date(year - (1 if first > batch.month else 0), first, 1)
    return start, date(year, last, calendar.monthrange(year, last)[1])


def _batch_at(batch_date: date, batches: tuple[rules.Batch, ...]) -> rules.Batch:
    for batch in batches:
        if (batch.month, batch.day) == (batch_date.month, batch_date.day):
            return batch
    raise ValueError(f"{batch_date} is not a batch of the settings")


# ------------------------------------------------------------------------------- eligibility


def _origin_between(years: int, months_early: int, start: date, end: date) -> Q:
    """Members whose Party age reaches `years` less `months_early` months between `start` and
    `end` (whole months: adding months keeps the month, so the origin's month range is exact)."""
    shift = -(12 * years - months_early)
    low, high = add_months(start, shift), add_months(end, shift)
    high = date(high.year, high.month, calendar.monthrange(high.year, high.month)[1])
    return Q(party_age_origin__gte=date(low.year, low.month, 1), party_age_origin__lte=high)


def _annotated(members: QuerySet[Member], on: date, *, from_effective: bool = True) -> QuerySet[Member]:
    """What eligibility needs about each member, in the same query. Of the disciplines (not annulled,
    decided by `on`), the one of each form whose wait starts last (its effective date or decision
    date: `from_effective`, the committee's setting): the wait after a form grows with its start, so
    the latest wait of all (_waits) is that of one of them, however many disciplines follow."""
    death = MemberEvent.objects.filter(member=OuterRef("pk"), kind=EventKind.DEATH, annulled=False)
    latest = MembershipPeriod.objects.filter(member=OuterRef("pk"), start__lte=on).order_by("-start")
    start = Coalesce("effective_date", "date") if from_effective else F("date")
    disciplines = {}
    for form in rules.DISCIPLINE_WAIT_MONTHS:
        last = (
            MemberEvent.objects.filter(
                member=OuterRef("pk"),
                kind=EventKind.DISCIPLINE,
                annulled=False,
                date__lte=on,
                discipline_form=form,
            )
            .annotate(wait_start=start)
            .order_by("-wait_start", "-date", "-pk")
        )
        disciplines[f"discipline_{form}_on"] = Subquery(last.values("date")[:1])
        disciplines[f"discipline_{form}_effective"] = Subquery(last.values("effective_date")[:1])
    return members.annotate(
        died_on=Subquery(death.values("date")[:1]),
        ill=Exists(Illness.objects.filter(member=OuterRef("pk"), recorded_on__lte=on)),
        cell_path=Subquery(latest.values("cell__path")[:1]),
        cell_name=Subquery(latest.values("cell__name")[:1]),
        cell_code=Subquery(latest.values("cell__code")[:1]),
        is_exempt=exempt_on(on),
        **disciplines,
    )


def _counted(on: date, root_path: str) -> Q:
    """Who counts in the subtree on `on` (rules.md §2.1): active official members of its cells,
    exempt ones included, and members who died as members of its cells (posthumous awards)."""
    official = MembershipPeriod.objects.filter(
        covering(on), member=OuterRef("pk"), cell__path__startswith=root_path, recognised_on__lte=on
    )
    died = MembershipPeriod.objects.filter(
        member=OuterRef("pk"),
        cell__path__startswith=root_path,
        end_reason=Status.DECEASED,
        end__lte=on,
        recognised_on__isnull=False,
    )
    return Q(Exists(official)) | Q(Exists(died))


def illness_shown(scope: Scope, early: str, cell_path: str) -> bool:
    """Whether a gravely ill member's early award is shown as such: only to who keeps the records of
    the member's cell (health data); the page or file that shows it logs it."""
    return early == Early.GRAVELY_ILL and scope.covers(cell_path, access.RECORDS)


def illness_hidden(scope: Scope, early: str, cell_path: str) -> bool:
    """Whether an early award's reason, a grave illness, is kept from the user: the award then reads
    as an ordinary one ("early" alone would tell it, posthumous awards being shown)."""
    return early == Early.GRAVELY_ILL and not scope.covers(cell_path, access.RECORDS)


@dataclass
class Candidate:
    """A member a batch may propose, and why."""

    member: Member
    years: int
    reached_on: date  # the day Party age reaches the milestone
    eligible_from: date  # the day the member may be proposed (earlier for an early award)
    batch: date
    early: str  # Early
    not_yet_until: date | None  # the discipline wait: may be considered from that day
    cell_path: str
    cell_name: str
    explanation: str
    amount: int | None = None

    @property
    def not_yet(self) -> bool:
        return self.not_yet_until is not None


def explain(c: Candidate, member: Member, settings: BadgeSettings) -> str:
    """Why the candidate is offered: the dates, the gaps, the rule. Called again with `early` cleared
    to explain a gravely ill member to a user who may not know the illness (health data)."""
    first = member.first_decision_on
    origin = member.party_age_origin
    parts = [
        _("First admission decision %(first)s") % {"first": f"{first:%d/%m/%Y}" if first else "?"},
    ]
    gap = months_between(first, origin) if first and origin else 0
    if gap:
        parts.append(_("%(months)d months of gaps subtracted") % {"months": gap})
    parts.append(
        _("%(years)d years of Party age on %(day)s") % {"years": c.years, "day": f"{c.reached_on:%d/%m/%Y}"}
    )
    if c.early == Early.GRAVELY_ILL:
        parts.append(
            _("gravely ill: may be proposed %(months)d months early, from %(day)s")
            % {"months": rules.early_months(c.years, gravely_ill=True), "day": f"{c.eligible_from:%d/%m/%Y}"}
        )
    elif c.early == Early.POSTHUMOUS and c.reached_on <= member.died_on:
        parts.append(_("died on %(day)s: posthumous award") % {"day": f"{member.died_on:%d/%m/%Y}"})
    elif c.early == Early.POSTHUMOUS:
        parts.append(
            _("died on %(day)s: posthumous award, up to 12 months early")
            % {"day": f"{member.died_on:%d/%m/%Y}"}
        )
    parts.append(_("batch of %(day)s") % {"day": f"{c.batch:%d/%m/%Y}"})
    if member.is_exempt:
        parts.append(_("exempt from Party work and meetings: still eligible"))
    wait = _latest_wait(member, settings) if c.not_yet_until else None
    if wait:
        until, form, decided_on = wait
        parts.append(
            _("disciplined (%(form)s, %(day)s): may be considered from %(until)s")
            % {
                "form": DisciplineForm(form).label,
                "day": f"{decided_on:%d/%m/%Y}",
                "until": f"{c.not_yet_until:%d/%m/%Y}",
            }
        )
    return "; ".join(parts) + "."


def _latest_wait(member: Member, settings: BadgeSettings) -> tuple[date, str, date] | None:
    """The end of the longest-running wait after the member's disciplines (rules.considered_from of
    each, the latest of all: a removal from post on 01/05 then a reprimand on 01/06 wait until the
    next 01/05), with the form and decision date of the discipline it comes from; None without."""
    found = None
    for form in rules.DISCIPLINE_WAIT_MONTHS:
        decided_on = getattr(member, f"discipline_{form}_on", None)
        if decided_on is None:
            continue
        until = rules.considered_from(
            form,
            decided_on,
            getattr(member, f"discipline_{form}_effective", None),
            from_effective=settings.wait_from_effective_date,
        )
        if until and (found is None or until > found[0]):
            found = (until, form, decided_on)
    return found


def _discipline_wait(member: Member, settings: BadgeSettings, day: date) -> date | None:
    wait = _latest_wait(member, settings)
    return wait[0] if wait and wait[0] > day else None


def candidates_for_batch(
    scope: Scope,
    organization: Organization,
    batch_date: date,
    *,
    on: date | None = None,
    settings: BadgeSettings | None = None,
) -> list[Candidate]:
    """The members of the subtree a batch may propose (rules.md §2.1–§2.3), each with the milestone,
    the day reached, the batch, an early award (gravely ill: up to 12 or 24 months early; deceased:
    posthumously up to 12 months), a discipline wait making them "not yet", and an explanation.
    Those who count are judged on `on` (today by default, never after the batch): active official
    members of the subtree, exempt included, and the deceased. A badge already in the register is
    not offered again. Three queries."""
    on = min(on or periods.today(), batch_date)
    settings = settings or settings_for(organization)
    batches = batches_of(settings)
    batch = _batch_at(batch_date, batches)
    start, end = window_of(batch, batches, batch_date.year)
    reach = Q()
    for years in rules.MILESTONES:
        reach |= _origin_between(years, 0, start, end)
        ill_early = rules.early_months(years, gravely_ill=True)
        # reached the reduced age by the end of the window, the milestone after it
        reach |= (
            Q(ill=True)
            & _origin_between(years, ill_early, date(1900, 1, 1), end)
            & Q(party_age_origin__gt=add_months(end, -12 * years))
        )
        reach |= (
            Q(died_on__isnull=False)
            & _origin_between(years, 12, date(1900, 1, 1), end)
            & Q(party_age_origin__gt=add_months(end, -12 * years))
        )
    members = _annotated(
        access.restrict(Member.objects.filter(party_age_origin__isnull=False), scope, access.VIEW),
        on,
        from_effective=settings.wait_from_effective_date,
    ).select_related("person")
    members = list(
        members.filter(_counted(on, organization.path)).filter(reach).order_by("person__full_name")
    )
    awarded = set(Award.objects.filter(member__in=members).values_list("member_id", "years"))
    result = []
    for member in members:
        candidate = _candidate(member, start, end, batch_date, batches, settings, awarded)
        if candidate:
            result.append(candidate)
    return result


def _candidate(member, start, end, batch_date, batches, settings, awarded) -> Candidate | None:
    origin = member.party_age_origin
    for years in rules.MILESTONES:
        if (member.pk, years) in awarded:
            continue
        reached = add_months(origin, 12 * years)
        early, eligible_from = "", reached
        if member.died_on:
            age_at_death = months_between(origin, member.died_on)
            if reached > member.died_on:
                if not rules.eligible(age_at_death, years, deceased=True):
                    continue
                early, eligible_from = Early.POSTHUMOUS, member.died_on
            elif start <= reached <= end and member.died_on <= batch_date:
                # reached in the window, then died before the batch: a posthumous award all the
                # same (its dossier has the death extract)
                early = Early.POSTHUMOUS
        if not early and not start <= reached <= end:
            if member.ill and reached > end:
                months = rules.early_months(years, gravely_ill=True)
                eligible_from = add_months(origin, 12 * years - months)
                if eligible_from > end:
                    continue
                early = Early.GRAVELY_ILL
            else:
                continue
        if early and eligible_from > end:
            continue
        wait = _discipline_wait(member, settings, batch_date)
        found = Candidate(
            member=member,
            years=years,
            reached_on=reached,
            eligible_from=eligible_from,
            batch=batch_date if early else rules.batch_of(reached, batches),
            early=early,
            not_yet_until=wait,
            cell_path=member.cell_path or "",
            cell_name=member.cell_name or "",
            explanation="",
        )
        found.explanation = explain(found, member, settings)
        return found
    return None


# ------------------------------------------------------------------------------------ budget


def candidate_of(member: Member, years: int, batch_date: date) -> Candidate | None:
    """The member as a candidate of the batch for the `years` badge (the rules of
    candidates_for_batch for one member), or None when the batch may not propose them."""
    if (
        not periods.FIRST_YEAR <= batch_date.year <= periods.LAST_YEAR
    ):  # no batch then (and its window would leave the calendar)
        return None
    settings = settings_for(member.person.organization)
    batches = batches_of(settings)
    try:
        batch = _batch_at(batch_date, batches)
    except ValueError:
        return None
    on = min(periods.today(), batch_date)
    start, end = window_of(batch, batches, batch_date.year)
    found = (
        _annotated(
            Member.objects.filter(pk=member.pk, party_age_origin__isnull=False),
            on,
            from_effective=settings.wait_from_effective_date,
        )
        .filter(_counted(on, ""))
        .select_related("person")
        .first()
    )
    if found is None:
        return None
    # Only the asked badge is judged: the others count as "awarded" for the search.
    others = {(found.pk, y) for y in rules.MILESTONES if y != years}
    candidate = _candidate(found, start, end, batch_date, batches, settings, others)
    if candidate is None or candidate.years != years or candidate.batch != batch_date:
        return None
    return candidate


@dataclass
class Line:
    """A member of the budget: who, which badge, at which batch, how much (None: uncosted)."""

    member: Member
    years: int
    reached_on: date
    batch: date
    cell_path: str
    cell_name: str
    amount: int | None
    cell_code: str = ""


@dataclass
class Subtotal:
    count: int = 0
    total: int = 0
    uncosted: int = 0

    def add(self, amount: int | None) -> None:
        self.count += 1
        if amount is None:
            self.uncosted += 1
        else:
            self.total += amount


@dataclass
class CellSubtotal(Subtotal):
    """A cell's part of the budget: cells are told apart by their path (two partial committees may
    each have a "Chi bộ 1"); the name and the code are shown."""

    path: str = ""
    name: str = ""
    code: str = ""


@dataclass
class Budget:
    """Next year's awards and their money (metrics.md "Badges"): at the base salary and the
    coefficients in force on the as-of date; the uncosted (no coefficient) are counted, never 0."""

    year: int  # the year the awards fall in (the year after the one asked)
    as_of: date
    base_salary: int | None
    lines: list[Line]
    by_batch: dict[date, Subtotal]
    by_cell: dict[str, CellSubtotal]  # by cell path, in the order of the cells' names
    total: Subtotal


def budget(
    scope: Scope,
    organization: Organization,
    year: int,
    as_of: date | None = None,
    *,
    settings: BadgeSettings | None = None,
) -> Budget:
    """Next year's awards for the subtree (metrics.md, "Badges"): active official members on the
    as-of date (today by default) whose milestone falls in the windows of the batches of `year` + 1
    (01/12 of `year` to 30/11 with the default windows), not already awarded that badge by the
    as-of date, and who may be proposed by its last batch (a discipline's wait over by then); by
    batch and by cell, at the money in force on the as-of date. Five queries."""
    as_of = as_of or periods.today()
    settings = settings or settings_for(organization)
    batches = batches_of(settings)
    windows = sorted(window_of(b, batches, year + 1) for b in batches)
    start, end = windows[0][0], windows[-1][1]
    last_batch = max(date(year + 1, b.month, b.day) for b in batches)
    reach = Q()
    for years in rules.MILESTONES:
        reach |= _origin_between(years, 0, start, end)
    official = MembershipPeriod.objects.filter(
        covering(as_of),
        member=OuterRef("pk"),
        cell__path__startswith=organization.path,
        recognised_on__lte=as_of,
    )
    members = (
        _annotated(
            access.restrict(Member.objects.all(), scope, access.VIEW),
            as_of,
            from_effective=settings.wait_from_effective_date,
        )
        .filter(Exists(official), party_age_origin__isnull=False)
        .filter(reach)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    members = list(members)
    awarded = set(
        Award.objects.filter(member__in=members, awarded_on__lte=as_of).values_list("member_id", "years")
    )
    tables = MoneyTables.load(sorted({m.cell_path for m in members if m.cell_path}))
    lines: list[Line] = []
    for member in members:
        for years in rules.MILESTONES:
            reached = add_months(member.party_age_origin, 12 * years)
            if not start <= reached <= end or (member.pk, years) in awarded:
                continue
            if _discipline_wait(member, settings, last_batch):
                continue
            lines.append(
                Line(
                    member=member,
                    years=years,
                    reached_on=reached,
                    batch=rules.batch_of(reached, batches),
                    cell_path=member.cell_path,
                    cell_name=member.cell_name,
                    amount=tables.amount(member.cell_path, years, as_of),
                    cell_code=member.cell_code or "",
                )
            )
    lines.sort(key=lambda line: (line.batch, line.cell_name, line.member.person.full_name))
    by_batch: dict[date, Subtotal] = {date(year + 1, b.month, b.day): Subtotal() for b in batches}
    by_batch = dict(sorted(by_batch.items()))
    by_cell: dict[str, CellSubtotal] = {}
    total = Subtotal()
    for line in lines:
        by_batch.setdefault(line.batch, Subtotal()).add(line.amount)
        cell = CellSubtotal(path=line.cell_path or "", name=line.cell_name or "", code=line.cell_code)
        by_cell.setdefault(cell.path, cell).add(line.amount)
        total.add(line.amount)
    return Budget(
        year=year + 1,
        as_of=as_of,
        base_salary=tables.base_salary(as_of),
        lines=lines,
        by_batch=by_batch,
        by_cell=dict(sorted(by_cell.items(), key=lambda item: (item[1].name, item[1].code, item[0]))),
        total=total,
    )


# ----------------------------------------------------------------------- the money tables' page


@dataclass
class BadgeMoney:
    """A badge's money for an organisation on a day: the coefficient in force (None: "needs the
    local amount"), whether a committee set it (else national) and the amount."""

    years: int
    coefficient: Decimal | None
    own: bool
    amount: int | None


@dataclass
class TablesOf:
    """The money tables as they apply to an organisation on a day (rules.md §2.5, §2.6)."""

    salaries: list[BaseSalary]  # newest first
    in_force: BaseSalary | None
    badges: list[BadgeMoney]
    history: list[Coefficient]  # national and the committees' at or above it, by badge, newest first


def tables_of(organization: Organization, day: date) -> TablesOf:
    """The base salaries, each badge's coefficient and amount on `day` for `organization` (its own,
    the nearest above, else national) and the rows behind them. Two queries."""
    salaries = list(BaseSalary.objects.order_by("-starts_on"))
    in_force = next((s for s in salaries if s.starts_on <= day), None)
    history = list(
        Coefficient.objects.filter(
            Q(organization__isnull=True) | Q(organization__path__in=prefixes(organization.path))
        )
        .select_related("organization")
        .order_by("years", "-starts_on", "pk")
    )

    def rank(row: Coefficient) -> tuple[int, date]:  # the nearest committee first, then the latest
        return (len(row.organization.path) if row.organization else 0, row.starts_on)

    best: dict[int, Coefficient] = {}
    for row in history:
        if row.starts_on <= day and (row.years not in best or rank(row) > rank(best[row.years])):
            best[row.years] = row
    salary = in_force.amount if in_force else None
    badges = []
    for years in rules.MILESTONES:
        row = best.get(years)
        value = row.value if row else None
        own = bool(row and row.organization_id)
        badges.append(BadgeMoney(years, value, own, rules.amount(value, salary)))
    return TablesOf(salaries=salaries, in_force=in_force, badges=badges, history=history)


def own_settings(organization: Organization) -> BadgeSettings | None:
    """The committee's own settings row, if it saved one (settings_for gives those in force)."""
    return BadgeSettings.objects.filter(organization=organization).first()


# ---------------------------------------------------------------------------------- register


@dataclass
class RegisterLine:
    """A line of the badge register as shown: the award, its money (None: needs the local amount),
    and whether the viewer may see that it was early for a grave illness (health data)."""

    award: Award
    amount: int | None
    illness_shown: bool


@dataclass
class Register:
    lines: list[RegisterLine]
    count: int
    total: int  # the known money
    uncosted: int  # the awards whose badge has no amount yet
    paid: int


def register_in(
    scope: Scope, organization: Organization, year: int, years: int | None = None, q: str = ""
) -> Register:
    """The awards dated in `year` of the members of the organisation's subtree that the user sees,
    by award date then given name; a badge and a diacritic-free name search narrow it. Four queries
    whatever the length (the awards, then amounts_of)."""
    from dangvu.core.vietnamese import fold

    awards = (
        access.restrict(Award.objects, scope)
        .filter(member__person__organization__path__startswith=organization.path, awarded_on__year=year)
        .select_related("member__person__organization")
        .order_by("awarded_on", "member__person__sort_key", "pk")
    )
    if years:
        awards = awards.filter(years=years)
    if q.strip():
        awards = awards.filter(member__person__search_text__contains=fold(q.strip()))
    awards = list(awards)
    amounts = amounts_of(awards) if awards else {}
    lines = [
        RegisterLine(
            a,
            amounts.get(a.pk),
            illness_shown(scope, a.early, a.member.person.organization.path),
        )
        for a in awards
    ]
    known = [line.amount for line in lines if line.amount is not None]
    return Register(
        lines=lines,
        count=len(lines),
        total=sum(known),
        uncosted=len(lines) - len(known),
        paid=sum(a.money_paid or 0 for a in awards),
    )


def award_get(scope: Scope, pk: int, action: str = access.VIEW) -> Award:
    """One line of the register in the scope, or 404."""
    found = Award.objects.select_related("member__person__organization")
    return access.get_for_user_or_404(found, scope, action, pk=pk)


def members_for_award(scope: Scope, organization: Organization) -> QuerySet[Member]:
    """The members of the subtree the user manages who have been official members (a Party age),
    by given name: those a badge may be awarded to (the service checks the rest)."""
    return (
        access.restrict(Member.objects.all(), scope, access.MANAGE)
        .filter(person__organization__path__startswith=organization.path, party_age_origin__isnull=False)
        .select_related("person__organization")
        .order_by("person__sort_key", "pk")
    )
