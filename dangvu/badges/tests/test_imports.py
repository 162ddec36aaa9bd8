"""The import of past awards into the badge register: a good file recorded through the register's
service (members found by card number or by name and date of birth), a file with one bad row writes
nothing and names the row, an award already in the register skipped and reported, the template."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangvu.badges import imports, services
from dangvu.badges.models import Award
from dangvu.core.periods import today

from . import factories

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in imports.COLUMNS]


def _year() -> int:
    return today().year - 1


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("so.xlsx", out.getvalue())


def _row(card="", name="", born=None, years=30, awarded=None, **kw) -> list:
    values = {
        "card_number": card,
        "full_name": name,
        "date_of_birth": born,
        "years": years,
        "awarded_on": awarded or date(_year(), 8, 20),
        "decision_number": "12-QĐ/TU",
        "issuer": "Thành ủy",
    } | kw
    return [values.get(c.field) for c in imports.COLUMNS]


def _url(code="DU") -> str:
    return reverse("badges:register_import", args=[code])


def preview(client, upload):
    response = client.post(_url(), {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, previewed):
    return client.post(_url(), {"token": previewed.context["token"], "on_duplicate": "stop"})


@pytest.fixture
def people(world):
    y = _year()
    ba = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(y, 1, 10))
    ba.card_number = "01012345"
    ba.save(update_fields=["card_number"])
    nam = factories.member(world, world.cell_b, "Trần Văn Năm", date(y - 40, 1, 10), born=date(1950, 4, 2))
    return {"ba": ba, "nam": nam}


def test_a_good_file_is_previewed_then_recorded(as_user, world, people):
    client = as_user(world.office)
    upload = xlsx(
        [
            _row(card="01012345", money_paid="3.510.000 đ"),
            _row(name="Tran Van Nam", born=date(1950, 4, 2), years="40 năm"),
        ]
    )
    previewed = preview(client, upload)
    assert previewed.context["report"].ok and previewed.context["report"].created == 2
    assert not Award.objects.exists()  # a preview writes nothing
    assert confirm(client, previewed).status_code == 302
    assert set(Award.objects.values_list("member__person__full_name", "years")) == {
        ("Nguyễn Văn Ba", 30),
        ("Trần Văn Năm", 40),
    }
    assert Award.objects.get(years=30).money_paid == 3_510_000


def test_one_bad_row_writes_nothing_and_is_named(as_user, world, people):
    client = as_user(world.office)
    bad = _row(name="Tran Van Nam", born=date(1950, 4, 2), years=50)  # 40 years of Party age only
    previewed = preview(client, xlsx([_row(card="01012345"), bad, _row(card="999")]))
    problems = {(p.row, p.column) for p in previewed.context["report"].problems}
    assert (4, imports.CARD) in problems  # no such card
    assert not previewed.context["report"].ok
    previewed = preview(client, xlsx([_row(card="01012345"), bad]))
    problems = {(p.row, p.column): p.message for p in previewed.context["report"].problems}
    assert list(problems) == [(3, imports.YEARS)] and "50" in problems[(3, imports.YEARS)]
    confirm(client, previewed)
    assert not Award.objects.exists()


def test_an_award_already_in_the_register_is_skipped_and_reported(as_user, world, people):
    services.award_record(actor=world.office, member=people["ba"], years=30, awarded_on=date(_year(), 8, 20))
    client = as_user(world.office)
    previewed = preview(client, xlsx([_row(card="01012345")]))
    report = previewed.context["report"]
    assert report.ok and report.skipped == 1 and report.warnings[0].row == 2
    confirm(client, previewed)
    assert Award.objects.count() == 1


def test_a_member_outside_the_users_reach_is_not_found(as_user, world, people):
    client = as_user(world.office)
    response = client.post(
        reverse("badges:register_import", args=["CB-A"]),
        {"file": xlsx([_row(name="Trần Văn Năm", born=date(1950, 4, 2), years=40)])},
    )
    assert not response.context["report"].ok


def test_the_template_explains_its_columns(as_user, world):
    response = as_user(world.office).get(reverse("badges:register_import_template", args=["DU"]))
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][: len(HEADERS)] == HEADERS
    assert len(book.worksheets) == 2


def test_a_file_that_is_not_a_workbook_is_refused(as_user, world):
    fake = preview(as_user(world.office), SimpleUploadedFile("a.xlsx", b"=cmd|' /C calc'!A0"))
    assert "Excel" in str(fake.context["form"].errors["file"])
