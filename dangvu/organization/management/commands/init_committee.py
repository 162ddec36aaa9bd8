"""`dangvu init_committee --code DU-X --name "Đảng bộ ..." [--kind ...] --office LOGIN`

First setup of a new installation: the root organisation and the office's first login, with a
printed password that must be changed at the first login. Refuses to run twice for the same code.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangvu.core.audit import system_actor
from dangvu.organization import services
from dangvu.organization.choices import AccessRole, OrgKind


class Command(BaseCommand):
    help = "Create the root Party organisation and the office's first login."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", choices=OrgKind.values, default=OrgKind.GRASSROOTS_COMMITTEE)
        parser.add_argument("--office", required=True, help="full name of the office administrator")

    @transaction.atomic
    def handle(self, *args, code: str, name: str, kind: str, office: str, **options):
        actor = system_actor()
        try:
            root = services.organization_create(actor=actor, parent=None, code=code, name=name, kind=kind)
            person = services.person_create(actor=actor, organization=root, full_name=office)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        (login,) = services.logins_create(actor=actor, people=[person])
        services.role_grant(actor=actor, user=person.user, role=AccessRole.OFFICE, organization=root)
        self.stdout.write(f"Đã tạo {root.name} ({root.code}).")
        self.stdout.write(
            f"Tài khoản văn phòng: {login.username} / mật khẩu: {login.password} "
            "(phải đổi ở lần đăng nhập đầu)."
        )
