from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "dangvu.classification"
    label = "classification"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self) -> None:
        from dangvu.core import scheduler
        from dangvu.members import panels as member_panels
        from dangvu.organization import panels

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .panels import classification_panel, member_panel
        from .reminders import remind

        panels.register(classification_panel)
        member_panels.register(member_panel)
        scheduler.register_periodic("classification.remind", remind)
