"""The pages of the inspection and supervision programme: who may see and do what (office,
inspection run it; the leader reads; the CB-A secretary sees CB-A's items and actions and reports
them done; a stranger sees nothing), opening the programme, adding, changing, moving and concluding
an item, reporting a remedial action done, refusals and stale versions, bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.periods import today
from dangvu.members.choices import DisciplineForm, EventKind
from dangvu.members.models import MemberEvent
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, ItemState, Result, TaskState
from dangvu.programme.models import Item, Programme, RemedialAction
from dangvu.testing import make_member

from . import factories

pytestmark = pytest.mark.django_db

STALE = "người khác đã thay đổi hồ sơ này"
D = "%d/%m/%Y"


def _day(days: int = 0) -> str:
    return (today() + timedelta(days=days)).strftime(D)


@pytest.fixture
def setup(world):
    """The root's programme of this year with an item about CB-A (concluded, one action for CB-A
    and one for CB-B) and a planned item about CB-B."""
    programme = factories.programme(world)
    item_a = factories.item(world, programme, subject_cell=world.cell_a)
    factories.conclude(
        world,
        item_a,
        actions=[
            factories.action(world.cell_a, "Sửa sổ sinh hoạt"),
            factories.action(world.cell_b, "Việc của B"),
        ],
    )
    item_b = factories.item(world, programme, subject_cell=world.cell_b, content="Giám sát chi bộ B")
    return {
        "programme": programme,
        "item_a": item_a,
        "item_b": item_b,
        "action_a": RemedialAction.objects.get(owner=world.cell_a),
        "action_b": RemedialAction.objects.get(owner=world.cell_b),
    }


def _item_data(world, **extra) -> dict:
    return {
        "kind": ItemKind.THEMATIC_INSPECTION,
        "subject_cell": world.cell_a.pk,
        "content": "Kiểm tra công tác thu nộp đảng phí",
        "starts_on": _day(-10),
        "ends_on": _day(0),
        "decision_number": "12-QĐ/UBKT",
        "responsible": "Ủy ban kiểm tra",
    } | extra


# ------------------------------------------------------------------------------ the programme


@pytest.mark.parametrize("persona", ["office", "inspection", "leader"])
def test_the_committee_sees_its_programme_with_counts(as_user, world, setup, persona):
    response = as_user(getattr(world, persona)).get(reverse("programme:programme", args=["DU"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Giám sát chi bộ B" in page and setup["item_a"].get_absolute_url() in page
    counts = response.context["counts"]
    assert counts == {"planned": 2, "concluded": 1, "pct": 50}
    runs = persona != "leader"
    assert ('id="item-create"' in page) is runs
    assert (reverse("programme:programme_import", args=["DU"]) in page) is runs
    assert reverse("programme:programme_export", args=["DU"]) in page  # whoever reads may download


def test_a_stranger_and_a_plain_member_get_404(as_user, world, setup):
    for user in (world.stranger, world.member_a):
        assert as_user(user).get(reverse("programme:programme", args=["DU"])).status_code == 404


def test_the_secretary_sees_the_items_above_that_concern_the_cell_not_others(as_user, world, setup):
    client = as_user(world.secretary_a)
    assert client.get(reverse("programme:programme", args=["DU"])).status_code == 404
    response = client.get(reverse("programme:programme", args=["CB-A"]))
    assert response.status_code == 200
    assert [i.pk for i in response.context["above"]] == [setup["item_a"].pk]
    assert "Giám sát chi bộ B" not in response.content.decode()
    # The cell runs its own programme: it may open it.
    assert 'id="open-form"' in response.content.decode()


def test_the_filters_select_by_state_and_kind(as_user, world, setup):
    client = as_user(world.office)
    url = reverse("programme:programme", args=["DU"])
    response = client.get(url, {"trang_thai": ItemState.CONCLUDED})
    assert [i.pk for i in response.context["own"]] == [setup["item_a"].pk]
    response = client.get(url, {"loai": ItemKind.THEMATIC_SUPERVISION})
    assert response.context["own"] == []
    assert client.get(url, {"loai": "nonsense", "nam": "x"}).status_code == 200


def test_a_cells_own_programme_shows_below_on_the_committee_page(as_user, world, setup):
    own = factories.programme(world, organization=world.cell_a, actor=world.secretary_a)
    factories.item(
        world,
        own,
        actor=world.secretary_a,
        kind=ItemKind.ONGOING_SUPERVISION,
        content="Giám sát thường xuyên A",
    )
    response = as_user(world.leader).get(reverse("programme:programme", args=["DU"]))
    assert [i.content for i in response.context["below"]] == ["Giám sát thường xuyên A"]


def _programme_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("programme:programme", args=["DU"])).status_code == 200
    return len(queries)


def test_the_programme_page_takes_as_many_queries_for_one_item_as_for_thirty(as_user, world):
    programme = factories.programme(world)
    member = make_member(world.office, world.cell_a, "Nguyễn Văn An")
    factories.item(world, programme, subject_cell=world.cell_a)
    client = as_user(world.office)
    one = _programme_queries(client)
    for n in range(29):
        subject = {"subject_member": member} if n % 2 else {"subject_cell": world.cell_b}
        factories.item(world, programme, **subject)
    assert _programme_queries(client) == one


def test_opening_the_programme(as_user, world):
    year = today().year
    url = reverse("programme:programme_open", args=["DU"]) + f"?nam={year}"
    data = {"number": "01-CT/UBKT", "adopted_on": _day(-1)}
    assert as_user(world.leader).post(url, data).status_code == 404
    assert as_user(world.secretary_a).post(url, data).status_code == 404
    response = as_user(world.inspection).post(url, data)
    assert response.status_code == 302
    programme = Programme.objects.get(organization=world.root, year=year)
    assert programme.number == "01-CT/UBKT"
    again = as_user(world.office).post(url, data)
    assert again.status_code == 400 and Programme.objects.count() == 1
    assert as_user(world.office).post(url, {"adopted_on": "31/02/2020"}).status_code == 400


# ------------------------------------------------------------------------------- a new item


def test_the_inspection_adds_an_item(as_user, world, setup):
    url = reverse("programme:item_create", args=["DU"])
    client = as_user(world.inspection)
    assert client.get(url).status_code == 200
    response = client.post(url, _item_data(world))
    item = Item.objects.get(content="Kiểm tra công tác thu nộp đảng phí")
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert item.subject_cell == world.cell_a and item.state == ItemState.PLANNED


def test_who_does_not_run_the_programme_cannot_add_an_item(as_user, world, setup):
    url = reverse("programme:item_create", args=["DU"])
    for user in (world.leader, world.secretary_a, world.stranger):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).post(url, _item_data(world)).status_code == 404
    assert Item.objects.count() == 2


def test_a_refused_item_is_shown_on_the_form_and_nothing_is_added(as_user, world, setup):
    member = make_member(world.office, world.cell_a, "Nguyễn Văn An")
    client = as_user(world.office)
    url = reverse("programme:item_create", args=["DU"])
    both = client.post(url, _item_data(world, subject_member=member.pk))  # a cell and a member
    assert both.status_code == 400 and both.context["form"].errors
    backwards = client.post(url, _item_data(world, starts_on=_day(0), ends_on=_day(-5)))
    assert backwards.status_code == 400 and "ends_on" in backwards.context["form"].errors
    garbage = client.post(url, _item_data(world, kind="x", subject_cell="abc", starts_on="hôm qua"))
    assert garbage.status_code == 400
    assert Item.objects.count() == 2


def test_without_a_programme_the_form_offers_to_open_it(as_user, world):
    url = reverse("programme:item_create", args=["DU"]) + f"?nam={today().year}"
    response = as_user(world.office).get(url)
    assert response.status_code == 200 and 'id="open-form"' in response.content.decode()
    assert as_user(world.office).post(url, _item_data(world)).status_code == 400
    assert Item.objects.count() == 0


# ------------------------------------------------------------------------------------- an item


@pytest.mark.parametrize("persona", ["office", "inspection", "leader"])
def test_the_committee_sees_an_item_with_all_its_actions(as_user, world, setup, persona):
    response = as_user(getattr(world, persona)).get(setup["item_a"].get_absolute_url())
    assert response.status_code == 200
    assert {a.pk for a in response.context["actions"]} == {setup["action_a"].pk, setup["action_b"].pk}
    page = response.content.decode()
    assert 'id="item-edit"' not in page and 'id="item-conclude"' not in page  # concluded: on record
    assert 'id="conclusion"' in page


def test_the_secretary_sees_the_cells_item_and_only_the_cells_actions(as_user, world, setup):
    client = as_user(world.secretary_a)
    response = client.get(setup["item_a"].get_absolute_url())
    assert response.status_code == 200
    assert [a.pk for a in response.context["actions"]] == [setup["action_a"].pk]
    assert "Việc của B" not in response.content.decode()
    assert client.get(setup["item_b"].get_absolute_url()).status_code == 404
    assert as_user(world.stranger).get(setup["item_a"].get_absolute_url()).status_code == 404


def test_the_buttons_follow_the_permissions(as_user, world, setup):
    url = setup["item_b"].get_absolute_url()
    page = as_user(world.inspection).get(url).content.decode()
    assert 'id="item-edit"' in page and 'id="item-conclude"' in page and 'id="move-in_progress"' in page
    page = as_user(world.leader).get(url).content.decode()
    assert 'id="item-edit"' not in page and 'id="move-cancelled"' not in page


def test_changing_an_item(as_user, world, setup):
    item = setup["item_b"]
    url = reverse("programme:item_edit", args=[item.pk])
    for user in (world.leader, world.secretary_a):
        assert as_user(user).post(url, _item_data(world, version=item.version)).status_code == 404
    client = as_user(world.inspection)
    assert client.get(url).status_code == 200
    response = client.post(url, _item_data(world, version=item.version, content="Nội dung mới"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.content == "Nội dung mới" and item.subject_cell == world.cell_a and item.version == 2
    stale = client.post(url, _item_data(world, version=1, content="Cũ"), follow=True)
    assert STALE in stale.content.decode()
    item.refresh_from_db()
    assert item.content == "Nội dung mới"
    refused = client.post(url, _item_data(world, version=item.version, ends_on=_day(-30)))
    assert refused.status_code == 400
    # A concluded item is no longer changed: its edit page says so on the item, and nothing changes.
    concluded = setup["item_a"]
    for answer in (
        client.get(reverse("programme:item_edit", args=[concluded.pk]), follow=True),
        client.post(
            reverse("programme:item_edit", args=[concluded.pk]),
            _item_data(world, version=concluded.version, content="Sửa sau kết luận"),
            follow=True,
        ),
        client.get(reverse("programme:item_conclude", args=[concluded.pk]), follow=True),
    ):
        assert answer.redirect_chain[-1][0] == concluded.get_absolute_url()
        assert "Chỉ sửa được" in answer.content.decode() or "không thể" in answer.content.decode()
    assert Item.objects.get(pk=concluded.pk).version == concluded.version


def test_starting_cancelling_and_putting_back(as_user, world, setup):
    item = setup["item_b"]
    url = reverse("programme:item_move", args=[item.pk])
    assert as_user(world.leader).post(url, {"to": "in_progress", "version": 1}).status_code == 404
    client = as_user(world.inspection)
    assert client.post(url, {"to": "in_progress", "version": 1}).status_code == 302
    no_reason = client.post(url, {"to": "cancelled", "version": 2, "reason": "  "})
    assert no_reason.status_code == 400
    item.refresh_from_db()
    assert item.state == ItemState.IN_PROGRESS
    stale = client.post(url, {"to": "cancelled", "version": 1, "reason": "Trùng"}, follow=True)
    assert STALE in stale.content.decode()
    assert client.post(url, {"to": "cancelled", "version": 2, "reason": "Trùng lịch"}).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CANCELLED and item.cancel_reason == "Trùng lịch"
    assert client.post(url, {"to": "planned", "version": 3}).status_code == 302
    assert client.post(url, {"to": "nowhere", "version": "x"}).status_code == 400
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


# ------------------------------------------------------------------------------ the conclusion


def _conclusion(item, *, rows=(), **extra) -> dict:
    data = {
        "concluded_on": _day(0),
        "conclusion": "Chi bộ còn hạn chế",
        "result": Result.SHORTCOMINGS,
        "discipline_form": "",
        "version": item.version,
        "actions-TOTAL_FORMS": str(max(len(rows), 3)),
        "actions-INITIAL_FORMS": "0",
    }
    for i, (what, owner, due) in enumerate(rows):
        data |= {f"actions-{i}-action": what, f"actions-{i}-owner": owner.pk, f"actions-{i}-due_on": due}
    return data | extra


def test_concluding_with_remedial_actions(as_user, world, setup):
    item = setup["item_b"]
    url = reverse("programme:item_conclude", args=[item.pk])
    client = as_user(world.inspection)
    assert client.get(url).status_code == 200
    rows = [("Bổ sung biên bản", world.cell_b, _day(20)), ("Báo cáo lại", world.root, "")]
    response = client.post(url, _conclusion(item, rows=rows))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CONCLUDED and item.result == Result.SHORTCOMINGS
    actions = list(item.actions.order_by("pk").values_list("action", "owner__code"))
    assert actions == [("Bổ sung biên bản", "CB-B"), ("Báo cáo lại", "DU")]


def test_a_refused_conclusion_changes_nothing(as_user, world, setup):
    item = setup["item_b"]
    url = reverse("programme:item_conclude", args=[item.pk])
    client = as_user(world.inspection)
    future = client.post(url, _conclusion(item, concluded_on=_day(5), rows=[("A", world.cell_b, "")]))
    assert future.status_code == 400
    discipline = client.post(url, _conclusion(item, discipline_form=DisciplineForm.WARNING))
    assert discipline.status_code == 400  # a discipline needs the result "violation, discipline proposed"
    outsider = client.post(
        url, _conclusion(item, rows=[("A", world.cell_b, "")]) | {"actions-0-owner": "999999"}
    )
    assert outsider.status_code == 400
    no_owner = client.post(url, _conclusion(item) | {"actions-0-action": "Làm gì đó"})
    assert no_owner.status_code == 400
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED and item.actions.count() == 0
    stale = client.post(url, _conclusion(item, version=item.version + 5), follow=True)
    assert STALE in stale.content.decode()
    for user in (world.leader, world.secretary_a):
        assert as_user(user).post(url, _conclusion(item)).status_code == 404
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


def test_add_a_row_shows_one_more_row_and_keeps_what_was_typed(as_user, world, setup):
    item = setup["item_b"]
    url = reverse("programme:item_conclude", args=[item.pk])
    data = _conclusion(item, rows=[("Bổ sung biên bản", world.cell_b, "")]) | {"add_row": "1"}
    response = as_user(world.inspection).post(url, data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 4
    assert "Bổ sung biên bản" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


def test_a_discipline_from_a_conclusion_reaches_the_members_record(as_user, world):
    programme = factories.programme(world)
    member = make_member(world.office, world.cell_a, "Nguyễn Văn An")
    item = factories.item(world, programme, kind=ItemKind.SIGNS_OF_VIOLATION, subject_member=member)
    client = as_user(world.inspection)
    data = _conclusion(item, result=Result.VIOLATION_DISCIPLINE, discipline_form=DisciplineForm.WARNING)
    assert client.post(reverse("programme:item_conclude", args=[item.pk]), data).status_code == 302
    event = MemberEvent.objects.get(member=member, kind=EventKind.DISCIPLINE)
    assert event.discipline_form == DisciplineForm.WARNING
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'id="discipline"' in page and reverse("members:detail", args=[member.pk]) in page
    record = as_user(world.office).get(reverse("members:detail", args=[member.pk]))
    assert record.status_code == 200 and "Cảnh cáo" in record.content.decode()


# --------------------------------------------------------------------------- remedial actions


def test_the_cells_list_of_remedial_actions(as_user, world, setup):
    response = as_user(world.secretary_a).get(reverse("programme:actions", args=["CB-A"]))
    assert response.status_code == 200
    assert [a.pk for a in response.context["actions"]] == [setup["action_a"].pk]
    assert response.context["actions"][0].can_report
    assert reverse("programme:action_done", args=[setup["action_a"].pk]) in response.content.decode()
    assert as_user(world.secretary_a).get(reverse("programme:actions", args=["CB-B"])).status_code == 404
    assert as_user(world.stranger).get(reverse("programme:actions", args=["CB-A"])).status_code == 404
    leader = as_user(world.leader).get(reverse("programme:actions", args=["DU"]))
    assert len(leader.context["actions"]) == 2
    assert not any(a.can_report for a in leader.context["actions"])
    assert "report-done" not in leader.content.decode()


def test_open_actions_come_first_and_overdue_ones_are_marked(as_user, world, setup):
    programme = setup["programme"]
    item = factories.item(world, programme, subject_cell=world.cell_a, content="Cũ")
    factories.conclude(world, item, actions=[factories.action(world.cell_a, "Quá hạn", due_in_days=-3)])
    action = setup["action_a"]
    services.action_done(
        actor=world.secretary_a,
        action=action,
        expected_version=action.version,
        done_on=today(),
        report="Đã sửa",
    )
    response = as_user(world.secretary_a).get(reverse("programme:actions", args=["CB-A"]))
    rows = response.context["actions"]
    assert [(a.action, a.overdue) for a in rows] == [("Quá hạn", True), ("Sửa sổ sinh hoạt", False)]
    assert 'class="overdue"' in response.content.decode()


def _actions_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("programme:actions", args=["DU"])).status_code == 200
    return len(queries)


def test_the_actions_list_takes_as_many_queries_for_one_as_for_many(as_user, world, setup):
    client = as_user(world.office)
    one = _actions_queries(client)
    item = factories.item(world, setup["programme"], subject_cell=world.cell_b)
    factories.conclude(world, item, actions=[factories.action(world.cell_b, f"Việc {n}") for n in range(20)])
    assert _actions_queries(client) == one


def test_the_secretary_reports_the_cells_action_done(as_user, world, setup):
    action = setup["action_a"]
    url = reverse("programme:action_done", args=[action.pk])
    client = as_user(world.secretary_a)
    assert 'id="done-form"' in client.get(url).content.decode()
    refused = client.post(url, {"done_on": _day(0), "report": "  ", "version": action.version})
    assert refused.status_code == 400
    response = client.post(url, {"done_on": _day(0), "report": "Đã bổ sung sổ", "version": action.version})
    assert response.status_code == 302 and response.url == setup["item_a"].get_absolute_url()
    action.refresh_from_db()
    assert action.state == TaskState.DONE and action.report == "Đã bổ sung sổ" and action.done_on == today()
    again = client.post(url, {"done_on": _day(0), "report": "Lần nữa", "version": action.version})
    assert again.status_code == 400
    page = client.get(setup["item_a"].get_absolute_url()).content.decode()
    assert "Đã bổ sung sổ" in page


def test_who_may_not_report_gets_no_form_or_404(as_user, world, setup):
    action_a, action_b = setup["action_a"], setup["action_b"]
    data = {"done_on": _day(0), "report": "Xong", "version": action_a.version}
    url = reverse("programme:action_done", args=[action_a.pk])
    for user in (world.leader, world.inspection):
        page = as_user(user).get(url)
        assert page.status_code == 200 and 'id="done-form"' not in page.content.decode()
        assert as_user(user).post(url, data).status_code == 404
    other = reverse("programme:action_done", args=[action_b.pk])
    assert as_user(world.secretary_a).get(other).status_code == 404
    assert as_user(world.secretary_a).post(other, data | {"version": action_b.version}).status_code == 404
    assert as_user(world.stranger).get(url).status_code == 404
    assert RemedialAction.objects.filter(state=TaskState.DONE).count() == 0


def test_a_stale_report_says_so(as_user, world, setup):
    action = setup["action_a"]
    url = reverse("programme:action_done", args=[action.pk])
    response = as_user(world.secretary_a).post(
        url, {"done_on": _day(0), "report": "Xong", "version": action.version + 1}, follow=True
    )
    assert STALE in response.content.decode()
    action.refresh_from_db()
    assert action.state == TaskState.OPEN
