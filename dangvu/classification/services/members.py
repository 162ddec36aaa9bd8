"""A member's rating in the order of rules.md §1.6: the self-assessment, the cell's proposal, the
committee's decision (with the checks of §1.3 and the cap of §1.4), and reopening."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.core.audit import StaleVersionError, update_versioned
from dangvu.members.models import Member
from dangvu.members.rules import Problem
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from .. import rules, selectors
from ..choices import MANUAL_MEMBER_TRIGGERS, Exclusion, Level, Stage
from ..models import Campaign, CellRating, MemberRating
from .checks import Outcome, cap_problems, check_level, claim, known_version, named, overridden, save_new


def _reviewed_entry(campaign: Campaign, member: Member) -> selectors.Entry:
    entry = selectors.roster_entry(campaign, member)
    if entry is None:
        raise ValidationError(_("%(name)s is not a member of a cell of this review.") % {"name": member})
    if not entry.reviewed:
        raise ValidationError(
            _("%(name)s is not reviewed this year: %(reason)s.")
            % {
                "name": member,
                "reason": Exclusion(entry.exclusion).label,
            }
        )
    return entry


@transaction.atomic
def member_self_assess(
    *,
    actor,
    campaign: Campaign,
    member: Member,
    score: Decimal | None,
    level: str,
    expected_version: int | None = None,
) -> MemberRating:
    """The member's self-assessment (rules.md §1.6 step 1); recorded by anyone else, it is marked as
    made on the member's behalf. Changeable until the cell proposes."""
    check_level(level, score, campaign, "self_level")
    entry = _reviewed_entry(campaign, member)
    rating = entry.rating
    values = {
        "self_score": score,
        "self_level": level,
        "self_by": actor,
        "self_at": timezone.now(),
        "self_on_behalf": member.person.user_id != actor.pk,
    }
    if rating is None:
        if expected_version is not None:
            raise StaleVersionError(0)
        rating = MemberRating(
            campaign=campaign, member=member, cell_id=entry.cell_id, stage=Stage.SELF_ASSESSED, **values
        )
        rating._history_user = actor
        save_new(rating)
        return rating
    if rating.stage != Stage.SELF_ASSESSED:
        raise ValidationError(
            _("The cell has already proposed a level; the self-assessment can no longer change.")
        )
    return update_versioned(
        rating, actor=actor, expected_version=known_version(rating, expected_version), changes=values
    )


@dataclass(frozen=True)
class Proposal:
    """The cell's proposal for one member; with `self_level`, the self-assessment the secretary
    records on the member's behalf at the same time (when the member made none)."""

    member: Member
    level: str
    score: Decimal | None = None
    note: str = ""
    self_score: Decimal | None = None
    self_level: str = ""
    expected_version: int | None = None  # of the rating the form showed; None when there was none


@transaction.atomic
def member_propose(
    *, actor, campaign: Campaign, cell: Organization, proposals: list[Proposal]
) -> list[MemberRating]:
    """The cell's proposals (rules.md §1.6 step 2), all or none. Each member must be reviewed at this
    cell and have a self-assessment, made before or recorded here on their behalf; a decided rating
    is not proposed again."""
    done = []
    for proposal in proposals:
        entry = _reviewed_entry(campaign, proposal.member)
        if entry.cell_id != cell.pk:
            raise ValidationError(_("%(name)s is not a member of this cell.") % {"name": proposal.member})
        rating, expected = entry.rating, proposal.expected_version
        on_behalf_editable = (
            rating is not None and rating.stage == Stage.SELF_ASSESSED and rating.self_on_behalf
        )
        if proposal.self_level and (rating is None or on_behalf_editable):
            rating = member_self_assess(
                actor=actor,
                campaign=campaign,
                member=proposal.member,
                score=proposal.self_score,
                level=proposal.self_level,
                expected_version=expected,
            )
            expected = rating.version
        elif rating is None:
            raise ValidationError(
                _("%(name)s has no self-assessment: record it on their behalf.") % {"name": proposal.member}
            )
        if rating.stage == Stage.DECIDED:
            raise ValidationError(
                _("%(name)s is already decided; the office reopens a decision.") % {"name": proposal.member}
            )
        score = proposal.score if proposal.score is not None else rating.self_score
        check_level(proposal.level, score, campaign, "level")
        changes = {
            "proposed_level": proposal.level,
            "proposed_score": proposal.score,
            "proposal_note": proposal.note.strip(),
            "proposed_by": actor,
            "proposed_at": timezone.now(),
            "stage": Stage.PROPOSED,
        }
        done.append(
            update_versioned(
                rating, actor=actor, expected_version=known_version(rating, expected), changes=changes
            )
        )
    if done:
        _tell_office_when_proposed(campaign, cell)
    return done


def _tell_office_when_proposed(campaign: Campaign, cell: Organization) -> None:
    entries = selectors.roster(campaign, cell)
    if any(e.reviewed and e.stage in {"", Stage.SELF_ASSESSED} for e in entries):
        return
    notifications.notify(
        recipients=org_selectors.office_users(campaign.organization),
        kind="classification.proposed",
        key=f"classification.proposed.{campaign.pk}.{cell.pk}",
        subject=_("%(cell)s has proposed the levels of all its members") % {"cell": cell.name},
        url=campaign.sheet_url(cell),
        scope_path=cell.path,
    )


@transaction.atomic
def member_triggers_set(
    *, actor, rating: MemberRating, keys: Iterable[str], expected_version: int
) -> MemberRating:
    """The triggers stated for a member (rules.md §1.3 (a), (c), (d), (e)); (b) comes from the
    discipline records. Not after the decision."""
    keys = sorted(set(keys))
    if any(k not in MANUAL_MEMBER_TRIGGERS for k in keys):
        raise ValidationError(_("Choose the triggers from the list."))
    if rating.stage == Stage.DECIDED:
        raise ValidationError(_("The rating is decided; the office reopens it first."))
    return update_versioned(
        rating, actor=actor, expected_version=expected_version, changes={"triggers": keys}
    )


@dataclass(frozen=True)
class Decision:
    rating: MemberRating
    level: str
    expected_version: int


@transaction.atomic
def member_decide(
    *, actor, campaign: Campaign, decisions: list[Decision], override_reason: str = ""
) -> Outcome:
    """The committee's decisions on proposed members (rules.md §1.6 step 3), all or none, after the
    checks of §1.3 (score band, triggers) and the cap of §1.4 in each group: over what is decided,
    the pending proposals below excellent, and these decisions (selectors.levels_for_cap)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)  # one decider at a time
    ratings = {
        r.pk: r
        for r in MemberRating.objects.select_related("member__person", "cell").filter(
            campaign=campaign, pk__in=[d.rating.pk for d in decisions]
        )
    }
    if len(ratings) != len({d.rating.pk for d in decisions}):
        raise ValidationError(_("A rating does not belong to this review."))
    disciplines = selectors.disciplines_of(r.member_id for r in ratings.values())
    problems: list[Problem] = []
    batch: dict[str, Counter] = {}
    lowered: set[str] = set()
    flagged: set[int] = set()  # ratings with a failed check of their own
    capped: set[int] = set()  # ratings the cap is about: excellent, or a good lowered
    for decision in decisions:
        rating = ratings[decision.rating.pk]
        claim(rating, decision.expected_version)
        if rating.stage != Stage.PROPOSED:
            raise ValidationError(_("%(name)s has not been proposed by the cell.") % {"name": rating.member})
        check_level(
            decision.level, rating.score if campaign.rules.has_score_bands else None, campaign, "level"
        )
        triggers = selectors.triggers_of(rating, disciplines.get(rating.member_id, []), campaign.year)
        own = rules.level_problems(decision.level, rating.score, campaign.rules, triggers)
        problems += [named(p, rating.member) for p in own]
        group = campaign.group_of(rating.cell)
        batch.setdefault(group, Counter())[decision.level] += 1
        if rating.proposed_level == Level.GOOD and decision.level not in {Level.GOOD, Level.EXCELLENT}:
            lowered.add(group)  # fewer "good" than counted so far: the cap must still hold
            capped.add(rating.pk)
        if own or decision.level == Level.EXCELLENT:
            (flagged if own else capped).add(rating.pk)
    over = cap_problems(campaign, batch, selectors.levels_for_cap(campaign, exclude=ratings), lowered)
    problems += over.values()
    reason = overridden(problems, override_reason)
    # The reason stays with the decisions it was given for: a member's own failed check, or an
    # excellent (or a lowered good) in a group over the cap.
    flagged |= {pk for pk in capped if campaign.group_of(ratings[pk].cell) in over}
    today, now = periods.today(), timezone.now()
    written = [
        update_versioned(
            ratings[d.rating.pk],
            actor=actor,
            expected_version=d.expected_version,
            changes={
                "decided_level": d.level,
                "decided_by": actor,
                "decided_at": now,
                "decided_on": today,
                "stage": Stage.DECIDED,
                "override_reason": reason if d.rating.pk in flagged else "",
            },
            reason=reason if d.rating.pk in flagged else "",
        )
        for d in decisions
    ]
    return Outcome(written, problems if reason else [])


@transaction.atomic
def member_reopen(*, actor, rating: MemberRating, reason: str, expected_version: int) -> MemberRating:
    """The office takes a decision back (rules.md §1.6: the higher committee may cancel a result and
    order a re-rating), with a reason; not while the cell's own rating is decided on top of it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the decision is reopened.")})
    if rating.stage != Stage.DECIDED:
        raise ValidationError(_("Only a decided rating is reopened."))
    if CellRating.objects.filter(
        campaign=rating.campaign_id, cell=rating.cell_id, stage=Stage.DECIDED
    ).exists():
        raise ValidationError(_("The cell's own rating is decided: reopen it first."))
    changes = {
        "decided_level": "",
        "decided_by": None,
        "decided_at": None,
        "decided_on": None,
        "override_reason": "",
        "stage": Stage.PROPOSED,
    }
    return update_versioned(
        rating, actor=actor, expected_version=expected_version, changes=changes, reason=reason
    )
