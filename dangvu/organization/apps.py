from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "dangvu.organization"
    label = "organization"
    verbose_name = "Tổ chức đảng"

    def ready(self) -> None:
        from dangvu.core import access

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .selectors import scope_source

        access.register_scope_source(scope_source)
