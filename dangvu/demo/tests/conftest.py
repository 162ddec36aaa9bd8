"""The demo loaded as of one day, shared by the demo's tests."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.organization.models import Organization

TODAY = date(2026, 11, 27)


@pytest.fixture
def demo():
    """The demo as `load_demo --today TODAY --members 150` writes it: its grassroots committee."""
    call_command("load_demo", "--today", TODAY.isoformat(), "--members", "150", stdout=StringIO())
    return Organization.objects.get(code="DU-VUSTA")
