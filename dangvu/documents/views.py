"""The pages of the document register (issue 12): an issuer's documents, the report asked for as a
background job, one document (its draft text edited, issued with its number, or thrown away), its
files, and the office's letterhead settings. Thin views over selectors and services.

Whoever sees the issuer reads its register and documents; who writes is `selectors.may_write` per type
(a cell's chi ủy its cell's reports, invitations and minutes; the inspection its programme; the office
everything). Anyone else gets 404 on the write pages and sees no write button."""

import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core import metrics, periods
from dangvu.core.access import MANAGE
from dangvu.core.audit import StaleVersionError
from dangvu.core.forms import VersionOnlyForm, add_refusal
from dangvu.organization import selectors as org_selectors

from . import jobs, rules, selectors, services
from .content import Content, Section
from .forms import (
    DraftTextForm,
    IssueForm,
    RegisterFilterForm,
    ReportForm,
    SettingsForm,
    section_field,
    settings_initial,
)
from .models import Document

PAGE_SIZE = 50


def _number_shown(document: Document) -> str:
    """ "01-BC/ĐU" once issued, "Dự thảo" for a draft."""
    if document.number is None:
        return _("Draft without a number")
    return document.number_line.removeprefix("Số ")


# ------------------------------------------------------------------------------------ the register


@dataclass(frozen=True)
class Row:
    document: Document
    number: str


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    """The issuer's documents, newest first, of a year and a kind when asked."""
    org = org_selectors.organization_get(request.scope, code)
    form = RegisterFilterForm(request.GET)
    form.is_valid()  # a bad value is reported on its field and not applied
    year = form.cleaned_data.get("nam")
    doc_type = form.cleaned_data.get("loai") or ""
    documents = selectors.documents_in(request.scope, org, year=year, doc_type=doc_type)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("trang"))
    others = request.GET.copy()
    others.pop("trang", None)
    context = {
        "org": org,
        "form": form,
        "rows": [Row(document, _number_shown(document)) for document in page.object_list],
        "page": page,
        "keep": f"{others.urlencode()}&" if others else "",
        "can_report": selectors.may_write(request.scope, org, selectors.report_type("annual")),
        "can_manage": request.scope.covers(org.path, MANAGE),
        "filtered": bool(year or doc_type),
    }
    return render(request, "documents/register.html", context)


# --------------------------------------------------------------------------------- a new report


@login_required
def report_new(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for the annual summary or the six-month review: written in the background, then a draft."""
    org = org_selectors.organization_get(request.scope, code)
    if not selectors.may_write(request.scope, org, selectors.report_type("annual")):
        raise Http404
    initial = {"kind": "annual", "year": periods.today().year, "fmt": "docx"}
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.start_report_job(
            user=request.user, organization=org, year=data["year"], kind=data["kind"], fmt=data["fmt"]
        )
        return redirect("core:job", job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/report_form.html", {"org": org, "form": form}, status=status)


# -------------------------------------------------------------------------------- one document


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str


def _figures(document: Document) -> list[Figure]:
    """The metrics the text was written from (document.figures["metrics"]), by their label."""
    found = document.figures.get("metrics") if isinstance(document.figures, dict) else None
    if not isinstance(found, dict):
        return []
    lines = []
    for key, value in found.items():
        metric = metrics.get(key)
        figure = value if isinstance(value, dict) else {"value": value}
        label = str(metric.label) if metric else key
        lines.append(
            Figure(key, label, _figure_shown(figure, metric is not None and metric.kind == metrics.RATIO))
        )
    return lines


def _figure_shown(figure: dict, ratio: bool) -> str:
    """As the article writes it: "78% (46/59)", "1.850"."""
    value = figure.get("value")
    if value is None:
        shown = "—"
    elif ratio and isinstance(value, int | float):
        shown = rules.percent(value)
    elif _whole(value):
        shown = rules.grouped(value)
    elif isinstance(value, float):
        shown = _decimal(value)
    else:
        shown = str(value)
    numerator, denominator = figure.get("numerator"), figure.get("denominator")
    if _whole(numerator) and _whole(denominator):
        shown += f" ({rules.fraction(numerator, denominator)})"
    return shown


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: float) -> str:
    """1850.5 → "1.850,5": a figure that is not a whole number, with the Vietnamese separators."""
    whole, _dot, rest = f"{value:.1f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    text = sign + rules.grouped(abs(int(whole)))
    return text if rest.strip("0") == "" else f"{text},{rest}"


@dataclass(frozen=True)
class Part:
    """A section of the document with, for a draft its writer edits, its text box."""

    section: Section
    field: BoundField | None


def _detail(request: HttpRequest, document: Document, *, status: int = 200, **forms) -> HttpResponse:
    """The document's page; `forms` holds a bound form refused by a POST (text_form, issue_form)."""
    today = periods.today()
    can_write = selectors.may_write(request.scope, document.organization, document.doc_type)
    editing = can_write and not document.is_issued
    content = Content.from_json(document.content)
    if editing:
        forms.setdefault("text_form", DraftTextForm(initial={"version": document.version}, content=content))
        forms.setdefault("issue_form", IssueForm(initial={"issued_on": today, "version": document.version}))
        forms.setdefault("delete_form", VersionOnlyForm(initial={"version": document.version}))
    text_form = forms.get("text_form")
    parts = [
        Part(section, text_form[section_field(index)] if editing and section.editable else None)
        for index, section in enumerate(content.sections)
    ]
    context = {
        "document": document,
        "org": document.organization,
        "parts": parts,
        "number_line": document.number_line if document.is_issued else "",
        "number_shown": _number_shown(document),
        "content": content,
        "figures": _figures(document),
        "can_write": can_write,
        "editing": editing,
        **forms,
    }
    return render(request, "documents/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the document; who may write a draft saves its text here (POST)."""
    if request.method != "POST":
        document = selectors.document_get(request.scope, pk)
        selectors.health_data_logged(document, user=request.user, path=request.path)
        return _detail(request, document)
    document = selectors.document_to_write(request.scope, pk)
    if document.is_issued:
        messages.error(request, _("An issued document cannot be changed."))
        return redirect(document)
    form = DraftTextForm(request.POST, content=Content.from_json(document.content))
    if not form.is_valid():
        return _detail(request, document, status=400, text_form=form)
    try:
        services.draft_text_update(
            actor=request.user,
            document=document,
            expected_version=form.cleaned_data["version"],
            texts=form.texts(),
            addressee=form.cleaned_data["addressee"],
            recipients=form.recipients_lines(),
        )
    except StaleVersionError as exc:
        # Nothing lost: the text typed is shown again, at the version now saved, to check and save again.
        messages.error(request, str(exc))
        messages.info(request, _("The text you typed is shown below, not saved yet."))
        data = request.POST.copy()
        data["version"] = str(exc.current_version)
        document.refresh_from_db()
        form = DraftTextForm(data, content=Content.from_json(document.content))
        form.is_valid()
        return _detail(request, document, status=409, text_form=form)
    except ValidationError as exc:
        add_refusal(form, exc)
        return _detail(request, document, status=400, text_form=form)
    messages.success(request, _("The draft's text is saved."))
    return redirect(document)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the draft: its number from the register (or the one typed), its date, its files kept."""
    document = selectors.document_to_write(request.scope, pk)
    if document.is_issued:
        messages.error(request, _("This document is already issued: it keeps its number and date."))
        return redirect(document)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.issue(
                actor=request.user,
                document=document,
                expected_version=form.cleaned_data["version"],
                issued_on=form.cleaned_data["issued_on"],
                number=form.cleaned_data["number"],
            )
        except StaleVersionError as exc:
            messages.error(request, str(exc))
            return redirect(document)
        except ValidationError as exc:
            document.refresh_from_db()
            if document.is_issued:
                # The issue form is no longer on the page: the refusal is said as a message.
                messages.error(request, " ".join(exc.messages))
                return redirect(document)
            add_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The document is issued with the number %(number)s.") % {"number": _number_shown(document)},
            )
            return redirect(document)
    document.refresh_from_db()
    return _detail(request, document, status=400, issue_form=form)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Throw a draft away (it stays in the history); an issued document stays in the register."""
    document = selectors.document_to_write(request.scope, pk)
    form = VersionOnlyForm(request.POST)
    back = reverse("documents:register", args=[document.organization.code])
    if not form.is_valid():
        messages.error(request, _("The form was incomplete: nothing was deleted."))
        return redirect(document)
    try:
        services.draft_delete(
            actor=request.user, document=document, expected_version=form.cleaned_data["version"]
        )
    except (StaleVersionError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(document)
    messages.success(request, _("The draft is deleted."))
    return redirect(back)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """The document's DOCX or PDF: as issued, or the draft written now."""
    if fmt not in selectors.FORMATS:
        raise Http404
    document = selectors.document_get(request.scope, pk)
    data = selectors.rendered(document, fmt, periods.today())
    selectors.health_data_logged(document, user=request.user, path=request.path)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=selectors.file_name(document, fmt),
        content_type=selectors.MEDIA_TYPES[fmt],
    )


# ---------------------------------------------------------------------------------- the settings


@login_required
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The issuer's letterhead, how its numbers run and its type symbols (the office). The form carries
    the version it was read at (blank while the issuer has no settings yet): when someone else saved
    in between, the conflict is said and what was typed is shown again, at the version now saved."""
    org = org_selectors.organization_get(request.scope, code, MANAGE)
    own = selectors.settings_of(org)
    defaults = selectors.letterhead(org, periods.today())
    if request.method != "POST":
        form = SettingsForm(initial=settings_initial(own), defaults=defaults)
        return render(request, "documents/settings.html", {"org": org, "form": form})
    form = SettingsForm(request.POST, defaults=defaults)
    if form.is_valid():
        try:
            services.settings_save(
                actor=request.user,
                organization=org,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as exc:
            messages.error(request, str(exc))
            messages.info(request, _("The settings you typed are shown below, not saved yet."))
            data = request.POST.copy()
            data["version"] = str(exc.current_version)
            form = SettingsForm(data, defaults=defaults)
            form.is_valid()
            return render(request, "documents/settings.html", {"org": org, "form": form}, status=409)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("The document settings are saved."))
            return redirect("documents:register", org.code)
    return render(request, "documents/settings.html", {"org": org, "form": form}, status=400)
