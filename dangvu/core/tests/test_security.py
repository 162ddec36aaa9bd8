"""What every page promises: Vietnamese first, a strict CSP, forced password change, throttling."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from dangvu.organization.models import Person

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_pages_are_vietnamese_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    text = response.content.decode()
    assert 'lang="vi"' in text and "Đăng nhập" in text and "Log in" not in text


def test_a_user_may_choose_english_for_themself(world, as_user):
    client = as_user(world.leader)
    client.post(reverse("language_set"), {"language": "en"})
    world.leader.refresh_from_db()
    assert world.leader.language == "en"
    text = client.get(reverse("profile")).content.decode()
    assert "Log out" in text
    # ...and nobody else is affected.
    assert "Đăng xuất" in as_user(world.office).get(reverse("profile")).content.decode()


def test_pages_carry_a_csp_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()  # only <script src=...>


def test_dates_are_written_dd_mm_yyyy(world, as_user):
    text = (
        as_user(world.office)
        .get(reverse("organization:seat_edit", args=[world.secretary_a_person.seats.get().pk]))
        .content.decode()
    )
    assert 'value="01/07/2025"' in text


def test_a_printed_password_must_be_changed_before_anything_else(world, client):
    world.member_a.must_change_password = True
    world.member_a.save()
    client.force_login(world.member_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get("/api/v1/organizations").status_code == 403
    client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu",
            "new_password1": "Trời xanh 2026!",
            "new_password2": "Trời xanh 2026!",
        },
    )
    world.member_a.refresh_from_db()
    assert not world.member_a.must_change_password
    assert client.get(reverse("home")).status_code == 302  # to their own record, not the form
    assert client.get(reverse("home"))["Location"] != reverse("password_change")


def test_a_too_weak_new_password_is_refused_in_vietnamese(world, client):
    client.force_login(world.member_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "mat-khau-thu", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200 and "Mật khẩu" in response.content.decode()


def test_logins_are_throttled_after_repeated_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "office", "password": "sai"})
    response = client.post(reverse("login"), {"username": "office", "password": "mat-khau-thu"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_and_passwords_are_hashed_with_argon2(world, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    world.office.set_password("mat-khau-thu")
    world.office.save()
    assert world.office.password.startswith("argon2")
    response = client.post(reverse("login"), {"username": "office", "password": "mat-khau-thu"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.office.pk)


def test_the_404_page_shows_no_detail(world, as_user):
    response = as_user(world.member_a).get("/to-chuc/CB-B/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DANGVU_ENV": "production",
        "DANGVU_SECRET_KEY": secrets.token_urlsafe(50),
        "DANGVU_ALLOWED_HOSTS": "dangvu.example.vn",
        "DANGVU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in deployment
    result = subprocess.run(
        [sys.executable, "-m", "dangvu", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DANGVU_ENV": "production",
        "DANGVU_SECRET_KEY": "",
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "dangvu", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DANGVU_SECRET_KEY" in result.stderr


def test_logging_in_leaves_no_history_row_but_a_password_change_does(world, client):
    rows = world.office.history.count()
    client.post(reverse("login"), {"username": "office", "password": "mat-khau-thu"})
    assert world.office.history.count() == rows
    client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu",
            "new_password1": "Trời xanh 2026!",
            "new_password2": "Trời xanh 2026!",
        },
    )
    assert world.office.history.count() == rows + 1
    assert world.office.history.latest().history_user == world.office


def test_a_password_reset_by_the_office_lifts_a_lockout(world, client, settings):
    from dangvu.core.services import password_reset

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "member_a", "password": "sai"})
    password = password_reset(actor=world.office, user=world.member_a)
    response = client.post(reverse("login"), {"username": "member_a", "password": password})
    assert response.status_code == 302


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(rf, settings):
    from dangvu.core.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"  # not behind a proxy: the header is not trusted
    settings.DANGVU_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # a forged first entry is ignored


def test_a_nul_character_is_refused_with_400_and_writes_nothing(world, as_user):
    client = as_user(world.office)
    api = client.get("/api/v1/members", {"org": "CB-A\x00"})
    assert api.status_code == 400 and api.json()["detail"] == "Yêu cầu có ký tự không được phép."
    assert client.get("/to-chuc/DU/dang-vien/", {"q": "an\x00"}).status_code == 400
    body = '{"full_name": "Lê Văn\\u0000 Mới", "cell": "CB-A"}'
    assert client.post("/api/v1/members", body, content_type="application/json").status_code == 400
    assert not Person.objects.filter(full_name__startswith="Lê Văn").exists()
