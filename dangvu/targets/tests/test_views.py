"""The pages of targets and of past years' figures: who reads and who writes (allowed and denied, by
persona), the targets in words against their actual values (the `>` 80 vs 80.0 boundary), adding,
correcting (stale refused), removing and copying targets, entering and removing a past figure;
refusals (400, nothing saved) and bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.periods import today
from dangvu.programme import services as programme_services
from dangvu.programme.choices import RegulationKind, ReviewKind
from dangvu.targets import services
from dangvu.targets.models import EnteredFigure, Target
from dangvu.testing import make_org

pytestmark = pytest.mark.django_db

STALE = "người khác đã thay đổi hồ sơ này"
GOOD_PCT = "classification.cells.good_pct"
REVIEWED = "regulations.cells_reviewed_pct"
NOT_MET = 'status-missing">chưa đạt</span>'
MET = 'status-on_time">đạt</span>'
READERS = ["leader", "inspection", "secretary_a", "member_a", "stranger"]


def _target(world, year, metric=GOOD_PCT, op=">", value=80, org=None, **extra):
    return services.target_add(
        actor=world.office,
        organization=org or world.root,
        year=year,
        metric=metric,
        op=op,
        value=value,
        **extra,
    )


def _written(world, year, text="Giữ gìn phẩm chất đạo đức, lối sống", note="Cả năm", org=None):
    return services.target_add(
        actor=world.office, organization=org or world.root, year=year, text=text, note=note
    )


def _figure(world, year, metric="members.total", **values):
    return services.figure_enter(
        actor=world.office, organization=world.root, year=year, metric=metric, **(values or {"value": 120})
    )


def _page(client, name, *args, **query) -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# ------------------------------------------------------------------------------ the targets page


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
def test_the_targets_page_by_persona(world, as_user, persona, code, status):
    year = today().year
    org = world.root if code == "DU" else world.cell_a
    _target(world, year, org=org)
    _written(world, year, org=org)
    response = as_user(getattr(world, persona)).get(reverse("targets:targets", args=[code]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ &gt; 80%" in page
        assert "Giữ gìn phẩm chất đạo đức, lối sống" in page and "Cả năm" in page
        assert ('id="target-add"' in page) == (persona == "office")
        assert ('id="targets-copy"' in page) == (persona == "office")
        assert ("/sua/" in page) == (persona == "office")


def test_anonymous_is_sent_to_the_login_page_from_every_page(world, client):
    target = _target(world, today().year)
    figure = _figure(world, today().year - 1)
    for method, url in [
        ("get", reverse("targets:targets", args=["DU"])),
        ("get", reverse("targets:target_add", args=["DU"])),
        ("post", reverse("targets:targets_copy", args=["DU"])),
        ("get", reverse("targets:target_edit", args=[target.pk])),
        ("get", reverse("targets:target_delete", args=[target.pk])),
        ("get", reverse("targets:figures", args=["DU"])),
        ("get", reverse("targets:figure_enter", args=["DU"])),
        ("post", reverse("targets:figure_delete", args=[figure.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next="), url


def test_the_page_shows_the_year_asked_for_with_the_years_around(world, as_user):
    year = today().year
    _target(world, year - 2, metric=REVIEWED, op=">=", value=100)
    page = as_user(world.leader).get(_page(None, "targets:targets", "DU", nam=year - 2)).content.decode()
    assert "≥ 100%" in page
    assert f"?nam={year - 3}" in page and f"?nam={year - 1}" in page
    this_year = as_user(world.leader).get(_page(None, "targets:targets", "DU", nam="abc")).content.decode()
    assert "≥ 100%" not in this_year  # a year that is not one: this year's targets


def test_a_count_target_reads_as_a_report_writes_it_and_links_to_the_figures_behind_it(world, as_user):
    year = today().year
    _target(world, year, metric="inspection.cells_inspected", op=">=", value=12)
    page = as_user(world.inspection).get(reverse("targets:targets", args=["DU"])).content.decode()
    assert "Chi bộ được kiểm tra, giám sát ≥ 12" in page
    assert f"{reverse('targets:detail', args=['DU', 'inspection.cells_inspected'])}?nam={year}" in page
    assert NOT_MET in page  # no item concluded: 0 cells


def _five_cells_four_reviewed(world, year):
    """Cells A, B, C, D reviewed their working regulations last year; E did not: 4/5 = 80.0%."""
    cell_d = make_org(world.admin, "CB-D", parent=world.root)
    make_org(world.admin, "CB-E", parent=world.root)
    for cell in (world.cell_a, world.cell_b, world.cell_c, cell_d):
        programme_services.regulation_review_record(
            actor=world.office,
            cell=cell,
            regulation=RegulationKind.WORKING,
            review=ReviewKind.REVIEWED,
            reviewed_on=date(year, 3, 1),
        )


def test_more_than_80_is_not_met_by_80_0_and_at_least_80_is(world, as_user):
    year = today().year - 1
    _five_cells_four_reviewed(world, year)
    more = _target(world, year, metric=REVIEWED, op=">", value=80)
    least = _target(world, year, metric=REVIEWED, op=">=", value=80)
    response = as_user(world.leader).get(_page(None, "targets:targets", "DU", nam=year))
    page = response.content.decode()
    row_more = page.split(f'id="target-{more.pk}"')[1].split("</tr>")[0]
    row_least = page.split(f'id="target-{least.pk}"')[1].split("</tr>")[0]
    assert "80%" in row_more and "(4/5)" in row_more
    assert NOT_MET in row_more and MET not in row_more
    assert MET in row_least and NOT_MET not in row_least


def test_a_past_years_entered_figure_is_the_actual_marked_as_entered(world, as_user):
    year = today().year - 1
    _target(world, year, metric=GOOD_PCT, op=">", value=80)
    _figure(world, year, metric=GOOD_PCT, numerator=46, denominator=59, note="Báo cáo tổng kết")
    page = as_user(world.leader).get(_page(None, "targets:targets", "DU", nam=year)).content.decode()
    assert "78%" in page and "(46/59)" in page and "nhập tay" in page and NOT_MET in page
    assert reverse("targets:detail", args=["DU", GOOD_PCT]) not in page  # nothing to list behind it


# ------------------------------------------------------------------------------ writes: who may


@pytest.mark.parametrize("persona", READERS)
def test_readers_cannot_reach_the_write_pages(world, as_user, persona):
    year = today().year
    target = _target(world, year)
    _target(world, year - 1, metric=REVIEWED, op=">=", value=100)
    figure = _figure(world, year - 1)
    client = as_user(getattr(world, persona))
    for url in (
        reverse("targets:target_add", args=["DU"]),
        reverse("targets:target_add", args=["CB-A"]),
        reverse("targets:target_edit", args=[target.pk]),
        reverse("targets:target_delete", args=[target.pk]),
        reverse("targets:figure_enter", args=["DU"]),
        reverse("targets:figure_enter", args=["CB-A"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("targets:target_add", args=["DU"]), {"text": "Chỉ tiêu lạ"}).status_code == 404
    assert client.post(reverse("targets:target_delete", args=[target.pk]), {"version": 1}).status_code == 404
    assert client.post(reverse("targets:targets_copy", args=["DU"]), {"nam": year}).status_code == 404
    assert client.post(reverse("targets:figure_delete", args=[figure.pk]), {"version": 1}).status_code == 404
    assert Target.objects.count() == 2 and EnteredFigure.objects.count() == 1


# ------------------------------------------------------------------------------ add, edit, delete


def test_the_office_adds_a_target_of_the_year(world, as_user):
    year = today().year + 1
    client = as_user(world.office)
    form = client.get(_page(None, "targets:target_add", "DU", nam=year))
    assert form.status_code == 200 and "Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ (%)" in form.content.decode()
    response = client.post(
        _page(None, "targets:target_add", "DU", nam=year),
        {"metric": GOOD_PCT, "op": ">", "value": "80,5", "note": "Theo nghị quyết đại hội"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?nam={year}")
    target = Target.objects.get()
    assert (target.year, target.metric, target.op, target.value) == (year, GOOD_PCT, ">", Decimal("80.5"))
    assert "80,5%" in client.get(response["Location"]).content.decode()


def test_the_office_adds_a_written_target(world, as_user):
    year = today().year
    response = as_user(world.office).post(
        reverse("targets:target_add", args=["CB-A"]),
        {"text": "Không có đảng viên vi phạm", "note": "Tự đánh giá"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.organization, target.year, target.metric, target.text) == (
        world.cell_a,
        year,
        "",
        "Không có đảng viên vi phạm",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"metric": GOOD_PCT, "op": ">", "value": "tám mươi"}, "bằng số"),
        ({"metric": GOOD_PCT, "op": ">", "value": "150"}, "từ 0 đến 100"),
        ({"metric": "inspection.cells_inspected", "op": ">=", "value": "12.5"}, "số nguyên"),
        ({"metric": GOOD_PCT, "op": "", "value": "80"}, "cách so sánh"),
        ({"metric": "", "text": "  "}, "Viết nội dung chỉ tiêu"),
        ({"metric": "khong.co", "op": ">", "value": "1"}, "Chọn"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(world, as_user, data, message):
    response = as_user(world.office).post(reverse("targets:target_add", args=["DU"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_the_same_target_twice_is_refused(world, as_user):
    _target(world, today().year)
    response = as_user(world.office).post(
        reverse("targets:target_add", args=["DU"]), {"metric": GOOD_PCT, "op": ">", "value": "85"}
    )
    assert response.status_code == 400 and Target.objects.count() == 1


def test_the_office_corrects_a_target(world, as_user):
    target = _target(world, today().year)
    client = as_user(world.office)
    form = client.get(reverse("targets:target_edit", args=[target.pk])).content.decode()
    assert 'value="80"' in form
    response = client.post(
        reverse("targets:target_edit", args=[target.pk]),
        {"metric": GOOD_PCT, "op": ">=", "value": "85", "version": target.version},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.op, target.value, target.version) == (">=", Decimal("85"), 2)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(world, as_user):
    target = _target(world, today().year)
    read_at = target.version
    services.target_update(
        actor=world.office,
        target=target,
        expected_version=read_at,
        metric=GOOD_PCT,
        op=">",
        value=90,
        text="",
        note="",
    )
    response = as_user(world.office).post(
        reverse("targets:target_edit", args=[target.pk]),
        {"metric": GOOD_PCT, "op": ">", "value": "70", "version": read_at},
        follow=True,
    )
    assert STALE in response.content.decode().lower()
    target.refresh_from_db()
    assert target.value == Decimal("90")


def test_an_edit_without_its_version_is_refused(world, as_user):
    target = _target(world, today().year)
    response = as_user(world.office).post(
        reverse("targets:target_edit", args=[target.pk]), {"metric": GOOD_PCT, "op": ">", "value": "70"}
    )
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.value == Decimal("80")


def test_the_office_removes_a_target_after_confirming(world, as_user):
    year = today().year
    target = _target(world, year)
    client = as_user(world.office)
    confirm = client.get(reverse("targets:target_delete", args=[target.pk]))
    assert (
        confirm.status_code == 200
        and "Tỉ lệ chi bộ hoàn thành tốt nhiệm vụ &gt; 80%" in confirm.content.decode()
    )
    assert Target.objects.filter(pk=target.pk).exists()  # a GET removes nothing
    response = client.post(reverse("targets:target_delete", args=[target.pk]), {"version": target.version})
    assert response.status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    assert Target.all_objects.get(pk=target.pk).deleted_at is not None  # kept, marked deleted
    assert "Tỉ lệ chi bộ hoàn thành tốt" not in client.get(response["Location"]).content.decode()


def test_a_removal_without_its_version_removes_nothing(world, as_user):
    target = _target(world, today().year)
    response = as_user(world.office).post(reverse("targets:target_delete", args=[target.pk]), {})
    assert response.status_code == 400 and Target.objects.filter(pk=target.pk).exists()


# ------------------------------------------------------------------------------ copy from last year


def test_the_office_copies_last_years_targets_once(world, as_user):
    year = today().year
    _target(world, year - 1, metric=REVIEWED, op=">=", value=100)
    _target(world, year - 1)
    _written(world, year - 1)
    client = as_user(world.office)
    response = client.post(reverse("targets:targets_copy", args=["DU"]), {"nam": year}, follow=True)
    assert "Đã sao chép 3 chỉ tiêu" in response.content.decode()
    assert Target.objects.filter(year=year).count() == 3
    again = client.post(reverse("targets:targets_copy", args=["DU"]), {"nam": year}, follow=True)
    assert "đã có" in again.content.decode() and Target.objects.filter(year=year).count() == 3


def test_copying_from_a_year_without_targets_says_so(world, as_user):
    response = as_user(world.office).post(
        reverse("targets:targets_copy", args=["DU"]), {"nam": today().year}, follow=True
    )
    assert "không có chỉ tiêu" in response.content.decode() and not Target.objects.exists()


def test_the_copy_is_a_post(world, as_user):
    assert as_user(world.office).get(reverse("targets:targets_copy", args=["DU"])).status_code == 405


# ------------------------------------------------------------------------------ past years' figures


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_figures_page_by_persona(world, as_user, persona, code, status):
    _figure(world, today().year - 1, value=120, note="Báo cáo năm")
    response = as_user(getattr(world, persona)).get(reverse("targets:figures", args=[code]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Đảng viên dự bị" in page and "Khen thưởng cá nhân" in page  # every key, by its label
        assert ("Báo cáo năm" in page) == (code == "DU")
        assert ("/so-lieu-nam-truoc/nhap/" in page) == (persona == "office")
        assert ("danh-gia/nhap-ket-qua" in page) == (persona == "office")


def test_the_figures_page_shows_computed_and_entered_side_by_side(world, as_user):
    year = today().year - 1
    _figure(world, year, value=120, note="Báo cáo tổng kết")
    page = as_user(world.leader).get(reverse("targets:figures", args=["DU"])).content.decode()
    row = page.split('id="figure-members.total"')[1].split("</tr>")[0]
    assert "120" in row and "nhập tay" in row and "Báo cáo tổng kết" in row
    assert ">0<" in row.replace(" ", "")  # the data alone: no member in the world
    assert f"?nam={year - 1}" in page and f"?nam={year + 1}" not in page  # this year is not past


def test_this_year_is_not_offered_for_entry(world, as_user):
    for asked in (today().year, today().year + 1):
        page = as_user(world.office).get(_page(None, "targets:figures", "DU", nam=asked)).content.decode()
        assert f"Số liệu năm {today().year - 1}" in page  # last year's, instead
    url = _page(None, "targets:figure_enter", "DU", nam=today().year)
    response = as_user(world.office).post(url, {"metric": "members.total", "value": "5"})
    assert response.status_code == 302 and EnteredFigure.objects.get().year == today().year - 1


def test_the_office_enters_a_ratio_by_its_numerator_and_denominator(world, as_user):
    year = today().year - 1
    client = as_user(world.office)
    url = _page(None, "targets:figure_enter", "DU", nam=year, chi_so=GOOD_PCT)
    assert client.get(url).status_code == 200
    response = client.post(url, {"metric": GOOD_PCT, "numerator": 46, "denominator": 59, "note": "Báo cáo"})
    assert response.status_code == 302
    row = EnteredFigure.objects.get()
    assert (row.year, row.metric, row.value, row.numerator, row.denominator) == (
        year,
        GOOD_PCT,
        Decimal("78.0"),
        46,
        59,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"metric": GOOD_PCT, "value": ""}, "Nhập giá trị"),
        ({"metric": GOOD_PCT, "value": "abc", "numerator": 1, "denominator": 2}, "bằng số"),
        ({"metric": GOOD_PCT, "numerator": 60, "denominator": 59}, "mẫu số"),
        ({"metric": "members.total", "value": "12.5"}, "số nguyên"),
        ({"metric": "members.total", "value": "1e30"}, "quá lớn"),
    ],
)
def test_a_bad_figure_is_shown_on_the_form_and_nothing_is_saved(world, as_user, data, message):
    url = _page(None, "targets:figure_enter", "DU", nam=today().year - 1)
    response = as_user(world.office).post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not EnteredFigure.objects.exists()


def test_a_figure_is_corrected_at_its_version_and_a_stale_correction_is_refused(world, as_user):
    year = today().year - 1
    row = _figure(world, year, value=120)
    client = as_user(world.office)
    url = _page(None, "targets:figure_enter", "DU", nam=year, chi_so="members.total")
    assert 'value="120"' in client.get(url).content.decode()
    assert (
        client.post(url, {"metric": "members.total", "value": "125", "version": row.version}).status_code
        == 302
    )
    stale = client.post(url, {"metric": "members.total", "value": "130", "version": row.version}, follow=True)
    assert STALE in stale.content.decode().lower()
    assert EnteredFigure.objects.get().value == Decimal("125")


def test_the_office_removes_an_entered_figure(world, as_user):
    year = today().year - 1
    row = _figure(world, year)
    client = as_user(world.office)
    assert client.get(reverse("targets:figure_delete", args=[row.pk])).status_code == 405
    response = client.post(reverse("targets:figure_delete", args=[row.pk]), {"version": row.version})
    assert response.status_code == 302 and not EnteredFigure.objects.exists()
    forged = client.post(reverse("targets:figure_delete", args=[row.pk]), {"version": row.version})
    assert forged.status_code == 404  # removed already


# ------------------------------------------------------------------------------ bounded queries


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_targets_page_queries_do_not_grow_with_the_targets(world, as_user):
    year = today().year
    client = as_user(world.office)
    _target(world, year)
    one = _queries(client, reverse("targets:targets", args=["DU"]))
    for op in (">=", "<", "<="):
        _target(world, year, op=op)
    for n in range(5):
        _written(world, year, text=f"Chỉ tiêu viết {n}")
    assert _queries(client, reverse("targets:targets", args=["DU"])) == one


def test_the_figures_page_queries_do_not_grow_with_the_entered_figures(world, as_user):
    year = today().year - 1
    client = as_user(world.office)
    _figure(world, year)
    url = reverse("targets:figures", args=["DU"])
    one = _queries(client, url)
    _figure(world, year, metric="members.probationary", value=3)
    _figure(world, year, metric=GOOD_PCT, numerator=46, denominator=59)
    _figure(world, year, metric="cells.total", value=59)
    assert _queries(client, url) == one
