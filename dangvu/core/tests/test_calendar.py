"""The working calendar kept by the top office: loaded with 2023-2027, changed only through the
services (audited), and its page open to the top office only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangvu.core import services
from dangvu.core.audit import StaleVersionError, history_entries
from dangvu.core.models import CalendarDay, DayKind
from dangvu.core.periods import work_calendar
from dangvu.organization import services as org_services
from dangvu.organization.choices import AccessRole
from dangvu.testing import make_user

pytestmark = pytest.mark.django_db

PERSONAS = ("office", "leader", "inspection", "secretary_a", "member_a", "member_b", "stranger")


def test_the_shipped_calendar_is_in_the_database_and_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        cal = work_calendar()
    assert not cal.is_working_day(date(2026, 2, 17))  # Tết 2026
    assert cal.is_working_day(date(2024, 5, 4))  # the swapped Saturday
    assert cal.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)


def test_a_day_added_by_the_office_changes_the_working_days_and_is_audited(world):
    assert work_calendar().is_working_day(date(2026, 6, 1))
    entry = services.calendar_day_add(
        actor=world.office, day=date(2026, 6, 1), kind=DayKind.OFF, name=" Nghỉ  "
    )
    assert entry.name == "Nghỉ"
    assert not work_calendar().is_working_day(date(2026, 6, 1))
    assert history_entries(entry)[0].actor == "Lê Thị Văn Phòng"


def test_a_weekday_cannot_be_made_a_swapped_working_day(world):
    with pytest.raises(ValidationError) as refused:
        services.calendar_day_add(actor=world.office, day=date(2026, 6, 1), kind=DayKind.WORK, name="Làm bù")
    assert "kind" in refused.value.message_dict
    assert not CalendarDay.objects.filter(day=date(2026, 6, 1)).exists()


def test_a_date_already_in_the_calendar_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.calendar_day_add(actor=world.office, day=date(2026, 9, 2), kind=DayKind.OFF, name="Lần hai")
    assert "day" in refused.value.message_dict


def test_removing_a_holiday_makes_it_a_working_day_again_and_keeps_the_row(world):
    entry = CalendarDay.objects.get(day=date(2026, 9, 2))
    services.calendar_day_delete(actor=world.office, calendar_day=entry, expected_version=entry.version)
    assert work_calendar().is_working_day(date(2026, 9, 2))
    assert CalendarDay.all_objects.get(pk=entry.pk).deleted_at is not None
    # The date may be entered again once the old entry is deleted.
    services.calendar_day_add(actor=world.office, day=date(2026, 9, 2), kind=DayKind.OFF, name="Quốc khánh")


def test_a_stale_edit_is_refused(world):
    entry = CalendarDay.objects.get(day=date(2026, 9, 2))
    services.calendar_day_update(
        actor=world.office, calendar_day=entry, expected_version=1, day=entry.day, kind="off", name="Một"
    )
    with pytest.raises(StaleVersionError):
        services.calendar_day_update(
            actor=world.office, calendar_day=entry, expected_version=1, day=entry.day, kind="off", name="Hai"
        )


# ------------------------------------------------------------------------------------ the page


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_calendar_page_is_the_top_offices_and_404_for_everyone_else(world, as_user, persona):
    response = as_user(getattr(world, persona)).get(reverse("core:calendar") + "?nam=2024")
    assert response.status_code == (200 if persona == "office" else 404)
    if persona == "office":
        assert "29 Tết" in response.content.decode() and "04/05/2024" in response.content.decode()


def test_a_superuser_may_keep_the_calendar(world, as_user):
    assert as_user(world.admin).get(reverse("core:calendar")).status_code == 200


def test_the_office_of_a_partial_committee_may_not_keep_the_calendar(world, as_user):
    office_p = make_user("office_p")
    org_services.role_grant(
        actor=world.admin, user=office_p, role=AccessRole.OFFICE, organization=world.partial
    )
    client = as_user(office_p)
    assert client.get(reverse("core:calendar")).status_code == 404
    entry = CalendarDay.objects.get(day=date(2026, 9, 2))
    assert client.post(reverse("core:calendar_delete", args=[entry.pk]), {"version": 1}).status_code == 404
    assert CalendarDay.objects.filter(pk=entry.pk).exists()


def test_the_office_adds_edits_and_removes_a_day_on_the_page(world, as_user):
    client = as_user(world.office)
    response = client.post(
        reverse("core:calendar"), {"day": "01/06/2026", "kind": "off", "name": "Ngày nghỉ địa phương"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?nam=2026")
    entry = CalendarDay.objects.get(day=date(2026, 6, 1))
    response = client.post(
        reverse("core:calendar_edit", args=[entry.pk]),
        {"day": "01/06/2026", "kind": "off", "name": "Nghỉ lễ địa phương", "version": entry.version},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Nghỉ lễ địa phương"
    client.post(reverse("core:calendar_delete", args=[entry.pk]), {"version": entry.version})
    assert not CalendarDay.objects.filter(day=date(2026, 6, 1)).exists()


def test_a_refused_day_shows_the_reason_on_the_form(world, as_user):
    response = as_user(world.office).post(
        reverse("core:calendar"), {"day": "01/06/2026", "kind": "work", "name": "Làm bù"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]  # shown beside the field
    assert not CalendarDay.objects.filter(day=date(2026, 6, 1)).exists()


@pytest.mark.parametrize("persona", ("leader", "secretary_a", "stranger"))
def test_others_cannot_add_or_change_days(world, as_user, persona):
    client = as_user(getattr(world, persona))
    entry = CalendarDay.objects.get(day=date(2026, 9, 2))
    assert (
        client.post(reverse("core:calendar"), {"day": "01/06/2026", "kind": "off", "name": "X"}).status_code
        == 404
    )
    edit = client.post(
        reverse("core:calendar_edit", args=[entry.pk]),
        {"day": "02/09/2026", "kind": "off", "name": "X", "version": 1},
    )
    assert edit.status_code == 404
    assert not CalendarDay.objects.filter(day=date(2026, 6, 1)).exists()
    assert CalendarDay.objects.get(pk=entry.pk).name == entry.name


def test_the_profile_links_the_calendar_for_the_top_office_only(world, as_user):
    url = reverse("core:calendar")
    assert url in as_user(world.office).get(reverse("profile")).content.decode()
    assert url not in as_user(world.leader).get(reverse("profile")).content.decode()
