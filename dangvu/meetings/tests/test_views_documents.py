"""Pages of the documents to study: who may see and change what (allowed and denied), the progress
a cell's secretary sees (their cell only), the office's forms refusing bad input with nothing
written, the file kept private, and bounded queries on the list."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.meetings.choices import Attendance, DocumentKind, SessionKind
from dangvu.meetings.models import StudyDocument, StudyObligation

from .factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% van ban\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded files go to a throwaway folder


def _form(**changes) -> dict:
    day = today()
    data = {
        "kind": DocumentKind.RESOLUTION,
        "number": "57-NQ/TW",
        "issuer": "Bộ Chính trị",
        "issued_on": "22/12/2024",
        "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ",
        "set_on": f"{day:%d/%m/%Y}",
        "study_by": f"{day + timedelta(days=30):%d/%m/%Y}",
    }
    return data | changes


def _document(world, **extra):
    """A document of the root due today: in this year's list whatever the day."""
    return set_document(world, study_by=today(), **extra)


def _studied_one(world):
    """Two members in cell A, one in cell B; a document of the root; one of cell A studied it."""
    a1, a2 = members_of(world, world.cell_a, 2)
    (b1,) = members_of(world, world.cell_b, 1)
    document = _document(world)
    session = make_session(world, world.root, SessionKind.STUDY, documents=[document])
    mark_all(
        world,
        session,
        **{str(a2.person_id): Attendance.UNEXCUSED, str(b1.person_id): Attendance.EXCUSED},
    )
    return document, (a1, a2, b1)


# ------------------------------------------------------------------------------------- the list


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_sees_the_list(as_user, world, persona, code, status):
    response = as_user(getattr(world, persona)).get(reverse("meetings:documents", args=[code]))
    assert response.status_code == status


def test_the_list_counts_the_members_who_owe_and_studied_under_the_organisation(as_user, world):
    document, _members = _studied_one(world)
    root = as_user(world.office).get(reverse("meetings:documents", args=["DU"]))
    [row] = root.context["rows"]
    assert (row.document, row.owed, row.studied) == (document, 3, 1)
    assert document.title in root.content.decode()
    cell = as_user(world.secretary_a).get(reverse("meetings:documents", args=["CB-A"]))
    [row] = cell.context["rows"]  # the secretary sees what the committee set for the whole tree
    assert (row.document, row.owed, row.studied) == (document, 2, 1)
    assert "(50%)" in cell.content.decode()


def test_only_the_office_is_offered_to_add_a_document(as_user, world):
    add = reverse("meetings:document_create", args=["DU"])
    assert add in as_user(world.office).get(reverse("meetings:documents", args=["DU"])).content.decode()
    assert add not in as_user(world.leader).get(reverse("meetings:documents", args=["DU"])).content.decode()
    page = as_user(world.secretary_a).get(reverse("meetings:documents", args=["CB-A"])).content.decode()
    assert reverse("meetings:document_create", args=["CB-A"]) not in page


def test_the_list_shows_the_documents_due_in_the_year_asked(as_user, world):
    this_year = _document(world, title="Hạn năm nay")
    next_year = set_document(world, title="Hạn năm sau", study_by=date(today().year + 1, 6, 30))
    url = reverse("meetings:documents", args=["DU"])
    client = as_user(world.office)
    assert [r.document for r in client.get(url).context["rows"]] == [this_year]
    later = client.get(f"{url}?nam={next_year.study_by.year}")
    assert [r.document for r in later.context["rows"]] == [next_year]
    for bad in ("abc", "-1", "99999", "2024'"):
        response = client.get(url, {"nam": bad})
        assert response.status_code == 200 and response.context["year"] == today().year


def test_the_list_costs_the_same_queries_for_one_document_and_for_many(as_user, world):
    members_of(world, world.cell_a, 2)
    first = _document(world, title="Văn bản 1")
    client = as_user(world.office)
    url = reverse("meetings:documents", args=["DU"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    members_of(world, world.cell_b, 3, prefix="Thêm")
    others = [_document(world, title=f"Văn bản {n}") for n in range(2, 7)]
    session = make_session(world, world.root, SessionKind.STUDY, documents=[first, *others])
    mark_all(world, session)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(many) == len(one)


# -------------------------------------------------------------------------------- adding one


def test_the_office_adds_a_document_and_the_members_then_owe_it(as_user, world):
    members_of(world, world.cell_a, 2)
    client = as_user(world.office)
    url = reverse("meetings:document_create", args=["DU"])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["set_on"].value() == today()
    data = _form(file=SimpleUploadedFile("nq57.pdf", PDF, content_type="application/pdf"))
    response = client.post(url, data)
    document = StudyDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert (document.organization, document.number, document.file_name) == (
        world.root,
        "57-NQ/TW",
        "nq57.pdf",
    )
    assert document.obligations.count() == 2


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("secretary_a", "CB-A"),
        ("leader", "DU"),
        ("inspection", "DU"),
        ("member_a", "CB-A"),
        ("stranger", "DU"),
    ],
)
def test_only_the_office_adds_a_document(as_user, world, persona, code):
    client = as_user(getattr(world, persona))
    url = reverse("meetings:document_create", args=[code])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert not StudyDocument.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"study_by": -1}, "Hạn học tập không được trước ngày giao"),
        ({"set_on": +1}, "hôm nay hoặc một ngày đã qua"),
        ({"study_by": "31/02/2025"}, "dd/mm/yyyy"),
        ({"title": "  "}, ""),
        ({"kind": "poem"}, ""),
        ({"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")}, "không phải tệp .pdf"),
        ({"file": SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00")}, ""),
    ],
)
def test_bad_input_is_refused_with_nothing_written(as_user, world, changes, message):
    # A number is days from today, read when the test runs (not when it is collected: a run that
    # crosses midnight would test today's date as tomorrow's).
    changes = {
        k: f"{today() + timedelta(days=v):%d/%m/%Y}" if isinstance(v, int) else v for k, v in changes.items()
    }
    members_of(world, world.cell_a, 1)
    response = as_user(world.office).post(reverse("meetings:document_create", args=["DU"]), _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StudyDocument.objects.exists() and not StudyObligation.objects.exists()


# --------------------------------------------------------------------------------- the detail


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("inspection", 200),
        ("secretary_a", 200),
        ("member_a", 404),
        ("member_b", 404),
        ("stranger", 404),
    ],
)
def test_who_sees_a_document(as_user, world, persona, status):
    document = set_document(world)
    assert as_user(getattr(world, persona)).get(document.get_absolute_url()).status_code == status


def test_a_document_set_by_another_committee_is_not_seen_by_the_secretary(as_user, world):
    members_of(world, world.cell_c, 1)
    document = set_document(world, organization=world.partial)
    assert as_user(world.secretary_a).get(document.get_absolute_url()).status_code == 404
    assert as_user(world.office).get(document.get_absolute_url()).status_code == 200


def test_the_office_sees_every_cell_and_the_secretary_their_own_with_the_names_not_studied(as_user, world):
    document, (a1, a2, b1) = _studied_one(world)
    office = as_user(world.office).get(document.get_absolute_url())
    assert [(r.cell.code, r.owed, r.studied) for r in office.context["progress"]] == [
        ("CB-A", 2, 1),
        ("CB-B", 1, 0),
    ]
    assert b1.person.full_name in office.content.decode()
    secretary = as_user(world.secretary_a).get(document.get_absolute_url())
    [row] = secretary.context["progress"]
    assert (row.cell, row.owed, row.studied, row.not_studied) == (world.cell_a, 2, 1, [a2])
    page = secretary.content.decode()
    assert a2.person.full_name in page and b1.person.full_name not in page and a1.person.full_name not in page


def test_the_catch_up_button_goes_to_the_viewers_own_organisation(as_user, world):
    document, _members = _studied_one(world)
    query = f"?loai=catch_up&amp;van-ban={document.pk}"
    office = as_user(world.office).get(document.get_absolute_url()).content.decode()
    assert reverse("meetings:session_create", args=["DU"]) + query in office
    secretary = as_user(world.secretary_a).get(document.get_absolute_url()).content.decode()
    assert reverse("meetings:session_create", args=["CB-A"]) + query in secretary
    assert reverse("meetings:session_create", args=["DU"]) not in secretary
    leader = as_user(world.leader).get(document.get_absolute_url()).content.decode()
    assert "kind=catch_up" not in leader
    assert reverse("meetings:document_edit", args=[document.pk]) not in leader


def test_the_sessions_that_studied_it_are_those_the_viewer_sees(as_user, world):
    document, (_a1, a2, _b1) = _studied_one(world)
    catch_up = make_session(world, world.cell_a, SessionKind.CATCH_UP, documents=[document])
    assert set(catch_up.invitations.values_list("person_id", flat=True)) == {a2.person_id}
    office = as_user(world.office).get(document.get_absolute_url())
    assert len(office.context["sessions"]) == 2
    secretary = as_user(world.secretary_a).get(document.get_absolute_url())
    assert [s.pk for s in secretary.context["sessions"]] == [catch_up.pk]


# ----------------------------------------------------------------------------------- the file


def test_the_file_is_served_to_whoever_sees_the_document_only(as_user, world):
    client = as_user(world.office)
    client.post(
        reverse("meetings:document_create", args=["DU"]),
        _form(file=SimpleUploadedFile("nq57.pdf", PDF, content_type="application/pdf")),
    )
    document = StudyDocument.objects.get()
    url = reverse("meetings:document_file", args=[document.pk])
    response = as_user(world.secretary_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="nq57.pdf"' in response["Content-Disposition"]
    for persona in ("member_a", "stranger"):
        assert as_user(getattr(world, persona)).get(url).status_code == 404
    without = set_document(world, title="Không có tệp")
    assert as_user(world.office).get(reverse("meetings:document_file", args=[without.pk])).status_code == 404


# ------------------------------------------------------------------------------------ editing


def test_the_office_corrects_a_document_and_replaces_its_file(as_user, world):
    document = set_document(world)
    client = as_user(world.office)
    url = reverse("meetings:document_edit", args=[document.pk])
    assert client.get(url).context["form"]["title"].value() == document.title
    data = _form(
        title="Nghị quyết đã sửa",
        version=document.version,
        file=SimpleUploadedFile("moi.pdf", PDF, content_type="application/pdf"),
    )
    response = client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.file_name, document.version) == ("Nghị quyết đã sửa", "moi.pdf", 2)


@pytest.mark.parametrize("persona", ["secretary_a", "leader", "inspection", "member_a", "stranger"])
def test_only_the_office_edits_or_deletes(as_user, world, persona):
    document = set_document(world)
    client = as_user(getattr(world, persona))
    url = reverse("meetings:document_edit", args=[document.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(title="Sửa trộm", version=1)).status_code == 404
    assert client.post(url, {"delete": "1", "version": 1}).status_code == 404
    document.refresh_from_db()
    assert (document.title, document.version, document.deleted_at) == ("Nghị quyết số 1", 1, None)


def test_a_stale_edit_is_refused_and_a_bad_one_writes_nothing(as_user, world):
    document = set_document(world)
    client = as_user(world.office)
    url = reverse("meetings:document_edit", args=[document.pk])
    client.post(url, _form(title="Lần sửa thứ nhất", version=1))
    stale = client.post(url, _form(title="Sửa từ trang cũ", version=1), follow=True)
    assert "người khác đã thay đổi hồ sơ này" in stale.content.decode()
    bad = client.post(url, _form(study_by=f"{today() - timedelta(days=3):%d/%m/%Y}", version=2))
    assert bad.status_code == 400
    missing = client.post(url, {k: v for k, v in _form(version=2).items() if k != "version"})
    assert missing.status_code == 400
    document.refresh_from_db()
    assert (document.title, document.version) == ("Lần sửa thứ nhất", 2)
    assert document.study_by == today() + timedelta(days=30)


def test_the_office_deletes_a_document_and_nobody_owes_it_any_more(as_user, world):
    members_of(world, world.cell_a, 1)
    document = set_document(world)
    client = as_user(world.office)
    url = reverse("meetings:document_edit", args=[document.pk])
    assert client.post(url, {"delete": "1"}).status_code == 400  # without the version
    assert client.post(url, {"delete": "1", "version": 5}).status_code == 302  # stale: refused
    assert StudyDocument.objects.filter(pk=document.pk).exists()
    response = client.post(url, {"delete": "1", "version": 1})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:documents", args=["DU"])
    assert not StudyDocument.objects.filter(pk=document.pk).exists()
    assert StudyDocument.all_objects.get(pk=document.pk).deleted_at is not None
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:documents", args=["DU"])).context["rows"] == []


def test_the_secretary_is_led_back_to_their_own_cells_list(as_user, world):
    document = _document(world)
    page = as_user(world.secretary_a).get(document.get_absolute_url()).content.decode()
    assert reverse("meetings:documents", args=["CB-A"]) in page
    assert reverse("meetings:documents", args=["DU"]) not in page
    office = as_user(world.office).get(document.get_absolute_url()).content.decode()
    assert reverse("meetings:documents", args=["DU"]) in office
