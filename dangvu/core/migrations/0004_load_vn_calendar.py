"""Loads the Vietnamese public holidays, days in lieu and swapped working Saturdays of 2023-2027
(core/data/vn_calendar_2023_2027.json; its "source" names where they come from)."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "vn_calendar_2023_2027.json"


def load(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    days = json.loads(DATA.read_text(encoding="utf-8"))["days"]
    present = set(CalendarDay.objects.filter(deleted_at__isnull=True).values_list("day", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(day=date.fromisoformat(d["date"]), kind=d["kind"], name=d["name"])
        for d in days
        if date.fromisoformat(d["date"]) not in present
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_notifications_jobs")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
