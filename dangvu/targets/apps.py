from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dangvu.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu"

    def ready(self) -> None:
        from dangvu.core import metrics
        from dangvu.organization import panels

        from .panels import targets_panel
        from .selectors import targets_for_document

        metrics.register_targets(targets_for_document)
        panels.register(targets_panel)
