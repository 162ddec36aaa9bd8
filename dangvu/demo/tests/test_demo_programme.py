"""The demo's year's work programme: every demo year has a programme, an action plan and the
regulation reviews, with the article's figures (12 cells inspected, 100% of plan)."""

import pytest

from dangvu.core import metrics
from dangvu.members.choices import DisciplineForm, EventKind
from dangvu.members.models import MemberEvent
from dangvu.programme.choices import ItemState, NoteKind, RegulationKind, TaskState
from dangvu.programme.models import ActionPlan, Item, Note, RegulationReview, RemedialAction, Task

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _figures(root, year: int) -> dict:
    return metrics.annual_document(organization=root, year=year, as_of=None, on=TODAY)["metrics"]


def test_every_demo_year_has_a_programme_an_action_plan_and_reviews_with_the_articles_figures(demo):
    for year in (2023, 2024, 2025, 2026):
        items = Item.objects.filter(programme__organization=demo, programme__year=year)
        assert 12 <= items.count() <= 16
        cancelled = items.get(state=ItemState.CANCELLED)
        assert cancelled.cancel_reason
        figures = _figures(demo, year)
        assert figures["inspection.planned"]["value"] == items.count() - 1
        assert figures["regulations.cells_reviewed_pct"]["value"] >= 90
        plan = ActionPlan.objects.get(organization=demo, adopted_on__year=year)
        assert plan.document is not None and 4 <= plan.tasks.count() <= 6
        assert RegulationReview.objects.filter(
            reviewed_on__year=year, regulation=RegulationKind.COORDINATION
        ).exists()
        if year < 2026:  # a complete year: all done, the article's 12 cells, 100% of plan
            assert figures["inspection.cells_inspected"]["value"] >= 12
            assert figures["inspection.completed_pct"]["value"] == 100.0
            assert figures["regulations.cells_reviewed_pct"]["value"] == 100.0
    current = _figures(demo, 2026)
    assert 80 <= current["inspection.completed_pct"]["value"] < 100
    assert current["regulations.cells_reviewed_pct"]["value"] < 100


def test_the_demo_has_one_overdue_action_of_cb02_a_reprimand_a_late_task_and_an_open_proposal(demo):
    overdue = RemedialAction.objects.filter(state=TaskState.OPEN, due_on__lt=TODAY)
    assert list(overdue.values_list("owner__code", "item__programme__year")) == [("CB-02", 2026)]
    assert RemedialAction.objects.filter(state=TaskState.DONE).exclude(report="").count() >= 10
    reprimanded = Item.objects.exclude(discipline_event=None)
    assert reprimanded.count() == 1
    event = reprimanded.get().discipline_event
    assert (event.kind, event.discipline_form) == (EventKind.DISCIPLINE, DisciplineForm.REPRIMAND)
    assert MemberEvent.objects.filter(kind=EventKind.DISCIPLINE, pk=event.pk).exists()
    assert Task.objects.filter(state=TaskState.OPEN, due_on__lt=TODAY).exists()
    assert Note.objects.filter(kind=NoteKind.DIFFICULTY).exclude(answered_on=None).exists()
    assert Note.objects.filter(kind=NoteKind.PROPOSAL, answered_on=None).count() == 1
