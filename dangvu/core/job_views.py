"""A background job's page: its progress while it runs (htmx polling), its file when it is done."""

import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import JobStatus


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, request.scope, pk)
    template = "core/_job_status.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job, "file_days": settings.DANGVU_JOB_FILE_DAYS})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.job_get(request.user, request.scope, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(job.result.name))
