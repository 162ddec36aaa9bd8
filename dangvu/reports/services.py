"""Writes of report requests and submissions: each in a transaction and audited with its actor.

Who must act is told through core.notifications: the cell's committee when a request arrives or a
report is returned, the requesting office when a report comes in.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core import bulk, notifications, periods
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.core.files import check_upload, stored_name
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization

from . import rules
from .choices import State
from .models import ReportRequest, ReportRound, Submission, SubmissionVersion


@dataclass(frozen=True)
class Schedule:
    """When a request is due: the first period and due date, and how it repeats."""

    period_kind: str
    year: int
    number: int
    first_due: date
    due_time: time | None = None
    repeat_until: date | None = None  # None: a one-off
    move_to_working_day: bool = False


def _check_recipients(organization: Organization, recipients: list[Organization]) -> None:
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one cell.")})
    for cell in recipients:
        if not cell.path.startswith(organization.path) or cell.pk == organization.pk:
            raise ValidationError({"recipients": _("A request goes only to cells under the organisation.")})
        if cell.kind not in CELL_KINDS:
            raise ValidationError({"recipients": _("%(name)s is not a cell.") % {"name": cell.name}})


def _check_schedule(schedule: Schedule) -> None:
    problem = rules.period_problem(schedule.period_kind, schedule.number)
    if problem:
        raise ValidationError({"number": problem})
    if schedule.repeat_until is not None and schedule.repeat_until < schedule.first_due:
        raise ValidationError({"repeat_until": _("Repeat until a date after the first due date.")})


@transaction.atomic
def request_create(
    *,
    actor,
    organization: Organization,
    title: str,
    schedule: Schedule,
    recipients: list[Organization],
    requires_file: bool,
    form_fields: list[rules.FormField],
    instructions: str = "",
    template: str = "",
    notify: bool = True,
) -> ReportRequest:
    """Ask cells under `organization` for a report, in one round or repeating; every round owes
    one submission per cell from the start, so that a missing report is counted, not forgotten."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the report a title.")})
    if not requires_file and not form_fields:
        raise ValidationError(_("Ask for a file, a form of figures, or both."))
    _check_schedule(schedule)
    _check_recipients(organization, recipients)
    request = ReportRequest(
        organization=organization,
        title=title,
        instructions=instructions.strip(),
        period_kind=schedule.period_kind,
        requires_file=requires_file,
        form_fields=[{"key": f.key, "label": f.label, "number": f.number} for f in form_fields],
        repeats=schedule.repeat_until is not None,
        move_to_working_day=schedule.move_to_working_day,
        template=template,
    )
    save_audited(request, actor=actor)
    request.recipients.set(recipients)
    plan = rules.rounds(
        first=rules.Period(schedule.period_kind, schedule.year, schedule.number),
        first_due=schedule.first_due,
        repeat_until=schedule.repeat_until,
        calendar_=periods.work_calendar(),
        move_to_working_day=schedule.move_to_working_day,
    )
    round_ids = bulk.insert(
        ReportRound,
        [
            {
                "request_id": request.pk,
                "year": r.period.year,
                "number": r.period.number,
                "due_date": r.due_date,
                "due_time": schedule.due_time,
                "closes_at": rules.deadline(r.due_date, schedule.due_time, timezone.get_default_timezone()),
                "version": 1,
            }
            for r in plan
        ],
        actor=actor,
    )
    bulk.insert(
        Submission,
        [
            {"round_id": round_id, "cell_id": cell.pk, "state": State.OPEN, "version": 1}
            for round_id in round_ids
            for cell in recipients
        ],
        actor=actor,
    )
    if notify:
        _tell_cells(
            recipients,
            kind="reports.requested",
            key=f"reports.requested.{request.pk}",
            subject=_("New report request: %(title)s") % {"title": request.title},
            body=_("First due on %(date)s.") % {"date": plan[0].due_date.strftime("%d/%m/%Y")},
        )
    return request


@transaction.atomic
def request_update(*, actor, request: ReportRequest, expected_version: int, **changes) -> ReportRequest:
    """Change the title or the instructions; the schedule and the cells stay as they were asked."""
    allowed = {k: v for k, v in changes.items() if k in {"title", "instructions"}}
    if "title" in allowed and not allowed["title"].strip():
        raise ValidationError({"title": _("Give the report a title.")})
    return update_versioned(request, actor=actor, expected_version=expected_version, changes=allowed)


@transaction.atomic
def request_cancel(*, actor, request: ReportRequest, expected_version: int) -> None:
    """Withdraw a request made by mistake: it leaves the lists and the figures, not the history."""
    soft_delete(request, actor=actor, expected_version=expected_version, reason="cancelled")


@transaction.atomic
def round_reschedule(
    *, actor, round_: ReportRound, expected_version: int, due_date: date, due_time: time | None
) -> ReportRound:
    """Move a round's deadline (an extension for every cell); reports already accepted are judged
    again against the new deadline."""
    closes_at = rules.deadline(due_date, due_time, timezone.get_default_timezone())
    update_versioned(
        round_,
        actor=actor,
        expected_version=expected_version,
        changes={"due_date": due_date, "due_time": due_time, "closes_at": closes_at},
    )
    accepted = round_.submissions.filter(state=State.ACCEPTED).select_related("accepted_version")
    for submission in accepted:
        on_time = rules.is_on_time(submission.accepted_version.submitted_at, closes_at)
        if submission.on_time != on_time:
            submission.on_time = on_time
            save_audited(
                submission, actor=actor, reason="deadline moved", update_fields=["on_time", "updated_at"]
            )
    return round_


@transaction.atomic
def submit(
    *,
    actor,
    submission: Submission,
    values: dict,
    file: UploadedFile | None = None,
    note: str = "",
    now: datetime | None = None,
) -> SubmissionVersion:
    """A cell sends (or corrects) its report: a new version, the earlier ones kept. Refused once the
    office has accepted it. A correction without a new file keeps the file last sent."""
    now = now or timezone.now()
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__request__organization", "cell")
        .get(pk=submission.pk)
    )
    request = submission.round.request
    if submission.state == State.ACCEPTED:
        raise ValidationError(_("This report has been accepted; it can no longer be changed."))
    cleaned, errors = rules.clean_values(request.form_fields, values)
    if errors:
        raise ValidationError(errors)
    previous = submission.versions.order_by("-number").first()
    if file is not None:
        check_upload(file, "file")
    if request.requires_file and file is None and not (previous and previous.file):
        raise ValidationError({"file": _("Attach the report's file.")})
    version = SubmissionVersion(
        submission=submission,
        number=(previous.number + 1) if previous else 1,
        submitted_at=now,
        submitted_by=actor,
        values=cleaned,
        note=note.strip(),
    )
    if file is not None:
        version.file_name = stored_name(file)
        version.file.save(file.name or "file", file, save=False)
    elif previous and previous.file:
        version.file, version.file_name = previous.file.name, previous.file_name
    version.save()
    submission.state = State.SUBMITTED
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.last_submitted_at = now
    submission.return_reason = ""
    submission.version += 1
    save_audited(submission, actor=actor, reason=f"version {version.number}")
    office = org_selectors.office_users(request.organization)
    notifications.notify(
        recipients=office,
        kind="reports.submitted",
        key=f"reports.submitted.{submission.pk}.{version.number}",
        subject=_("%(cell)s sent “%(title)s” (%(period)s)")
        % {"cell": submission.cell.name, "title": request.title, "period": submission.round.label},
        url=submission.get_absolute_url(),
        scope_path=submission.cell.path,
    )
    return version


def _latest_to_review(submission: Submission) -> SubmissionVersion:
    if submission.state != State.SUBMITTED:
        raise ValidationError(_("Only a report sent and not yet reviewed can be accepted or returned."))
    latest = submission.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Nothing has been sent yet."))
    return latest


@transaction.atomic
def accept(
    *, actor, submission: Submission, expected_version: int, now: datetime | None = None
) -> Submission:
    """The office accepts the latest version: on time when it came by the deadline."""
    latest = _latest_to_review(submission)
    return update_versioned(
        submission,
        actor=actor,
        expected_version=expected_version,
        changes={
            "state": State.ACCEPTED,
            "accepted_version": latest,
            "on_time": rules.is_on_time(latest.submitted_at, submission.round.closes_at),
            "reviewed_by": actor,
            "reviewed_at": now or timezone.now(),
            "return_reason": "",
        },
    )


@transaction.atomic
def return_incomplete(
    *, actor, submission: Submission, expected_version: int, reason: str, now: datetime | None = None
) -> Submission:
    """The office returns the latest version as incomplete, saying why; the cell sends again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is missing or wrong.")})
    _latest_to_review(submission)
    update_versioned(
        submission,
        actor=actor,
        expected_version=expected_version,
        changes={
            "state": State.RETURNED,
            "reviewed_by": actor,
            "reviewed_at": now or timezone.now(),
            "return_reason": reason,
        },
    )
    _tell_cells(
        [submission.cell],
        kind="reports.returned",
        key=f"reports.returned.{submission.pk}.{submission.version}",
        subject=_("Report returned: %(title)s (%(period)s)")
        % {"title": submission.round.request.title, "period": submission.round.label},
        body=reason,
        url=submission.get_absolute_url(),
    )
    return submission


def _tell_cells(
    cells: list[Organization],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
) -> int:
    """Notify the committee of each cell (who must act for it)."""
    users = org_selectors.committee_users([c.pk for c in cells], periods.today())
    sent = 0
    for cell in cells:
        sent += notifications.notify(
            recipients=users.get(cell.pk, []),
            kind=kind,
            key=key,
            subject=subject,
            body=body,
            url=url or reverse_cell_reports(cell),
            scope_path=cell.path,
        )
    return sent


def reverse_cell_reports(cell: Organization) -> str:
    return reverse("reports:list", args=[cell.code])
