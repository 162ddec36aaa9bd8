"""`dangvu report annual --year YYYY --format json [--org CODE] [--as-of YYYY-MM-DD] [--user NAME]`

Prints the annual figures document of shared/spec/metrics.md. Run by the system it sees every
organisation; with --user it sees what that login may see (core.access), like the API.
"""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from dangvu.core import access, metrics, periods
from dangvu.organization import selectors


class Command(BaseCommand):
    help = "Print the annual figures of an organisation's subtree (metric contract, JSON)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--org", help="organisation code; optional when there is a single root")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, dest="as_of")
        parser.add_argument("--user", help="compute as this login sees it (default: everything)")

    def handle(self, *args, year: int, org: str | None, as_of: date | None, user: str | None, **options):
        if as_of is not None and as_of.year < year:
            raise CommandError("--as-of không được trước năm báo cáo.")
        scope = self._scope(user)
        try:
            organization = self._organization(scope, org)
        except Http404 as exc:
            raise CommandError(f"Không có tổ chức mã {org!r} (hoặc ngoài phạm vi được xem).") from exc
        document = metrics.annual_document(
            organization=organization, year=year, as_of=as_of, on=periods.today()
        )
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _scope(self, username: str | None) -> access.Scope:
        if username is None:
            return access.SYSTEM_SCOPE
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username!r}.")
        return access.scope_for(user)

    def _organization(self, scope: access.Scope, code: str | None):
        organization = selectors.organization_or_single_top(scope, code)
        if organization is None:
            raise CommandError("Có nhiều tổ chức gốc: hãy chọn một bằng --org MÃ.")
        return organization
