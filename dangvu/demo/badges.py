"""The demo's Party badges (issue 10; rules §2) and commendations register (§1.10), for every demo
year: the three complete years before the demo's today and the current year up to today.

Badges: at each batch (03/02, 19/5, 02/9, 07/11, Hanoi's windows) the members who reached a
milestone (30, 40, 45, ... 90 years of Party age, net of gaps: `Member.party_age_origin`) in its
window and were active members then receive the badge: a decision dated a week before the batch
(or the day the milestone is reached when that is later), a badge number in the form of §2.4 ("HN
00001234"), handed over at the batch and the money paid (coefficient × the base salary in force on
the decision date); the 45, 85 and 90-year badges have no amount (none set locally). The current
year's last batch, when it is the latest, is decided but a third of its badges is not handed over
and paid yet. Next year's budget follows from the member records (who reaches a milestone next
year), not from here.

Proposals: the next two batches after the demo's today are being prepared. One member reaching a
milestone within a year after the next batch's window is recorded gravely ill (the medical record
as evidence) so that it may propose them early; every member the two batches may propose (no
discipline wait left) is proposed once, in the first of them (`proposals.proposal_add`), most
with their whole dossier at hand, every fourth missing one or two papers (`proposals.proposal_update`).

Commendations: for each complete year the grassroots committee gives a giấy khen, in January of the
next year, to every member and cell rated "excellent" in the year's final classification, taken from
the offers of the register (`commendations.offered_from_classification`), the members' with their
money (0.3 × the base salary); and the committee itself receives a bằng khen for the last complete
year. The current year's excellent results are left offered: the office's next step.

Every write goes through the services (their checks and audit) as the office (`vanphong`)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from dangvu.badges import commendations, proposals, rules, selectors, services
from dangvu.badges.choices import CommendationForm, Early
from dangvu.core.access import SYSTEM_SCOPE
from dangvu.members.models import Member, MembershipPeriod
from dangvu.members.rules import add_months

from .classification import complete_years

ISSUER = "Ban Thường vụ Đảng ủy Khối các cơ quan Trung ương"
PROVINCE = "HN"


@dataclass(frozen=True)
class _Due:
    member_id: int
    years: int
    reached: date
    batch: date


def build_badges(ctx) -> None:
    office = get_user_model().objects.get(username="vanphong")
    years = [*complete_years(ctx.today), ctx.today.year]
    _awards(ctx, office, years)
    _proposals(ctx, office)
    _commendations(ctx, office, years[:-1])


def _awards(ctx, office, years: list[int]) -> None:
    due = _due(ctx.today, years)
    members = Member.objects.in_bulk([d.member_id for d in due])
    last_batch = max((d.batch for d in due), default=None)
    serials: dict[int, int] = {}
    in_last = 0
    for d in due:
        serials[d.years] = serials.get(d.years, 0) + 1
        awarded_on = max(d.batch - timedelta(days=7), d.reached)
        latest = d.batch == last_batch and d.batch.year == ctx.today.year
        in_last += latest
        pending = latest and in_last % 3 == 1  # the latest batch: handed over and paid in part
        handed = None if pending else min(max(d.batch, awarded_on), ctx.today)
        services.award_record(
            actor=office,
            member=members[d.member_id],
            years=d.years,
            awarded_on=awarded_on,
            decision_number=f"{d.batch:%d%m}{d.batch.year % 100:02d}-QĐ/ĐUK",
            issuer=ISSUER,
            batch=d.batch,
            badge_number=_number(d.years, serials[d.years] * 37 + d.batch.year),
            handed_over_on=handed,
            money_paid=None if handed is None else _money(d.years, awarded_on),
        )


def _number(years: int, serial: int) -> str:
    """A number in the badge's form (§2.4): the province, the badge's letter, its digits."""
    letter, digits = rules.NUMBER_FORMS[years]
    return f"{PROVINCE} {letter}{serial % 10**digits:0{digits}d}"


def _money(years: int, awarded_on: date) -> int | None:
    return rules.amount(rules.COEFFICIENTS[years], rules.in_force(rules.BASE_SALARY, awarded_on))


def _due(today: date, years: list[int]) -> list[_Due]:
    """Who reached a milestone in the windows of the years' batches held by today, and was an
    active member on the award date: read in two queries."""
    periods: dict[int, list[tuple[date, date | None]]] = {}
    for member_id, start, end in MembershipPeriod.objects.values_list("member_id", "start", "end"):
        periods.setdefault(member_id, []).append((start, end))
    found = []
    origins = Member.objects.filter(party_age_origin__isnull=False).values_list("pk", "party_age_origin")
    for member_id, origin in origins.order_by("pk"):
        for milestone in rules.MILESTONES:
            reached = add_months(origin, 12 * milestone)
            batch = rules.batch_of(reached)
            awarded_on = max(batch - timedelta(days=7), reached)
            held = batch.year in years and batch <= today and awarded_on <= today
            if held and _active(periods.get(member_id, []), awarded_on):
                found.append(_Due(member_id, milestone, reached, batch))
    return sorted(found, key=lambda d: (d.batch, d.years, d.member_id))


def _active(periods: list[tuple[date, date | None]], day: date) -> bool:
    return any(start <= day and (end is None or end > day) for start, end in periods)


def _next_batches(ctx) -> list[tuple[date, date]]:
    """The two batches on or after the demo's today, each with the last day of its window."""
    batches = selectors.batches_of(selectors.settings_for(ctx.root))
    days = sorted(
        date(year, b.month, b.day) for year in (ctx.today.year, ctx.today.year + 1) for b in batches
    )
    found = []
    for day in [d for d in days if d >= ctx.today][:2]:
        batch = next(b for b in batches if (b.month, b.day) == (day.month, day.day))
        found.append((day, selectors.window_of(batch, batches, day.year)[1]))
    return found


def _gravely_ill(ctx, office, window_end: date) -> None:
    """Record the first active member (by id) whose Party age reaches a milestone within its early
    allowance after the window's end (12 months for 30-65 years): the batch may propose them early."""
    periods: dict[int, list[tuple[date, date | None]]] = {}
    for member_id, start, end in MembershipPeriod.objects.values_list("member_id", "start", "end"):
        periods.setdefault(member_id, []).append((start, end))
    origins = Member.objects.filter(party_age_origin__isnull=False).values_list("pk", "party_age_origin")
    for member_id, origin in origins.order_by("pk"):
        if not _active(periods.get(member_id, []), ctx.today):
            continue
        for years in rules.MILESTONES[:7]:  # 30 to 65 years: up to 12 months early
            reached = add_months(origin, 12 * years)
            early_from = add_months(origin, 12 * years - rules.early_months(years, gravely_ill=True))
            if window_end < reached and early_from <= window_end:
                services.illness_record(
                    actor=office,
                    member=Member.objects.get(pk=member_id),
                    recorded_on=ctx.today - timedelta(days=30),
                    evidence="Bệnh án số 1245/BV Bạch Mai",
                )
                return


def _proposals(ctx, office) -> None:
    coming = _next_batches(ctx)
    _gravely_ill(ctx, office, coming[0][1])
    found: dict[tuple[int, int], tuple[date, selectors.Candidate]] = {}
    for batch, _end in coming:
        for candidate in selectors.candidates_for_batch(SYSTEM_SCOPE, ctx.root, batch, on=ctx.today):
            if not candidate.not_yet:
                found.setdefault((candidate.member.pk, candidate.years), (batch, candidate))
    for n, (batch, candidate) in enumerate(found.values()):
        proposal = proposals.proposal_add(
            actor=office, member=candidate.member, years=candidate.years, batch=batch, early=candidate.early
        )
        papers = list(rules.papers_required(candidate.early))
        if n % 4 == 3 or candidate.early == Early.GRAVELY_ILL:
            papers = papers[: -1 - n % 2]  # one or two papers still to come (the medical record, say)
        proposals.proposal_update(
            actor=office, proposal=proposal, expected_version=proposal.version, papers=papers
        )


def _commendations(ctx, office, years: list[int]) -> None:
    salary: dict[date, int | None] = {}
    for year in years:
        decided_on = date(year + 1, 1, 20)
        if decided_on > ctx.today:
            continue
        if decided_on not in salary:
            salary[decided_on] = commendations.base_salary_on(decided_on)
        for n, offer in enumerate(commendations.offered_from_classification(SYSTEM_SCOPE, ctx.root, year), 1):
            commendations.commendation_add(
                actor=office,
                organization=offer.organization,
                member=offer.member,
                form=CommendationForm.CERTIFICATE,
                issuer=ctx.root.name,
                decision_number=f"{n}-QĐ/ĐU",
                decided_on=decided_on,
                reason=f"Hoàn thành xuất sắc nhiệm vụ năm {year}",
                rated_year=year,
                amount=commendations.rated_excellent_amount(
                    commendations.EXCELLENT_MEMBER_COEFFICIENT, salary[decided_on]
                )
                if offer.member
                else None,
            )
    last = years[-1]
    if date(last + 1, 2, 25) <= ctx.today:
        commendations.commendation_add(
            actor=office,
            organization=ctx.root,
            form=CommendationForm.MERIT,
            issuer="Ban Thường vụ Đảng ủy Khối các cơ quan Trung ương",
            decision_number="215-QĐ/ĐUK",
            decided_on=date(last + 1, 2, 25),
            reason=f"Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ năm {last}",
            rated_year=last,
        )
