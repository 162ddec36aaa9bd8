"""Tasks run by the background worker (django.tasks with django-tasks-db: `dangvu db_worker`)."""

from django.tasks import task


@task()
def run_job(job_id: int) -> str:
    """Run a user's background job (core.jobs); returns its final status."""
    from . import jobs

    return jobs.run(job_id)
