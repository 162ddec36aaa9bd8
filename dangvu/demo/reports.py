"""The demo's reports: last year's and this year's usual requests (rules §7), and what every cell
sent — mostly on time, some late, a few returned, a few missing — so that the pages, the figures
and the reminders have something to show."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from simple_history.utils import bulk_update_with_history

from dangvu.reports import rules, services
from dangvu.reports.choices import State
from dangvu.reports.models import ReportRequest, Submission, SubmissionVersion

DEMO_FILE = "reports/demo/bao-cao-mau.pdf"
# A one-page PDF that says "Báo cáo mẫu" (sample report): every demo version points at it.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
    b"endobj\n4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (Bao cao mau) Tj ET\nendstream\nendobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (template key, due time): the usual requests of a year.
YEARLY = (("monthly", None), ("transfers", None), ("half_year", time(17, 0)), ("annual_review", None))


def build_reports(ctx) -> None:
    with translation.override("vi"):  # the titles come from the templates' labels
        _build(ctx)


def _build(ctx) -> None:
    zone = timezone.get_default_timezone()
    now = datetime.combine(ctx.today, time(9, 0), tzinfo=zone)
    if not default_storage.exists(DEMO_FILE):
        default_storage.save(DEMO_FILE, ContentFile(PDF))
    cells = [c for c in ctx.cells if c.active_to is None]
    secretary = get_user_model().objects.filter(username="bithu.cb02").first()
    for year in (ctx.today.year - 1, ctx.today.year):
        for key, due_time in YEARLY:
            template = rules.TEMPLATES_BY_KEY[key]
            first = rules.Period(template.kind, year, 1)
            request = services.request_create(
                actor=ctx.actor,
                organization=ctx.root,
                title=str(template.title),
                schedule=services.Schedule(
                    period_kind=template.kind,
                    year=year,
                    number=1,
                    first_due=rules.template_first_due(template, first),
                    due_time=due_time,
                    repeat_until=date(year, 12, 31) if template.kind != "year" else None,
                ),
                recipients=cells,
                requires_file=template.requires_file,
                form_fields=rules.parse_form_fields(template.fields),
                template=key,
                notify=False,
            )
            _outcomes(ctx, request, now, secretary)


def _outcomes(ctx, request: ReportRequest, now: datetime, secretary) -> None:
    """What each cell did with each round closed by now, and with the next one (some early)."""
    versions: list[SubmissionVersion] = []
    changed: list[Submission] = []
    submissions = Submission.objects.filter(round__request=request).select_related("round", "cell")
    for submission in submissions.order_by("pk"):
        closes = submission.round.closes_at
        if closes > now + timedelta(days=40):
            continue
        roll = ctx.rng.random()
        if closes > now:  # still open: a third already sent, awaiting review
            if roll < 0.33:
                _sent(
                    ctx,
                    request,
                    submission,
                    versions,
                    closes - timedelta(days=ctx.rng.randint(1, 5), hours=3),
                )
                changed.append(submission)
            continue
        if roll < 0.07:
            continue  # missing
        late = roll > 0.84
        sent_at = (
            closes + timedelta(days=ctx.rng.randint(1, 12))
            if late
            else closes - timedelta(days=ctx.rng.randint(0, 6), hours=ctx.rng.randint(1, 8))
        )
        _sent(
            ctx,
            request,
            submission,
            versions,
            sent_at,
            by=secretary if submission.cell == ctx.cells[1] else None,
        )
        changed.append(submission)
        reviewed = sent_at + timedelta(days=ctx.rng.randint(1, 4))
        if reviewed > now:
            continue  # awaiting review
        if 0.07 <= roll < 0.10:
            submission.state, submission.return_reason = State.RETURNED, "Thiếu số liệu; đề nghị bổ sung."
        else:
            submission.state = State.ACCEPTED
            submission.on_time = rules.is_on_time(sent_at, closes)
        submission.reviewed_by, submission.reviewed_at = ctx.actor, reviewed
    created = SubmissionVersion.objects.bulk_create(versions)
    by_submission = {v.submission_id: v.pk for v in created}
    for submission in changed:
        if submission.state == State.ACCEPTED:
            submission.accepted_version_id = by_submission[submission.pk]
        submission.version += 1
    bulk_update_with_history(
        changed,
        Submission,
        [
            "state",
            "first_submitted_at",
            "last_submitted_at",
            "accepted_version",
            "on_time",
            "reviewed_by",
            "reviewed_at",
            "return_reason",
            "version",
        ],
        default_user=ctx.actor,
        default_change_reason="demo",
    )


def _sent(ctx, request, submission: Submission, versions: list, at: datetime, by=None) -> None:
    """The cell's first (demo: only) version, sent at `at`."""
    values = {
        item["key"]: ctx.rng.randint(0, 40) if item["number"] else "Chi bộ đã thực hiện đầy đủ."
        for item in request.form_fields
    }
    versions.append(
        SubmissionVersion(
            submission_id=submission.pk,
            number=1,
            submitted_at=at,
            submitted_by=by or ctx.actor,
            file=DEMO_FILE if request.requires_file else "",
            file_name="bao-cao.pdf" if request.requires_file else "",
            values=values,
        )
    )
    submission.state = State.SUBMITTED
    submission.first_submitted_at = submission.last_submitted_at = at
