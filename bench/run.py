"""Benchmarks of the foundation: `make bench` (or `.venv/bin/python bench/run.py`).

1. `dangvu load_demo` into a fresh SQLite database (budget: under 2 minutes).
2. The organisation page of the demo root, the member lists and the reports page: queries and time
   per request.
3. `dangvu report annual` for the demo root, as JSON, DOCX and PDF.

Prints one line per figure; copy them into docs/performance.md with the date and machine.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DANGVU = [sys.executable, "-m", "dangvu"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DANGVU_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "dangvu.settings"}
        env.pop("DATABASE_URL", None)
        subprocess.run([*DANGVU, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [*DANGVU, "load_demo", "--today", "2026-11-27"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"load_demo (SQLite, fresh): {time.perf_counter() - started:.1f} s (budget 120 s)")
        started = time.perf_counter()
        subprocess.run(
            [*DANGVU, "report", "annual", "--year", "2026", "--format", "json"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"report annual, whole demo (incl. start-up): {time.perf_counter() - started:.2f} s")
        for fmt in ("docx", "pdf"):
            started = time.perf_counter()
            subprocess.run(
                [*DANGVU, "report", "annual", "--year", "2025", "--format", fmt, "--output", tmp],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            took = time.perf_counter() - started
            print(f"report annual as {fmt.upper()}, whole demo (incl. start-up): {took:.2f} s")
        os.environ.update(env)
        _page_figures()


def _page_figures() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from dangvu.core.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(username="vanphong"))
    for label, url in (
        ("root organisation page (65 organisations, 2,000 members)", "/to-chuc/DU-VUSTA/"),
        ("member list of the root, first page of 50", "/to-chuc/DU-VUSTA/dang-vien/"),
        ("member list searched without accents", "/to-chuc/DU-VUSTA/dang-vien/?q=nguyen+thi"),
        ("reports page of the root (what 59 cells owe, 8 requests)", "/to-chuc/DU-VUSTA/bao-cao/"),
        ("a cell's page as its secretary sees it", "/to-chuc/CB-02/"),
        ("sessions of the root this year, first page", "/to-chuc/DU-VUSTA/sinh-hoat/"),
        ("documents to study of the root, with who studied", "/to-chuc/DU-VUSTA/hoc-tap/"),
        ("the cells' year of meetings (59 cells)", "/to-chuc/DU-VUSTA/sinh-hoat/tong-hop/"),
        ("the root's inspection and supervision programme this year", "/to-chuc/DU-VUSTA/kiem-tra/"),
        ("the root's action plans", "/to-chuc/DU-VUSTA/ke-hoach/"),
        ("the register of regulation reviews (59 cells)", "/to-chuc/DU-VUSTA/quy-che/"),
        ("the candidates of the root's cells", "/to-chuc/DU-VUSTA/phat-trien/"),
        ("the next badge batch of the root: candidates and proposals", "/to-chuc/DU-VUSTA/huy-hieu/dot/"),
        ("the badge register of the root this year", "/to-chuc/DU-VUSTA/huy-hieu/so/"),
        ("next year's badge budget of the root", "/to-chuc/DU-VUSTA/huy-hieu/du-toan/"),
        ("the commendations register of the root this year", "/to-chuc/DU-VUSTA/khen-thuong/"),
        ("the root's targets against the figures", "/to-chuc/DU-VUSTA/chi-tieu/"),
        ("the root's dashboard (targets, 5 figures month by month, charts)", "/to-chuc/DU-VUSTA/tong-quan/"),
        ("the drill-down of the on-time reports figure", "/to-chuc/DU-VUSTA/chi-so/reports.on_time_pct/"),
        ("the drill-down of the members figure (2,000)", "/to-chuc/DU-VUSTA/chi-so/members.total/"),
        ("the root's document register", "/to-chuc/DU-VUSTA/van-ban/"),
    ):
        _measure(client, connection, label, url)
    from dangvu.meetings.models import Session

    latest = Session.objects.filter(organization__code="CB-02", kind="regular", state="held").first()
    _measure(client, connection, "a cell meeting's attendance sheet", f"/sinh-hoat/{latest.pk}/diem-danh/")
    from dangvu.programme.models import ActionPlan

    plan = ActionPlan.objects.filter(organization__code="DU-VUSTA").order_by("-adopted_on").first()
    _measure(
        client, connection, "an action plan with its tasks and the cells' notes", plan.get_absolute_url()
    )
    from dangvu.documents.models import Document

    report = Document.objects.filter(organization__code="DU-VUSTA", doc_type="annual_report").first()
    _measure(
        client,
        connection,
        "the demo's annual report: its page with the draft's text",
        report.get_absolute_url(),
    )
    client.force_login(User.objects.get(username="dangvien.cb02"))
    _measure(client, connection, "a member's own page (their sessions, study, attendance)", "/cua-toi/")


def _measure(client, connection, label: str, url: str) -> None:
    client.get(url)  # warm caches and templates
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - started)
    print(
        f"{label}: {len(queries)} queries, median {statistics.median(times) * 1000:.0f} ms over 20 requests"
    )


if __name__ == "__main__":
    main()
