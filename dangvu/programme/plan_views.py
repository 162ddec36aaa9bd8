"""Pages of the action plans (issue 8, point 1): the plans of an organisation, a new plan, one plan
with its tasks and the cells' notes, and the forms that write them. Thin views over selectors and
services/plans.py.

Who sees a plan: whoever sees its organisation, and the chi ủy of a cell one of its tasks gives work
to (they see the whole plan). Who sets a plan, its tasks and answers the notes: selectors.can_plan
(the office; for a cell's own plan its chi ủy). Who writes a cell's note: selectors.can_note for one
of the task's cells. Anyone else gets 404, the same as for a plan that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.forms import add_refusal, write_from_form
from dangvu.meetings import selectors as meeting_selectors
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .choices import TaskState
from .models import ActionPlan, Note, Task
from .plan_forms import (
    AnswerForm,
    NoteForm,
    PlanForm,
    PlanYearForm,
    TaskDoneForm,
    TaskDropForm,
    TaskEditForm,
    TaskForm,
)
from .services.plans import RAISED

PAGE_SIZE = 50


def _visible_documents(request: HttpRequest, documents) -> set[int]:
    """Which of the documents the user may open (one query)."""
    ids = {d.pk for d in documents if d is not None}
    if not ids:
        return set()
    seen = meeting_selectors.documents_visible(request.scope).filter(pk__in=ids)
    return set(seen.values_list("pk", flat=True))


# ------------------------------------------------------------------------------------- the list


@login_required
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    """The plans of the organisation and under it, and those above that give one of its cells work;
    of one adoption year when asked (?nam=)."""
    org = org_selectors.organization_get(request.scope, code)
    form = PlanYearForm(request.GET)
    year = form.cleaned_data["nam"] if form.is_valid() else None
    plans = selectors.plans_in(request.scope, org)
    if year:
        plans = plans.filter(adopted_on__year=year)
    page = Paginator(selectors.with_counts(plans, periods.today(), request.scope), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = list(page.object_list)
    others = request.GET.copy()
    others.pop("trang", None)
    context = {
        "org": org,
        "form": form,
        "year": year,
        "plans": rows,
        "page": page,
        "keep": f"{others.urlencode()}&" if others else "",
        "documents_seen": _visible_documents(request, [p.document for p in rows]),
        "can_plan": selectors.can_plan(request.scope, org),
    }
    return render(request, "programme/plan_list.html", context)


# --------------------------------------------------------------------------------- a new plan


def _documents_for(request: HttpRequest, org: Organization):
    """The documents to study set for the organisation, above it or under it, that the user sees."""
    visible = meeting_selectors.documents_visible(request.scope).values("pk")
    return meeting_selectors.documents_for(org).filter(pk__in=visible)


@login_required
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    if not selectors.can_plan(request.scope, org):
        raise Http404
    form = PlanForm(
        request.POST or None, initial={"adopted_on": periods.today()}, documents=_documents_for(request, org)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, organization=org, **form.values())
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The action plan is set; now add its tasks."))
                return redirect(plan)
    context = {
        "form": form,
        "org": org,
        "title": _("New action plan"),
        "back": reverse("programme:plans", args=[code]),
    }
    return render(request, "programme/plan_form.html", context, status=status)


# ------------------------------------------------------------------------------------ one plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan, its tasks (late ones marked) and under each its notes (unanswered difficulties and
    proposals marked), with the forms the user may use."""
    scope = request.scope
    plan = selectors.plan_get(scope, pk)
    today = periods.today()
    can_plan = selectors.can_plan(scope, plan.organization)
    rows = []
    for seen in selectors.seen_tasks(scope, plan, selectors.tasks_of(plan)):
        task = seen.task
        cells = sorted(task.cells.all(), key=lambda c: c.code)
        mine = [c for c in cells if selectors.can_note(scope, c)]
        open_ = task.state == TaskState.OPEN
        rows.append(
            {
                "task": task,
                "cells": cells,
                "notes": seen.notes,
                "late": rules.overdue(task.state, task.due_on, today),
                "note_form": _note_form(mine, today, auto_id=f"id_t{task.pk}_%s") if open_ and mine else None,
            }
        )
    document = plan.document
    context = {
        "plan": plan,
        "org": plan.organization,
        "rows": rows,
        "can_plan": can_plan,
        "raised": RAISED,
        "document_seen": bool(document) and document.pk in _visible_documents(request, [document]),
        "today": today,
    }
    return render(request, "programme/plan_detail.html", context)


def _note_form(cells: list[Organization], today, data=None, auto_id: str = "id_%s") -> NoteForm:
    cells = sorted(cells, key=lambda c: c.code)
    initial = {"raised_on": today, "cell": cells[0].pk if len(cells) == 1 else None}
    return NoteForm(data, initial=initial, cells=cells, auto_id=auto_id)


# ---------------------------------------------------------------------------------- the tasks


def _plan_to_manage(request: HttpRequest, pk: int) -> ActionPlan:
    plan = selectors.plan_get(request.scope, pk)
    if not selectors.can_plan(request.scope, plan.organization):
        raise Http404
    return plan


def _task_to_manage(request: HttpRequest, pk: int) -> Task:
    task = selectors.task_get(request.scope, pk)
    if not selectors.can_plan(request.scope, task.plan.organization):
        raise Http404
    return task


def _cells_choice(plan: ActionPlan, task: Task | None = None):
    """The active cells of the plan's organisation by code, and those the task has already."""
    today = periods.today()
    active = org_selectors.cells_active(plan.organization.path, today, today).values("pk")
    condition = Q(pk__in=active)
    if task is not None:
        condition |= Q(pk__in=task.cells.values("pk"))
    return Organization.objects.filter(condition).order_by("code")


def _task_page(request, form, task_or_plan, title: str, status: int) -> HttpResponse:
    plan = task_or_plan.plan if isinstance(task_or_plan, Task) else task_or_plan
    task = task_or_plan if isinstance(task_or_plan, Task) else None
    context = {"form": form, "plan": plan, "task": task, "org": plan.organization, "title": title}
    return render(request, "programme/task_form.html", context, status=status)


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to_manage(request, pk)
    form = TaskForm(request.POST or None, cells=_cells_choice(plan))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.task_add(actor=request.user, plan=plan, **form.values())
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The task is added to the plan."))
                return redirect(plan)
    return _task_page(request, form, plan, _("Add a task"), status)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_to_manage(request, pk)
    initial = {
        "what": task.what,
        "responsible": task.responsible,
        "cells": list(task.cells.values_list("pk", flat=True)),
        "due_on": task.due_on,
        "version": task.version,
    }
    form = TaskEditForm(request.POST or None, initial=initial, cells=_cells_choice(task.plan, task))
    if request.method == "POST":

        def write(data):
            services.task_update(
                actor=request.user, task=task, expected_version=data["version"], **form.values()
            )

        back = reverse("programme:task_edit", args=[task.pk])
        done_url = task.plan.get_absolute_url()
        answer = write_from_form(request, form, write, done=_("Changes saved."), back=back, done_url=done_url)
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return _task_page(request, form, task, _("Change the task"), status)


@login_required
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_to_manage(request, pk)
    form = TaskDoneForm(request.POST or None, initial={"done_on": periods.today(), "version": task.version})
    if request.method == "POST":

        def write(data):
            services.task_done(
                actor=request.user,
                task=task,
                expected_version=data["version"],
                done_on=data["done_on"],
                evidence=data["evidence"],
            )

        back = task.plan.get_absolute_url()
        answer = write_from_form(request, form, write, done=_("The task is marked done."), back=back)
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return _task_page(request, form, task, _("Mark the task done"), status)


@login_required
def task_drop(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_to_manage(request, pk)
    form = TaskDropForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST":

        def write(data):
            services.task_drop(
                actor=request.user, task=task, expected_version=data["version"], reason=data["reason"]
            )

        back = task.plan.get_absolute_url()
        answer = write_from_form(request, form, write, done=_("The task is dropped."), back=back)
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return _task_page(request, form, task, _("Drop the task"), status)


# ----------------------------------------------------------------------------------- the notes


@login_required
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A cell's chi ủy writes progress, a difficulty or a proposal on a task given to their cell."""
    task = selectors.task_get(request.scope, pk)
    mine = [c for c in task.cells.order_by("code") if selectors.can_note(request.scope, c)]
    if not mine:
        raise Http404
    today = periods.today()
    form = _note_form(mine, today, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.note_add(actor=request.user, task=task, **form.values())
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request, _("Your report is sent to %(org)s.") % {"org": task.plan.organization}
                )
                return redirect(task.plan)
    context = {"form": form, "task": task, "plan": task.plan, "org": task.plan.organization}
    return render(request, "programme/note_form.html", context, status=status)


@login_required
def note_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's organisation answers a cell's difficulty or proposal."""
    note: Note = selectors.note_get(request.scope, pk)
    plan = note.task.plan
    if not selectors.can_plan(request.scope, plan.organization):
        raise Http404
    form = AnswerForm(request.POST or None, initial={"answer": note.answer, "version": note.version})
    if request.method == "POST":

        def write(data):
            services.note_answer(
                actor=request.user, note=note, expected_version=data["version"], answer=data["answer"]
            )

        done = _("The answer is sent to %(cell)s.") % {"cell": note.cell}
        answer = write_from_form(request, form, write, done=done, back=plan.get_absolute_url())
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "note": note, "task": note.task, "plan": plan, "org": plan.organization}
    return render(request, "programme/note_answer.html", context, status=status)
