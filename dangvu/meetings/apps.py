from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = "Học tập, sinh hoạt"

    def ready(self) -> None:
        from dangvu.core import scheduler
        from dangvu.members import panels as member_panels
        from dangvu.members import services as member_services
        from dangvu.organization import panels

        from . import (
            metrics,  # noqa: F401 - registers this app's metrics
            services,
        )
        from .member_panels import member_panel
        from .panels import meetings_panel
        from .reminders import remind

        member_services.register_rebuild_hook(services.obligations_of_member_rebuild)
        panels.register(meetings_panel)
        member_panels.register(member_panel)
        scheduler.register_periodic("meetings.remind", remind)
