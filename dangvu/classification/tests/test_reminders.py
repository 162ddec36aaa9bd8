"""The review's deadline reminders: the cells still behind are told in the last days, once each."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangvu.classification import reminders, services
from dangvu.classification.reminders import threshold
from dangvu.core.models import Notification

pytestmark = pytest.mark.django_db


def test_the_threshold_is_the_smallest_day_count_not_below_the_days_left():
    assert [threshold(left, (3, 1)) for left in (5, 4, 3, 2, 1, 0, -1)] == [None, None, 3, 3, 1, 1, None]


def _campaign_ending_tomorrow(world):
    today = timezone.localdate()
    end = min(today + timedelta(days=1), date(today.year, 12, 31))
    start = max(today - timedelta(days=10), date(today.year, 1, 1))
    return services.campaign_open(
        actor=world.office, organization=world.root, year=today.year, start=start, end=end, notify=False
    )


def test_a_cell_behind_is_told_once_near_the_end(world):
    campaign = _campaign_ending_tomorrow(world)
    now = timezone.now()
    assert reminders.remind(now) == 1  # only cell A has a committee with a login (the secretary)
    sent = Notification.objects.get(recipient=world.secretary_a)
    assert sent.url == campaign.sheet_url(world.cell_a)
    assert str(campaign.year) in sent.subject
    assert reminders.remind(now) == 0


def test_nothing_is_sent_long_before_the_end(world):
    next_year = timezone.localdate().year + 1  # a campaign that ends months from now
    services.campaign_open(
        actor=world.office,
        organization=world.root,
        year=next_year,
        start=date(next_year, 1, 1),
        end=date(next_year, 12, 31),
        notify=False,
    )
    assert reminders.remind(timezone.now()) == 0
