"""Demo members: about 2,000 records with realistic lives, built through the member services."""

import random
import unicodedata
from datetime import date, timedelta

from dangvu.members import services
from dangvu.members.choices import DisciplineForm, EventKind, Gender
from dangvu.members.rules import add_months
from dangvu.organization.models import Organization

from . import names

K = EventKind


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return (
            f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}",
            Gender.MALE,
        )
    return (
        f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_FEMALE)} {rng.choice(names.GIVEN_FEMALE)}",
        Gender.FEMALE,
    )


def build_member(ctx, cell: Organization, cells: list[Organization]):
    """One member's record and life, within the cell's active dates and up to ctx.today."""
    rng, today = ctx.rng, ctx.today
    full_name, gender = _name(rng)
    if rng.random() < 0.05:
        full_name = unicodedata.normalize("NFD", full_name)  # typed on a keyboard that decomposes
    born = _day_between(rng, date(1935, 1, 1), date(2006, 12, 31))
    earliest = max(add_months(born, 18 * 12 + 1), date(1958, 1, 1), cell.active_from)
    last_day = cell.active_to - timedelta(days=60) if cell.active_to else today - timedelta(days=40)
    latest = min(add_months(born, 45 * 12), last_day)
    if earliest > latest:
        earliest = latest = last_day
    decision = _day_between(rng, earliest, latest)
    ceremony = decision + timedelta(days=rng.randint(10, 30))
    recognised = add_months(ceremony, 12) + timedelta(days=rng.randint(3, 40))
    member = services.member_create(
        actor=ctx.actor,
        cell=cell,
        full_name=full_name,
        date_of_birth=born,
        gender=gender,
        ethnicity="Kinh" if rng.random() < 0.92 else rng.choice(["Tày", "Mường", "Thái", "Nùng"]),
        religion="Không" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
        hometown=rng.choice(
            [
                "Hà Nội",
                "Nam Định",
                "Thái Bình",
                "Nghệ An",
                "Hải Phòng",
                "Thanh Hóa",
                "Huế",
                "Đà Nẵng",
                "Bắc Ninh",
            ]
        ),
        residence="Hà Nội",
        occupation=rng.choice(
            ["Kỹ sư", "Nhà nghiên cứu", "Biên tập viên", "Chuyên viên", "Giảng viên", "Hưu trí"]
        ),
        general_education="12/12",
        citizen_id=f"{ctx.rng.randint(1, 96):03d}{born.year % 100:02d}{ctx.next_serial():07d}",
        record_number=f"{ctx.next_serial():06d} HN" if rng.random() < 0.9 else "",
    )
    events = [
        dict(
            kind=K.ADMISSION_DECISION,
            date=decision,
            cell=cell,
            document_number=f"{rng.randint(1, 999)}-QĐ/ĐU",
        ),
        dict(kind=K.CEREMONY, date=ceremony, cell=cell),
    ]
    if recognised <= today:
        events.append(dict(kind=K.RECOGNITION, date=recognised))
    others = [c for c in cells if c != cell]
    if cell.active_to:
        # The cell was dissolved: its members moved to other cells that day.
        events.append(dict(kind=K.CELL_TRANSFER, date=cell.active_to, cell=rng.choice(others)))
    else:
        events += _later_life(ctx, born, recognised, others)
    services.member_history_record(
        actor=ctx.actor, member=member, events=[e for e in events if e["date"] <= today]
    )
    return member


def _later_life(ctx, born: date, recognised: date, cells: list[Organization]) -> list[dict]:
    """Exemptions for the old, a few moves, disciplines, deaths, removals and re-admissions."""
    rng, today = ctx.rng, ctx.today
    if recognised > today:
        return []
    roll, life = rng.random(), []
    start = recognised + timedelta(days=60)
    if add_months(born, 75 * 12) < today and rng.random() < 0.5:
        life.append(
            dict(kind=K.EXEMPTION, date=max(start, add_months(born, 75 * 12)), reason="Tuổi cao, sức yếu")
        )
    if roll < 0.04 and born < date(1950, 1, 1):
        life.append(dict(kind=K.DEATH, date=_day_between(rng, max(start, date(2015, 1, 1)), today)))
    elif roll < 0.07 and cells:
        moved = _day_between(rng, start, today)
        life.append(dict(kind=K.CELL_TRANSFER, date=moved, cell=rng.choice(cells)))
    elif roll < 0.09:
        life.append(
            dict(
                kind=K.TRANSFER_OUT,
                date=_day_between(rng, start, today),
                other_organization="Đảng bộ Bộ Khoa học và Công nghệ",
            )
        )
    elif roll < 0.11:
        life.append(
            dict(
                kind=K.DISCIPLINE,
                date=_day_between(rng, start, today),
                discipline_form=rng.choice([DisciplineForm.REPRIMAND, DisciplineForm.WARNING]),
                issuing_body="Đảng ủy",
                reason="Vi phạm quy chế làm việc",
            )
        )
    elif roll < 0.12 and start < date(2015, 1, 1):
        removed = _day_between(rng, start, date(2016, 1, 1))
        readmitted = add_months(removed, 40)
        life += [
            dict(kind=K.REMOVAL, date=removed, reason="Bỏ sinh hoạt đảng"),
            dict(kind=K.READMISSION_DECISION, date=readmitted),
            dict(kind=K.CEREMONY, date=readmitted + timedelta(days=20)),
        ]
        if add_months(readmitted, 13) <= today:
            life.append(dict(kind=K.RECOGNITION, date=add_months(readmitted, 13)))
    deaths = [e["date"] for e in life if e["kind"] == K.DEATH]
    return [e for e in life if not deaths or e["date"] <= deaths[0]]
