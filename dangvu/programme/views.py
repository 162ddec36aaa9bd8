"""The pages of the inspection and supervision programme: the year's programme of an organisation with
its items, an item with its conclusion and remedial actions, the conclusion form, and the list of
remedial actions a cell carries out, which its chi ủy reports done. Thin views over selectors and
services.

Who runs a programme (selectors.can_run: the inspection commission, the office, a cell's chi ủy for
the cell's own) opens it, adds, changes, moves and concludes items; whoever sees the organisation
reads; a cell's secretary sees the items that concern their cell and their cell's actions, and
reports them done (selectors.can_report); anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import periods
from dangvu.core.audit import StaleVersionError
from dangvu.core.forms import add_refusal, write_from_form
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .choices import ItemState, TaskState
from .forms import (
    MAX_ACTION_ROWS,
    ActionDoneForm,
    ActionFormSet,
    ConclusionForm,
    ItemFilterForm,
    ItemForm,
    MoveForm,
    ProgrammeOpenForm,
)
from .models import Item, RemedialAction

# ---------------------------------------------------------------------------------- the programme


def _programme_url(org: Organization, year: int) -> str:
    return f"{reverse('programme:programme', args=[org.code])}?nam={year}"


def _split(items: list[Item], org: Organization) -> tuple[list[Item], list[Item], list[Item]]:
    """The organisation's own items, those of the programmes under it, those of programmes above."""
    own = [i for i in items if i.programme.organization_id == org.pk]
    below = [
        i
        for i in items
        if i.programme.organization_id != org.pk and i.programme.organization.path.startswith(org.path)
    ]
    above = [i for i in items if not i.programme.organization.path.startswith(org.path)]
    return own, below, above


def _programme_page(
    request: HttpRequest, org: Organization, year: int, *, open_form=None, status: int = 200
) -> HttpResponse:
    scope = request.scope
    form = ItemFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    programme = selectors.programme_of(org, year)
    items = list(
        selectors.items_in(
            scope, org, year, state=filters.get("trang_thai", ""), kind=filters.get("loai", "")
        )
    )
    own, below, above = _split(items, org)
    can_run = selectors.can_run(scope, org)
    as_of = periods.Year(year).default_as_of(periods.today())
    context = {
        "org": org,
        "year": year,
        "years": [year - 1, year + 1],
        "programme": programme,
        "counts": selectors.item_counts(programme, as_of) if programme else None,
        "form": form,
        "own": own,
        "below": below,
        "above": above,
        "can_run": can_run,
        "open_form": open_form or (ProgrammeOpenForm() if can_run and programme is None else None),
    }
    return render(request, "programme/programme.html", context, status=status)


@login_required
def programme(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    return _programme_page(request, org, periods.year_param(request.GET.get("nam")))


@login_required
@require_POST
def programme_open(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_run(request.scope, code)
    year = periods.year_param(request.GET.get("nam"))
    form = ProgrammeOpenForm(request.POST)
    if form.is_valid():
        try:
            services.programme_open(actor=request.user, organization=org, year=year, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("The programme of %(year)s is open.") % {"year": year})
            return redirect(_programme_url(org, year))
    return _programme_page(request, org, year, open_form=form, status=400)


# ----------------------------------------------------------------------------------- an item


def _item_form(request: HttpRequest, org: Organization, year: int, **kwargs) -> ItemForm:
    year_ = periods.Year(year)
    return ItemForm(
        request.POST or None,
        cells=org_selectors.cells_active(org.path, year_.start, year_.end),
        members=selectors.subject_members(org),
        **kwargs,
    )


@login_required
def item_create(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.organization_run(request.scope, code)
    year = periods.year_param(request.GET.get("nam"))
    programme = selectors.programme_of(org, year)
    form = _item_form(request, org, year)
    status = 200
    if request.method == "POST" and programme is not None:
        status = 400
        if form.is_valid():
            try:
                item = services.item_add(actor=request.user, programme=programme, **form.values())
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("The item is added to the programme."))
                return redirect(item)
    elif request.method == "POST":
        status = 400
    context = {
        "org": org,
        "year": year,
        "programme": programme,
        "form": form,
        "open_form": ProgrammeOpenForm() if programme is None else None,
        "title": _("New item of the programme"),
        "creating": True,
    }
    return render(request, "programme/item_form.html", context, status=status)


def _with_reporting(scope, actions) -> list[RemedialAction]:
    today = periods.today()
    rows = list(actions)
    for action in rows:
        action.overdue = rules.overdue(action.state, action.due_on, today)
        action.can_report = action.state == TaskState.OPEN and selectors.can_report(scope, action)
    return rows


def _moves(item: Item) -> list[tuple[str, str]]:
    """The moves the item's page offers, as (target state, button label)."""
    labels = {
        ItemState.IN_PROGRESS: _("Start the work"),
        ItemState.CANCELLED: _("Cancel the item"),
        ItemState.PLANNED: _("Put back in the programme"),
    }
    return [(to, label) for to, label in labels.items() if to in rules.MOVES.get(item.state, ())]


def _detail(request: HttpRequest, item: Item, *, move_form=None, status: int = 200) -> HttpResponse:
    scope = request.scope
    can_run = selectors.can_run(scope, item.programme.organization)
    member = item.subject_member
    open_ = item.state in (ItemState.PLANNED, ItemState.IN_PROGRESS)
    context = {
        "item": item,
        "org": item.programme.organization,
        "actions": _with_reporting(scope, selectors.actions_of_item(scope, item)),
        "can_run": can_run,
        "can_edit": can_run and open_,
        "moves": _moves(item) if can_run else [],
        "move_form": move_form,
        "member_url": (
            reverse("members:detail", args=[member.pk])
            if member and scope.covers(member.person.organization.path)
            else None
        ),
    }
    return render(request, "programme/item_detail.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.item_get(request.scope, pk))


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_run(request.scope, pk)
    if item.state not in {ItemState.PLANNED, ItemState.IN_PROGRESS}:
        messages.error(request, _("Only a planned or ongoing item can be changed."))
        return redirect(item)
    org = item.programme.organization
    initial = {name: getattr(item, name) for name in ItemForm.VALUES} | {"version": item.version}
    form = _item_form(request, org, item.programme.year, initial=initial)
    if request.method == "POST":
        form.fields["version"].required = True

        def write(data):
            services.item_update(
                actor=request.user, item=item, expected_version=data["version"], **form.values()
            )

        back = reverse("programme:item_edit", args=[item.pk])
        answer = write_from_form(
            request, form, write, done=_("Changes saved."), back=back, done_url=item.get_absolute_url()
        )
        if answer is not None:
            return answer
    context = {
        "org": org,
        "year": item.programme.year,
        "programme": item.programme,
        "item": item,
        "form": form,
        "title": _("Change the item"),
    }
    return render(
        request, "programme/item_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_run(request.scope, pk)
    form = MoveForm(request.POST)

    def write(data):
        services.item_move(
            actor=request.user,
            item=item,
            to=data["to"],
            expected_version=data["version"],
            reason=data["reason"],
        )

    answer = write_from_form(
        request, form, write, done=_("The item's state is changed."), back=item.get_absolute_url()
    )
    if answer is not None:
        return answer
    return _detail(request, item, move_form=form, status=400)


# ------------------------------------------------------------------------------ the conclusion


def _owners(item: Item):
    """Who may carry out a remedial action: the programme's organisation or an organisation under it."""
    org = item.programme.organization
    return Organization.objects.filter(path__startswith=org.path).order_by("path")


def _with_a_row(request: HttpRequest, owners) -> tuple[ConclusionForm, ActionFormSet]:
    """The forms again as typed, unbound (no errors shown yet), with one more empty row."""
    post = request.POST
    form = ConclusionForm(initial={name: post.get(name, "") for name in ConclusionForm.base_fields})
    try:
        rows = min(int(post.get("actions-TOTAL_FORMS", "0")), MAX_ACTION_ROWS - 1)
    except ValueError:
        rows = 0
    initial = [
        {name: post.get(f"actions-{i}-{name}", "") for name in ("action", "owner", "due_on")}
        for i in range(rows)
    ]
    formset = ActionFormSet(prefix="actions", owners=owners, initial=initial)
    formset.extra = 1
    return form, formset


@login_required
def item_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_run(request.scope, pk)
    closed = rules.move_problem(item.state, ItemState.CONCLUDED)
    if closed:  # concluded or cancelled meanwhile, or an old link: say so on the item's page
        messages.error(request, closed)
        return redirect(item)
    owners = _owners(item)
    status = 200
    if request.method == "POST" and "add_row" in request.POST:
        form, formset = _with_a_row(request, owners)
    elif request.method == "POST":
        form = ConclusionForm(request.POST)
        formset = ActionFormSet(request.POST, prefix="actions", owners=owners)
        status = 400
        if form.is_valid() and formset.is_valid():
            answer = _conclude(request, item, form, formset)
            if answer is not None:
                return answer
    else:
        form = ConclusionForm(initial={"concluded_on": periods.today(), "version": item.version})
        formset = ActionFormSet(prefix="actions", owners=owners)
    context = {"item": item, "org": item.programme.organization, "form": form, "formset": formset}
    return render(request, "programme/conclude.html", context, status=status)


def _conclude(request: HttpRequest, item: Item, form: ConclusionForm, formset) -> HttpResponse | None:
    data = form.cleaned_data
    actions = [
        services.Action(
            action=row.cleaned_data["action"],
            owner=row.cleaned_data["owner"],
            due_on=row.cleaned_data["due_on"],
        )
        for row in formset.forms
        if row.filled
    ]
    try:
        services.item_conclude(
            actor=request.user,
            item=item,
            expected_version=data["version"],
            concluded_on=data["concluded_on"],
            conclusion=data["conclusion"],
            result=data["result"],
            discipline_form=data["discipline_form"],
            actions=actions,
        )
    except StaleVersionError as exc:
        messages.error(request, str(exc))
        return redirect(item)
    except ValidationError as exc:
        add_refusal(form, exc)
        return None
    messages.success(request, _("The item is concluded."))
    return redirect(item)


# --------------------------------------------------------------------------- remedial actions

PAGE_SIZE = 50


@login_required
def actions(request: HttpRequest, code: str) -> HttpResponse:
    """The remedial actions carried out by the organisation and its cells: open first (overdue
    highlighted), then done, with the item each comes from."""
    org = org_selectors.organization_get(request.scope, code)
    page = Paginator(selectors.actions_carried_by(request.scope, org), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    context = {
        "org": org,
        "actions": _with_reporting(request.scope, page.object_list),
        "page": page,
        "keep": "",
    }
    return render(request, "programme/actions.html", context)


@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The cell's chi ủy reports a remedial action done; who sees it but may not report reads it."""
    action = selectors.action_get(request.scope, pk)
    may_report = selectors.can_report(request.scope, action)
    if request.method == "POST" and not may_report:
        raise Http404
    can_report = action.state == TaskState.OPEN and may_report
    form = None
    if can_report or request.method == "POST":
        form = ActionDoneForm(
            request.POST or None, initial={"done_on": periods.today(), "version": action.version}
        )
    if request.method == "POST":

        def write(data):
            services.action_done(
                actor=request.user,
                action=action,
                expected_version=data["version"],
                done_on=data["done_on"],
                report=data["report"],
            )

        back = reverse("programme:action_done", args=[action.pk])
        done = _("The remedial action is reported done.")
        answer = write_from_form(
            request, form, write, done=done, back=back, done_url=action.item.get_absolute_url()
        )
        if answer is not None:
            return answer
    context = {
        "action": action,
        "item": action.item,
        "org": action.owner,
        "form": form,
        "overdue": rules.overdue(action.state, action.due_on, periods.today()),
    }
    return render(
        request, "programme/action_done.html", context, status=400 if request.method == "POST" else 200
    )
