"""The member's own page (issue 7, point 4): their coming sessions with a reply in one tap, the
documents they still have to study and this year's attendance; made for a phone in an elderly
member's hand (large text, few taps, no sideways scrolling)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import periods
from dangvu.core.audit import StaleVersionError
from dangvu.organization.models import Person
from dangvu.organization.selectors import own_person

from . import rules, selectors, services
from .choices import Reply
from .forms import ReplyForm
from .models import Invitation


def _own_person(request: HttpRequest) -> Person:
    person = own_person(request.scope)
    if person is None:
        raise Http404
    return person


def _render_mine(request: HttpRequest, person: Person, *, status: int = 200, failed=None) -> HttpResponse:
    """The page, in a fixed number of queries whatever the number of sessions and documents;
    `failed`: the invitation whose reply was refused (its excuse form opens again, as typed)."""
    today = periods.today()
    member = selectors.member_of(person)
    history = selectors.attendance_history(person, today.year, today)
    return render(
        request,
        "meetings/mine.html",
        {
            "person": person,
            "member": member,
            "today": today,
            "year": today.year,
            "invitations": selectors.upcoming(person, today),
            "documents": selectors.documents_owed(member, today) if member else [],
            "history": history,
            "counts": rules.AttendanceCounts.of(invitation.attendance for invitation in history),
            "failed": failed,
        },
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The logged-in user's own page; 404 for a login that is no one's person record."""
    return _render_mine(request, _own_person(request))


def _done_message(invitation: Invitation) -> str:
    session = invitation.session
    values = {"session": session, "day": f"{session.held_on:%d/%m/%Y}"}
    if invitation.reply == Reply.COMING:
        return _("Recorded: you will attend %(session)s on %(day)s.") % values
    return _("Sent: you ask to be excused from %(session)s on %(day)s.") % values


def _already_given(invitation: Invitation, data: dict) -> bool:
    invitation.refresh_from_db()
    reason = " ".join(data["reason"].split()) if data["reply"] == Reply.EXCUSED else ""
    return (invitation.reply, invitation.reply_reason) == (data["reply"], reason)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitee's answer before a session: coming, or excused with a reason. A refusal is shown
    on the page as a message (400) with nothing changed; someone else's invitation is a 404."""
    invitation = selectors.invitation_own(request.scope, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        failed = {"pk": invitation.pk, "reason": request.POST.get("reason", "")[:255]}
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _render_mine(request, invitation.person, status=400, failed=failed)
    data = form.cleaned_data
    try:
        services.invitation_reply(
            actor=request.user,
            invitation=invitation,
            reply=data["reply"],
            reason=data["reason"],
            expected_version=data["version"],
        )
    except StaleVersionError as exc:
        # A double tap sends the same answer twice: the second finds it given, which is no error.
        if not _already_given(invitation, data):
            messages.error(request, str(exc))
            return redirect("meetings:mine")
    except ValidationError as exc:
        failed = {"pk": invitation.pk, "reason": data["reason"]}
        messages.error(request, " ".join(exc.messages))
        return _render_mine(request, invitation.person, status=400, failed=failed)
    messages.success(request, _done_message(invitation))
    return redirect("meetings:mine")
