"""Drafts written from another page's data: a session's invitation and minutes, the inspection
programme of a year, a badge batch's list. POST from a button of that page; the draft's page next.

The source row is read through its own app's selector with the user's scope (404 outside it, the
same as a missing row); writing needs `selectors.may_write` for the document's type (404 otherwise:
a reader sees no button and gets no draft). A refusal (a cancelled session, no proposals…) goes
back to the source page with the reason, nothing written."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.badges import proposals as badge_proposals
from dangvu.core import periods
from dangvu.meetings import selectors as meeting_selectors
from dangvu.organization import selectors as org_selectors

from . import selectors, services
from .builders.badges import badge_list_draft, badge_list_rows
from .builders.meetings import invitation_draft, minutes_draft
from .builders.programme import programme_draft
from .choices import DocType
from .content import Draft


def _write(
    request: HttpRequest,
    build: Callable[[], Draft],
    back: str,
    kept: Callable[[Draft], None] | None = None,
) -> HttpResponse:
    """Build the draft and keep it, then its page; a refusal goes back with the reason.

    `kept` runs once the draft is stored, in the same transaction (a refusal keeps nothing of it)."""
    try:
        with transaction.atomic():
            draft = build()
            document = services.draft_create(actor=request.user, draft=draft)
            if kept is not None:
                kept(draft)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request, _("The draft is written from the data: read it, change its text, then issue it.")
    )
    return redirect("documents:detail", pk=document.pk)


def _session(request: HttpRequest, pk: int, doc_type: str):
    session = meeting_selectors.session_get(request.scope, pk)
    if not selectors.may_write(request.scope, session.organization, doc_type):
        raise Http404
    return session


@login_required
@require_POST
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, DocType.INVITATION)
    on = periods.today()
    return _write(request, lambda: invitation_draft(session, on=on), session.get_absolute_url())


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, DocType.MINUTES)
    on = periods.today()
    return _write(request, lambda: minutes_draft(session, on=on), session.get_absolute_url())


def _organization(request: HttpRequest, code: str, doc_type: str):
    org = org_selectors.organization_get(request.scope, code)
    if not selectors.may_write(request.scope, org, doc_type):
        raise Http404
    return org


@login_required
@require_POST
def programme(request: HttpRequest, code: str) -> HttpResponse:
    org = _organization(request, code, DocType.INSPECTION_PROGRAMME)
    raw = (request.POST.get("year") or request.POST.get("nam") or "").strip()
    year = periods.year_param(raw, default=0)
    page = reverse("programme:programme", args=[org.code])
    if not year:
        messages.error(request, _("Choose the year of the programme to write."))
        return redirect(page)
    on = periods.today()
    return _write(request, lambda: programme_draft(org, year, on=on), f"{page}?nam={year}")


def parse_batch(raw: str) -> date | None:
    """The batch as the batch page sends it: YYYY-MM-DD, or dd/mm/yyyy as typed."""
    try:
        return periods.parse_vn_date(raw)
    except ValueError:
        return None


@login_required
@require_POST
def badge_list(request: HttpRequest, code: str) -> HttpResponse:
    org = _organization(request, code, DocType.BADGE_LIST)
    page = reverse("badges:batch", args=[org.code])
    on = periods.today()
    batch = parse_batch(request.POST.get("batch") or request.POST.get("dot") or "")
    if batch is None or batch not in badge_proposals.batch_choices(org, on):
        messages.error(request, _("Choose a badge batch from the list of the batch page."))
        return redirect(page)
    scope = request.scope
    rows: list[badge_proposals.ProposalRow] = []

    def build() -> Draft:
        rows[:] = badge_list_rows(org, batch, scope=scope)
        return badge_list_draft(org, batch, scope=scope, on=on, rows=rows)

    def shown(draft: Draft) -> None:
        # The list shows the illness of a gravely ill member to who keeps their cell's records:
        # every showing of health data is logged, as the batch page logs it, once the list is kept.
        badge_proposals.log_illness(
            user=request.user, path=request.path, shown=badge_proposals.illness_shown(rows)
        )

    return _write(request, build, f"{page}?dot={batch.isoformat()}", kept=shown)
