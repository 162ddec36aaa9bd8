import pytest
from django.core.management import call_command

from dangvu.core.audit import StaleVersionError, history_entries, update_versioned
from dangvu.organization.models import Organization

pytestmark = pytest.mark.django_db


def test_a_versioned_update_applies_once_per_version(world):
    first = Organization.objects.get(code="CB-B")
    second = Organization.objects.get(code="CB-B")
    update_versioned(first, actor=world.office, expected_version=1, changes={"name": "Một"})
    with pytest.raises(StaleVersionError) as refused:
        update_versioned(second, actor=world.leader, expected_version=1, changes={"name": "Hai"})
    assert refused.value.current_version == 2
    assert "tải lại trang" in str(refused.value)  # a Vietnamese message the user can act on
    assert Organization.objects.get(code="CB-B").name == "Một"


def test_history_entries_show_who_and_what_changed(world):
    org = Organization.objects.get(code="CB-B")
    update_versioned(org, actor=world.office, expected_version=1, changes={"name": "Chi bộ Bê"})
    newest = history_entries(org)[0]
    assert newest.actor == "Lê Thị Văn Phòng" and newest.kind == "~"
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("name", "Chi bộ B", "Chi bộ Bê")]


def test_a_command_records_its_changes_as_the_system(db):
    # A small demo: what is checked is who the history names, not the demo's size (which the demo's
    # own tests and the benchmark cover).
    call_command("load_demo", "--today", "2026-01-15", "--members", "60", stdout=__import__("io").StringIO())
    entry = history_entries(Organization.objects.get(code="DU-VUSTA"))[-1]
    assert entry.actor == "Hệ thống" and entry.kind == "+"
