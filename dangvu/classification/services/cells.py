"""A cell's own rating (rules.md §1.5, §1.6): the chi ủy's self-rating, then the committee's
decision once all its members are decided."""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.audit import StaleVersionError, update_versioned
from dangvu.members.rules import Problem
from dangvu.organization.models import Organization

from .. import rules, selectors
from ..choices import MANUAL_CELL_TRIGGERS, Level, Stage
from ..models import Campaign, CellRating
from .checks import Outcome, cap_problems, check_level, claim, known_version, overridden, save_new


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
    check_level(level, score, campaign, "level")
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
        save_new(rating)
        return rating
    if rating.stage == Stage.DECIDED:
        raise ValidationError(_("The cell's rating is decided; the office reopens it first."))
    return update_versioned(
        rating, actor=actor, expected_version=known_version(rating, expected_version), changes=values
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
    claim(rating, expected_version)
    if rating.stage != Stage.SELF_ASSESSED:
        raise ValidationError(_("The cell has not rated itself yet, or is already decided."))
    check_level(level, rating.self_score if campaign.rules.has_score_bands else None, campaign, "level")
    if exemplary and level != Level.EXCELLENT:
        raise ValidationError({"exemplary": _("Only an excellent cell is marked exemplary.")})
    facts = selectors.cell_member_facts(campaign, rating.cell, selectors.roster(campaign, rating.cell))
    order = rules.order_problem(members_unrated=facts["members_unrated"])
    if order:
        raise ValidationError(order.message)
    problems, warnings = cell_problems(campaign, rating, level, facts)
    group = campaign.cell_group_of(rating.cell)
    lowered = (
        {group} if rating.self_level == Level.GOOD and level not in {Level.GOOD, Level.EXCELLENT} else set()
    )
    others = selectors.levels_for_cap(campaign, cells=True, exclude=[rating.pk])
    problems += cap_problems(campaign, {group: Counter({level: 1})}, others, lowered).values()
    reason = overridden(problems, override_reason)
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
