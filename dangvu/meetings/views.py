"""The organiser's pages: the sessions of an organisation, a new session, one session with its
invitees, the bulk attendance sheet and the minutes. Thin views over selectors and services.

Who organises (selectors.can_organise: RECORDS on the organiser, the cell's secretary or the office)
creates, changes, marks and writes the minutes; whoever sees the organisation (a leader, the
inspection) reads; anyone else, a plain member included, gets 404 (members use their own page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dangvu.core import periods
from dangvu.core.access import RECORDS
from dangvu.core.audit import StaleVersionError
from dangvu.core.files import file_response
from dangvu.core.forms import VersionOnlyForm, add_refusal, write_from_form
from dangvu.organization import selectors as org_selectors

from . import rules, selectors, services
from .choices import SessionKind, SessionState
from .forms import (
    AttendanceForm,
    InviteForm,
    MinutesForm,
    SessionEditForm,
    SessionFilterForm,
    SessionForm,
    WithdrawForm,
    session_initial,
)
from .models import Session

# ------------------------------------------------------------------------------------- the list


PAGE_SIZE = 50  # a committee's year has hundreds of sessions: its cells meet every month


@login_required
def session_list(request: HttpRequest, code: str) -> HttpResponse:
    """The sessions organised by the organisation or under it, in a year, of a kind."""
    org = org_selectors.organization_get(request.scope, code)
    form = SessionFilterForm(request.GET)
    year = periods.year_param(request.GET.get("nam"))
    kind = form.cleaned_data["loai"] if form.is_valid() else ""
    sessions = selectors.sessions_in(request.scope, org, year=year, kind=kind)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("trang"))
    others = request.GET.copy()
    others.pop("trang", None)
    context = {
        "org": org,
        "form": form,
        "year": year,
        "sessions": page.object_list,
        "page": page,
        "keep": f"{others.urlencode()}&" if others else "",
        "can_organise": selectors.can_organise(request.scope, org),
    }
    template = "meetings/_session_table.html" if request.htmx else "meetings/session_list.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


# ------------------------------------------------------------------------------ a new session


@login_required
def session_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, RECORDS)  # selectors.can_organise
    kinds = list(rules.kinds_for(org.is_cell))
    documents = selectors.documents_for(org)
    form = SessionForm(
        request.POST or None,
        initial=session_initial(org, kinds, documents, request.GET),
        organization=org,
        kinds=kinds,
        people=selectors.invitable_people(request.scope, org, periods.today()),
        documents=documents,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                session = services.session_create(actor=request.user, organization=org, **form.values())
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                count = session.invitations.count()
                messages.success(
                    request,
                    ngettext(
                        "The session is created; %(count)d person is invited.",
                        "The session is created; %(count)d people are invited.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(session)
    return render(
        request,
        "meetings/session_form.html",
        {"form": form, "org": org, "title": _("New session"), "creating": True},
        status=status,
    )


# ---------------------------------------------------------------------------------- one session


def _detail(request: HttpRequest, session: Session, *, status: int = 200, **forms) -> HttpResponse:
    """The session's page; `forms` holds a bound form (invite_form, cancel_form, withdraw_form)
    refused by a POST."""
    scope = request.scope
    org = session.organization
    invitations = selectors.invitations_of(session)
    counts = rules.AttendanceCounts.of(i.attendance for i in invitations)
    can_organise = selectors.can_organise(scope, org)
    open_ = session.state != SessionState.CANCELLED
    today = periods.today()
    context = {
        "session": session,
        "org": org,
        "documents": list(session.documents.all()),
        "invitations": invitations,
        "counts": counts,
        "too_short": _too_short(session),
        "unmarked_past": open_ and session.held_on < today and counts.unmarked > 0,
        "can_organise": can_organise,
        "can_mark": can_organise and open_ and session.held_on <= today,
        "has_minutes": bool(session.chair or session.minutes or session.resolution or session.minutes_file),
    }
    if can_organise and open_:
        invited = {i.person_id for i in invitations}
        people = selectors.invitable_people(scope, org, session.held_on).exclude(pk__in=invited)
        context["invite_form"] = forms.get("invite_form") or InviteForm(people=people)
        # An invitee not marked yet may be withdrawn (invited by mistake): services.invitation_remove.
        context["can_withdraw"] = True
        if not counts.marked:  # nothing marked yet: the session can still be cancelled
            context["cancel_form"] = VersionOnlyForm(initial={"version": session.version}, prefix="cancel")
    for name in ("cancel_form", "withdraw_form"):
        if name in forms:  # refused: the page says why
            context[name] = forms[name]
    return render(request, "meetings/session_detail.html", context, status=status)


def _too_short(session: Session) -> int | None:
    """The shortest length the office allows, when this regular meeting is shorter (a warning)."""
    if session.kind != SessionKind.REGULAR or not session.duration_minutes:
        return None
    minimum = selectors.settings_for(session.organization).min_minutes
    return minimum if rules.too_short(session.duration_minutes, minimum=minimum) else None


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.session_get(request.scope, pk))


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.scope, pk, RECORDS)
    initial = {
        "held_on": session.held_on,
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "place": session.place,
        "title": session.title,
        "version": session.version,
    }
    form = SessionEditForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def write(data):
            services.session_update(
                actor=request.user, session=session, expected_version=data["version"], **form.values()
            )

        back = reverse("meetings:session_edit", args=[session.pk])
        answer = write_from_form(
            request, form, write, done=_("Changes saved."), back=back, done_url=session.get_absolute_url()
        )
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/session_form.html",
        {"form": form, "org": session.organization, "session": session, "title": _("Change the session")},
        status=status,
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.scope, pk, RECORDS)
    form = VersionOnlyForm(request.POST, prefix="cancel")

    def write(data):
        services.session_cancel(actor=request.user, session=session, expected_version=data["version"])

    done = _("The session is cancelled; the invitees have been told.")
    answer = write_from_form(request, form, write, done=done, back=session.get_absolute_url())
    if answer is not None:
        return answer
    return _detail(request, session, cancel_form=form, status=400)


@login_required
@require_POST
def invitees_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite by the session's rule again (members who joined since), or the people ticked; or
    withdraw one invitation not marked yet (the "withdraw" button of an invitee's row)."""
    session = selectors.session_get(request.scope, pk, RECORDS)
    if "wd-invitation" in request.POST:
        return _withdraw(request, session)
    people = selectors.invitable_people(request.scope, session.organization, session.held_on)
    form = InviteForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "refresh":
                added = services.invitees_refresh(actor=request.user, session=session)
            else:
                person_ids = [p.pk for p in data["people"]]
                added = services.invitees_add(actor=request.user, session=session, person_ids=person_ids)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            if added:
                text = ngettext("%(count)d person invited.", "%(count)d people invited.", added)
                messages.success(request, text % {"count": added})
            else:
                messages.info(request, _("Nobody new to invite: everyone is invited already."))
            return redirect(session)
    return _detail(request, session, invite_form=form, status=400)


def _withdraw(request: HttpRequest, session: Session) -> HttpResponse:
    form = WithdrawForm(request.POST)
    invitation = None
    if form.is_valid():
        invitation = next(
            (i for i in selectors.invitations_of(session) if i.pk == form.cleaned_data["invitation"]), None
        )
        if invitation is None:
            form.add_error(None, _("This person is no longer invited."))
        elif session.state == SessionState.CANCELLED:
            form.add_error(None, _("The session was cancelled."))

    def write(data):
        services.invitation_remove(
            actor=request.user, invitation=invitation, expected_version=data["version"]
        )

    done = _("The invitation of %(name)s is withdrawn.") % {"name": invitation.person if invitation else ""}
    answer = write_from_form(request, form, write, done=done, back=session.get_absolute_url())
    if answer is not None:
        return answer
    return _detail(request, session, withdraw_form=form, status=400)


# ----------------------------------------------------------------------------------- attendance


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulk sheet: every invitee pre-marked (present, or excused when they asked to be), so that
    the secretary changes only the absent and saves once; all rows or none are saved."""
    session = selectors.session_get(request.scope, pk, RECORDS)
    invitations = selectors.invitations_of(session)
    form = AttendanceForm(request.POST or None, initial={"version": session.version}, invitations=invitations)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            marks = [services.Mark(*row) for row in form.marks()]
            try:
                services.attendance_mark(
                    actor=request.user,
                    session=session,
                    marks=marks,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersionError as exc:
                if not _already_so(invitations, marks):
                    messages.error(request, str(exc))
                    return redirect("meetings:attendance", pk=session.pk)
                # A second tap on Save sent the same sheet: it is saved, say so.
                messages.success(request, _attendance_saved(marks))
                return redirect(session)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _attendance_saved(marks))
                return redirect(session)
    context = {
        "session": session,
        "org": session.organization,
        "form": form,
        "rows": form.rows(),
        "problems": problems,
        "cancelled": session.state == SessionState.CANCELLED,
        "too_early": session.held_on > periods.today(),
    }
    return render(request, "meetings/attendance.html", context, status=status)


def _already_so(invitations, marks: list[services.Mark]) -> bool:
    """Whether the marks are those recorded now (read before the refused save)."""
    recorded = {i.pk: i.attendance for i in invitations}
    return bool(marks) and all(recorded.get(m.invitation_id) == m.attendance for m in marks)


def _attendance_saved(marks: list[services.Mark]) -> str:
    counts = rules.AttendanceCounts.of(m.attendance for m in marks)
    return _("Attendance saved: %(present)d present, %(excused)d excused, %(unexcused)d unexcused.") % {
        "present": counts.present,
        "excused": counts.excused,
        "unexcused": counts.unexcused,
    }


# -------------------------------------------------------------------------------------- minutes


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.scope, pk, RECORDS)
    initial = {
        "chair": session.chair,
        "recorder": session.recorder,
        "duration_minutes": session.duration_minutes,
        "minutes": session.minutes,
        "resolution": session.resolution,
        "version": session.version,
    }
    form = MinutesForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":

        def write(data):
            services.minutes_save(
                actor=request.user, session=session, expected_version=data["version"], **form.values()
            )

        back = reverse("meetings:minutes", args=[session.pk])
        done_url = session.get_absolute_url()
        answer = write_from_form(
            request, form, write, done=_("The minutes are saved."), back=back, done_url=done_url
        )
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    context = {
        "session": session,
        "org": session.organization,
        "form": form,
        "too_early": session.held_on > periods.today(),
    }
    return render(request, "meetings/minutes.html", context, status=status)


@login_required
def minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    """The minutes' file, to whoever sees the session; never by a guessable public URL."""
    session = selectors.session_get(request.scope, pk)
    return file_response(session.minutes_file, session.minutes_file_name, "bien-ban")
