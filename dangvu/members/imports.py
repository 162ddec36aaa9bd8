"""Members in and out of Excel: the columns, the forgiving import (preview, duplicates, all or
nothing) and the export that re-imports unchanged."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.utils.translation import gettext as _

from dangvu.core import access, bulk, imports, periods
from dangvu.core.imports import Column, Report, Row
from dangvu.core.vietnamese import fold, name_sort_key
from dangvu.organization.models import Organization, Person

from . import rules, services
from .choices import EventKind, Gender
from .models import Member, MemberEvent, MembershipPeriod

BATCH = 2500  # rows checked against the database and written together
EVENT_COLUMNS = (  # the dates of the file that become events, in the order they are written
    (EventKind.ADMISSION_DECISION, "admission_decision"),
    (EventKind.CEREMONY, "ceremony"),
    (EventKind.RECOGNITION, "recognition"),
)

COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name", "Họ và tên", ("Họ tên", "Họ và tên khai sinh", "Tên đảng viên"), "name", required=True
    ),
    Column("date_of_birth", "Ngày sinh", ("Ngày tháng năm sinh", "Sinh ngày"), "date", required=True),
    Column("gender", "Giới tính", ("Nam/Nữ", "Phái"), "choice", choices=tuple(Gender.choices)),
    Column(
        "cell",
        "Chi bộ",
        ("Tên chi bộ", "Mã chi bộ", "Chi bộ sinh hoạt"),
        required=True,
        note="Mã hoặc tên chi bộ, như trong danh sách tổ chức.",
    ),
    Column("admission_decision", "Ngày quyết định kết nạp", ("Ngày kết nạp", "Ngày vào Đảng (QĐ)"), "date"),
    Column("ceremony", "Ngày lễ kết nạp", ("Ngày vào Đảng",), "date"),
    Column(
        "recognition",
        "Ngày công nhận chính thức",
        ("Ngày chính thức",),
        "date",
        note="Ngày của quyết định công nhận đảng viên chính thức.",
    ),
    Column("citizen_id", "Số căn cước", ("Số CCCD", "CCCD", "Số định danh", "CMND/CCCD")),
    Column("record_number", "Số lý lịch", ("Số LL",)),
    Column("card_number", "Số thẻ đảng viên", ("Số thẻ", "Số thẻ Đảng")),
    Column("card_issued_on", "Ngày cấp thẻ", (), "date"),
    Column("other_names", "Tên gọi khác", ("Bí danh",)),
    Column("hometown", "Quê quán", ()),
    Column("residence", "Nơi cư trú", ("Nơi ở hiện nay", "Địa chỉ")),
    Column("ethnicity", "Dân tộc", ()),
    Column("religion", "Tôn giáo", ()),
    Column("occupation", "Nghề nghiệp", ("Nghề nghiệp hiện nay",)),
    Column("general_education", "Giáo dục phổ thông", ("Trình độ văn hóa",)),
    Column("professional_education", "Chuyên môn, nghiệp vụ", ("Trình độ chuyên môn",)),
    Column("political_theory", "Lý luận chính trị", ()),
    Column("foreign_languages", "Ngoại ngữ", ()),
    Column("it_level", "Tin học", ()),
)
RECORD_FIELDS = [
    c.field
    for c in COLUMNS
    if c.field not in {"full_name", "date_of_birth", "cell", "admission_decision", "ceremony", "recognition"}
]
SENSITIVE_COLUMNS = {"citizen_id"}
EXAMPLE = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": date(1985, 5, 20),
    "gender": "Nam",
    "cell": "CB-01",
    "admission_decision": date(2010, 3, 1),
    "ceremony": date(2010, 3, 20),
    "recognition": date(2011, 3, 25),
    "citizen_id": "001085012345",
    "record_number": "000123 HN",
    "ethnicity": "Kinh",
    "religion": "Không",
}
ACTIONS = ("stop", "skip", "update", "both")


def template() -> bytes:
    return imports.template("Đảng viên", COLUMNS, EXAMPLE)


@dataclass
class Plan:
    """Who imports, where, and what to do with duplicates (per row, else the default)."""

    actor: Any
    cells: list[Organization]
    scope: access.Scope = access.SYSTEM_SCOPE  # whose records may be matched and updated
    on_duplicate: str = "stop"
    decisions: dict[int, str] = field(default_factory=dict)
    progress: Callable[[int], None] | None = None


def run(data: IO[bytes] | str, plan: Plan, *, dry_run: bool) -> Report:
    """Read, check and write the whole file in one transaction: rolled back when anything is
    wrong, when a duplicate says stop, or for a preview (dry run)."""
    return imports.run(
        data, COLUMNS, dry_run, lambda rows, report: _Importer(plan, report).run(rows), streamed=True
    )


class _Importer:
    def __init__(self, plan: Plan, report: Report) -> None:
        self.plan, self.report = plan, report
        self.cells = _cell_lookup(plan.cells)
        self.seen: dict[str, int] = {}  # duplicate keys inside the file -> first row
        self.today = periods.today()

    def run(self, rows: Iterator[Row]) -> None:
        batch: list[Row] = []
        for row in rows:
            self.report.rows += 1
            self._check(row)
            batch.append(row)
            if len(batch) == BATCH:
                self._flush(batch)
                batch = []
        self._flush(batch)

    def _check(self, row: Row) -> None:
        v = row.values
        cell = self.cells.get(fold(v.get("cell") or ""))
        if v.get("cell") and cell is None:
            row.refuse(
                "Chi bộ", _("No cell with this code or name among yours: “%(cell)s”.") % {"cell": v["cell"]}
            )
        v["cell_obj"] = cell
        if "citizen_id" in v:  # only a column the file has may change a record
            v["citizen_id"] = rules.citizen_id_digits(v["citizen_id"] or "")
        for problem in rules.identifier_problems(
            citizen_id=v.get("citizen_id") or "",
            card_number=v.get("card_number") or "",
            card_issued_on=v.get("card_issued_on"),
            record_number=v.get("record_number") or "",
        ):
            if problem.blocking:
                row.refuse(_header(problem.field), problem.message)
        v["facts"] = _facts(v)  # checked here, written as events and derived from in _create
        for problem in rules.date_order_problems(v["facts"], v.get("date_of_birth")):
            row.refuse(_header("admission_decision"), problem.message)
        if v.get("admission_decision"):
            age = rules.admission_age_problem(
                v.get("date_of_birth"), v["admission_decision"], blocking=False
            )  # recorded history: a warning
            if age:
                self.report.warnings.append(
                    imports.Problem(row.number, _header("date_of_birth"), age.message)
                )
        # The folded name: a match key, the query for namesakes and the stored search text.
        v["folded_name"] = _folded(v.get("full_name"))
        v["keys"] = _labelled_keys(  # how the row may match: computed once
            v.get("citizen_id"), v.get("card_number"), v["folded_name"], v.get("date_of_birth")
        )
        for _how, key in v["keys"]:
            if key in self.seen:
                row.refuse(
                    _header(key.split(":")[0]),
                    _("Row %(row)d already has this person.") % {"row": self.seen[key]},
                )
                break
        for _how, key in v["keys"]:
            self.seen.setdefault(key, row.number)

    def _flush(self, batch: list[Row]) -> None:
        if not batch:
            return
        existing, mine = _existing(batch, self.plan.scope)
        creates = []
        for row in batch:
            self.report.problems.extend(row.problems)
            if row.problems:
                continue
            matches = [(m, how) for how, key in row.values["keys"] for m in existing.get(key, [])]
            elsewhere = [how for m, how in matches if m.pk not in mine and how != "name_dob"]
            matches = [(m, how) for m, how in matches if m.pk in mine]
            if elsewhere:
                # Recorded by an organisation the user does not keep: say so, name nobody.
                row.refuse(
                    _header(elsewhere[0]),
                    _(
                        "This person is already recorded by another "
                        "organisation; ask the Party Committee office."
                    ),
                )
                self.report.problems.extend(row.problems)
            elif matches:
                self._duplicate(row, *matches[0], creates)
            else:
                creates.append(row)
        self.report.created += len(creates)  # what the file would create, problems or not
        if self.report.ok and creates:
            _create(creates, self.plan.actor, self.today)
        if self.plan.progress:
            self.plan.progress(self.report.rows)

    def _duplicate(self, row: Row, member: Member, matched_by: str, creates: list[Row]) -> None:
        action = self.plan.decisions.get(row.number, self.plan.on_duplicate)
        if action == "both" and matched_by != "name_dob":
            row.refuse(
                _header("citizen_id"),
                _(
                    "“Keep both” is allowed only for two people with "
                    "the same name and date of birth whose citizen IDs "
                    "differ."
                ),
            )
            self.report.problems.extend(row.problems)
            return
        self.report.add_duplicate(row.number, member, matched_by, action)
        if action == "both":
            creates.append(row)
        elif action == "skip":
            self.report.skipped += 1
        elif action == "update" and self.report.ok:
            self._update(row, member)

    def _update(self, row: Row, member: Member) -> None:
        changes = {
            f: row.values[f] for f in RECORD_FIELDS if f in row.values and getattr(member, f) != row.values[f]
        }
        if row.values.get("full_name") and row.values["full_name"] != member.person.full_name:
            changes["full_name"] = row.values["full_name"]
        if not changes:
            self.report.unchanged += 1
            return
        services.member_update(
            actor=self.plan.actor, member=member, expected_version=member.version, **changes
        )
        self.report.updated += 1


def _header(field_name: str) -> str:
    return next((c.header for c in COLUMNS if c.field == field_name), field_name)


def _cell_lookup(cells: Iterable[Organization]) -> dict[str, Organization]:
    lookup: dict[str, Organization] = {}
    for cell in cells:
        lookup[fold(cell.code)] = cell
        lookup[fold(cell.name)] = cell
    return lookup


def _facts(v: dict) -> list[rules.Fact]:
    return [rules.Fact(kind, v[key]) for kind, key in EVENT_COLUMNS if v.get(key)]


def _folded(full_name: str | None) -> str | None:
    return fold(full_name) if full_name else None


def _labelled_keys(
    citizen_id: str | None, card_number: str | None, folded_name: str | None, date_of_birth: date | None
) -> list[tuple[str, str]]:
    """How a row may match an existing member: citizen ID, card number, or name (folded; None when
    there is no name) + date of birth."""
    keys = []
    if citizen_id:
        keys.append(("citizen_id", f"citizen_id:{citizen_id}"))
    if card_number:
        keys.append(("card_number", f"card_number:{card_number}"))
    if folded_name is not None and date_of_birth:
        keys.append(("name_dob", f"full_name:{folded_name}|{date_of_birth}"))
    return keys


def _existing(batch: list[Row], scope: access.Scope) -> tuple[dict[str, list[Member]], set[int]]:
    """Members already recorded that match rows of the batch, and which of them the user keeps."""
    ids = {r.values["citizen_id"] for r in batch if r.values.get("citizen_id")}
    cards = {r.values["card_number"] for r in batch if r.values.get("card_number")}
    names = {r.values["folded_name"] for r in batch if r.values["folded_name"] is not None}
    index: dict[str, list[Member]] = {}
    for member in _matching(ids, cards, names):
        for _how, key in _labelled_keys(
            member.citizen_id,
            member.card_number,
            _folded(member.person.full_name),
            member.person.date_of_birth,
        ):
            index.setdefault(key, []).append(member)
    ids_found = {m.pk for ms in index.values() for m in ms}
    mine = (
        set(
            access.restrict(Member.objects.filter(pk__in=ids_found), scope, access.RECORDS).values_list(
                "pk", flat=True
            )
        )
        if ids_found
        else set()
    )
    return index, mine


def _matching(ids: set[str], cards: set[str], names: set[str]) -> list[Member]:
    """Members with one of the citizen IDs, card numbers or folded names, by id (the order in which
    one query OR-ing the three found them). One query per kind of key, each using its index: the
    single query, OR-ing across the join with people, scanned every member for every batch."""
    found: dict[int, Member] = {}
    for lookup, keys in (
        ("citizen_id__in", ids),
        ("card_number__in", cards),
        ("person__search_text__in", names),
    ):
        if keys:
            for member in Member.objects.filter(**{lookup: keys}).select_related("person"):
                found.setdefault(member.pk, member)
    return [found[pk] for pk in sorted(found)]


def _create(rows: list[Row], actor, today: date) -> None:
    """Create the batch's members with their history rows, events and periods: the same records
    the services make one by one, written at import speed (core.bulk)."""
    people, members, events, periods = [], [], [], []
    for r in rows:
        person, member, own_events, own_periods = _records(r.values)
        people.append(person)
        members.append(member)
        events.append(own_events)
        periods.append(own_periods)
    for member, person_id in zip(members, bulk.insert(Person, people, actor=actor), strict=True):
        member["person_id"] = person_id
    ids = bulk.insert(Member, members, actor=actor)
    bulk.insert(MemberEvent, _owned(ids, events), actor=actor)
    bulk.insert(MembershipPeriod, _owned(ids, periods))
    services.periods_rebuilt(ids)


def _records(v: dict) -> tuple[dict, dict, list[dict], list[dict]]:
    """A checked row's person, member, events and periods, from the facts and the folded name the
    check made; the ids of the person and the member are filled in once they are written."""
    cell_id = v["cell_obj"].pk
    person = {
        "full_name": v["full_name"],
        "sort_key": name_sort_key(v["full_name"]),
        "search_text": v["folded_name"],
        "date_of_birth": v["date_of_birth"],
        "organization_id": cell_id,
    }
    history = rules.derive(v["facts"])
    member = {
        "first_decision_on": history.first_decision,
        "party_age_origin": rules.party_age_origin(history),
        **{f: v[f] for f in RECORD_FIELDS if v.get(f)},
    }
    events = [
        {
            "kind": fact.kind,
            "date": fact.date,
            "cell_id": cell_id if fact.kind != EventKind.RECOGNITION else None,
        }
        for fact in v["facts"]
    ]
    periods = [{**services.period_fields(p), "cell_id": cell_id} for p in history.periods]
    return person, member, events, periods


def _owned(ids: list[int], records: list[list[dict]]) -> list[dict]:
    """The records of each member, in order, with their member's id."""
    owned = []
    for member, own in zip(ids, records, strict=True):
        for record in own:
            record["member_id"] = member
            owned.append(record)
    return owned


def export(members: Iterable[Member], *, with_sensitive: bool) -> bytes:
    """The list as the import's own file: it re-imports without any change."""
    columns = [c for c in COLUMNS if with_sensitive or c.field not in SENSITIVE_COLUMNS]
    return imports.spreadsheets.write_table(
        "Đảng viên", [c.header for c in columns], imports.export_rows(columns, (_record(m) for m in members))
    )


def _record(member: Member) -> dict[str, Any]:
    dates: dict[str, date] = {}
    for event in sorted(member.events.all(), key=lambda e: e.date):
        dates.setdefault(event.kind, event.date)  # the lý lịch's dates: the first admission
    return {
        "full_name": member.person.full_name,
        "date_of_birth": member.person.date_of_birth,
        "cell": member.person.organization.code,
        "admission_decision": dates.get(EventKind.ADMISSION_DECISION),
        "ceremony": dates.get(EventKind.CEREMONY),
        "recognition": dates.get(EventKind.RECOGNITION),
        **{f: getattr(member, f) for f in RECORD_FIELDS},
    }
