"""Past years' final ratings, brought in by the import (issue 6, point 6)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import bulk
from dangvu.core.audit import update_versioned
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from ..choices import Level, Stage
from ..models import Campaign, CellRating, MemberRating


@dataclass(frozen=True)
class Imported:
    """What an import of past final ratings wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def ratings_import(
    *,
    actor,
    campaign: Campaign,
    members: list[tuple[Member, Organization, str]],
    cells: list[tuple[Organization, str, bool]] = (),
) -> Imported:
    """Past years' final ratings (members: member, cell, level; cells: cell, level, exemplary),
    written as decided on 31/12 of the year. Only into a campaign made by such an import: a live
    campaign is decided through the workflow. A rating already there is replaced; new ones are
    written at import speed (core.bulk), each with its history row naming the actor."""
    if not campaign.imported:
        raise ValidationError(
            _("The review of %(year)d is held in the system: its ratings are decided there.")
            % {"year": campaign.year}
        )
    _check_past(campaign, members, cells)
    decided = {"stage": Stage.DECIDED.value, "decided_on": date(campaign.year, 12, 31), "override_reason": ""}
    member_rows = [(m.pk, {"member_id": m.pk, "cell_id": c.pk, "decided_level": lv}) for m, c, lv in members]
    cell_rows = [(c.pk, {"cell_id": c.pk, "decided_level": lv, "exemplary": ex}) for c, lv, ex in cells]
    found = [
        _past_write(MemberRating, campaign, "member_id", member_rows, decided, actor),
        _past_write(CellRating, campaign, "cell_id", cell_rows, decided, actor),
    ]
    return Imported(*(sum(counts) for counts in zip(*found, strict=True)))


def _check_past(campaign: Campaign, members: list, cells: list) -> None:
    under = campaign.organization.path
    levels = [lv for _m, _c, lv in members] + [lv for _c, lv, _e in cells]
    if any(lv not in Level.values for lv in levels):
        raise ValidationError(_("Choose a level from the list."))
    if any(ex and lv != Level.EXCELLENT for _c, lv, ex in cells):
        raise ValidationError({"exemplary": _("Only an excellent cell is marked exemplary.")})
    places = [c for _m, c, _lv in members] + [c for c, _lv, _e in cells]
    if any(not c.is_cell or not c.path.startswith(under) for c in places):
        raise ValidationError(_("This cell is not part of the review."))
    member_ids, cell_ids = {m.pk for m, *_ in members}, {c.pk for c, *_ in cells}
    if len(member_ids) < len(members) or len(cell_ids) < len(cells):
        raise ValidationError(_("A member or a cell is rated twice in the same year."))


def _past_write(
    model, campaign: Campaign, key: str, rows: list, decided: dict, actor
) -> tuple[int, int, int]:
    """Replace the ratings of `model` already in the campaign, insert the others in bulk."""
    there = model.objects.filter(campaign=campaign, **{f"{key}__in": [k for k, _v in rows]})
    existing = {getattr(r, key): r for r in there}
    now, updated, unchanged, new = timezone.now(), 0, 0, []
    for pk, values in rows:
        rating = existing.get(pk)
        if rating is None:
            new.append({**values, **decided, "campaign_id": campaign.pk, "decided_by_id": actor.pk})
            continue
        changes = {f: v for f, v in {**values, **decided}.items() if getattr(rating, f) != v}
        if not changes:
            unchanged += 1
            continue
        changes |= {"decided_by_id": actor.pk, "decided_at": now}
        update_versioned(rating, actor=actor, expected_version=rating.version, changes=changes)
        updated += 1
    triggers = model._meta.get_field("triggers").get_db_prep_value([], connection)
    for values in new:
        values |= {"decided_at": now, "triggers": triggers}
    bulk.insert(model, new, actor=actor, when=now)
    return len(new), updated, unchanged
