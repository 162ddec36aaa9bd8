"""Builders shared by the classification tests: a campaign of the current year opened by the office,
members of a cell, and the cell's proposals, all made through the services as users would.

Every date is relative to today (there is no time freezing): the campaign reviews this year."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dangvu.classification import selectors, services
from dangvu.classification.choices import Level
from dangvu.classification.models import Campaign, MemberRating
from dangvu.core.audit import save_audited
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.members.models import Member
from dangvu.testing import make_member

# A score inside each level's band (rules.md §1.3: ≥ 90, 70–89, 50–69, < 50).
SCORES = {
    Level.EXCELLENT: Decimal(95),
    Level.GOOD: Decimal(80),
    Level.COMPLETED: Decimal(60),
    Level.NOT_COMPLETED: Decimal(30),
}


def this_year() -> int:
    return timezone.localdate().year


def campaign_dates() -> tuple[date, date]:
    """A start a few days before today (before 1/12 at the latest), inside the year; the end 31/12."""
    today = timezone.localdate()
    year = today.year
    start = max(date(year, 1, 1), min(today, date(year, 12, 1)) - timedelta(days=5))
    return start, date(year, 12, 31)


def open_campaign(
    world, *, organization=None, start=None, end=None, review_date=None, **settings
) -> Campaign:
    """The office opens the current year's campaign on the root DU (or `organization`); `settings`
    are services.Settings fields (cap_base="B", cap_rate=Decimal("0.25"), grouping=..., ...)."""
    default_start, default_end = campaign_dates()
    if "cap_rate" in settings:
        settings["cap_rate"] = Decimal(str(settings["cap_rate"]))
    return services.campaign_open(
        actor=world.office,
        organization=organization or world.root,
        year=this_year(),
        start=start or default_start,
        end=end or default_end,
        review_date=review_date,
        settings=services.Settings(**settings),
        notify=False,
    )


def make_members(world, cell, n: int, prefix: str | None = None, **kw) -> list[Member]:
    """`n` members of `cell`, admitted in 2010 (reviewed), named "<prefix> 01", "<prefix> 02", ..."""
    prefix = prefix or f"Đảng viên {cell.code}"
    return [make_member(world.admin, cell, f"{prefix} {i:02d}", **kw) for i in range(1, n + 1)]


def member_for_person(world, person, cell=None, decision=date(2010, 3, 1)) -> Member:
    """Make a persona's person (world.member_a_person, ...) a real member of `cell` (default: the
    person's organisation), admitted in 2010, so that they are reviewed and can self-assess."""
    cell = cell or person.organization
    member = Member(person=person)
    save_audited(member, actor=world.admin)
    member_services.member_history_record(
        actor=world.admin,
        member=member,
        events=[
            {"kind": EventKind.ADMISSION_DECISION, "date": decision, "cell": cell},
            {"kind": EventKind.CEREMONY, "date": decision + timedelta(days=19), "cell": cell},
            {"kind": EventKind.RECOGNITION, "date": decision + timedelta(days=389), "cell": cell},
        ],
    )
    return member


def actor_for(world, cell):
    """Who proposes for a cell: its secretary for CB-A, the office elsewhere."""
    return world.secretary_a if cell.pk == world.cell_a.pk else world.office


def propose_all(world, campaign: Campaign, cell, levels, actor=None) -> list[MemberRating]:
    """The cell proposes a level for its reviewed members, recording each self-assessment (same
    level, a score in its band) on their behalf when there is none. `levels` is a list applied to
    the reviewed members in roster order (extra members are left alone), a mapping {member: level},
    or one level for everyone; a level may be a (level, score) pair to give another score."""
    entries = [e for e in selectors.roster(campaign, cell) if e.reviewed and e.cell_id == cell.pk]
    if isinstance(levels, str):
        chosen = [(e, levels) for e in entries]
    elif isinstance(levels, dict):
        by_pk = {getattr(m, "pk", m): level for m, level in levels.items()}
        chosen = [(e, by_pk[e.member.pk]) for e in entries if e.member.pk in by_pk]
    else:
        chosen = list(zip(entries, levels, strict=False))
    proposals = []
    for entry, chosen_level in chosen:
        rating = entry.rating
        level, score = chosen_level if isinstance(chosen_level, tuple) else (chosen_level, None)
        score = SCORES[Level(level)] if score is None else Decimal(score)
        proposals.append(
            services.Proposal(
                member=entry.member,
                level=level,
                score=score,
                self_score=None if rating else score,
                self_level="" if rating else level,
                expected_version=rating.version if rating else None,
            )
        )
    return services.member_propose(
        actor=actor or actor_for(world, cell), campaign=campaign, cell=cell, proposals=proposals
    )


def decide_all(world, campaign: Campaign, ratings, level=None, override_reason: str = "") -> services.Outcome:
    """The office decides the given proposed ratings, at their proposed level unless `level` says."""
    ratings = [MemberRating.objects.get(pk=r.pk) for r in ratings]
    decisions = [
        services.Decision(rating=r, level=level or r.proposed_level, expected_version=r.version)
        for r in ratings
    ]
    return services.member_decide(
        actor=world.office, campaign=campaign, decisions=decisions, override_reason=override_reason
    )
