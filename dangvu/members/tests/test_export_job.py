"""A long member export runs in the background worker: same filters, same scope, checked again when
it runs; the file is the asker's alone."""

import io
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.core.models import Job, JobStatus, PersonalDataAccess
from dangvu.organization.models import RoleGrant
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes connections as after a request


@pytest.fixture(autouse=True)
def _long_lists(settings, tmp_path):
    settings.DANGVU_EXPORT_INLINE_MAX = 1  # two members make a "long" list
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def members(world):
    make_member(world.office, world.cell_a, "Lê Văn Một", citizen_id="001000000001")
    make_member(world.office, world.cell_b, "Trần Văn Hai", citizen_id="001000000002")
    make_member(world.office, world.cell_b, "Trần Văn Ba", citizen_id="001000000003")


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def _rows(content: bytes):
    sheet = load_workbook(BytesIO(content)).active
    return [c.value for c in sheet[1]], sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_a_long_export_becomes_a_job_whose_file_keeps_the_filters(world, members, as_user):
    client = as_user(world.leader)
    response = client.get(reverse("members:list", args=["DU"]), {"q": "tran", "xuat": "xlsx"})
    job = Job.objects.get(user=world.leader)
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.scope_path == world.root.path
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2)
    download = client.get(reverse("core:job_download", args=[job.pk]))
    headers, names = _rows(b"".join(download.streaming_content))
    assert names == ["Trần Văn Ba", "Trần Văn Hai"]
    assert "Số căn cước" not in headers  # a leader gets no citizen IDs, in the background too


def test_the_keeper_gets_the_citizen_ids_and_that_showing_is_logged_when_the_job_runs(
    world, members, as_user
):
    client = as_user(world.office)
    client.get(reverse("members:list", args=["DU"]), {"xuat": "xlsx"})
    assert not PersonalDataAccess.objects.exists()  # nothing shown yet
    _work()
    job = Job.objects.get(user=world.office)
    headers, names = _rows(
        b"".join(client.get(reverse("core:job_download", args=[job.pk])).streaming_content)
    )
    assert "Số căn cước" in headers and len(names) == 3
    assert PersonalDataAccess.objects.filter(
        user=world.office, record=f"organization.Organization:{world.root.pk}"
    ).exists()


def test_a_short_export_is_still_answered_at_once(world, members, as_user, settings):
    settings.DANGVU_EXPORT_INLINE_MAX = 1000
    response = as_user(world.leader).get(reverse("members:list", args=["DU"]), {"xuat": "xlsx"})
    assert response.status_code == 200 and not Job.objects.exists()


def test_the_job_reads_nothing_when_access_was_withdrawn_before_it_ran(world, members, as_user):
    client = as_user(world.leader)
    client.get(reverse("members:list", args=["DU"]), {"xuat": "xlsx"})
    RoleGrant.objects.filter(user=world.leader).delete()
    _work()
    job = Job.objects.get(user=world.leader)
    assert job.status == JobStatus.FAILED and not job.result
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404  # no longer theirs to see


@pytest.mark.parametrize("persona", ("office", "inspection", "secretary_a", "member_a", "stranger"))
def test_no_one_else_sees_the_job_or_its_file(world, members, as_user, persona):
    as_user(world.leader).get(reverse("members:list", args=["DU"]), {"xuat": "xlsx"})
    _work()
    job = Job.objects.get(user=world.leader)
    client = as_user(getattr(world, persona))
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_someone_outside_the_scope_cannot_start_an_export(world, members, as_user):
    response = as_user(world.secretary_a).get(reverse("members:list", args=["CB-B"]), {"xuat": "xlsx"})
    assert response.status_code == 404 and not Job.objects.exists()
