from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from dangvu.core import scheduler
        from dangvu.organization import panels

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .panels import reports_panel
        from .reminders import remind

        scheduler.register_periodic("reports.remind", remind)
        panels.register(reports_panel)
