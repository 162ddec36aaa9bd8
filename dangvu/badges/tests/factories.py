"""Builders of badge records through the services: members admitted on a given day (the ceremony
20 days later, recognised a year and a few days after it), their death, discipline, illness."""

from datetime import date, timedelta

from dangvu.members import services as member_services
from dangvu.members.choices import DisciplineForm, EventKind
from dangvu.members.rules import add_months
from dangvu.testing import make_member

from .. import services


def member(world, cell, name: str, decision: date, born: date | None = None):
    """An official member of `cell` admitted by a decision dated `decision` (recorded history)."""
    ceremony = decision + timedelta(days=20)
    return make_member(
        world.office,
        cell,
        name,
        born=born or date(decision.year - 25, 1, 15),
        decision=decision,
        ceremony=ceremony,
        recognition=add_months(ceremony, 12) + timedelta(days=5),
    )


def reaching(world, cell, name: str, years: int, on: date):
    """A member whose Party age reaches `years` years on `on` (no gaps)."""
    return member(world, cell, name, add_months(on, -12 * years))


def death(world, member_, on: date):
    return member_services.event_add(actor=world.office, member=member_, kind=EventKind.DEATH, date=on)


def discipline(world, member_, on: date, form: str = DisciplineForm.REPRIMAND, effective: date | None = None):
    return member_services.event_add(
        actor=world.office,
        member=member_,
        kind=EventKind.DISCIPLINE,
        date=on,
        discipline_form=form,
        effective_date=effective,
    )


def exemption(world, member_, on: date):
    return member_services.event_add(actor=world.office, member=member_, kind=EventKind.EXEMPTION, date=on)


def illness(world, member_, on: date):
    return services.illness_record(actor=world.office, member=member_, recorded_on=on, evidence="Bệnh án")
