"""Background jobs with progress: long work a user asked for (a large export), run by the worker.

An app registers a function for a kind of job in its `AppConfig.ready()`:

    jobs.register("members.export", export_job)

    def export_job(job, params, progress) -> tuple[str, bytes]:
        progress(done, total)  # as often as it likes; written at most twice a second
        return "file-name.xlsx", content

`start()` records the job and enqueues `core.tasks.run_job` in the same transaction, so a job is never
lost between the two. The worker runs it: the user's scope is computed again at that moment (access
may have been withdrawn since the request) and the function is expected to read through it. The
file is kept under MEDIA_ROOT/jobs/ in a random folder, served only to its user by the job's page, and
deleted after DANGVU_JOB_FILE_DAYS days by the scheduler.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import access
from .audit import save_audited
from .models import Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
JobFunction = Callable[[Job, dict, Progress], tuple[str, bytes]]
_registry: dict[str, JobFunction] = {}

PROGRESS_EVERY_SECONDS = 0.5
STALE_AFTER = timedelta(hours=6)  # a job "running" this long lost its worker


def register(kind: str, func: JobFunction) -> None:
    _registry[kind] = func


@transaction.atomic
def start(*, user, kind: str, title: str, scope_path: str = "", params: dict | None = None) -> Job:
    """Record the job (audited, the user as actor) and enqueue it for the worker."""
    from .tasks import run_job

    if kind not in _registry:
        raise ValueError(f"no job function registered for {kind!r}")
    job = Job(user=user, kind=kind, title=title[:255], scope_path=scope_path, params=params or {})
    save_audited(job, actor=user, reason="job requested")
    result = run_job.enqueue(job.pk)
    job.task_result_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)
    return job


def run(job_id: int) -> str:
    """Run a queued job once (a second run of the same job does nothing); returns its final status."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("user").get(pk=job_id)
    with translation.override(job.user.language or settings.LANGUAGE_CODE):  # its errors in their language
        try:
            filename, content = _call(job)
        except Http404:
            return _fail(job, _("You no longer have access to this data."))
        except Exception as exc:  # the job's own failure: shown on its page, logged without data
            logger.error("job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
            return _fail(
                job,
                _("The job failed (%(error)s). Try again, or tell the office.")
                % {"error": type(exc).__name__},
            )
    job.result.save(filename, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, result=job.result.name, finished_at=timezone.now(), done=job.total or 1
    )
    return JobStatus.DONE


def _call(job: Job) -> tuple[str, bytes]:
    func = _registry.get(job.kind)
    if func is None:
        raise LookupError(job.kind)
    if job.scope_path:
        access.require(access.scope_for(job.user), job.scope_path, access.VIEW)
    return func(job, job.params, _progress(job))


def _progress(job: Job) -> Progress:
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        job.done, job.total = done, total
        if time.monotonic() - last >= PROGRESS_EVERY_SECONDS or done >= total:
            last = time.monotonic()
            Job.objects.filter(pk=job.pk).update(done=done, total=total)

    return report


def _fail(job: Job, message: str) -> str:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    return JobStatus.FAILED


def purge_expired(now: datetime) -> int:
    """Delete the files of jobs finished more than DANGVU_JOB_FILE_DAYS days ago, and give up jobs
    whose worker died; returns how many files were deleted. Run by the scheduler."""
    Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=JobStatus.FAILED, error=_("The job was interrupted. Start it again."), finished_at=now
    )
    expired = Job.objects.filter(
        finished_at__lt=now - timedelta(days=settings.DANGVU_JOB_FILE_DAYS), result__gt=""
    ).only("pk", "result")
    cleared = []
    for job in expired:
        job.result.delete(save=False)
        cleared.append(job.pk)
    Job.objects.filter(pk__in=cleared).update(result="")
    return len(cleared)
