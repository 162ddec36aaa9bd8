from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from dangvu.core import access
        from dangvu.organization import selectors as org_selectors

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .selectors import official_members_per_cell, scope_source

        access.register_scope_source(scope_source)
        org_selectors.register_official_counter(official_members_per_cell)
