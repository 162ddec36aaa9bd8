from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from dangvu.core import access

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .selectors import scope_source

        access.register_scope_source(scope_source)
