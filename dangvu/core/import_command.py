"""What the import commands share: the file check, the acting user and its scope, the progress
line and the report (core.imports), so that `import_members`, `import_organizations` and
`import_seats` behave alike."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from . import access, spreadsheets
from .audit import system_actor
from .imports import Report


class ImportCommand(BaseCommand):
    actions: tuple[str, ...] = ("stop", "skip", "update")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="organisation code (default: the single root)")
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
