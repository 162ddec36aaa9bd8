"""The reminders of member development go to whoever must act, once, and not before they are due:
a probation ending within 30 days, a ceremony overdue, a certificate about to expire. Dates relative
to today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangvu.core.models import Notification
from dangvu.core.periods import today
from dangvu.development import reminders, rules
from dangvu.development.choices import Step
from dangvu.development.tests import factories
from dangvu.members.rules import add_months

pytestmark = pytest.mark.django_db


def _told() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, user in Notification.objects.values_list("key", "recipient__username").order_by(
        "key", "recipient__username"
    ):
        found.setdefault(key.split(".")[1], []).append(user)
    return found


def _way_to(step: str, on) -> factories.Way:
    """A way whose `step` falls on `on`, the others a month apart before it."""
    index = list(factories.way().steps).index(step)
    steps = {
        s: on - timedelta(days=30 * (index - i)) for i, s in enumerate(factories.way().steps) if i <= index
    }
    return factories.Way(listed=steps[Step.CLASS] - timedelta(days=30), steps=steps)


def test_a_probation_ending_within_30_days_is_told_to_the_cell_once(world):
    ceremony = add_months(today(), -12) + timedelta(days=10)
    way = _way_to(Step.CEREMONY, ceremony)
    factories.advance(world, factories.candidate(world, at=way), Step.CEREMONY, way)
    assert reminders.remind(timezone.now()) == 1
    assert _told() == {"probation": ["secretary_a"]}
    assert reminders.remind(timezone.now()) == 0


def test_a_probation_ending_later_is_not_told_yet(world):
    ceremony = add_months(today(), -12) + timedelta(days=40)
    way = _way_to(Step.CEREMONY, ceremony)
    factories.advance(world, factories.candidate(world, at=way), Step.CEREMONY, way)
    assert reminders.remind(timezone.now()) == 0


def test_an_overdue_ceremony_is_told_to_the_cell_and_the_office(world):
    way = _way_to(Step.DECISION, today() - timedelta(days=60))  # 30 working days are at most 6 weeks and Tết
    factories.advance(world, factories.candidate(world, at=way), Step.DECISION, way)
    assert reminders.remind(timezone.now()) == 2
    assert _told() == {"overdue": ["office", "secretary_a"]}


def test_a_ceremony_not_yet_due_is_not_told(world):
    way = _way_to(Step.DECISION, today() - timedelta(days=5))
    factories.advance(world, factories.candidate(world, at=way), Step.DECISION, way)
    assert reminders.remind(timezone.now()) == 0


def test_a_certificate_about_to_expire_is_told_to_the_cell(world):
    certified = add_months(today(), -rules.CERTIFICATE_MONTHS) + timedelta(days=20)
    way = factories.Way(listed=certified - timedelta(days=30), steps={Step.CLASS: certified})
    factories.advance(world, factories.candidate(world, at=way), Step.CLASS, way)
    assert reminders.remind(timezone.now()) == 1
    assert _told() == {"certificate": ["secretary_a"]}
