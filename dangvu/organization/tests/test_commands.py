import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangvu.core import access
from dangvu.organization.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_init_committee_creates_the_root_and_an_office_login(db):
    out = StringIO()
    call_command(
        "init_committee", "--code", "du-moi", "--name", "Đảng bộ Mới", "--office", "Lê Thị Văn", stdout=out
    )
    root = Organization.objects.get(code="DU-MOI")
    office = Person.objects.get(full_name="Lê Thị Văn").user
    assert office.username == "van.lt" and office.must_change_password
    assert access.scope_for(office).covers(root.path, access.MANAGE)
    assert "van.lt" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "init_committee", "--code", "DU-MOI", "--name", "Lần hai", "--office", "Ai Đó", stdout=StringIO()
        )
    assert Person.objects.filter(full_name="Ai Đó").count() == 0


def test_report_needs_org_when_there_are_several_roots(world):
    call_command(
        "init_committee", "--code", "DU2", "--name", "Đảng bộ Hai", "--office", "Ai", stdout=StringIO()
    )
    with pytest.raises(CommandError, match="--org"):
        call_command("report", "annual", "--year", "2026", stdout=StringIO())


def test_report_as_a_user_sees_only_their_scope(world):
    out = StringIO()
    call_command("report", "annual", "--year", "2026", "--user", "secretary_a", stdout=out)
    assert json.loads(out.getvalue())["organization"]["code"] == "CB-A"
    with pytest.raises(CommandError):
        call_command(
            "report", "annual", "--year", "2026", "--org", "CB-B", "--user", "secretary_a", stdout=StringIO()
        )
