"""`dangvu load_demo [--seed N] [--today YYYY-MM-DD]`: the demo committee, deterministically.

Safe to run again: when the demo is already there it only prints the accounts.
"""

import random
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangvu.core import periods
from dangvu.core.audit import system_actor
from dangvu.demo import builders
from dangvu.organization.models import Organization


class Command(BaseCommand):
    help = (
        "Load the demo Party committee (about 60 cells), its committees, persona accounts, reports "
        "and reviews (decided for the three years before today, this year in progress)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--members", type=int, default=2000, help="about this many members")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the date the demo is built for (YYYY-MM-DD), default today",
        )

    def handle(self, *args, seed: int, today: date | None, members: int, **options):
        if Organization.all_objects.filter(code=builders.ROOT_CODE).exists():
            self.stdout.write("Dữ liệu mẫu đã có sẵn; không nạp lại.")
            self._print_accounts(self._existing_accounts())
            return
        started = time.monotonic()
        ctx = builders.DemoContext(
            rng=random.Random(seed), today=today or periods.today(), actor=None, members=members
        )
        with transaction.atomic():
            ctx.actor = system_actor()
            for build in builders.BUILDERS:
                build(ctx)
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu: {len(ctx.cells)} chi bộ, trong {time.monotonic() - started:.1f} giây."
        )
        self._print_accounts(ctx.accounts)

    def _existing_accounts(self) -> list[tuple[str, str]]:
        names = ["vanphong", "lanhdao", "ubkt", "bithu.cb02", "dangvien.cb02", "dangvien.cb03"]
        found = get_user_model().objects.filter(username__in=names)
        return [(u.username, u.first_name) for u in found.order_by("pk")]

    def _print_accounts(self, accounts: list[tuple[str, str]]) -> None:
        if not accounts:
            raise CommandError("Không tìm thấy tài khoản mẫu.")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {builders.DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<16} {description}")
