from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dangvu.core.audit import StaleVersionError
from dangvu.members import selectors, services
from dangvu.members.choices import DisciplineForm, EventKind, Status
from dangvu.members.models import MemberEvent, MembershipPeriod
from dangvu.testing import make_member

pytestmark = pytest.mark.django_db
K = EventKind


def _status(member, on):
    row = selectors.with_status(type(member).objects.filter(pk=member.pk), on).get()
    return selectors.status_of(row, on)


def test_events_make_the_status_and_every_event_is_audited(world):
    member = make_member(world.office, world.cell_a, "Trần Thị Hoa", recognition=None)
    assert _status(member, date(2010, 3, 10)) == Status.AWAITING_CEREMONY
    assert _status(member, date(2011, 6, 1)) == Status.PROBATIONARY
    event = services.event_add(
        actor=world.secretary_a, member=member, kind=K.RECOGNITION, date=date(2011, 3, 25)
    )
    assert _status(member, date(2011, 6, 1)) == Status.OFFICIAL
    assert event.history.latest().history_user == world.secretary_a
    services.event_add(actor=world.secretary_a, member=member, kind=K.DEATH, date=date(2020, 1, 1))
    assert _status(member, date(2021, 1, 1)) == Status.DECEASED
    assert MembershipPeriod.objects.get(member=member).end == date(2020, 1, 1)


def test_a_move_between_cells_changes_the_keeping_cell(world):
    member = make_member(world.office, world.cell_a, "Lê Văn Chuyển")
    services.event_add(
        actor=world.office, member=member, kind=K.CELL_TRANSFER, date=date(2020, 5, 1), cell=world.cell_b
    )
    member.person.refresh_from_db()
    assert member.person.organization == world.cell_b
    assert member.person.history.latest().history_user == world.office


def test_an_impossible_date_order_is_refused_and_nothing_is_saved(world):
    member = make_member(world.office, world.cell_a, "Phạm Văn Thử")
    services.event_add(actor=world.office, member=member, kind=K.DEATH, date=date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.event_add(actor=world.office, member=member, kind=K.EXEMPTION, date=date(2021, 1, 1))
    assert not MemberEvent.objects.filter(member=member, kind=K.EXEMPTION).exists()


def test_an_end_before_its_start_is_refused(world):
    member = make_member(world.office, world.cell_a, "Phạm Văn Sai")
    with pytest.raises(ValidationError):
        services.event_add(
            actor=world.office,
            member=member,
            kind=K.EXEMPTION,
            date=date(2021, 5, 1),
            end_date=date(2021, 1, 1),
        )


def test_the_age_rule_blocks_a_new_admission_but_only_warns_on_history(world):
    with pytest.raises(ValidationError):
        services.member_create(
            actor=world.office,
            cell=world.cell_a,
            full_name="Ngô Văn Trẻ",
            date_of_birth=date(2010, 1, 1),
            new_admission=True,
            admission=services.AdmissionDates(decision=date(2026, 1, 1)),
        )
    old = services.member_create(
        actor=world.office,
        cell=world.cell_a,
        full_name="Ngô Văn Già",
        date_of_birth=date(1900, 1, 1),
        admission=services.AdmissionDates(decision=date(1970, 1, 1)),
    )
    assert old.pk


def test_a_citizen_id_is_unique_across_members(world):
    make_member(world.office, world.cell_a, "Lý Văn Một", citizen_id="001080012345")
    with pytest.raises(ValidationError):
        make_member(world.office, world.cell_b, "Lý Văn Hai", citizen_id="001080012345")


def test_a_new_card_must_carry_twelve_digits(world):
    member = make_member(world.office, world.cell_a, "Đinh Văn Thẻ")
    with pytest.raises(ValidationError):
        services.member_update(
            actor=world.office,
            member=member,
            expected_version=1,
            card_number="123",
            card_issued_on=date(2025, 9, 2),
        )
    member.refresh_from_db()
    assert member.card_number == ""


def test_a_stale_record_edit_is_refused(world):
    member = make_member(world.office, world.cell_a, "Mai Thị Sửa")
    services.member_update(actor=world.office, member=member, expected_version=1, hometown="Huế")
    with pytest.raises(StaleVersionError):
        services.member_update(actor=world.secretary_a, member=member, expected_version=1, hometown="Vinh")
    member.refresh_from_db()
    assert member.hometown == "Huế"


def test_renaming_a_member_keeps_search_and_order_in_step(world):
    member = make_member(world.office, world.cell_a, "Hà Văn Cũ")
    services.member_update(actor=world.office, member=member, expected_version=1, full_name="Hà Văn Mới")
    member.person.refresh_from_db()
    assert member.person.search_text == "ha van moi"


def test_removing_an_event_rebuilds_the_status(world):
    member = make_member(world.office, world.cell_a, "Tạ Văn Nhầm")
    death = services.event_add(actor=world.office, member=member, kind=K.DEATH, date=date(2020, 1, 1))
    services.event_delete(actor=world.office, event=death, expected_version=1)
    assert _status(member, date(2021, 1, 1)) == Status.OFFICIAL
    assert MemberEvent.all_objects.filter(pk=death.pk, deleted_at__isnull=False).exists()


def test_expulsion_by_discipline_ends_membership_and_annulment_restores_it(world):
    member = make_member(world.office, world.cell_a, "Vũ Văn Kỷ")
    services.event_add(
        actor=world.office,
        member=member,
        kind=K.DISCIPLINE,
        date=date(2019, 1, 1),
        discipline_form=DisciplineForm.EXPULSION,
        issuing_body="Đảng ủy",
    )
    assert _status(member, date(2020, 1, 1)) == Status.EXPELLED


def test_member_counts_of_the_rules_show_on_the_organisation_page(world):
    from dangvu.organization import selectors as org_selectors

    for name in ("Một", "Hai"):
        make_member(world.office, world.cell_a, f"Lê Văn {name}")
    for i in range(3):
        make_member(world.office, world.cell_b, f"Trần Văn {i}")
    found = {
        (a.organization.code, a.warning.code)
        for a in org_selectors.attention_in(org_selectors.subtree(world.root), on=date(2026, 1, 1))
    }
    assert ("CB-A", "too_few_members") in found  # 2 official members (§9.6)
    assert ("CB-B", "too_few_members") not in found
    assert ("DU", "too_few_members") not in found  # the đảng bộ counts its cells: 5
