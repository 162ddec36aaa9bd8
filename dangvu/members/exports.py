"""The member list as an Excel file: at once for a short list, in the background worker for a long one
(core.jobs), with the same filters, the same scope and the same columns."""

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date

from django.utils.translation import gettext as _

from dangvu.core import access, jobs
from dangvu.core.access import RECORDS, Scope
from dangvu.core.audit import personal_data_shown
from dangvu.core.models import Job
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import imports, selectors
from .models import Member

JOB_KIND = "members.export"
PROGRESS_EVERY = 200  # rows


def export_file(
    *,
    scope: Scope,
    user,
    organization: Organization,
    filters: selectors.MemberFilters,
    register: str | None,
    on: date,
    path: str,
    progress: jobs.Progress | None = None,
) -> tuple[str, bytes]:
    """The file name and the XLSX of the list as the page shows it. The citizen IDs are in it only
    for those who keep the records, and that showing is logged."""
    members = selectors.members_matching(scope, organization, filters, on=on)
    members = members.select_related("person", "person__organization").prefetch_related("events")
    with_sensitive = scope.covers(organization.path, RECORDS)
    if with_sensitive:
        personal_data_shown(user=user, record=organization, path=path)
    name = f"dang-vien-{organization.code}-{register or 'danh-sach'}-{on:%Y%m%d}.xlsx"
    rows: Iterable[Member] = members if progress is None else _counted(members, progress)
    return name, imports.export(rows, with_sensitive=with_sensitive)


def _counted(members, progress: jobs.Progress) -> Iterator[Member]:
    total = members.count()
    progress(0, total)
    for done, member in enumerate(members, start=1):
        yield member
        if done % PROGRESS_EVERY == 0 or done == total:
            progress(done, total)


def start_job(
    *,
    user,
    organization: Organization,
    filters: selectors.MemberFilters,
    register: str | None,
    on: date,
    path: str,
) -> Job:
    return jobs.start(
        user=user,
        kind=JOB_KIND,
        title=_("Excel export of the members of %(org)s") % {"org": organization.name},
        scope_path=organization.path,
        params={
            "code": organization.code,
            "filters": asdict(filters),
            "register": register,
            "on": on.isoformat(),
            "path": path,
        },
    )


def export_job(job: Job, params: dict, progress: jobs.Progress) -> tuple[str, bytes]:
    """Run by the worker: the user's scope as it is now, not as it was when they asked."""
    scope = access.scope_for(job.user)
    organization = org_selectors.organization_get(scope, params["code"])  # 404 if no longer seen
    return export_file(
        scope=scope,
        user=job.user,
        organization=organization,
        filters=selectors.MemberFilters(**params["filters"]),
        register=params["register"],
        on=date.fromisoformat(params["on"]),
        path=params["path"],
        progress=progress,
    )
