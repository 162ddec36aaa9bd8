from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangvu.development"
    label = "development"
    verbose_name = "Phát triển đảng viên"

    def ready(self) -> None:
        from dangvu.core import scheduler
        from dangvu.organization import panels

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .panels import development_panel
        from .reminders import remind

        scheduler.register_periodic("development.remind", remind)
        panels.register(development_panel)
