"""`dangvu import_members FILE [--org CODE] [--user NAME] [--on-duplicate ...] [--dry-run]`

The same import as the page: every problem by row and column, nothing written unless the whole
file is right; --dry-run only reports.
"""

from django.core.management.base import CommandError

from dangvu.core import access, spreadsheets
from dangvu.core.import_command import ImportCommand
from dangvu.members import imports
from dangvu.organization import selectors as org_selectors
from dangvu.organization.choices import CELL_KINDS


class Command(ImportCommand):
    help = "Import members from an Excel file (all or nothing)."
    actions = imports.ACTIONS

    def handle(self, *args, file, org, user, on_duplicate, dry_run, **options):
        path = self.checked_file(file)
        actor, scope = self.actor(user)
        root = self._root(scope, org)
        cells = list(
            org_selectors.organizations_visible(scope, access.RECORDS).filter(
                path__startswith=root.path, kind__in=CELL_KINDS
            )
        )
        plan = imports.Plan(
            actor=actor, cells=cells, scope=scope, on_duplicate=on_duplicate, progress=self.progress
        )
        try:
            report = imports.run(str(path), plan, dry_run=dry_run)
        except spreadsheets.SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        self.finish(report, dry_run)

    def _root(self, scope, code: str | None):
        root = org_selectors.organization_or_single_top(scope, code, access.RECORDS)
        if root is None:
            raise CommandError("Có nhiều tổ chức gốc: hãy chọn một bằng --org MÃ.")
        return root
