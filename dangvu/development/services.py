"""Writes of member development: the candidates a cell lists, each step of their way with the
checks of rules.md §3, the dossier's papers and the office's time limits. Each write is one
transaction, audited.

No retyping: the admission decision opens the member's record (members.services.member_create)
with the decision as its first event; the ceremony, the recognition and a removal after the
decision are events on that record (members.services.event_add), so the record's own checks apply
and the figures members.admitted and members.recognised_official follow."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.core.vietnamese import fold, name_sort_key, normalize_name
from dangvu.members import selectors as member_selectors
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind, Status
from dangvu.members.models import Member, MemberEvent
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import CELL_VOTES, VOTES, Paper, Step
from .models import Candidate, DevelopmentSettings, DossierPaper, StepRecord

CANDIDATE_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "occupation",
    "general_education",
    "introducers",
    "note",
)
REQUIRED_PAPERS = (Paper.APPLICATION, Paper.PERSONAL_RECORD, Paper.INTRODUCTION, Paper.COMMENTS)


# ----------------------------------------------------------------------------------- candidates


def _check_helper(cell: Organization, helper: Member | None) -> None:
    """The member assigned to help is an official member of the cell (rules.md §3.2)."""
    if helper is None:
        return
    on = periods.today()
    annotated = member_selectors.with_status(Member.objects.filter(pk=helper.pk), on).first()
    official = annotated is not None and member_selectors.status_of(annotated, on) == Status.OFFICIAL
    if helper.person.organization_id != cell.pk or not official:
        raise ValidationError({"helper": _("Choose an official member of %(cell)s.") % {"cell": cell}})


def _names(full_name: str) -> dict:
    name = normalize_name(full_name)
    if not name:
        raise ValidationError({"full_name": _("Write the candidate's full name.")})
    return {"full_name": name, "sort_key": name_sort_key(name), "search_text": fold(name)}


@transaction.atomic
def candidate_add(
    *,
    actor,
    cell: Organization,
    full_name: str,
    date_of_birth: date,
    listed_on: date,
    document_number: str = "",
    helper: Member | None = None,
    **fields,
) -> Candidate:
    """The cell lists a person as a Party sympathiser (rules.md §3.2: the cell's monthly
    resolution), with the member assigned to help them; the first step of their way."""
    if not cell.is_cell:
        raise ValidationError({"cell": _("Candidates are listed by a cell.")})
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown candidate fields: {sorted(unknown)}")
    _check_helper(cell, helper)
    problem = rules.dates_problem(None, listed_on, periods.today())
    if problem:
        raise ValidationError({"listed_on": problem})
    if date_of_birth >= listed_on:
        raise ValidationError({"date_of_birth": _("The date of birth is before the day of listing.")})
    candidate = Candidate(
        cell=cell,
        date_of_birth=date_of_birth,
        helper=helper,
        step=Step.SYMPATHISER,
        step_on=listed_on,
        **fields,
        **_names(full_name),
    )
    save_audited(candidate, actor=actor, reason="listed as sympathiser")
    save_audited(
        StepRecord(
            candidate=candidate,
            step=Step.SYMPATHISER,
            date=listed_on,
            document_number=document_number.strip(),
            issuing_body=cell.name[:255],
        ),
        actor=actor,
        reason="step recorded",
    )
    return candidate


@transaction.atomic
def candidate_update(*, actor, candidate: Candidate, expected_version: int, **changes) -> Candidate:
    """Correct the candidate's particulars or change the member who helps them (before admission:
    afterwards the member's record is the one to correct)."""
    if candidate.member_id:
        raise ValidationError(_("The candidate is a member now: correct the member's record."))
    helper = changes.pop("helper", candidate.helper)
    unknown = set(changes) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown candidate fields: {sorted(unknown)}")
    _check_helper(candidate.cell, helper)
    if "full_name" in changes:
        changes |= _names(changes["full_name"])
    return update_versioned(
        candidate,
        actor=actor,
        expected_version=expected_version,
        changes={**changes, "helper": helper},
        reason="candidate corrected",
    )


# ---------------------------------------------------------------------------------------- steps


def _done(candidate: Candidate) -> list[StepRecord]:
    return list(StepRecord.objects.filter(candidate=candidate).order_by("date", "pk"))


def _check_vote(
    candidate: Candidate, step: str, on: date, votes_for: int | None, votes_of: int | None
) -> None:
    """A vote's count (§3.4): the cell's at least two thirds of all its official members, the
    grassroots committee's at least two thirds of all its members; of a body whose members the
    records know, the count is of no fewer than they. The decision's count, when given, is the
    standing committee's: more than half."""
    if step not in VOTES and not (step == Step.DECISION and votes_for is not None):
        return
    if votes_for is None or votes_of is None:
        raise ValidationError({"votes_for": _("Give how many agreed and of how many.")})
    problem = rules.vote_problem(votes_for, votes_of)
    if problem:
        raise ValidationError({"votes_for": problem})
    body, known = selectors.voting_body(candidate.cell, step, on)
    if known and votes_of < known:
        raise ValidationError(
            {
                "votes_of": _(
                    "%(body)s has %(count)d members who vote on %(day)s: the ratio is of all of them."
                )
                % {"body": body, "count": known, "day": f"{on:%d/%m/%Y}"}
            }
        )
    if step == Step.DECISION:
        passes = rules.standing_committee_passes(votes_for, votes_of)
    elif step in CELL_VOTES:
        passes = rules.cell_vote_passes(votes_for, votes_of)
    else:
        passes = rules.committee_vote_passes(votes_for, votes_of)
    if not passes:
        raise ValidationError(
            {
                "votes_for": _(
                    "%(agree)d of %(of)d is not enough: the resolution does not pass (rules §3.4). "
                    "Report the full result upward."
                )
                % {"agree": votes_for, "of": votes_of}
            }
        )


def _check_consideration(candidate: Candidate, done: dict[str, StepRecord], on: date) -> None:
    """At the cell's resolution on admission (rules.md §3.3): the age from a full 18 to a full 60,
    the awareness-class certificate still valid, the dossier's papers all there and valid."""
    problem = rules.admission_age_problem(candidate.date_of_birth, on, blocking=True)
    if problem:
        raise ValidationError({"date": problem.message})
    certificate = done[Step.CLASS].date
    if on > rules.certificate_valid_until(certificate):
        raise ValidationError(
            {
                "date": _(
                    "The awareness-class certificate of %(day)s was valid until %(until)s: the class "
                    "must be taken again (rules §3.3)."
                )
                % {
                    "day": f"{certificate:%d/%m/%Y}",
                    "until": f"{rules.certificate_valid_until(certificate):%d/%m/%Y}",
                }
            }
        )
    # A paper made after the resolution was not before the cell when it voted.
    papers = {p.paper: p for p in DossierPaper.objects.filter(candidate=candidate, made_on__lte=on)}
    missing = [str(Paper(p).label) for p in REQUIRED_PAPERS if p not in papers]
    if missing:
        raise ValidationError(
            {"date": _("Papers missing from the dossier: %(papers)s.") % {"papers": "; ".join(missing)}}
        )
    stale = [
        str(Paper(p.paper).label)
        for p in papers.values()
        if p.paper in rules.EXPIRING and on > rules.paper_valid_until(p.made_on)
    ]
    if stale:
        raise ValidationError(
            {
                "date": _("Papers older than 12 months, to be made again: %(papers)s.")
                % {"papers": "; ".join(stale)}
            }
        )


def _ceremony_on(done: dict[str, StepRecord]) -> date | None:
    return done[Step.CEREMONY].date if Step.CEREMONY in done else None


@transaction.atomic
def step_record(
    *,
    actor,
    candidate: Candidate,
    expected_version: int,
    step: str,
    on: date,
    document_number: str = "",
    issuing_body: str = "",
    votes_for: int | None = None,
    votes_of: int | None = None,
    extended: bool = False,
    received_on: date | None = None,
    note: str = "",
) -> StepRecord:
    """Record the candidate's next step (rules.md §3.1, in order, each once, dated in order), with
    the checks its step needs: a vote's two thirds (§3.4); at the cell's resolution the age, the
    certificate and the dossier (§3.3); recognition after the 12 months (§3.5). The decision opens
    the member's record; the ceremony, the recognition and a later removal are events on it."""
    records = _done(candidate)
    problem = rules.step_problem([r.step for r in records], step)
    if problem:
        raise ValidationError({"step": problem})
    previous = records[-1].date if records else None
    problem = rules.dates_problem(previous, on, periods.today())
    if problem:
        raise ValidationError({"date": problem})
    _check_vote(candidate, step, on, votes_for, votes_of)
    done = {r.step: r for r in records}
    if step == Step.CELL_VOTE:
        _check_consideration(candidate, done, on)
    if step == Step.RECOGNITION_CELL_VOTE and on < rules.probation_end(_ceremony_on(done)):
        raise ValidationError(
            {
                "date": _("Recognition is considered after the 12 months of probation, from %(day)s.")
                % {"day": f"{rules.probation_end(_ceremony_on(done)):%d/%m/%Y}"}
            }
        )
    decision = done.get(Step.DECISION)
    if step == Step.CEREMONY and decision and decision.received_on and on < decision.received_on:
        raise ValidationError(
            {
                "date": _("The ceremony follows the day the decision arrived (%(day)s).")
                % {"day": f"{decision.received_on:%d/%m/%Y}"}
            }
        )
    if received_on is not None and (step != Step.DECISION or received_on < on):
        raise ValidationError({"received_on": _("The day the decision arrived is on or after the decision.")})
    record = StepRecord(
        candidate=candidate,
        step=step,
        date=on,
        document_number=document_number.strip(),
        issuing_body=" ".join(issuing_body.split())[:255],
        votes_for=votes_for if step in VOTES or step == Step.DECISION else None,
        votes_of=votes_of if step in VOTES or step == Step.DECISION else None,
        extended=extended and step in {Step.COMMITTEE_VOTE, Step.RECOGNITION_COMMITTEE_VOTE},
        received_on=received_on,
        note=note.strip(),
    )
    member, record.event = _member_event(actor, candidate, record)
    try:
        with transaction.atomic():
            save_audited(record, actor=actor, reason="step recorded")
    except IntegrityError as exc:  # the same step recorded by someone else at this moment
        raise ValidationError({"step": _("This step is already recorded.")}) from exc
    update_versioned(
        candidate,
        actor=actor,
        expected_version=expected_version,
        changes={"step": step, "step_on": on, "member": member},
        reason=f"step {step}",
    )
    return record


def _member_event(
    actor, candidate: Candidate, record: StepRecord
) -> tuple[Member | None, MemberEvent | None]:
    """The admission decision opens the member's record; what follows is an event on it. Returns
    the candidate's member and the event written."""
    common = {"document_number": record.document_number[:64], "issuing_body": record.issuing_body}
    if record.step == Step.DECISION:
        member = member_services.member_create(
            actor=actor,
            cell=candidate.cell,
            full_name=candidate.full_name,
            date_of_birth=candidate.date_of_birth,
            admission=member_services.AdmissionDates(decision=record.date),
            # The age was checked, blocking, at the cell's resolution (§3.3 counts it there); at the
            # decision, weeks later, the member's record only warns.
            new_admission=False,
            gender=candidate.gender,
            occupation=candidate.occupation,
            general_education=candidate.general_education,
            introducers=candidate.introducers,
        )
        event = member.events.get(kind=EventKind.ADMISSION_DECISION)
        event.document_number, event.issuing_body = common["document_number"], common["issuing_body"]
        save_audited(
            event,
            actor=actor,
            reason="decision's document",
            update_fields=["document_number", "issuing_body"],
        )
        return member, event
    kinds = {Step.CEREMONY: EventKind.CEREMONY, Step.RECOGNISED: EventKind.RECOGNITION}
    kind = kinds.get(record.step) or (EventKind.REMOVAL if record.step == Step.REMOVED else None)
    if kind is None or candidate.member is None:
        return candidate.member, None
    return candidate.member, member_services.event_add(
        actor=actor, member=candidate.member, kind=kind, date=record.date, cell=candidate.cell, **common
    )


@transaction.atomic
def step_undo(*, actor, candidate: Candidate, expected_version: int) -> None:
    """Take back the last step recorded by mistake (soft): its event on the member's record goes
    too; taking back the decision closes the record it opened (soft). The first listing stays."""
    records = _done(candidate)
    if len(records) < 2:
        raise ValidationError(_("The listing is the first step: correct it, or remove the candidate."))
    last, before = records[-1], records[-2]
    member = candidate.member
    if last.event_id:
        member_services.event_delete(actor=actor, event=last.event, expected_version=last.event.version)
    soft_delete(last, actor=actor, expected_version=last.version, reason="step taken back")
    if last.step == Step.DECISION and member is not None:
        member.refresh_from_db()
        person = member.person
        soft_delete(member, actor=actor, expected_version=member.version, reason="admission taken back")
        soft_delete(person, actor=actor, expected_version=person.version, reason="admission taken back")
        member = None
    update_versioned(
        candidate,
        actor=actor,
        expected_version=expected_version,
        changes={"step": before.step, "step_on": before.date, "member": member},
        reason="step taken back",
    )


# ---------------------------------------------------------------------------------------- papers


@transaction.atomic
def paper_record(*, actor, candidate: Candidate, paper: str, made_on: date, note: str = "") -> DossierPaper:
    """A paper of the dossier and the day it was made; a paper made again replaces the old one."""
    if paper not in Paper.values:
        raise ValidationError({"paper": _("Choose the paper from the list.")})
    if made_on > periods.today():
        raise ValidationError({"made_on": _("A paper is dated today or on a past day.")})
    if candidate.member_id:
        raise ValidationError(_("The candidate is a member now: the dossier is the member's."))
    current = DossierPaper.objects.filter(candidate=candidate, paper=paper).first()
    if current is not None:
        return update_versioned(
            current,
            actor=actor,
            expected_version=current.version,
            changes={"made_on": made_on, "note": note.strip()[:255]},
            reason="paper made again",
        )
    record = DossierPaper(candidate=candidate, paper=paper, made_on=made_on, note=note.strip()[:255])
    save_audited(record, actor=actor, reason="paper recorded")
    return record


# -------------------------------------------------------------------------------------- settings

LIMIT_FIELDS = tuple(rules.Limits().as_fields())


@transaction.atomic
def settings_save(
    *, actor, organization: Organization, expected_version: int | None, **values: int
) -> DevelopmentSettings:
    """The office's time limits for the cells under it (§3.5: national by default, local where a
    province sets stricter ones), from 1 to 120 working days."""
    if set(values) != set(LIMIT_FIELDS):
        raise ValueError("every limit is given")
    for field, days in values.items():
        if not 1 <= days <= 120:
            raise ValidationError({field: _("Give from 1 to 120 working days.")})
    current = DevelopmentSettings.objects.filter(organization=organization).first()
    if current is None:
        current = DevelopmentSettings(organization=organization, **values)
        save_audited(current, actor=actor, reason="settings")
        return current
    if expected_version is None:
        expected_version = -1  # the form read no settings, yet some exist now: stale
    return update_versioned(current, actor=actor, expected_version=expected_version, changes=values)
