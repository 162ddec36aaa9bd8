"""Writes of the review, each in a transaction and audited with its actor, in the order of
rules.md §1.6 and §1.5: a member's self-assessment, the cell's proposal, the committee's decision;
then the cell's self-rating and the committee's decision on the cell, after all its members.

A check that fails (score band, triggers, the cap, the cell's leadership) blocks a decision unless
the deciding user gives a written reason, kept on the rating and in its history (rules.md
"Product defaults": override with a written reason). Two people deciding at once cannot exceed the
cap: a decision locks its campaign's row first, so decisions of one campaign are counted one after
the other.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.core.audit import StaleVersionError, save_audited, update_versioned
from dangvu.members.models import Member
from dangvu.members.rules import Problem
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import (
    CAP_RATES,
    MANUAL_CELL_TRIGGERS,
    MANUAL_MEMBER_TRIGGERS,
    CapBase,
    CountFrom,
    Grouping,
    Level,
    Stage,
)
from .models import Campaign, CellRating, MemberRating


class BlockedByRules(ValidationError):
    """A decision refused by failed checks; the same call with a written reason overrides them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__([f"{p.message} ({p.rule})" for p in problems])


@dataclass(frozen=True)
class Outcome:
    """What a decision wrote, and the warnings that did not block it."""

    ratings: list
    warnings: list[Problem]


# ------------------------------------------------------------------------------------ campaigns


@dataclass(frozen=True)
class Settings:
    """The campaign's settings of rules.md "Product defaults", with their defaults."""

    cap_base: str = CapBase.A
    cap_rate: Decimal = Decimal("0.20")
    grouping: str = Grouping.PER_COMMITTEE
    custom_groups: dict | None = None
    count_from: str = CountFrom.DECISION
    cell_warning: bool = True
    warning_threshold: int = 1
    special_unit: bool = False


def _check_settings(values: dict) -> None:
    if str(values["cap_rate"]) not in dict(CAP_RATES):
        raise ValidationError({"cap_rate": _("The cap is 20%, or 25% where the exception is granted.")})
    if values["cap_base"] not in CapBase.values or values["grouping"] not in Grouping.values:
        raise ValidationError(_("Choose the cap's base and grouping from the list."))
    if values["count_from"] not in CountFrom.values:
        raise ValidationError({"count_from": _("Choose where the six months are counted from.")})
    if values["warning_threshold"] < 1:
        raise ValidationError({"warning_threshold": _("The warning needs at least one member.")})


def _check_dates(year: int, start: date, end: date, review_date: date, special_unit: bool) -> None:
    problems = rules.campaign_problems(start, end, year, special_unit)
    if problems:
        raise ValidationError({p.field: p.message for p in problems})
    if not start <= review_date <= end:
        raise ValidationError({"review_date": _("The review date falls within the campaign.")})


def _settings_fields(settings: Settings) -> dict:
    values = {**settings.__dict__, "custom_groups": settings.custom_groups or {}}
    values["cap_rate"] = Decimal(str(values["cap_rate"])).quantize(Decimal("0.01"))
    return values


@transaction.atomic
def campaign_open(
    *,
    actor,
    organization: Organization,
    year: int,
    start: date,
    end: date,
    review_date: date | None = None,
    settings: Settings = Settings(),
    notify: bool = True,
    imported: bool = False,
) -> Campaign:
    """Open the year's review for the organisation's subtree, judged by the rules in force for the
    year (rules.md §1.1) and the given settings; tell each cell's committee."""
    if organization.is_cell or not selectors.has_cells(organization):
        raise ValidationError(_("A review campaign is opened by a committee that has cells under it."))
    review_date = review_date or end
    values = _settings_fields(settings)
    _check_settings(values)
    _check_dates(year, start, end, review_date, settings.special_unit)
    if selectors.overlapping(organization, year).exists():
        raise ValidationError(
            _("The review of %(year)d is already open for this organisation or part of it.") % {"year": year}
        )
    campaign = Campaign(
        organization=organization,
        year=year,
        start=start,
        end=end,
        review_date=review_date,
        rule_set=rules.rule_set_for(year, review_date=review_date).code,
        imported=imported,
        **values,
    )
    save_audited(campaign, actor=actor)
    if notify:
        _tell_cells(campaign)
    return campaign


def _tell_cells(campaign: Campaign) -> None:
    cells = selectors.cells_of(campaign)
    users = org_selectors.committee_users([c.pk for c in cells], periods.today())
    for cell in cells:
        notifications.notify(
            recipients=users.get(cell.pk, []),
            kind="classification.campaign",
            key=f"classification.campaign.{campaign.pk}.{cell.pk}",
            subject=_("Review and classification of %(year)d: until %(end)s")
            % {"year": campaign.year, "end": campaign.end.strftime("%d/%m/%Y")},
            body=_("Record the members' self-assessments and the cell's proposals before the deadline."),
            url=campaign.sheet_url(cell),
            scope_path=cell.path,
        )


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, expected_version: int, **changes) -> Campaign:
    """Change the dates or the settings. A decision already taken stays; the checks of the next
    decisions use the new settings, and the history shows when they changed."""
    values = {f: getattr(campaign, f) for f in Settings.__dataclass_fields__}
    values.update({k: v for k, v in changes.items() if k in values})
    values = _settings_fields(Settings(**values))
    _check_settings(values)
    dates = {f: changes.get(f, getattr(campaign, f)) for f in ("start", "end", "review_date")}
    _check_dates(campaign.year, dates["start"], dates["end"], dates["review_date"], values["special_unit"])
    return update_versioned(
        campaign, actor=actor, expected_version=expected_version, changes={**values, **dates}
    )


# ------------------------------------------------------------------------------ member ratings


def _check_level(level: str, score: Decimal | None, campaign: Campaign, field: str) -> None:
    if level not in Level.values:
        raise ValidationError({field: _("Choose a level from the list.")})
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({field: _("A score is from 0 to 100.")})
    if score is None and campaign.rules.has_score_bands:
        raise ValidationError({field: _("Give the score out of 100 (Regulation 366-QĐ/TW).")})


def _reviewed_entry(campaign: Campaign, member: Member) -> selectors.Entry:
    entry = selectors.roster_entry(campaign, member)
    if entry is None:
        raise ValidationError(_("%(name)s is not a member of a cell of this review.") % {"name": member})
    if not entry.reviewed:
        raise ValidationError(
            _("%(name)s is not reviewed this year: %(reason)s.")
            % {
                "name": member,
                "reason": entry.exclusion.label if hasattr(entry.exclusion, "label") else entry.exclusion,
            }
        )
    return entry


def _claim(rating: MemberRating | CellRating, expected_version: int | None) -> None:
    """Refuse a form that read an older state of the rating (or none, when there is one now)."""
    if expected_version is None or rating.version != expected_version:
        raise StaleVersionError(rating.version)


def _save_new(rating) -> None:
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # made by someone else since the form was read
        raise StaleVersionError(1) from exc


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
    _check_level(level, score, campaign, "self_level")
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
        _save_new(rating)
        return rating
    if rating.stage != Stage.SELF_ASSESSED:
        raise ValidationError(
            _("The cell has already proposed a level; the self-assessment can no longer change.")
        )
    return update_versioned(
        rating, actor=actor, expected_version=_version(rating, expected_version), changes=values
    )


def _version(rating, expected_version: int | None) -> int:
    if expected_version is None:
        raise StaleVersionError(rating.version)
    return expected_version


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
        _check_level(proposal.level, score, campaign, "level")
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
                rating, actor=actor, expected_version=_version(rating, expected), changes=changes
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
    checks of §1.3 (score band, triggers) and the cap of §1.4 counted over what is already decided
    in each group plus these decisions."""
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
    for decision in decisions:
        rating = ratings[decision.rating.pk]
        _claim(rating, decision.expected_version)
        if rating.stage != Stage.PROPOSED:
            raise ValidationError(_("%(name)s has not been proposed by the cell.") % {"name": rating.member})
        _check_level(
            decision.level, rating.score if campaign.rules.has_score_bands else None, campaign, "level"
        )
        triggers = selectors.triggers_of(rating, disciplines.get(rating.member_id, []), campaign.year)
        problems += [
            _named(p, rating.member)
            for p in rules.level_problems(decision.level, rating.score, campaign.rules, triggers)
        ]
        batch.setdefault(campaign.group_of(rating.cell), Counter())[decision.level] += 1
    problems += _cap_problems(campaign, batch, selectors.decided_levels_by_group(campaign))
    reason = _overridden(problems, override_reason)
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
                "override_reason": reason,
            },
            reason=reason,
        )
        for d in decisions
    ]
    return Outcome(written, problems if reason else [])


def _named(problem: Problem, who) -> Problem:
    return Problem(problem.field, problem.rule, f"{who}: {problem.message}", blocking=True)


def _cap_problems(
    campaign: Campaign, batch: dict[str, Counter], decided: dict[str, Counter]
) -> list[Problem]:
    found = []
    for group, levels in batch.items():
        if not levels[Level.EXCELLENT]:
            continue
        total = decided.get(group, Counter()) + levels
        result = rules.cap_check(
            excellent=total[Level.EXCELLENT],
            good=total[Level.GOOD],
            rate=campaign.cap_rate,
            base=campaign.cap_base,
        )
        problem = rules.cap_problem(result)
        if problem:
            found.append(Problem(problem.field, problem.rule, _group_label(group) + problem.message))
    return found


def _group_label(group: str) -> str:
    return _("Group %(group)s: ") % {"group": group} if group else ""


def _overridden(problems: list[Problem], override_reason: str) -> str:
    """The reason kept with a decision taken against failed checks; refused without one."""
    reason = override_reason.strip()
    if problems and not reason:
        raise BlockedByRules(problems)
    return reason if problems else ""


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


# -------------------------------------------------------------------------------- cell ratings


@transaction.atomic
def cell_self_assess(
    *,
    actor,
    campaign: Campaign,
    cell: Organization,
    score: Decimal | None,
    level: str,
    note: str = "",
    triggers: Iterable[str] = (),
    expected_version: int | None = None,
) -> CellRating:
    """The chi ủy's self-rating of the cell (rules.md §1.6: the chi ủy, or the cell where there is
    none, self-rates). Changeable until the committee decides."""
    _check_level(level, score, campaign, "level")
    triggers = sorted(set(triggers))
    if any(k not in MANUAL_CELL_TRIGGERS for k in triggers):
        raise ValidationError(_("Choose the triggers from the list."))
    if cell.pk not in {c.pk for c in selectors.cells_of(campaign)}:
        raise ValidationError(_("This cell is not part of the review."))
    values = {
        "self_score": score,
        "self_level": level,
        "self_note": note.strip(),
        "triggers": triggers,
        "self_by": actor,
        "self_at": timezone.now(),
    }
    rating = selectors.cell_rating_of(campaign, cell)
    if rating is None:
        if expected_version is not None:
            raise StaleVersionError(0)
        rating = CellRating(campaign=campaign, cell=cell, stage=Stage.SELF_ASSESSED, **values)
        rating._history_user = actor
        _save_new(rating)
        return rating
    if rating.stage == Stage.DECIDED:
        raise ValidationError(_("The cell's rating is decided; the office reopens it first."))
    return update_versioned(
        rating, actor=actor, expected_version=_version(rating, expected_version), changes=values
    )


def cell_problems(
    campaign: Campaign, rating: CellRating, level: str, facts: dict
) -> tuple[list[Problem], list[Problem]]:
    """The checks of a cell's level (rules.md §1.3, §1.5): blocking ones, and warnings."""
    triggers = rules.collective_triggers(
        year=campaign.year,
        **{k: k in rating.triggers for k in MANUAL_CELL_TRIGGERS if k != "tasks_below_70_percent"},
        leadership_disciplines=facts["leadership_disciplines"],
        tasks_planned=10 if "tasks_below_70_percent" in rating.triggers else 0,
        tasks_completed=0,
    )
    found = rules.level_problems(level, rating.self_score, campaign.rules, triggers)
    warnings = rules.cell_rating_warnings(
        proposed=level,
        members_not_completed=facts["members_not_completed"],
        leadership_disciplined=facts["leadership_disciplined"],
        members_disciplined=facts["members_disciplined"],
        warn=campaign.cell_warning,
        threshold=campaign.warning_threshold,
    )
    blocking = [Problem(p.field, p.rule, p.message) for p in found] + [w for w in warnings if w.blocking]
    return blocking, [w for w in warnings if not w.blocking]


@transaction.atomic
def cell_decide(
    *,
    actor,
    rating: CellRating,
    level: str,
    expected_version: int,
    exemplary: bool = False,
    override_reason: str = "",
) -> Outcome:
    """The committee's decision on a cell (rules.md §1.6), only once every reviewed member of the
    cell is decided (§1.5, not overridable), after the checks of §1.3 and the cap of §1.4 over the
    cells of the group."""
    campaign = Campaign.objects.select_for_update().get(pk=rating.campaign_id)
    _claim(rating, expected_version)
    if rating.stage != Stage.SELF_ASSESSED:
        raise ValidationError(_("The cell has not rated itself yet, or is already decided."))
    _check_level(level, rating.self_score if campaign.rules.has_score_bands else None, campaign, "level")
    if exemplary and level != Level.EXCELLENT:
        raise ValidationError({"exemplary": _("Only an excellent cell is marked exemplary.")})
    facts = selectors.cell_member_facts(campaign, rating.cell, selectors.roster(campaign, rating.cell))
    order = rules.order_problem(members_unrated=facts["members_unrated"])
    if order:
        raise ValidationError(order.message)
    problems, warnings = cell_problems(campaign, rating, level, facts)
    group = campaign.cell_group_of(rating.cell)
    problems += _cap_problems(
        campaign, {group: Counter({level: 1})}, selectors.decided_levels_by_group(campaign, cells=True)
    )
    reason = _overridden(problems, override_reason)
    written = update_versioned(
        rating,
        actor=actor,
        expected_version=expected_version,
        changes={
            "decided_level": level,
            "exemplary": exemplary,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decided_on": periods.today(),
            "stage": Stage.DECIDED,
            "override_reason": reason,
        },
        reason=reason,
    )
    return Outcome([written], warnings + (problems if reason else []))


@transaction.atomic
def cell_reopen(*, actor, rating: CellRating, reason: str, expected_version: int) -> CellRating:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the decision is reopened.")})
    if rating.stage != Stage.DECIDED:
        raise ValidationError(_("Only a decided rating is reopened."))
    changes = {
        "decided_level": "",
        "exemplary": False,
        "decided_by": None,
        "decided_at": None,
        "decided_on": None,
        "override_reason": "",
        "stage": Stage.SELF_ASSESSED,
    }
    return update_versioned(
        rating, actor=actor, expected_version=expected_version, changes=changes, reason=reason
    )
