"""Pages of the documents to study: the list of a year, a document's progress per cell, and the
office's forms. Every read goes through core.access; the office (MANAGE on the organisation that
sets the document) writes, a cell's secretary reads what was set for their cell and its progress."""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangvu.core import metrics, periods
from dangvu.core.access import MANAGE, RECORDS, VIEW
from dangvu.core.audit import StaleVersionError, history_entries
from dangvu.core.files import file_response
from dangvu.core.forms import VersionOnlyForm, add_refusal, write_from_form
from dangvu.organization import selectors as org_selectors

from . import selectors, services
from .choices import SessionKind
from .document_forms import DocumentEditForm, DocumentForm, document_initial
from .models import StudyDocument


@dataclass(frozen=True)
class DocumentRow:
    document: StudyDocument
    owed: int = 0
    studied: int = 0

    @property
    def percent(self) -> int | None:
        return metrics.percent(self.studied, self.owed)


@login_required
def document_list(request: HttpRequest, code: str) -> HttpResponse:
    """The documents of a year set for the organisation (from it or above) or under it."""
    org = org_selectors.organization_get(request.scope, code)
    year = periods.year_param(request.GET.get("nam"))
    documents = list(selectors.documents_for(org, year))
    counts = selectors.study_counts(documents, org, periods.today())
    url = reverse("meetings:documents", args=[org.code])
    return render(
        request,
        "meetings/document_list.html",
        {
            "org": org,
            "year": year,
            "rows": [DocumentRow(d, *counts.get(d.pk, (0, 0))) for d in documents],
            "can_manage": request.scope.covers(org.path, MANAGE),
            "previous_url": f"{url}?nam={year - 1}",
            "next_url": f"{url}?nam={year + 1}",
        },
    )


@login_required
def document_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"set_on": periods.today()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                document = services.document_create(
                    actor=request.user, organization=org, file=form.cleaned_data["file"], **form.values()
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("The document is set to be studied; %(count)d member(s) owe it.")
                    % {"count": document.obligations.count()},
                )
                return redirect(document)
    return render(
        request,
        "meetings/document_form.html",
        {"form": form, "org": org, "title": _("Add a document to study")},
        status=status,
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document, its file, its progress per cell (the cells the viewer sees) with the names of
    those who have not studied it, and the sessions that studied it."""
    scope = request.scope
    document = selectors.document_get(scope, pk)
    today = periods.today()
    progress = [
        row
        for row in selectors.document_progress(document, under=document.organization, as_of=today)
        if scope.covers(row.cell.path)
    ]
    total = Counter()
    for row in progress:
        total.update(owed=row.owed, studied=row.studied)
    catch_up = [
        (org, reverse("meetings:session_create", args=[org.code]))
        for org in selectors.acting_organisations(scope, document, RECORDS)
    ]
    seen = selectors.acting_organisations(scope, document, VIEW)
    can_manage = scope.covers(document.organization.path, MANAGE)
    return render(
        request,
        "meetings/document_detail.html",
        {
            "document": document,
            "progress": progress,
            "total": total,
            "total_percent": metrics.percent(total["studied"], total["owed"]),
            "sessions": list(selectors.sessions_in(scope, None, document=document)),
            "catch_up": catch_up,
            "list_org": seen[0] if seen else None,
            "catch_up_query": "?" + urlencode({"loai": SessionKind.CATCH_UP, "van-ban": document.pk}),
            "can_manage": can_manage,
            "history": history_entries(document, limit=20) if can_manage else [],
            "today": today,
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a document, replace its file, or delete it (soft): the office that set it."""
    document = selectors.document_get(request.scope, pk, MANAGE)
    deleting = request.method == "POST" and "delete" in request.POST
    delete_form = VersionOnlyForm(request.POST if deleting else None, initial={"version": document.version})
    if deleting and delete_form.is_valid():
        return _document_delete(request, document, delete_form.cleaned_data["version"])
    form = DocumentEditForm(
        None if deleting else request.POST or None,
        None if deleting else request.FILES or None,
        initial=document_initial(document),
        document=document,
    )
    if request.method == "POST" and not deleting:

        def write(data):
            services.document_update(
                actor=request.user,
                document=document,
                expected_version=data["version"],
                file=data["file"],
                **form.values(),
            )

        back = reverse("meetings:document_edit", args=[document.pk])
        answer = write_from_form(
            request, form, write, done=_("Changes saved."), back=back, done_url=document.get_absolute_url()
        )
        if answer is not None:
            return answer
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/document_form.html",
        {
            "form": form,
            "org": document.organization,
            "document": document,
            "delete_form": delete_form,
            "title": _("Change the document"),
        },
        status=status,
    )


def _document_delete(request: HttpRequest, document: StudyDocument, version: int) -> HttpResponse:
    try:
        services.document_delete(actor=request.user, document=document, expected_version=version)
    except StaleVersionError as exc:
        messages.error(request, str(exc))
        return redirect("meetings:document_edit", pk=document.pk)
    messages.success(request, _("The document was deleted; nobody owes it any more."))
    return redirect("meetings:documents", code=document.organization.code)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The document's file, to whoever sees the document; never by a guessable public URL."""
    document = selectors.document_get(request.scope, pk)
    return file_response(document.file, document.file_name, "van-ban")
