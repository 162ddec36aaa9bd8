"""The commendations register's pages (rules.md §1.10): who reads it and who writes it, the year's
list with its count and money, the XLSX, the offers from the classification turned into a
commendation without retyping (then no longer offered), corrections version-checked, deletion soft,
the service's refusals on the form, and bounded queries."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.badges import commendations as register
from dangvu.badges.choices import CommendationForm
from dangvu.badges.models import Commendation
from dangvu.classification import services as classification_services
from dangvu.classification.choices import Level
from dangvu.classification.tests.factories import SCORES, decide_all, make_members, open_campaign, propose_all
from dangvu.core.periods import today

pytestmark = pytest.mark.django_db

CERT = CommendationForm.CERTIFICATE


def _url(name: str, *args) -> str:
    return reverse(f"badges:{name}", args=args)


def _add(world, **kw) -> Commendation:
    fields = {
        "actor": world.office,
        "organization": world.cell_a,
        "form": CERT,
        "issuer": "Đảng ủy Thử nghiệm",
        "decided_on": today(),
    }
    return register.commendation_add(**(fields | kw))


def _post_fields(**kw) -> dict:
    return {
        "form": CERT,
        "issuer": "Đảng ủy Thử nghiệm",
        "decided_on": f"{today():%d/%m/%Y}",
        "reason": "",
        "rated_year": "",
        "amount": "",
    } | kw


@pytest.fixture
def excellent(world):
    """This year's campaign decided today: in CB-A one member excellent and one good, in CB-C one
    excellent; the cell CB-A excellent (exemplary)."""
    a = make_members(world, world.cell_a, 2)
    c = make_members(world, world.cell_c, 1)
    campaign = open_campaign(world, review_date=today())
    ratings = propose_all(world, campaign, world.cell_a, {a[0]: Level.EXCELLENT, a[1]: Level.GOOD})
    ratings += propose_all(world, campaign, world.cell_c, Level.EXCELLENT)
    decide_all(world, campaign, ratings, override_reason="Thành tích nổi bật (thử nghiệm)")
    rating = classification_services.cell_self_assess(
        actor=world.office,
        campaign=campaign,
        cell=world.cell_a,
        score=SCORES[Level.EXCELLENT],
        level=Level.EXCELLENT,
    )
    classification_services.cell_decide(
        actor=world.office,
        rating=rating,
        level=Level.EXCELLENT,
        expected_version=rating.version,
        exemplary=True,
        override_reason="Thử nghiệm",
    )
    return {"a": a, "c": c}


# ------------------------------------------------------------------------------------- access

READERS = [
    ("office", "DU", 200),
    ("office", "CB-B", 200),
    ("leader", "DU", 200),
    ("inspection", "DU", 200),
    ("secretary_a", "CB-A", 200),
    ("secretary_a", "DU", 404),
    ("secretary_a", "CB-B", 404),
    ("member_a", "CB-A", 404),
    ("stranger", "DU", 404),
]


@pytest.mark.parametrize(("persona", "code", "status"), READERS)
def test_who_reads_the_register_and_its_xlsx(as_user, world, persona, code, status):
    client = as_user(getattr(world, persona))
    assert client.get(_url("commendations", code)).status_code == status
    assert client.get(_url("commendations_export", code)).status_code == status


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-A", 200),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("secretary_a", "CB-A", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_records_a_commendation(as_user, world, persona, code, status):
    assert as_user(getattr(world, persona)).get(_url("commendation_add", code)).status_code == status


def test_the_anonymous_are_sent_to_log_in(client, world):
    found = _add(world)
    for url in (
        _url("commendations", "DU"),
        _url("commendations_export", "DU"),
        _url("commendation_add", "DU"),
        _url("commendation_edit", found.pk),
    ):
        assert client.get(url).status_code == 302
    assert client.post(_url("commendation_delete", found.pk)).status_code == 302


def test_a_reader_sees_the_register_without_write_buttons(as_user, world):
    found = _add(world)
    page = as_user(world.leader).get(_url("commendations", "DU")).content.decode()
    assert "Đảng ủy Thử nghiệm" in page
    assert 'id="commendation-add"' not in page and _url("commendation_edit", found.pk) not in page
    page = as_user(world.office).get(_url("commendations", "DU")).content.decode()
    assert 'id="commendation-add"' in page and _url("commendation_edit", found.pk) in page


def test_a_reader_cannot_write(as_user, world):
    found = _add(world)
    for persona in ("leader", "secretary_a", "stranger"):
        client = as_user(getattr(world, persona))
        assert client.post(_url("commendation_add", "CB-A"), _post_fields()).status_code == 404
        edit = client.post(_url("commendation_edit", found.pk), _post_fields(version=found.version))
        assert edit.status_code == 404
        assert (
            client.post(_url("commendation_delete", found.pk), {"version": found.version}).status_code == 404
        )
    assert Commendation.objects.count() == 1
    found.refresh_from_db()
    assert found.version == 1 and found.deleted_at is None


# ---------------------------------------------------------------------------------- the register


def test_the_register_lists_the_year_with_its_count_and_money(as_user, world):
    year = today().year
    _add(world, amount=702_000, reason="Hoàn thành xuất sắc nhiệm vụ")
    _add(world, organization=world.cell_b, issuer="Huyện ủy Thử", amount=2_340_000)
    _add(world, organization=world.cell_c, decided_on=today().replace(year=year - 1, day=1), amount=9)
    response = as_user(world.leader).get(_url("commendations", "DU"), {"nam": year})
    assert len(response.context["rows"]) == 2 and response.context["total"] == 3_042_000
    page = response.content.decode()
    assert "3.042.000 đ" in page and 'id="commendations-total"' in page
    last = as_user(world.leader).get(_url("commendations", "DU"), {"nam": year - 1}).context["rows"]
    assert [c.organization for c in last] == [world.cell_c]


def test_the_secretary_reads_only_the_cells_commendations(as_user, world):
    _add(world)
    _add(world, organization=world.cell_b)
    rows = as_user(world.secretary_a).get(_url("commendations", "CB-A")).context["rows"]
    assert [c.organization for c in rows] == [world.cell_a]


def test_the_xlsx_has_the_registers_columns_with_formulas_neutralised(as_user, world):
    _add(world, issuer="=HYPERLINK(1)", decision_number="12-QĐ/ĐU", amount=702_000, rated_year=today().year)
    response = as_user(world.office).get(_url("commendations_export", "DU"), {"nam": today().year})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Hình thức", "Cấp khen") and rows[0][-1] == "Tiền thưởng"
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Cấp khen"] == "'=HYPERLINK(1)"
    assert line["Khen thưởng cho"] == "Chi bộ A" and line["Tiền thưởng"] == 702_000
    assert line["Hình thức"].lower().startswith("giấy khen")
    assert len(rows) == 2


# ---------------------------------------------------------------------------------- the offers


def test_an_offer_is_recorded_without_retyping_then_no_longer_offered(as_user, world, excellent):
    client = as_user(world.office)
    member = excellent["a"][0]
    page = client.get(_url("commendations", "DU"))
    offers = page.context["offers"]
    assert {(o.offer.member, o.offer.organization) for o in offers} == {
        (member, world.cell_a),
        (excellent["c"][0], world.cell_c),
        (None, world.cell_a),
    }
    line = next(o for o in offers if o.offer.member == member)
    assert line.record_url in page.content.decode().replace("&amp;", "&")
    form = client.get(line.record_url).context["form"]
    initial = {name: form[name].value() for name in form.fields}
    assert initial["member"] == member.pk and initial["organization"] == "CB-A"
    assert initial["rated_year"] == today().year and initial["form"] == CERT
    posted = {name: "" if value is None else value for name, value in initial.items()}
    posted["decided_on"] = f"{today():%d/%m/%Y}"
    response = client.post(line.record_url, posted)
    assert response.status_code == 302
    recorded = Commendation.objects.get(member=member)
    assert recorded.organization == world.cell_a and recorded.rated_year == today().year
    assert recorded.amount == 702_000  # 0.3 × 2 340 000 (rules.md §1.10), left blank on the form
    offers = client.get(_url("commendations", "DU")).context["offers"]
    assert member not in {o.offer.member for o in offers}


def test_readers_see_the_offers_without_the_record_link(as_user, world, excellent):
    offers = as_user(world.leader).get(_url("commendations", "DU")).context["offers"]
    assert offers and all(o.record_url == "" for o in offers)


def test_a_cell_is_recorded_from_its_offer(as_user, world, excellent):
    client = as_user(world.office)
    offers = client.get(_url("commendations", "DU")).context["offers"]
    line = next(o for o in offers if o.offer.member is None)
    form = client.get(line.record_url).context["form"]
    assert form["organization"].value() == "CB-A" and form["member"].value() is None
    posted = _post_fields(organization="CB-A", rated_year=str(today().year))
    assert client.post(line.record_url, posted).status_code == 302
    assert Commendation.objects.get(member__isnull=True).organization == world.cell_a


# ---------------------------------------------------------------------------------- the writes


def test_the_services_refusals_are_shown_on_the_fields(as_user, world):
    client = as_user(world.office)
    tomorrow = f"{today() + timedelta(days=1):%d/%m/%Y}"
    response = client.post(
        _url("commendation_add", "DU"), _post_fields(organization="CB-A", decided_on=tomorrow)
    )
    assert response.status_code == 400 and response.context["form"].errors["decided_on"]
    response = client.post(_url("commendation_add", "DU"), _post_fields())
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not Commendation.objects.exists()


def test_a_member_of_another_cell_than_the_one_chosen_is_refused(as_user, world):
    member = make_members(world, world.cell_a, 1)[0]
    response = as_user(world.office).post(
        _url("commendation_add", "DU"), _post_fields(organization="CB-B", member=str(member.pk))
    )
    assert response.status_code == 400 and response.context["form"].errors["organization"]
    assert not Commendation.objects.exists()


def test_a_prefill_outside_the_subtree_is_ignored(as_user, world):
    other = make_members(world, world.cell_b, 1)[0]
    client = as_user(world.office)
    params = {"to_chuc": "CB-B", "dang_vien": str(other.pk), "nam": "abc", "hinh_thuc": "x"}
    form = client.get(_url("commendation_add", "CB-A"), params).context["form"]
    assert form["organization"].value() == "CB-A"  # the register's own cell, not CB-B
    assert (
        form["member"].value() is None and form["rated_year"].value() is None and form["form"].value() == CERT
    )
    assert (
        client.get(_url("commendation_add", "DU"), {"dang_vien": "99999999999999999999"}).status_code == 200
    )


def test_a_correction_is_saved_and_a_stale_one_refused(as_user, world):
    found = _add(world)
    client = as_user(world.office)
    url = _url("commendation_edit", found.pk) + "?ve=DU"
    assert client.get(url).status_code == 200
    response = client.post(url, _post_fields(issuer="Đảng ủy Mới", version=found.version))
    assert response.status_code == 302 and response.url.startswith(_url("commendations", "DU"))
    stale = client.post(url, _post_fields(issuer="Đảng ủy Cũ", version=found.version))
    assert stale.status_code == 302 and stale.url == url
    found.refresh_from_db()
    assert found.issuer == "Đảng ủy Mới"


def test_a_correction_refused_by_the_service_is_shown_on_its_field(as_user, world):
    found = _add(world)
    response = as_user(world.office).post(
        _url("commendation_edit", found.pk), _post_fields(rated_year="1900", version=found.version)
    )
    assert response.status_code == 400 and response.context["form"].errors["rated_year"]


def test_a_deletion_is_soft_and_needs_a_post(as_user, world):
    found = _add(world)
    client = as_user(world.office)
    assert client.get(_url("commendation_delete", found.pk)).status_code == 405
    response = client.post(_url("commendation_delete", found.pk), {"version": found.version, "ve": "DU"})
    assert response.status_code == 302 and response.url.startswith(_url("commendations", "DU"))
    assert not Commendation.objects.exists()
    assert Commendation.all_objects.get(pk=found.pk).deleted_at is not None


def test_a_stale_deletion_is_refused(as_user, world):
    found = _add(world)
    register.commendation_update(actor=world.office, commendation=found, expected_version=1, issuer="Khác")
    client = as_user(world.office)
    assert client.post(_url("commendation_delete", found.pk), {"version": 1}).status_code == 302
    assert Commendation.objects.filter(pk=found.pk).exists()


# ---------------------------------------------------------------------------------- the queries


def test_the_register_costs_the_same_queries_with_one_row_or_many(as_user, world):
    client = as_user(world.office)
    make_members(world, world.cell_a, 1, prefix="Một")
    _add(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("commendations", "DU")).status_code == 200
        return len(queries)

    count()  # warm the session
    few = count()
    members = make_members(world, world.cell_b, 3, prefix="Nhiều")
    for member in members:
        _add(world, organization=world.cell_b, member=member, amount=1)
    _add(world, organization=world.cell_c)
    assert count() == few


def test_the_add_form_costs_the_same_queries_with_one_member_or_many(as_user, world):
    client = as_user(world.office)
    make_members(world, world.cell_a, 1, prefix="Một")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("commendation_add", "DU")).status_code == 200
        return len(queries)

    count()
    few = count()
    make_members(world, world.cell_b, 4, prefix="Nhiều")
    assert count() == few
