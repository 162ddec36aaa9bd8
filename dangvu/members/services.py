"""Writes of member records: each in a transaction, audited with its actor, and followed by a
rebuild of what is derived from the events (membership periods, Party-age origin, official cell)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.organization import services as org_services
from dangvu.organization.models import Organization

from . import rules
from .choices import EventKind
from .models import Member, MemberEvent, MembershipPeriod

PERSON_FIELDS = ("full_name", "date_of_birth")
EVENT_FIELDS = (
    "kind",
    "date",
    "end_date",
    "cell",
    "temporary",
    "other_organization",
    "discipline_form",
    "effective_date",
    "issuing_body",
    "official_duty",
    "reason",
    "annulled",
    "document_number",
    "place",
)


def _raise_blocking(problems: list[rules.Problem]) -> None:
    blocking = [p for p in problems if p and p.blocking]
    if blocking:
        raise ValidationError({p.field: p.message for p in blocking})


def _check_identifiers(fields: dict[str, Any], member: Member | None = None) -> None:
    current = {f: getattr(member, f, "") for f in ("citizen_id", "card_number", "record_number")}
    merged = {**current, **{k: v for k, v in fields.items() if k in current}}
    _raise_blocking(
        rules.identifier_problems(
            citizen_id=merged["citizen_id"],
            card_number=merged["card_number"],
            record_number=merged["record_number"],
            card_issued_on=fields.get("card_issued_on", getattr(member, "card_issued_on", None)),
        )
    )
    citizen_id = merged["citizen_id"]
    if citizen_id:
        others = Member.objects.filter(citizen_id=citizen_id)
        if member is not None:
            others = others.exclude(pk=member.pk)
        if others.exists():
            raise ValidationError({"citizen_id": rules.duplicate_citizen_id_message()})


@dataclass(frozen=True)
class AdmissionDates:
    """The three dates of the lý lịch (§9.4) when a record is opened for an existing member."""

    decision: date | None = None
    ceremony: date | None = None
    recognition: date | None = None


@transaction.atomic
def member_create(
    *,
    actor,
    cell: Organization,
    full_name: str,
    date_of_birth: date | None,
    admission: AdmissionDates = AdmissionDates(),
    new_admission: bool = False,
    **fields,
) -> Member:
    """Open the record of a member of `cell`, with the admission events known so far.

    `new_admission` marks an admission made now, through the system: the age rule then blocks;
    on recorded history it only warns (§3.3).
    """
    _check_identifiers(fields)
    if admission.decision:
        _raise_blocking(
            [rules.admission_age_problem(date_of_birth, admission.decision, blocking=new_admission)]
        )
    person = org_services.person_create(
        actor=actor, organization=cell, full_name=full_name, date_of_birth=date_of_birth
    )
    member = Member(person=person, **fields)
    save_audited(member, actor=actor)
    for kind, day in (
        (EventKind.ADMISSION_DECISION, admission.decision),
        (EventKind.CEREMONY, admission.ceremony),
        (EventKind.RECOGNITION, admission.recognition),
    ):
        if day:
            _event_save(actor=actor, member=member, kind=kind, date=day, cell=cell)
    _check_order(member)
    member_rebuild(member=member, actor=actor)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, expected_version: int, **changes) -> Member:
    """Change the record's fields (and the person's name or date of birth) at a known version."""
    person_changes = {f: changes.pop(f) for f in PERSON_FIELDS if f in changes}
    person_changes = {f: v for f, v in person_changes.items() if getattr(member.person, f) != v}
    _check_identifiers(changes, member)
    if person_changes and not changes:
        # The record's version guards the whole form, the person's fields included.
        changes = {"updated_at": timezone.now()}
    updated = update_versioned(member, actor=actor, expected_version=expected_version, changes=changes)
    person = member.person
    if person_changes:
        org_services.person_update(actor=actor, person=person, **person_changes)
        _check_order(member)
    return updated


@transaction.atomic
def event_add(*, actor, member: Member, new_admission: bool = False, **fields) -> MemberEvent:
    """Record a life event after checking it against the others (§9.4 date order, §3.3, §3.5);
    status, periods and Party age follow from it."""
    event = _event_save(actor=actor, member=member, **fields)
    if event.kind in {EventKind.ADMISSION_DECISION, EventKind.READMISSION_DECISION}:
        _raise_blocking(
            [rules.admission_age_problem(member.person.date_of_birth, event.date, blocking=new_admission)]
        )
    _check_order(member)
    member_rebuild(member=member, actor=actor)
    return event


def _event_save(*, actor, member: Member, **fields) -> MemberEvent:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    event = MemberEvent(member=member, **fields)
    if event.end_date and event.date and event.end_date < event.date:
        raise ValidationError({"end_date": rules.end_before_start_message()})
    event.full_clean(exclude=["member", "cell"], validate_constraints=False)
    save_audited(event, actor=actor)
    return event


def _check_order(member: Member) -> None:
    facts = facts_of(MemberEvent.objects.filter(member=member))
    _raise_blocking(rules.date_order_problems(facts, member.person.date_of_birth))


@transaction.atomic
def member_history_record(*, actor, member: Member, events: list[dict]) -> list[MemberEvent]:
    """Record several past events at once (imports, the demo): checked together, rebuilt once.
    On recorded history the age rule only warns (§3.3)."""
    saved = [_event_save(actor=actor, member=member, **fields) for fields in events]
    _check_order(member)
    member_rebuild(member=member, actor=actor)
    return saved


@transaction.atomic
def event_delete(*, actor, event: MemberEvent, expected_version: int) -> None:
    """Remove an event recorded by mistake (soft); what derives from it is rebuilt."""
    soft_delete(event, actor=actor, expected_version=expected_version)
    member_rebuild(member=event.member, actor=actor)


def facts_of(events) -> list[rules.Fact]:
    return [
        rules.Fact(
            kind=e.kind,
            date=e.date,
            end_date=e.end_date,
            cell_id=e.cell_id,
            temporary=e.temporary,
            discipline_form=e.discipline_form,
            annulled=e.annulled,
        )
        for e in events
    ]


def period_fields(period: rules.Period) -> dict:
    """A derived membership period as the row's fields (member_rebuild, and the import's fast path)."""
    return {
        "cell_id": period.cell_id,
        "start": period.start,
        "end": period.end,
        "admitted_on": period.admitted_on,
        "recognised_on": period.recognised_on,
        "official_on": period.official_on,
        "end_reason": period.end_reason,
    }


# What later apps derive from the periods (the documents a member owes...): called with the ids of
# the members whose periods were just rebuilt, in the same transaction.
_rebuild_hooks: list[Callable[[list[int]], None]] = []


def register_rebuild_hook(hook: Callable[[list[int]], None]) -> None:
    if hook not in _rebuild_hooks:
        _rebuild_hooks.append(hook)


def periods_rebuilt(member_ids: list[int]) -> None:
    for hook in _rebuild_hooks:
        hook(member_ids)


def member_rebuild(*, member: Member, actor) -> None:
    """Replace the derived periods from the live events; keep the official cell (an audited change
    of the person) and the cached dates (derived, not audited: they follow from audited events)."""
    history = rules.derive(facts_of(MemberEvent.objects.filter(member=member)))
    MembershipPeriod.objects.filter(member=member).delete()
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(member=member, **period_fields(p)) for p in history.periods
    )
    origin = rules.party_age_origin(history)
    if (member.first_decision_on, member.party_age_origin) != (history.first_decision, origin):
        Member.all_objects.filter(pk=member.pk).update(
            first_decision_on=history.first_decision, party_age_origin=origin
        )
        member.first_decision_on, member.party_age_origin = history.first_decision, origin
    periods_rebuilt([member.pk])
    last_cell = next((p.cell_id for p in reversed(history.periods) if p.cell_id), None)
    if last_cell and last_cell != member.person.organization_id:
        org_services.person_move(actor=actor, person=member.person, organization_id=last_cell)
