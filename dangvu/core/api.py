"""REST API of the background jobs (core.jobs): one of the caller's own jobs, its progress, its error
and, when done, its file and the record it wrote. Any app's job reads here; the app only puts in the
job's params what the caller should open (`link`, the page of the result; `document`, for the
documents' reports, the draft's id)."""

from django.urls import reverse
from ninja import Router, Schema

from . import selectors
from .api_errors import ErrorOut
from .models import Job, JobStatus

router = Router(tags=["jobs"])

API = "/api/v1"


class JobOut(Schema):
    id: int
    title: str
    status: str  # queued, running, done, failed
    done: int
    total: int
    error: str
    document: int | None  # the draft the job wrote into the register, once written (documents' reports)
    link: str | None  # the page of what the job wrote, once written
    url: str  # this job, through this API
    page: str  # the job's page
    file_url: str | None  # the file, once done


def job_out(job: Job) -> dict:
    params = job.params if isinstance(job.params, dict) else {}
    document = params.get("document")
    link = params.get("link")
    done = job.status == JobStatus.DONE and bool(job.result)
    return {
        "id": job.pk,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "document": document if isinstance(document, int) and not isinstance(document, bool) else None,
        "link": link if isinstance(link, str) and link.startswith("/") else None,
        "url": f"{API}/jobs/{job.pk}",
        "page": reverse("core:job", args=[job.pk]),
        "file_url": reverse("core:job_download", args=[job.pk]) if done else None,
    }


@router.get("/jobs/{job_id}", response={200: JobOut, 404: ErrorOut})
def job_read(request, job_id: int):
    """One of the caller's own background jobs: its progress, its error, what it wrote (`link`, and
    `document` for a report's draft) and, when done, its file (`file_url`, for the caller's session)."""
    return job_out(selectors.job_get(request.user, request.scope, job_id))
