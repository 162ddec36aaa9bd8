"""Background jobs: run once by the worker with the user's scope as it is then, their page and file
for their user only, their files deleted after a week; and the scheduler that runs the periodic jobs."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task_backends
from django.urls import reverse
from django.utils import timezone

from dangvu.core import jobs, notifications, scheduler
from dangvu.core.models import Job, JobStatus, Notification
from dangvu.core.tasks import run_job
from dangvu.organization.models import RoleGrant

pytestmark = pytest.mark.django_db


def _count_job(job, params, progress):
    for done in range(1, params["n"] + 1):
        progress(done, params["n"])
    return "dem.txt", f"{params['n']} dòng".encode()


def _broken_job(job, params, progress):
    raise RuntimeError("Nguyễn Văn A, CCCD 001080012345")  # a message with personal data in it


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # job files go to a throwaway folder


jobs.register("test.count", _count_job)
jobs.register("test.broken", _broken_job)


# The worker closes stale connections between tasks, as after a request: on PostgreSQL that needs
# tests whose data is committed.
with_worker = pytest.mark.django_db(transaction=True)


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", stdout=io.StringIO())


def _start(world, kind="test.count", user=None, path=None):
    return jobs.start(
        user=user or world.office,
        kind=kind,
        title="Đếm",
        scope_path=world.root.path if path is None else path,
        params={"n": 3},
    )


@with_worker
def test_a_job_is_queued_for_the_worker_and_run_by_it(world):
    job = _start(world)
    assert job.status == JobStatus.QUEUED
    assert task_backends["default"].get_result(job.task_result_id).status == TaskResultStatus.READY
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3)
    assert job.result.read() == "3 dòng".encode()
    assert task_backends["default"].get_result(job.task_result_id).status == TaskResultStatus.SUCCESSFUL
    assert job.history.first().history_user == world.office  # who asked for it


def test_a_job_runs_once_even_if_its_task_runs_twice(world):
    job = _start(world)
    assert run_job.call(job.pk) == JobStatus.DONE
    assert run_job.call(job.pk) == "skipped"


@with_worker
def test_a_job_whose_user_lost_access_fails_without_reading_anything(world):
    job = _start(world, path=world.cell_b.path)
    RoleGrant.objects.filter(user=world.office).delete()
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.result
    assert job.error  # "no longer have access", in the user's language


@with_worker
def test_a_failing_job_shows_the_error_type_and_never_its_message(world, caplog):
    job = _start(world, kind="test.broken")
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.error
    assert "001080012345" not in job.error and "001080012345" not in caplog.text


def test_an_unknown_kind_of_job_is_refused_at_once(world):
    with pytest.raises(ValueError):
        _start(world, kind="test.unknown")
    assert not Job.objects.exists()


# ------------------------------------------------------------------------------------ the page

PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_job_page_and_its_file_are_its_users_only(world, as_user, persona):
    job = _start(world)
    run_job.call(job.pk)
    client = as_user(getattr(world, persona))
    page = client.get(reverse("core:job", args=[job.pk]))
    download = client.get(reverse("core:job_download", args=[job.pk]))
    if persona == "office":
        assert (
            page.status_code == 200 and reverse("core:job_download", args=[job.pk]) in page.content.decode()
        )
        assert b"".join(download.streaming_content) == "3 dòng".encode()
        assert 'filename="dem.txt"' in download["Content-Disposition"]
    else:
        assert page.status_code == download.status_code == 404


def test_the_page_polls_while_the_job_runs_and_stops_when_it_is_done(world, as_user):
    job = _start(world)
    client = as_user(world.office)
    running = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running and "<html" not in running  # only the fragment
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404  # nothing yet
    run_job.call(job.pk)
    done = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and reverse("core:job_download", args=[job.pk]) in done


def test_files_older_than_a_week_are_deleted_by_the_scheduler(world, as_user):
    old, recent = _start(world), _start(world)
    run_job.call(old.pk)
    run_job.call(recent.pk)
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=8))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=6))
    assert scheduler.tick(now).files_removed == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.result and recent.result
    assert as_user(world.office).get(reverse("core:job_download", args=[old.pk])).status_code == 404


# ------------------------------------------------------------------------------------ the scheduler


@pytest.fixture
def periodic():
    """Periodic jobs registered for one test only."""
    saved = dict(scheduler._periodic)
    scheduler._periodic.clear()
    yield scheduler.register_periodic
    scheduler._periodic.clear()
    scheduler._periodic.update(saved)


def test_a_tick_runs_the_jobs_then_delivers_their_emails(world, periodic):
    world.secretary_a.email = "bithu@example.vn"
    world.secretary_a.save(update_fields=["email"])

    def remind(now):
        return notifications.notify(recipients=[world.secretary_a], kind="t", key="t.1", subject="Nhắc")

    periodic("test.remind", remind)
    first = scheduler.tick()
    assert first.created == {"test.remind": 1} and first.delivery.sent == 1
    second = scheduler.tick()  # idempotent: the same reminder is not created or sent again
    assert second.created == {"test.remind": 0} and second.delivery.sent == 0


def test_one_failing_job_does_not_stop_the_others_and_writes_nothing(world, periodic, caplog):
    def broken(now):
        notifications.notify(recipients=[world.member_a], kind="t", key="half", subject="Nửa chừng")
        raise KeyError("Hoàng Thị Đảng Viên")

    periodic("test.broken", broken)
    periodic(
        "test.ok",
        lambda now: notifications.notify(recipients=[world.member_b], kind="t", key="ok", subject="OK"),
    )
    result = scheduler.tick()
    assert result.failed == ("test.broken",) and result.created == {"test.ok": 1}
    assert not Notification.objects.filter(key="half").exists()  # its transaction was rolled back
    assert "test.broken" in caplog.text and "Hoàng" not in caplog.text


def test_the_scheduler_command_prints_one_vietnamese_line_per_tick(world, periodic):
    periodic(
        "test.remind",
        lambda now: notifications.notify(recipients=[world.member_a], kind="t", key="c", subject="S"),
    )
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line and "1 thông báo mới" in line and "0 đã gửi" in line
