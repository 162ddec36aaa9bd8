from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "dangvu.programme"
    label = "programme"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self) -> None:
        from dangvu.core import scheduler
        from dangvu.organization import panels

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .panels import programme_panel
        from .reminders import remind

        scheduler.register_periodic("programme.remind", remind)
        panels.register(programme_panel)
