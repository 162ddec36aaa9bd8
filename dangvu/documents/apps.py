from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dangvu.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from dangvu.core import jobs

        from . import jobs as document_jobs

        jobs.register(document_jobs.REPORT_JOB, document_jobs.report_job)
