"""Report pages: who may see and do what (allowed and denied), and bounded queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.reports import services
from dangvu.reports.choices import State
from dangvu.reports.models import ReportRequest, Submission
from dangvu.testing import make_org, make_person, make_seat

from .factories import make_request, pdf, submission_of

pytestmark = pytest.mark.django_db


def _future() -> date:
    return timezone.localdate() + timedelta(days=10)


def test_the_office_makes_a_request_from_a_template(world, as_user):
    client = as_user(world.office)
    page = client.get(reverse("reports:create", args=["DU"]) + "?mau=monthly")
    assert page.status_code == 200
    assert "Số đảng viên dự sinh hoạt (số)" in page.content.decode()
    due = _future()
    response = client.post(
        reverse("reports:create", args=["DU"]),
        {
            "title": "Báo cáo tháng",
            "period_kind": "month",
            "year": due.year,
            "number": due.month,
            "first_due": due.strftime("%d/%m/%Y"),
            "due_time": "",
            "requires_file": "on",
            "form_text": "Số đảng viên dự họp (số)",
            "all_cells": "on",
        },
    )
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert sorted(request.recipients.values_list("code", flat=True)) == ["CB-A", "CB-B", "CB-C"]


def test_a_bad_request_form_says_why_and_writes_nothing(world, as_user):
    client = as_user(world.office)
    response = client.post(
        reverse("reports:create", args=["DU"]),
        {"title": "X", "period_kind": "quarter", "year": 2026, "number": 7, "first_due": "31/02/2026"},
    )
    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.content.decode()
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize("persona", ["secretary_a", "leader", "member_a", "stranger"])
def test_only_the_office_makes_requests(world, as_user, persona):
    assert as_user(getattr(world, persona)).get(reverse("reports:create", args=["DU"])).status_code == 404


def test_the_secretary_sends_from_the_page_and_sees_the_status(world, as_user):
    request = make_request(world, due=_future(), requires_file=True)
    submission = submission_of(request, world.cell_a)
    client = as_user(world.secretary_a)
    owed = client.get(reverse("reports:list", args=["CB-A"]))
    assert submission.get_absolute_url() in owed.content.decode()
    refused = client.post(reverse("reports:send", args=[submission.pk]), {"f1": "12"})
    assert refused.status_code == 400 and not submission.versions.exists()
    sent = client.post(reverse("reports:send", args=[submission.pk]), {"f1": "12", "file": pdf()})
    assert sent.status_code == 302
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Đã nộp, chờ duyệt" in page
    version = submission.versions.get()
    download = client.get(reverse("reports:file", args=[version.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_secretary_cannot_reach_another_cells_report_nor_its_file(world, as_user):
    request = make_request(world, due=_future(), requires_file=True)
    other = submission_of(request, world.cell_b)
    version = services.submit(actor=world.office, submission=other, values={"f1": "1"}, file=pdf())
    client = as_user(world.secretary_a)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:file", args=[version.pk])).status_code == 404
    assert client.post(reverse("reports:send", args=[other.pk]), {"f1": "2"}).status_code == 404
    assert client.get(reverse("reports:list", args=["CB-B"])).status_code == 404
    assert client.get(request.get_absolute_url()).status_code == 404  # the office's own page
    # A plain member of cell A does not see the cell's reports either.
    mine = submission_of(request, world.cell_a)
    assert as_user(world.member_a).get(mine.get_absolute_url()).status_code == 404


def test_the_office_accepts_and_returns_the_leader_only_reads(world, as_user):
    request = make_request(world, due=_future())
    a, b = submission_of(request, world.cell_a), submission_of(request, world.cell_b)
    services.submit(actor=world.secretary_a, submission=a, values={"f1": "1"})
    services.submit(actor=world.office, submission=b, values={"f1": "1"})
    a.refresh_from_db()
    b.refresh_from_db()
    leader = as_user(world.leader)
    assert leader.get(a.get_absolute_url()).status_code == 200
    assert leader.post(reverse("reports:accept", args=[a.pk]), {"version": a.version}).status_code == 404
    secretary = as_user(world.secretary_a)
    assert secretary.post(reverse("reports:accept", args=[a.pk]), {"version": a.version}).status_code == 404
    office = as_user(world.office)
    office.post(reverse("reports:accept", args=[a.pk]), {"version": a.version})
    missing_reason = office.post(reverse("reports:return", args=[b.pk]), {"version": b.version, "reason": ""})
    assert missing_reason.status_code == 400
    office.post(reverse("reports:return", args=[b.pk]), {"version": b.version, "reason": "Thiếu chữ ký"})
    assert Submission.objects.get(pk=a.pk).state == State.ACCEPTED
    assert Submission.objects.get(pk=b.pk).state == State.RETURNED


def test_the_round_page_lists_every_cell_and_exports(world, as_user):
    request = make_request(world, due=_future())
    round_ = request.rounds.get()
    page = as_user(world.leader).get(round_.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert all(name in body for name in ("Chi bộ A", "Chi bộ B", "Chi bộ C"))
    export = as_user(world.office).get(round_.get_absolute_url() + "?xuat=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_user(world.secretary_a).get(round_.get_absolute_url()).status_code == 404


def test_the_organisation_page_shows_what_a_cell_owes_and_who_is_late(world, as_user):
    make_request(world, due=timezone.localdate() - timedelta(days=2), title="Báo cáo quá hạn")
    cell_page = as_user(world.secretary_a).get(reverse("organization:detail", args=["CB-A"])).content.decode()
    assert "Báo cáo quá hạn" in cell_page and "Chưa nộp" in cell_page
    root_page = as_user(world.office).get(reverse("organization:detail", args=["DU"])).content.decode()
    assert "Chi bộ B" in root_page and "quá hạn" in root_page


def _cells(world, count: int) -> list:
    prefix = f"Q{count}-"
    return [
        make_org(world.admin, f"{prefix}{i:02}", parent=world.root, name=f"Chi bộ {prefix}{i:02}")
        for i in range(count)
    ]


@pytest.mark.parametrize("view", ["round", "list", "organization"])
def test_pages_cost_the_same_queries_for_one_cell_and_fifty(world, as_user, view):
    counts = []
    for size in (1, 50):
        cells = _cells(world, size)
        request = make_request(
            world, due=timezone.localdate() - timedelta(days=1), cells=cells, title=f"R{size}"
        )
        client = as_user(world.office)
        url = {
            "round": request.rounds.get().get_absolute_url(),
            "list": reverse("reports:list", args=["DU"]),
            "organization": reverse("organization:detail", args=["DU"]),
        }[view]
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        ReportRequest.objects.update(deleted_at=timezone.now())
    assert counts[0] == counts[1]


def test_a_partial_committee_sees_what_its_cells_owe_without_links_it_cannot_open(world, as_user):
    request = make_request(world, due=_future(), title="Báo cáo của Đảng ủy")
    secretary = make_person(world.admin, world.partial, "Đinh Văn Bộ Phận", "partial_secretary")
    make_seat(world.admin, secretary, world.partial)
    page = as_user(secretary.user).get(reverse("reports:list", args=["DBBP"])).content.decode()
    round_url = request.rounds.get().get_absolute_url()
    assert "Báo cáo của Đảng ủy" in page and round_url not in page
    assert as_user(secretary.user).get(round_url).status_code == 404
    assert round_url in as_user(world.office).get(reverse("reports:list", args=["DBBP"])).content.decode()
