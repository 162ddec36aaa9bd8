"""The demo's documents (issue 12; rules §7, §8): what the office has written from the data.

- The committee's letterhead: place "Hà Nội" and, the demo root having no parent in the tree, its
  superior body typed by the office ("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG").
- The committee's annual summary report of last year, issued in January of this year with the
  register's number ("Số 01-BC/ĐU"), its DOCX and PDF kept as issued.
- This year's six-month review, a draft the office has not issued yet.
- For CB-02 (the demo secretary's cell): the invitation to its next regular meeting and the minutes
  of its last regular meeting held, both drafts.
- The committee's inspection and supervision programme of this year, and the tờ trình with the
  badge proposal list of the next batch, both drafts.

Every draft is written by its builder (dangvu.documents.builders) and stored through
documents.services as the office (`vanphong`). Only the issued report renders its files (issuing
writes both; the first PDF of a process costs WeasyPrint about 1.5 s): drafts are rendered on
download, never at load time.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dangvu.core.access import SYSTEM_SCOPE
from dangvu.documents import services
from dangvu.documents.builders import annual, badges, meetings, programme
from dangvu.meetings.choices import SessionKind, SessionState
from dangvu.meetings.models import Session

from .badges import _next_batches

PLACE = "Hà Nội"
SUPERIOR = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG"  # the demo root has no parent in the tree
RECIPIENT_ABOVE = "- Ban Thường vụ Đảng ủy Khối các cơ quan Trung ương (để báo cáo),"
ISSUED_DAY = 15  # the annual report is issued on 15 January (or the demo's today, if earlier)


def build_documents(ctx) -> None:
    office = get_user_model().objects.get(username="vanphong")
    values = {"place": PLACE}
    if ctx.root.parent_id is None:
        values["superior"] = SUPERIOR
    services.settings_save(actor=office, organization=ctx.root, values=values, expected_version=None)
    _annual_report(ctx, office)
    _store(office, annual.report_draft(ctx.root, ctx.today.year, half=True, on=ctx.today))
    _cell_meetings(ctx, office)
    batch, _window_end = _next_batches(ctx)[0]
    _store_if_any(office, lambda: programme.programme_draft(ctx.root, ctx.today.year, on=ctx.today))
    _store_if_any(office, lambda: badges.badge_list_draft(ctx.root, batch, scope=SYSTEM_SCOPE, on=ctx.today))


def _annual_report(ctx, office) -> None:
    """Last year's report, written from the data as it stood on its date of issue, then issued."""
    issued_on = min(date(ctx.today.year, 1, ISSUED_DAY), ctx.today)
    draft = annual.report_draft(ctx.root, ctx.today.year - 1, half=False, on=issued_on)
    document = _store(office, draft)
    # The root has no parent in the tree: the office names the committee above, as it would on the page.
    recipients = [RECIPIENT_ABOVE, *draft.content.recipients[1:]]
    document = services.draft_text_update(
        actor=office, document=document, expected_version=document.version, texts={}, recipients=recipients
    )
    services.issue(actor=office, document=document, expected_version=document.version, issued_on=issued_on)


def _cell_meetings(ctx, office) -> None:
    """CB-02's next regular meeting (the invitation) and its last one held (the minutes)."""
    cell = ctx.cells[1]
    regular = Session.objects.filter(organization=cell, kind=SessionKind.REGULAR)
    coming = regular.filter(state=SessionState.PLANNED, held_on__gte=ctx.today).order_by("held_on").first()
    held = regular.filter(state=SessionState.HELD, held_on__lt=ctx.today).order_by("-held_on").first()
    if coming is not None:
        _store(office, meetings.invitation_draft(coming, on=ctx.today))
    if held is not None:
        _store(office, meetings.minutes_draft(held, on=ctx.today))


def _store(office, draft):
    return services.draft_create(actor=office, draft=draft)


def _store_if_any(office, build) -> None:
    """A draft whose builder refuses when there is nothing to write (no programme this year, nobody
    proposed in the batch: a demo loaded with `--members 0`, as the import benchmark does)."""
    try:
        draft = build()
    except ValidationError:
        return
    _store(office, draft)
