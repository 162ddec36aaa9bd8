"""The annual summary and the six-month review as a background job (core.jobs), for the page and the API.

The job writes the draft into the register (its author the user who asked) and returns the file
in the format asked; the job's page links to the draft so that the office can edit and issue it.
"""

from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from dangvu.core import access, jobs, periods
from dangvu.core.models import Job
from dangvu.organization.models import Organization

from . import selectors, services
from .builders.annual import report_draft

REPORT_JOB = "documents.report"
REPORT_KINDS = ("annual", "midyear")


def start_report_job(*, user, organization: Organization, year: int, kind: str, fmt: str) -> Job:
    if kind not in REPORT_KINDS or fmt not in selectors.FORMATS:
        raise ValueError(kind, fmt)
    title = (
        _("Annual summary report %(year)s of %(org)s")
        if kind == "annual"
        else _("Six-month review %(year)s of %(org)s")
    ) % {"year": year, "org": organization.name}
    return jobs.start(
        user=user,
        kind=REPORT_JOB,
        title=title,
        scope_path=organization.path,
        params={"code": organization.code, "year": year, "kind": kind, "format": fmt},
    )


def report_job(job: Job, params: dict, progress: jobs.Progress) -> tuple[str, bytes]:
    scope = access.scope_for(job.user)
    organization = Organization.objects.get(code=params["code"])
    if not selectors.may_write(scope, organization, selectors.report_type(params["kind"])):
        raise Http404
    on: date = periods.today()
    draft = report_draft(
        organization, int(params["year"]), half=params["kind"] == "midyear", on=on, progress=progress
    )
    fmt = params["format"]
    with transaction.atomic():  # a file that cannot be written leaves no draft behind
        document = services.draft_create(actor=job.user, draft=draft)
        data = selectors.rendered(document, fmt, on)
        link = {"document": document.pk, "link": document.get_absolute_url()}
        Job.objects.filter(pk=job.pk).update(params={**params, **link})
    return selectors.file_name(document, fmt), data
