"""The meetings section of a member's record page (issue 7, point 3): documents still owed, this
year's attendance and the months with an unexcused absence from the cell's meetings, with the
3-month flag for the cell to consider (rules.md §5.1; never acted on)."""

from dangvu.core import periods
from dangvu.organization.panels import Panel

from . import rules, selectors
from .choices import CELL_MEETING_KINDS


def member_panel(request, member) -> Panel | None:
    """Shown to whoever sees the record (the member included). Four queries, whatever the number
    of documents and sessions; nothing when there is nothing to say this year."""
    today = periods.today()
    documents = selectors.documents_owed(member, today)
    history = selectors.attendance_history(member.person, today.year, today)
    if not documents and not history:
        return None
    cells = selectors.member_cell_ids(member)
    absences = [
        (i.session.kind, i.session.held_on, i.attendance)
        for i in history
        if i.session.kind in CELL_MEETING_KINDS and i.session.organization_id in cells
    ]
    counts = rules.AttendanceCounts.of(i.attendance for i in history)
    return Panel(
        "meetings/_member_panel.html",
        {
            "member": member,
            "today": today,
            "year": today.year,
            "documents": documents,
            "present": counts.present,
            "excused": counts.excused,
            "unexcused": counts.unexcused,
            "invited": counts.marked,
            "months": sorted(month for _year, month in rules.unexcused_months(absences, today.year)),
            "flagged": rules.three_month_flag(absences, today.year),
            "is_self": member.person_id in request.scope.person_ids,
        },
    )
