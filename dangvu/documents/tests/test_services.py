"""The register: a draft is edited, then issued with the next number of its issuer, type and year
(or term); a number assigned elsewhere may be typed; no two documents ever share a number."""

import hashlib
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dangvu.core.audit import StaleVersionError
from dangvu.core.periods import today
from dangvu.documents import selectors, services
from dangvu.documents.choices import DocState, DocType, Numbering
from dangvu.documents.models import Document

from .factories import docx_lines, issue, make_draft

pytestmark = pytest.mark.django_db


def test_a_draft_is_stored_with_its_author_figures_revision_and_checksum(world):
    document = make_draft(world.office, world.root)
    assert document.state == DocState.DRAFT and document.number is None
    assert document.created_by == world.office
    assert document.type_symbol == "BC" and document.template_revision
    assert document.figures["metrics"]["classification.cells.good_pct"]["value"] == 78.0
    assert document.content_sha256 == selectors.content_sha256(document.content, document.figures)
    assert document.history.first().history_user == world.office


def test_numbers_run_per_issuer_per_type_and_restart_each_year(world):
    last_year = date(today().year - 1, 12, 30)
    first = issue(world, make_draft(world.office, world.root), day=last_year)
    second = issue(world, make_draft(world.office, world.root), day=last_year)
    other_type = issue(world, make_draft(world.office, world.root, doc_type=DocType.MINUTES), day=last_year)
    other_issuer = issue(world, make_draft(world.office, world.cell_a), day=last_year)
    this_year = issue(world, make_draft(world.office, world.root), day=today())
    assert (first.number, second.number, other_type.number, other_issuer.number) == (1, 2, 1, 1)
    assert this_year.number == 1 and this_year.period == str(today().year)
    # the six-month review shares BC with the annual report: one run of numbers for the type symbol
    review = issue(world, make_draft(world.office, world.root, doc_type=DocType.MIDYEAR_REPORT), day=today())
    assert review.number == 2


def test_a_committee_numbering_by_term_does_not_restart_in_january(world):
    term = date(today().year - 1, 1, 1)
    services.settings_save(
        actor=world.office,
        organization=world.root,
        values={"numbering": Numbering.TERM, "term_starts_on": term},
        expected_version=None,
    )
    before = issue(world, make_draft(world.office, world.root), day=date(today().year - 1, 6, 1))
    after = issue(world, make_draft(world.office, world.root), day=today())
    assert (before.number, after.number) == (1, 2)


def test_the_issued_document_keeps_its_files_with_the_number_and_date(world):
    document = issue(world, make_draft(world.office, world.root), day=date(2026, 1, 5))
    assert document.state == DocState.ISSUED and document.issued_by == world.office
    assert document.docx_sha256 and document.pdf_sha256
    text = docx_lines(selectors.rendered(document, "docx", today()))
    assert "Số 01-BC/ĐU" in text and "ngày 05 tháng 01 năm 2026" in text
    stored = Document.objects.get(pk=document.pk)
    assert selectors.rendered(stored, "pdf", today()).startswith(b"%PDF")
    assert hashlib.sha256(selectors.rendered(stored, "docx", today())).hexdigest() == stored.docx_sha256


def test_a_number_assigned_elsewhere_is_typed_and_the_register_continues_after_it(world):
    typed = issue(world, make_draft(world.office, world.root), number=14)
    assert typed.number == 14 and typed.number_typed
    following = issue(world, make_draft(world.office, world.root))
    assert following.number == 15 and not following.number_typed


def test_a_typed_number_already_given_is_refused_and_nothing_changes(world):
    issue(world, make_draft(world.office, world.root))
    draft = make_draft(world.office, world.root)
    with pytest.raises(ValidationError, match="01-BC/ĐU"):
        issue(world, draft, number=1)
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT and draft.number is None and not draft.docx


def test_a_number_typed_ahead_is_skipped_by_the_register(world):
    issue(world, make_draft(world.office, world.root))  # 1
    issue(world, make_draft(world.office, world.root), number=2)  # typed, not bumped past: last is 2
    assert issue(world, make_draft(world.office, world.root)).number == 3


@pytest.mark.parametrize("number", [0, -1, 100_000])
def test_impossible_numbers_and_future_dates_are_refused(world, number):
    draft = make_draft(world.office, world.root)
    with pytest.raises(ValidationError):
        issue(world, draft, number=number)
    with pytest.raises(ValidationError):
        issue(world, draft, day=today() + timedelta(days=1))
    draft.refresh_from_db()
    assert draft.state == DocState.DRAFT


def test_an_issued_document_is_neither_issued_again_nor_edited_nor_deleted(world):
    document = issue(world, make_draft(world.office, world.root))
    with pytest.raises(ValidationError):
        issue(world, document)
    with pytest.raises(ValidationError):
        services.draft_text_update(
            actor=world.office, document=document, expected_version=document.version, texts={0: "x"}
        )
    with pytest.raises(ValidationError):
        services.draft_delete(actor=world.office, document=document, expected_version=document.version)


def test_the_office_edits_the_text_around_the_figures_before_issuing(world):
    draft = make_draft(world.office, world.root)
    sha, version = draft.content_sha256, draft.version
    edited = services.draft_text_update(
        actor=world.office,
        document=draft,
        expected_version=draft.version,
        texts={1: "Một số chi bộ gửi báo cáo chậm.\n\n- Chi bộ A;"},
        addressee="Kính gửi: Ban Thường vụ",
    )
    assert edited.content["sections"][1]["text"].startswith("Một số chi bộ")
    assert edited.content["addressee"] == "Kính gửi: Ban Thường vụ"
    assert edited.content_sha256 != sha and edited.version == version + 1
    with pytest.raises(StaleVersionError):  # a second form read before the edit
        services.draft_text_update(actor=world.office, document=draft, expected_version=1, texts={1: "cũ"})
    with pytest.raises(ValidationError):  # a fixed part, or one that does not exist
        services.draft_text_update(
            actor=world.office, document=edited, expected_version=edited.version, texts={2: "x"}
        )
    with pytest.raises(ValidationError):
        services.draft_text_update(
            actor=world.office, document=edited, expected_version=edited.version, texts={9: "x"}
        )


def test_a_draft_is_deleted_softly(world):
    draft = make_draft(world.office, world.root)
    services.draft_delete(actor=world.office, document=draft, expected_version=draft.version)
    assert not Document.objects.filter(pk=draft.pk).exists()
    assert Document.all_objects.get(pk=draft.pk).deleted_at is not None


def test_the_letterhead_comes_from_the_organisation_and_the_office_may_set_it(world):
    head = selectors.letterhead(world.root, today())
    assert (head.issuer, head.issuer_symbol, head.authority) == ("ĐẢNG ỦY THỬ NGHIỆM", "ĐU", "T/M ĐẢNG ỦY")
    cell = selectors.letterhead(world.cell_a, today())
    assert (cell.superior, cell.issuer, cell.issuer_symbol) == ("ĐẢNG BỘ THỬ NGHIỆM", "CHI BỘ A", "CB")
    assert cell.signer_name == "Nguyễn Văn Bí Thư"  # the cell's current secretary
    services.settings_save(
        actor=world.office,
        organization=world.root,
        values={"superior": "ĐẢNG BỘ KHỐI", "place": "Hà Nội", "type_symbols": {DocType.MINUTES: "BBSH"}},
        expected_version=None,
    )
    head = selectors.letterhead(world.root, today())
    assert (head.superior, head.place) == ("ĐẢNG BỘ KHỐI", "Hà Nội")
    assert selectors.letterhead(world.cell_c, today()).place == "Hà Nội"  # set above, two levels up
    assert make_draft(world.office, world.root, doc_type=DocType.MINUTES).type_symbol == "BBSH"


@pytest.mark.parametrize(
    "values",
    [
        {"numbering": Numbering.TERM},
        {"type_symbols": {DocType.MINUTES: "B B"}},
        {"type_symbols": {DocType.MINUTES: "BB/1"}},
    ],
)
def test_bad_settings_are_refused(world, values):
    with pytest.raises(ValidationError):
        services.settings_save(
            actor=world.office, organization=world.root, values=values, expected_version=None
        )


# ------------------------------------------------------------------ concurrency


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses a second writer at once; the two-process test "
    "below covers a SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_documents_issued_at_the_same_moment_never_share_a_number(world):
    drafts = [make_draft(world.office, world.root) for _ in range(6)]
    start = threading.Barrier(len(drafts))
    errors: list[Exception] = []

    def issue_at_once(document):
        start.wait()
        try:
            issue(world, document)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_at_once, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.filter(state=DocState.ISSUED).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


_SETUP = """
import django
django.setup()
from dangvu.testing import make_world
from dangvu.documents.tests.factories import make_draft
world = make_world()
print(",".join(str(make_draft(world.office, world.root).pk) for _ in range(6)))
"""

_ISSUE_AT = """
import os, sys, time, django
django.setup()
from dangvu.core.models import User
from dangvu.core.periods import today
from dangvu.documents import services
from dangvu.documents.models import Document
office = User.objects.get(username="office")
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
for pk in sys.argv[1].split(","):
    document = Document.objects.get(pk=pk)
    services.issue(actor=office, document=document, expected_version=document.version, issued_on=today())
print("DONE", flush=True)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL is tested with six threads above")
def test_two_processes_issuing_on_a_sqlite_file_never_share_a_number(tmp_path):
    env = {
        **os.environ,
        "DANGVU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
        "START_AT": "0",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "dangvu", "migrate", "-v", "0"], env=env, check=True, timeout=180)
    ids = (
        subprocess.run([sys.executable, "-c", _SETUP], env=env, check=True, capture_output=True, text=True)
        .stdout.strip()
        .split(",")
    )
    env["START_AT"] = str(time.time() + 4)  # both processes issue at the same moment
    halves = [",".join(ids[:3]), ",".join(ids[3:])]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _ISSUE_AT, half],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in halves
    ]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert all(out.strip() == "DONE" for out, _err in outputs), outputs
    check = (
        "import django; django.setup(); from dangvu.documents.models import Document; "
        "print(sorted(Document.objects.values_list('number', flat=True)))"
    )
    numbers = subprocess.run(
        [sys.executable, "-c", check], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert numbers.strip() == "[1, 2, 3, 4, 5, 6]"


def test_an_issued_number_keeps_the_issuers_symbol_of_its_day(world):
    document = issue(world, make_draft(world.office, world.root))
    services.settings_save(
        actor=world.office, organization=world.root, values={"issuer_symbol": "ĐUK"}, expected_version=None
    )
    assert Document.objects.get(pk=document.pk).number_line == "Số 01-BC/ĐU"
    assert issue(world, make_draft(world.office, world.root)).number_line == "Số 02-BC/ĐUK"


def test_the_office_edits_the_recipients_and_control_characters_are_cleaned(world):
    draft = make_draft(world.office, world.root)
    edited = services.draft_text_update(
        actor=world.office,
        document=draft,
        expected_version=draft.version,
        texts={0: "Kết quả\x0bdòng sau\x07"},
        recipients=["Ban Thường vụ Đảng ủy Khối (để báo cáo),", "", "- Lưu VP."],
    )
    assert edited.content["sections"][0]["text"] == "Kết quả\ndòng sau"
    assert edited.content["recipients"] == ["- Ban Thường vụ Đảng ủy Khối (để báo cáo),", "- Lưu VP."]


def test_a_date_of_issue_long_before_the_documents_year_is_refused(world):
    draft = make_draft(world.office, world.root, year=2025)
    with pytest.raises(ValidationError, match="2024"):
        issue(world, draft, day=date(2023, 12, 31))
    assert issue(world, draft, day=date(2024, 12, 20)).number == 1  # written before the year is fine


def test_two_office_users_saving_the_first_settings_do_not_overwrite_each_other(world):
    services.settings_save(
        actor=world.office, organization=world.root, values={"place": "Hà Nội"}, expected_version=None
    )
    with pytest.raises(StaleVersionError):  # the second form was read when there were no settings
        services.settings_save(
            actor=world.office, organization=world.root, values={"place": "Huế"}, expected_version=None
        )
    assert selectors.letterhead(world.root, today()).place == "Hà Nội"
    with pytest.raises(ValidationError):
        services.settings_save(
            actor=world.office,
            organization=world.root,
            values={"issuer_symbol": "Đ/U 1-"},
            expected_version=1,
        )
