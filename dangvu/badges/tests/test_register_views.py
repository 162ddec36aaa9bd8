"""The badge register's pages (issue 10, point 3): who reads it and who writes it, a year's awards
with their money (a 45-year badge needs the local amount, never 0), the grave illness hidden from
those who do not keep the member's record, the XLSX, an award added (a refused one shows the
service's message, nothing saved), corrected (a stale version refused), deleted with a reason, a
grave illness recorded, and bounded queries."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.badges import services
from dangvu.badges.choices import Early
from dangvu.badges.models import Award, Illness
from dangvu.core.models import PersonalDataAccess
from dangvu.core.periods import today

from . import factories

pytestmark = pytest.mark.django_db


def _year() -> int:
    return today().year - 1


def _award(world, member, years: int, **kw) -> Award:
    fields = {"awarded_on": date(_year(), 8, 20), "decision_number": "12-QĐ/TU", "issuer": "Thành ủy"}
    return services.award_record(actor=world.office, member=member, years=years, **(fields | kw))


def _register(client, code: str, **params):
    return client.get(reverse("badges:register", args=[code]), {"nam": _year()} | params)


def _fixture(world):
    y = _year()
    a30 = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(y, 1, 10))
    a45 = factories.reaching(world, world.cell_a, "Lê Thị Bốn", 45, date(y, 1, 10))
    b40 = factories.reaching(world, world.cell_b, "Trần Văn Năm", 40, date(y, 1, 10))
    ill = factories.reaching(world, world.cell_a, "Phạm Văn Ốm", 30, date(y, 11, 10))  # 29y9m on 20/08
    factories.illness(world, ill, date(y, 6, 1))
    return {
        "a30": _award(world, a30, 30, money_paid=3_510_000),
        "a45": _award(world, a45, 45),
        "b40": _award(world, b40, 40),
        "ill": _award(world, ill, 30, early=Early.GRAVELY_ILL),
    }


@pytest.mark.parametrize("view", ["register", "register_export"])
@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("secretary_a", "DU", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_reads_the_register(as_user, world, view, persona, code, status):
    response = as_user(getattr(world, persona)).get(reverse(f"badges:{view}", args=[code]))
    assert response.status_code == status


def test_the_anonymous_are_sent_to_log_in(client, world):
    assert _register(client, "DU").status_code == 302


def test_the_register_lists_the_years_awards_and_their_money(as_user, world):
    awards = _fixture(world)
    response = _register(as_user(world.office), "DU")
    found = response.context["register"]
    amounts = {line.award.pk: line.amount for line in found.lines}
    assert amounts[awards["a30"].pk] == 3_510_000
    assert amounts[awards["a45"].pk] is None  # needs the local amount, never 0
    assert (found.count, found.uncosted, found.paid) == (4, 1, 3_510_000)
    assert found.total == 3_510_000 * 2 + 4_680_000
    html = response.content.decode()
    assert "3.510.000 đ" in html and f"20/08/{_year()}" in html
    assert response.context["can_write"] and 'id="award-add"' in html
    # another year is empty; a badge or a name narrows it
    assert _register(as_user(world.office), "DU", nam=_year() - 1).context["register"].count == 0
    assert _register(as_user(world.office), "DU", huy_hieu=45).context["register"].count == 1
    assert _register(as_user(world.office), "DU", q="tran van").context["register"].count == 1


def test_the_illness_is_shown_only_to_the_members_keepers(as_user, world):
    _fixture(world)
    html = _register(as_user(world.leader), "DU").content.decode()
    # an ordinary award to them: "early" alone would tell the illness
    assert html.count("Tặng sớm") == html.count("Tặng sớm / truy tặng")  # the column's heading only
    assert not _register(as_user(world.leader), "DU").context["register"].lines[0].illness_shown
    assert not any(
        line.illness_shown for line in _register(as_user(world.leader), "DU").context["register"].lines
    )
    assert 'id="award-add"' not in html
    assert PersonalDataAccess.objects.count() == 0
    lines = _register(as_user(world.secretary_a), "CB-A").context["register"].lines
    assert [line.illness_shown for line in lines if line.award.early] == [True]
    assert PersonalDataAccess.objects.filter(user=world.secretary_a).count() == 1


def test_the_xlsx_has_the_pages_columns(as_user, world):
    _fixture(world)
    response = as_user(world.leader).get(reverse("badges:register_export", args=["DU"]), {"nam": _year()})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][1] == "Họ và tên" and len(rows) == 5
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Lê Thị Bốn"][11] == "Cần mức tiền địa phương"
    assert by_name["Nguyễn Văn Ba"][11] == 3_510_000
    assert by_name["Phạm Văn Ốm"][8] in ("", None)  # an ordinary award to the leader: "early" tells


def test_the_xlsx_neutralises_formulas(as_user, world):
    member = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(_year(), 1, 10))
    _award(world, member, 30, issuer="=HYPERLINK(1)")
    response = as_user(world.office).get(reverse("badges:register_export", args=["DU"]), {"nam": _year()})
    cell = load_workbook(BytesIO(response.content)).active.cell(row=2, column=7).value
    assert not str(cell).startswith("=")


def test_the_register_costs_the_same_queries_for_one_award_or_many(as_user, world):
    y = _year()
    first = factories.reaching(world, world.cell_a, "Một", 30, date(y, 1, 10))
    _award(world, first, 30)
    client = as_user(world.office)
    _register(client, "DU")
    with CaptureQueriesContext(connection) as one:
        _register(client, "DU")
    for i, cell in enumerate([world.cell_a, world.cell_b, world.cell_c, world.cell_b]):
        m = factories.reaching(world, cell, f"Người {i}", 40, date(y, 1, 10))
        _award(world, m, 40)
    with CaptureQueriesContext(connection) as many:
        assert _register(client, "DU").context["register"].count == 5
    assert len(many) == len(one)


# ------------------------------------------------------------------------------------ writes


def _fields(**kw) -> dict:
    return {
        "awarded_on": f"20/08/{_year()}",
        "decision_number": "12-QĐ/TU",
        "issuer": "Thành ủy",
        "batch": f"02/09/{_year()}",
        "early": "",
        "badge_number": "",
        "handed_over_on": "",
        "money_paid": "",
        "note": "",
    } | kw


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office", 200), ("leader", 404), ("inspection", 404), ("secretary_a", 404), ("stranger", 404)],
)
def test_who_adds_an_award(as_user, world, persona, status):
    client = as_user(getattr(world, persona))
    code = "CB-A" if persona == "secretary_a" else "DU"
    assert client.get(reverse("badges:award_add", args=[code])).status_code == status
    assert client.get(reverse("badges:register_import", args=[code])).status_code == status
    assert client.get(reverse("badges:register_import_template", args=[code])).status_code == status


def test_an_award_is_added_from_a_proposals_link(as_user, world):
    member = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(_year(), 1, 10))
    client = as_user(world.office)
    url = reverse("badges:award_add", args=["DU"])
    form = client.get(url, {"dang_vien": member.pk, "huy_hieu": 30, "dot": f"{_year()}-09-02"}).context[
        "form"
    ]
    assert (form.initial["member"], form.initial["years"]) == (member.pk, 30)
    assert form.initial["batch"] == date(_year(), 9, 2)
    response = client.post(url, _fields(member=member.pk, years=30))
    assert response.status_code == 302
    assert Award.objects.get(member=member).batch == date(_year(), 9, 2)


def test_a_refused_award_shows_the_services_message_and_saves_nothing(as_user, world):
    member = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(_year(), 1, 10))
    client = as_user(world.office)
    response = client.post(reverse("badges:award_add", args=["DU"]), _fields(member=member.pk, years=40))
    assert response.status_code == 400
    assert "years" in response.context["form"].errors
    assert not Award.objects.exists()


def test_an_award_is_corrected_and_a_stale_version_refused(as_user, world):
    member = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(_year(), 1, 10))
    award = _award(world, member, 30)
    url = reverse("badges:award_edit", args=[award.pk])
    assert as_user(world.leader).get(url).status_code == 404
    client = as_user(world.office)
    assert client.get(url).status_code == 200
    response = client.post(url, _fields(money_paid="3510000", version=award.version))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.money_paid == 3_510_000
    stale = client.post(url, _fields(money_paid="1", version=award.version - 1))
    assert stale.status_code == 302
    award.refresh_from_db()
    assert award.money_paid == 3_510_000


def test_an_award_is_deleted_with_a_reason(as_user, world):
    member = factories.reaching(world, world.cell_a, "Nguyễn Văn Ba", 30, date(_year(), 1, 10))
    award = _award(world, member, 30)
    url = reverse("badges:award_delete", args=[award.pk])
    assert as_user(world.leader).post(url, {"version": award.version, "reason": "x"}).status_code == 404
    client = as_user(world.office)
    assert client.get(url).status_code == 405
    client.post(url, {"version": award.version, "reason": ""})
    assert Award.objects.filter(pk=award.pk).exists()
    assert client.post(url, {"version": award.version, "reason": "Nhập nhầm"}).status_code == 302
    assert not Award.objects.filter(pk=award.pk).exists()


@pytest.mark.parametrize(
    ("persona", "cell", "status"),
    [
        ("office", "cell_a", 200),
        ("secretary_a", "cell_a", 200),
        ("secretary_a", "cell_b", 404),
        ("leader", "cell_a", 404),
        ("inspection", "cell_a", 404),
        ("stranger", "cell_a", 404),
    ],
)
def test_who_records_a_grave_illness(as_user, world, persona, cell, status):
    member = factories.member(world, getattr(world, cell), "Phạm Văn Ốm", date(1980, 3, 1))
    response = as_user(getattr(world, persona)).get(reverse("badges:illness_add", args=[member.pk]))
    assert response.status_code == status


def test_a_grave_illness_is_recorded_and_goes_back(as_user, world):
    member = factories.member(world, world.cell_a, "Phạm Văn Ốm", date(1980, 3, 1))
    client = as_user(world.secretary_a)
    url = reverse("badges:illness_add", args=[member.pk])
    back = reverse("badges:batch", args=["CB-A"])
    fields = {"recorded_on": f"{today():%d/%m/%Y}", "evidence": "Bệnh án số 5"}
    response = client.post(f"{url}?next={back}", fields)
    assert response.status_code == 302 and response["Location"] == back
    assert Illness.objects.filter(member=member).count() == 1
    response = client.post(url, fields | {"next": "https://evil.example/"})
    assert response["Location"] == reverse("badges:register", args=["CB-A"])
    refused = client.post(url, {"recorded_on": "", "evidence": "x"})
    assert refused.status_code == 400 and Illness.objects.filter(member=member).count() == 2


@pytest.mark.parametrize("bad", ["²", "99999999999999999999", "-1", "３０"])
def test_odd_numbers_in_the_address_are_ignored_not_a_server_error(as_user, world, bad):
    office = as_user(world.office)
    for name, params in (
        ("badges:register", {"huy_hieu": bad, "nam": bad}),
        ("badges:register_export", {"huy_hieu": bad}),
        ("badges:award_add", {"dang_vien": bad, "huy_hieu": bad}),
        ("badges:coefficient_set", {"huy_hieu": bad}),
        ("badges:commendations", {"nam": bad}),
        ("badges:commendation_add", {"dang_vien": bad, "nam": bad}),
    ):
        assert office.get(reverse(name, args=["DU"]), params).status_code == 200, name


def test_the_register_xlsx_logs_each_illness_it_shows(as_user, world):
    _fixture(world)
    response = as_user(world.office).get(reverse("badges:register_export", args=["DU"]), {"nam": _year()})
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(user=world.office).exists()
    as_user(world.leader).get(reverse("badges:register_export", args=["DU"]), {"nam": _year()})
    assert not PersonalDataAccess.objects.filter(user=world.leader).exists()
