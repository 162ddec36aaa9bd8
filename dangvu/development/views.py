"""The pages of member development: the candidates of an organisation's cells on their way, a new
candidate, one candidate with the steps done, what is awaited and by when, the dossier's papers and
the forms that record the next step; the office's time limits. Thin views over selectors and
services.

Who keeps a cell's candidates (selectors.can_keep: RECORDS on the cell, its secretary or the
office) lists them, records their steps and papers; whoever sees the cell (a leader, the
inspection) reads; anyone else gets 404. Only the office (MANAGE) sets the time limits."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import access, periods
from dangvu.core.access import MANAGE, RECORDS, VIEW
from dangvu.core.audit import StaleVersionError
from dangvu.core.forms import VersionOnlyForm, add_refusal, write_from_form
from dangvu.members import rules as member_rules
from dangvu.members import selectors as member_selectors
from dangvu.members.models import Member
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import rules, selectors, services
from .choices import Paper, Step
from .forms import (
    CandidateFilterForm,
    CandidateForm,
    PaperForm,
    SettingsForm,
    StepForm,
    candidate_initial,
)
from .models import Candidate

PAGE_SIZE = 50


# ------------------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class Line:
    """A row of the list: the candidate, what is awaited and by when, the certificate's validity."""

    candidate: Candidate
    due: rules.Due | None
    overdue: bool
    certificate_until: date | None
    certificate_expired: bool

    @property
    def due_label(self) -> str:
        return str(Step(self.due.step).label) if self.due else ""


def _certificate(candidate: Candidate, today: date) -> tuple[date | None, bool]:
    """Until when the awareness-class certificate counts, while the cell has not voted yet."""
    done = selectors.done_of(candidate)
    if Step.CLASS not in done or Step.CELL_VOTE in done or candidate.step == Step.REMOVED:
        return None, False
    until = rules.certificate_valid_until(done[Step.CLASS].on)
    return until, today > until


@login_required
def candidate_list(request: HttpRequest, code: str) -> HttpResponse:
    """The candidates of the organisation's cells, by given name, with what each awaits."""
    org = org_selectors.organization_get(request.scope, code)
    form = CandidateFilterForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    step = data.get("buoc", "")
    current = not data.get("tat_ca") and step not in {Step.RECOGNISED, Step.REMOVED}
    candidates = selectors.candidates_in(
        request.scope, org, step=step, query=data.get("q", ""), current=current
    )
    page = Paginator(selectors.with_steps(candidates), PAGE_SIZE).get_page(request.GET.get("trang"))
    today = periods.today()
    lines = []
    for row in selectors.rows(page.object_list, today=today):
        until, expired = _certificate(row.candidate, today)
        lines.append(Line(row.candidate, row.due, row.overdue, until, expired))
    others = request.GET.copy()
    others.pop("trang", None)
    context = {
        "org": org,
        "form": form,
        "lines": lines,
        "page": page,
        "keep": f"{others.urlencode()}&" if others else "",
        "show_cell": not org.is_cell,
        "export_all": not current,
        "today": today,
    }
    if request.htmx:
        return render(request, "development/_candidate_table.html", context, status=200 if valid else 400)
    context |= {
        "counts": _counts(request, org),
        "can_keep": bool(selectors.cells_kept(request.scope, org)),
        "can_set_limits": selectors.can_set_limits(request.scope, org),
    }
    return render(request, "development/candidate_list.html", context, status=200 if valid else 400)


def _counts(request: HttpRequest, org: Organization) -> list[tuple[str, str, int]]:
    """How many candidates are at each step (every step, zero included): one query."""
    found = dict(
        selectors.candidates_in(request.scope, org, current=False)
        .order_by()
        .values_list("step")
        .annotate(n=Count("pk"))
    )
    return [(value, label, found.get(value, 0)) for value, label in Step.choices]


# ---------------------------------------------------------------------------- a new candidate


def _helpers_of_cells(request: HttpRequest, cells: list[Organization], keep: int | None = None):
    """The official members today of any of the cells, by given name; `keep`: the current helper,
    kept in the list even if no longer official there (the service decides)."""
    official = Q()
    for cell in cells:
        official |= Q(person__organization=cell)
    members = access.restrict(Member.objects.all(), request.scope, VIEW).filter(official)
    on = periods.today()
    officials = member_selectors.with_status(members, on).filter(
        active_since__isnull=False, recognised_on__lte=on
    )
    chosen = Q(pk__in=officials.values("pk"))
    if keep:
        chosen |= Q(pk=keep)
    return (
        Member.objects.filter(chosen)
        .select_related("person__organization")
        .order_by("person__sort_key", "pk")
    )


@login_required
def candidate_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code)
    cells = selectors.cells_kept(request.scope, org)
    if not cells:
        raise Http404
    form = CandidateForm(
        request.POST or None,
        cells=cells,
        helpers=_helpers_of_cells(request, cells),
        creating=True,
        initial={
            "cell": cells[0].pk if org.is_cell or len(cells) == 1 else None,
            "listed_on": periods.today(),
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            cell = next((c for c in cells if c.pk == data["cell"]), None)
            try:
                candidate = services.candidate_add(
                    actor=request.user,
                    cell=cell,
                    listed_on=data["listed_on"],
                    document_number=data["document_number"],
                    **form.particulars(),
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request, _("%(name)s is listed as a Party sympathiser.") % {"name": candidate}
                )
                return redirect(candidate)
    context = {"form": form, "org": org, "title": _("New candidate"), "creating": True}
    return render(request, "development/candidate_form.html", context, status=status)


# -------------------------------------------------------------------------------- one candidate


def _rule(due: rules.Due, done: dict[str, rules.Done], limits: rules.Limits) -> str:
    """The time limit behind a due date, in words (rules.md §3.3, §3.5)."""
    if due.step == Step.CELL_VOTE:
        return _(
            "While the awareness-class certificate of %(day)s is valid (60 months); then the class is taken "
            "again."
        ) % {"day": f"{done[Step.CLASS].on:%d/%m/%Y}"}
    if due.step == Step.DECISION:
        extended = Step.COMMITTEE_VOTE in done and done[Step.COMMITTEE_VOTE].extended
        days = limits.admission_decision + (limits.extension if extended else 0)
        return _("%(days)d working days from the cell's resolution of %(day)s.") % {
            "days": days,
            "day": f"{done[Step.CELL_VOTE].on:%d/%m/%Y}",
        }
    if due.step == Step.CEREMONY:
        decision = done[Step.DECISION]
        return _("%(days)d working days from the day the decision was received (%(day)s).") % {
            "days": limits.ceremony,
            "day": f"{(decision.received_on or decision.on):%d/%m/%Y}",
        }
    if due.step == Step.RECOGNITION_CELL_VOTE:
        return _("%(days)d working days after the 12 months of probation, which end on %(day)s.") % {
            "days": limits.recognition_consideration,
            "day": f"{rules.probation_end(done[Step.CEREMONY].on):%d/%m/%Y}",
        }
    extended = Step.RECOGNITION_COMMITTEE_VOTE in done and done[Step.RECOGNITION_COMMITTEE_VOTE].extended
    days = limits.recognition_decision + (limits.extension if extended else 0)
    return _("%(days)d working days from the cell's resolution on recognition of %(day)s.") % {
        "days": days,
        "day": f"{done[Step.RECOGNITION_CELL_VOTE].on:%d/%m/%Y}",
    }


@dataclass(frozen=True)
class PaperLine:
    paper: str
    label: str
    made_on: date | None
    valid_until: date | None
    expired: bool
    expiring: bool
    required: bool


def _papers(candidate: Candidate, today: date) -> list[PaperLine]:
    recorded = {p.paper: p for p in candidate.papers.all()}
    lines = []
    for paper in Paper:
        made = recorded.get(paper.value)
        until = rules.paper_valid_until(made.made_on) if made and paper in rules.EXPIRING else None
        lines.append(
            PaperLine(
                paper=paper.value,
                label=str(paper.label),
                made_on=made.made_on if made else None,
                valid_until=until,
                expired=bool(until and today > until),
                expiring=bool(until and today <= until <= today + timedelta(days=rules.SOON_DAYS)),
                required=paper in services.REQUIRED_PAPERS,
            )
        )
    return lines


def _detail(request: HttpRequest, candidate: Candidate, *, status: int = 200, **forms) -> HttpResponse:
    """The candidate's page; `forms` holds a bound form refused by a POST (step_form,
    removal_form, paper_form, undo_form)."""
    today = periods.today()
    done = selectors.done_of(candidate)
    limits = selectors.limits_of([candidate.cell])[candidate.cell_id]
    row = selectors.rows([candidate], today=today)[0]
    steps = list(candidate.steps.all())
    papers = _papers(candidate, today)
    age = None
    if Step.CELL_VOTE in done:
        age = divmod(member_rules.age_in_months(candidate.date_of_birth, done[Step.CELL_VOTE].on), 12)
    member_url = None
    if (
        candidate.member_id
        and access.restrict(Member.objects, request.scope).filter(pk=candidate.member_id).exists()
    ):
        member_url = reverse("members:detail", args=[candidate.member_id])
    certificate_until, certificate_expired = _certificate(candidate, today)
    next_step = rules.next_step(candidate.step)
    can_keep = selectors.can_keep(request.scope, candidate.cell)
    context = {
        "candidate": candidate,
        "org": candidate.cell,
        "steps": steps,
        "due": row.due,
        "overdue": row.overdue,
        "due_label": str(Step(row.due.step).label) if row.due else "",
        "rule": _rule(row.due, done, limits) if row.due else "",
        "next_label": str(Step(next_step).label) if next_step else "",
        "papers": papers,
        "missing": [p for p in papers if p.required and p.made_on is None] if not candidate.member_id else [],
        "age": age,
        "member_url": member_url,
        "certificate_until": certificate_until,
        "certificate_expired": certificate_expired,
        "can_keep": can_keep,
        "can_edit": can_keep and not candidate.member_id,
    }
    if can_keep:
        version = {"version": candidate.version}
        if next_step:
            context["step_form"] = forms.get("step_form") or StepForm(
                step=next_step,
                initial={
                    **version,
                    "issuing_body": _issuing_body(candidate, next_step),
                    # All who vote, as the records know them today (the two thirds are of all).
                    "votes_of": selectors.voting_body(candidate.cell, next_step, today)[1] or None,
                },
                auto_id="next_%s",
            )
        if candidate.step not in {Step.RECOGNISED, Step.REMOVED}:
            context["removal_form"] = forms.get("removal_form") or StepForm(
                step=Step.REMOVED, initial=version, auto_id="remove_%s"
            )
        if not candidate.member_id:
            context["paper_form"] = forms.get("paper_form") or PaperForm(auto_id="paper_%s")
        if len(steps) >= 2:
            context["undo_form"] = forms.get("undo_form") or VersionOnlyForm(initial=version, prefix="undo")
        context["last_step"] = steps[-1]
        context |= forms  # a refused form is shown with its refusal, whatever else the page offers
    return render(request, "development/candidate_detail.html", context, status=status)


def _issuing_body(candidate: Candidate, step: str) -> str:
    """The body that usually issues the step's document: the cell for its own resolutions."""
    cell_steps = {Step.PROCEDURE, Step.CELL_VOTE, Step.RECOGNITION_CELL_VOTE, Step.CEREMONY}
    if step in cell_steps:
        return candidate.cell.name
    parent = candidate.cell.parent
    return parent.name if parent and step != Step.CLASS else ""


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.candidate_get(request.scope, pk))


@login_required
@require_POST
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next step, or the removal from the list."""
    candidate = selectors.candidate_get(request.scope, pk, RECORDS)
    removal = request.POST.get("step") == Step.REMOVED
    step = Step.REMOVED if removal else (rules.next_step(candidate.step) or Step.REMOVED)
    form = StepForm(request.POST, step=step, auto_id="remove_%s" if removal else "next_%s")
    if form.is_valid():
        try:
            record = services.step_record(
                actor=request.user,
                candidate=candidate,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except StaleVersionError as exc:
            messages.error(request, str(exc))
            return redirect(candidate)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Recorded: %(step)s.") % {"step": record.get_step_display()})
            if record.step == Step.DECISION:
                messages.info(request, _("The member's record is opened, with the admission decision."))
            return redirect(candidate)
    candidate = selectors.candidate_get(request.scope, pk, RECORDS)  # read again: nothing was written
    key = "removal_form" if removal else "step_form"
    return _detail(request, candidate, status=400, **{key: form})


@login_required
@require_POST
def step_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back the last step recorded (by mistake)."""
    candidate = selectors.candidate_get(request.scope, pk, RECORDS)
    form = VersionOnlyForm(request.POST, prefix="undo")
    last = list(candidate.steps.all())[-1]

    def write(data):
        services.step_undo(actor=request.user, candidate=candidate, expected_version=data["version"])

    done = _("Taken back: %(step)s.") % {"step": last.get_step_display()}
    answer = write_from_form(request, form, write, done=done, back=candidate.get_absolute_url())
    if answer is not None:
        return answer
    return _detail(request, selectors.candidate_get(request.scope, pk, RECORDS), undo_form=form, status=400)


@login_required
@require_POST
def paper_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a paper of the dossier and the day it was made (made again: replaces the old one)."""
    candidate = selectors.candidate_get(request.scope, pk, RECORDS)
    form = PaperForm(request.POST, auto_id="paper_%s")
    if form.is_valid():
        try:
            paper = services.paper_record(actor=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Paper recorded: %(paper)s.") % {"paper": paper.get_paper_display()})
            return redirect(candidate)
    return _detail(request, selectors.candidate_get(request.scope, pk, RECORDS), paper_form=form, status=400)


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the particulars or change the helper (before admission)."""
    candidate = selectors.candidate_get(request.scope, pk, RECORDS)
    form = CandidateForm(
        request.POST or None,
        helpers=_helpers_of_cells(request, [candidate.cell], keep=candidate.helper_id),
        creating=False,
        initial=candidate_initial(candidate),
    )
    if request.method == "POST":

        def write(data):
            services.candidate_update(
                actor=request.user,
                candidate=candidate,
                expected_version=data["version"],
                **form.particulars(),
            )

        back = reverse("development:candidate_edit", args=[candidate.pk])
        answer = write_from_form(
            request, form, write, done=_("Changes saved."), back=back, done_url=candidate.get_absolute_url()
        )
        if answer is not None:
            return answer
    context = {
        "form": form,
        "org": candidate.cell,
        "candidate": candidate,
        "title": _("Change the candidate's particulars"),
        "admitted": bool(candidate.member_id),
    }
    return render(
        request,
        "development/candidate_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


# ------------------------------------------------------------------------------------- settings


@login_required
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The office's time limits in working days for the cells under the organisation."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)  # selectors.can_set_limits
    own = selectors.settings_of(org)
    in_force = selectors.limits_of([org])[org.pk]
    initial = {**in_force.as_fields(), "version": own.version if own else None}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def write(data):
            services.settings_save(
                actor=request.user, organization=org, expected_version=data["version"], **form.values()
            )

        back = reverse("development:settings", args=[org.code])
        answer = write_from_form(request, form, write, done=_("The time limits are saved."), back=back)
        if answer is not None:
            return answer
    national = rules.Limits()
    context = {
        "form": form,
        "org": org,
        "own": own,
        "national": [(form.fields[name].label, days) for name, days in national.as_fields().items()],
    }
    return render(
        request, "development/settings.html", context, status=400 if request.method == "POST" else 200
    )
