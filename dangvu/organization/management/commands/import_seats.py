"""`dangvu import_seats FILE [--org CODE] [--user NAME] [--dry-run]`: committee seats, the same way as
`import_organizations` (people are found by name, and date of birth when given, or created; a seat
already recorded is left unchanged, so --on-duplicate has nothing to decide)."""

from dangvu.organization import imports

from .import_organizations import Command as ImportOrganizations


class Command(ImportOrganizations):
    help = "Import committee seats from an Excel file (all or nothing)."
    run = staticmethod(imports.run_seats)
