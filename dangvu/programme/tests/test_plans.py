"""Action plans (issue 8, point 1): the office turns a resolution into tasks for its cells; a cell
reports progress and raises difficulties or proposals, which the office answers; who sees which plan;
late tasks and unanswered proposals. Dates relative to today (no time freezing)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from dangvu.core.access import scope_for
from dangvu.core.audit import StaleVersionError
from dangvu.core.models import Notification
from dangvu.core.periods import today
from dangvu.meetings import services as meeting_services
from dangvu.meetings.choices import DocumentKind
from dangvu.programme import rules, selectors, services
from dangvu.programme.choices import NoteKind, TaskState
from dangvu.programme.models import ActionPlan, Note, Task
from dangvu.testing import make_person, make_seat

pytestmark = pytest.mark.django_db


def _plan(world, organization=None, **extra) -> ActionPlan:
    fields = {"title": "Kế hoạch thực hiện Nghị quyết", "adopted_on": today() - timedelta(days=60)}
    return services.plan_create(
        actor=world.office, organization=organization or world.root, **(fields | extra)
    )


def _task(world, plan, cells=(), **extra) -> Task:
    fields = {"what": "Quán triệt nghị quyết", "due_on": today() + timedelta(days=10)}
    return services.task_add(actor=world.office, plan=plan, cells=cells, **(fields | extra))


def _note(world, task, kind=NoteKind.PROPOSAL, cell=None, **extra) -> Note:
    return services.note_add(
        actor=world.secretary_a,
        task=task,
        cell=cell or world.cell_a,
        kind=kind,
        text=extra.pop("text", "Đề nghị cấp tài liệu"),
        **extra,
    )


def _document(world, organization):
    return meeting_services.document_create(
        actor=world.office,
        organization=organization,
        kind=DocumentKind.RESOLUTION,
        title="Nghị quyết Đại hội",
        set_on=today() - timedelta(days=90),
        study_by=today() - timedelta(days=70),
    )


@pytest.fixture
def root_secretary(world):
    """A secretary of the root committee, with a login: the committee told of a cell's proposal."""
    person = make_person(world.admin, world.root, "Đỗ Bí Thư Đảng Ủy", "secretary_root")
    make_seat(world.admin, person, world.root)
    return person.user


def _keys(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("key", flat=True))


# ------------------------------------------------------------------------------------ the plan


def test_a_plan_carries_out_a_document_set_above_it_or_under_it(world):
    from_root = _document(world, world.root)
    from_cell_c = _document(world, world.cell_c)
    assert _plan(world, world.partial, document=from_root).document == from_root
    assert _plan(world, world.partial, document=from_cell_c).document == from_cell_c
    assert _plan(world, world.partial, number="05-KH/ĐU").number == "05-KH/ĐU"
    with pytest.raises(ValidationError):
        _plan(world, world.cell_a, document=from_cell_c)  # a sibling's document
    assert ActionPlan.objects.count() == 3


def test_a_plan_needs_a_title_and_is_adopted_today_or_before(world):
    assert _plan(world, adopted_on=today()).history.count() == 1
    for extra in ({"title": "  "}, {"adopted_on": today() + timedelta(days=1)}):
        with pytest.raises(ValidationError):
            _plan(world, **extra)
    assert ActionPlan.objects.count() == 1


# ----------------------------------------------------------------------------------- the tasks


def test_a_task_goes_to_cells_of_the_plan_s_organisation(world):
    plan = _plan(world, world.partial)
    task = _task(world, plan, cells=[world.cell_c, world.cell_c], responsible=" Ban  tuyên giáo ")
    assert list(task.cells.all()) == [world.cell_c]
    assert task.responsible == "Ban tuyên giáo"
    for cells in ([world.cell_a], [world.partial]):  # another subtree's cell; not a cell
        with pytest.raises(ValidationError):
            _task(world, plan, cells=cells)
    for extra in ({"what": " "}, {"due_on": plan.adopted_on - timedelta(days=1)}):
        with pytest.raises(ValidationError):
            _task(world, plan, **extra)
    assert Task.objects.count() == 1


def test_a_task_is_changed_at_its_version(world):
    task = _task(world, _plan(world), cells=[world.cell_a])
    due = today() + timedelta(days=20)
    task = services.task_update(
        actor=world.office, task=task, expected_version=1, what="Sơ kết", due_on=due, cells=[world.cell_b]
    )
    task.refresh_from_db()
    assert (task.what, task.due_on, task.version) == ("Sơ kết", due, 2)
    assert list(task.cells.all()) == [world.cell_b]
    services.task_update(actor=world.office, task=task, expected_version=2, cells=[world.cell_a])
    assert task.version == 3  # a change of cells alone is a new version
    with pytest.raises(StaleVersionError):
        services.task_update(actor=world.office, task=task, expected_version=2, what="Khác")
    with pytest.raises(TypeError):
        services.task_update(actor=world.office, task=task, expected_version=3, state=TaskState.DONE)


def test_a_cell_that_wrote_on_a_task_stays_on_it(world):
    task = _task(world, _plan(world), cells=[world.cell_a])
    _note(world, task, NoteKind.PROGRESS)
    with pytest.raises(ValidationError):
        services.task_update(actor=world.office, task=task, expected_version=1, cells=[world.cell_b])
    with pytest.raises(ValidationError):
        services.task_update(actor=world.office, task=task, expected_version=1, what=" ")
    task.refresh_from_db()
    assert (task.version, list(task.cells.all())) == (1, [world.cell_a])


def test_a_task_is_done_with_evidence_today_or_before_only_while_open(world):
    task = _task(world, _plan(world))
    for done_on, evidence in ((today() + timedelta(days=1), "Biên bản"), (today(), " ")):
        with pytest.raises(ValidationError):
            services.task_done(
                actor=world.office, task=task, expected_version=1, done_on=done_on, evidence=evidence
            )
    task.refresh_from_db()
    assert (task.state, task.version) == (TaskState.OPEN, 1)
    services.task_done(
        actor=world.office, task=task, expected_version=1, done_on=today(), evidence="Biên bản"
    )
    task.refresh_from_db()
    assert (task.state, task.done_on, task.evidence) == (TaskState.DONE, today(), "Biên bản")
    with pytest.raises(ValidationError):
        services.task_done(actor=world.office, task=task, expected_version=2, done_on=today(), evidence="Lại")
    with pytest.raises(ValidationError):
        services.task_drop(actor=world.office, task=task, expected_version=2, reason="Thôi")
    with pytest.raises(ValidationError):
        services.task_update(actor=world.office, task=task, expected_version=2, what="Khác")


def test_a_task_is_dropped_with_a_reason(world):
    task = _task(world, _plan(world))
    with pytest.raises(ValidationError):
        services.task_drop(actor=world.office, task=task, expected_version=1, reason="  ")
    with pytest.raises(StaleVersionError):
        services.task_drop(actor=world.office, task=task, expected_version=5, reason="Trùng việc")
    services.task_drop(actor=world.office, task=task, expected_version=1, reason="Trùng việc")
    task.refresh_from_db()
    assert (task.state, task.drop_reason, task.version) == (TaskState.DROPPED, "Trùng việc", 2)
    assert task.history.first().history_change_reason == "task dropped"


# ----------------------------------------------------------------------------------- the notes


def test_a_proposal_tells_the_office_and_committee_once(world, root_secretary):
    task = _task(world, _plan(world), cells=[world.cell_a])
    note = _note(world, task, raised_on=today() - timedelta(days=2))
    assert (note.raised_on, note.answered_on) == (today() - timedelta(days=2), None)
    assert _keys(world.office) == _keys(root_secretary) == [f"programme.note.{note.pk}"]
    assert _keys(world.secretary_a) == []
    services.note_add(
        actor=world.secretary_a, task=task, cell=world.cell_a, kind=NoteKind.DIFFICULTY, text="Thiếu"
    )
    assert Notification.objects.filter(recipient=world.office).count() == 2
    assert Notification.objects.count() == 4


def test_progress_tells_nobody(world, root_secretary):
    note = _note(world, _task(world, _plan(world), cells=[world.cell_a]), NoteKind.PROGRESS)
    assert note.raised_on == today()
    assert Notification.objects.count() == 0


def test_a_note_comes_from_a_cell_of_an_open_task(world):
    plan = _plan(world)
    task = _task(world, plan, cells=[world.cell_a])
    refused = (
        {"cell": world.cell_b},
        {"kind": "complaint"},
        {"text": " "},
        {"raised_on": today() + timedelta(days=1)},
        {"raised_on": plan.adopted_on - timedelta(days=1)},
    )
    for extra in refused:
        with pytest.raises(ValidationError):
            _note(world, task, **extra)
    services.task_drop(actor=world.office, task=task, expected_version=1, reason="Thôi")
    task.refresh_from_db()
    with pytest.raises(ValidationError):
        _note(world, task)
    assert (Note.objects.count(), Notification.objects.count()) == (0, 0)


def test_an_answer_is_dated_today_and_tells_the_cell_once_per_answer(world):
    note = _note(
        world, _task(world, _plan(world), cells=[world.cell_a]), raised_on=today() - timedelta(days=20)
    )
    note = services.note_answer(actor=world.office, note=note, expected_version=1, answer="Đã cấp")
    assert (note.answer, note.answered_on) == ("Đã cấp", today())
    assert _keys(world.secretary_a) == [f"programme.answer.{note.pk}.2"]
    services.note_answer(actor=world.office, note=note, expected_version=2, answer="Đã cấp")  # unchanged
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 1
    services.note_answer(actor=world.office, note=note, expected_version=2, answer="Đã cấp đủ")
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 2
    with pytest.raises(StaleVersionError):
        services.note_answer(actor=world.office, note=note, expected_version=2, answer="Khác")


def test_only_a_difficulty_or_proposal_is_answered_with_an_answer(world):
    task = _task(world, _plan(world), cells=[world.cell_a])
    progress = _note(world, task, NoteKind.PROGRESS)
    proposal = _note(world, task)
    with pytest.raises(ValidationError):
        services.note_answer(actor=world.office, note=progress, expected_version=1, answer="Tốt")
    with pytest.raises(ValidationError):
        services.note_answer(actor=world.office, note=proposal, expected_version=1, answer=" ")
    assert Note.objects.filter(answered_on__isnull=False).count() == 0
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 0


# ------------------------------------------------------------------------------- who sees what


@pytest.fixture
def plans(world):
    """The root's plan with a task for cell B only, the root's plan with a task for cell A, and cell
    C's own plan."""
    for_b = _plan(world, title="Cho chi bộ B")
    _task(world, for_b, cells=[world.cell_b])
    for_a = _plan(world, title="Cho chi bộ A")
    _task(world, for_a, cells=[world.cell_b])
    _task(world, for_a, cells=[world.cell_a])
    own_c = _plan(world, world.cell_c, title="Của chi bộ C")
    return for_b, for_a, own_c


@pytest.mark.parametrize(
    ("persona", "at_root", "at_cell_a"),
    [
        ("office", {"for_b", "for_a", "own_c"}, {"for_a"}),
        ("leader", {"for_b", "for_a", "own_c"}, {"for_a"}),
        ("secretary_a", {"for_a"}, {"for_a"}),
        ("member_a", set(), set()),
        ("stranger", set(), set()),
    ],
)
def test_who_sees_which_plan(world, plans, persona, at_root, at_cell_a):
    names = dict(zip(("for_b", "for_a", "own_c"), plans, strict=True))
    scope = scope_for(getattr(world, persona))
    assert {n for n, p in names.items() if p in selectors.plans_in(scope, world.root)} == at_root
    assert {n for n, p in names.items() if p in selectors.plans_in(scope, world.cell_a)} == at_cell_a
    for name, plan in names.items():
        if name in at_root:
            assert selectors.plan_get(scope, plan.pk) == plan
        else:
            with pytest.raises(Http404):
                selectors.plan_get(scope, plan.pk)


def test_a_cell_s_plans_include_its_own_and_not_a_sibling_s(world, plans):
    own_a = _plan(world, world.cell_a, title="Của chi bộ A")
    scope = scope_for(world.office)
    assert set(selectors.plans_in(scope, world.cell_a)) == {own_a, plans[1]}
    assert set(selectors.plans_in(scope, world.partial)) == {plans[2]}


@pytest.mark.parametrize(
    ("persona", "plan_root", "plan_cell_a", "note_cell_a", "note_cell_b"),
    [
        ("office", True, True, True, True),
        ("leader", False, False, False, False),
        ("inspection", False, False, False, False),
        ("secretary_a", False, True, True, False),
        ("member_a", False, False, False, False),
        ("stranger", False, False, False, False),
    ],
)
def test_who_plans_and_who_writes_notes(world, persona, plan_root, plan_cell_a, note_cell_a, note_cell_b):
    scope = scope_for(getattr(world, persona))
    assert selectors.can_plan(scope, world.root) is plan_root
    assert selectors.can_plan(scope, world.cell_a) is plan_cell_a
    assert selectors.can_note(scope, world.cell_a) is note_cell_a
    assert selectors.can_note(scope, world.cell_b) is note_cell_b


# ------------------------------------------------------------------- tasks, late and unanswered


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def test_the_tasks_of_a_plan_take_the_same_queries_for_one_or_many(world):
    def read(plan):
        for task in selectors.tasks_of(plan):
            assert [c.code for c in task.cells.all()]
            for note in task.notes.all():
                assert note.cell.code
            assert task.plan.organization.code

    one, many = _plan(world), _plan(world, title="Nhiều việc")
    _note(world, _task(world, one, cells=[world.cell_a]))
    for _i in range(5):
        task = _task(world, many, cells=[world.cell_a, world.cell_b])
        _note(world, task)
        _note(world, task, NoteKind.PROGRESS)
    assert _queries(lambda: read(one)) == _queries(lambda: read(many)) == 3
    assert [len(t.notes.all()) for t in selectors.tasks_of(many)] == [2] * 5


def test_late_tasks_are_the_open_tasks_past_due(world):
    plan = _plan(world)
    late = _task(world, plan, cells=[world.cell_a], due_on=today() - timedelta(days=1))
    _task(world, plan, due_on=today())  # due today: not late yet
    _task(world, plan)  # no cell, due later
    _task(world, plan, due_on=None)
    done = _task(world, plan, due_on=today() - timedelta(days=5))
    services.task_done(actor=world.office, task=done, expected_version=1, done_on=today(), evidence="Xong")
    own_c = _task(world, _plan(world, world.cell_c), due_on=today() - timedelta(days=3))
    found = list(selectors.overdue_tasks(world.root.path, today()))
    assert found == [own_c, late]
    assert all(rules.overdue(t.state, t.due_on, today()) for t in found)
    assert not any(
        rules.overdue(t.state, t.due_on, today()) for t in Task.objects.exclude(pk__in=[own_c.pk, late.pk])
    )
    assert list(selectors.overdue_tasks(world.cell_a.path, today())) == [late]  # the root's task for cell A
    assert list(selectors.overdue_tasks(world.cell_b.path, today())) == []
    assert list(selectors.overdue_tasks(world.partial.path, today())) == [own_c]


def test_unanswered_proposals_are_those_older_than_the_days_to_answer(world):
    task = _task(world, _plan(world), cells=[world.cell_a])
    days = rules.ANSWER_DAYS
    old = _note(world, task, raised_on=today() - timedelta(days=days + 1))
    _note(world, task, raised_on=today() - timedelta(days=days))  # on the last day: still in time
    _note(world, task, NoteKind.PROGRESS, raised_on=today() - timedelta(days=days + 5))
    answered = _note(world, task, NoteKind.DIFFICULTY, raised_on=today() - timedelta(days=days + 2))
    services.note_answer(actor=world.office, note=answered, expected_version=1, answer="Đã giải quyết")
    assert list(selectors.unanswered_notes(world.root.path, today())) == [old]
    assert list(selectors.unanswered_notes(world.cell_a.path, today())) == [old]
    assert list(selectors.unanswered_notes(world.cell_b.path, today())) == []
    assert len(selectors.unanswered_notes(world.root.path, today(), days=days - 1)) == 2
    for note in Note.objects.all():
        expected = note.kind != NoteKind.PROGRESS and rules.unanswered(
            note.raised_on, note.answered_on, today()
        )
        assert (note in selectors.unanswered_notes(world.root.path, today())) is expected
