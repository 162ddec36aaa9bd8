"""Organisations and committee seats in and out of Excel, through the one import mechanism
(core.imports): every problem by row and column, all or nothing, through the services."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core import imports, spreadsheets
from dangvu.core.imports import Column, Report, Row
from dangvu.core.vietnamese import fold

from . import services
from .choices import OrgKind, SeatRole
from .models import CommitteeSeat, Organization, Person

ORG_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", ("Mã tổ chức", "Mã đơn vị", "Ký hiệu"), required=True),
    Column("name", "Tên tổ chức", ("Tên", "Tên đơn vị", "Tổ chức đảng"), required=True),
    Column("kind", "Loại", ("Loại tổ chức", "Cấp"), "choice", required=True, choices=tuple(OrgKind.choices)),
    Column(
        "parent",
        "Tổ chức cấp trên",
        ("Cấp trên", "Trực thuộc", "Mã cấp trên"),
        note="Mã hoặc tên tổ chức cấp trên; để trống cho tổ chức gốc.",
    ),
    Column("active_from", "Hoạt động từ ngày", ("Ngày thành lập", "Từ ngày"), "date"),
    Column("active_to", "Hoạt động đến ngày", ("Ngày giải thể", "Đến ngày"), "date"),
)
SEAT_COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", ("Họ tên",), "name", required=True),
    Column("date_of_birth", "Ngày sinh", (), "date", note="Để phân biệt những người trùng họ tên."),
    Column(
        "organization",
        "Tổ chức",
        ("Chi bộ", "Đảng bộ", "Mã tổ chức"),
        required=True,
        note="Mã hoặc tên tổ chức có cấp ủy.",
    ),
    Column("role", "Chức danh", ("Chức vụ",), "choice", required=True, choices=tuple(SeatRole.choices)),
    Column("term_start", "Nhiệm kỳ từ ngày", ("Từ ngày",), "date", required=True),
    Column("term_end", "Nhiệm kỳ đến ngày", ("Đến ngày",), "date"),
    Column("part_time", "Kiêm nhiệm", (), "bool", note="“x” nếu kiêm nhiệm; để trống nếu chuyên trách."),
)
ACTIONS = ("stop", "skip", "update")


@dataclass
class Plan:
    actor: Any
    root: Organization | None  # the subtree the user manages; None: the system (a new install)
    organizations: list[Organization]  # those the user manages
    on_duplicate: str = "stop"
    decisions: dict[int, str] | None = None


def org_template() -> bytes:
    return imports.template(
        "Tổ chức",
        ORG_COLUMNS,
        {
            "code": "CB-01",
            "name": "Chi bộ Văn phòng",
            "kind": str(OrgKind.ATTACHED_CELL.label),
            "parent": "DU-01",
        },
    )


def seat_template() -> bytes:
    return imports.template(
        "Cấp ủy",
        SEAT_COLUMNS,
        {
            "full_name": "Nguyễn Văn An",
            "organization": "CB-01",
            "role": str(SeatRole.SECRETARY.label),
            "term_start": "01/07/2025",
            "part_time": "x",
        },
    )


def _run(data, columns, plan: Plan, dry_run: bool, write) -> Report:
    report = Report()
    try:
        with transaction.atomic():
            rows = list(imports.read(data, columns))
            report.rows = len(rows)
            write(rows, plan, report)
            if dry_run or not report.ok:
                raise imports.Refused
    except imports.Refused:
        pass
    return report


def run_organizations(data: IO[bytes] | str, plan: Plan, *, dry_run: bool) -> Report:
    return _run(data, ORG_COLUMNS, plan, dry_run, _write_organizations)


def run_seats(data: IO[bytes] | str, plan: Plan, *, dry_run: bool) -> Report:
    return _run(data, SEAT_COLUMNS, plan, dry_run, _write_seats)


def _lookup(orgs: Iterable[Organization]) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    for org in orgs:
        found[fold(org.code)] = org
        found.setdefault(fold(org.name), org)
    return found


def _write_organizations(rows: list[Row], plan: Plan, report: Report) -> None:
    """Parents first, whatever the order of the rows: a row waits until its parent exists."""
    known = _lookup(plan.organizations)
    pending = [r for r in rows if not r.problems]
    report.problems.extend(p for r in rows for p in r.problems)
    while pending:
        waiting = [r for r in pending if not _parent_ready(r, known, plan)]
        for row in [r for r in pending if r not in waiting]:
            _write_organization(row, known, plan, report)
        if len(waiting) == len(pending):
            for row in waiting:
                report.problems.append(
                    imports.Problem(
                        row.number,
                        "Tổ chức cấp trên",
                        _("No organisation “%(parent)s” among yours or in the file.")
                        % {"parent": row.values.get("parent") or "—"},
                    )
                )
            break
        pending = waiting


def _parent_ready(row: Row, known: dict[str, Organization], plan: Plan) -> bool:
    """A row can be written once its parent exists; without a parent it is a new root (only for
    the system) or the user's own top organisation, whose parent lies outside the file."""
    parent = row.values.get("parent")
    if plan.root is not None and fold(row.values["code"]) == fold(plan.root.code):
        return True  # the user's own top organisation: its parent lies outside the file
    return fold(parent) in known if parent else plan.root is None


def _write_organization(row: Row, known: dict, plan: Plan, report: Report) -> None:
    v = row.values
    parent = known.get(fold(v["parent"])) if v.get("parent") else None
    if plan.root is not None and fold(v["code"]) == fold(plan.root.code):
        parent = None  # the user's top organisation keeps its place
    fields = {
        "name": v["name"],
        "kind": v["kind"],
        "active_from": v.get("active_from"),
        "active_to": v.get("active_to"),
    }
    existing = Organization.all_objects.filter(code=v["code"].strip().upper()).first()
    try:
        if existing is None:
            org = services.organization_create(actor=plan.actor, parent=parent, code=v["code"], **fields)
            report.created += 1
        else:
            org = _existing_organization(row, existing, parent, fields, plan, report)
    except ValidationError as exc:
        report.problems.append(imports.Problem(row.number, "Mã", " ".join(exc.messages)))
        return
    if org is not None:
        known[fold(org.code)] = org
        known.setdefault(fold(org.name), org)


def _existing_organization(row, existing, parent, fields, plan: Plan, report: Report):
    action = (plan.decisions or {}).get(row.number, plan.on_duplicate)
    if existing not in plan.organizations:  # outside the user's subtree: named nowhere in the report
        raise ValidationError(_("The code %(code)s is already used.") % {"code": existing.code})
    report.add_duplicate(row.number, existing, "code", action)
    if action == "update":
        if parent is not None:
            fields = {**fields, "parent": parent}  # the top organisation keeps its parent
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if changes:
            services.organization_update(
                actor=plan.actor, organization=existing, expected_version=existing.version, **changes
            )
            report.updated += 1
        else:
            report.unchanged += 1
    elif action == "skip":
        report.skipped += 1
    return existing


def _write_seats(rows: list[Row], plan: Plan, report: Report) -> None:
    known = _lookup(plan.organizations)
    for row in rows:
        report.problems.extend(row.problems)
        if row.problems:
            continue
        v = row.values
        org = known.get(fold(v["organization"]))
        if org is None:
            report.problems.append(
                imports.Problem(
                    row.number,
                    "Tổ chức",
                    _("No organisation with this code or name among yours: “%(org)s”.")
                    % {"org": v["organization"]},
                )
            )
            continue
        person = _person_for(row, org, plan, report)
        if person is None:
            continue
        _write_seat(row, person, org, plan, report)


def _person_for(row: Row, org: Organization, plan: Plan, report: Report) -> Person | None:
    """The person of that name (and birth date, when given) in the organisation's subtree, or a
    new one kept by the organisation."""
    v = row.values
    people = Person.objects.filter(organization__path__startswith=org.path, search_text=fold(v["full_name"]))
    if v.get("date_of_birth"):
        people = people.filter(date_of_birth=v["date_of_birth"])
    found = list(people[:2])
    if len(found) > 1:
        report.problems.append(
            imports.Problem(
                row.number, "Họ và tên", _("Several people have this name here: add the date of birth.")
            )
        )
        return None
    if found:
        return found[0]
    return services.person_create(
        actor=plan.actor, organization=org, full_name=v["full_name"], date_of_birth=v.get("date_of_birth")
    )


def _write_seat(row: Row, person: Person, org: Organization, plan: Plan, report: Report) -> None:
    v = row.values
    existing = CommitteeSeat.objects.filter(
        person=person, organization=org, role=v["role"], term_start=v["term_start"]
    ).first()
    if existing:
        report.unchanged += 1
        return
    try:
        services.seat_create(
            actor=plan.actor,
            person=person,
            organization=org,
            role=v["role"],
            term_start=v["term_start"],
            term_end=v.get("term_end"),
            part_time=bool(v.get("part_time")),
        )
    except ValidationError as exc:
        report.problems.append(imports.Problem(row.number, "Chức danh", " ".join(exc.messages)))
        return
    report.created += 1


def export_organizations(orgs: Iterable[Organization]) -> bytes:
    records = (
        {
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "parent": o.parent.code if o.parent_id else "",
            "active_from": o.active_from,
            "active_to": o.active_to,
        }
        for o in orgs
    )
    return spreadsheets.write_table(
        "Tổ chức", [c.header for c in ORG_COLUMNS], imports.export_rows(ORG_COLUMNS, records)
    )


def export_seats(seats: Iterable[CommitteeSeat]) -> bytes:
    records = (
        {
            "full_name": s.person.full_name,
            "date_of_birth": s.person.date_of_birth,
            "organization": s.organization.code,
            "role": s.role,
            "term_start": s.term_start,
            "term_end": s.term_end,
            "part_time": s.part_time,
        }
        for s in seats
    )
    return spreadsheets.write_table(
        "Cấp ủy", [c.header for c in SEAT_COLUMNS], imports.export_rows(SEAT_COLUMNS, records)
    )
