"""`dangvu scheduler`: run the periodic jobs (reminders) and the e-mail delivery every minute.

Several schedulers may run at once (on two servers, or by mistake): reminders are keyed and e-mails
claimed, so nothing is sent twice.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone, translation

from dangvu.core import scheduler


class Command(BaseCommand):
    help = "Chạy các việc định kỳ (nhắc hạn) và gửi thư điện tử, mỗi phút một lần."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lần rồi dừng.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Số giây giữa hai lần chạy (mặc định 60)."
        )

    def handle(self, *args, once: bool, interval: int, **options):
        if interval < 1:
            raise CommandError("--interval phải từ 1 giây trở lên.")
        translation.activate(settings.LANGUAGE_CODE)
        try:
            while True:
                started = time.monotonic()
                self.stdout.write(summary(scheduler.tick()))
                if once:
                    return
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
                close_old_connections()  # a database restart between ticks is survived
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")


def summary(result: scheduler.TickResult) -> str:
    """One line per tick, in Vietnamese."""
    d = result.delivery
    line = (
        f"{timezone.localtime(result.at):%d/%m/%Y %H:%M:%S}: {result.total_created} thông báo mới; "
        f"thư: {d.sent} đã gửi, {d.retrying} lỗi sẽ gửi lại, {d.failed} không gửi được"
    )
    if result.files_removed:
        line += f"; đã xóa {result.files_removed} tệp cũ"
    if result.failed:
        line += f"; việc lỗi: {', '.join(result.failed)}"
    return line + "."
