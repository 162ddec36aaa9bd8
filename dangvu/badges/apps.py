from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "dangvu.badges"
    label = "badges"
    verbose_name = "Huy hiệu Đảng, khen thưởng"

    def ready(self) -> None:
        from dangvu.organization import panels

        from . import (
            commendation_metrics,  # noqa: F401 - registers the commendations' metrics
            metrics,  # noqa: F401
        )
        from .panels import badges_panel

        panels.register(badges_panel)
