"""The programme's writes through its services, as the office and a cell would make them: items
from planned to concluded, the discipline a conclusion decides reaching the member's record, the
remedial actions reported done. Dates relative to today (no time freezing)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from dangvu.core.audit import StaleVersionError
from dangvu.core.periods import today
from dangvu.members.choices import DisciplineForm, EventKind
from dangvu.members.models import MemberEvent
from dangvu.programme import services
from dangvu.programme.choices import ItemKind, ItemState, Result, TaskState
from dangvu.programme.models import Item
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db


def _programme(world, organization=None):
    return services.programme_open(
        actor=world.office, organization=organization or world.root, year=today().year
    )


def _item(world, programme, **extra) -> Item:
    fields = {
        "kind": ItemKind.COMPLIANCE,
        "content": "Kiểm tra việc chấp hành Điều lệ Đảng",
        "starts_on": today() - timedelta(days=30),
        "ends_on": today(),
    }
    return services.item_add(actor=world.office, programme=programme, **(fields | extra))


def test_one_programme_a_year_for_an_organisation(world):
    _programme(world)
    with pytest.raises(ValidationError):
        _programme(world)
    assert services.programme_open(actor=world.office, organization=world.cell_a, year=today().year)


def test_an_item_concerns_a_cell_or_a_member_of_the_programme_s_organisation(world):
    programme = _programme(world, world.partial)
    inside = make_member(world.admin, world.cell_c, "Đảng viên C")
    outside = make_member(world.admin, world.cell_a, "Đảng viên A")
    assert _item(world, programme, subject_member=inside).subject_member == inside
    for subject in ({"subject_member": outside}, {"subject_cell": world.cell_a}, {}):
        with pytest.raises(ValidationError):
            _item(world, programme, **subject)
    with pytest.raises(ValidationError):
        _item(world, programme, subject_cell=world.cell_c, subject_member=inside)
    assert _item(world, programme, kind=ItemKind.ONGOING_SUPERVISION).subject_cell is None


def test_an_item_is_started_cancelled_with_a_reason_and_put_back(world):
    item = _item(world, _programme(world), subject_cell=world.cell_a)
    item = services.item_move(actor=world.office, item=item, to=ItemState.IN_PROGRESS, expected_version=1)
    with pytest.raises(ValidationError):
        services.item_move(actor=world.office, item=item, to=ItemState.CANCELLED, expected_version=2)
    item = services.item_move(
        actor=world.office, item=item, to=ItemState.CANCELLED, expected_version=2, reason="Chi bộ sáp nhập"
    )
    assert (item.state, item.cancel_reason) == (ItemState.CANCELLED, "Chi bộ sáp nhập")
    with pytest.raises(StaleVersionError):
        services.item_move(actor=world.office, item=item, to=ItemState.PLANNED, expected_version=2)
    item = services.item_move(actor=world.office, item=item, to=ItemState.PLANNED, expected_version=3)
    assert (item.state, item.cancel_reason) == (ItemState.PLANNED, "")


def test_a_discipline_from_a_concluded_item_reaches_the_member_s_record(world):
    """Issue 8's test: the conclusion decides a warning; the member's record has the event."""
    member = make_member(world.admin, world.cell_a, "Đảng viên Vi Phạm")
    item = _item(world, _programme(world), subject_member=member, decision_number="12-QĐ/ĐU")
    item = services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=today(),
        conclusion="Vi phạm quy định về những điều đảng viên không được làm",
        result=Result.VIOLATION_DISCIPLINE,
        discipline_form=DisciplineForm.WARNING,
        actions=[services.Action("Kiểm điểm trước chi bộ", world.cell_a, today() + timedelta(days=30))],
    )
    event = MemberEvent.objects.get(member=member, kind=EventKind.DISCIPLINE)
    assert item.discipline_event == event
    assert (event.discipline_form, event.date, event.document_number) == (
        DisciplineForm.WARNING,
        today(),
        "12-QĐ/ĐU",
    )
    assert event.history.first().history_user == world.office
    assert item.state == ItemState.CONCLUDED and item.actions.get().owner == world.cell_a


def test_a_cell_cannot_decide_a_removal_and_nothing_is_written(world):
    member = make_member(world.admin, world.cell_a, "Đảng viên A")
    programme = _programme(world, world.cell_a)
    item = _item(world, programme, subject_member=member)
    with pytest.raises(ValidationError):
        services.item_conclude(
            actor=world.secretary_a,
            item=item,
            expected_version=item.version,
            concluded_on=today(),
            conclusion="Vi phạm",
            result=Result.VIOLATION_DISCIPLINE,
            discipline_form=DisciplineForm.DISMISSAL,
        )
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.DISCIPLINE).exists()


def test_a_probationary_member_is_only_reprimanded_or_warned(world):
    member = make_member(
        world.admin,
        world.cell_a,
        "Đảng viên Dự Bị",
        decision=today() - timedelta(days=90),
        ceremony=today() - timedelta(days=80),
        recognition=None,
    )
    item = _item(world, _programme(world), subject_member=member)
    with pytest.raises(ValidationError):
        services.item_conclude(
            actor=world.office,
            item=item,
            expected_version=item.version,
            concluded_on=today(),
            conclusion="Vi phạm",
            result=Result.VIOLATION_DISCIPLINE,
            discipline_form=DisciplineForm.DISMISSAL,
        )
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.DISCIPLINE).exists()


def test_a_conclusion_is_dated_and_its_result_fits_the_discipline(world):
    item = _item(world, _programme(world), subject_cell=world.cell_a)
    for bad in (
        {"concluded_on": today() + timedelta(days=1), "result": Result.NO_VIOLATION},
        {"concluded_on": today(), "result": Result.SHORTCOMINGS, "discipline_form": DisciplineForm.REPRIMAND},
        {"concluded_on": today(), "result": "unknown"},
        {
            "concluded_on": today(),
            "result": Result.VIOLATION_DISCIPLINE,
            "discipline_form": DisciplineForm.REPRIMAND,
        },
    ):
        with pytest.raises(ValidationError):  # the last: the item concerns a cell, not a member
            services.item_conclude(
                actor=world.office, item=item, expected_version=item.version, conclusion="Kết luận", **bad
            )
        item.refresh_from_db()
        assert item.state == ItemState.PLANNED


def test_the_cell_reports_a_remedial_action_done(world):
    item = _item(world, _programme(world), subject_cell=world.cell_a)
    item = services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=today(),
        conclusion="Chi bộ còn hạn chế trong sinh hoạt",
        result=Result.SHORTCOMINGS,
        actions=[
            services.Action("Nâng cao chất lượng sinh hoạt", world.cell_a, today() + timedelta(days=60))
        ],
    )
    action = item.actions.get()
    with pytest.raises(ValidationError):
        services.action_done(
            actor=world.secretary_a, action=action, expected_version=1, done_on=today(), report=" "
        )
    action = services.action_done(
        actor=world.secretary_a,
        action=action,
        expected_version=1,
        done_on=today(),
        report="Đã tổ chức sinh hoạt chuyên đề",
    )
    assert (action.state, action.done_on) == (TaskState.DONE, today())
    with pytest.raises(ValidationError):
        services.action_done(
            actor=world.secretary_a, action=action, expected_version=2, done_on=today(), report="x"
        )
    with pytest.raises(ValidationError):
        services.item_move(
            actor=world.office, item=item, to=ItemState.CANCELLED, expected_version=item.version, reason="x"
        )


def test_dates_before_what_they_follow_are_refused(world):
    from datetime import date

    from dangvu.programme.choices import RegulationKind, ReviewKind

    item = _item(world, _programme(world), subject_cell=world.cell_a)
    with pytest.raises(ValidationError):  # before the work started
        services.item_conclude(
            actor=world.office,
            item=item,
            expected_version=item.version,
            concluded_on=item.starts_on - timedelta(days=1),
            conclusion="Kết luận",
            result=Result.SHORTCOMINGS,
        )
    item = services.item_conclude(
        actor=world.office,
        item=item,
        expected_version=item.version,
        concluded_on=item.starts_on,
        conclusion="Kết luận",
        result=Result.SHORTCOMINGS,
        actions=[services.Action("Khắc phục", world.cell_a)],
    )
    action = item.actions.get()
    with pytest.raises(ValidationError):  # before the conclusion that asked it
        services.action_done(
            actor=world.secretary_a,
            action=action,
            expected_version=action.version,
            done_on=item.concluded_on - timedelta(days=1),
            report="Đã làm",
        )
    with pytest.raises(ValidationError):
        services.regulation_review_record(
            actor=world.office,
            cell=world.cell_a,
            regulation=RegulationKind.WORKING,
            review=ReviewKind.REVIEWED,
            reviewed_on=date(1, 1, 1),
        )
