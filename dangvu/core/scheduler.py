"""The periodic jobs: reminders and whatever else must happen on its own, every minute or so.

Apps register a function in their `AppConfig.ready()`:

    scheduler.register_periodic("reports.remind", remind)

The function receives the time of the tick and returns how many notifications it created. It must
be idempotent: a tick may run twice (a restart), or in two scheduler processes at once. Notification
keys (core.notifications) make that so for reminders; e-mail delivery claims its rows. `tick()` is
what `dangvu scheduler` runs: each job in its own transaction (one failing job does not stop the
others), then the e-mail delivery, then the clean-up of old job files.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import jobs, notifications

logger = logging.getLogger(__name__)

PeriodicJob = Callable[[datetime], int]
_periodic: dict[str, PeriodicJob] = {}


def register_periodic(name: str, func: PeriodicJob) -> None:
    """Run `func(now)` on every tick. Registering the same name again replaces the function."""
    _periodic[name] = func


@dataclass(frozen=True)
class TickResult:
    """What one tick did: notifications created per job, the jobs that failed, the e-mails."""

    at: datetime
    created: dict[str, int] = field(default_factory=dict)
    failed: tuple[str, ...] = ()
    delivery: notifications.DeliveryResult = notifications.DeliveryResult()
    files_removed: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def tick(now: datetime | None = None) -> TickResult:
    """Run every periodic job, then deliver the e-mails that are due."""
    now = now or timezone.now()
    created: dict[str, int] = {}
    failed: list[str] = []
    for name, func in list(_periodic.items()):
        try:
            with transaction.atomic():
                created[name] = int(func(now) or 0)
        except Exception as exc:  # one job's bug must not stop the others or the delivery
            _log_failure(name, exc)
            failed.append(name)
    # What the jobs just queued is due at once (it was stamped after `now`).
    delivery = notifications.deliver_pending(max(now, timezone.now()))
    removed = jobs.purge_expired(now)
    return TickResult(at=now, created=created, failed=tuple(failed), delivery=delivery, files_removed=removed)


def _log_failure(name: str, exc: Exception) -> None:
    # Where it broke, and the error's type: the message may hold personal data, so it is left out.
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    logger.error("periodic job %s failed: %s at %s", name, type(exc).__name__, where)
