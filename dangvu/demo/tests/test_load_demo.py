from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from dangvu.core import access
from dangvu.core.audit import SYSTEM_USERNAME
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization, Person

pytestmark = pytest.mark.django_db


def _load(**options) -> str:
    out = StringIO()
    options.setdefault("members", 150)  # the default 2,000 is for the demo, not for every test
    call_command("load_demo", "--today", "2026-11-27", stdout=out, **options)
    return out.getvalue()


def test_the_demo_is_one_committee_with_about_60_cells_in_three_levels():
    output = _load()
    root = Organization.objects.get(parent__isnull=True)
    cells = Organization.objects.filter(kind__in=CELL_KINDS)
    assert cells.count() == 60 and Organization.objects.count() == 65
    assert max(Organization.objects.values_list("depth", flat=True)) == 2
    assert root.code == "DU-VUSTA"
    for username in ("vanphong", "lanhdao", "ubkt", "bithu.cb02", "dangvien.cb02"):
        assert username in output


def test_loading_again_keeps_the_data():
    _load()
    people = Person.objects.count()
    output = _load()
    assert Person.objects.count() == people and "vanphong" in output


class _Undo(Exception):
    pass


def _names_loaded(seed: int) -> list[str]:
    """Load the demo in a savepoint, note the names, and roll it back."""
    try:
        with transaction.atomic():
            _load(seed=seed)
            names = list(Person.objects.order_by("pk").values_list("full_name", flat=True))
            raise _Undo
    except _Undo:
        return names


def test_the_same_seed_gives_the_same_demo():
    first = _names_loaded(7)
    assert first == _names_loaded(7)
    assert first != _names_loaded(8)


def test_the_demo_personas_see_what_their_role_gives():
    _load()
    users = {u.username: u for u in get_user_model().objects.all()}
    root = Organization.objects.get(code="DU-VUSTA")
    cell_a = Organization.objects.get(code="CB-02")
    on = date(2026, 11, 27)
    assert access.scope_for(users["vanphong"], on).covers(root.path, access.MANAGE)
    assert access.scope_for(users["lanhdao"], on).covers(root.path)
    assert not access.scope_for(users["lanhdao"], on).covers(root.path, access.MANAGE)
    secretary = access.scope_for(users["bithu.cb02"], on)
    assert secretary.covers(cell_a.path) and not secretary.covers(root.path)
    assert not access.scope_for(users["dangvien.cb02"], on).covers(cell_a.path)


def test_demo_records_are_audited_as_the_system():
    _load()
    org = Organization.objects.get(code="CB-01")
    assert org.history.latest().history_user.username == SYSTEM_USERNAME
