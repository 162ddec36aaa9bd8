"""Writes of the inspection and supervision programme: the programme of a year, its items, their
moves and conclusion (with the discipline it decides, written on the member's record), and the
remedial actions. Each write is one transaction, audited."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.audit import save_audited, update_versioned
from dangvu.members import selectors as member_selectors
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind, Status
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from .. import rules
from ..choices import ItemKind, ItemState, TaskState
from ..models import Item, Programme, RemedialAction


def one_line(text: str) -> str:
    """A name or a title as one line: runs of spaces and line breaks become one space."""
    return " ".join(text.split())


@transaction.atomic
def programme_open(
    *, actor, organization: Organization, year: int, number: str = "", adopted_on: date | None = None
) -> Programme:
    """The year's programme of a committee or a cell ("Chương trình kiểm tra, giám sát năm …"); one
    per organisation and year."""
    if Programme.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {"year": _("%(org)s already has a programme for %(year)s.") % {"org": organization, "year": year}}
        )
    programme = Programme(organization=organization, year=year, number=number.strip(), adopted_on=adopted_on)
    try:
        with transaction.atomic():
            save_audited(programme, actor=actor, reason="programme opened")
    except IntegrityError as exc:  # opened by someone else at the same moment
        raise ValidationError(
            {"year": _("%(org)s already has a programme for %(year)s.") % {"org": organization, "year": year}}
        ) from exc
    return programme


def _check_item(
    programme: Programme,
    kind: str,
    starts_on: date,
    ends_on: date,
    subject_cell: Organization | None,
    subject_member: Member | None,
) -> None:
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("Choose the kind of work from the list.")})
    problem = rules.subject_problem(
        kind, has_cell=subject_cell is not None, has_member=subject_member is not None
    )
    if problem:
        raise ValidationError({"subject_cell": problem})
    root = programme.organization.path
    if subject_cell is not None and not (subject_cell.is_cell and subject_cell.path.startswith(root)):
        raise ValidationError(
            {"subject_cell": _("Choose a cell of %(org)s.") % {"org": programme.organization}}
        )
    if subject_member is not None and not subject_member.person.organization.path.startswith(root):
        raise ValidationError(
            {"subject_member": _("Choose a member of %(org)s.") % {"org": programme.organization}}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end of the period cannot be before its start.")})


@transaction.atomic
def item_add(
    *,
    actor,
    programme: Programme,
    kind: str,
    content: str,
    starts_on: date,
    ends_on: date,
    subject_cell: Organization | None = None,
    subject_member: Member | None = None,
    decision_number: str = "",
    responsible: str = "",
) -> Item:
    """An item of the programme (rules.md §4.2, "Record fields to store"), planned."""
    _check_item(programme, kind, starts_on, ends_on, subject_cell, subject_member)
    if not content.strip():
        raise ValidationError({"content": _("Write the content of the inspection or supervision.")})
    item = Item(
        programme=programme,
        kind=kind,
        content=content.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        subject_cell=subject_cell,
        subject_member=subject_member,
        decision_number=decision_number.strip(),
        responsible=one_line(responsible),
    )
    save_audited(item, actor=actor, reason="item planned")
    return item


EDITABLE = frozenset({ItemState.PLANNED, ItemState.IN_PROGRESS})


@transaction.atomic
def item_update(
    *,
    actor,
    item: Item,
    expected_version: int,
    kind: str,
    content: str,
    starts_on: date,
    ends_on: date,
    subject_cell: Organization | None = None,
    subject_member: Member | None = None,
    decision_number: str = "",
    responsible: str = "",
) -> Item:
    """Change a planned or ongoing item (the checks of item_add); a concluded or cancelled one is
    on record as it is."""
    if item.state not in EDITABLE:
        raise ValidationError(_("Only a planned or ongoing item can be changed."))
    _check_item(item.programme, kind, starts_on, ends_on, subject_cell, subject_member)
    if not content.strip():
        raise ValidationError({"content": _("Write the content of the inspection or supervision.")})
    changes = {
        "kind": kind,
        "content": content.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "subject_cell": subject_cell,
        "subject_member": subject_member,
        "decision_number": decision_number.strip(),
        "responsible": one_line(responsible),
    }
    return update_versioned(
        item, actor=actor, expected_version=expected_version, changes=changes, reason="item changed"
    )


@transaction.atomic
def item_move(*, actor, item: Item, to: str, expected_version: int, reason: str = "") -> Item:
    """Start an item, cancel it with a reason, or put a cancelled one back in the programme
    (rules.move_problem). Concluding has its own service: it needs the conclusion."""
    if to == ItemState.CONCLUDED:
        raise ValidationError(_("Conclude the item with its conclusion."))
    problem = rules.move_problem(item.state, to, reason=reason)
    if problem:
        raise ValidationError(problem)
    cancel_reason = reason.strip() if to == ItemState.CANCELLED else ""
    return update_versioned(
        item,
        actor=actor,
        expected_version=expected_version,
        changes={"state": to, "cancel_reason": cancel_reason},
        reason=f"item {to}",
    )


@dataclass(frozen=True)
class Action:
    """A remedial action asked by a conclusion."""

    action: str
    owner: Organization
    due_on: date | None = None


@transaction.atomic
def item_conclude(
    *,
    actor,
    item: Item,
    expected_version: int,
    concluded_on: date,
    conclusion: str,
    result: str,
    discipline_form: str = "",
    actions: Sequence[Action] = (),
) -> Item:
    """Conclude an item (rules.md §4.2): the conclusion, its result and, with "violation, discipline
    proposed", the discipline decided, which is written on the member's record as a discipline event
    dated on the conclusion (members.services.event_add: its checks apply). A cell decides only a
    reprimand or a warning; a probationary member is only reprimanded or warned (rules.discipline_
    problems). The remedial actions asked follow. All or nothing."""
    problem = rules.move_problem(item.state, ItemState.CONCLUDED)
    if problem:
        raise ValidationError(problem)
    if concluded_on > periods.today():
        raise ValidationError({"concluded_on": _("A conclusion is dated today or on a past day.")})
    if concluded_on < item.starts_on:
        raise ValidationError(
            {
                "concluded_on": _("A conclusion is dated on or after the start of the work (%(day)s).")
                % {"day": f"{item.starts_on:%d/%m/%Y}"}
            }
        )
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Write the conclusion.")})
    problems = rules.conclusion_problems(result, discipline_form)
    if problems:
        raise ValidationError({"result": problems})
    organization = item.programme.organization
    for action in actions:
        if not action.action.strip():
            raise ValidationError({"actions": _("Write what each remedial action is.")})
        if not action.owner.path.startswith(organization.path):
            raise ValidationError(
                {
                    "actions": _("A remedial action is carried out by %(org)s or an organisation under it.")
                    % {"org": organization}
                }
            )
    changes = {
        "state": ItemState.CONCLUDED,
        "concluded_on": concluded_on,
        "conclusion": conclusion.strip(),
        "result": result,
        "discipline_form": discipline_form,
    }
    update_versioned(
        item, actor=actor, expected_version=expected_version, changes=changes, reason="concluded"
    )
    if discipline_form:
        item.discipline_event = _discipline(actor, item, organization)
        save_audited(item, actor=actor, reason="discipline recorded", update_fields=["discipline_event"])
    for action in actions:
        save_audited(
            RemedialAction(item=item, action=action.action.strip(), owner=action.owner, due_on=action.due_on),
            actor=actor,
            reason="remedial action asked",
        )
    return item


def _discipline(actor, item: Item, organization: Organization):
    member = item.subject_member
    if member is None:
        raise ValidationError(
            {"discipline_form": _("A discipline is decided for a member: the item concerns none.")}
        )
    status = member_selectors.status_of(
        member_selectors.with_status(Member.objects.filter(pk=member.pk), item.concluded_on).get(),
        item.concluded_on,
    )
    problems = rules.discipline_problems(
        item.discipline_form, probationary=status == Status.PROBATIONARY, by_cell=organization.is_cell
    )
    if problems:
        raise ValidationError({"discipline_form": problems})
    return member_services.event_add(
        actor=actor,
        member=member,
        kind=EventKind.DISCIPLINE,
        date=item.concluded_on,
        discipline_form=item.discipline_form,
        issuing_body=organization.name[:255],
        document_number=item.decision_number[:64],
        reason=item.conclusion,
    )


@transaction.atomic
def action_done(
    *, actor, action: RemedialAction, expected_version: int, done_on: date, report: str
) -> RemedialAction:
    """The cell reports a remedial action done, with what it did (issue 8's browser test)."""
    if action.state != TaskState.OPEN:
        raise ValidationError(_("This remedial action is no longer open."))
    if done_on > periods.today():
        raise ValidationError({"done_on": _("Report a remedial action done today or on a past day.")})
    if action.item.concluded_on and done_on < action.item.concluded_on:
        raise ValidationError(
            {
                "done_on": _("A remedial action is done on or after the conclusion that asked it (%(day)s).")
                % {"day": f"{action.item.concluded_on:%d/%m/%Y}"}
            }
        )
    if not report.strip():
        raise ValidationError({"report": _("Write what was done.")})
    return update_versioned(
        action,
        actor=actor,
        expected_version=expected_version,
        changes={"state": TaskState.DONE, "done_on": done_on, "report": report.strip()},
        reason="remedial action done",
    )
