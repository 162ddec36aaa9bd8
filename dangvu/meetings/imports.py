"""A session's attendance sheet from Excel (issue 7, point 2), through the one import mechanism
(core.imports): every problem by row and column, nothing written unless the whole sheet is right,
the marks written by one call of services.attendance_mark, checked against the session's version."""

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import imports
from dangvu.core.audit import StaleVersionError
from dangvu.core.imports import Column, Problem, Report, Row
from dangvu.core.vietnamese import fold

from . import selectors, services
from .choices import Attendance, Reply
from .models import Invitation, Session

# The files' Vietnamese headers: fixed, not translated (they are the format of the file).
CODE = "Mã"
NAME = "Họ và tên"
BIRTH = "Ngày sinh"
REPLY = "Trả lời"
ATTENDANCE = "Điểm danh"
REASON = "Lý do"
REPLY_VALUES = {Reply.COMING: "Sẽ dự", Reply.EXCUSED: "Xin vắng"}
# Short forms used on paper sheets, besides the codes and the labels (compared folded: without
# diacritics, any case).
SHORT_FORMS = {
    Attendance.PRESENT: ("Có", "x", "CM", "Dự", "Có dự"),
    Attendance.EXCUSED: ("Vắng có phép", "Có lý do", "Có phép", "Phép", "VCLD", "VCP", "Vắng CLD"),
    Attendance.UNEXCUSED: (
        "Vắng không có lý do",
        "Vắng không phép",
        "Không lý do",
        "Không phép",
        "VKLD",
        "VKP",
        "Vắng KLD",
    ),
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        CODE,
        ("Mã giấy mời", "Mã mời"),
        note=gettext_lazy("The invitation's code, as in the template: it finds the invitee exactly."),
    ),
    Column(
        "full_name",
        NAME,
        ("Họ tên", "Tên đảng viên", "Họ và tên đảng viên", "Người được mời"),
        "name",
        required=True,
        note=gettext_lazy(
            "Finds the invitee when there is no code; with a code, it must be the invitee's name."
        ),
    ),
    Column(
        "date_of_birth",
        BIRTH,
        ("Ngày tháng năm sinh", "Sinh ngày"),
        "date",
        note=gettext_lazy("With the name, tells apart two invitees of the same name."),
    ),
    Column(
        "reply",
        REPLY,
        note=gettext_lazy("What the invitee answered before the session (not read on import)."),
    ),
    Column(
        "attendance",
        ATTENDANCE,
        ("Tình trạng", "Có mặt/vắng", "Dự họp", "Kết quả điểm danh"),
        "choice",
        choices=tuple(Attendance.choices),
        value_aliases=tuple(SHORT_FORMS.items()),
        note=gettext_lazy("Left empty, the invitee is left as they are."),
    ),
    Column(
        "reason",
        REASON,
        ("Lý do vắng", "Ghi chú"),
        note=gettext_lazy(
            "Required for an absence with a reason, unless the invitee gave one when asking to be excused."
        ),
    ),
)


@dataclass
class AttendancePlan:
    actor: Any
    session: Session
    expected_version: int  # the session's version when the file was checked


@functools.cache
def attendance_values() -> dict[str, str]:
    """The attendance values as the files write them: the choices' Vietnamese labels, whoever
    downloads the file."""
    with translation.override("vi"):
        return {value: str(label) for value, label in Attendance.choices}


def attendance_label(value: str) -> str:
    return attendance_values().get(value, "")


def reply_text(invitation: Invitation) -> str:
    """The reply as the sheets write it: "Xin vắng: ốm"."""
    label = REPLY_VALUES.get(invitation.reply, "")
    return f"{label}: {invitation.reply_reason}" if invitation.reply_reason else label


def invitee_records(invitations: Iterable[Invitation]) -> Iterator[dict[str, Any]]:
    """The invitees as rows of the sheet (by the fields of COLUMNS), for the template and the
    export: write them with core.imports.export_rows (or template) to get the file's values."""
    for i in invitations:
        yield {
            "code": i.pk,
            "full_name": i.person.full_name,
            "date_of_birth": i.person.date_of_birth,
            "reply": reply_text(i),
            "attendance": i.attendance,
            "reason": i.reason,
        }


# ------------------------------------------------------------------------------------ template


def attendance_template(session: Session) -> bytes:
    """The session's invitees in name order, each with their code, to fill in the attendance."""
    return imports.template(ATTENDANCE, COLUMNS, {}, rows=invitee_records(selectors.invitations_of(session)))


# ------------------------------------------------------------------------------------- the run


def run_attendance(data: IO[bytes] | str, plan: AttendancePlan, *, dry_run: bool) -> Report:
    """Read and check the whole sheet and mark it in one transaction: rolled back when anything is
    wrong, or for a preview (dry run)."""
    return imports.run(data, COLUMNS, dry_run, lambda rows, report: _Sheet(plan, report).run(rows))


class _Sheet:
    def __init__(self, plan: AttendancePlan, report: Report) -> None:
        self.plan, self.report = plan, report
        self.invitations = {i.pk: i for i in selectors.invitations_of(plan.session)}
        self.by_name: dict[str, list[Invitation]] = defaultdict(list)
        for invitation in self.invitations.values():
            self.by_name[invitation.person.search_text].append(invitation)
        self.seen: dict[int, int] = {}  # invitation -> the first row naming it

    def run(self, rows: list[Row]) -> None:
        first = rows[0] if rows else None
        if (
            first
            and "attendance" not in first.values
            and ATTENDANCE not in {p.column for p in first.problems}
        ):
            self.report.problems.append(
                Problem(
                    rows[0].number,
                    ATTENDANCE,
                    _("The file has no column “%(column)s”.") % {"column": ATTENDANCE},
                )
            )
            return
        planned = []
        for row in rows:
            mark = self._check(row)
            self.report.problems.extend(row.problems)
            if mark is not None and not row.problems:
                planned.append((row, mark))
        if self.report.problems:
            return
        if not planned:
            number = rows[0].number if rows else 1
            self.report.problems.append(
                Problem(number, ATTENDANCE, _("No row of the file gives an attendance."))
            )
            return
        self._write(planned)

    def _check(self, row: Row) -> services.Mark | None:
        v = row.values
        attendance = v.get("attendance") or ""  # read as a choice: refused by the reading if unknown
        reason = v.get("reason") or ""
        if not attendance and not reason and not row.problems:
            self.report.skipped += 1  # left blank: the invitee is left unmarked, as they are
            return None
        invitation = self._find(row)
        if invitation is None or row.problems:
            return None
        first = self.seen.setdefault(invitation.pk, row.number)
        if first != row.number:
            row.refuse(NAME, _("Row %(row)d already has this invitee.") % {"row": first})
            return None
        if not attendance:
            row.refuse(
                ATTENDANCE,
                _("Give the attendance of %(name)s, or clear the reason.") % {"name": invitation.person},
            )
        elif attendance == Attendance.EXCUSED and not reason and not invitation.reply_reason:
            row.refuse(REASON, _("%(name)s: write the reason of the absence.") % {"name": invitation.person})
        if row.problems:
            return None
        return services.Mark(invitation.pk, attendance, reason)

    def _find(self, row: Row) -> Invitation | None:
        """The row's invitation: by its code (the name must agree), else by the name and, when two
        invitees share it, the date of birth."""
        v = row.values
        code, folded, born = (
            (v.get("code") or "").strip(),
            fold(v.get("full_name") or ""),
            v.get("date_of_birth"),
        )
        if code:
            # Another session's code reads as unknown: the file does not learn what exists elsewhere.
            known = code.isascii() and code.isdigit() and len(code) < 19
            invitation = self.invitations.get(int(code)) if known else None
            if invitation is None:
                row.refuse(CODE, _("No invitation has the code “%(code)s”.") % {"code": code})
                return None
            if folded and folded != invitation.person.search_text:
                row.refuse(
                    NAME,
                    _("The code %(code)s is %(name)s's invitation.")
                    % {"code": code, "name": invitation.person},
                )
                return None
            return invitation
        if not folded:
            return None  # refused by the reading: a required column
        found = self.by_name.get(folded, [])
        if born is not None and len(found) > 1:
            found = [i for i in found if i.person.date_of_birth == born]
        if not found:
            row.refuse(NAME, _("Nobody of this name is invited to this session."))
            return None
        if len(found) > 1:
            row.refuse(NAME, _("Several invitees have this name: give the code or the date of birth."))
            return None
        return found[0]

    def _write(self, planned: list[tuple[Row, services.Mark]]) -> None:
        plan = self.plan
        try:
            changed = services.attendance_mark(
                actor=plan.actor,
                session=plan.session,
                marks=[mark for _row, mark in planned],
                expected_version=plan.expected_version,
            )
        except StaleVersionError:
            self.report.problems.append(
                Problem(
                    planned[0][0].number,
                    ATTENDANCE,
                    _("The attendance was changed meanwhile: check the session again and re-upload."),
                )
            )
            return
        except ValidationError as exc:
            # The checks above make the service's own; what remains is about the session itself.
            for message in exc.messages:
                self.report.problems.append(Problem(planned[0][0].number, ATTENDANCE, message))
            return
        self.report.updated += changed
        self.report.unchanged += len(planned) - changed
