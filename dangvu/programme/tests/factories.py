"""Builders of the programme's records through its services, for the tests of the pages, the data
and the API. Dates relative to today (no time freezing); the office writes unless told."""

from datetime import date, timedelta

from dangvu.core.periods import today
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, NoteKind, RegulationKind, Result, ReviewKind
from dangvu.programme.models import ActionPlan, Item, Note, Programme, RegulationReview, Task


def programme(world, organization=None, year: int | None = None, actor=None) -> Programme:
    return services.programme_open(
        actor=actor or world.office, organization=organization or world.root, year=year or today().year
    )


def item(world, of: Programme, kind=ItemKind.COMPLIANCE, actor=None, **extra) -> Item:
    """A planned item of `of` in the month before today (within the programme's year), concerning
    what `extra` says (subject_cell=..., subject_member=...)."""
    ends_on = min(today(), date(of.year, 12, 31))
    fields = {
        "kind": kind,
        "content": "Kiểm tra việc chấp hành Điều lệ Đảng",
        "starts_on": max(ends_on - timedelta(days=30), date(of.year, 1, 1)),
        "ends_on": ends_on,
    }
    return services.item_add(actor=actor or world.office, programme=of, **(fields | extra))


def conclude(
    world, of: Item, result=Result.SHORTCOMINGS, actions=(), actor=None, on: date | None = None, **extra
) -> Item:
    """Conclude `of` today (or `on`); `actions` are services.Action."""
    return services.item_conclude(
        actor=actor or world.office,
        item=of,
        expected_version=of.version,
        concluded_on=on or min(today(), date(of.programme.year, 12, 31)),
        conclusion=extra.pop("conclusion", "Chi bộ còn hạn chế trong sinh hoạt"),
        result=result,
        actions=actions,
        **extra,
    )


def action(owner, what: str = "Khắc phục hạn chế trong sinh hoạt", due_in_days: int = 30) -> services.Action:
    return services.Action(action=what, owner=owner, due_on=today() + timedelta(days=due_in_days))


def plan(world, organization=None, actor=None, **extra) -> ActionPlan:
    fields = {"title": "Kế hoạch thực hiện Nghị quyết", "adopted_on": today() - timedelta(days=60)}
    return services.plan_create(
        actor=actor or world.office, organization=organization or world.root, **(fields | extra)
    )


def task(world, of: ActionPlan, cells=(), actor=None, **extra) -> Task:
    fields = {"what": "Quán triệt nghị quyết", "due_on": today() + timedelta(days=10)}
    return services.task_add(actor=actor or world.office, plan=of, cells=cells, **(fields | extra))


def note(world, of: Task, kind=NoteKind.PROPOSAL, cell=None, actor=None, **extra) -> Note:
    return services.note_add(
        actor=actor or world.secretary_a,
        task=of,
        cell=cell or world.cell_a,
        kind=kind,
        text=extra.pop("text", "Đề nghị cấp tài liệu"),
        **extra,
    )


def review(
    world, cell, day: date | None = None, regulation=RegulationKind.WORKING, review=ReviewKind.REVIEWED
) -> RegulationReview:
    return services.regulation_review_record(
        actor=world.office, cell=cell, regulation=regulation, review=review, reviewed_on=day or today()
    )
