from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from dangvu.core import jobs
        from dangvu.organization import selectors as org_selectors

        from . import metrics  # noqa: F401 - registers this app's metrics
        from .exports import JOB_KIND, export_job
        from .selectors import official_members_per_cell

        org_selectors.register_official_counter(official_members_per_cell)
        jobs.register(JOB_KIND, export_job)
