"""Notifications: once per user and key, e-mailed once, retried when the mail server fails, shown to
the office when they keep failing; the pages with the personas."""

import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.core import notifications
from dangvu.core.models import EmailStatus, Notification
from dangvu.organization import services as org_services
from dangvu.organization.choices import AccessRole
from dangvu.testing import make_user

pytestmark = pytest.mark.django_db

FAILING = {"default": {"BACKEND": "dangvu.core.tests.test_notifications.FailingBackend"}}


class FailingBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def _with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])


def _notify(users, key="reports.due.1.3", path="", **extra):
    return notifications.notify(
        recipients=users,
        kind="reports.due",
        key=key,
        subject="Hạn nộp báo cáo quý I",
        scope_path=path,
        **extra,
    )


# ------------------------------------------------------------------------------------ notify


def test_notifying_twice_with_the_same_key_creates_one_notification_and_one_email(world):
    _with_email(world.secretary_a)
    assert _notify([world.secretary_a], url="/bao-cao/1/") == 1
    assert _notify([world.secretary_a], url="/bao-cao/1/") == 0
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 1
    assert notifications.deliver_pending().sent == 1
    assert notifications.deliver_pending().claimed == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["secretary_a@example.vn"]
    assert "http://127.0.0.1:8000/bao-cao/1/" in mail.outbox[0].body


def test_a_new_recipient_of_the_same_key_is_told_and_the_others_are_not_told_again(world):
    assert _notify([world.secretary_a]) == 1
    assert _notify([world.secretary_a, world.member_a, world.member_a]) == 1
    assert Notification.objects.count() == 2


def test_inactive_users_are_not_notified(world):
    world.stranger.is_active = False
    world.stranger.save(update_fields=["is_active"])
    assert _notify([world.stranger]) == 0


def test_a_notification_links_only_inside_the_site(world):
    with pytest.raises(ValueError):
        _notify([world.member_a], url="https://example.com/")
    with pytest.raises(ValueError):
        _notify([world.member_a], url="//example.com/")


def test_a_user_without_an_email_address_gets_the_notification_in_the_app_only(world, as_user):
    _notify([world.member_a])
    notification = Notification.objects.get(recipient=world.member_a)
    assert notification.email_status == EmailStatus.NONE
    assert notifications.deliver_pending().claimed == 0 and mail.outbox == []
    assert (
        "Hạn nộp báo cáo quý I" in as_user(world.member_a).get(reverse("core:notifications")).content.decode()
    )


def test_the_email_is_in_the_recipients_language(world):
    _with_email(world.secretary_a)
    world.secretary_a.language = "en"
    world.secretary_a.save(update_fields=["language"])
    _notify([world.secretary_a], url="/bao-cao/1/")
    notifications.deliver_pending()
    assert "Open: http://127.0.0.1:8000/bao-cao/1/" in mail.outbox[0].body


# ------------------------------------------------------------------------------------ delivery


def test_a_row_claimed_by_one_process_is_not_sent_by_another(world):
    _with_email(world.secretary_a, world.office)
    _notify([world.secretary_a, world.office])
    now = timezone.now()
    ids = list(Notification.objects.values_list("pk", flat=True))
    first = notifications._claim(ids, now)  # process A claims, and has not sent yet
    assert len(first) == 2
    assert notifications.deliver_pending(now).claimed == 0  # process B finds nothing to do
    for notification in first:
        notifications._send(notification, now)  # A sends
    assert notifications.deliver_pending(now + timedelta(hours=1)).claimed == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["office@example.vn", "secretary_a@example.vn"]


def test_a_claim_left_by_a_crashed_process_is_taken_again_when_it_runs_out(world):
    _with_email(world.secretary_a)
    _notify([world.secretary_a])
    now = timezone.now()
    notifications._claim(list(Notification.objects.values_list("pk", flat=True)), now)  # then it dies
    assert notifications.deliver_pending(now + timedelta(minutes=1)).claimed == 0
    later = now + timedelta(seconds=notifications.CLAIM_SECONDS + 1)
    assert notifications.deliver_pending(later).sent == 1
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_recorded_retried_later_and_shown_to_the_office(world, settings, as_user):
    _with_email(world.secretary_a)
    _notify([world.secretary_a], path=world.cell_a.path)
    now = timezone.now()
    settings.MAILERS = FAILING
    assert notifications.deliver_pending(now).retrying == 1
    notification = Notification.objects.get()
    assert notification.email_status == EmailStatus.PENDING and notification.email_attempts == 1
    assert notification.email_error == (
        "secretary_a@example.vn: SMTPServerDisconnected: Connection unexpectedly closed"
    )
    assert notification.next_attempt_at == now + timedelta(minutes=5)
    assert notifications.deliver_pending(now + timedelta(minutes=4)).claimed == 0  # backing off
    assert notifications.deliver_pending(now + timedelta(minutes=6)).retrying == 1  # tried again
    notification.refresh_from_db()
    assert notification.email_attempts == 2
    assert notification.next_attempt_at == now + timedelta(minutes=6 + 15)

    page = as_user(world.office).get(reverse("core:delivery_failures")).content.decode()
    assert "secretary_a@example.vn" in page and "SMTPServerDisconnected" in page

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = as_user(world.office).post(reverse("core:delivery_retry", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and len(mail.outbox) == 1
    assert (
        "SMTPServerDisconnected"
        not in as_user(world.office).get(reverse("core:delivery_failures")).content.decode()
    )


def test_after_five_failures_the_email_is_given_up_and_a_retry_gives_it_one_more_try(world, settings):
    _with_email(world.secretary_a)
    _notify([world.secretary_a], path=world.cell_a.path)
    settings.MAILERS = FAILING
    when = timezone.now()
    for _attempt in range(5):
        notifications.deliver_pending(when)
        when += timedelta(days=1)
    notification = Notification.objects.get()
    assert notification.email_status == EmailStatus.FAILED and notification.email_attempts == 5
    assert notifications.deliver_pending(when + timedelta(days=30)).claimed == 0  # given up for good
    notifications.retry(actor=world.office, notification=notification)
    assert notifications.deliver_pending(timezone.now() + timedelta(seconds=1)).failed == 1
    assert notification.history.first().history_user == world.office  # the retry is audited


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses a second writer at once ('table is locked'); "
    "the SQLite file of a deployment makes it wait: see the two-process test below",
)
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_running_at_the_same_time_send_each_email_once(world):
    users = [make_user(f"user{i}", email=f"user{i}@example.vn") for i in range(30)]
    _notify(users)
    start = threading.Barrier(2)
    results = []

    def deliver():
        start.wait()
        try:
            results.append(notifications.deliver_pending(limit=20))
            results.append(notifications.deliver_pending(limit=20))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4  # both ran to the end
    assert sum(r.sent for r in results) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


_DELIVER_AT = """
import os, time, django
django.setup()
from dangvu.core.notifications import deliver_pending
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
print("SENT", deliver_pending(limit=20).sent, deliver_pending(limit=20).sent, flush=True)
"""

_SETUP = """
import django
django.setup()
from dangvu.core.models import User
from dangvu.core.notifications import notify
users = [User.objects.create(username=f"user{i}", email=f"user{i}@example.vn") for i in range(30)]
print(notify(recipients=users, kind="t", key="t.1", subject="Nhắc"))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL is tested with two threads above")
def test_two_scheduler_processes_on_a_sqlite_file_send_each_email_once(tmp_path):
    env = {
        **os.environ,
        "DANGVU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
        "DANGVU_EMAIL_BACKEND": "console",
        "START_AT": "0",
    }
    env.pop("DATABASE_URL", None)
    python = [sys.executable, "-c"]
    subprocess.run([sys.executable, "-m", "dangvu", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    assert (
        subprocess.run([*python, _SETUP], env=env, check=True, capture_output=True, text=True).stdout
        == "30\n"
    )
    env["START_AT"] = str(time.time() + 3)  # both processes deliver at the same moment
    processes = [
        subprocess.Popen([*python, _DELIVER_AT], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    recipients = re.findall(r"^To: (\S+)$", "".join(outputs), re.M)
    assert sorted(recipients) == sorted(f"user{i}@example.vn" for i in range(30))  # each once
    sent = [int(n) for out in outputs for n in re.search(r"SENT (\d+) (\d+)", out).groups()]
    assert sum(sent) == 30


# ------------------------------------------------------------------------------------ pages

PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_their_own_notifications_and_no_one_elses(world, as_user, persona):
    notifications.notify(recipients=[world.member_b], kind="x", key="k", subject="Chỉ cho B")
    notifications.notify(recipients=[getattr(world, persona)], kind="x", key="mine", subject="Của tôi")
    client = as_user(getattr(world, persona))
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Của tôi" in page
    assert ("Chỉ cho B" in page) == (persona == "member_b")
    other = Notification.objects.get(recipient=world.member_b, key="k")
    assert client.get(reverse("core:notification_open", args=[other.pk])).status_code == (
        302 if persona == "member_b" else 404
    )


def test_anonymous_visitors_are_sent_to_the_login_page(world, client):
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world, as_user):
    _notify([world.secretary_a], url="/to-chuc/CB-A/")
    notification = Notification.objects.get()
    client = as_user(world.secretary_a)
    assert '<span class="badge">1' in client.get(reverse("profile")).content.decode()
    response = client.get(reverse("core:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/to-chuc/CB-A/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert '<span class="badge">' not in client.get(reverse("profile")).content.decode()


def test_mark_all_read_marks_only_the_users_own(world, as_user):
    _notify([world.secretary_a, world.member_a])
    as_user(world.secretary_a).post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(recipient=world.secretary_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.member_a, read_at__isnull=True).exists()


def test_the_notifications_page_costs_the_same_for_1_row_and_50(world, as_user):
    client = as_user(world.secretary_a)
    _notify([world.secretary_a], key="first")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:notifications"))
    for i in range(49):
        _notify([world.secretary_a], key=f"more.{i}")
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("core:notifications"))
    assert response.content.decode().count('class="unread"') == 30  # one page
    assert len(one) == len(fifty)
    second = client.get(reverse("core:notifications"), {"trang": 2}).content.decode()
    oldest = Notification.objects.get(key="first")
    assert second.count('class="unread"') == 20
    assert reverse("core:notification_open", args=[oldest.pk]) in second  # newest first: the oldest is last


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_delivery_failures_page_is_the_offices_and_404_for_everyone_else(world, as_user, persona):
    response = as_user(getattr(world, persona)).get(reverse("core:delivery_failures"))
    assert response.status_code == (200 if persona == "office" else 404)


def test_the_office_sees_failures_in_its_subtree_only_and_retries_only_those(world, settings, as_user):
    office_p = make_user("office_p")
    org_services.role_grant(
        actor=world.admin, user=office_p, role=AccessRole.OFFICE, organization=world.partial
    )
    _with_email(world.secretary_a, world.member_b)
    _notify([world.secretary_a], key="a", path=world.cell_a.path)
    _notify([world.member_b], key="c", path=world.cell_c.path)
    settings.MAILERS = FAILING
    notifications.deliver_pending()
    page = as_user(office_p).get(reverse("core:delivery_failures")).content.decode()
    assert "member_b@example.vn" in page and "secretary_a@example.vn" not in page
    outside = Notification.objects.get(key="a")
    assert as_user(office_p).post(reverse("core:delivery_retry", args=[outside.pk])).status_code == 404
    assert as_user(world.leader).post(reverse("core:delivery_retry", args=[outside.pk])).status_code == 404
    root_page = as_user(world.office).get(reverse("core:delivery_failures")).content.decode()
    assert "member_b@example.vn" in root_page and "secretary_a@example.vn" in root_page


def test_the_delivery_failures_page_costs_the_same_for_1_row_and_50(world, settings, as_user):
    settings.MAILERS = FAILING
    users = [make_user(f"user{i}", email=f"user{i}@example.vn") for i in range(50)]
    client = as_user(world.office)
    _notify(users[:1], path=world.cell_a.path)
    notifications.deliver_pending()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:delivery_failures"))
    _notify(users, path=world.cell_a.path)
    notifications.deliver_pending()
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("core:delivery_failures"))
    assert response.content.decode().count("user4") >= 1
    assert len(one) == len(fifty)
