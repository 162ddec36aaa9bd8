"""The register of the cells' regulation reviews: who reads and who records or deletes, the figure
as regulations.cells_reviewed_pct counts it and the cells that have not reviewed, refusals shown on
the form with nothing changed, and bounded queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core import metrics, periods
from dangvu.core.periods import today
from dangvu.programme.choices import RegulationKind, ReviewKind
from dangvu.programme.metrics import regulations_cells_reviewed_pct
from dangvu.programme.models import RegulationReview
from dangvu.testing import make_org

from .factories import review

pytestmark = pytest.mark.django_db

LAST_YEAR = today().year - 1


def _register(client, code: str, year: int | None = None):
    return client.get(reverse("programme:regulations", args=[code]), {"nam": year} if year else {})


def _create_url(code: str) -> str:
    return reverse("programme:regulation_create", args=[code])


def _post(for_cell, **extra) -> dict:
    return {
        "cell": for_cell.pk,
        "regulation": RegulationKind.WORKING,
        "review": ReviewKind.AMENDED,
        "reviewed_on": today().strftime("%d/%m/%Y"),
        "document_number": "02-QC/CB",
        "note": "Sửa đổi theo Quy định 294",
    } | extra


# ------------------------------------------------------------------------------- the register


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-B", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_reads_the_register(as_user, world, persona, code, status):
    assert _register(as_user(getattr(world, persona)), code).status_code == status


def test_the_register_counts_only_the_working_regulations_as_the_figure_does(as_user, world):
    review(world, world.cell_a, regulation=RegulationKind.WORKING, review=ReviewKind.AMENDED)
    review(world, world.cell_b, regulation=RegulationKind.COORDINATION, review=ReviewKind.ISSUED)
    review(world, world.cell_c, day=date(LAST_YEAR, 6, 1))  # last year's: not this year's
    response = _register(as_user(world.leader), "DU")
    rows = {row.regulations.cell.code: row.regulations for row in response.context["rows"]}
    assert list(rows) == ["CB-A", "CB-B", "CB-C"]
    assert [r.review for r in rows["CB-A"].working] == [ReviewKind.AMENDED]
    assert (rows["CB-A"].reviewed, rows["CB-B"].reviewed, rows["CB-C"].reviewed) == (True, False, False)
    assert len(rows["CB-B"].coordination) == 1 and rows["CB-C"].working == []
    ratio = response.context["ratio"]
    ctx = metrics.MetricContext(root_path=world.root.path, year=periods.Year(today().year), as_of=today())
    assert ratio == regulations_cells_reviewed_pct(ctx) == {"numerator": 1, "denominator": 3, "value": 33.3}
    assert [c.code for c in response.context["book"].not_reviewed] == ["CB-B", "CB-C"]
    page = response.content.decode()
    not_reviewed = page.split('id="not-reviewed"')[1].split("</ul>")[0]
    assert "Chi bộ B" in not_reviewed and "Chi bộ C" in not_reviewed and "Chi bộ A" not in not_reviewed
    assert f"{reverse('programme:regulations_export', args=['DU'])}?nam={today().year}" in page
    assert _create_url("DU") not in page  # the leader reads only
    last = _register(as_user(world.leader), "DU", LAST_YEAR)
    assert {r.regulations.cell.code for r in last.context["rows"] if r.regulations.reviewed} == {"CB-C"}


def test_a_secretary_sees_the_register_of_their_cell_and_records_for_it(as_user, world):
    review(world, world.cell_b)
    response = _register(as_user(world.secretary_a), "CB-A")
    assert [r.regulations.cell.code for r in response.context["rows"]] == ["CB-A"]
    assert response.context["ratio"]["numerator"] == 0
    assert _create_url("CB-A") in response.content.decode()


def test_a_cell_closed_before_the_year_is_not_in_the_register(as_user, world):
    make_org(world.admin, "CB-X", parent=world.root, active_to=date(LAST_YEAR, 12, 31))
    codes = [r.regulations.cell.code for r in _register(as_user(world.office), "DU").context["rows"]]
    assert "CB-X" not in codes
    assert "CB-X" in [
        r.regulations.cell.code for r in _register(as_user(world.office), "DU", LAST_YEAR).context["rows"]
    ]


def test_the_register_costs_the_same_queries_for_one_cell_and_for_thirty(as_user, world):
    client = as_user(world.office)
    review(world, world.cell_c)
    _register(client, "DBBP")
    with CaptureQueriesContext(connection) as one:
        assert len(_register(client, "DBBP").context["rows"]) == 1
    for n in range(29):
        cell = make_org(world.admin, f"CB-Q{n:02}", parent=world.partial)
        review(world, cell)
        review(world, cell, regulation=RegulationKind.COORDINATION)
    with CaptureQueriesContext(connection) as many:
        response = _register(client, "DBBP")
    assert len(response.context["rows"]) == 30 and response.context["ratio"]["numerator"] == 30
    assert len(many) == len(one)


# ------------------------------------------------------------------------------------ recording


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-C", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "DU", 404),
        ("secretary_a", "CB-B", 404),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("stranger", "DU", 404),
    ],
)
def test_who_records_a_review(as_user, world, persona, code, status):
    client = as_user(getattr(world, persona))
    assert client.get(_create_url(code)).status_code == status
    if status == 404:  # nor by a forged form
        assert client.post(_create_url(code), _post(world.cell_a)).status_code == 404
        assert not RegulationReview.objects.exists()


def test_a_secretary_records_their_cells_review(as_user, world):
    client = as_user(world.secretary_a)
    form = client.get(_create_url("CB-A")).context["form"]
    assert form.initial["cell"] == world.cell_a and form.initial["reviewed_on"] == today()
    assert list(form.fields["cell"].queryset) == [world.cell_a]
    response = client.post(_create_url("CB-A"), _post(world.cell_a))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('programme:regulations', args=['CB-A'])}?nam={today().year}"
    saved = RegulationReview.objects.get()
    assert (saved.cell, saved.regulation, saved.review, saved.reviewed_on, saved.document_number) == (
        world.cell_a,
        RegulationKind.WORKING,
        ReviewKind.AMENDED,
        today(),
        "02-QC/CB",
    )
    assert _register(client, "CB-A").context["ratio"]["numerator"] == 1


def test_a_secretary_cannot_record_for_another_cell(as_user, world):
    response = as_user(world.secretary_a).post(_create_url("CB-A"), _post(world.cell_b))
    assert response.status_code == 400 and response.context["form"].errors["cell"]
    assert not RegulationReview.objects.exists()


def test_the_office_records_for_a_cell_chosen_on_the_register(as_user, world):
    client = as_user(world.office)
    form = client.get(_create_url("DU"), {"cell": "CB-B"}).context["form"]
    assert form.initial["cell"] == world.cell_b
    assert [c.code for c in form.fields["cell"].queryset] == ["CB-A", "CB-B", "CB-C"]
    last_year = date(LAST_YEAR, 11, 20).strftime("%d/%m/%Y")
    response = client.post(_create_url("DU"), _post(world.cell_c, reviewed_on=last_year))
    assert response["Location"] == f"{reverse('programme:regulations', args=['DU'])}?nam={LAST_YEAR}"
    assert RegulationReview.objects.get().cell == world.cell_c


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reviewed_on", +1),  # tomorrow, read when the test runs: the service refuses
        ("reviewed_on", "31/02/2026"),
        ("reviewed_on", ""),
        ("regulation", "bylaws"),
        ("review", "burnt"),
        ("cell", "999999"),
        ("cell", "abc"),
    ],
)
def test_bad_input_is_refused_on_the_form_and_nothing_is_recorded(as_user, world, field, value):
    if isinstance(value, int):  # days from today, read now (a run may cross midnight after collection)
        value = (today() + timedelta(days=value)).strftime("%d/%m/%Y")
    response = as_user(world.office).post(_create_url("DU"), _post(world.cell_a, **{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not RegulationReview.objects.exists()


# -------------------------------------------------------------------------------------- deleting


def _delete_url(record) -> str:
    return reverse("programme:regulation_delete", args=[record.pk])


@pytest.mark.parametrize(
    ("persona", "cell", "status"),
    [
        ("office", "cell_b", 200),
        ("secretary_a", "cell_a", 200),
        ("secretary_a", "cell_b", 404),
        ("leader", "cell_a", 404),
        ("inspection", "cell_a", 404),
        ("stranger", "cell_a", 404),
    ],
)
def test_who_deletes_a_review(as_user, world, persona, cell, status):
    record = review(world, getattr(world, cell))
    client = as_user(getattr(world, persona))
    assert client.get(_delete_url(record)).status_code == status
    response = client.post(_delete_url(record), {"version": record.version})
    assert response.status_code == (302 if status == 200 else 404)
    assert RegulationReview.objects.filter(pk=record.pk).exists() is (status != 200)


def test_a_deleted_review_is_kept_on_record_and_no_longer_counts(as_user, world):
    record = review(world, world.cell_a)
    client = as_user(world.office)
    page = client.get(_delete_url(record), {"tu": "DU"}).content.decode()
    assert 'name="tu" value="DU"' in page
    response = client.post(_delete_url(record), {"version": record.version, "tu": "DU"})
    assert response["Location"] == f"{reverse('programme:regulations', args=['DU'])}?nam={today().year}"
    assert RegulationReview.all_objects.get(pk=record.pk).deleted_at is not None
    assert _register(client, "DU").context["ratio"]["numerator"] == 0
    assert client.get(_delete_url(record)).status_code == 404


def test_a_deletion_read_at_an_older_version_is_refused(as_user, world):
    record = review(world, world.cell_a)
    response = as_user(world.office).post(_delete_url(record), {"version": record.version + 1}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert RegulationReview.objects.filter(pk=record.pk).exists()


def test_a_deletion_without_a_version_is_refused(as_user, world):
    record = review(world, world.cell_a)
    response = as_user(world.office).post(_delete_url(record), {"version": "x"})
    assert response.status_code == 400
    assert RegulationReview.objects.filter(pk=record.pk).exists()


def test_the_return_goes_to_the_cells_register_for_an_organisation_out_of_reach(as_user, world):
    record = review(world, world.cell_a)
    response = as_user(world.secretary_a).post(_delete_url(record), {"version": record.version, "tu": "DU"})
    assert response["Location"] == f"{reverse('programme:regulations', args=['CB-A'])}?nam={today().year}"


def test_odd_query_strings_never_fail(as_user, world):
    client = as_user(world.office)
    for raw in ("abcd", "99999", "-1", "2026'"):
        assert _register(client, "DU", raw).context["year"] == today().year
    assert client.get(_create_url("DU"), {"cell": "<b>ZZ</b>"}).context["form"].initial["cell"] is None
    record = review(world, world.cell_a)
    assert client.get(_delete_url(record), {"tu": "' or 1=1 --"}).status_code == 200
    assert client.get(_delete_url(record), {"tu": "\x00"}).status_code < 500


def test_a_committee_without_cells_has_nothing_to_record(as_user, world):
    make_org(world.admin, "DBB-Q", "partial_committee", parent=world.root)
    client = as_user(world.office)
    assert client.get(_create_url("DBB-Q")).status_code == 404
    response = _register(client, "DBB-Q")
    assert response.context["rows"] == [] and not response.context["can_record"]
