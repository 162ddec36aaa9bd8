"""The import page every import uses: upload → preview (nothing written, every problem by row and
column, a choice for each duplicate) → confirm (all rows in one transaction, or none)."""

import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import spreadsheets
from .imports import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# run(path, on_duplicate, decisions, dry_run) -> Report
Runner = Callable[[str, str, dict[int, str], bool], Report]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    on_duplicate = forms.ChoiceField(
        required=False,
        label=gettext_lazy("When a row is someone already recorded"),
        choices=[
            ("stop", gettext_lazy("Stop and let me choose for each")),
            ("skip", gettext_lazy("Skip the row")),
            ("update", gettext_lazy("Update the record from the file")),
        ],
        initial="stop",
    )


def _form(actions: tuple[str, ...], *args) -> ImportForm:
    form = ImportForm(*args)
    if len(actions) == 1:
        del form.fields["on_duplicate"]  # nothing to choose: duplicates stop the import
    return form


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_page(
    request: HttpRequest,
    *,
    key: str,
    title: str,
    runner: Runner,
    back_url: str,
    template_url: str,
    actions: tuple[str, ...],
) -> HttpResponse:
    """`key` names the import and its place (e.g. "members:CB-01"): an upload is confirmed only
    by the session that made it, for the same key."""
    context = {
        "form": _form(actions),
        "title": title,
        "back_url": back_url,
        "template_url": template_url,
        "actions": actions,
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, key, runner, context, actions)
    if request.method == "POST":
        form = _form(actions, request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            on_duplicate = form.cleaned_data.get("on_duplicate") or "stop"
            try:
                spreadsheets.check_xlsx(upload, size=upload.size)
                token = _keep(request, upload, key)
                report = runner(str(_path(token)), on_duplicate, {}, True)
            except spreadsheets.SpreadsheetError as exc:
                form.add_error("file", str(exc))
            else:
                context |= {"report": report, "token": token, "on_duplicate": on_duplicate}
    return render(request, "core/import.html", context)


def _confirm(
    request: HttpRequest, key: str, runner: Runner, context: dict, actions: tuple[str, ...]
) -> HttpResponse:
    token = request.POST["token"]
    if request.session.get("imports", {}).get(token) != key:
        raise Http404
    decisions = {
        int(k[4:]): v
        for k, v in request.POST.items()
        if k.startswith("dup-") and k[4:].isascii() and k[4:].isdigit() and v in actions
    }
    on_duplicate = request.POST.get("on_duplicate", "stop")
    on_duplicate = on_duplicate if on_duplicate in actions else "stop"
    try:
        report = runner(str(_path(token)), on_duplicate, decisions, False)
    except (spreadsheets.SpreadsheetError, FileNotFoundError) as exc:
        raise Http404 from exc
    if not report.ok:
        context |= {"report": report, "token": token, "on_duplicate": on_duplicate}
        return render(request, "core/import.html", context)
    _path(token).unlink(missing_ok=True)
    request.session["imports"].pop(token, None)
    request.session.modified = True
    messages.success(
        request,
        _("Imported: %(created)d created, %(updated)d updated, %(skipped)d skipped.")
        % {"created": report.created, "updated": report.updated, "skipped": report.skipped},
    )
    return redirect(context["back_url"])


def _keep(request: HttpRequest, upload, key: str) -> str:
    """Keep the uploaded file until the preview is confirmed (the session holds its token)."""
    token = secrets.token_urlsafe(16)
    path = _path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    _forget_old_uploads(path.parent)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session.setdefault("imports", {})[token] = key
    request.session.modified = True
    return token


KEEP_UPLOADS = timedelta(hours=24)


def _forget_old_uploads(folder: Path) -> None:
    """Uploads whose preview was never confirmed hold personal data: they go after a day."""
    limit = time.time() - KEEP_UPLOADS.total_seconds()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


def _path(token: str) -> Path:
    safe = "".join(ch for ch in token if ch.isalnum() or ch in "-_")
    return Path(settings.MEDIA_ROOT) / "imports" / f"{safe}.xlsx"
