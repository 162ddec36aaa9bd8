from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "dangvu.programme"
    label = "programme"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self) -> None:
        from dangvu.core import scheduler

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .reminders import remind

        scheduler.register_periodic("programme.remind", remind)
