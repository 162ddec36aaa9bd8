"""Writes of reports: requests with their rounds, sending with versions, review, metrics, reminders."""

import threading
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dangvu.core import metrics, scheduler
from dangvu.core.audit import StaleVersionError
from dangvu.core.metrics import MetricContext
from dangvu.core.models import Notification
from dangvu.core.periods import Year
from dangvu.reports import reminders, services
from dangvu.reports.choices import State, Status
from dangvu.reports.models import ReportRound, Submission
from dangvu.reports.selectors import status_of
from dangvu.testing import make_org

from .factories import at, make_request, pdf, submission_of

pytestmark = pytest.mark.django_db

DUE = date(2026, 3, 25)


def test_a_repeating_request_owes_one_submission_per_cell_and_round(world):
    request = make_request(world, due=date(2026, 1, 25), repeat_until=date(2026, 12, 31))
    assert ReportRound.objects.filter(request=request).count() == 12
    assert Submission.objects.filter(round__request=request).count() == 36
    assert set(Submission.objects.values_list("state", flat=True)) == {State.OPEN}
    # Every row is audited: the history names the office.
    first = submission_of(request, world.cell_a)
    assert first.history.get().history_user == world.office


def test_a_request_goes_only_to_cells_under_the_organisation(world):
    with pytest.raises(ValidationError):
        make_request(world, due=DUE, cells=[world.partial])  # a đảng bộ bộ phận, not a cell
    other_root = make_org(world.admin, "X", world.root.kind, name="Đảng bộ khác")
    with pytest.raises(ValidationError):
        make_request(world, due=DUE, cells=[other_root])
    with pytest.raises(ValidationError):
        make_request(world, due=DUE, form="", requires_file=False)
    assert not Submission.objects.exists()


def test_the_secretary_sends_corrects_and_the_versions_are_kept(world):
    request = make_request(world, due=DUE, requires_file=True)
    submission = submission_of(request, world.cell_a)
    with pytest.raises(ValidationError) as refused:
        services.submit(actor=world.secretary_a, submission=submission, values={"f1": "12"})
    assert "file" in refused.value.message_dict
    services.submit(
        actor=world.secretary_a, submission=submission, values={"f1": "12"}, file=pdf(), now=at(DUE, 8)
    )
    services.submit(actor=world.secretary_a, submission=submission, values={"f1": "14"}, now=at(DUE, 10))
    versions = list(submission.versions.order_by("number"))
    assert [v.values["f1"] for v in versions] == [12, 14]
    assert versions[1].file.name == versions[0].file.name  # the correction kept the file
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED
    assert submission.first_submitted_at == at(DUE, 8) and submission.last_submitted_at == at(DUE, 10)


def test_bad_values_and_files_change_nothing(world):
    request = make_request(world, due=DUE, requires_file=True)
    submission = submission_of(request, world.cell_a)
    with pytest.raises(ValidationError):
        services.submit(actor=world.secretary_a, submission=submission, values={"f1": "mười hai"}, file=pdf())
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00program", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.submit(actor=world.secretary_a, submission=submission, values={"f1": "1"}, file=fake)
    assert "file" in refused.value.message_dict
    assert not submission.versions.exists()
    submission.refresh_from_db()
    assert submission.state == State.OPEN


@pytest.mark.parametrize(
    ("sent", "expected"),
    [(at(DUE, 23, 59, 59), Status.ON_TIME), (at(DUE + timedelta(days=1), 0, 0, 0), Status.LATE)],
)
def test_on_time_is_decided_by_the_accepted_version_against_the_deadline(world, sent, expected):
    request = make_request(world, due=DUE)
    submission = submission_of(request, world.cell_a)
    services.submit(actor=world.secretary_a, submission=submission, values={"f1": "9"}, now=sent)
    submission.refresh_from_db()
    services.accept(actor=world.office, submission=submission, expected_version=submission.version)
    submission = Submission.objects.select_related("round", "accepted_version").get(pk=submission.pk)
    assert status_of(submission, at(DUE + timedelta(days=5))) == expected
    assert submission.on_time is (expected == Status.ON_TIME)


def test_returned_then_corrected_late_and_accepted_is_late(world):
    request = make_request(world, due=DUE)
    submission = submission_of(request, world.cell_a)
    services.submit(actor=world.secretary_a, submission=submission, values={"f1": "9"}, now=at(DUE, 8))
    submission.refresh_from_db()
    with pytest.raises(ValidationError):
        services.return_incomplete(
            actor=world.office, submission=submission, expected_version=submission.version, reason=" "
        )
    services.return_incomplete(
        actor=world.office, submission=submission, expected_version=submission.version, reason="Thiếu số liệu"
    )
    submission.refresh_from_db()
    assert submission.state == State.RETURNED and submission.return_reason == "Thiếu số liệu"
    # The cell's committee is told why.
    assert Notification.objects.filter(recipient=world.secretary_a, kind="reports.returned").exists()
    services.submit(
        actor=world.secretary_a, submission=submission, values={"f1": "10"}, now=at(DUE + timedelta(days=2))
    )
    submission.refresh_from_db()
    services.accept(actor=world.office, submission=submission, expected_version=submission.version)
    submission.refresh_from_db()
    assert submission.on_time is False and submission.accepted_version.number == 2


def test_an_accepted_report_cannot_be_changed_and_a_stale_review_is_refused(world):
    request = make_request(world, due=DUE)
    submission = submission_of(request, world.cell_a)
    services.submit(actor=world.secretary_a, submission=submission, values={"f1": "9"}, now=at(DUE, 8))
    submission.refresh_from_db()
    stale = submission.version - 1
    with pytest.raises(StaleVersionError):
        services.accept(actor=world.office, submission=submission, expected_version=stale)
    services.accept(actor=world.office, submission=submission, expected_version=submission.version)
    submission.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit(actor=world.secretary_a, submission=submission, values={"f1": "1"})
    with pytest.raises(ValidationError):
        services.accept(actor=world.office, submission=submission, expected_version=submission.version)


def test_sending_tells_the_office(world):
    request = make_request(world, due=DUE)
    services.submit(
        actor=world.secretary_a, submission=submission_of(request, world.cell_a), values={"f1": "9"}
    )
    note = Notification.objects.get(recipient=world.office, kind="reports.submitted")
    assert "Chi bộ A" in note.subject


def test_moving_the_deadline_judges_accepted_reports_again(world):
    request = make_request(world, due=DUE)
    submission = submission_of(request, world.cell_a)
    services.submit(
        actor=world.secretary_a, submission=submission, values={"f1": "9"}, now=at(DUE + timedelta(days=1))
    )
    submission.refresh_from_db()
    services.accept(actor=world.office, submission=submission, expected_version=submission.version)
    round_ = submission.round
    services.round_reschedule(
        actor=world.office,
        round_=round_,
        expected_version=round_.version,
        due_date=DUE + timedelta(days=3),
        due_time=None,
    )
    submission.refresh_from_db()
    assert submission.on_time is True


# ------------------------------------------------------------------------------------- metrics


def _figures(world, as_of: date) -> dict:
    ctx = MetricContext(root_path=world.root.path, year=Year(2026), as_of=as_of)
    return {
        key: metrics._registry[key].compute(ctx)
        for key in ("reports.required", "reports.on_time_pct", "reports.missing")
    }


def test_the_report_metrics_follow_the_contract(world):
    request = make_request(world, due=DUE)  # cells A, B, C
    make_request(world, due=date(2025, 12, 20), title="Năm trước")  # another year: not counted
    a, b = submission_of(request, world.cell_a), submission_of(request, world.cell_b)
    services.submit(actor=world.secretary_a, submission=a, values={"f1": "1"}, now=at(DUE, 8))
    a.refresh_from_db()
    services.accept(actor=world.office, submission=a, expected_version=a.version, now=at(DUE, 9))
    services.submit(actor=world.office, submission=b, values={"f1": "1"}, now=at(DUE + timedelta(days=2)))

    figures = _figures(world, date(2026, 12, 31))
    assert figures["reports.required"] == {"value": 3}
    assert figures["reports.on_time_pct"] == {"numerator": 1, "denominator": 3, "value": 33.3}
    assert figures["reports.missing"] == {"value": 1}  # C sent nothing; B sent late but sent
    # As of the due date, B had sent nothing yet.
    assert _figures(world, DUE)["reports.missing"] == {"value": 2}
    # The subtree of the partial committee holds only C.
    ctx = MetricContext(root_path=world.partial.path, year=Year(2026), as_of=date(2026, 12, 31))
    assert metrics._registry["reports.required"].compute(ctx) == {"value": 1}


def test_a_withdrawn_request_leaves_the_figures(world):
    request = make_request(world, due=DUE)
    services.request_cancel(actor=world.office, request=request, expected_version=request.version)
    assert _figures(world, date(2026, 12, 31))["reports.required"] == {"value": 0}


# ----------------------------------------------------------------------------------- reminders


def test_reminders_go_to_the_cells_committee_once(world, settings):
    settings.DANGVU_REMINDER_DAYS = (3, 1)
    request = make_request(world, due=DUE, due_time=time(17, 0))
    mail.outbox.clear()
    assert reminders.remind(at(DUE - timedelta(days=5))) == 0
    created = reminders.remind(at(DUE - timedelta(days=2), 17))
    assert created == 1  # cell A has a secretary with a login; B and C have nobody to tell
    assert reminders.remind(at(DUE - timedelta(days=2), 18)) == 0  # the same reminder: not again
    assert reminders.remind(at(DUE, 9)) == 1  # the 1-day reminder
    # After the deadline: the cell, and the office with one line per round.
    assert reminders.remind(at(DUE + timedelta(days=1))) == 2
    assert reminders.remind(at(DUE + timedelta(days=1), 10)) == 0
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [
        ("office", "reports.overdue_office"),
        ("secretary_a", "reports.due"),
        ("secretary_a", "reports.due"),
        ("secretary_a", "reports.overdue"),
        ("secretary_a", "reports.requested"),
    ]
    assert request.pk


def test_no_reminder_for_a_report_already_sent(world):
    request = make_request(world, due=DUE, cells=[world.cell_a])
    services.submit(
        actor=world.secretary_a, submission=submission_of(request, world.cell_a), values={"f1": "3"}
    )
    assert reminders.remind(at(DUE, 9)) == 0
    assert reminders.remind(at(DUE + timedelta(days=1))) == 0


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses a second writer at once; the two-process "
    "scheduler test of core.tests.test_notifications covers SQLite files",
)
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_remind_once(world):
    make_request(world, due=DUE, cells=[world.cell_a])
    now = at(DUE - timedelta(days=1), 12)
    start = threading.Barrier(2)
    created: list[int] = []

    def run() -> None:
        start.wait()
        try:
            created.append(scheduler.tick(now).created["reports.remind"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [0, 1]
    assert Notification.objects.filter(kind="reports.due").count() == 1
