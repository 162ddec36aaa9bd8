from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "dangvu.classification"
    label = "classification"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self) -> None:
        from dangvu.organization import panels

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .panels import classification_panel

        panels.register(classification_panel)
