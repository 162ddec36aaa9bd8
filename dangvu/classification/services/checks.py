"""What the writes of the review share: the refusal by failed checks, the cap counted at decision,
the override reason, the checks of a level and of a version."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangvu.core.audit import StaleVersionError
from dangvu.members.rules import Problem

from .. import rules
from ..choices import Level
from ..models import Campaign, CellRating, MemberRating


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


def check_level(level: str, score: Decimal | None, campaign: Campaign, field: str) -> None:
    if level not in Level.values:
        raise ValidationError({field: _("Choose a level from the list.")})
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({field: _("A score is from 0 to 100.")})
    if score is None and campaign.rules.has_score_bands:
        raise ValidationError({field: _("Give the score out of 100 (Regulation 366-QĐ/TW).")})


def claim(rating: MemberRating | CellRating, expected_version: int | None) -> None:
    """Refuse a form that read an older state of the rating (or none, when there is one now)."""
    if expected_version is None or rating.version != expected_version:
        raise StaleVersionError(rating.version)


def save_new(rating) -> None:
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # made by someone else since the form was read
        raise StaleVersionError(1) from exc


def known_version(rating, expected_version: int | None) -> int:
    if expected_version is None:
        raise StaleVersionError(rating.version)
    return expected_version


def named(problem: Problem, who) -> Problem:
    return Problem(problem.field, problem.rule, f"{who}: {problem.message}", blocking=True)


def cap_problems(
    campaign: Campaign, batch: dict[str, Counter], others: dict[str, Counter], lowered: set[str] = frozenset()
) -> dict[str, Problem]:
    """The cap in each group a batch touches, counted over the batch and `others`
    (selectors.levels_for_cap), where the batch decides an excellent or lowers a proposed good;
    the failed groups with their problem."""
    found = {}
    for group, levels in batch.items():
        if not levels[Level.EXCELLENT] and group not in lowered:
            continue
        total = others.get(group, Counter()) + levels
        problem = rules.cap_problem(campaign.cap_check(total))
        if problem:
            found[group] = Problem(problem.field, problem.rule, group_label(group) + problem.message)
    return found


def group_label(group: str) -> str:
    return _("Group %(group)s: ") % {"group": group} if group else ""


def overridden(problems: list[Problem], override_reason: str) -> str:
    """The reason kept with a decision taken against failed checks; refused without one."""
    reason = override_reason.strip()
    if problems and not reason:
        raise BlockedByRules(problems)
    return reason if problems else ""
