"""`dangvu report annual --year YYYY --format json [--org CODE] [--as-of YYYY-MM-DD] [--user NAME]`

Prints the annual figures document of shared/spec/metrics.md. Run by the system it sees every
organisation; with --user it sees what that login may see (core.access), like the API.

`dangvu report annual|midyear --year YYYY --format docx|pdf [--org CODE] [--output FILE] [--user NAME]`
writes the annual summary report (or the six-month review) as a draft into the document register
(documents.services.draft_create, its author the --user login or the system account) and its file;
with --user only for an organisation that login may write the report of (documents.selectors.may_write).
"""

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import Http404

from dangvu.core import access, audit, metrics, periods
from dangvu.organization import selectors

DOCUMENT_FORMATS = ("docx", "pdf")


class Command(BaseCommand):
    help = (
        "Print the annual figures of an organisation's subtree (metric contract, JSON), or write its "
        "annual summary report / six-month review (DOCX, PDF) into the document register."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual", "midyear"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--format", choices=["json", *DOCUMENT_FORMATS], default=None, help="annual: json (default)"
        )
        parser.add_argument("--output", help="the file (or folder) to write; default: its own name here")
        parser.add_argument("--org", help="organisation code; optional when there is a single root")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, dest="as_of")
        parser.add_argument("--user", help="compute as this login sees it (default: everything)")

    def handle(self, *args, year: int, org: str | None, as_of: date | None, user: str | None, **options):
        kind, fmt = options["kind"], options["format"] or ("json" if options["kind"] == "annual" else "docx")
        if fmt != "json":
            self._write_document(kind, fmt, year, org, user, as_of, options["output"])
            return
        if kind != "annual":
            raise CommandError("Báo cáo sơ kết 6 tháng chỉ xuất ra tệp: --format docx hoặc pdf.")
        if as_of is not None and as_of.year < year:
            raise CommandError("--as-of không được trước năm báo cáo.")
        organization = self._organization(self._scope(user), org)
        document = metrics.annual_document(
            organization=organization, year=year, as_of=as_of, on=periods.today()
        )
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _scope(self, username: str | None) -> access.Scope:
        if username is None:
            return access.SYSTEM_SCOPE
        return access.scope_for(self._user(username))

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username!r}.")
        return user

    def _organization(self, scope: access.Scope, code: str | None):
        try:
            organization = selectors.organization_or_single_top(scope, code)
        except Http404 as exc:
            raise CommandError(f"Không có tổ chức mã {code!r} (hoặc ngoài phạm vi được xem).") from exc
        if organization is None:
            raise CommandError("Có nhiều tổ chức gốc: hãy chọn một bằng --org MÃ.")
        return organization

    # ------------------------------------------------------------ the report as a document (issue 12)

    def _write_document(self, kind, fmt, year, code, username, as_of, output) -> None:
        """Build the draft, keep it in the register and write its file: all or nothing (a file that
        cannot be written leaves no draft behind)."""
        from dangvu.documents import selectors as documents
        from dangvu.documents import services
        from dangvu.documents.builders import annual

        if as_of is not None:
            raise CommandError("--as-of chỉ dùng với --format json.")
        if not periods.FIRST_YEAR <= year <= periods.today().year:
            raise CommandError(f"Không có báo cáo năm {year}: năm chưa bắt đầu hoặc không hợp lệ.")
        actor = self._user(username) if username else audit.system_actor()
        scope = access.scope_for(actor) if username else access.SYSTEM_SCOPE
        organization = self._organization(scope, code)
        if not documents.may_write(scope, organization, documents.report_type(kind)):
            raise CommandError(f"Tài khoản {username!r} không được viết báo cáo của {organization.name}.")
        on = periods.today()
        with transaction.atomic():
            draft = annual.report_draft(organization, year, half=kind == "midyear", on=on)
            document = services.draft_create(actor=actor, draft=draft)
            path = Path(output or ".")
            if path.is_dir():  # a folder: the file takes its own name there
                path = path / documents.file_name(document, fmt)
            try:
                path.write_bytes(documents.rendered(document, fmt, on))
            except OSError as exc:
                raise CommandError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc
        self.stdout.write(str(path.resolve()))
        self.stdout.write(f"Đã lưu dự thảo vào sổ văn bản của {organization.name}: văn bản #{document.pk}.")
