"""What the import commands share: the file check, the acting user and its scope, the progress
line and the report (core.imports), so that `import_members`, `import_organizations` and
`import_seats` behave alike."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from . import access, spreadsheets
from .audit import system_actor
from .imports import Report


class ImportCommand(BaseCommand):
    actions: tuple[str, ...] = ("stop", "skip", "update")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--org",
            help="organisation code (members: default the single root; "
            "organisations and seats: required unless run as the "
            "system)",
        )
        parser.add_argument(
            "--user", help="import as this login (its scope and its name in the history); default: the system"
        )
        parser.add_argument("--on-duplicate", choices=self.actions, default="stop")
        parser.add_argument("--dry-run", action="store_true")

    def checked_file(self, file: str) -> Path:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        with path.open("rb") as data:
            try:
                spreadsheets.check_xlsx(data, size=path.stat().st_size)
            except spreadsheets.SpreadsheetError as exc:
                raise CommandError(str(exc)) from exc
        return path

    def actor(self, username: str | None):
        if username is None:
            return system_actor(), access.SYSTEM_SCOPE
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username!r}.")
        return user, access.scope_for(user)

    def execute(self, *args, **options):
        # core.access answers 404 for what is missing or outside the scope: say it plainly here.
        try:
            return super().execute(*args, **options)
        except Http404 as exc:
            raise CommandError("Không có tổ chức --org này trong phạm vi được làm.") from exc

    def progress(self, rows: int) -> None:
        sys.stderr.write(f"\rĐã đọc {rows:,} dòng".replace(",", "."))
        sys.stderr.flush()

    def finish(self, report: Report, dry_run: bool) -> None:
        sys.stderr.write("\n")
        for problem in report.problems:
            self.stdout.write(f"Dòng {problem.row}, cột “{problem.column}”: {problem.message}")
        for duplicate in report.duplicates:
            self.stdout.write(
                f"Dòng {duplicate['row']}: trùng với {duplicate['existing']} "
                f"({duplicate['matched_by']}) → {duplicate['action']}"
            )
        for warning in report.warnings[:50]:
            self.stdout.write(f"Lưu ý dòng {warning.row}: {warning.message}")
        verb = "Sẽ tạo" if dry_run else "Đã tạo"
        self.stdout.write(
            f"{report.rows} dòng. {verb} {report.created}, cập nhật {report.updated}, "
            f"giữ nguyên {report.unchanged}, bỏ qua {report.skipped}; {len(report.problems)} lỗi."
        )
        if not report.ok:
            raise CommandError("Không ghi gì: hãy sửa các dòng trên rồi nhập lại.")
