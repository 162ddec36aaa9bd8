"""`dangvu import_organizations FILE [--org CODE] [--user NAME] [--on-duplicate ...] [--dry-run]`

The same import as the page, all or nothing. Run by the system without --org on an empty
installation, it may create the root organisations.
"""

from django.core.management.base import CommandError

from dangvu.core import access, spreadsheets
from dangvu.core.import_command import ImportCommand
from dangvu.organization import imports, selectors


class Command(ImportCommand):
    help = "Import organisations from an Excel file (all or nothing)."
    run = staticmethod(imports.run_organizations)

    def handle(self, *args, file, org, user, on_duplicate, dry_run, **options):
        path = self.checked_file(file)
        actor, scope = self.actor(user)
        root = selectors.organization_get(scope, org, access.MANAGE) if org else None
        if root is None and not scope.is_system:
            raise CommandError("Hãy chọn tổ chức bằng --org MÃ.")
        managed = selectors.organizations_visible(scope, access.MANAGE)
        if root is not None:
            managed = managed.filter(path__startswith=root.path)
        plan = imports.Plan(actor=actor, root=root, organizations=list(managed), on_duplicate=on_duplicate)
        try:
            report = self.run(str(path), plan, dry_run=dry_run)
        except spreadsheets.SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        self.finish(report, dry_run)
