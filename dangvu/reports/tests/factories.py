"""Report requests for the tests, made through the service as the office would."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.reports import rules, services
from dangvu.reports.choices import PeriodKind
from dangvu.reports.models import ReportRequest, Submission

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=HCM)


def make_request(
    world,
    *,
    due: date,
    cells=None,
    due_time: time | None = None,
    repeat_until: date | None = None,
    kind: str = PeriodKind.MONTH,
    requires_file: bool = False,
    form: str = "Số đảng viên dự họp (số)",
    title: str = "Báo cáo tháng",
) -> ReportRequest:
    return services.request_create(
        actor=world.office,
        organization=world.root,
        title=title,
        schedule=services.Schedule(
            period_kind=kind,
            year=due.year,
            number=due.month if kind == PeriodKind.MONTH else 1,
            first_due=due,
            due_time=due_time,
            repeat_until=repeat_until,
        ),
        recipients=cells if cells is not None else [world.cell_a, world.cell_b, world.cell_c],
        requires_file=requires_file,
        form_fields=rules.parse_form_fields(form),
    )


def submission_of(request: ReportRequest, cell, number: int = 0) -> Submission:
    return Submission.objects.filter(round__request=request, cell=cell).order_by("round__due_date")[number]


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%demo\n", content_type="application/pdf")
