"""`dangvu import_members FILE [--org CODE] [--user NAME] [--on-duplicate ...] [--dry-run]`

The same import as the page: every problem by row and column, nothing written unless the whole
file is right; --dry-run only reports.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.core import access, spreadsheets
from dangvu.core.audit import system_actor
from dangvu.members import imports
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS


class Command(BaseCommand):
    help = "Import members from an Excel file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="organisation code (default: the single root)")
        parser.add_argument(
            "--user", help="import as this login (its scope and its name in the history); default: the system"
        )
        parser.add_argument("--on-duplicate", choices=imports.ACTIONS, default="stop")
        parser.add_argument("--dry-run", action="store_true")

    def handle(
        self, *args, file: str, org: str | None, user: str | None, on_duplicate: str, dry_run: bool, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        actor, scope = self._actor(user)
        with path.open("rb") as data:
            try:
                spreadsheets.check_xlsx(data, size=path.stat().st_size)
            except spreadsheets.SpreadsheetError as exc:
                raise CommandError(str(exc)) from exc
        root = self._root(scope, org)
        cells = list(
            org_selectors.organizations_visible(scope, access.RECORDS).filter(
                path__startswith=root.path, kind__in=CELL_KINDS
            )
        )
        plan = imports.Plan(actor=actor, cells=cells, on_duplicate=on_duplicate, progress=self._progress)
        try:
            report = imports.run(str(path), plan, dry_run=dry_run)
        except spreadsheets.SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        sys.stderr.write("\n")
        self._print(report, dry_run)
        if not report.ok:
            raise CommandError("Không ghi gì: hãy sửa các dòng trên rồi nhập lại.")

    def _actor(self, username: str | None):
        if username is None:
            return system_actor(), access.SYSTEM_SCOPE
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username!r}.")
        return user, access.scope_for(user)

    def _root(self, scope, code: str | None):
        if code:
            return org_selectors.organization_get(scope, code, access.RECORDS)
        tops = org_selectors.top_organizations(scope)
        if len(tops) != 1:
            raise CommandError("Có nhiều tổ chức gốc: hãy chọn một bằng --org MÃ.")
        return tops[0]

    def _progress(self, rows: int) -> None:
        sys.stderr.write(f"\rĐã đọc {rows:,} dòng".replace(",", "."))
        sys.stderr.flush()

    def _print(self, report, dry_run: bool) -> None:
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
